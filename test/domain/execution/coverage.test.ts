import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedCondorContracts,
  condorStressLossAt,
  coverageCents,
} from '../../../src/domain/execution/coverage.ts';
import { initial } from '../../../src/domain/execution/executor.ts';
import { restore } from '../../../src/domain/execution/restore.ts';
import {
  averageUnitPrice,
  balancedUnits,
  fillRecord,
  filledUnits,
  sideMagnitude,
} from '../../../src/domain/execution/fills.ts';
import type { ExecState } from '../../../src/domain/execution/types.ts';
import { cents } from '../../../src/domain/money.ts';
import { buildPlan } from '../../../src/domain/plan/build-plan.ts';
import type { Plan } from '../../../src/domain/plan/types.ts';
import { defaultStrategy } from '../../support/default-strategy.ts';
import { heldLayer, makeSnapshot, openCondor, testCalendar } from '../../support/snapshot-factory.ts';
import type { SnapshotParams } from '../../support/snapshot-factory.ts';
import { makePlan, T0 } from './support/exec-fixture.ts';
import { fillReports, planOrder } from './support/broker-events.ts';

describe('fills', () => {
  const plan = makePlan({
    hedges: [{ kind: 'hedge-open', id: 'B', quantity: 3, stressPnlPerContract: 1, legs: 2 }],
    condorQuantity: 2,
    existingStressPnl: 0,
  });
  const condor = planOrder(plan, 'condor');
  const spread = planOrder(plan, 'hedge:B:open');

  it('counts a combo unit only once every leg filled it', () => {
    const reports = fillReports({
      plan,
      orderKey: 'condor',
      orderId: 1,
      orderRef: 'r',
      quantity: 2,
      unitPrice: 280,
      tag: 'f',
      atMs: T0,
    });
    const recs = reports.map((r) => fillRecord(condor, r));
    assert.equal(filledUnits(condor, recs.slice(0, 3)), 0);
    assert.equal(balancedUnits(condor, recs.slice(0, 3)), null);
    assert.equal(filledUnits(condor, recs), 2);
    assert.equal(balancedUnits(condor, recs), 2);
    assert.equal(averageUnitPrice(condor, recs), 280, 'the credit: sold legs less bought legs');
  });

  it('reads a debit spread and a BAG-level execution the way IB signs them', () => {
    const recs = fillReports({
      plan,
      orderKey: 'hedge:B:open',
      orderId: 1,
      orderRef: 'r',
      quantity: 3,
      unitPrice: 53,
      tag: 'g',
      atMs: T0,
    }).map((r) => fillRecord(spread, r));
    assert.equal(filledUnits(spread, recs), 3);
    assert.equal(averageUnitPrice(spread, recs), 53);
    const bag = fillRecord(condor, {
      ...fillReports({
        plan,
        orderKey: 'condor',
        orderId: 1,
        orderRef: 'r',
        quantity: 1,
        unitPrice: 0,
        tag: 'b',
        atMs: T0,
      })[0]!,
      contract: { kind: 'combo', symbol: 'SPX' },
      side: 'BOT',
      price: -295 as never,
    });
    assert.equal(filledUnits(condor, [bag]), 1);
    assert.equal(averageUnitPrice(condor, [bag]), 295);
    assert.equal(sideMagnitude(condor, -2.95), 295, "IB's avgFillPrice of a credit condor bought at -2.95");
    assert.equal(sideMagnitude(spread, 0.53), 53);
  });
});

