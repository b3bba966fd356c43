import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { vixSpotMove } from '../../src/domain/plan/scenarios.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import { defaultStrategy } from '../support/default-strategy.ts';
import { makeSnapshot, testCalendar } from '../support/snapshot-factory.ts';

const planOf = (params: Parameters<typeof makeSnapshot>[0] = {}): Plan =>
  buildPlan({
    snapshot: makeSnapshot(params),
    strategy: defaultStrategy(),
    calendar: testCalendar(),
    mode: 'sim',
  });

describe('scenario table', () => {
  const p = planOf();
  const c = p.condor!;
  const q = p.condorQuantity;
  const row = (m: number) => p.scenarios.find((r) => r.label === 'move' && r.spxMovePct === m)!;
  const commission = p.commissions.condorCents;

  it('condor P&L at expiry after commissions: full credit inside the shorts, max loss beyond the wings', () => {
    assert.equal(commission, 4 * 132 * q, 'four SPXW legs at $1.32 each per condor');
    assert.equal(row(0).condorPnl, c.credit * 100 * q - commission);
    assert.equal(row(-6).condorPnl, (0 - c.maxLossPerContract) * q - commission);
    assert.equal(row(6).condorPnl, (0 - c.maxLossPerContract) * q - commission);
  });

  it('rows at the two break-evens (after commissions) show a condor P&L of zero, and a row at the stress level', () => {
    const be = p.scenarios.filter((r) => r.label === 'break-even-low' || r.label === 'break-even-high');
    assert.equal(be.length, 2);
    for (const r of be) assert.ok(Math.abs(r.condorPnl) <= 1, `condor ${r.condorPnl} at ${r.spxAtExpiry}`);
    assert.ok(Math.abs(be[0]!.spxAtExpiry - p.condorNet!.breakEvenLow) < 0.006);
    const stress = p.scenarios.find((r) => r.label === 'stress')!;
    assert.ok(Math.abs(stress.spxAtExpiry - p.coverage.stressSpx) < 0.006);
    // Rows are in SPX order.
    const levels = p.scenarios.map((r) => r.spxAtExpiry);
    assert.deepEqual(
      levels,
      [...levels].sort((a, b) => a - b),
    );
  });

  it('a NO TRADE plan without a book has an all-zero table (the preview skips it)', () => {
    const none = planOf({ spxwExpiry: '2026-03-12' });
    assert.equal(none.outcome.kind, 'no-trade');
    assert.ok(none.scenarios.every((r) => r.condorPnl === 0 && r.hedgePnl === 0 && r.label === 'move'));
  });

  it('net = condor + hedge on every row, SPX at expiry = spot x (1 + move)', () => {
    for (const r of p.scenarios) {
      assert.equal(r.netPnl, r.condorPnl + r.hedgePnl);
      assert.ok(Math.abs(r.spxAtExpiry - 6000 * (1 + r.spxMovePct / 100)) < 0.006);
    }
  });

  it('VIX rises vixBeta per 1% fall and declines half as fast on up moves', () => {
    assert.ok(Math.abs(row(-3).vixSpot - (16 + 3 * 1.2)) < 1e-9);
    assert.ok(Math.abs(row(2).vixSpot - (16 - 2 * 0.6)) < 1e-9);
    assert.equal(vixSpotMove(50, 16, 1.2), -8, 'never below half of today');
  });

  it('the hedge book gains on falls and loses (decay, VIX decline) on rises', () => {
    const hedge = p.scenarios.map((r) => r.hedgePnl);
    for (let i = 1; i < hedge.length; i++) assert.ok(hedge[i]! < hedge[i - 1]!, 'monotone in the move');
    assert.ok(row(-6).hedgePnl > 0);
    assert.ok(row(0).hedgePnl < 0, 'one session of decay');
  });

  it('at the stress move the hedge covers at least c x the condor loss', () => {
    // The stress move is 3 x EM; at the first table row beyond it the hedge meets the coverage.
    const stressPct = (100 * (6000 - p.coverage.stressSpx)) / 6000;
    const beyond = p.scenarios.find((r) => r.spxMovePct <= -Math.ceil(stressPct))!;
    assert.ok(
      beyond.hedgePnl >= p.coverage.requiredStressPnl,
      `${beyond.hedgePnl} >= ${p.coverage.requiredStressPnl}`,
    );
  });

  it('a no-trade plan shows the book alone', () => {
    const none = planOf({ spxwExpiry: '2026-03-12' });
    assert.ok(none.scenarios.every((r) => r.condorPnl === 0 && r.hedgePnl === 0));
  });
});
