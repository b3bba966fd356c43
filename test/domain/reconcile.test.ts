// Reconciliation, case by case: each action and each flag, from a journal that saw part of what
// the broker reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionReport } from '../../src/domain/broker-reports.ts';
import { applyReconcileActions } from '../../src/domain/reconcile.ts';
import { applyOrderEvent } from '../../src/domain/journal-view.ts';
import type { JournalView } from '../../src/domain/journal-view.ts';
import type { Fate, Knowledge, OrderSpec, WorldSpec } from '../support/reconcile-world.ts';
import {
  ABSENCE_AFTER_MS,
  NOW_MS,
  TODAY,
  buildWorld,
  knows,
  reconcileAt,
} from '../support/reconcile-world.ts';
import { contractKey } from '../../src/domain/instruments.ts';

const order = (
  key: OrderSpec['key'],
  quantity: number,
  fate: Fate,
  knowledge: Knowledge = knows(),
): OrderSpec => ({
  key,
  quantity,
  fate,
  knowledge,
});

function world(
  orders: readonly OrderSpec[],
  extra: Partial<WorldSpec> = {},
  day: 'today' | 'yesterday' = 'today',
) {
  return buildWorld({ plans: [{ day, orders }], foreign: [], positionOffset: 0, ...extra });
}

const run = reconcileAt;

