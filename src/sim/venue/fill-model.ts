// How the simulated venue fills: a working limit fills when it reaches a price drawn between the mid
// and the natural side; combos are priced as the signed sum of their legs; the net fill price is then
// split back onto the legs; fees follow IB's per-contract schedule.
import type { TickVenue } from '../../domain/instruments.ts';
import { roundToTick } from '../../domain/instruments.ts';
import type { SimContract } from '../engine-api.ts';

export interface LegMarket {
  /** +1 for a BUY leg, -1 for a SELL leg (as the legs are written; a SELL order reverses them). */
  readonly sign: 1 | -1;
  readonly ratio: number;
  /** Price cents. */
  readonly bid: number;
  readonly ask: number;
}

export interface ComboMarket {
  /** What one unit costs at the natural side for this action (BUY pays the asks of BUY legs...). */
  readonly natural: number;
  readonly mid: number;
}

/**
 * The market of one unit of an order in price cents, as the order's action sees it: for BUY the
 * natural is what you pay crossing every leg; for SELL it is what you receive. A credit shows as a
 * negative BUY price (IB's BAG sign convention).
 */
export function comboMarket(legs: readonly LegMarket[], action: 'BUY' | 'SELL'): ComboMarket {
  let natural = 0;
  let mid = 0;
  for (const l of legs) {
    const m = (l.bid + l.ask) / 2;
    mid += l.sign * l.ratio * m;
    if (action === 'BUY') natural += l.sign * l.ratio * (l.sign > 0 ? l.ask : l.bid);
    else natural += l.sign * l.ratio * (l.sign > 0 ? l.bid : l.ask);
  }
  return { natural, mid };
}

/**
 * The price cents a limit order trades at this step, or null. The market reaches a price drawn between
 * mid and natural (u in [0,1): 0 = mid, 1 = natural), on the tick grid away from the order's favour;
 * a limit at or through it fills at the limit, or at the natural when the limit is through the
 * natural (a marketable order gets the market). A market order (limit null) fills at the natural.
 */
export function fillPrice(
  action: 'BUY' | 'SELL',
  limitCents: number | null,
  m: ComboMarket,
  u: number,
  venue: TickVenue,
): number | null {
  // roundToTick works on magnitudes: for negative (credit) prices "up" must mean toward +infinity.
  const toward = (x: number, dir: 'up' | 'down'): number => {
    if (x >= 0) return roundToTick(venue, x, dir);
    const magnitude: number = roundToTick(venue, -x, dir === 'up' ? 'down' : 'up');
    return -magnitude;
  };
  const raw = m.mid + u * (m.natural - m.mid);
  if (action === 'BUY') {
    const natural = toward(m.natural, 'up');
    if (limitCents === null) return natural;
    return limitCents >= toward(raw, 'up') ? Math.min(limitCents, natural) : null;
  }
  const natural = toward(m.natural, 'down');
  if (limitCents === null) return natural;
  return limitCents <= toward(raw, 'down') ? Math.max(limitCents, natural) : null;
}

/**
 * Splits a net price (cents, the BAG's price as written: BUY legs add, SELL legs subtract) onto legs in
 * whole cents. Every leg sits the same share of the way from its mid to its natural side for the
 * order's action, so legs stay inside their own quotes; rounding remainders go to a leg that can take
 * them without going negative.
 */
export function allocateLegPrices(
  netCents: number,
  legs: readonly LegMarket[],
  action: 'BUY' | 'SELL',
): number[] {
  const m = comboMarket(legs, action);
  const span = m.natural - m.mid;
  const w = Math.abs(span) < 1e-9 ? 0 : (netCents - m.mid) / span;
  const prices = legs.map((l) => {
    const mid = (l.bid + l.ask) / 2;
    const side = l.sign > 0 === (action === 'BUY') ? l.ask : l.bid;
    return Math.max(0, Math.round(mid + w * (side - mid)));
  });
  for (let pass = 0; pass < 4; pass++) {
    let sum = 0;
    legs.forEach((l, i) => {
      sum += l.sign * l.ratio * prices[i]!;
    });
    const rest = netCents - sum;
    if (rest === 0) break;
    let best = -1;
    for (let i = 0; i < legs.length; i++) {
      const l = legs[i]!;
      if (l.ratio !== 1 || prices[i]! + l.sign * rest < 0) continue;
      if (best < 0 || prices[i]! > prices[best]!) best = i;
    }
    if (best < 0) break;
    prices[best] = prices[best]! + legs[best]!.sign * rest;
  }
  return prices;
}

/** Contracts that may fill this step: all when the displayed size covers it, else a seeded slice. */
export function fillQuantity(remaining: number, displayed: number, draw: number): number {
  if (remaining <= displayed) return remaining;
  return Math.max(1, Math.min(remaining, Math.floor(1 + draw * displayed)));
}

export interface FeeSchedule {
  /** IB commission per option contract (tiered starts at $0.65). */
  readonly perContract: number;
}

/** Exchange fee per contract by product (Cboe proprietary index options are dearer than VIX). */
export function exchangeFeePerContract(c: SimContract): number {
  if (c.secType === 'FUT') return 1.04;
  if (c.tradingClass === 'SPXW' || c.tradingClass === 'SPX') return 0.6;
  return 0.4;
}

/** Regulatory and clearing fees per option contract (ORF, OCC). */
const REG_AND_CLEARING_PER_CONTRACT = 0.045;
/** IB's futures commission per contract. */
const FUTURE_COMMISSION = 0.85;

/** Commission and fees in dollars (rounded to cents) for one execution of `contracts` of c. */
export function commissionFor(c: SimContract, contracts: number, fees: FeeSchedule): number {
  const base = c.secType === 'FUT' ? FUTURE_COMMISSION : fees.perContract;
  const perContract =
    base + exchangeFeePerContract(c) + (c.secType === 'OPT' ? REG_AND_CLEARING_PER_CONTRACT : 0);
  return Math.round(perContract * Math.abs(contracts) * 100) / 100;
}
