// A broker world and a journal that saw part of it, built from a small spec: what really happened
// to each order (never reached IB, working, filled, cancelled, with its fills), and how much of it
// the journal recorded before a crash or a dropped link. Reconciliation tests, its property tests
// and the reconcile benchmark all build their cases here.
import type {
  CommissionReport,
  CompletedOrderReport,
  ExecutionReport,
  OrderReport,
  PositionReport,
} from '../../src/domain/broker-reports.ts';
import type { JournalFill, JournalOrder, JournalView, OrderEvent } from '../../src/domain/journal-view.ts';
import {
  applyOrderEvent,
  fillOf,
  newJournalOrder,
  planOrderOf,
  withExecution,
} from '../../src/domain/journal-view.ts';
import { addCalendarDays, calendarDaysBetween } from '../../src/domain/calendar.ts';
import { contractKey } from '../../src/domain/instruments.ts';
import type { IsoDate, OptionContract } from '../../src/domain/instruments.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import { cents } from '../../src/domain/money.ts';
import type { BrokerReports, ReconcileInput, ReconcileOutcome } from '../../src/domain/reconcile.ts';
import { reconcile } from '../../src/domain/reconcile.ts';
import type { JournalEvent } from '../../src/ports/journal.ts';
import { ACCOUNT, intentFor, legExecutions, orderReport, planAs } from './journal-fixtures.ts';

export const TODAY = '2026-03-10';
export const YESTERDAY = '2026-03-09';
/** Outside reconciliation's scope of recent orders (src/domain/journal-view.ts reconcileScope). */
export const LAST_MONTH = '2026-02-10';
export const NOW_MS = Date.parse('2026-03-10T20:30:00Z');
export const ABSENCE_AFTER_MS = 30_000;

export const ORDER_KEYS = ['hedge:A:open', 'hedge:B:open', 'condor'] as const;
export type OrderKey = (typeof ORDER_KEYS)[number];

/** What really happened at the broker; fills are the sizes of successive partial fills. */
export type Fate =
  | { readonly kind: 'never-sent' }
  | { readonly kind: 'working'; readonly fills: readonly number[] }
  | { readonly kind: 'filled'; readonly fills: readonly number[] }
  | { readonly kind: 'cancelled'; readonly fills: readonly number[] };

/** How much the journal recorded of it. */
export interface Knowledge {
  readonly submit: 'pending' | 'unknown' | 'sent';
  /** How many of the fills (in order) the journal recorded, with their commissions or not. */
  readonly fillsKnown: number;
  readonly commissionsKnown: boolean;
  /** The last status the journal recorded: none, a working one, or the final one. */
  readonly status: 'none' | 'working' | 'final';
  /** How long before now the order was intended. */
  readonly ageMs: number;
}

export interface OrderSpec {
  readonly key: OrderKey;
  readonly quantity: number;
  readonly fate: Fate;
  readonly knowledge: Knowledge;
}

export interface PlanSpec {
  readonly day: 'today' | 'yesterday' | 'last-month';
  /** Another cycle date instead: the plan's contracts then expire as many days later or earlier. */
  readonly cycleDate?: IsoDate;
  readonly orders: readonly OrderSpec[];
}

export interface ForeignSpec {
  /** Trades SPX options (flagged) or something else (ignored). */
  readonly ours: boolean;
  readonly ironvixRef: boolean;
  readonly filled: number;
}

export interface WorldSpec {
  readonly plans: readonly PlanSpec[];
  readonly foreign: readonly ForeignSpec[];
  /** Added to the broker's position of the first contract held: a real mismatch. */
  readonly positionOffset: number;
}

export interface World {
  readonly view: JournalView;
  /** The journal events that give `view` when appended to an empty journal. */
  readonly events: readonly JournalEvent[];
  readonly reports: BrokerReports;
  /** Report entries whose loss leaves the same facts visible (see dropCandidates). */
  readonly droppable: readonly Dropped[];
}

export type Dropped =
  | { readonly list: 'completedOrders'; readonly index: number }
  | { readonly list: 'openOrders'; readonly index: number };

/** The plan with every leg expiring `days` later (a plan of another cycle date trades other expiries). */
function shiftExpiries(plan: Plan, days: number): Plan {
  return {
    ...plan,
    orders: plan.orders.map((o) => ({
      ...o,
      legs: o.legs.map((l) => ({
        ...l,
        contract: { ...l.contract, expiry: addCalendarDays(l.contract.expiry, days) },
      })),
    })),
  };
}