describe('reconcile: safe actions', () => {
  test('a journal that saw everything: nothing to do', () => {
    const w = world([
      order('hedge:A:open', 3, { kind: 'filled', fills: [1, 2] }),
      order('condor', 2, { kind: 'cancelled', fills: [1] }),
      order('hedge:B:open', 4, { kind: 'working', fills: [] }, knows({ status: 'working' })),
    ]);
    const out = run(w.view, w.reports);
    assert.deepEqual(out, { actions: [], flags: [], waiting: [], ignoredForeignOrders: 0 });
  });

  test('fills missed during a disconnect are adopted by execId, with their commissions, and the order marked filled', () => {
    const w = world([
      order('condor', 2, { kind: 'filled', fills: [1, 1] }, knows({ fillsKnown: 1, status: 'working' })),
    ]);
    const out = run(w.view, w.reports);
    const adopted = out.actions.filter((a) => a.kind === 'adopt-fill');
    assert.equal(adopted.length, 4, 'the second fill: four legs');
    assert.ok(adopted.every((a) => a.kind === 'adopt-fill' && a.execution.execId.includes('.0001.')));
    assert.equal(out.actions.filter((a) => a.kind === 'adopt-commission').length, 4);
    assert.deepEqual(
      out.actions.filter((a) => a.kind === 'mark-final'),
      [{ kind: 'mark-final', orderRef: w.view.orders[0]!.intent.orderRef, status: 'Filled', filled: 2 }],
    );
    assert.deepEqual(out.flags, []);
  });

  test('a commission the journal lacks is adopted; one of an execution that is not ours is not', () => {
    const w = world([
      order('hedge:A:open', 1, { kind: 'filled', fills: [1] }, knows({ commissionsKnown: false })),
    ]);
    const reports = {
      ...w.reports,
      commissions: [
        ...w.reports.commissions,
        { execId: 'someone.else.01', commission: w.reports.commissions[0]!.commission, realizedPnl: null },
      ],
    };
    const out = run(w.view, reports);
    assert.deepEqual(
      out.actions.map((a) => (a.kind === 'adopt-commission' ? a.report.execId : a.kind)),
      [w.reports.executions[0]!.execId],
    );
  });

  test('an unknown submit found at the broker by its orderRef is attached (and marked final when it is)', () => {
    const w = world([
      order(
        'hedge:A:open',
        2,
        { kind: 'working', fills: [] },
        knows({ submit: 'unknown', status: 'none', fillsKnown: 0 }),
      ),
      order(
        'hedge:B:open',
        2,
        { kind: 'filled', fills: [2] },
        knows({ submit: 'pending', status: 'none', fillsKnown: 0 }),
      ),
    ]);
    const [a, b] = w.view.orders;
    const out = run(w.view, w.reports);
    assert.deepEqual(
      out.actions.filter((x) => x.kind === 'attach' || x.kind === 'mark-final'),
      [
        { kind: 'attach', orderRef: a!.intent.orderRef, permId: a!.intent.orderId * 10 + 7 },
        { kind: 'attach', orderRef: b!.intent.orderRef, permId: b!.intent.orderId * 10 + 7 },
        { kind: 'mark-final', orderRef: b!.intent.orderRef, status: 'Filled', filled: 2 },
      ],
    );
  });

  test('an intent with no trace at the broker is proved absent once old enough; until then it is waited for', () => {
    const old = world([
      order('condor', 2, { kind: 'never-sent' }, knows({ submit: 'unknown', status: 'none', ageMs: 60_000 })),
    ]);
    assert.deepEqual(run(old.view, old.reports).actions, [
      { kind: 'prove-absent', orderRef: old.view.orders[0]!.intent.orderRef },
    ]);
    const young = world([
      order('condor', 2, { kind: 'never-sent' }, knows({ submit: 'pending', status: 'none', ageMs: 5_000 })),
    ]);
    const out = run(young.view, young.reports);
    assert.deepEqual(out.actions, []);
    assert.deepEqual(out.waiting, [
      { orderRef: young.view.orders[0]!.intent.orderRef, untilMs: NOW_MS - 5_000 + ABSENCE_AFTER_MS },
    ]);
  });

  test('an execution alone is a trace: an intent whose open order is missing but which filled is attached, never proved absent', () => {
    const w = world([
      order(
        'condor',
        3,
        { kind: 'working', fills: [1] },
        knows({ submit: 'unknown', status: 'none', fillsKnown: 0 }),
      ),
    ]);
    const out = run(w.view, { ...w.reports, openOrders: [] });
    assert.ok(out.actions.some((a) => a.kind === 'attach'));
    assert.ok(!out.actions.some((a) => a.kind === 'prove-absent'));
  });

  test('an order cancelled at the broker is marked cancelled, with what it filled', () => {
    const w = world([
      order('hedge:B:open', 5, { kind: 'cancelled', fills: [2] }, knows({ status: 'working' })),
    ]);
    assert.deepEqual(run(w.view, w.reports).actions, [
      { kind: 'mark-final', orderRef: w.view.orders[0]!.intent.orderRef, status: 'Cancelled', filled: 2 },
    ]);
  });

  test('a non-final order of an earlier trading day is expired (IB no longer reports it), never proved absent', () => {
    const w = world(
      [
        order('condor', 2, { kind: 'never-sent' }, knows({ submit: 'unknown', status: 'none' })),
        order('hedge:A:open', 2, { kind: 'working', fills: [] }, knows({ status: 'working' })),
      ],
      {},
      'yesterday',
    );
    assert.deepEqual(
      run(w.view, w.reports).actions.map((a) => a.kind),
      ['expire', 'expire'],
    );
  });

  test('orders, executions and positions of other accounts are ignored', () => {
    const w = world([
      order('condor', 1, { kind: 'filled', fills: [1] }, knows({ fillsKnown: 0, status: 'none' })),
    ]);
    const other = { ...w.reports };
    const move = <T extends { account: string }>(xs: readonly T[]): T[] =>
      xs.map((x) => ({ ...x, account: 'DU999' }));
    const out = run(w.view, {
      ...other,
      openOrders: move(other.openOrders),
      completedOrders: move(other.completedOrders),
      executions: move(other.executions),
      positions: move(other.positions),
    });
    assert.deepEqual(out.actions, []);
    assert.deepEqual(out.flags, [
      { kind: 'order-conflict', orderRef: w.view.orders[0]!.intent.orderRef, conflict: 'vanished' },
    ]);
  });

  test('an execution without orderRef is matched by the permId the journal knows', () => {
    const w = world([order('hedge:A:open', 1, { kind: 'filled', fills: [1] }, knows({ fillsKnown: 0 }))]);
    const execs = w.reports.executions.map((e): ExecutionReport => ({ ...e, orderRef: '' }));
    const out = run(w.view, { ...w.reports, executions: execs });
    assert.deepEqual(
      out.actions.map((a) => a.kind),
      ['adopt-fill', 'adopt-commission'],
    );
    assert.deepEqual(out.flags, []);
  });

  test('applying the actions gives a journal with nothing left to do', () => {
    const w = world([
      order(
        'condor',
        2,
        { kind: 'filled', fills: [1, 1] },
        knows({ submit: 'unknown', fillsKnown: 0, status: 'none', commissionsKnown: false }),
      ),
      order('hedge:B:open', 2, { kind: 'never-sent' }, knows({ submit: 'unknown', status: 'none' })),
    ]);
    const out = run(w.view, w.reports);
    assert.ok(out.actions.length > 0);
    const after = applyReconcileActions(w.view, out.actions, NOW_MS);
    assert.deepEqual(run(after, w.reports), { actions: [], flags: [], waiting: [], ignoredForeignOrders: 0 });
  });
});

