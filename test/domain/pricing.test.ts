import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { b76ImpliedVol, black76, blackScholes, bsImpliedVol, normCdf } from '../../src/domain/pricing.ts';

const close = (actual: number, expected: number, tol: number, what: string): void => {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);
};

// Reference values: docs/ib-notes.md §5 (Hull Ex. 15.6, vollib, j_vollib tests).
test('Black-Scholes matches Hull example 15.6', () => {
  const base = { spot: 42, strike: 40, rate: 0.1, dividendYield: 0, vol: 0.2, timeYears: 0.5 } as const;
  const c = blackScholes({ ...base, right: 'C' });
  const p = blackScholes({ ...base, right: 'P' });
  close(c.d1, 0.7693, 1e-4, 'd1');
  close(c.d2, 0.6278, 1e-4, 'd2');
  close(c.price, 4.7594, 1e-4, 'call');
  close(p.price, 0.8086, 1e-4, 'put');
});

test('Black-Scholes matches vollib to 1e-9', () => {
  const base = { spot: 100, strike: 90, rate: 0.01, dividendYield: 0, vol: 0.2, timeYears: 0.5 } as const;
  close(blackScholes({ ...base, right: 'C' }).price, 12.111581435, 1e-9, 'call');
  close(blackScholes({ ...base, right: 'P' }).price, 1.66270456231, 1e-9, 'put');
});

test('Black-Scholes with a dividend yield (Hull)', () => {
  const base = { spot: 100, strike: 95, rate: 0.1, dividendYield: 0.05, vol: 0.2, timeYears: 0.5 } as const;
  close(blackScholes({ ...base, right: 'P' }).price, 2.4648, 1e-4, 'put');
  close(blackScholes({ ...base, right: 'C' }).price, 9.629, 1e-3, 'call');
});

test('Black-76 matches Hull / j_vollib references', () => {
  const atm = { forward: 20, strike: 20, rate: 0.09, vol: 0.25, timeYears: 4 / 12 } as const;
  close(black76({ ...atm, right: 'C' }).price, 1.11664145656, 1e-10, 'atm call');
  close(black76({ ...atm, right: 'P' }).price, 1.11664145656, 1e-10, 'atm put');
  close(black76({ ...atm, right: 'C' }).d1, 0.0721687836, 1e-9, 'd1');
  close(
    black76({ forward: 100, strike: 100, rate: 0.02, vol: 0.2, timeYears: 0.5, right: 'C' }).price,
    5.5811067246,
    1e-9,
    'F100',
  );
  const f620 = { forward: 620, strike: 600, rate: 0.05, vol: 0.2, timeYears: 0.5 } as const;
  close(black76({ ...f620, right: 'C' }).price, 44.1868533121, 1e-9, 'F620 call');
  close(black76({ ...f620, right: 'P' }).price, 24.6807, 1e-4, 'F620 put');
});

test('normal CDF is accurate in the tails and symmetric', () => {
  close(normCdf(0), 0.5, 1e-15, 'N(0)');
  close(normCdf(1.959963984540054), 0.975, 1e-12, 'N(1.96)');
  close(normCdf(-3) + normCdf(3), 1, 1e-15, 'symmetry');
  close(normCdf(-6), 9.865876450376946e-10, 1e-20, 'N(-6)');
});

test('put-call parity holds for Black-Scholes and Black-76', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 50, max: 200, noNaN: true }),
      fc.double({ min: 50, max: 200, noNaN: true }),
      fc.double({ min: 0.05, max: 1.5, noNaN: true }),
      fc.double({ min: 0.002, max: 2, noNaN: true }),
      (spot, strike, vol, t) => {
        const base = { spot, strike, rate: 0.03, dividendYield: 0.01, vol, timeYears: t };
        const c = blackScholes({ ...base, right: 'C' }).price;
        const p = blackScholes({ ...base, right: 'P' }).price;
        const parity = spot * Math.exp(-0.01 * t) - strike * Math.exp(-0.03 * t);
        assert.ok(Math.abs(c - p - parity) < 1e-8 * Math.max(1, spot));
        const c76 = black76({ forward: spot, strike, rate: 0.03, vol, timeYears: t, right: 'C' }).price;
        const p76 = black76({ forward: spot, strike, rate: 0.03, vol, timeYears: t, right: 'P' }).price;
        assert.ok(Math.abs(c76 - p76 - Math.exp(-0.03 * t) * (spot - strike)) < 1e-8 * Math.max(1, spot));
      },
    ),
    { seed: 11, numRuns: 200 },
  );
});

test('greeks agree with finite differences', () => {
  const base = {
    spot: 6000,
    strike: 5910,
    rate: 0.04,
    dividendYield: 0.013,
    vol: 0.19,
    timeYears: 1 / 252,
  } as const;
  const g = blackScholes({ ...base, right: 'P' });
  const h = 0.01;
  const up = blackScholes({ ...base, spot: base.spot + h, right: 'P' }).price;
  const dn = blackScholes({ ...base, spot: base.spot - h, right: 'P' }).price;
  close(g.delta, (up - dn) / (2 * h), 1e-6, 'delta');
  const vUp = blackScholes({ ...base, vol: base.vol + 1e-5, right: 'P' }).price;
  const vDn = blackScholes({ ...base, vol: base.vol - 1e-5, right: 'P' }).price;
  close(g.vega, (vUp - vDn) / 2e-5, 1e-3, 'vega');
  const b76 = { forward: 18, strike: 21, rate: 0.04, vol: 1.1, timeYears: 20 / 252, right: 'C' } as const;
  const b = black76(b76);
  const bUp = black76({ ...b76, forward: 18.001 }).price;
  const bDn = black76({ ...b76, forward: 17.999 }).price;
  close(b.delta, (bUp - bDn) / 0.002, 1e-6, 'b76 delta');
});

test('implied vol recovers the vol that priced the option', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.05, max: 3, noNaN: true }),
      fc.double({ min: 0.85, max: 1.15, noNaN: true }),
      fc.double({ min: 5 / 252, max: 1, noNaN: true }),
      (vol, moneyness, t) => {
        const input = { forward: 20, strike: 20 * moneyness, rate: 0.04, timeYears: t, right: 'C' as const };
        const price = black76({ ...input, vol }).price;
        const iv = b76ImpliedVol(price, input);
        assert.ok(iv !== null);
        assert.ok(Math.abs(black76({ ...input, vol: iv }).price - price) < 1e-8);
      },
    ),
    { seed: 12, numRuns: 200 },
  );
  const bs = { spot: 100, strike: 90, rate: 0.01, dividendYield: 0, timeYears: 0.5, right: 'C' as const };
  close(bsImpliedVol(12.111581435, bs) ?? NaN, 0.2, 1e-8, 'vollib iv');
});

test('implied vol refuses prices outside the no-arbitrage band', () => {
  const input = { spot: 100, strike: 90, rate: 0.01, dividendYield: 0, timeYears: 0.5, right: 'C' as const };
  assert.equal(bsImpliedVol(5, input), null, 'below intrinsic');
  assert.equal(bsImpliedVol(150, input), null, 'above the spot');
});

test('expired options are worth intrinsic', () => {
  assert.equal(
    blackScholes({
      spot: 5900,
      strike: 5950,
      rate: 0.04,
      dividendYield: 0,
      vol: 0.2,
      timeYears: 0,
      right: 'P',
    }).price,
    50,
  );
  assert.equal(black76({ forward: 25, strike: 20, rate: 0.04, vol: 1, timeYears: 0, right: 'C' }).price, 5);
});
