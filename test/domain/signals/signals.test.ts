import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signalDetail } from '../../../src/cli/render/rationale-text.ts';
import { macd } from '../../../src/domain/signals/indicators.ts';
import { rsiSignal } from '../../../src/domain/signals/rsi-signal.ts';
import { macdSignal } from '../../../src/domain/signals/macd-signal.ts';
import { coilingObservation, coilingSignal } from '../../../src/domain/signals/coiling-signal.ts';
import { termStructureSignal } from '../../../src/domain/signals/term-structure-signal.ts';
import { breadthSignal } from '../../../src/domain/signals/breadth-signal.ts';
import { eventSignal } from '../../../src/domain/signals/event-signal.ts';
import { macroSignal } from '../../../src/domain/signals/macro-signal.ts';
import type { SignalResult } from '../../../src/domain/signals/signal.ts';
import type { DailyBar } from '../../../src/domain/snapshot.ts';
import { coveredDay, defaultSignalsConfig as cfg } from './default-signals-config.ts';

const linear = (n: number, start: number, step: number): number[] =>
  Array.from({ length: n }, (_, i) => start + step * i);

function assertFired(r: SignalResult, factor: number): void {
  assert.equal(r.available, true, signalDetail(r));
  assert.equal(r.fired, true, signalDetail(r));
  assert.equal(r.factor, factor);
}

function assertQuiet(r: SignalResult): void {
  assert.equal(r.fired, false, signalDetail(r));
  assert.equal(r.factor, 1);
}

// RSI ---------------------------------------------------------------------------------------

test('RSI fires on a steadily falling VIX (RSI < 35)', () => {
  const r = rsiSignal(linear(40, 30, -0.25), cfg.rsi);
  assertFired(r, 1.15);
  assert.equal(r.label, 'VIX RSI(14)');
  assert.ok(r.value !== null && r.value < 35);
  assert.match(signalDetail(r), /^RSI \d+\.\d < 35$/);
});

test('RSI does not fire on a rising VIX', () => {
  const r = rsiSignal(linear(40, 12, 0.25), cfg.rsi);
  assertQuiet(r);
  assert.equal(r.available, true);
  assert.match(signalDetail(r), /RSI 100\.0 >= 35/);
});

test('RSI disabled: computes the value but never fires', () => {
  const r = rsiSignal(linear(40, 30, -0.25), { ...cfg.rsi, enabled: false });
  assertQuiet(r);
  assert.equal(r.value, 0);
  assert.match(signalDetail(r), /^disabled; RSI 0\.0 < 35/);
});

test('RSI with too little history is not available and says how many bars it needs', () => {
  const r = rsiSignal(linear(20, 30, -0.25), cfg.rsi);
  assertQuiet(r);
  assert.equal(r.available, false);
  assert.equal(r.value, null);
  assert.match(signalDetail(r), /not available: needs 28 daily bars, have 20/);
});

// MACD --------------------------------------------------------------------------------------

test('MACD fires on a histogram rising 3 days (VIX turning up after a decline)', () => {
  const closes = [...linear(40, 20, 0), ...linear(20, 19.7, -0.3), ...linear(6, 14.5, 0.5)];
  const hist = macd(closes, 12, 26, 9).histogram;
  const [h3, h2, h1, h0] = hist.slice(-4) as [number, number, number, number];
  assert.ok(h0 > h1 && h1 > h2 && h2 > h3, 'the series really has a rising histogram');
  const r = macdSignal(closes, cfg.macd);
  assertFired(r, 1.25);
  assert.equal(r.label, 'VIX MACD(12,26,9)');
  assert.equal(r.value, h0);
  assert.match(signalDetail(r), /^fires on histogram rising;/);
});

test('MACD fires on a bullish divergence: lower VIX low, higher MACD low', () => {
  // Flat, a sharp crash to 12 (MACD plunges), a bounce, a slow drift to a lower low of 11.8, an up-tick.
  const closes = [
    ...linear(40, 20, 0),
    ...linear(5, 18.4, -1.6),
    ...linear(8, 12.5, 0.5),
    ...linear(9, 15.55, -0.45),
    11.8,
    12.3,
  ];
  const n = closes.length;
  const recent = closes.slice(n - 5);
  const prior = closes.slice(n - 20, n - 5);
  assert.ok(Math.min(...recent) < Math.min(...prior), 'VIX makes a lower low');
  const line = macd(closes, 12, 26, 9).macd;
  assert.ok(
    (line[n - 2] ?? NaN) > (line[closes.indexOf(Math.min(...prior))] ?? NaN),
    'MACD at the new low is above MACD at the prior low',
  );
  const r = macdSignal(closes, cfg.macd);
  assertFired(r, 1.25);
  assert.match(signalDetail(r), /^fires on bullish divergence;/);
  assert.match(signalDetail(r), /VIX low 11\.80 vs 12\.00/);
  assert.match(signalDetail(r), /not rising/);
});

