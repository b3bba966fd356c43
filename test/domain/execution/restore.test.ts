import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { restore } from '../../../src/domain/execution/restore.ts';
import type { JournaledOrder } from '../../../src/domain/execution/restore.ts';
import { step } from '../../../src/domain/execution/executor.ts';
import { liveCondorContracts } from '../../../src/domain/execution/coverage.ts';
import type { ExecState } from '../../../src/domain/execution/types.ts';
import { priceCents } from '../../../src/domain/money.ts';
import { makePlan, T0 } from './support/exec-fixture.ts';
import { fillReports } from './support/broker-events.ts';
import { one, only, sends } from './support/runner.ts';

const SEC = 1000;
const plan = makePlan({
  hedges: [{ kind: 'hedge-open', id: 'A', quantity: 6, stressPnlPerContract: 50_000 }],
  condorQuantity: 2,
  existingStressPnl: 0,
});
const hedgeRef = `${plan.planId}:hedge:A:open:1`;
const condorRef = `${plan.planId}:condor:1`;

const row = (o: Partial<JournaledOrder> & Pick<JournaledOrder, 'orderRef'>): JournaledOrder => ({
  orderId: 1,
  quantity: 6,
  limitPrice: priceCents(155),
  sentAtMs: T0,
  status: 'Submitted',
  filled: 0,
  absent: false,
  refusal: null,
  ...o,
});

function restored(
  orders: JournaledOrder[],
  nowMs: number,
  executions = fillReports({
    plan,
    orderKey: 'hedge:A:open',
    orderId: 1,
    orderRef: hedgeRef,
    quantity: 6,
    unitPrice: 155,
    tag: 'h',
    atMs: T0 + SEC,
  }),
): ExecState {
  const r = restore({ plan, orders, executions, commissions: [], nowMs });
  assert.ok(r.ok, r.ok ? '' : r.error.join('; '));
  return r.value;
}

describe('restore after a crash', () => {
  it('finishes the plan without sending anything twice: the condor grows by modify, the hedge is not sent again', () => {
    const s = restored(
      [
        row({ orderRef: hedgeRef, status: 'Filled', filled: 6 }),
        row({
          orderRef: condorRef,
          orderId: 2,
          quantity: 1,
          limitPrice: priceCents(-290),
          status: 'Submitted',
          sentAtMs: T0 + 2 * SEC,
        }),
      ],
      T0 + 5 * SEC,
    );
    assert.equal(liveCondorContracts(s), 1);
    const r = step(s, { type: 'tick', atMs: T0 + 5 * SEC });
    assert.deepEqual(only(r.commands, 'submit'), []);
    const m = one(r.commands, 'modify');
    assert.deepEqual([m.orderId, m.orderRef, m.quantity, m.limitPrice], [2, condorRef, 2, -290]);
  });

  it('an intent the journal holds but IB never confirmed blocks everything until reconcile answers; a new attempt takes the next number', () => {
    const s = restored([row({ orderRef: hedgeRef, status: null, orderId: 1 })], T0 + 5 * SEC, []);
    const r1 = step(s, { type: 'tick', atMs: T0 + 5 * SEC });
    assert.deepEqual(sends(r1.commands), []);
    const rec = one(r1.commands, 'reconcile');
    assert.deepEqual([rec.reason, rec.orderRefs], ['unknown-outcome', [hedgeRef]]);
    const r2 = step(r1.state, {
      type: 'reconcile-result',
      atMs: T0 + 6 * SEC,
      requestId: rec.requestId,
      failure: null,
      orders: [{ orderRef: hedgeRef, found: null }],
    });
    const ask = one(r2.commands, 'request-quote');
    const r3 = step(r2.state, {
      type: 'quote',
      atMs: T0 + 6.1 * SEC,
      orderKey: ask.orderKey,
      quote: { legs: [{ bid: 150, ask: 160 }] },
    });
    assert.equal(one(r3.commands, 'submit').orderRef, `${plan.planId}:hedge:A:open:2`);
  });

  it('a refused submit stays refused; a proved absence may be retried', () => {
    const s = restored(
      [row({ orderRef: hedgeRef, status: null, refusal: { code: 201, text: 'rejected' } })],
      T0 + 5 * SEC,
      [],
    );
    assert.equal(s.slots[0]!.tracks[0]!.phase, 'refused');
    assert.deepEqual(sends(step(s, { type: 'tick', atMs: T0 + 5 * SEC }).commands), []);
  });

  it('the ladder resumes at the step that is due, from a fresh quote', () => {
    const s = restored([row({ orderRef: hedgeRef })], T0 + 65 * SEC, []);
    const ask = one(step(s, { type: 'tick', atMs: T0 + 65 * SEC }).commands, 'request-quote');
    assert.deepEqual([ask.orderKey, ask.purpose, ask.step], ['hedge:A:open', 'step', 2]);
  });

  it("refuses journal rows that are not this plan's", () => {
    const r = restore({
      plan,
      orders: [
        row({ orderRef: 'other-plan:hedge:A:open:1' }),
        row({ orderRef: `${plan.planId}:hedge:Z:open:1` }),
        row({ orderRef: 'garbage' }),
      ],
      executions: [],
      commissions: [],
      nowMs: T0,
    });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? 0 : r.error.length, 3);
  });
});
