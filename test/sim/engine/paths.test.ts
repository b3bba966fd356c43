import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../src/sim/rng.ts';
import { DEFAULT_PATH_PARAMS, closeDay, stepPath } from '../../../src/sim/market/paths.ts';
import type { PathState } from '../../../src/sim/market/paths.ts';
import { SPX_CONID, VIX_CONID } from '../../../src/sim/market/contracts.ts';
import { makeMarket } from './harness.ts';

interface DailyStats {
  beta: number;
  betaUp: number;
  betaDown: number;
  halfLife: number;
  meanVix: number;
  vixLogVol: number;
  spxVolOverVix: number;
}

/** Close-to-close statistics of (SPX, VIX) daily closes, as docs/ib-notes.md §5 "VIX" quotes them. */
function stats(spx: readonly number[], vix: readonly number[]): DailyStats {
  const x: number[] = [];
  const y: number[] = [];
  const lv: number[] = [];
  let ratio = 0;
  for (let i = 1; i < spx.length; i++) {
    const r = 100 * Math.log(spx[i]! / spx[i - 1]!);
    x.push(r);
    y.push(vix[i]! - vix[i - 1]!);
    lv.push(Math.log(vix[i]! / vix[i - 1]!));
    ratio += (r / (vix[i - 1]! / Math.sqrt(252))) ** 2;
  }
  const slope = (xs: number[], ys: number[]): number => {
    const n = xs.length;
    const mx = xs.reduce((a, b) => a + b, 0) / n;
    const my = ys.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (xs[i]! - mx) * (ys[i]! - my);
      sxx += (xs[i]! - mx) ** 2;
    }
    return sxy / sxx;
  };
  const up = x.map((v, i) => [v, y[i]!] as const).filter(([v]) => v > 0);
  const down = x.map((v, i) => [v, y[i]!] as const).filter(([v]) => v < 0);
  const phi = slope(vix.slice(0, -1), vix.slice(1));
  const m = lv.reduce((a, b) => a + b, 0) / lv.length;
  return {
    beta: slope(x, y),
    betaUp: slope(
      up.map((p) => p[0]),
      up.map((p) => p[1]),
    ),
    betaDown: slope(
      down.map((p) => p[0]),
      down.map((p) => p[1]),
    ),
    halfLife: Math.log(0.5) / Math.log(phi),
    meanVix: vix.reduce((a, b) => a + b, 0) / vix.length,
    vixLogVol: Math.sqrt((lv.reduce((a, b) => a + (b - m) ** 2, 0) / lv.length) * 252),
    spxVolOverVix: Math.sqrt(ratio / x.length),
  };
}

test('over a long run: VIX mean-reverts (~30-day half-life, mean ~19) and falls ~1.2 points per +1% SPX', () => {
  const rng = createRng(2024);
  const s: PathState = { spx: 6000, vix: 16, vix9dNoise: 0, vix3mNoise: 0, daySurprisePct: 0 };
  const spx: number[] = [];
  const vix: number[] = [];
  // 40 years of sessions: one overnight step and 26 fifteen-minute steps a day.
  for (let d = 0; d < 252 * 40; d++) {
    stepPath(s, DEFAULT_PATH_PARAMS.overnightShare, rng);
    for (let i = 0; i < 26; i++) stepPath(s, (1 - DEFAULT_PATH_PARAMS.overnightShare) / 26, rng);
    closeDay(s);
    spx.push(s.spx);
    vix.push(s.vix);
  }
  const st = stats(spx, vix);
  assert.ok(st.beta < -1.0 && st.beta > -1.4, `beta ${st.beta}`);
  assert.ok(st.betaDown < st.betaUp - 0.1, `down ${st.betaDown} vs up ${st.betaUp}`);
  assert.ok(st.halfLife > 20 && st.halfLife < 45, `half-life ${st.halfLife}`);
  assert.ok(st.meanVix > 17 && st.meanVix < 21, `mean ${st.meanVix}`);
  assert.ok(st.vixLogVol > 0.8 && st.vixLogVol < 1.35, `VIX vol ${st.vixLogVol}`);
  // SPX realises less than VIX implies (the condor's variance premium), but not far less.
  assert.ok(st.spxVolOverVix > 0.7 && st.spxVolOverVix < 0.95, `SPX vol / VIX ${st.spxVolOverVix}`);
  assert.ok(Math.min(...vix) >= DEFAULT_PATH_PARAMS.vixFloor);
  assert.ok(Math.max(...vix) > 35, 'jumps produce VIX spikes');
});

test('the market model shows the same coupling session by session', () => {
  const { clock, market } = makeMarket('2026-01-05T08:00:00-05:00', {
    seed: 3,
    stepSeconds: 1800,
    historySessions: 5,
  });
  clock.advance(365 * 24 * 3600e3);
  const spx = market.dailyBars(SPX_CONID, '2099-01-01', 250).map((b) => b.close);
  const vix = market.dailyBars(VIX_CONID, '2099-01-01', 250).map((b) => b.close);
  assert.equal(spx.length, 250);
  const st = stats(spx, vix);
  assert.ok(st.beta < -0.8 && st.beta > -1.7, `beta ${st.beta}`);
  market.stop();
});
