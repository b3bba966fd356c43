// The trend gate (docs/strategy.md section 3): below its 50-session average SPX is in a correction;
// the condor's quantity cap becomes floor(cap x trendGateQtyFactor), default 0.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import { gatedCap, trendGate } from '../../src/domain/signals/trend-gate.ts';
import type { DailyBar } from '../../src/domain/snapshot.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';
import { defaultStrategy, strategyWith } from '../support/default-strategy.ts';
import { heldLayer, makeSnapshot, sessionHistory, testCalendar } from '../support/snapshot-factory.ts';
import type { SnapshotParams } from '../support/snapshot-factory.ts';
import { noTradeDetailText, rationaleText } from '../support/plan-text.ts';

const ASOF = '2026-03-10T15:45:00-04:00';
const rule = { sessions: 50, qtyFactor: 0 };
const flat = (n: number, level: number): DailyBar[] => sessionHistory(ASOF, n, () => level);

function planFor(params: SnapshotParams, strategy: StrategyConfig = defaultStrategy()): Plan {
  const p = buildPlan({ snapshot: makeSnapshot(params), strategy, calendar: testCalendar(), mode: 'sim' });
  assert.deepEqual(checkPlan(p, strategy), [], 'the plan keeps its invariants');
  return p;
}

describe('trendGate: the average and its edges', () => {
  it('averages the last 49 official closes and the price at the cycle point', () => {
    const history = sessionHistory(ASOF, 60, (i) => 5000 + i);
    const g = trendGate(history, '2026-03-10', 5990, rule);
    assert.equal(g.status, 'open');
    // Closes 5011..5059 (the last 49) and the price 5990.
    const sum = Array.from({ length: 49 }, (_, k) => 5011 + k).reduce((s, c) => s + c, 0) + 5990;
    assert.ok(g.status === 'open' && Math.abs(g.average - sum / 50) < 1e-9);
    assert.ok(g.status === 'open' && Math.abs(g.gapPct - (5990 / (sum / 50) - 1) * 100) < 1e-9);
  });

  it('price exactly at the average: open (the gate shuts only below it)', () => {
    const at = trendGate(flat(49, 6000), '2026-03-10', 6000, rule);
    assert.equal(at.status, 'open');
    assert.ok(at.status === 'open' && at.gapPct === 0);
    assert.equal(trendGate(flat(49, 6000.01), '2026-03-10', 6000, rule).status, 'shut');
  });

  it('a 49-session history is enough; 48 is "not available" and does not shut the gate', () => {
    assert.equal(trendGate(flat(49, 6100), '2026-03-10', 6000, rule).status, 'shut');
    assert.deepEqual(trendGate(flat(48, 6100), '2026-03-10', 6000, rule), {
      status: 'not-available',
      sessions: 50,
      closesNeeded: 49,
      closesFound: 48,
    });
    assert.deepEqual(trendGate([], '2026-03-10', 6000, rule).status, 'not-available');
  });

  it("a bar dated on the cycle date is today's close so far, not an official close", () => {
    const history = [...flat(48, 6100), { date: '2026-03-10', spxClose: 6100, vixClose: 16, adLine: null }];
    assert.equal(trendGate(history, '2026-03-10', 6000, rule).status, 'not-available');
  });

  it('trendGateSma 0 switches it off; the factor floors the cap', () => {
    assert.deepEqual(trendGate(flat(60, 9000), '2026-03-10', 6000, { sessions: 0, qtyFactor: 0 }), {
      status: 'off',
    });
    const shut = trendGate(flat(49, 6100), '2026-03-10', 6000, { sessions: 50, qtyFactor: 0.5 });
    assert.equal(gatedCap(shut, 4), 2);
    assert.equal(gatedCap(shut, 3), 1);
    assert.equal(gatedCap(trendGate(flat(49, 5900), '2026-03-10', 6000, rule), 3), 3, 'open');
    assert.equal(gatedCap({ status: 'off' }, 3), 3);
  });
});

