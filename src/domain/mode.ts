// The one trading mode: which account and journal a session uses. Previewing is what a command
// does, not a mode: a preview in any mode builds the same plan and sends nothing.
export type Mode = 'sim' | 'paper' | 'live';

export const MODES: readonly Mode[] = ['sim', 'paper', 'live'];

/** IB paper accounts start with D (DU individual, DF advisor); every other id is treated as live. */
export function isPaperAccount(accountId: string): boolean {
  return accountId.startsWith('D');
}

/** Sim and paper trade a paper account only (the simulator's ids start with D), live a live one only. */
export function accountFitsMode(mode: Mode, accountId: string): boolean {
  return mode === 'live' ? !isPaperAccount(accountId) : isPaperAccount(accountId);
}

export type AccountChoice =
  | { readonly ok: true; readonly account: string }
  | {
      readonly ok: false;
      readonly kind: 'no-account' | 'ambiguous-account' | 'account-not-managed';
      readonly managed: readonly string[];
    };

/**
 * The account a gateway session works in: the configured one if the gateway manages it, else the
 * gateway's only managed account. Several accounts and none configured is refused, never guessed.
 */
export function pickSessionAccount(configured: string | null, managed: readonly string[]): AccountChoice {
  if (configured !== null)
    return managed.includes(configured)
      ? { ok: true, account: configured }
      : { ok: false, kind: 'account-not-managed', managed };
  const only = managed.length === 1 ? managed[0] : undefined;
  if (only !== undefined) return { ok: true, account: only };
  return { ok: false, kind: managed.length === 0 ? 'no-account' : 'ambiguous-account', managed };
}

/** What a gateway session will do: read (status, preview) or send orders (trade needs live arming in live mode). */
export type SessionPurpose = 'read' | 'trade';
