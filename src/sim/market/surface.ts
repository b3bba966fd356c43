// Implied-vol surface and quote model shared by the simulator's market model and the fixture
// generator: SPX put skew, VIX call skew, realistic IB-tick bid/ask, SPXW/VIX chains, VX curve.
// Pure (no I/O, no clock, no randomness: noise comes in through `widthScale`).
// Time is trading time (sessions / 252), as everywhere in ironvix.
import type { IsoDate, OptionRight, TickVenue } from '../../domain/instruments.ts';
import { roundToTick, tickSizeCents } from '../../domain/instruments.ts';
import type { PriceCents } from '../../domain/money.ts';
import { priceCents } from '../../domain/money.ts';
import { black76, blackScholes } from '../../domain/pricing.ts';
import type { OptionQuote, VxFuture } from '../../domain/snapshot.ts';

/** IV bounds relative to ATM, so far strikes never get absurd vols. */
export const SPX_IV_MIN_RATIO = 0.5;
export const SPX_IV_MAX_RATIO = 3;

/**
 * Shape of the SPX smile in standardized log-moneyness z = ln(K/S) / (atmIv·sqrt(T)):
 * below spot IV/ATM = 1 + putSlope·|z|; above, 1 − putSlope·z + callCurve·z²/(1 + callDamp·z).
 * callCurve < callDamp² keeps call deltas monotone in strike (d1 never turns back).
 */
export interface SpxSkewShape {
  readonly putSlope: number;
  readonly callCurve: number;
  readonly callDamp: number;
}

/**
 * Default: put IV ≈ 1.2×ATM and call IV ≈ 0.89×ATM at 10 delta for any T (docs/ib-notes.md §5 1DTE model),
 * i.e. ~0.13 of ATM per standard deviation below spot and a mild smile far above.
 */
export const DEFAULT_SPX_SKEW: SpxSkewShape = { putSlope: 0.13, callCurve: 0.035, callDamp: 0.2 };

/** Smallest T used to standardize moneyness, so an expiring option keeps a finite smile. */
const MIN_TIME_YEARS = 1 / (252 * 390);

/** SPX implied vol at a strike: put skew below spot, mild smile above, within [0.5, 3]×ATM. */
export function spxIv(
  spot: number,
  strike: number,
  timeYears: number,
  atmIv: number,
  shape: SpxSkewShape = DEFAULT_SPX_SKEW,
): number {
  const z = Math.log(strike / spot) / (atmIv * Math.sqrt(Math.max(timeYears, MIN_TIME_YEARS)));
  const ratio =
    z <= 0
      ? 1 - shape.putSlope * z
      : 1 - shape.putSlope * z + (shape.callCurve * z * z) / (1 + shape.callDamp * z);
  return atmIv * clamp(ratio, SPX_IV_MIN_RATIO, SPX_IV_MAX_RATIO);
}

export const VIX_IV_MIN_RATIO = 0.5;
export const VIX_IV_MAX_RATIO = 2.5;

/**
 * VIX option implied vol: upside (call) skew, rising with strike. baseVol is the ATM vol of that expiry
 * (0.8–1.5 normally, higher for short expiries). Standardized x = ln(K/F) / (baseVol·sqrt(T)):
 * IV/base = 1 + 1.5·tanh(0.2x) above the future (saturates at 2.5×), 1 + 0.5·tanh(0.56x) below (floor 0.5×).
 */
export function vixOptionIv(future: number, strike: number, timeYears: number, baseVol: number): number {
  const x = Math.log(strike / future) / (baseVol * Math.sqrt(Math.max(timeYears, MIN_TIME_YEARS)));
  const ratio = x >= 0 ? 1 + 1.5 * Math.tanh(0.2 * x) : 1 + 0.5 * Math.tanh(0.56 * x);
  return baseVol * clamp(ratio, VIX_IV_MIN_RATIO, VIX_IV_MAX_RATIO);
}

/**
 * ATM vol of VIX options at an expiry from a VVIX-like level (points, ~90 normal): short expiries
 * carry more vol (VVIX term structure slopes down), within [0.6, 2.0].
 */
export function vixBaseVol(volOfVol: number, calendarDte: number): number {
  const dte = Math.max(calendarDte, 1);
  return clamp((volOfVol / 100) * Math.pow(30 / dte, 0.2), 0.6, 2.0);
}

// ---------------------------------------------------------------------------------------------
// Quotes.

export interface QuoteOptions {
  /** Option vega per 1.00 of vol: the width is at least a venue's vol-point uncertainty times vega. */
  readonly vega?: number;
  /** Multiplier on the model width (seeded noise, stress widening); default 1. */
  readonly widthScale?: number;
  /** Explicit full width in price units (points), replacing the model's width. */
  readonly width?: number;
}

