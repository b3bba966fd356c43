// Review findings on the planner's money path: each test pins a defect found in review.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import type { Plan, PlanOrder } from '../../src/domain/plan/types.ts';
import { cents } from '../../src/domain/money.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';
import { defaultStrategy, strategyWith } from '../support/default-strategy.ts';
import { heldLayer, makeSnapshot, testCalendar } from '../support/snapshot-factory.ts';
import type { SnapshotParams } from '../support/snapshot-factory.ts';
import { rationaleText } from '../support/plan-text.ts';

function planFor(params: SnapshotParams, strategy: StrategyConfig): Plan {
  return buildPlan({ snapshot: makeSnapshot(params), strategy, calendar: testCalendar(), mode: 'sim' });
}

const condorOf = (p: Plan): PlanOrder => p.orders.find((o) => o.kind === 'condor-open')!;

/** Max loss of the whole condor order if it fills at its ladder floor (the lowest credit it accepts). */
function maxLossAtFloor(p: Plan): number {
  const o = condorOf(p);
  return (p.condor!.widthPoints * 100 - o.ladder.floor) * 100 * o.quantity;
}

describe('review: maxRiskPerCycle holds at every credit the condor ladder accepts', () => {
  // The default snapshot's condor: mid credit 3.15, max loss $2,185 at mid, $2,400 at the 1.00 floor.
  const mid = planFor({}, defaultStrategy());
  const maxLossAtMid = mid.condor!.maxLossPerContract;
  // A cap that fits 4 condors at the mid credit but not at the floor credit.
  const cap = cents(4 * maxLossAtMid + 100);
  const strategy = strategyWith({ condor: { maxRiskPerCycle: cap } });

  it('sizes q so that a fill at the ladder floor stays within maxRiskPerCycle', () => {
    const p = planFor({}, strategy);
    assert.equal(p.outcome.kind, 'trade');
    assert.ok(
      maxLossAtFloor(p) <= cap,
      `q=${p.condorQuantity}: max loss at the floor ${maxLossAtFloor(p)} > maxRiskPerCycle ${cap}`,
    );
    assert.deepEqual(checkPlan(p, strategy), []);
  });

  it('checkPlan flags a condor order whose fill at the floor would break maxRiskPerCycle', () => {
    const p = planFor({}, defaultStrategy());
    const tight = strategyWith({ condor: { maxRiskPerCycle: cents(maxLossAtFloor(p) - 1) } });
    // q x max loss at mid still fits this cap, so only the floor-credit check can catch it.
    assert.ok(p.condorQuantity * p.condor!.maxLossPerContract <= (tight.condor.maxRiskPerCycle as number));
    assert.ok(checkPlan(p, tight).some((v) => /at the ladder floor .* > maxRiskPerCycle/.test(v)));
  });
});

describe('review: checkPlan checks the direction and legs of hedge orders', () => {
  const strategy = defaultStrategy();
  const good = planFor({}, strategy);
  const i = good.orders.findIndex((o) => o.kind === 'hedge-open' && o.legs.length === 2);
  const spread = good.orders[i]!;
  const withOrder = (patch: Partial<PlanOrder>): Plan => ({
    ...good,
    orders: good.orders.map((o, j) => (j === i ? { ...o, ...patch } : o)),
  });

  it('accepts the planner output', () => {
    assert.deepEqual(checkPlan(good, strategy), []);
  });

  it('flags a new hedge layer that SELLs instead of buying', () => {
    assert.ok(checkPlan(withOrder({ action: 'SELL' }), strategy).some((v) => /hedge-open must BUY/.test(v)));
  });

  it('flags a call spread bought upside down (short leg below the long leg)', () => {
    const [long, short] = spread.legs as [PlanOrder['legs'][0], PlanOrder['legs'][0]];
    const flipped = withOrder({
      legs: [
        { ...long, action: 'SELL' },
        { ...short, action: 'BUY' },
      ],
    });
    assert.ok(
      checkPlan(flipped, strategy).some((v) => /not a long VIX call or a long call vertical/.test(v)),
    );
  });
});

describe('review: a trim blocked by quotes says so', () => {
  // VIX at 25 makes the held 21 call deep in the money: its quoted spread exceeds maxLegSpread 0.30.
  const book = [
    heldLayer({ layerId: 'H1', expiry: '2026-04-08', tradingClass: 'VIXW', longStrike: 21, quantity: 300 }),
  ];
  const strategy = defaultStrategy();
  const p = planFor({ hedgeBook: book, vixSpot: 25 }, strategy);

  it('names the quote problem instead of claiming a sale would go below the target', () => {
    assert.deepEqual(checkPlan(p, strategy), []);
    assert.ok(!p.orders.some((o) => o.kind === 'hedge-trim'));
    const text = rationaleText(p);
    assert.match(text, /trim check: .*trim toward/);
    assert.match(text, /H1 .*not sellable/);
    assert.doesNotMatch(text, /no layer can be sold without going below the target/);
  });
});

describe('rules that were already right, now written down (docs/strategy.md)', () => {
  const strategy = defaultStrategy();
  const p = planFor({}, strategy);
  const opens = p.orders.filter((o) => o.kind === 'hedge-open');

  it('docs/strategy.md 3 "Cash guard: new premium ... counted at the most each order may pay (the last step of its ladder)"', () => {
    assert.ok(opens.length > 0);
    const atLastStep = opens.reduce((s, o) => s + (o.ladder.prices.at(-1) ?? 0) * 100 * o.quantity, 0);
    assert.equal(p.budget!.newPremium, atLastStep);
    // Not the mid: the mid would count less than the order may pay.
    const atMid = opens.reduce((s, o) => s + o.midPrice * 100 * o.quantity, 0);
    assert.ok(atMid < atLastStep, `mid ${atMid} < last step ${atLastStep}`);
  });
});
