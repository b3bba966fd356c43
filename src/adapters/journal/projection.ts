// The one projection of journal events into the journal's records, over a small synchronous store.
// The SQLite journal runs it inside one transaction per event; the memory journal over maps. Both
// therefore decide duplicates, rejections and order state the same way.
import type { CommissionReport, ExecutionReport } from '../../domain/broker-reports.ts';
import type { IsoDate } from '../../domain/instruments.ts';
import type { JournalFill, JournalIntent, JournalOrder } from '../../domain/journal-view.ts';
import {
  applyOrderEvent,
  fillOf,
  intentProblem,
  newJournalOrder,
  planOrderOf,
  withExecution,
} from '../../domain/journal-view.ts';
import type {
  AppendResult,
  CycleRecord,
  HaltState,
  JournalEvent,
  PlanRecord,
  PositionsRecord,
} from '../../ports/journal.ts';

/** Storage primitives: no rules here, the projection holds them. */
export interface JournalStore {
  plan(planId: string): PlanRecord | null;
  insertPlan(rec: PlanRecord): void;
  finishPlan(planId: string, end: NonNullable<PlanRecord['end']>): void;
  order(orderRef: string): JournalOrder | null;
  orderRefByOrderId(orderId: number): string | null;
  orderRefByPermId(permId: number): string | null;
  insertOrder(o: JournalOrder): void;
  updateOrder(o: JournalOrder): void;
  hasFill(execId: string): boolean;
  insertFill(fill: JournalFill, execution: ExecutionReport): void;
  hasCommission(execId: string): boolean;
  insertCommission(c: CommissionReport, orderRef: string, atMs: number): void;
  orderRefOfFill(execId: string): string | null;
  cycle(cycleDate: IsoDate): CycleRecord | null;
  putCycle(c: CycleRecord): void;
  putHalt(h: HaltState): void;
  orderIdFloor(): number;
  putOrderIdFloor(nextOrderId: number): void;
  putPositions(p: PositionsRecord): void;
  appendEvent(planId: string | null, e: JournalEvent): number;
}

const appended = (eventId: number): AppendResult => ({ kind: 'appended', eventId });
const duplicate = (what: string): AppendResult => ({ kind: 'duplicate', what });
const rejected = (reason: string): AppendResult => ({ kind: 'rejected', reason });

/** JSON with object keys sorted: equal data gives equal text whatever order its keys were built in. */
function stableJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

/** What makes an intent the same order (a journaled modify may have changed limit and quantity since). */
function intentIdentity(i: JournalIntent): unknown {
  const { limitPrice: _limit, quantity: _quantity, ...identity } = i;
  return identity;
}

/** Equal apart from when the broker last spoke (IB repeats identical statuses). */
function sameState(a: JournalOrder, b: JournalOrder): boolean {
  const strip = (o: JournalOrder): unknown => ({
    ...o,
    reported: o.reported === null ? null : { ...o.reported, lastUpdateMs: 0 },
  });
  return sameJson(strip(a), strip(b));
}