export interface ModelQuote {
  readonly bid: PriceCents;
  readonly ask: PriceCents;
}

/** Below this theo (points) an option is quoted 0.00 bid. */
const SPXW_ZERO_BID_BELOW = 0.03;
const VIX_ZERO_BID_BELOW = 0.02;
/** Vol points of market-maker uncertainty across the whole width, per venue (decimal vol). */
const SPXW_WIDTH_VOL = 0.002;
const VIX_WIDTH_VOL = 0.02;

/**
 * Full bid/ask width in points for an option theo (before tick rounding): SPXW 0.05 under 1.00,
 * 0.10 to 3.00, then ~1.5% of price; VIX 0.01–0.05 under 3.00, 0.05–0.15 above.
 */
export function modelWidth(theo: number, venue: TickVenue, vega = 0): number {
  const p = Math.max(theo, 0);
  switch (venue) {
    case 'SPXW':
    case 'SPX-COMBO':
      return Math.max(p < 1 ? 0.05 : p < 3 ? 0.1 : Math.min(0.015 * p, 5), SPXW_WIDTH_VOL * vega);
    case 'VIX':
    case 'VIXW':
    case 'VIX-COMBO':
      return Math.max(
        p < 3 ? Math.min(0.01 + 0.014 * p, 0.05) : Math.min(0.05 + 0.02 * (p - 3), 0.15),
        VIX_WIDTH_VOL * vega,
      );
    case 'VX':
      return 0.05;
  }
}

/**
 * A realistic bid/ask around a model price (points, e.g. 3.45) on the venue's IB tick grid:
 * bid ≤ theo ≤ ask, ask > bid (never crossed, at least one tick wide), bid ≥ 0; a far
 * out-of-the-money option reads 0.00 × 0.05.
 */
export function quoteFromModel(theo: number, venue: TickVenue, opts: QuoteOptions = {}): ModelQuote {
  const theoCents = Math.max(theo, 0) * 100;
  const zeroBidBelow = venue === 'SPXW' || venue === 'SPX-COMBO' ? SPXW_ZERO_BID_BELOW : VIX_ZERO_BID_BELOW;
  if (venue !== 'VX' && theoCents < zeroBidBelow * 100) {
    return { bid: priceCents(0), ask: priceCents(Math.max(5, tickSizeCents(venue, 0))) };
  }
  const widthPoints = opts.width ?? modelWidth(theo, venue, opts.vega ?? 0) * (opts.widthScale ?? 1);
  const widthCents = Math.max(widthPoints * 100, tickSizeCents(venue, theoCents));
  let bid: number = roundToTick(venue, Math.max(theoCents - widthCents / 2, 0), 'nearest');
  if (bid > theoCents) bid = roundToTick(venue, theoCents, 'down');
  let ask: number = roundToTick(venue, Math.max(bid + widthCents, theoCents), 'up');
  if (ask <= bid) ask = roundToTick(venue, bid + tickSizeCents(venue, bid), 'up');
  return { bid: priceCents(bid), ask: priceCents(ask) };
}

// ---------------------------------------------------------------------------------------------
// Strike grids.

/** SPXW strikes: every 5 points within ±15% of spot, every 25 points out to ±30%. */
export function spxwStrikes(spot: number): number[] {
  const out: number[] = [];
  const lo = Math.ceil((spot * 0.7) / 25) * 25;
  const hi = Math.floor((spot * 1.3) / 25) * 25;
  const innerLo = spot * 0.85;
  const innerHi = spot * 1.15;
  for (let k = lo; k <= hi; k += 5) {
    if ((k >= innerLo && k <= innerHi) || k % 25 === 0) out.push(k);
  }
  return out;
}