test('docs/strategy.md 3 "when the lowest close is tied, the most recent of the tied days is the low"', () => {
  // The divergence series with its last five closes 11.8, 12.9, 12.4, 11.8, 12.3: the low is tied.
  const closes = [
    ...linear(40, 20, 0),
    ...linear(5, 18.4, -1.6),
    ...linear(8, 12.5, 0.5),
    ...linear(6, 15.55, -0.45),
    11.8,
    12.9,
    12.4,
    11.8,
    12.3,
  ];
  const n = closes.length;
  const line = macd(closes, 12, 26, 9).macd;
  const r = macdSignal(closes, cfg.macd);
  assert.ok(r.reading?.id === 'macd');
  assert.equal(r.reading.vixRecentLow, 11.8);
  // The MACD line of the later 11.8 (n - 2), not of the earlier one (n - 5).
  assert.equal(r.reading.macdAtRecentLow, line[n - 2]);
  assert.notEqual(line[n - 2], line[n - 5]);
});

test('MACD does not fire on a steady trend (constant MACD, no lower low)', () => {
  for (const closes of [linear(60, 12, 0.3), linear(60, 30, -0.3)]) {
    const r = macdSignal(closes, cfg.macd);
    assertQuiet(r);
    assert.equal(r.available, true);
    assert.match(signalDetail(r), /^no rule holds;/);
  }
});

test('MACD with too little history is not available', () => {
  const r = macdSignal(linear(44, 20, -0.1), cfg.macd);
  assertQuiet(r);
  assert.equal(r.available, false);
  assert.match(signalDetail(r), /needs 45 daily bars/);
  assert.equal(macdSignal(linear(45, 20, -0.1), cfg.macd).available, true);
});

test('MACD disabled never fires', () => {
  const closes = [...linear(40, 20, 0), ...linear(20, 19.7, -0.3), ...linear(6, 14.5, 0.5)];
  const r = macdSignal(closes, { ...cfg.macd, enabled: false });
  assertQuiet(r);
  assert.match(signalDetail(r), /^disabled; fires on histogram rising/);
});

// Coiling -----------------------------------------------------------------------------------

const wavy = (n: number, amplitude: number): number[] =>
  Array.from({ length: n }, (_, i) => 18 + amplitude * Math.sin(i / 3));

test('coiling fires after a long quiet stretch (bandwidth the narrowest of the year)', () => {
  const closes = [...wavy(300, 3), ...linear(25, 16, 0)];
  const r = coilingSignal(closes, cfg.coiling);
  assertFired(r, 1.15);
  assert.equal(r.label, 'VIX coiling (BB20 width pct)');
  // The flat last 25 closes give 6 zero bandwidths: 6 of 252 are at or below today's.
  assert.equal(r.value, 6 / 252);
  assert.match(signalDetail(r), /BB width 0\.0000: 6 of 252 at or below it = 2\.4% <= 10\.0%/);
});

test('coiling does not fire when the last 20 days are the most volatile of the year', () => {
  const closes = [...wavy(300, 1), ...wavy(25, 8)];
  const r = coilingSignal(closes, cfg.coiling);
  assertQuiet(r);
  assert.ok(r.value !== null && r.value >= 0.1, signalDetail(r));
});

test('docs/strategy.md 3 "in its lowest 10%" means count(values <= today) / 252 <= 0.10: the 25th-lowest fires, the 26th does not', () => {
  // 252 distinct bandwidths; today's is the k-th lowest.
  const windowWith = (k: number): number[] => {
    const others = Array.from({ length: 252 }, (_, i) => i + 1).filter((w) => w !== k);
    return [...others, k];
  };
  const at25 = coilingObservation(windowWith(25), 0.1);
  const at26 = coilingObservation(windowWith(26), 0.1);
  assert.ok(at25.available && at25.triggered, '25/252 = 0.0992 <= 0.10');
  assert.ok(at26.available && !at26.triggered, '26/252 = 0.1032 > 0.10');
  // Ties count as at or below: 25 equal lowest values with today among them still fire.
  const tied = coilingObservation(
    [...Array.from({ length: 227 }, (_, i) => 100 + i), ...Array<number>(25).fill(1)],
    0.1,
  );
  assert.ok(
    tied.available && tied.triggered && tied.reading.id === 'coiling' && tied.reading.atOrBelow === 25,
  );
});

test('coiling needs period - 1 + 252 bars', () => {
  const r = coilingSignal(linear(270, 16, 0), cfg.coiling);
  assert.equal(r.available, false);
  assert.match(signalDetail(r), /needs 271 daily bars/);
  assert.equal(coilingSignal(linear(271, 16, 0), cfg.coiling).available, true);
});

test('coiling disabled never fires', () => {
  const r = coilingSignal([...wavy(300, 3), ...linear(25, 16, 0)], { ...cfg.coiling, enabled: false });
  assertQuiet(r);
  assert.equal(r.value, 6 / 252);
  assert.match(signalDetail(r), /^disabled;/);
});

// Term structure ----------------------------------------------------------------------------

