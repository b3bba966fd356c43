// Limit ladders: start at mid on tick, walk in evenly spaced tick-rounded steps to the floor
// (condor: the minimum credit; hedge buy: the maximum debit; hedge sell: the minimum credit).
import { DateTime } from 'luxon';
import type { TickVenue } from '../instruments.ts';
import { roundToTick, tickSizeCents } from '../instruments.ts';
import type { PriceCents } from '../money.ts';
import { priceCents } from '../money.ts';
import type { LadderRule } from '../strategy.ts';
import type { LimitLadder } from './types.ts';

export interface LadderBounds {
  readonly start: PriceCents;
  readonly floor: PriceCents;
}

/** `steps` prices from start to floor inclusive, evenly spaced, rounded to the venue's tick, deduplicated. */
export function ladderPrices(
  start: PriceCents,
  floor: PriceCents,
  steps: number,
  venue: TickVenue,
): PriceCents[] {
  if (start === floor) return [start];
  const n = Math.max(2, Math.floor(steps));
  const lo = Math.min(start, floor);
  const hi = Math.max(start, floor);
  const out: PriceCents[] = [start];
  for (let k = 1; k < n - 1; k++) {
    const raw = start + ((floor - start) * k) / (n - 1);
    const p = Math.min(hi, Math.max(lo, roundToTick(venue, raw, 'nearest')));
    const last = out[out.length - 1] ?? start;
    // Keep the walk strictly monotone toward the floor.
    if ((floor > start && p > last && p < floor) || (floor < start && p < last && p > floor))
      out.push(priceCents(p));
  }
  out.push(floor);
  return out;
}

/** asOf plus minutes, ISO with asOf's own offset. */
export function deadlineAfter(asOf: string, minutes: number): string {
  const dt = DateTime.fromISO(asOf, { setZone: true });
  if (!dt.isValid) throw new Error(`invalid asOf ${JSON.stringify(asOf)}`);
  const iso = dt.plus({ minutes }).toISO({ suppressMilliseconds: true });
  if (iso === null) throw new Error(`cannot format deadline from ${asOf}`);
  return iso;
}

export function makeLadder(
  side: 'debit' | 'credit',
  bounds: LadderBounds,
  venue: TickVenue,
  rule: LadderRule,
  asOf: string,
): LimitLadder {
  return {
    side,
    prices: ladderPrices(bounds.start, bounds.floor, rule.steps, venue),
    floor: bounds.floor,
    intervalSeconds: rule.intervalSeconds,
    deadline: deadlineAfter(asOf, rule.deadlineMinutes),
  };
}

function atLeastOneTick(venue: TickVenue, p: PriceCents): PriceCents {
  const tick = tickSizeCents(venue, 0);
  return p < tick ? tick : p;
}

/** Condor: start at the mid credit (already rounded down on tick), floor at the minimum credit rounded up. */
export function condorBounds(midCredit: PriceCents, minCreditCents: number): LadderBounds {
  const floor = atLeastOneTick('SPX-COMBO', roundToTick('SPX-COMBO', minCreditCents, 'up'));
  return { start: midCredit, floor: priceCents(Math.min(floor, midCredit)) };
}

/** Buying a hedge: start at mid, floor at max debit = mid + share x (natural - mid), rounded down on tick. */
export function debitBounds(
  midCents: number,
  naturalCents: number,
  share: number,
  venue: TickVenue,
): LadderBounds {
  const start = atLeastOneTick(venue, roundToTick(venue, midCents, 'nearest'));
  const maxDebit = midCents + share * Math.max(0, naturalCents - midCents);
  const floor = roundToTick(venue, maxDebit, 'down');
  return { start, floor: priceCents(Math.max(start, floor)) };
}

/** Selling a hedge: start at mid, floor at mid - share x (mid - natural), rounded up on tick. */
export function sellBounds(
  midCents: number,
  naturalCents: number,
  share: number,
  venue: TickVenue,
): LadderBounds {
  const start = atLeastOneTick(venue, roundToTick(venue, midCents, 'nearest'));
  const minCredit = midCents - share * Math.max(0, midCents - naturalCents);
  const floor = atLeastOneTick(venue, roundToTick(venue, minCredit, 'up'));
  return { start, floor: priceCents(Math.min(start, floor)) };
}