/** VIX option strikes: 0.50 apart up to 15, then 1 apart to 50 (Cboe listing intervals). */
export function vixStrikes(lowest = 9): number[] {
  const out: number[] = [];
  for (let k = lowest; k < 15; k += 0.5) out.push(k);
  for (let k = 15; k <= 50; k += 1) out.push(k);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Chains.

/** Seconds of quote age and width noise per quote; the caller supplies it (seeded). */
export type QuoteNoise = (
  strike: number,
  right: OptionRight,
) => { readonly widthScale: number; readonly ageSeconds: number };

const NO_NOISE: QuoteNoise = () => ({ widthScale: 1, ageSeconds: 0 });

/** One chain row: the model price to a bid/ask on the venue's ticks, widened and aged by the noise. */
function chainQuote(
  strike: number,
  right: OptionRight,
  iv: number,
  g: { readonly price: number; readonly vega: number; readonly delta: number },
  venue: TickVenue,
  noise: QuoteNoise,
): OptionQuote {
  const n = noise(strike, right);
  const q = quoteFromModel(g.price, venue, { vega: g.vega, widthScale: n.widthScale });
  return {
    strike,
    right,
    bid: q.bid,
    ask: q.ask,
    iv: round(iv, 4),
    delta: round(g.delta, 4),
    ageSeconds: n.ageSeconds,
  };
}

export interface SpxwChainInput {
  readonly spot: number;
  readonly atmIv: number;
  readonly timeYears: number;
  readonly rate: number;
  readonly dividendYield: number;
  readonly strikes?: readonly number[];
  readonly shape?: SpxSkewShape;
  readonly noise?: QuoteNoise;
}

/** SPXW quotes (puts and calls for every strike, ascending strike, puts first) with model iv and delta. */
export function buildSpxwChain(i: SpxwChainInput): OptionQuote[] {
  const noise = i.noise ?? NO_NOISE;
  const out: OptionQuote[] = [];
  for (const strike of i.strikes ?? spxwStrikes(i.spot)) {
    const iv = spxIv(i.spot, strike, i.timeYears, i.atmIv, i.shape ?? DEFAULT_SPX_SKEW);
    for (const right of ['P', 'C'] as const) {
      const g = blackScholes({
        spot: i.spot,
        strike,
        timeYears: i.timeYears,
        rate: i.rate,
        dividendYield: i.dividendYield,
        vol: iv,
        right,
      });
      out.push(chainQuote(strike, right, iv, g, 'SPXW', noise));
    }
  }
  return out;
}

export interface VixChainInput {
  readonly future: number;
  readonly timeYears: number;
  readonly baseVol: number;
  readonly rate: number;
  readonly venue: 'VIX' | 'VIXW';
  readonly strikes?: readonly number[];
  /** Default calls only: the hedge buys calls and call spreads. */
  readonly rights?: readonly OptionRight[];
  readonly noise?: QuoteNoise;
}

/** VIX option quotes priced with Black-76 off the future of their own expiry, ascending strike. */
export function buildVixChain(i: VixChainInput): OptionQuote[] {
  const noise = i.noise ?? NO_NOISE;
  const out: OptionQuote[] = [];
  for (const strike of i.strikes ?? vixStrikes()) {
    const iv = vixOptionIv(i.future, strike, i.timeYears, i.baseVol);
    for (const right of i.rights ?? (['C'] as const)) {
      const g = black76({ forward: i.future, strike, timeYears: i.timeYears, rate: i.rate, vol: iv, right });
      out.push(chainQuote(strike, right, iv, g, i.venue, noise));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// VX futures curve.

/** Calendar days over which the curve's pull toward its long-run level decays by e. */
const VX_DECAY_DAYS = 60;
/** VIX3M's horizon in calendar days. */
const VIX3M_DAYS = 93;

/**
 * Model VX future at a calendar DTE: F(d) = θ + (VIX − θ)·e^(−d/60), with θ set so that the 93-day
 * future sits beyond VIX3M by half the VIX3M−VIX gap (VIX3M averages the curve over 0–93 days).
 * Contango when VIX3M > VIX, backwardation when below. Without VIX3M, θ = 19 (long-run VIX mean).
 */
export function vxFuturePrice(vixSpot: number, vix3m: number | null, calendarDte: number): number {
  const decay93 = Math.exp(-VIX3M_DAYS / VX_DECAY_DAYS);
  const theta = vix3m === null ? 19 : (vix3m + 0.5 * (vix3m - vixSpot) - vixSpot * decay93) / (1 - decay93);
  const f = theta + (vixSpot - theta) * Math.exp(-Math.max(calendarDte, 0) / VX_DECAY_DAYS);
  return Math.max(f, 1);
}

export interface ExpiryWithDte {
  readonly expiry: IsoDate;
  /** Calendar days from the snapshot date to the expiry. */
  readonly dte: number;
}

/** The VX futures curve at the given expiries, each on the 0.05 tick. */
export function vxCurve(
  vixSpot: number,
  vix3m: number | null,
  expiriesWithDte: readonly ExpiryWithDte[],
): VxFuture[] {
  return expiriesWithDte.map((e) => ({
    expiry: e.expiry,
    price: roundToTick('VX', vxFuturePrice(vixSpot, vix3m, e.dte) * 100, 'nearest') / 100,
  }));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