test('term structure fires on VIX9D/VIX > 1 and reports both ratios', () => {
  const r = termStructureSignal({ spot: 20, vix9d: 22, vix3m: 21 }, cfg.termStructure);
  assertFired(r, 1.3);
  assert.equal(r.value, 1.1);
  assert.equal(signalDetail(r), 'VIX9D/VIX 1.100 > 1.00, VIX/VIX3M 0.952 <= 1.00');
});

test('term structure fires on VIX/VIX3M > 1 alone', () => {
  const r = termStructureSignal({ spot: 30, vix9d: 28, vix3m: 25 }, cfg.termStructure);
  assertFired(r, 1.3);
  assert.equal(r.value, 1.2);
});

test('term structure in contango does not fire', () => {
  const r = termStructureSignal({ spot: 15, vix9d: 13, vix3m: 17 }, cfg.termStructure);
  assertQuiet(r);
  assert.equal(r.available, true);
});

test('term structure uses what exists, and is not available without VIX9D and VIX3M', () => {
  const only3m = termStructureSignal({ spot: 30, vix9d: null, vix3m: 25 }, cfg.termStructure);
  assertFired(only3m, 1.3);
  assert.match(signalDetail(only3m), /VIX9D\/VIX n\/a/);
  const only9d = termStructureSignal({ spot: 20, vix9d: 19, vix3m: null }, cfg.termStructure);
  assertQuiet(only9d);
  assert.equal(only9d.value, 0.95);
  const none = termStructureSignal({ spot: 20, vix9d: null, vix3m: null }, cfg.termStructure);
  assertQuiet(none);
  assert.equal(none.available, false);
  assert.equal(none.value, null);
  assert.match(signalDetail(none), /not available/);
});

// Breadth -----------------------------------------------------------------------------------

function breadthBars(spx: readonly number[], ad: readonly (number | null)[]): DailyBar[] {
  return spx.map((s, i) => ({
    date: `2019-01-${String(i + 1).padStart(2, '0')}`,
    spxClose: s,
    vixClose: 15,
    adLine: ad[i] ?? null,
  }));
}

test('breadth fires when the A/D line falls over 10 days while SPX rises', () => {
  const r = breadthSignal(breadthBars(linear(12, 2800, 5), linear(12, 1000, -40)), cfg.breadth);
  assertFired(r, 1.2);
  assert.equal(r.value, -400);
  assert.match(signalDetail(r), /A\/D -400 and SPX \+1\.78% over 10d: divergence/);
});

test('breadth does not fire when A/D and SPX both fall, or both rise', () => {
  assertQuiet(breadthSignal(breadthBars(linear(12, 2800, -5), linear(12, 1000, -40)), cfg.breadth));
  assertQuiet(breadthSignal(breadthBars(linear(12, 2800, 5), linear(12, 1000, 40)), cfg.breadth));
});

test('breadth with a missing A/D value in the window is not available', () => {
  const ad: (number | null)[] = linear(12, 1000, -40);
  ad[6] = null;
  const r = breadthSignal(breadthBars(linear(12, 2800, 5), ad), cfg.breadth);
  assertQuiet(r);
  assert.equal(r.available, false);
  assert.match(signalDetail(r), /not available/);
  // A gap before the window does not matter.
  ad[6] = 760;
  ad[0] = null;
  assert.equal(breadthSignal(breadthBars(linear(12, 2800, 5), ad), cfg.breadth).fired, true);
});

test('breadth needs lookback + 1 bars', () => {
  const r = breadthSignal(breadthBars(linear(10, 2800, 5), linear(10, 1000, -40)), cfg.breadth);
  assert.equal(r.available, false);
  assert.match(signalDetail(r), /needs 11 daily bars/);
});

// Event and macro ---------------------------------------------------------------------------

test('event fires only with an event on expiry day and the upsize-hedge policy', () => {
  const fired = eventSignal(coveredDay(['CPI']), 'upsize-hedge', cfg.event);
  assertFired(fired, 1.3);
  assert.equal(signalDetail(fired), 'CPI on expiry day; policy upsize-hedge');
  assertQuiet(eventSignal(coveredDay([]), 'upsize-hedge', cfg.event));
  assertQuiet(eventSignal(coveredDay(['FOMC']), 'normal', cfg.event));
  assertQuiet(eventSignal(coveredDay(['FOMC', 'PPI']), 'skip', cfg.event));
  const disabled = eventSignal(coveredDay(['FOMC']), 'upsize-hedge', { ...cfg.event, enabled: false });
  assertQuiet(disabled);
  assert.match(signalDetail(disabled), /^disabled;/);
});

test('macro overlay fires with the user factor when enabled and shows the note', () => {
  const on = macroSignal({ enabled: true, factor: 1.4, note: 'dollar squeeze' });
  assertFired(on, 1.4);
  assert.match(signalDetail(on), /dollar squeeze/);
  const off = macroSignal({ enabled: false, factor: 1.4, note: 'dollar squeeze' });
  assertQuiet(off);
  assert.match(signalDetail(off), /^disabled;/);
});
