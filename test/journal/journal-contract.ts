// The journal contract: one set of cases every JournalPort implementation passes (the memory
// journal and the SQLite journal each run it through their own harness).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionReport } from '../../src/domain/broker-reports.ts';
import { orderPhase, reconcileScope } from '../../src/domain/journal-view.ts';
import { priceCents, cents } from '../../src/domain/money.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { AppendResult, JournalEvent, JournalPort } from '../../src/ports/journal.ts';
import {
  ACCOUNT,
  intentFor,
  legExecutions,
  orderOf,
  planAs,
  samplePlan,
} from '../support/journal-fixtures.ts';

export interface JournalHarness {
  /** A fresh, empty journal. */
  open(): JournalPort;
  /** Releases whatever the harness created. */
  dispose(): void;
}

const T0 = Date.parse('2026-03-10T19:45:00Z');

function appended(r: AppendResult): number {
  assert.equal(r.kind, 'appended', JSON.stringify(r));
  return r.kind === 'appended' ? r.eventId : -1;
}

function kindOf(r: AppendResult): string {
  return r.kind;
}

/** The sample plan with a trim of layer A added, so a layer can be opened and partly sold. */
function planWithTrim(): Plan {
  const p = samplePlan();
  const a = orderOf(p, 'hedge:A:open');
  return {
    ...planAs(`${p.cycleDate}-0000trim`),
    orders: [
      ...p.orders,
      { ...a, key: `trim:${a.layerId}`, kind: 'hedge-trim', action: 'SELL', quantity: 5 },
    ],
  };
}