describe('reconcile: flags that halt trading', () => {
  test('an order with an ironvix orderRef the journal never sent is flagged; so is any order on SPX or VIX options', () => {
    const w = world([], {
      foreign: [
        { ours: false, ironvixRef: true, filled: 0 },
        { ours: true, ironvixRef: false, filled: 1 },
        { ours: false, ironvixRef: false, filled: 2 },
      ],
    });
    const out = run(w.view, w.reports);
    const unknown = out.flags.flatMap((f) =>
      f.kind === 'unknown-order' ? [`${f.ironvixRef} ${f.orderRef}`] : [],
    );
    assert.deepEqual(unknown.sort(), [`false other-tool-1`, `true ${TODAY}-ffff0000:condor:1`]);
    assert.equal(out.ignoredForeignOrders, 1, 'another tool trading something else is left alone');
    assert.deepEqual(out.actions, [], 'nothing of another tool is ever adopted');
    assert.ok(
      out.flags.some((f) => f.kind === 'position-mismatch'),
      'the foreign SPX fill shows in the positions too',
    );
  });

  test('a position that differs is flagged with the contract, what the journal expects and what the broker holds', () => {
    const w = world([order('hedge:A:open', 3, { kind: 'filled', fills: [3] })], { positionOffset: -1 });
    const out = run(w.view, w.reports);
    const contract = w.view.orders[0]!.intent.contract;
    assert.ok(contract.kind === 'single');
    assert.deepEqual(out.flags, [
      {
        kind: 'position-mismatch',
        key: contractKey(contract.contract),
        contract: contract.contract,
        expected: 3,
        broker: 2,
      },
    ]);
  });

  test('positions of contracts expired before the trading day are not compared; on the expiry day a settled one is not missing', () => {
    const w = world([order('condor', 1, { kind: 'filled', fills: [1] })]);
    const condorExpiry =
      w.view.orders[0]!.intent.contract.kind === 'combo'
        ? w.view.orders[0]!.intent.contract.legs[0]!.contract.expiry
        : '';
    const settled = { ...w.reports, positions: [] };
    assert.equal(
      run(w.view, settled, { tradingDate: condorExpiry }).flags.length,
      0,
      'expiry day: gone means settled',
    );
    assert.equal(run(w.view, settled).flags.length, 4, 'the day before: four legs missing');
    assert.equal(run(w.view, settled, { tradingDate: '2026-12-31' }).flags.length, 0, 'long expired');
  });

  test('two different quantities reported for one contract are flagged, not guessed', () => {
    const w = world([order('hedge:A:open', 2, { kind: 'filled', fills: [2] })]);
    const p = w.reports.positions[0]!;
    const out = run(w.view, { ...w.reports, positions: [p, { ...p, quantity: p.quantity + 5 }] });
    assert.deepEqual(
      out.flags.map((f) => f.kind),
      ['position-report-conflict'],
    );
  });

  test('contradictions are flagged: absent but seen, refused but filled, final but working, working but vanished', () => {
    const w = world([
      order('hedge:A:open', 2, { kind: 'working', fills: [1] }, knows({ status: 'working' })),
      order('hedge:B:open', 2, { kind: 'filled', fills: [2] }),
      order('condor', 2, { kind: 'working', fills: [] }, knows({ status: 'working' })),
    ]);
    const [a, b, c] = w.view.orders;
    const at = NOW_MS;
    const view: JournalView = {
      ...w.view,
      orders: [
        applyOrderEvent(a!, {
          type: 'order-resolved',
          orderRef: a!.intent.orderRef,
          resolution: 'absent',
          reason: 'x',
          atMs: at,
        }),
        applyOrderEvent(
          { ...b!, submit: { kind: 'pending' }, reported: null },
          {
            type: 'order-send-outcome',
            orderRef: b!.intent.orderRef,
            operation: 'submit',
            outcome: { kind: 'refused', code: 201, text: 'margin' },
            atMs: at,
          },
        ),
        applyOrderEvent(c!, {
          type: 'order-status',
          orderRef: c!.intent.orderRef,
          permId: 1,
          status: 'Cancelled',
          filled: 0,
          remaining: 2,
          avgFillPrice: null,
          atMs: at,
        }),
      ],
    };
    const out = run(view, w.reports);
    const conflicts = new Map(
      out.flags.flatMap((f) => (f.kind === 'order-conflict' ? [[f.orderRef, f.conflict]] : [])),
    );
    assert.deepEqual(
      [a, b, c].map((o) => conflicts.get(o!.intent.orderRef)),
      ['resolved-but-seen', 'refused-but-seen', 'final-but-working'],
    );
    const vanished = run(w.view, {
      ...w.reports,
      openOrders: w.reports.openOrders.filter((r) => r.orderRef !== c!.intent.orderRef),
    });
    assert.deepEqual(vanished.flags, [
      { kind: 'order-conflict', orderRef: c!.intent.orderRef, conflict: 'vanished' },
    ]);
  });
});
