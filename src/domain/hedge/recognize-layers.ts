// Hedge layers as the broker's positions show them: long VIX calls, and long calls paired with a
// short call above them in the same class and expiry (call spreads). Status uses it to show what
// the account holds even without a journal, and to compare the account with the journal's book.
import type { PositionReport } from '../broker-reports.ts';
import type { IsoDate, OptionContract } from '../instruments.ts';
import { formatStrike } from '../instruments.ts';
import type { PriceCents } from '../money.ts';
import { priceCents } from '../money.ts';
import type { HeldLayer } from '../snapshot.ts';

export interface RecognizedLayer {
  readonly kind: 'call' | 'callSpread';
  readonly tradingClass: 'VIX' | 'VIXW';
  readonly expiry: IsoDate;
  readonly longStrike: number;
  readonly shortStrike: number | null;
  readonly quantity: number;
  /** Per unit, from IB's average costs (spread: long less short), commissions included. */
  readonly entryPrice: PriceCents;
}

export interface RecognizedBook {
  readonly layers: readonly RecognizedLayer[];
  /** Positions that are not a hedge layer's shape (short VIX calls without a long below, puts, others). */
  readonly other: readonly PositionReport[];
}

interface Leg {
  readonly position: PositionReport;
  readonly contract: OptionContract;
  remaining: number;
}

const isVixCall = (c: OptionContract): boolean =>
  c.symbol === 'VIX' && c.right === 'C' && (c.tradingClass === 'VIX' || c.tradingClass === 'VIXW');

/**
 * Pairs each short VIX call with the nearest long call below it in the same class and expiry (a
 * spread), as many contracts as both sides hold; the longs left over are single-call layers.
 */
export function recognizeLayers(positions: readonly PositionReport[]): RecognizedBook {
  const groups = new Map<string, { longs: Leg[]; shorts: Leg[] }>();
  const other: PositionReport[] = [];
  for (const p of positions) {
    if (p.quantity === 0) continue;
    if (p.contract.kind !== 'option' || !isVixCall(p.contract.contract)) {
      other.push(p);
      continue;
    }
    const c = p.contract.contract;
    const key = `${c.tradingClass} ${c.expiry}`;
    const g = groups.get(key) ?? { longs: [], shorts: [] };
    (p.quantity > 0 ? g.longs : g.shorts).push({ position: p, contract: c, remaining: Math.abs(p.quantity) });
    groups.set(key, g);
  }
  const layers: RecognizedLayer[] = [];
  for (const g of groups.values()) {
    g.longs.sort((a, b) => b.contract.strike - a.contract.strike);
    g.shorts.sort((a, b) => a.contract.strike - b.contract.strike);
    for (const short of g.shorts) {
      for (const long of g.longs) {
        if (short.remaining === 0) break;
        if (long.remaining === 0 || long.contract.strike >= short.contract.strike) continue;
        const n = Math.min(long.remaining, short.remaining);
        long.remaining -= n;
        short.remaining -= n;
        layers.push(
          layerOf('callSpread', long.contract, short.contract.strike, n, unitCost(long) - unitCost(short)),
        );
      }
      if (short.remaining > 0) other.push(shortLeft(short));
    }
    for (const long of g.longs)
      if (long.remaining > 0)
        layers.push(layerOf('call', long.contract, null, long.remaining, unitCost(long)));
  }
  layers.sort((a, b) =>
    a.expiry === b.expiry
      ? a.longStrike - b.longStrike || (a.shortStrike ?? 0) - (b.shortStrike ?? 0)
      : a.expiry.localeCompare(b.expiry),
  );
  return { layers, other };
}

function layerOf(
  kind: 'call' | 'callSpread',
  long: OptionContract,
  shortStrike: number | null,
  quantity: number,
  entryCents: number,
): RecognizedLayer {
  return {
    entryPrice: priceCents(Math.max(0, Math.round(entryCents))),
    kind,
    tradingClass: long.tradingClass === 'VIXW' ? 'VIXW' : 'VIX',
    expiry: long.expiry,
    longStrike: long.strike,
    shortStrike,
    quantity,
  };
}

/** IB's avgCost is per contract (x100 multiplier): per unit in price cents. */
function unitCost(leg: Leg): number {
  return leg.position.avgCost / VIX_MULTIPLIER;
}

const VIX_MULTIPLIER = 100;

/**
 * The account's layers as the planner's book when no journal knows them: each takes the first
 * template of its kind, and counts as opened on `today` (its age is unknown).
 */
export function heldLayersFromAccount(
  layers: readonly RecognizedLayer[],
  templates: readonly { readonly id: string; readonly kind: 'call' | 'callSpread' }[],
  today: IsoDate,
): HeldLayer[] {
  return layers.map((l) => ({
    layerId: `account:${layerShape(l)}`,
    templateId: templates.find((t) => t.kind === l.kind)?.id ?? l.kind,
    kind: l.kind,
    tradingClass: l.tradingClass,
    expiry: l.expiry,
    longStrike: l.longStrike,
    shortStrike: l.shortStrike,
    quantity: l.quantity,
    entryPrice: l.entryPrice,
    openedOn: today,
  }));
}

/** A short call no long pairs with: reported as it stands (it is not a hedge and is never sized). */
function shortLeft(leg: Leg): PositionReport {
  return { ...leg.position, quantity: -leg.remaining };
}

/** "VIX 2026-04-15 23/30C" */
export function layerShape(
  l: Pick<RecognizedLayer, 'tradingClass' | 'expiry' | 'longStrike' | 'shortStrike'>,
): string {
  const strikes =
    l.shortStrike === null
      ? formatStrike(l.longStrike)
      : `${formatStrike(l.longStrike)}/${formatStrike(l.shortStrike)}`;
  return `${l.tradingClass} ${l.expiry} ${strikes}C`;
}
