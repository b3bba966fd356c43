import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import type { Plan, PlanOrder } from '../../src/domain/plan/types.ts';
import { cents, priceCents } from '../../src/domain/money.ts';
import { defaultStrategy } from '../support/default-strategy.ts';
import { makeSnapshot, testCalendar } from '../support/snapshot-factory.ts';

const strategy = defaultStrategy();
const good = buildPlan({ snapshot: makeSnapshot(), strategy, calendar: testCalendar(), mode: 'sim' });
const condorIndex = good.orders.findIndex((o) => o.kind === 'condor-open');
const condor = good.orders[condorIndex]!;

function violations(p: Plan): string[] {
  return checkPlan(p, strategy);
}

function withOrder(i: number, patch: Partial<PlanOrder>): Plan {
  return { ...good, orders: good.orders.map((o, j) => (j === i ? { ...o, ...patch } : o)) };
}

describe('checkPlan', () => {
  it('accepts the planner output', () => {
    assert.deepEqual(violations(good), []);
  });

  it('flags a condor sent before its hedge', () => {
    const reordered = { ...good, orders: [condor, ...good.orders.filter((o) => o !== condor)] };
    assert.ok(violations(reordered).some((v) => /hedge orders must precede the condor/.test(v)));
  });

  it('flags a condor quantity over the caps', () => {
    const q = strategy.condor.maxCondors + 1;
    const big = { ...withOrder(condorIndex, { quantity: q }), condorQuantity: q };
    const v = violations(big);
    assert.ok(v.some((x) => /> maxCondors/.test(x)));
    assert.ok(v.some((x) => /> maxRiskPerCycle/.test(x)));
  });

  it('flags coverage below the requirement', () => {
    const short = { ...good, coverage: { ...good.coverage, newStressPnl: cents(0) } };
    assert.ok(violations(short).some((v) => /coverage .* < requirement/.test(v)));
  });

  it('flags carry over the budget and premium over the cash guard', () => {
    const b = good.budget!;
    const over = {
      ...good,
      budget: { ...b, newCarry: cents(b.carryBudget + 1), newPremium: cents(b.premiumCap + 1) },
    };
    const v = violations(over);
    assert.ok(v.some((x) => /new carry .* > budget/.test(x)));
    assert.ok(v.some((x) => /new premium .* > cash guard/.test(x)));
  });

  it('flags ladders off tick, not monotone, not starting at mid or not ending at the floor', () => {
    const l = condor.ladder;
    const offTick = withOrder(condorIndex, {
      ladder: { ...l, prices: [l.prices[0]!, priceCents(l.prices[1]! + 1), ...l.prices.slice(2)] },
    });
    assert.ok(violations(offTick).some((v) => /off the SPX-COMBO tick/.test(v)));
    const upward = withOrder(condorIndex, { ladder: { ...l, prices: [...l.prices].reverse() } });
    assert.ok(violations(upward).some((v) => /not monotone|not at mid/.test(v)));
    const shortLadder = withOrder(condorIndex, { ladder: { ...l, prices: l.prices.slice(0, -1) } });
    assert.ok(violations(shortLadder).some((v) => /not at its floor/.test(v)));
  });

  it('flags a condor credit below the minimum and short strikes inside 1 x EM', () => {
    const c = good.condor!;
    const thin = { ...good, condor: { ...c, credit: priceCents(50) } };
    assert.ok(violations(thin).some((v) => /credit 50 < minimum/.test(v)));
    const close = { ...good, condor: { ...c, shortPut: c.spot - 10 } };
    assert.ok(violations(close).some((v) => /short put .* inside 1 x EM/.test(v)));
  });

  it('flags a no-trade plan that still carries a condor order', () => {
    const bad: Plan = {
      ...good,
      outcome: {
        kind: 'no-trade',
        reason: 'risk-cap',
        detail: { kind: 'risk-cap', cap: { cap: 0, binding: { kind: 'maxCondors', maxCondors: 0 } } },
      },
    };
    const v = violations(bad);
    assert.ok(v.some((x) => /no-trade plan has a condor order/.test(x)));
    assert.ok(v.some((x) => /no-trade plan has condor quantity/.test(x)));
  });

  it('flags non-integer quantities and unknown order kinds', () => {
    const frac = withOrder(0, { quantity: 1.5 });
    assert.ok(violations(frac).some((v) => /not a positive integer/.test(v)));
    const stop = withOrder(0, { kind: 'stop-loss' as PlanOrder['kind'] });
    assert.ok(violations(stop).some((v) => /unknown kind stop-loss/.test(v)));
  });
});