describe('coverage', () => {
  it('counts held layers, takes off trims that work or may be sent, adds hedge contracts filled', () => {
    const plan = makePlan({
      hedges: [
        { kind: 'hedge-trim', id: 'L1', quantity: 2, stressPnlPerContract: 40_000 },
        { kind: 'hedge-open', id: 'A', quantity: 4, stressPnlPerContract: 50_000 },
      ],
      condorQuantity: 3,
      existingStressPnl: 100_000,
    });
    const s: ExecState = initial(plan);
    // Before anything: the trim may still be sent, so the book counts as after it.
    assert.equal(coverageCents({ ...s, nowMs: T0 }), 100_000);
    // Past the trim's deadline without sending it: its layers stay.
    assert.equal(coverageCents({ ...s, nowMs: T0 + 11 * 60_000 }), 180_000);
  });

  it("the stress loss of a condor at a credit is the planner's rule", () => {
    const plan = buildPlan({
      snapshot: makeSnapshot(),
      strategy: defaultStrategy(),
      calendar: testCalendar(),
      mode: 'sim',
    });
    const order = plan.orders.find((o) => o.kind === 'condor-open')!;
    assert.equal(
      condorStressLossAt(plan.condor!, order.ladder.floor, plan.coverage.stressSpx),
      plan.coverage.condorStressLossPerContract,
    );
  });

  const planFor = (p: SnapshotParams): Plan =>
    buildPlan({
      snapshot: makeSnapshot(p),
      strategy: defaultStrategy(),
      calendar: testCalendar(),
      mode: 'sim',
    });
  const cases: readonly [string, SnapshotParams][] = [
    ['an empty book', {}],
    [
      "the previous cycle's condor still open, near its short put",
      {
        openCondors: [openCondor()],
      },
    ],
    ['a calm day', { atmIv: 0.11, vixSpot: 13 }],
    ['a stressed day', { atmIv: 0.3, vixSpot: 32 }],
    [
      'a partly held book',
      {
        hedgeBook: [
          heldLayer({
            layerId: 'H1',
            expiry: '2026-04-08',
            tradingClass: 'VIXW',
            longStrike: 21,
            quantity: 3,
          }),
        ],
      },
    ],
  ];
  for (const [name, params] of cases)
    it(`agrees with the planner: when every hedge fills, the whole planned condor is covered (${name})`, () => {
      const plan = planFor(params);
      if (plan.condorQuantity === 0)
        return assert.fail(`${name}: the planner chose no condor (${plan.outcome.kind})`);
      // Every hedge bought in full, as the journal holds it after reconcile.
      const opens = plan.orders.filter((x) => x.kind === 'hedge-open');
      const refOf = (key: string): string => `${plan.planId}:${key}:1`;
      const r = restore({
        plan,
        orders: opens.map((o, k) => ({
          orderRef: refOf(o.key),
          orderId: k + 1,
          quantity: o.quantity,
          limitPrice: o.ladder.floor,
          sentAtMs: Date.parse(plan.asOf),
          status: 'Filled',
          filled: o.quantity,
          absent: false,
          refusal: null,
        })),
        executions: opens.flatMap((o, k) => fillReportsFor(plan, o.key, k + 1, refOf(o.key), o.quantity)),
        commissions: [],
        nowMs: Date.parse(plan.asOf),
      });
      assert.ok(r.ok);
      const s = r.value;
      assert.equal(allowedCondorContracts(s), plan.condorQuantity);
      // Open condors of earlier cycles take their share of the coverage first (docs/strategy.md section 3).
      const coverage = coverageCents(s);
      const crowded = { ...plan.coverage, openCondorsStressLoss: cents(coverage) };
      assert.equal(allowedCondorContracts({ ...s, plan: { ...plan, coverage: crowded } }), 0);
    });
});

/** Executions of a built plan's order, legs balanced (only the count matters here). */
function fillReportsFor(plan: Plan, key: string, orderId: number, orderRef: string, quantity: number) {
  const o = plan.orders.find((x) => x.key === key)!;
  return o.legs.map((l, i) => ({
    execId: `${key}.${i}`,
    orderId,
    permId: orderId,
    clientId: 1,
    orderRef,
    account: 'DU1',
    contract: { kind: 'option' as const, contract: l.contract },
    side: l.action === 'BUY' ? ('BOT' as const) : ('SLD' as const),
    quantity: quantity * l.ratio,
    price: 100 as never,
    cumQuantity: quantity,
    timeMs: 0,
  }));
}
