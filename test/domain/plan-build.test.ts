import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { HeldLayer, MarketSnapshot } from '../../src/domain/snapshot.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';
import { cents } from '../../src/domain/money.ts';
import { defaultStrategy, strategyWith } from '../support/default-strategy.ts';
import { heldLayer, makeSnapshot, testCalendar, withSpxwQuote } from '../support/snapshot-factory.ts';
import type { SnapshotParams } from '../support/snapshot-factory.ts';
import { noTradeDetailText, rationaleText } from '../support/plan-text.ts';
import { bindingText } from '../../src/cli/render/rationale-text.ts';

function plan(s: MarketSnapshot, strategy: StrategyConfig = defaultStrategy()): Plan {
  const p = buildPlan({ snapshot: s, strategy, calendar: testCalendar(), mode: 'sim' });
  assert.deepEqual(checkPlan(p, strategy), [], 'the plan keeps its invariants');
  return p;
}

const planFor = (params: SnapshotParams = {}, strategy?: StrategyConfig): Plan =>
  plan(makeSnapshot(params), strategy);

/** A VIXW 2026-04-08 (29 days) 21 call: the default template A's instrument in the default snapshot. */
const layerA = (quantity: number, layerId = 'H1'): HeldLayer =>
  heldLayer({ layerId, expiry: '2026-04-08', tradingClass: 'VIXW', longStrike: 21, quantity });

/** Thursday 2026-03-12: the VIX 2026-03-18 monthly is 6 days out, below minHedgeDte 7. */
const THURSDAY = '2026-03-12T15:45:00-04:00';
const due = heldLayer({
  layerId: 'OLD',
  expiry: '2026-03-18',
  tradingClass: 'VIX',
  longStrike: 17,
  quantity: 5,
});

const kinds = (p: Plan): string[] => p.orders.map((o) => o.kind);
const opened = (p: Plan): number =>
  p.orders.filter((o) => o.kind === 'hedge-open').reduce((s, o) => s + o.quantity, 0);
const noTradeReason = (p: Plan): string | null => (p.outcome.kind === 'no-trade' ? p.outcome.reason : null);

