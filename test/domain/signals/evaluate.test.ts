import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signalDetail } from '../../../src/cli/render/rationale-text.ts';
import fc from 'fast-check';
import { evaluateSignals } from '../../../src/domain/signals/evaluate.ts';
import { regimeMultiplier, type SignalResult } from '../../../src/domain/signals/signal.ts';
import type { DailyBar } from '../../../src/domain/snapshot.ts';
import { coveredDay, defaultSignalsConfig as cfg } from './default-signals-config.ts';

function bars(vix: readonly number[], adStep: number | null, spxStep: number): DailyBar[] {
  return vix.map((v, i) => ({
    date: `d${i}`,
    spxClose: 3000 + spxStep * i,
    vixClose: v,
    adLine: adStep === null ? null : 5000 + adStep * i,
  }));
}

const byId = (rs: readonly SignalResult[], id: SignalResult['id']): SignalResult => {
  const r = rs.find((x) => x.id === id);
  assert.ok(r, `signal ${id}`);
  return r;
};

test('evaluateSignals returns all seven signals in the fixed order with their labels', () => {
  const rs = evaluateSignals(
    {
      history: bars([], null, 0),
      vix: { spot: 15, vix9d: null, vix3m: null },
      eventDay: coveredDay([]),
      eventPolicy: 'normal',
    },
    cfg,
  );
  assert.deepEqual(
    rs.map((r) => r.id),
    ['rsi', 'macd', 'coiling', 'termStructure', 'breadth', 'event', 'macro'],
  );
  assert.deepEqual(
    rs.map((r) => r.label),
    [
      'VIX RSI(14)',
      'VIX MACD(12,26,9)',
      'VIX coiling (BB20 width pct)',
      'Term structure',
      'NYSE breadth',
      'Event day',
      'Macro overlay',
    ],
  );
  // No history: every history-based signal is unavailable, nothing fires, the multiplier is 1.
  for (const id of ['rsi', 'macd', 'coiling', 'termStructure', 'breadth'] as const) {
    assert.equal(byId(rs, id).available, false);
  }
  assert.equal(regimeMultiplier(rs), 1);
});

test('a calm, complacent, backwardated event day: all seven fire and their factors multiply', () => {
  // 300 wavy bars, then a 60-day decelerating drift down: low RSI, narrowing band, lower lows on a rising MACD.
  const wavy = Array.from({ length: 300 }, (_, i) => 18 + 3 * Math.sin(i / 3));
  const quiet = Array.from({ length: 60 }, (_, i) => 16 - 0.6 * (1 - 0.97 ** i));
  const input = {
    history: bars([...wavy, ...quiet], -25, 4),
    vix: { spot: 15.7, vix9d: 16.5, vix3m: 18 },
    eventDay: coveredDay(['FOMC']),
    eventPolicy: 'upsize-hedge' as const,
  };
  const rs = evaluateSignals(input, { ...cfg, macro: { enabled: true, factor: 1.05, note: 'rates' } });
  for (const r of rs) assert.equal(r.fired, true, `${r.id}: ${signalDetail(r)}`);
  assert.match(signalDetail(byId(rs, 'macd')), /bullish divergence/);
  const want = 1.15 * 1.25 * 1.15 * 1.3 * 1.2 * 1.3 * 1.05;
  assert.ok(Math.abs(regimeMultiplier(rs) - want) < 1e-12, `multiplier ${regimeMultiplier(rs)}`);

  // The same day with every toggle off: nothing fires, every factor is 1, values are still reported.
  const off = Object.fromEntries(
    Object.entries(cfg).map(([k, v]) => [k, { ...v, enabled: false }]),
  ) as unknown as typeof cfg;
  const quietRs = evaluateSignals(input, off);
  for (const r of quietRs) {
    assert.equal(r.fired, false);
    assert.equal(r.factor, 1);
    assert.match(signalDetail(r), /^disabled; /);
    assert.notEqual(r.value, null, r.id);
  }
  assert.equal(regimeMultiplier(quietRs), 1);
});

test('regimeMultiplier multiplies only fired factors', () => {
  const mk = (id: SignalResult['id'], fired: boolean, factor: number): SignalResult => ({
    id,
    label: id,
    enabled: true,
    value: 1,
    available: true,
    triggered: fired,
    fired,
    factor,
    reading: { id: 'macro', factor, note: '' },
    unavailable: null,
  });
  assert.equal(regimeMultiplier([]), 1);
  assert.ok(Math.abs(regimeMultiplier([mk('rsi', true, 1.15), mk('macd', true, 1.25)]) - 1.4375) < 1e-12);
  assert.ok(
    Math.abs(
      regimeMultiplier([mk('termStructure', true, 1.3), mk('event', true, 1.3), mk('breadth', false, 1.2)]) -
        1.69,
    ) < 1e-12,
  );
});

test('property: evaluateSignals never throws and keeps its invariants on any finite positive series', () => {
  const vixValue = fc.double({ min: 1, max: 150, noNaN: true });
  fc.assert(
    fc.property(
      fc.array(vixValue, { minLength: 0, maxLength: 320 }),
      fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }),
      fc.integer({ min: -20, max: 20 }),
      fc.record({
        spot: vixValue,
        vix9d: fc.option(vixValue, { nil: null }),
        vix3m: fc.option(vixValue, { nil: null }),
      }),
      fc.subarray(['FOMC', 'CPI', 'PPI'] as const),
      fc.constantFrom('skip', 'normal', 'upsize-hedge' as const),
      fc.boolean(),
      (vix, adStep, spxStep, quotes, eventKinds, eventPolicy, enabled) => {
        const signals = {
          ...cfg,
          rsi: { ...cfg.rsi, enabled },
          macd: { ...cfg.macd, enabled },
          coiling: { ...cfg.coiling, enabled },
        };
        const rs = evaluateSignals(
          { history: bars(vix, adStep, spxStep), vix: quotes, eventDay: coveredDay(eventKinds), eventPolicy },
          signals,
        );
        assert.equal(rs.length, 7);
        for (const r of rs) {
          if (r.fired) assert.ok(r.available, `${r.id} fired while unavailable`);
          if (!r.fired) assert.equal(r.factor, 1);
          if (r.value !== null) assert.ok(Number.isFinite(r.value), `${r.id} value ${r.value}`);
          if (!r.available) assert.equal(r.fired, false);
          assert.ok(!signalDetail(r).includes('\n'));
        }
        if (!enabled)
          for (const id of ['rsi', 'macd', 'coiling'] as const) assert.equal(byId(rs, id).fired, false);
        const m = regimeMultiplier(rs);
        assert.ok(Number.isFinite(m) && m >= 1, `multiplier ${m}`);
      },
    ),
    { seed: 7, numRuns: 150 },
  );
});
