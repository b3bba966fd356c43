import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IB_ORDER_STATUSES,
  ORDER_EVENT_KINDS,
  ORDER_PHASES,
  ORDER_TRANSITIONS,
  isFinalPhase,
  isLivePhase,
  nextPhase,
} from '../../../src/domain/execution/order-state.ts';
import type { OrderEventKind, OrderPhase } from '../../../src/domain/execution/order-state.ts';

describe('order state table', () => {
  it('has a next phase for every (phase, event) pair', () => {
    assert.equal(ORDER_EVENT_KINDS.length, 26);
    assert.equal(ORDER_PHASES.length, 11);
    for (const e of ORDER_EVENT_KINDS)
      for (const p of ORDER_PHASES) assert.ok(ORDER_PHASES.includes(nextPhase(p, e)), `${p} x ${e}`);
    assert.equal(Object.keys(ORDER_TRANSITIONS).length, ORDER_EVENT_KINDS.length);
  });

  it("covers every IB status, IB's own names", () => {
    assert.deepEqual([...IB_ORDER_STATUSES].sort(), [
      'ApiCancelled',
      'ApiPending',
      'Cancelled',
      'Filled',
      'Inactive',
      'PendingCancel',
      'PendingSubmit',
      'PreSubmitted',
      'Submitted',
    ]);
  });

  const cases: readonly [OrderPhase, OrderEventKind, OrderPhase, string][] = [
    ['sending', 'submit-sent', 'pending-submit', 'the usual path'],
    ['sending', 'status:Submitted', 'submitted', 'a status before the submit outcome (and before openOrder)'],
    ['submitted', 'submit-sent', 'submitted', 'the late outcome after the status changes nothing'],
    ['sending', 'submit-unknown', 'unknown', 'no answer: may or may not exist'],
    ['unknown', 'status:Submitted', 'submitted', 'IB shows it while reconcile is out'],
    ['unknown', 'reconcile-absent', 'absent', 'reconcile proved IB has none'],
    ['sending', 'reconcile-absent', 'sending', 'never proved absent while the send is in flight'],
    ['submitted', 'status:PendingSubmit', 'submitted', 'an older status arriving late'],
    ['pending-cancel', 'status:Submitted', 'pending-cancel', 'an older status after the cancel request'],
    ['pending-cancel', 'cancel-refused', 'submitted', 'the cancel lost the race: the order still works'],
    ['cancelled', 'status:Filled', 'filled', 'a fill that raced the cancel'],
    ['cancelled', 'status:Submitted', 'cancelled', 'a status after a final state'],
    ['filled', 'status:Cancelled', 'filled', 'Filled is never undone'],
    ['refused', 'status:Cancelled', 'refused', 'IB cancels what it refused'],
    ['inactive', 'status:Submitted', 'submitted', 'an inactive order reactivated'],
    ['absent', 'status:Submitted', 'submitted', 'the proof of absence was wrong: tracked again'],
    ['pre-submitted', 'execution', 'pre-submitted', 'fills are counted by execId, never by phase'],
    ['submitted', 'error:refused', 'submitted', 'an error is followed by the status that settles it'],
    ['submitted', 'submit-refused', 'refused', 'the port answered refused after IB acknowledged'],
  ];
  for (const [from, e, to, why] of cases)
    it(`${from} x ${e} -> ${to}: ${why}`, () => assert.equal(nextPhase(from, e), to));

  it('executions, commissions and errors never move a phase', () => {
    const inert: OrderEventKind[] = [
      'execution',
      'commission',
      'error:refused',
      'error:unknown',
      'error:connectivity',
      'error:info',
    ];
    for (const e of inert) for (const p of ORDER_PHASES) assert.equal(nextPhase(p, e), p, `${p} x ${e}`);
  });

  it('a final phase is left only for Filled, a reactivation, or a proof of absence proved wrong', () => {
    for (const p of ORDER_PHASES.filter(isFinalPhase))
      for (const e of ORDER_EVENT_KINDS) {
        const n = nextPhase(p, e);
        if (n === p || n === 'filled') continue;
        assert.ok(p === 'inactive' || p === 'absent', `${p} x ${e} -> ${n}`);
        assert.ok(e.startsWith('status:'), `${p} leaves only on IB's own status, not on ${e}`);
      }
  });

  it('live and final partition the phases', () => {
    for (const p of ORDER_PHASES) assert.notEqual(isLivePhase(p), isFinalPhase(p));
    assert.deepEqual(ORDER_PHASES.filter(isFinalPhase), [
      'inactive',
      'cancelled',
      'filled',
      'refused',
      'absent',
    ]);
  });
});
