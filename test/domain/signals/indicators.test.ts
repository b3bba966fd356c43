import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  bollingerBandwidth,
  ema,
  macd,
  shareAtOrBelow,
  rsiWilder,
} from '../../../src/domain/signals/indicators.ts';

const near = (actual: number | undefined, expected: number, tol: number, what: string): void => {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= tol,
    `${what}: got ${String(actual)}, want ${expected} ±${tol}`,
  );
};

// docs/ib-notes.md section 5: StockCharts RSI(14) example.
const stockChartsCloses = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28,
  46.0, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57,
  43.42, 42.66, 43.13,
];
const stockChartsRsi = [
  70.46, 66.25, 66.48, 69.35, 66.29, 57.92, 62.88, 63.21, 56.01, 62.34, 54.67, 50.39, 40.02, 41.49, 41.9,
  45.5, 37.32, 33.09, 37.79,
];

test('RSI(14) Wilder matches the StockCharts reference series, all 19 values', () => {
  const rsi = rsiWilder(stockChartsCloses, 14);
  assert.equal(rsi.length, stockChartsCloses.length);
  for (let i = 0; i < 14; i++) assert.ok(Number.isNaN(rsi[i]), `warm-up bar ${i} is NaN`);
  stockChartsRsi.forEach((want, j) => near(rsi[14 + j], want, 0.01, `RSI at bar ${15 + j}`));
});

interface Row {
  readonly date: string;
  readonly close: number;
}

function loadFixture(): Row[] {
  const text = readFileSync(new URL('../../fixtures/vix-1990q1.csv', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => /^\d{4}-/.test(l))
    .map((l) => {
      const cols = l.split(',');
      return { date: cols[0] ?? '', close: Number(cols[4]) };
    });
}

test('MACD(12,26,9) and RSI(14) match the ib-notes table on the first 60 VIX closes', () => {
  const rows = loadFixture();
  assert.equal(rows.length, 60);
  assert.equal(rows[0]?.date, '1990-01-02');
  assert.equal(rows[59]?.date, '1990-03-27');
  const closes = rows.map((r) => r.close);
  const m = macd(closes, 12, 26, 9);
  const idx = (date: string): number => rows.findIndex((r) => r.date === date);

  // Bar 26 (1990-02-06): first MACD value, no signal yet.
  assert.equal(idx('1990-02-06'), 25);
  near(m.macd[25], 1.2653, 1e-4, 'MACD bar 26');
  assert.ok(Number.isNaN(m.signal[25]) && Number.isNaN(m.histogram[25]));
  assert.ok(Number.isNaN(m.macd[24]), 'no MACD before bar 26');
  assert.ok(Number.isNaN(m.signal[32]), 'no signal before bar 34');

  const table: [number, number, number, number][] = [
    [33, -0.1571, 0.6577, -0.8148],
    [idx('1990-03-14'), -0.8202, -0.6211, -0.1991],
    [59, -0.5121, -0.7287, 0.2166],
  ];
  for (const [i, wantMacd, wantSignal, wantHist] of table) {
    near(m.macd[i], wantMacd, 1e-4, `MACD ${rows[i]?.date}`);
    near(m.signal[i], wantSignal, 1e-4, `signal ${rows[i]?.date}`);
    near(m.histogram[i], wantHist, 1e-4, `hist ${rows[i]?.date}`);
  }

  const rsi = rsiWilder(closes, 14).slice(-5);
  [47.7, 57.17, 48.93, 46.19, 51.01].forEach((want, j) => near(rsi[j], want, 0.01, `RSI last five #${j}`));
});

test('EMA is seeded with the SMA of its first n values and skips leading NaNs', () => {
  const out = ema([NaN, 1, 2, 3, 4], 3);
  assert.deepEqual(out.slice(0, 3).map(Number.isNaN), [true, true, true]);
  assert.equal(out[3], 2);
  assert.equal(out[4], 2 + (4 - 2) * 0.5);
});

test('RSI is 0 on a steadily falling series and 100 on a rising one', () => {
  const falling = Array.from({ length: 30 }, (_, i) => 40 - i * 0.5);
  assert.equal(rsiWilder(falling, 14).at(-1), 0);
  assert.equal(rsiWilder([...falling].reverse(), 14).at(-1), 100);
});

test('Bollinger bandwidth uses population std devs: (upper - lower) / middle', () => {
  // Closes 1..4: mean 2.5, population variance 1.25.
  const bw = bollingerBandwidth([1, 2, 3, 4], 4, 2);
  assert.ok(Number.isNaN(bw[2]));
  near(bw[3], (4 * Math.sqrt(1.25)) / 2.5, 1e-12, 'bandwidth');
  assert.equal(bollingerBandwidth([5, 5, 5], 3, 2)[2], 0);
});

test('the share at or below counts the value itself and its ties', () => {
  assert.equal(shareAtOrBelow([3, 1, 2, 4], 1), 0.25);
  assert.equal(shareAtOrBelow([3, 1, 2, 4], 4), 1);
  assert.equal(shareAtOrBelow([2, 2, 2, 1], 2), 1);
  assert.ok(Number.isNaN(shareAtOrBelow([], 1)));
});

const positiveSeries = fc.array(fc.double({ min: 0.5, max: 200, noNaN: true }), {
  minLength: 0,
  maxLength: 120,
});

test('property: RSI stays within [0, 100] wherever it is defined', () => {
  fc.assert(
    fc.property(positiveSeries, fc.integer({ min: 1, max: 30 }), (closes, period) => {
      for (const v of rsiWilder(closes, period)) {
        if (!Number.isNaN(v)) assert.ok(v >= 0 && v <= 100, `RSI ${v}`);
      }
    }),
    { seed: 20260317, numRuns: 300 },
  );
});

test('property: Bollinger bandwidth is never negative', () => {
  fc.assert(
    fc.property(positiveSeries, fc.integer({ min: 1, max: 40 }), (closes, period) => {
      const bw = bollingerBandwidth(closes, period, 2);
      assert.equal(bw.length, closes.length);
      for (const v of bw) if (!Number.isNaN(v)) assert.ok(v >= 0, `bandwidth ${v}`);
    }),
    { seed: 20260318, numRuns: 300 },
  );
});