function commissionOf(e: ExecutionReport): CommissionReport {
  return { execId: e.execId, commission: cents(-65), realizedPnl: null };
}

function filledOf(f: Fate): number {
  return f.kind === 'never-sent' ? 0 : f.fills.reduce((a, b) => a + b, 0);
}

/** Builds the world. Plan ids, order ids, permIds and execIds are derived from positions in the spec. */
export function buildWorld(spec: WorldSpec): World {
  const orders: JournalOrder[] = [];
  const fills: JournalFill[] = [];
  const commissionExecIds: string[] = [];
  const openOrders: OrderReport[] = [];
  const completedOrders: CompletedOrderReport[] = [];
  const executions: ExecutionReport[] = [];
  const commissions: CommissionReport[] = [];
  const position = new Map<string, { contract: OptionContract; quantity: number }>();
  const droppable: Dropped[] = [];
  const events: JournalEvent[] = [];
  const addPosition = (e: ExecutionReport): void => {
    if (e.contract.kind !== 'option') return;
    const k = contractKey(e.contract.contract);
    const prev = position.get(k) ?? { contract: e.contract.contract, quantity: 0 };
    position.set(k, { ...prev, quantity: prev.quantity + (e.side === 'BOT' ? e.quantity : -e.quantity) });
  };
  let orderId = 1000;

  spec.plans.forEach((p, pi) => {
    const day = p.cycleDate ?? (p.day === 'today' ? TODAY : p.day === 'yesterday' ? YESTERDAY : LAST_MONTH);
    const base = planAs(`${day}-${String(pi).padStart(8, '0')}`, day);
    const plan = p.cycleDate === undefined ? base : shiftExpiries(base, calendarDaysBetween(TODAY, day));
    events.push({ type: 'plan-started', plan, atMs: NOW_MS - 3_600_000 });
    const seenKeys = new Set<string>();
    for (const o of p.orders) {
      if (seenKeys.has(o.key)) continue;
      seenKeys.add(o.key);
      orderId += 1;
      const permId = orderId * 10 + 7;
      const intent = intentFor(plan, o.key, orderId, { quantity: o.quantity });
      const k = o.knowledge;
      const intendedAtMs = NOW_MS - k.ageMs;
      let jo = newJournalOrder(intent, planOrderOf(plan, o.key)!, day, intendedAtMs);
      events.push({ type: 'order-intended', intent, atMs: intendedAtMs });
      const ev = (e: OrderEvent): void => {
        jo = applyOrderEvent(jo, e);
        events.push(e);
      };
      const ref = intent.orderRef;
      const sentAt = intendedAtMs + 1;
      const fate = o.fate;
      if (fate.kind === 'never-sent') {
        if (k.submit === 'unknown') {
          ev({
            type: 'order-send-outcome',
            orderRef: ref,
            operation: 'submit',
            outcome: { kind: 'unknown', reason: 'no ack' },
            atMs: sentAt,
          });
        }
        orders.push(jo);
        continue;
      }
      // The order reached IB: its executions, one set of leg executions per partial fill.
      const orderExecs: ExecutionReport[][] = [];
      let cum = 0;
      fate.fills.forEach((size, fi) => {
        cum += size;
        orderExecs.push(
          legExecutions(intent, size, {
            permId,
            execPrefix: `0000${orderId}.${String(fi).padStart(4, '0')}`,
            timeMs: sentAt + 1 + fi,
            cumQuantity: cum,
          }),
        );
      });
      const filled = filledOf(fate);
      if (k.submit === 'sent') {
        ev({
          type: 'order-send-outcome',
          orderRef: ref,
          operation: 'submit',
          outcome: { kind: 'sent' },
          atMs: sentAt,
        });
      } else if (k.submit === 'unknown') {
        ev({
          type: 'order-send-outcome',
          orderRef: ref,
          operation: 'submit',
          outcome: { kind: 'unknown', reason: 'no ack' },
          atMs: sentAt,
        });
      }
      const known = Math.min(k.fillsKnown, orderExecs.length);
      orderExecs.slice(0, known).forEach((set) => {
        for (const e of set) {
          fills.push(fillOf(e, ref));
          jo = withExecution(jo, e);
          events.push({ type: 'execution', execution: e, atMs: e.timeMs });
          if (k.commissionsKnown) {
            commissionExecIds.push(e.execId);
            events.push({ type: 'commission', report: commissionOf(e), atMs: e.timeMs });
          }
        }
      });
      const knownFilled = fate.fills.slice(0, known).reduce((a, b) => a + b, 0);
      const finalStatus = fate.kind === 'filled' ? 'Filled' : fate.kind === 'cancelled' ? 'Cancelled' : null;
      if (k.status === 'working' || (k.status === 'final' && finalStatus === null)) {
        ev({
          type: 'order-status',
          orderRef: ref,
          permId,
          status: 'Submitted',
          filled: knownFilled,
          remaining: intent.quantity - knownFilled,
          avgFillPrice: null,
          atMs: sentAt + 50,
        });
      } else if (k.status === 'final' && finalStatus !== null) {
        ev({
          type: 'order-status',
          orderRef: ref,
          permId,
          status: finalStatus,
          filled,
          remaining: intent.quantity - filled,
          avgFillPrice: null,
          atMs: sentAt + 60,
        });
      }
      orders.push(jo);

      const allExecs = orderExecs.flat();
      for (const e of allExecs) addPosition(e);
      // IB reports only today's orders and executions.
      if (day !== TODAY) continue;
      executions.push(...allExecs);
      commissions.push(
        ...allExecs.map((e) => ({ execId: e.execId, commission: cents(-65), realizedPnl: null })),
      );
      if (fate.kind === 'working') {
        openOrders.push(orderReport(intent, { permId, status: 'Submitted', filled }));
        if (allExecs.length > 0) droppable.push({ list: 'openOrders', index: openOrders.length - 1 });
      } else {
        const status = fate.kind === 'filled' ? 'Filled' : 'Cancelled';
        completedOrders.push({
          ...orderReport(intent, { permId, status, filled }),
          completedStatus: status,
          completedTimeMs: sentAt + 100,
        });
        if (fate.kind === 'filled')
          droppable.push({ list: 'completedOrders', index: completedOrders.length - 1 });
      }
    }
  });

  spec.foreign.forEach((f, fi) => {
    const plan = planAs(`${TODAY}-ffff${String(fi).padStart(4, '0')}`);
    const intent = intentFor(plan, 'condor', 900_000 + fi, { quantity: Math.max(1, f.filled) });
    const orderRef = f.ironvixRef ? intent.orderRef : `other-tool-${fi}`;
    const permId = 7_000_000 + fi;
    const report = { ...orderReport(intent, { permId, status: 'Submitted', filled: 0 }), orderRef };
    openOrders.push(f.ours ? report : { ...report, contract: null });
    if (f.filled > 0) {
      const execs = legExecutions(intent, f.filled, {
        permId,
        execPrefix: `ffff${fi}`,
        timeMs: NOW_MS - 10,
      }).map((e): ExecutionReport => ({
        ...e,
        orderRef,
        contract: f.ours ? e.contract : { kind: 'other', description: 'AAPL STK' },
      }));
      executions.push(...execs);
      for (const e of execs) addPosition(e);
    }
  });

  // IB lists no position of a contract that expired before today.
  const positions: PositionReport[] = [...position.values()]
    .filter((p) => p.quantity !== 0 && p.contract.expiry >= TODAY)
    .map((p, i) => ({
      account: ACCOUNT,
      contract: { kind: 'option', contract: p.contract },
      quantity: p.quantity + (i === 0 ? spec.positionOffset : 0),
      avgCost: cents(100),
    }));
  return {
    view: { orders, fills, commissionExecIds },
    events,
    reports: { openOrders, completedOrders, executions, commissions, positions },
    droppable,
  };
}

/** The reports without the chosen redundant entries. */
export function dropEntries(reports: BrokerReports, drops: readonly Dropped[]): BrokerReports {
  const gone = (list: Dropped['list']) => new Set(drops.filter((d) => d.list === list).map((d) => d.index));
  const open = gone('openOrders');
  const completed = gone('completedOrders');
  return {
    ...reports,
    openOrders: reports.openOrders.filter((_, i) => !open.has(i)),
    completedOrders: reports.completedOrders.filter((_, i) => !completed.has(i)),
  };
}

/** A journal that recorded everything of the order (override what it missed). */
export function knows(over: Partial<Knowledge> = {}): Knowledge {
  return { submit: 'sent', fillsKnown: 99, commissionsKnown: true, status: 'final', ageMs: 600_000, ...over };
}

/** reconcile() at NOW_MS on TODAY for the test account. */
export function reconcileAt(
  view: JournalView,
  reports: BrokerReports,
  over: Partial<ReconcileInput> = {},
): ReconcileOutcome {
  return reconcile({
    view,
    reports,
    account: ACCOUNT,
    tradingDate: TODAY,
    nowMs: NOW_MS,
    absenceAfterMs: ABSENCE_AFTER_MS,
    ...over,
  });
}