describe('buildPlan: a default cycle', () => {
  const p = planFor();

  it('trades: hedge layers first, the condor last as a BUY BAG at a negative limit', () => {
    assert.equal(p.outcome.kind, 'trade');
    assert.deepEqual(kinds(p), ['hedge-open', 'hedge-open', 'condor-open']);
    const condor = p.orders.at(-1)!;
    assert.equal(condor.action, 'BUY');
    assert.deepEqual(
      condor.legs.map((l) => l.action),
      ['SELL', 'BUY', 'SELL', 'BUY'],
    );
    assert.ok(condor.ibLimitPriceCents.every((x) => x < 0));
    assert.equal(condor.ibLimitPriceCents[0], 0 - p.condor!.credit);
    const spread = p.orders.find((o) => o.templateId === 'B')!;
    assert.equal(spread.action, 'BUY');
    assert.deepEqual(
      spread.legs.map((l) => `${l.action} ${l.contract.tradingClass}`),
      ['BUY VIXW', 'SELL VIXW'],
    );
    assert.ok(spread.ibLimitPriceCents.every((x) => x > 0));
  });

  it('sizes the book to the coverage the condor quantity needs', () => {
    const c = p.coverage;
    assert.equal(c.coverageTarget, 0.6);
    assert.equal(c.requiredStressPnl, Math.ceil(0.6 * c.condorStressLossPerContract * p.condorQuantity));
    assert.ok(c.existingStressPnl + c.newStressPnl >= c.requiredStressPnl);
    assert.equal(p.condorQuantity, Math.floor(1_000_000 / p.condor!.maxLossPerContract));
  });

  it('is deterministic, and its id depends on the cycle, the strategy and asOf', () => {
    assert.deepEqual(planFor(), p);
    const later = planFor({ asOf: '2026-03-10T15:46:00-04:00' });
    assert.notEqual(later.planId, p.planId);
    assert.match(p.planId, /^2026-03-10-[0-9a-f]{8}$/);
  });

  it('writes every decision with its numbers into the rationale', () => {
    const text = rationaleText(p);
    assert.match(text, /EM = 6000\.00 x 0\.16\d\d x sqrt/);
    assert.match(text, /short put: \|delta\| nearest 0\.1/);
    assert.match(text, /stress: SPX -3 x EM/);
    assert.match(text, /regime multiplier = 1/);
    assert.match(text, /q=\d+: required 0\.6000 x \$[\d,.]+ x \d+ = \$[\d,.]+; existing \$0\.00/);
    assert.match(text, /carry \$[\d,.]+ vs budget 0\.35 x credit/);
    assert.match(text, /TRADE \d+ condor/);
  });

  it('produces the scenario table from -6% to +6% and a finer payoff curve', () => {
    assert.deepEqual(
      p.scenarios.filter((r) => r.label === 'move').map((r) => r.spxMovePct),
      [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      p.scenarios.filter((r) => r.label !== 'move').map((r) => r.label),
      ['stress', 'break-even-low', 'break-even-high'],
    );
    assert.equal(p.payoff?.length, 49);
  });

  it('plans the same with quotes that carry no greeks (vols solved from mids)', () => {
    const bare = planFor({ withGreeks: false });
    assert.equal(bare.outcome.kind, 'trade');
    assert.ok(Math.abs(bare.condor!.shortPut - p.condor!.shortPut) <= 5);
  });
});

describe('buildPlan: the hedge book carried from earlier cycles', () => {
  it('a book that already covers the condor lets it trade without buying anything', () => {
    const p = planFor({ hedgeBook: [layerA(60)] });
    assert.equal(p.outcome.kind, 'trade');
    assert.deepEqual(kinds(p), ['condor-open']);
    assert.equal(p.budget!.newCarry, 0);
    assert.ok(p.coverage.existingStressPnl >= p.coverage.requiredStressPnl);
  });

  it('existing layers reduce what is bought', () => {
    const empty = planFor();
    const some = planFor({ hedgeBook: [layerA(20)] });
    assert.equal(some.condorQuantity, empty.condorQuantity);
    assert.ok(opened(some) < opened(empty), `${opened(some)} < ${opened(empty)}`);
    assert.ok(some.coverage.newStressPnl < empty.coverage.newStressPnl);
  });

  it('a binding carry budget shrinks the condor, never the hedge', () => {
    const strategy = strategyWith({ sizing: { hedgeBudgetPct: 0.1 } });
    const loose = planFor({ hedgeBook: [layerA(10)] });
    const tight = planFor({ hedgeBook: [layerA(10)] }, strategy);
    assert.ok(tight.condorQuantity >= 1 && tight.condorQuantity < loose.condorQuantity);
    assert.equal(bindingText(tight.budget!.binding), 'budget');
    assert.ok(tight.budget!.newCarry <= tight.budget!.carryBudget);
    const c = tight.coverage;
    assert.ok(c.existingStressPnl + c.newStressPnl >= c.requiredStressPnl, 'still fully covered');
  });

  it('when not even one condor fits the budget: no condor, no new layer, rolls still happen', () => {
    const strategy = strategyWith({ sizing: { hedgeBudgetPct: 0.01 } });
    const p = planFor({ asOf: THURSDAY, hedgeBook: [due] }, strategy);
    assert.equal(noTradeReason(p), 'budget');
    assert.deepEqual(kinds(p), ['hedge-roll-close']);
    assert.equal(p.condorQuantity, 0);
    assert.match(noTradeDetailText(p), /carry \$[\d,.]+ vs budget/);
  });

  it('the cash guard caps the premium of new layers', () => {
    const strategy = strategyWith({ sizing: { maxHedgePremiumPerCycle: cents(150_000) } });
    const p = planFor({}, strategy);
    assert.equal(p.outcome.kind, 'trade');
    assert.equal(bindingText(p.budget!.binding), 'cash guard');
    assert.ok(p.budget!.newPremium <= 150_000);
  });

  it('rolls layers below minHedgeDte at every cycle point, first in the plan', () => {
    const p = planFor({ asOf: THURSDAY, hedgeBook: [due, layerA(20)] });
    assert.equal(p.orders[0]?.kind, 'hedge-roll-close');
    assert.equal(p.orders[0]?.action, 'SELL');
    assert.equal(p.orders[0]?.quantity, 5);
    assert.equal(p.orders[0]?.layerId, 'OLD');
    assert.ok(p.orders[0].ibLimitPriceCents.every((x) => x > 0));
    assert.equal(p.hedgeBookBefore.find((l) => l.layerId === 'OLD')?.counts, false);
    assert.ok(!p.hedgeBookAfter.some((l) => l.layerId === 'OLD'));
    assert.equal(p.orders.at(-1)?.kind, 'condor-open');
  });

  it('docs/strategy.md 2 "A layer nobody bids for ... is not offered: it stops counting and is left to settle at its expiry"', () => {
    const worthless = heldLayer({
      layerId: 'W',
      expiry: '2026-03-11',
      tradingClass: 'VIXW',
      longStrike: 18,
      quantity: 5,
    });
    const p = planFor({ hedgeBook: [worthless] });
    assert.ok(!p.orders.some((o) => o.kind === 'hedge-roll-close'));
    assert.equal(p.hedgeBookAfter.find((l) => l.layerId === 'W')?.counts, false);
    assert.match(
      rationaleText(p),
      /roll W: 1d < minHedgeDte 7d, but nobody bids for it \(18C bid 0; .*\): not offered; it stops counting and settles at expiry/,
    );
  });

  it('trims after a VIX spike: sells down to trimTo x the requirement at the cap, not below', () => {
    const strategy = defaultStrategy();
    const p = planFor({ hedgeBook: [layerA(200)] });
    const trim = p.orders.find((o) => o.kind === 'hedge-trim');
    assert.ok(trim !== undefined);
    assert.deepEqual(kinds(p), ['hedge-trim', 'condor-open']);
    const perContract = p.hedgeBookBefore[0]!.stressPnlPerContract;
    const before = perContract * 200;
    const reqCap = Math.ceil(0.6 * p.coverage.condorStressLossPerContract * p.condorQuantity);
    const target = strategy.sizing.trim.trimTo * reqCap;
    const after = p.hedgeBookAfter.reduce((s, l) => s + l.stressPnlPerContract * l.quantity, 0);
    assert.ok(before > strategy.sizing.trim.trimAbove * reqCap);
    assert.ok(after >= target && after - perContract < target, `after ${after} target ${target}`);
    assert.equal(p.hedgeBookAfter[0]?.quantity, 200 - trim.quantity);
  });

  it('no trim when the strategy turns it off', () => {
    const strategy = strategyWith({ sizing: { trim: { enabled: false, trimAbove: 2, trimTo: 1.25 } } });
    const p = planFor({ hedgeBook: [layerA(200)] }, strategy);
    assert.deepEqual(kinds(p), ['condor-open']);
  });
});

describe('buildPlan: regime and coverage target', () => {
  it('term-structure backwardation raises the coverage target by its factor', () => {
    const p = planFor({ vix9d: 17.5, vix3m: 18 });
    assert.ok(Math.abs(p.coverage.regimeMultiplier - 1.3) < 1e-12);
    assert.ok(Math.abs(p.coverage.coverageTarget - 0.78) < 1e-12);
  });

  it('the coverage target is clamped to coverageMax', () => {
    const strategy = strategyWith({ sizing: { coverageMax: 0.7 } });
    const p = planFor({ vix9d: 17.5, vix3m: 18 }, strategy);
    assert.equal(p.coverage.coverageTarget, 0.7);
    assert.ok(p.coverage.existingStressPnl + p.coverage.newStressPnl >= p.coverage.requiredStressPnl);
  });

  it('an event on the expiry day upsizes the hedge under the default policy', () => {
    const p = planFor({ events: [{ date: '2026-03-11', kind: 'CPI' }] });
    assert.deepEqual(p.event, {
      kinds: ['CPI'],
      policy: 'upsize-hedge',
      uncovered: false,
      coveredThrough: '2027-12-31',
    });
    assert.ok(Math.abs(p.coverage.regimeMultiplier - 1.3) < 1e-12);
  });

  it('event policy skip: no condor, reason event-skip, rolls still happen', () => {
    const strategy = strategyWith({ condor: { eventPolicy: 'skip' } });
    const p = planFor(
      { asOf: THURSDAY, events: [{ date: '2026-03-13', kind: 'FOMC' }], hedgeBook: [due] },
      strategy,
    );
    assert.equal(noTradeReason(p), 'event-skip');
    assert.deepEqual(kinds(p), ['hedge-roll-close']);
    assert.equal(p.condor, null);
  });
});

describe('buildPlan: refusals', () => {
  it('thin credit', () => {
    const p = planFor({}, strategyWith({ condor: { minCreditPctOfWidth: 0.3 } }));
    assert.equal(noTradeReason(p), 'thin-credit');
    assert.deepEqual(p.orders, []);
  });

  it('bad quotes on a short leg', () => {
    const s = makeSnapshot();
    const shortPut = planFor().condor!.shortPut;
    const p = plan(withSpxwQuote(s, shortPut, 'P', (q) => ({ ...q, ageSeconds: 600 })));
    assert.equal(noTradeReason(p), 'bad-quotes');
    assert.equal(p.condorQuantity, 0);
  });

  it('no hedge instrument in the template window when a hedge is needed', () => {
    const p = planFor({ vixHorizonDays: 12 });
    assert.equal(noTradeReason(p), 'no-hedge-instrument');
    assert.deepEqual(p.orders, []);
  });

  it('without a listed hedge expiry a book that already covers still trades', () => {
    const held = heldLayer({
      layerId: 'H8',
      expiry: '2026-03-18',
      tradingClass: 'VIX',
      longStrike: 19,
      quantity: 150,
    });
    const p = planFor({ vixHorizonDays: 12, hedgeBook: [held] });
    assert.equal(p.outcome.kind, 'trade');
    assert.equal(opened(p), 0);
  });

  it('the SPXW chain is not the next trading day', () => {
    assert.equal(noTradeReason(planFor({ spxwExpiry: '2026-03-12' })), 'no-expiry');
  });

  it('the risk cap admits no condor', () => {
    const p = planFor({}, strategyWith({ condor: { maxRiskPerCycle: cents(100_000) } }));
    assert.equal(noTradeReason(p), 'risk-cap');
  });

  it('a Friday cycle trades Monday with T = (15/390 + 1)/252', () => {
    const p = planFor({ asOf: '2026-03-13T15:45:00-04:00' });
    assert.equal(p.condor?.expiry, '2026-03-16');
    assert.ok(Math.abs(p.condor.timeToExpiryYears - (15 / 390 + 1) / 252) < 1e-12);
  });
});

describe('buildPlan: a closed market', () => {
  it('plans no order at all on a day NYSE is closed, not even a roll', () => {
    const p = planFor({ asOf: '2026-03-14T15:45:00-04:00', hedgeBook: [due] });
    assert.equal(noTradeReason(p), 'market-closed');
    assert.match(
      noTradeDetailText(p),
      /market closed: nothing would be sent \(2026-03-14 is not an NYSE session \(weekend\)\)/,
    );
    assert.deepEqual(p.orders, []);
  });
});
