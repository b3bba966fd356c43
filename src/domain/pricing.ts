// Black-Scholes (SPXW, with dividend yield) and Black-76 (VIX options on the VX future).
// Time is in years of trading time (sessions / 252), see calendar.ts.
import type { OptionRight } from './instruments.ts';

export interface Greeks {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  /** Per 1.00 of vol (divide by 100 for per vol point). */
  readonly vega: number;
  /** Per year; divide by 252 for one session. */
  readonly theta: number;
  readonly d1: number;
  readonly d2: number;
}

export interface BsInput {
  readonly spot: number;
  readonly strike: number;
  readonly timeYears: number;
  readonly rate: number;
  readonly dividendYield: number;
  readonly vol: number;
  readonly right: OptionRight;
}

export interface B76Input {
  readonly forward: number;
  readonly strike: number;
  readonly timeYears: number;
  readonly rate: number;
  readonly vol: number;
  readonly right: OptionRight;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal CDF via erfc (series + continued fraction, ~1e-15 absolute). */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  // Power series near 0, Lentz continued fraction beyond: both accurate to ~1e-15.
  const z = Math.abs(x);
  const r = z < 0.5 ? 1 - erfSeries(z) : erfcContinuedFraction(z);
  return x >= 0 ? r : 2 - r;
}

function erfSeries(x: number): number {
  // erf(x) = 2/sqrt(pi) * sum_{n} (-1)^n x^(2n+1) / (n! (2n+1))
  let sum = x;
  let term = x;
  const x2 = x * x;
  for (let n = 1; n < 60; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

function erfcContinuedFraction(x: number): number {
  // Lentz's method on erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

function intrinsic(underlying: number, strike: number, right: OptionRight): number {
  return right === 'C' ? Math.max(0, underlying - strike) : Math.max(0, strike - underlying);
}

/** Greeks at expiry or zero vol: the intrinsic value times the discount df, delta a step of size df. */
function noTimeValue(underlying: number, strike: number, right: OptionRight, df: number): Greeks {
  const itm = right === 'C' ? underlying > strike : underlying < strike;
  return {
    price: df * intrinsic(underlying, strike, right),
    delta: itm ? (right === 'C' ? df : -df) : 0,
    gamma: 0,
    vega: 0,
    theta: 0,
    d1: NaN,
    d2: NaN,
  };
}

export function blackScholes(i: BsInput): Greeks {
  const { spot: S, strike: K, timeYears: T, rate: r, dividendYield: q, vol: v, right } = i;
  if (T <= 0 || v <= 0) return noTimeValue(S, K, right, 1);
  const sqrtT = Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r - q + 0.5 * v * v) * T) / (v * sqrtT);
  const d2 = d1 - v * sqrtT;
  const dfR = Math.exp(-r * T);
  const dfQ = Math.exp(-q * T);
  const pdf = normPdf(d1);
  const gamma = (dfQ * pdf) / (S * v * sqrtT);
  const vega = S * dfQ * pdf * sqrtT;
  if (right === 'C') {
    const price = S * dfQ * normCdf(d1) - K * dfR * normCdf(d2);
    const theta = (-S * dfQ * pdf * v) / (2 * sqrtT) - r * K * dfR * normCdf(d2) + q * S * dfQ * normCdf(d1);
    return { price, delta: dfQ * normCdf(d1), gamma, vega, theta, d1, d2 };
  }
  const price = K * dfR * normCdf(-d2) - S * dfQ * normCdf(-d1);
  const theta = (-S * dfQ * pdf * v) / (2 * sqrtT) + r * K * dfR * normCdf(-d2) - q * S * dfQ * normCdf(-d1);
  return { price, delta: -dfQ * normCdf(-d1), gamma, vega, theta, d1, d2 };
}

export function black76(i: B76Input): Greeks {
  const { forward: F, strike: K, timeYears: T, rate: r, vol: v, right } = i;
  const df = Math.exp(-r * Math.max(T, 0));
  if (T <= 0 || v <= 0) return noTimeValue(F, K, right, df);
  const sqrtT = Math.sqrt(T);
  const d1 = (Math.log(F / K) + 0.5 * v * v * T) / (v * sqrtT);
  const d2 = d1 - v * sqrtT;
  const pdf = normPdf(d1);
  const gamma = (df * pdf) / (F * v * sqrtT);
  const vega = F * df * pdf * sqrtT;
  if (right === 'C') {
    const price = df * (F * normCdf(d1) - K * normCdf(d2));
    const theta = (-F * df * pdf * v) / (2 * sqrtT) + r * price;
    return { price, delta: df * normCdf(d1), gamma, vega, theta, d1, d2 };
  }
  const price = df * (K * normCdf(-d2) - F * normCdf(-d1));
  const theta = (-F * df * pdf * v) / (2 * sqrtT) + r * price;
  return { price, delta: -df * normCdf(-d1), gamma, vega, theta, d1, d2 };
}

export type PriceModel = (vol: number) => Greeks;

/**
 * Implied vol by safeguarded Newton (falls back to bisection) on [1e-4, 10].
 * Returns null when the price is outside the no-arbitrage band.
 */
export function impliedVol(model: PriceModel, targetPrice: number, tolerance = 1e-10): number | null {
  let lo = 1e-4;
  let hi = 10;
  const pLo = model(lo).price;
  const pHi = model(hi).price;
  if (!(targetPrice >= pLo - tolerance) || !(targetPrice <= pHi + tolerance)) return null;
  let v = 0.3;
  for (let i = 0; i < 100; i++) {
    const g = model(v);
    const diff = g.price - targetPrice;
    if (Math.abs(diff) < tolerance) return v;
    if (diff > 0) hi = v;
    else lo = v;
    const step = g.vega > 1e-12 ? diff / g.vega : Infinity;
    let next = v - step;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - v) < 1e-14) return next;
    v = next;
  }
  return v;
}

export function bsImpliedVol(price: number, i: Omit<BsInput, 'vol'>): number | null {
  return impliedVol((vol) => blackScholes({ ...i, vol }), price);
}

export function b76ImpliedVol(price: number, i: Omit<B76Input, 'vol'>): number | null {
  return impliedVol((vol) => black76({ ...i, vol }), price);
}
