// The previous cycle's condor (docs/strategy.md section 3): it settles at the SPX close minutes after
// the entry, and until then its stress loss over its own remaining time (stressSigmas x EM, EM over
// the time left) is added to the hedge requirement.
import type { TradingCalendar } from '../calendar.ts';
import { tradingTimeToExpiry } from '../calendar.ts';
import type { PositionReport } from '../broker-reports.ts';
import type { IsoDate, OptionContract } from '../instruments.ts';
import { SPXW_MULTIPLIER } from '../instruments.ts';
import type { JournalView } from '../journal-view.ts';
import { filledFromFills, netPriceFromFills } from '../journal-view.ts';
import type { Cents } from '../money.ts';
import { cents, priceCents } from '../money.ts';
import type { OpenCondor } from '../snapshot.ts';
import type { SizingConfig } from './stress.ts';
import { condorStressLossCents, expectedMovePoints } from './stress.ts';

/** An open condor as valued at a cycle point. */
export interface OpenCondorRisk {
  readonly condor: OpenCondor;
  /** Trading time left to its PM settlement, years; 0 once settled. */
  readonly remainingYears: number;
  /** Minutes of regular session left to its settlement (remainingYears x 252 x 390). */
  readonly remainingMinutes: number;
  /** stressSigmas x EM over the time left, SPX points (EM = S x IV_atm x sqrt(remaining)). */
  readonly stressMovePoints: number;
  readonly stressSpx: number;
  readonly maxLossPerContract: Cents;
  readonly stressLossPerContract: Cents;
  /** stressLossPerContract x quantity; 0 when it no longer counts. */
  readonly stressLoss: Cents;
  /** It counts until it settles. */
  readonly counts: boolean;
}

const SESSION_MINUTES = 390;

/** Values each open condor under the cycle's SPX spot and ATM vol; settled ones count nothing. */
export function valueOpenCondors(
  condors: readonly OpenCondor[],
  at: {
    readonly calendar: TradingCalendar;
    readonly asOf: string;
    readonly spot: number;
    readonly atmIv: number;
    readonly sizing: SizingConfig;
  },
): OpenCondorRisk[] {
  return condors.map((c) => {
    const remainingYears = Math.max(0, tradingTimeToExpiry(at.calendar, at.asOf, c.expiry, 'PM'));
    const width = Math.max(c.shortPut - c.longPut, c.longCall - c.shortCall);
    const maxLossPerContract = cents(Math.max(0, Math.round((width * 100 - c.credit) * SPXW_MULTIPLIER)));
    const stressMovePoints = at.sizing.stressSigmas * expectedMovePoints(at.spot, at.atmIv, remainingYears);
    const stressSpx = Math.max(0, at.spot - stressMovePoints);
    const counts = remainingYears > 0 && c.quantity > 0;
    const stressLossPerContract = counts
      ? condorStressLossCents({ ...c, maxLossPerContract }, stressSpx)
      : cents(0);
    return {
      condor: c,
      remainingYears,
      remainingMinutes: Math.round(remainingYears * 252 * SESSION_MINUTES),
      stressMovePoints,
      stressSpx,
      maxLossPerContract,
      stressLossPerContract,
      stressLoss: cents(stressLossPerContract * c.quantity),
      counts,
    };
  });
}

/** The stress loss the open condors add to the requirement. */
export function openCondorsStressLoss(risks: readonly OpenCondorRisk[]): Cents {
  return cents(risks.reduce((s, r) => s + (r.counts ? r.stressLoss : 0), 0));
}

/**
 * The condors the journal's fills hold that expire on or after asOf: each filled condor order's
 * quantity at its average credit. (A condor is never closed before expiry: docs/strategy.md section 5.)
 */
export function openCondorsFromJournal(view: JournalView, asOf: IsoDate): OpenCondor[] {
  const out: OpenCondor[] = [];
  for (const o of view.orders) {
    if (o.orderKind !== 'condor-open' || o.intent.contract.kind !== 'combo') continue;
    const legs = o.intent.contract.legs;
    const leg = (right: 'P' | 'C', action: 'BUY' | 'SELL'): number | null =>
      legs.find((l) => l.contract.right === right && l.action === action)?.contract.strike ?? null;
    const [shortPut, longPut, shortCall, longCall] = [
      leg('P', 'SELL'),
      leg('P', 'BUY'),
      leg('C', 'SELL'),
      leg('C', 'BUY'),
    ];
    const expiry = legs[0]?.contract.expiry;
    if (shortPut === null || longPut === null || shortCall === null || longCall === null) continue;
    if (expiry === undefined || expiry < asOf) continue;
    const own = view.fills.filter((f) => f.orderRef === o.intent.orderRef);
    const quantity = filledFromFills(o.intent.contract, own);
    const net = netPriceFromFills(own, quantity);
    if (quantity <= 0 || net === null) continue;
    out.push({
      planId: o.intent.planId,
      expiry,
      shortPut,
      longPut,
      shortCall,
      longCall,
      quantity,
      credit: priceCents(Math.max(0, 0 - net)),
      openedOn: o.cycleDate,
    });
  }
  return out.sort((a, b) => (a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0));
}

/**
 * The SPXW iron condors the broker's positions show, expiring on or after asOf: per expiry, one
 * short and one long put below it, one short and one long call above, as many contracts as all
 * four hold; the credit per unit from IB's average costs (commissions included).
 */
export function openCondorsFromPositions(positions: readonly PositionReport[], asOf: IsoDate): OpenCondor[] {
  const byExpiry = new Map<IsoDate, { readonly p: PositionReport; readonly c: OptionContract }[]>();
  for (const p of positions) {
    if (p.quantity === 0 || p.contract.kind !== 'option') continue;
    const c = p.contract.contract;
    if (c.tradingClass !== 'SPXW' || c.expiry < asOf) continue;
    byExpiry.set(c.expiry, [...(byExpiry.get(c.expiry) ?? []), { p, c }]);
  }
  const out: OpenCondor[] = [];
  for (const [expiry, legs] of byExpiry) {
    const one = (right: 'P' | 'C', short: boolean) => {
      const found = legs.filter((l) => l.c.right === right && l.p.quantity < 0 === short);
      return found.length === 1 ? found[0] : undefined;
    };
    const [sp, lp, sc, lc] = [one('P', true), one('P', false), one('C', true), one('C', false)];
    if (sp === undefined || lp === undefined || sc === undefined || lc === undefined) continue;
    if (!(lp.c.strike < sp.c.strike && sp.c.strike < sc.c.strike && sc.c.strike < lc.c.strike)) continue;
    const quantity = Math.min(...[sp, lp, sc, lc].map((l) => Math.abs(l.p.quantity)));
    const creditPerContract = sp.p.avgCost + sc.p.avgCost - lp.p.avgCost - lc.p.avgCost;
    out.push({
      planId: `positions:${expiry}`,
      expiry,
      shortPut: sp.c.strike,
      longPut: lp.c.strike,
      shortCall: sc.c.strike,
      longCall: lc.c.strike,
      quantity,
      credit: priceCents(Math.max(0, Math.round(creditPerContract / SPXW_MULTIPLIER))),
      // Positions do not say when it was sold; asOf is the latest date it can have been.
      openedOn: asOf,
    });
  }
  return out.sort((a, b) => (a.expiry < b.expiry ? -1 : 1));
}