describe('buildPlan with the trend gate', () => {
  /** Thursday 2026-03-12: the VIX 2026-03-18 monthly is 6 days out, below minHedgeDte 7. */
  const THURSDAY = '2026-03-12T15:45:00-04:00';
  const below = (asOf: string): DailyBar[] => sessionHistory(asOf, 60, () => 6150);
  const above = (asOf: string): DailyBar[] => sessionHistory(asOf, 60, () => 5850);
  const due = heldLayer({
    layerId: 'OLD',
    expiry: '2026-03-18',
    tradingClass: 'VIX',
    longStrike: 17,
    quantity: 5,
  });

  it('open above the average: the condor trades as without the gate', () => {
    const p = planFor({ history: above(ASOF) });
    assert.equal(p.trendGate.status, 'open');
    assert.equal(p.outcome.kind, 'trade');
    const off = planFor({ history: above(ASOF) }, strategyWith({ sizing: { trendGateSma: 0 } }));
    assert.equal(off.trendGate.status, 'off');
    assert.equal(off.condorQuantity, p.condorQuantity);
  });

  it('shut below the average: a normal "no trade" with its reason, no condor and no new layer', () => {
    const p = planFor({ history: below(ASOF) });
    assert.equal(p.trendGate.status, 'shut');
    assert.deepEqual(p.outcome.kind === 'no-trade' && p.outcome.reason, 'trend-gate');
    assert.match(
      noTradeDetailText(p),
      /^trend gate: SPX 6000\.00 vs 50-session average 6147\.00 \(-2\.39%\): SHUT/,
    );
    assert.ok(!p.orders.some((o) => o.kind === 'condor-open' || o.kind === 'hedge-open'));
    assert.equal(p.condorQuantity, 0);
    // The condor was selected and the cap computed: the gate applied to it, before q was searched.
    assert.ok(p.condor !== null);
    assert.ok(!p.rationale.some((e) => e.kind === 'quantity-attempt'));
  });

  it('rolls still happen with the gate shut', () => {
    const p = planFor({ asOf: THURSDAY, history: below(THURSDAY), hedgeBook: [due] });
    assert.equal(p.outcome.kind === 'no-trade' && p.outcome.reason, 'trend-gate');
    assert.deepEqual(
      p.orders.map((o) => o.kind),
      ['hedge-roll-close'],
    );
  });

  it('the trim still runs, measured against the requirement at the ungated cap', () => {
    const layerA = heldLayer({
      layerId: 'H1',
      expiry: '2026-04-08',
      tradingClass: 'VIXW',
      longStrike: 21,
      quantity: 200,
    });
    const shut = planFor({ history: below(ASOF), hedgeBook: [layerA] });
    const open = planFor({ history: above(ASOF), hedgeBook: [layerA] });
    const trim = (p: Plan) => p.orders.find((o) => o.kind === 'hedge-trim');
    assert.ok(trim(shut) !== undefined, 'trimmed with the gate shut');
    // Same cap before the gate, same requirement: the same trim with the gate open or shut.
    assert.equal(trim(shut)?.quantity, trim(open)?.quantity);
    const kinds = shut.rationale.map((e) => e.kind);
    assert.ok(kinds.indexOf('trim-check') < kinds.indexOf('trend-gate'), 'the trim runs before the gate');
  });

  it('a factor of 0.5 halves the cap (floored) instead of stopping the condor', () => {
    const strategy = strategyWith({ sizing: { trendGateQtyFactor: 0.5 } });
    const open = planFor({ history: above(ASOF) }, strategy);
    const half = planFor({ history: below(ASOF) }, strategy);
    assert.equal(half.outcome.kind, 'trade');
    const cap = open.rationale.find((e) => e.kind === 'quantity-cap');
    assert.ok(cap?.kind === 'quantity-cap');
    assert.ok(half.condorQuantity <= Math.floor(cap.cap.cap * 0.5));
    assert.match(rationaleText(half), /trend gate: .*SHUT, quantity cap x 0\.5; quantity cap 4 -> 2/);
  });

  it('a history too short for the average is said in the rationale and the condor trades', () => {
    const p = planFor({ history: sessionHistory(ASOF, 48, () => 6150) });
    assert.equal(p.trendGate.status, 'not-available');
    assert.equal(p.outcome.kind, 'trade');
    assert.match(
      rationaleText(p),
      /trend gate: not available: the 50-session average needs 49 official closes/,
    );
  });
});
