// Server-version negotiation (docs/ib-notes.md §1 "Versions"): V = min(clientMax, simMax), refused when
// the client's range and ours do not overlap. Layout gates used by the codecs live here too.

/** Lowest version whose layouts the codecs implement (ib_async's minimum). */
export const SIM_MIN_VERSION = 157;
/** Default top: ib_async's maximum and the simplest layout with everything ironvix needs. */
export const SIM_DEFAULT_MAX_VERSION = 178;
/** Optional top: what a current production Gateway negotiates with @stoqey/ib 1.6.10. */
export const SIM_HIGHEST_VERSION = 193;

export type SimServerVersion = 178 | 193;

/** IB's MIN_SERVER_VER constants for every gate between 157 and 193 the codecs honour. */
export const V = {
  DURATION: 158,
  POST_TO_ATS: 160,
  AUTO_CANCEL_PARENT: 162,
  FRACTIONAL_SIZE_SUPPORT: 163,
  SIZE_RULES: 164,
  ADVANCED_ORDER_REJECT: 166,
  MANUAL_ORDER_TIME: 169,
  PEGBEST_PEGMID_OFFSETS: 170,
  BOND_ISSUERID: 176,
  FA_PROFILE_DESUPPORT: 177,
  PENDING_PRICE_REVISION: 178,
  FUND_DATA_FIELDS: 179,
  LAST_TRADE_DATE: 182,
  CUSTOMER_ACCOUNT: 183,
  PROFESSIONAL_CUSTOMER: 184,
  BOND_ACCRUED_INTEREST: 185,
  INELIGIBILITY_REASONS: 186,
  RFQ_FIELDS: 187,
  INCLUDE_OVERNIGHT: 189,
  UNDO_RFQ_FIELDS: 190,
  CME_TAGGING_FIELDS: 192,
  CME_TAGGING_FIELDS_IN_OPEN_ORDER: 193,
} as const;

export interface ClientVersionRange {
  readonly min: number;
  readonly max: number;
}

const VERSION_RE = /^v(\d+)(\.\.(\d+))?/;

/** Parses "v100..193", "v157..178 +PACEAPI" or "v176"; null when it is not a version string. */
export function parseVersionRange(text: string): ClientVersionRange | null {
  const m = VERSION_RE.exec(text);
  if (m === null) return null;
  const min = Number.parseInt(m[1] ?? '', 10);
  const max = m[3] === undefined ? min : Number.parseInt(m[3], 10);
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) return null;
  return { min, max };
}

export type Negotiation =
  | { readonly ok: true; readonly version: number; readonly client: ClientVersionRange }
  | { readonly ok: false; readonly reason: string };

export function negotiateVersion(text: string, simMax: number = SIM_DEFAULT_MAX_VERSION): Negotiation {
  const client = parseVersionRange(text);
  if (client === null)
    return { ok: false, reason: `not a version string: ${JSON.stringify(text.slice(0, 40))}` };
  const version = Math.min(client.max, simMax);
  if (version < client.min || version < SIM_MIN_VERSION) {
    return {
      ok: false,
      reason: `no common version: client v${client.min}..${client.max}, simulator v${SIM_MIN_VERSION}..${simMax}`,
    };
  }
  return { ok: true, version, client };
}
