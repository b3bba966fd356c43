// The simulated margin model: positions grouped by underlying and expiry are charged their worst loss
// from today's marks to expiry (a debit position: its premium; a credit spread or condor: max loss
// minus the credit), naked shorts over a bounded move, VX futures a flat amount per contract.
import type { SimContract } from '../engine-api.ts';

export interface MarginLine {
  readonly contract: SimContract;
  /** Signed contracts (negative = short). */
  readonly position: number;
  /** Current price per unit (option premium, future price). */
  readonly mark: number;
}

/** Flat initial margin per VX future (CFE's is several thousand dollars). */
export const VX_MARGIN_PER_CONTRACT = 8000;
/** Naked short index options are charged the loss of a move this large (Cboe's 15% rule for SPX). */
const SPX_NAKED_MOVE = 0.15;
/** VIX can triple in a crisis: naked VIX calls are charged up to 3x the underlying. */
const VIX_NAKED_MULTIPLE = 3;

/** Expiry value per unit of one option at an underlying level. */
export function intrinsicValue(right: 'C' | 'P', strike: number, underlying: number): number {
  return right === 'C' ? Math.max(0, underlying - strike) : Math.max(0, strike - underlying);
}

export interface PayoffLeg {
  readonly right: 'C' | 'P';
  readonly strike: number;
  /** Signed units (contracts x ratio), multiplier included by the caller. */
  readonly units: number;
}

/** Payoff at expiry of option legs at an underlying level (per the units given). */
export function payoffAt(legs: readonly PayoffLeg[], s: number): number {
  let v = 0;
  for (const l of legs) v += l.units * intrinsicValue(l.right, l.strike, s);
  return v;
}

/**
 * Lowest and highest payoff at expiry over underlying levels in [0, maxUnderlying], and whether the
 * payoff keeps falling/rising beyond that (unbounded).
 */
export function payoffRange(
  legs: readonly PayoffLeg[],
  maxUnderlying: number,
): { min: number; max: number; unboundedBelow: boolean; unboundedAbove: boolean } {
  const points = new Set<number>([0, maxUnderlying]);
  for (const l of legs) if (l.strike <= maxUnderlying) points.add(l.strike);
  let min = Infinity;
  let max = -Infinity;
  for (const s of points) {
    const v = payoffAt(legs, s);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Slope beyond every strike: only calls contribute.
  let slope = 0;
  for (const l of legs) if (l.right === 'C') slope += l.units;
  return { min, max, unboundedBelow: slope < 0, unboundedAbove: slope > 0 };
}

function groupKey(c: SimContract): string | null {
  if (c.secType !== 'OPT' || c.expiry === null) return null;
  return `${c.symbol}|${c.expiry}`;
}

/**
 * Requirement in dollars of a portfolio: per (underlying, expiry) group of options the loss from the
 * group's current value to its worst expiry value; VX futures a flat amount each.
 * `underlying(c)` gives the level options of c's group are priced off (SPX spot, the VX future).
 */
export function portfolioRequirement(
  lines: readonly MarginLine[],
  underlying: (c: SimContract) => number,
): number {
  const groups = new Map<string, MarginLine[]>();
  let total = 0;
  for (const l of lines) {
    if (l.position === 0) continue;
    if (l.contract.secType === 'FUT') {
      total += Math.abs(l.position) * VX_MARGIN_PER_CONTRACT;
      continue;
    }
    const k = groupKey(l.contract);
    if (k === null) continue;
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [l]);
    else g.push(l);
  }
  for (const g of groups.values()) total += groupRequirement(g, underlying(g[0]!.contract));
  return total;
}

/** Worst loss from here to expiry of one (underlying, expiry) group, in dollars. */
export function groupRequirement(lines: readonly MarginLine[], underlyingLevel: number): number {
  const legs: PayoffLeg[] = [];
  let valueNow = 0;
  let maxStrike = 0;
  for (const l of lines) {
    const c = l.contract;
    if (c.strike === null || c.right === null) continue;
    const mult = c.multiplier ?? 100;
    legs.push({ right: c.right, strike: c.strike, units: l.position * mult });
    valueNow += l.position * mult * l.mark;
    maxStrike = Math.max(maxStrike, c.strike);
  }
  if (legs.length === 0) return 0;
  const isVix = lines[0]!.contract.symbol === 'VIX';
  const ceiling = isVix
    ? Math.max(maxStrike, underlyingLevel * VIX_NAKED_MULTIPLE)
    : Math.max(maxStrike, underlyingLevel * (1 + SPX_NAKED_MOVE));
  const r = payoffRange(legs, ceiling);
  return Math.max(0, valueNow - r.min);
}