/** Applies one event to the store; returns what happened. Call it inside one transaction. */
export function projectEvent(store: JournalStore, e: JournalEvent): AppendResult {
  switch (e.type) {
    case 'plan-started': {
      const prev = store.plan(e.plan.planId);
      if (prev !== null) {
        return sameJson(prev.plan, e.plan)
          ? duplicate(`plan ${e.plan.planId} already journaled`)
          : rejected(`plan ${e.plan.planId} is journaled with different content; a plan is never rebuilt`);
      }
      store.insertPlan({
        planId: e.plan.planId,
        cycleDate: e.plan.cycleDate,
        startedAtMs: e.atMs,
        end: null,
        plan: e.plan,
      });
      return appended(store.appendEvent(e.plan.planId, e));
    }
    case 'plan-finished': {
      const prev = store.plan(e.planId);
      if (prev === null) return rejected(`plan ${e.planId} is not in the journal`);
      if (prev.end !== null) {
        return prev.end.result === e.result && prev.end.reason === e.reason
          ? duplicate(`plan ${e.planId} already ended ${prev.end.result}`)
          : rejected(`plan ${e.planId} already ended ${prev.end.result} (${prev.end.reason})`);
      }
      store.finishPlan(e.planId, { result: e.result, reason: e.reason, atMs: e.atMs });
      return appended(store.appendEvent(e.planId, e));
    }
    case 'order-intended': {
      const i = e.intent;
      const plan = store.plan(i.planId);
      if (plan === null) return rejected(`intent ${i.orderRef}: plan ${i.planId} is not in the journal`);
      const problem = intentProblem(i, plan.plan);
      const planOrder = planOrderOf(plan.plan, i.orderKey);
      if (problem !== null || planOrder === null)
        return rejected(`intent ${i.orderRef}: ${problem ?? 'no order'}`);
      const prev = store.order(i.orderRef);
      if (prev !== null) {
        return sameJson(intentIdentity(prev.intent), intentIdentity(i))
          ? duplicate(`intent ${i.orderRef} already journaled`)
          : rejected(`orderRef ${i.orderRef} is journaled for a different order`);
      }
      const holder = store.orderRefByOrderId(i.orderId);
      if (holder !== null) return rejected(`order id ${i.orderId} is already used by ${holder}`);
      store.insertOrder(newJournalOrder(i, planOrder, plan.cycleDate, e.atMs));
      store.putOrderIdFloor(Math.max(store.orderIdFloor(), i.orderId + 1));
      return appended(store.appendEvent(i.planId, e));
    }
    case 'order-send-outcome':
    case 'order-modify-intended':
    case 'order-cancel-requested':
    case 'order-status':
    case 'order-attached':
    case 'order-marked-final':
    case 'order-resolved': {
      const o = store.order(e.orderRef);
      if (o === null) return rejected(`${e.type}: order ${e.orderRef} is not in the journal`);
      if (e.type === 'order-modify-intended' && (!Number.isSafeInteger(e.quantity) || e.quantity <= 0)) {
        return rejected(`modify of ${e.orderRef}: quantity ${e.quantity} is not a whole number > 0`);
      }
      const next = applyOrderEvent(o, e);
      // A modify's or cancel's outcome changes no state but is kept; a repeated status is not.
      if (e.type !== 'order-send-outcome' && sameState(next, o)) {
        return duplicate(`${e.type} of ${e.orderRef} changes nothing`);
      }
      store.updateOrder(next);
      return appended(store.appendEvent(o.intent.planId, e));
    }
    case 'execution': {
      const x = e.execution;
      if (store.hasFill(x.execId)) return duplicate(`execution ${x.execId} already journaled`);
      const direct = store.order(x.orderRef);
      const ref = direct !== null ? x.orderRef : x.permId > 0 ? store.orderRefByPermId(x.permId) : null;
      if (ref === null) {
        return rejected(
          `execution ${x.execId} (orderRef ${JSON.stringify(x.orderRef)}) is not of a journaled order`,
        );
      }
      const o = direct ?? store.order(ref);
      store.insertFill(fillOf(x, ref), x);
      if (o !== null && withExecution(o, x) !== o) store.updateOrder(withExecution(o, x));
      return appended(store.appendEvent(o?.intent.planId ?? null, e));
    }
    case 'commission': {
      const c = e.report;
      if (store.hasCommission(c.execId)) return duplicate(`commission of ${c.execId} already journaled`);
      const ref = store.orderRefOfFill(c.execId);
      if (ref === null) return rejected(`commission of ${c.execId}: the journal holds no such execution`);
      store.insertCommission(c, ref, e.atMs);
      return appended(store.appendEvent(store.order(ref)?.intent.planId ?? null, e));
    }
    case 'cycle-claimed': {
      const prev = store.cycle(e.cycleDate);
      if (prev !== null) return duplicate(`cycle ${e.cycleDate} already claimed (${prev.state})`);
      store.putCycle({
        cycleDate: e.cycleDate,
        state: 'running',
        planId: null,
        outcome: '',
        claimedAtMs: e.atMs,
        updatedAtMs: e.atMs,
      });
      return appended(store.appendEvent(null, e));
    }
    case 'cycle-updated': {
      const prev = store.cycle(e.cycleDate);
      if (prev === null) return rejected(`cycle ${e.cycleDate} was never claimed`);
      store.putCycle({ ...prev, state: e.state, planId: e.planId, outcome: e.outcome, updatedAtMs: e.atMs });
      return appended(store.appendEvent(e.planId, e));
    }
    case 'halted':
      store.putHalt({ halted: true, reason: e.reason, source: e.source, atMs: e.atMs });
      return appended(store.appendEvent(null, e));
    case 'resumed':
      store.putHalt({ halted: false });
      return appended(store.appendEvent(null, e));
    case 'order-id-floor':
      if (!Number.isSafeInteger(e.nextOrderId) || e.nextOrderId < 0) {
        return rejected(`order id floor ${e.nextOrderId} is not a whole number >= 0`);
      }
      if (e.nextOrderId <= store.orderIdFloor())
        return duplicate(`order id floor already ${store.orderIdFloor()}`);
      store.putOrderIdFloor(e.nextOrderId);
      return appended(store.appendEvent(null, e));
    case 'positions':
      store.putPositions({ account: e.account, atMs: e.atMs, positions: e.positions });
      return appended(store.appendEvent(null, e));
    case 'reconciled':
      return appended(store.appendEvent(null, e));
    case 'note':
      return appended(store.appendEvent(e.planId, e));
  }
}