export function journalContract(name: string, harness: () => JournalHarness): void {
  describe(`journal contract: ${name}`, () => {
    const withJournal = (fn: (j: JournalPort) => void) => () => {
      const h = harness();
      const j = h.open();
      try {
        fn(j);
      } finally {
        j.close();
        h.dispose();
      }
    };

    test(
      'the plan is stored exactly as built; the same plan again is a duplicate, a changed one is rejected',
      withJournal((j) => {
        const plan = samplePlan();
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        assert.equal(JSON.stringify(j.plan(plan.planId)?.plan), JSON.stringify(plan), 'byte for byte');
        assert.equal(kindOf(j.append({ type: 'plan-started', plan, atMs: T0 + 1 })), 'duplicate');
        const changed = { ...plan, condorQuantity: plan.condorQuantity + 1 };
        assert.equal(kindOf(j.append({ type: 'plan-started', plan: changed, atMs: T0 + 2 })), 'rejected');
        assert.deepEqual(j.plan(plan.planId)?.plan, plan);
        assert.equal(j.plan('nope'), null);
      }),
    );

    test(
      'plans end once with their outcome; in-flight and recent plans list them newest first',
      withJournal((j) => {
        const a = planAs('2026-03-09-aaaaaaaa', '2026-03-09');
        const b = planAs('2026-03-10-bbbbbbbb');
        appended(j.append({ type: 'plan-started', plan: a, atMs: T0 - 86_400_000 }));
        appended(j.append({ type: 'plan-started', plan: b, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent: intentFor(b, 'condor', 7), atMs: T0 + 1 }));
        assert.deepEqual(
          j.plansInFlight().map((p) => p.planId),
          [b.planId, a.planId],
        );
        appended(
          j.append({
            type: 'plan-finished',
            planId: a.planId,
            result: 'PARTIAL',
            reason: 'hedge B unfilled',
            atMs: T0 - 1,
          }),
        );
        assert.equal(
          kindOf(
            j.append({
              type: 'plan-finished',
              planId: a.planId,
              result: 'PARTIAL',
              reason: 'hedge B unfilled',
              atMs: T0,
            }),
          ),
          'duplicate',
        );
        assert.equal(
          kindOf(
            j.append({ type: 'plan-finished', planId: a.planId, result: 'COMPLETE', reason: '', atMs: T0 }),
          ),
          'rejected',
        );
        assert.equal(
          kindOf(j.append({ type: 'plan-finished', planId: 'x', result: 'ABORTED', reason: '', atMs: T0 })),
          'rejected',
        );
        const recent = j.recentPlans(5);
        assert.deepEqual(
          recent.map((p) => [p.planId, p.end?.result ?? null, p.orderCount]),
          [
            [b.planId, null, 1],
            [a.planId, 'PARTIAL', 0],
          ],
        );
        assert.deepEqual(recent[1]!.end, { result: 'PARTIAL', reason: 'hedge B unfilled', atMs: T0 - 1 });
        assert.deepEqual(
          j.plansInFlight().map((p) => p.planId),
          [b.planId],
        );
        assert.equal(j.recentPlans(1).length, 1);
      }),
    );

    test(
      'an intent is refused unless it belongs to a journaled plan, under its deterministic orderRef, with an unused order id',
      withJournal((j) => {
        const plan = samplePlan();
        const intent = intentFor(plan, 'hedge:A:open', 100);
        assert.equal(
          kindOf(j.append({ type: 'order-intended', intent, atMs: T0 })),
          'rejected',
          'plan not journaled',
        );
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        const bad = [
          { ...intent, orderRef: `${plan.planId}:hedge:A:open:2` },
          { ...intent, orderKey: 'hedge:Z:open', orderRef: `${plan.planId}:hedge:Z:open:1` },
          { ...intent, orderId: 0 },
          { ...intent, quantity: 0 },
        ];
        for (const b of bad)
          assert.equal(kindOf(j.append({ type: 'order-intended', intent: b, atMs: T0 })), 'rejected');
        appended(j.append({ type: 'order-intended', intent, atMs: T0 }));
        assert.equal(kindOf(j.append({ type: 'order-intended', intent, atMs: T0 + 5 })), 'duplicate');
        const sameId = intentFor(plan, 'hedge:B:open', 100);
        assert.equal(
          kindOf(j.append({ type: 'order-intended', intent: sameId, atMs: T0 })),
          'rejected',
          'order id reused',
        );
        const o = j.order(intent.orderRef);
        assert.deepEqual(o?.intent, intent);
        assert.equal(o?.orderKind, 'hedge-open');
        assert.equal(o?.layerId, orderOf(plan, 'hedge:A:open').layerId);
        assert.equal(o?.cycleDate, plan.cycleDate);
        assert.ok(o !== null);
        assert.equal(orderPhase(o), 'intended');
        assert.deepEqual(j.orderByOrderId(100)?.intent.orderRef, intent.orderRef);
        assert.equal(j.orderByOrderId(101), null);
      }),
    );

    test(
      'the order id floor stays above every id used and every floor given, and never goes down',
      withJournal((j) => {
        assert.equal(j.nextOrderIdFloor(), 0);
        const plan = samplePlan();
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        appended(
          j.append({ type: 'order-intended', intent: intentFor(plan, 'hedge:A:open', 500), atMs: T0 }),
        );
        assert.equal(j.nextOrderIdFloor(), 501);
        appended(j.append({ type: 'order-id-floor', nextOrderId: 900, atMs: T0 }));
        assert.equal(kindOf(j.append({ type: 'order-id-floor', nextOrderId: 20, atMs: T0 })), 'duplicate');
        assert.equal(j.nextOrderIdFloor(), 900);
        appended(
          j.append({ type: 'order-intended', intent: intentFor(plan, 'hedge:B:open', 950), atMs: T0 }),
        );
        assert.equal(j.nextOrderIdFloor(), 951);
      }),
    );

    test(
      'reported fields stay apart from the intended ones; repeated and late statuses never undo a fill',
      withJournal((j) => {
        const plan = samplePlan();
        const intent = intentFor(plan, 'condor', 7);
        const ref = intent.orderRef;
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent, atMs: T0 }));
        appended(
          j.append({
            type: 'order-send-outcome',
            orderRef: ref,
            operation: 'submit',
            outcome: { kind: 'sent' },
            atMs: T0 + 1,
          }),
        );
        assert.equal(orderPhase(j.order(ref)!), 'working');
        const status = (
          s: 'Submitted' | 'Filled' | 'PreSubmitted',
          filled: number,
          atMs: number,
        ): JournalEvent => ({
          type: 'order-status',
          orderRef: ref,
          permId: 9001,
          status: s,
          filled,
          remaining: intent.quantity - filled,
          avgFillPrice: filled === 0 ? null : -3.1,
          atMs,
        });
        appended(j.append(status('Submitted', 1, T0 + 2)));
        assert.equal(
          kindOf(j.append(status('Submitted', 1, T0 + 3))),
          'duplicate',
          'IB repeats identical statuses',
        );
        appended(j.append(status('Filled', intent.quantity, T0 + 4)));
        assert.equal(
          kindOf(j.append(status('Submitted', 1, T0 + 5))),
          'duplicate',
          'a late status changes nothing',
        );
        const o = j.order(ref)!;
        assert.deepEqual(o.reported, {
          status: 'Filled',
          filled: intent.quantity,
          remaining: 0,
          avgFillPrice: -3.1,
          lastUpdateMs: T0 + 4,
        });
        assert.equal(o.permId, 9001);
        assert.deepEqual(o.intent, intent, 'the intended fields are untouched');
        assert.equal(orderPhase(o), 'final');
      }),
    );

    test(
      'a modify is journaled before it is sent and keeps orderId and orderRef; a cancel request is kept',
      withJournal((j) => {
        const plan = samplePlan();
        const intent = intentFor(plan, 'hedge:B:open', 8);
        const ref = intent.orderRef;
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent, atMs: T0 }));
        appended(
          j.append({
            type: 'order-modify-intended',
            orderRef: ref,
            limitPrice: priceCents(intent.limitPrice + 2),
            quantity: intent.quantity,
            atMs: T0 + 10,
          }),
        );
        appended(
          j.append({
            type: 'order-send-outcome',
            orderRef: ref,
            operation: 'modify',
            outcome: { kind: 'sent' },
            atMs: T0 + 11,
          }),
        );
        appended(j.append({ type: 'order-cancel-requested', orderRef: ref, atMs: T0 + 20 }));
        assert.equal(
          kindOf(j.append({ type: 'order-cancel-requested', orderRef: ref, atMs: T0 + 21 })),
          'duplicate',
        );
        const o = j.order(ref)!;
        assert.equal(o.intent.limitPrice, intent.limitPrice + 2);
        assert.equal(o.intent.orderId, 8);
        assert.equal(o.intent.orderRef, ref);
        assert.equal(o.cancelRequestedAtMs, T0 + 20);
        assert.equal(o.submit.kind, 'pending', "a modify's outcome is not the submit's");
        assert.equal(
          kindOf(
            j.append({
              type: 'order-modify-intended',
              orderRef: ref,
              limitPrice: priceCents(5),
              quantity: 0,
              atMs: T0,
            }),
          ),
          'rejected',
        );
        assert.equal(
          kindOf(j.append({ type: 'order-cancel-requested', orderRef: 'nope:x:1', atMs: T0 })),
          'rejected',
        );
      }),
    );

    test(
      'an unknown submit stays unknown until reconciliation; a refusal is final and a later ack does not undo it',
      withJournal((j) => {
        const plan = samplePlan();
        const a = intentFor(plan, 'hedge:A:open', 1);
        const b = intentFor(plan, 'hedge:B:open', 2);
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent: a, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent: b, atMs: T0 }));
        appended(
          j.append({
            type: 'order-send-outcome',
            orderRef: a.orderRef,
            operation: 'submit',
            outcome: { kind: 'unknown', reason: 'no ack in 5s' },
            atMs: T0 + 5000,
          }),
        );
        assert.equal(orderPhase(j.order(a.orderRef)!), 'unknown');
        appended(j.append({ type: 'order-attached', orderRef: a.orderRef, permId: 77, atMs: T0 + 6000 }));
        assert.equal(orderPhase(j.order(a.orderRef)!), 'working');
        assert.equal(j.order(a.orderRef)!.permId, 77);
        appended(
          j.append({
            type: 'order-send-outcome',
            orderRef: b.orderRef,
            operation: 'submit',
            outcome: { kind: 'refused', code: 201, text: 'margin' },
            atMs: T0 + 1,
          }),
        );
        appended(
          j.append({
            type: 'order-send-outcome',
            orderRef: b.orderRef,
            operation: 'submit',
            outcome: { kind: 'sent' },
            atMs: T0 + 2,
          }),
        );
        const ob = j.order(b.orderRef)!;
        assert.deepEqual(ob.submit, { kind: 'refused', code: 201, text: 'margin', atMs: T0 + 1 });
        assert.equal(orderPhase(ob), 'final');
      }),
    );

    test(
      'reconciliation resolves an intent absent or expired once, and its marked-final replaces the status',
      withJournal((j) => {
        const plan = samplePlan();
        const a = intentFor(plan, 'hedge:A:open', 1);
        const b = intentFor(plan, 'condor', 2);
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent: a, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent: b, atMs: T0 }));
        appended(
          j.append({
            type: 'order-resolved',
            orderRef: a.orderRef,
            resolution: 'absent',
            reason: 'no trace',
            atMs: T0 + 9,
          }),
        );
        assert.equal(
          kindOf(
            j.append({
              type: 'order-resolved',
              orderRef: a.orderRef,
              resolution: 'expired',
              reason: 'x',
              atMs: T0 + 10,
            }),
          ),
          'duplicate',
        );
        assert.deepEqual(j.order(a.orderRef)!.resolution, {
          kind: 'absent',
          reason: 'no trace',
          atMs: T0 + 9,
        });
        appended(
          j.append({
            type: 'order-status',
            orderRef: b.orderRef,
            permId: 5,
            status: 'Cancelled',
            filled: 0,
            remaining: b.quantity,
            avgFillPrice: null,
            atMs: T0 + 1,
          }),
        );
        appended(
          j.append({
            type: 'order-marked-final',
            orderRef: b.orderRef,
            status: 'Filled',
            filled: b.quantity,
            atMs: T0 + 20,
          }),
        );
        assert.deepEqual(
          [
            j.order(b.orderRef)!.reported?.status,
            j.order(b.orderRef)!.reported?.filled,
            j.order(b.orderRef)!.reported?.remaining,
          ],
          ['Filled', b.quantity, 0],
        );
      }),
    );

    test(
      'executions are unique by execId (a duplicate is ignored and says so), matched by orderRef or permId; foreign ones are refused',
      withJournal((j) => {
        const plan = samplePlan();
        const intent = intentFor(plan, 'condor', 7);
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent, atMs: T0 }));
        const execs = legExecutions(intent, 2, {
          permId: 4242,
          execPrefix: '0000e0d5.63f8f39c',
          timeMs: T0 + 100,
        });
        for (const e of execs) appended(j.append({ type: 'execution', execution: e, atMs: T0 + 100 }));
        const dup = j.append({ type: 'execution', execution: execs[0]!, atMs: T0 + 101 });
        assert.equal(dup.kind, 'duplicate');
        assert.match(dup.kind === 'duplicate' ? dup.what : '', /0000e0d5\.63f8f39c\.01\.01/);
        assert.equal(j.order(intent.orderRef)!.permId, 4242, 'the permId is learned from the execution');
        // An execution without orderRef (as IB sometimes reports a BAG-level one) is placed by permId.
        const bag: ExecutionReport = {
          ...execs[0]!,
          execId: 'bag.01',
          orderRef: '',
          contract: { kind: 'combo', symbol: 'SPX' },
        };
        appended(j.append({ type: 'execution', execution: bag, atMs: T0 + 102 }));
        const foreign: ExecutionReport = { ...execs[0]!, execId: 'f.01', orderRef: 'other-tool', permId: 1 };
        assert.equal(kindOf(j.append({ type: 'execution', execution: foreign, atMs: T0 })), 'rejected');
        appended(
          j.append({
            type: 'commission',
            report: { execId: execs[0]!.execId, commission: cents(-65), realizedPnl: null },
            atMs: T0 + 103,
          }),
        );
        assert.equal(
          kindOf(
            j.append({
              type: 'commission',
              report: { execId: execs[0]!.execId, commission: cents(-65), realizedPnl: null },
              atMs: T0 + 104,
            }),
          ),
          'duplicate',
        );
        assert.equal(
          kindOf(
            j.append({
              type: 'commission',
              report: { execId: 'nope.01', commission: cents(-1), realizedPnl: null },
              atMs: T0,
            }),
          ),
          'rejected',
        );
        const f = j.fillsOf(intent.orderRef)!;
        assert.deepEqual(
          f.fills.map((x) => x.execId).sort(),
          [...execs.map((e) => e.execId), 'bag.01'].sort(),
        );
        assert.deepEqual(f.commissions, [{ execId: execs[0]!.execId, commission: -65, realizedPnl: null }]);
        assert.equal(j.fillsOf('nope:x:1'), null);
      }),
    );

    test(
      "the reconcile view holds every order, every execution and the commissions' execIds",
      withJournal((j) => {
        const plan = samplePlan();
        const a = intentFor(plan, 'hedge:A:open', 1);
        const c = intentFor(plan, 'condor', 2);
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent: a, atMs: T0 }));
        appended(j.append({ type: 'order-intended', intent: c, atMs: T0 + 1 }));
        const execs = legExecutions(c, 1, { permId: 3, execPrefix: 'c', timeMs: T0 + 2 });
        for (const e of execs) appended(j.append({ type: 'execution', execution: e, atMs: T0 + 2 }));
        appended(
          j.append({
            type: 'commission',
            report: { execId: execs[1]!.execId, commission: cents(-30), realizedPnl: null },
            atMs: T0 + 3,
          }),
        );
        const v = j.reconcileView();
        assert.deepEqual(v.orders.map((o) => o.intent.orderRef).sort(), [a.orderRef, c.orderRef].sort());
        assert.equal(v.fills.length, 4);
        assert.ok(v.fills.every((f) => f.orderRef === c.orderRef));
        assert.deepEqual(v.commissionExecIds, [execs[1]!.execId]);
      }),
    );

    test(
      'a scoped reconcile view holds recent orders, every order not final, and the fills of contracts not expired',
      withJournal((j) => {
        const old = planAs('2026-01-05-00000old', '2026-01-05');
        const recent = samplePlan();
        appended(j.append({ type: 'plan-started', plan: old, atMs: T0 - 1 }));
        appended(j.append({ type: 'plan-started', plan: recent, atMs: T0 }));
        const oldDone = intentFor(old, 'condor', 1);
        const oldOpen = intentFor(old, 'hedge:A:open', 2);
        const now = intentFor(recent, 'hedge:B:open', 3);
        for (const i of [oldDone, oldOpen, now])
          appended(j.append({ type: 'order-intended', intent: i, atMs: T0 }));
        const expiredLegs = legExecutions(oldDone, 1, { permId: 9, execPrefix: 'old', timeMs: T0 }).map(
          (e): ExecutionReport =>
            e.contract.kind === 'option'
              ? {
                  ...e,
                  contract: { kind: 'option', contract: { ...e.contract.contract, expiry: '2026-01-06' } },
                }
              : e,
        );
        const liveLegs = legExecutions(oldDone, 1, { permId: 9, execPrefix: 'old2', timeMs: T0 });
        for (const e of [...expiredLegs, ...liveLegs])
          appended(j.append({ type: 'execution', execution: e, atMs: T0 }));
        appended(
          j.append({
            type: 'commission',
            report: { execId: expiredLegs[0]!.execId, commission: cents(-1), realizedPnl: null },
            atMs: T0,
          }),
        );
        appended(
          j.append({
            type: 'commission',
            report: { execId: liveLegs[0]!.execId, commission: cents(-1), realizedPnl: null },
            atMs: T0,
          }),
        );
        appended(
          j.append({
            type: 'order-marked-final',
            orderRef: oldDone.orderRef,
            status: 'Filled',
            filled: 1,
            atMs: T0,
          }),
        );
        const v = j.reconcileView(reconcileScope(recent.cycleDate));
        assert.deepEqual(
          v.orders.map((o) => o.intent.orderRef).sort(),
          [oldOpen.orderRef, now.orderRef].sort(),
        );
        assert.deepEqual(v.fills.map((f) => f.execId).sort(), liveLegs.map((e) => e.execId).sort());
        assert.deepEqual(v.commissionExecIds, [liveLegs[0]!.execId]);
        assert.equal(j.reconcileView().orders.length, 3, 'without a scope: everything');
      }),
    );

    test(
      'the hedge book holds each filled layer at its fill price, less what a trim sold, and drops expired layers',
      withJournal((j) => {
        const plan = planWithTrim();
        const a = orderOf(plan, 'hedge:A:open');
        const openA = intentFor(plan, 'hedge:A:open', 1);
        const openB = intentFor(plan, 'hedge:B:open', 2);
        const trim = intentFor(plan, `trim:${a.layerId}`, 3);
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        for (const i of [openA, openB, trim])
          appended(j.append({ type: 'order-intended', intent: i, atMs: T0 }));
        for (const e of legExecutions(openA, 10, { permId: 1, execPrefix: 'a', timeMs: T0 }))
          j.append({ type: 'execution', execution: e, atMs: T0 });
        for (const e of legExecutions(openB, 4, { permId: 2, execPrefix: 'b', timeMs: T0 }))
          j.append({ type: 'execution', execution: e, atMs: T0 });
        for (const e of legExecutions(trim, 3, { permId: 3, execPrefix: 't', timeMs: T0 }))
          j.append({ type: 'execution', execution: e, atMs: T0 });
        const book = j.hedgeBook(plan.cycleDate);
        const legA = a.legs[0]!.contract;
        const bLegs = orderOf(plan, 'hedge:B:open').legs;
        assert.deepEqual(
          book.map((l) => [
            l.layerId,
            l.templateId,
            l.kind,
            l.quantity,
            l.longStrike,
            l.shortStrike,
            l.openedOn,
          ]),
          [
            [a.layerId, 'A', 'call', 7, legA.strike, null, plan.cycleDate],
            [
              orderOf(plan, 'hedge:B:open').layerId,
              'B',
              'callSpread',
              4,
              bLegs.find((l) => l.action === 'BUY')!.contract.strike,
              bLegs.find((l) => l.action === 'SELL')!.contract.strike,
              plan.cycleDate,
            ],
          ],
        );
        assert.equal(book[0]!.entryPrice, openA.limitPrice, 'a single call: its execution price');
        const bExecs = legExecutions(openB, 4, { permId: 2, execPrefix: 'b', timeMs: T0 });
        const net = bExecs.reduce((s, e) => s + (e.side === 'BOT' ? 1 : -1) * e.price, 0);
        assert.equal(book[1]!.entryPrice, net, 'a spread: the long leg paid less the short leg received');
        assert.deepEqual(j.hedgeBook('2099-01-01'), [], 'expired layers are not held');
      }),
    );

    test(
      'a cycle is claimed once per date; its state and outcome are updated; recent cycles newest first',
      withJournal((j) => {
        appended(j.append({ type: 'cycle-claimed', cycleDate: '2026-03-09', atMs: T0 - 86_400_000 }));
        appended(j.append({ type: 'cycle-claimed', cycleDate: '2026-03-10', atMs: T0 }));
        const again = j.append({ type: 'cycle-claimed', cycleDate: '2026-03-10', atMs: T0 + 1 });
        assert.equal(again.kind, 'duplicate', 'a cycle never runs twice');
        appended(
          j.append({
            type: 'cycle-updated',
            cycleDate: '2026-03-10',
            state: 'done',
            planId: 'p1',
            outcome: 'COMPLETE',
            atMs: T0 + 60_000,
          }),
        );
        assert.equal(
          kindOf(
            j.append({
              type: 'cycle-updated',
              cycleDate: '2026-03-11',
              state: 'done',
              planId: null,
              outcome: '',
              atMs: T0,
            }),
          ),
          'rejected',
        );
        assert.deepEqual(j.cycle('2026-03-10'), {
          cycleDate: '2026-03-10',
          state: 'done',
          planId: 'p1',
          outcome: 'COMPLETE',
          claimedAtMs: T0,
          updatedAtMs: T0 + 60_000,
        });
        assert.deepEqual(
          j.recentCycles(5).map((c) => [c.cycleDate, c.state]),
          [
            ['2026-03-10', 'done'],
            ['2026-03-09', 'running'],
          ],
        );
        assert.equal(j.cycle('2026-01-01'), null);
      }),
    );

    test(
      'the kill switch holds its reason, source and time until resumed',
      withJournal((j) => {
        assert.deepEqual(j.haltState(), { halted: false });
        appended(
          j.append({
            type: 'halted',
            reason: 'position mismatch on VIX 2026-04-15 20C',
            source: 'reconcile',
            atMs: T0,
          }),
        );
        assert.deepEqual(j.haltState(), {
          halted: true,
          reason: 'position mismatch on VIX 2026-04-15 20C',
          source: 'reconcile',
          atMs: T0,
        });
        appended(j.append({ type: 'resumed', by: 'user', note: 'checked in TWS', atMs: T0 + 1 }));
        assert.deepEqual(j.haltState(), { halted: false });
      }),
    );

    test(
      "positions snapshots: the latest one is the broker's last word",
      withJournal((j) => {
        assert.equal(j.latestPositions(), null);
        const plan = samplePlan();
        const leg = orderOf(plan, 'hedge:A:open').legs[0]!.contract;
        appended(j.append({ type: 'positions', account: ACCOUNT, positions: [], atMs: T0 }));
        const positions = [
          {
            account: ACCOUNT,
            contract: { kind: 'option' as const, contract: leg },
            quantity: 10,
            avgCost: cents(7850),
          },
        ];
        appended(j.append({ type: 'positions', account: ACCOUNT, positions, atMs: T0 + 1 }));
        assert.deepEqual(j.latestPositions(), { account: ACCOUNT, atMs: T0 + 1, positions });
      }),
    );

    test(
      'the event log keeps every written event once, typed and in order, by plan; duplicates and rejections write nothing',
      withJournal((j) => {
        const plan = samplePlan();
        const intent = intentFor(plan, 'condor', 7);
        const written: JournalEvent[] = [
          { type: 'plan-started', plan, atMs: T0 },
          { type: 'order-intended', intent, atMs: T0 + 1 },
          {
            type: 'order-send-outcome',
            orderRef: intent.orderRef,
            operation: 'submit',
            outcome: { kind: 'sent' },
            atMs: T0 + 2,
          },
          {
            type: 'note',
            planId: plan.planId,
            text: 'coverage 1.20 after fill',
            data: { coverage: 1.2 },
            atMs: T0 + 3,
          },
          { type: 'halted', reason: 'r', source: 'user', atMs: T0 + 4 },
          {
            type: 'reconciled',
            actions: [{ kind: 'prove-absent', orderRef: intent.orderRef }],
            flags: [],
            atMs: T0 + 5,
          },
          {
            type: 'plan-finished',
            planId: plan.planId,
            result: 'ABORTED',
            reason: 'pre-flight: quotes stale',
            atMs: T0 + 6,
          },
        ];
        const ids = written.map((e) => appended(j.append(e)));
        assert.equal(j.append({ type: 'plan-started', plan, atMs: T0 + 7 }).kind, 'duplicate');
        assert.equal(
          j.append({ type: 'order-cancel-requested', orderRef: 'x:y:1', atMs: T0 + 8 }).kind,
          'rejected',
        );
        const all = j.events();
        assert.deepEqual(
          all.map((s) => s.event),
          written,
        );
        assert.deepEqual(
          all.map((s) => s.eventId),
          ids,
        );
        assert.ok(
          ids.every((id, i) => i === 0 || id > ids[i - 1]!),
          'ids increase',
        );
        assert.deepEqual(
          j.events({ planId: plan.planId }).map((s) => s.event.type),
          ['plan-started', 'order-intended', 'order-send-outcome', 'note', 'plan-finished'],
        );
        assert.deepEqual(
          j.events({ afterId: ids[4]!, limit: 1 }).map((s) => s.event.type),
          ['reconciled'],
        );
      }),
    );

    test(
      'orders of a plan come back in the order they were intended',
      withJournal((j) => {
        const plan = samplePlan();
        appended(j.append({ type: 'plan-started', plan, atMs: T0 }));
        const keys = ['hedge:B:open', 'hedge:A:open', 'condor'];
        keys.forEach((k, i) =>
          appended(j.append({ type: 'order-intended', intent: intentFor(plan, k, 10 + i), atMs: T0 + i })),
        );
        assert.deepEqual(
          j.ordersOfPlan(plan.planId).map((o) => o.intent.orderKey),
          keys,
        );
        assert.deepEqual(j.ordersOfPlan('other'), []);
      }),
    );
  });
}
