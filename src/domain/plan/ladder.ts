// Limit ladders (docs/strategy.md section 4): each order walks its limit in ticks from the mid
// toward the natural price of the moment, never past it and never past its floor. One rule, used
// by the planner (at the snapshot's quote) and by the executor (at each step's fresh quote).
import { DateTime } from 'luxon';
import type { Action, TickVenue } from '../instruments.ts';
import { roundToTick, tickSizeCents } from '../instruments.ts';
import type { PriceCents } from '../money.ts';
import { priceCents } from '../money.ts';
import type { LadderRule } from '../strategy.ts';
import type { LimitLadder } from './types.ts';

export type LadderSide = 'debit' | 'credit';

export interface LadderStepArgs {
  /** debit: we pay (prices rise step by step); credit: we receive (prices fall). */
  readonly side: LadderSide;
  /** 0-based step; clamped to [0, steps - 1]. */
  readonly step: number;
  /** Number of steps of the whole ladder (>= 1). */
  readonly steps: number;
  /** Mid price of the moment in price cents, positive magnitude, may be fractional. */
  readonly mid: number;
  /** Natural price of the moment (credit: what the bids pay; debit: what the asks cost), price cents. */
  readonly natural: number;
  /** The worst price any step may take: the least credit accepted, or the most debit paid. */
  readonly floor: PriceCents;
  readonly venue: TickVenue;
}

/**
 * The limit price of one ladder step, a positive magnitude on the venue's tick. Step 0 is the mid on
 * tick (rounded toward the natural price); later steps walk evenly toward the natural price, never
 * past it and never past the floor: when the natural price is worse than the floor, the last step is
 * the floor. Prices are monotone in the step (weakly: a one-tick spread repeats a price).
 */
export function ladderStepPrice(a: LadderStepArgs): PriceCents {
  const credit = a.side === 'credit';
  // A limit beyond the natural price gives nothing a limit at it would not: round toward the mid.
  const naturalOnTick = roundToTick(a.venue, a.natural, credit ? 'up' : 'down');
  const end = credit ? Math.max(naturalOnTick, a.floor) : Math.min(naturalOnTick, a.floor);
  const midOnTick = roundToTick(a.venue, a.mid, credit ? 'down' : 'up');
  // A mid already past the end (beyond the floor, or a crossed quote) starts at the end.
  const start = credit ? Math.max(midOnTick, end) : Math.min(midOnTick, end);
  const steps = Math.max(1, Math.floor(a.steps));
  const k = Math.min(Math.max(0, Math.floor(a.step)), steps - 1);
  let price: number;
  if (k === 0) price = start;
  else if (k === steps - 1) price = end;
  else {
    const raw = start + ((end - start) * k) / (steps - 1);
    const rounded = roundToTick(a.venue, raw, 'nearest');
    price = Math.min(Math.max(start, end), Math.max(Math.min(start, end), rounded));
  }
  // IB refuses a zero limit: no step is below one tick.
  return priceCents(Math.max(tickSizeCents(a.venue, 0), price));
}

/** asOf plus minutes, ISO with asOf's own offset. */
export function deadlineAfter(asOf: string, minutes: number): string {
  const dt = DateTime.fromISO(asOf, { setZone: true });
  if (!dt.isValid) throw new Error(`invalid asOf ${JSON.stringify(asOf)}`);
  const iso = dt.plus({ minutes }).toISO({ suppressMilliseconds: true });
  if (iso === null) throw new Error(`cannot format deadline from ${asOf}`);
  return iso;
}

export interface PlannedLadderArgs {
  readonly side: LadderSide;
  readonly venue: TickVenue;
  /** Mid and natural of the snapshot's quote, price cents (may be fractional). */
  readonly mid: number;
  readonly natural: number;
  /** The strategy's floor: the condor's minimum credit, a hedge order's maximum debit or minimum credit. */
  readonly strategyFloor: PriceCents;
  readonly rule: LadderRule;
  readonly asOf: string;
}

/**
 * The ladder as planned at the snapshot's quote: ladderStepPrice for every step. Its floor is the
 * strategy's floor tightened to the planned last step, because the caps are sized at that step:
 * whatever the quote does while the executor walks, no fill can breach them.
 */
export function plannedLadder(a: PlannedLadderArgs): LimitLadder {
  const steps = Math.max(1, Math.floor(a.rule.steps));
  const at = (step: number, floor: PriceCents): PriceCents =>
    ladderStepPrice({ side: a.side, step, steps, mid: a.mid, natural: a.natural, floor, venue: a.venue });
  const floor = at(steps - 1, a.strategyFloor);
  return {
    side: a.side,
    venue: a.venue,
    steps,
    prices: Array.from({ length: steps }, (_, k) => at(k, floor)),
    floor,
    intervalSeconds: a.rule.intervalSeconds,
    deadline: deadlineAfter(a.asOf, a.rule.deadlineMinutes),
  };
}

/** The ladder's last planned step: the worst price the order may fill at. */
export function lastStep(l: LimitLadder): PriceCents {
  return l.prices[l.prices.length - 1] ?? l.floor;
}

function atLeastOneTick(venue: TickVenue, p: number): PriceCents {
  const tick = tickSizeCents(venue, 0);
  return priceCents(p < tick ? tick : p);
}

/** Condor: the least credit accepted is the minimum credit, rounded up on the tick (at least one tick). */
export function condorFloor(minCreditCents: number): PriceCents {
  return atLeastOneTick('SPX-COMBO', roundToTick('SPX-COMBO', minCreditCents, 'up'));
}

/** Buying a hedge: the most paid is mid + share x (natural - mid), rounded down on tick. */
export function maxDebitFloor(
  midCents: number,
  naturalCents: number,
  share: number,
  venue: TickVenue,
): PriceCents {
  const maxDebit = midCents + share * Math.max(0, naturalCents - midCents);
  return atLeastOneTick(venue, roundToTick(venue, maxDebit, 'down'));
}

/** Selling a hedge: the least accepted is mid - share x (mid - natural), rounded up on tick. */
export function minCreditFloor(
  midCents: number,
  naturalCents: number,
  share: number,
  venue: TickVenue,
): PriceCents {
  const minCredit = midCents - share * Math.max(0, midCents - naturalCents);
  return atLeastOneTick(venue, roundToTick(venue, minCredit, 'up'));
}

export interface LegQuote {
  /** The leg's action as the order states it (a combo leg, or the single option). */
  readonly action: Action;
  readonly ratio: number;
  /** Price cents. */
  readonly bid: number;
  readonly ask: number;
}

/**
 * Mid and natural of an order at a quote, positive magnitudes in price cents, as the ladder reads
 * them. The order's action flips its legs (SELL on a combo trades every leg the other way); a debit
 * pays the asks of the legs it buys and receives the bids of those it sells, a credit the reverse.
 */
export function orderMidNatural(
  orderAction: Action,
  side: LadderSide,
  legs: readonly LegQuote[],
): { readonly mid: number; readonly natural: number } {
  let paidMid = 0;
  let paidNatural = 0;
  for (const leg of legs) {
    const buys = (leg.action === 'BUY') === (orderAction === 'BUY');
    const mid = ((leg.bid + leg.ask) / 2) * leg.ratio;
    paidMid += buys ? mid : -mid;
    paidNatural += buys ? leg.ask * leg.ratio : -leg.bid * leg.ratio;
  }
  return side === 'debit' ? { mid: paidMid, natural: paidNatural } : { mid: -paidMid, natural: -paidNatural };
}
