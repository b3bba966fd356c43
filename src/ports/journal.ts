// The journal: the record that survives crashes. Every write is one typed event appended to an
// append-only log and projected into tables in the same transaction; the events that precede a
// send (plan started, order intended, modify intended) are durable (fsync) before append returns,
// and so is everything appended before them. Writes are synchronous from the caller's view.
// Implemented by src/adapters/sqlite (one database per mode) and src/adapters/memory (unit tests);
// one contract suite (test/journal) runs against both.
//
// Failures: a storage failure (read-only, full, corrupt, I/O) throws an IronvixError with an
// E_JOURNAL_* code; the event was not written, and nothing written before is lost. Logical
// outcomes (a duplicate execution, a cycle already claimed, an intent that contradicts the
// journal) are values: see AppendResult.
import type {
  CommissionReport,
  ExecutionReport,
  IbOrderStatus,
  PositionReport,
} from '../domain/broker-reports.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type {
  JournalFill,
  JournalIntent,
  JournalOrder,
  JournalView,
  OrderEvent,
  PlanResult,
  ViewScope,
} from '../domain/journal-view.ts';
import type { Mode } from '../domain/mode.ts';
import type { Plan } from '../domain/plan/types.ts';
import type { ReconcileAction, ReconcileFlag } from '../domain/reconcile.ts';
import type { HeldLayer } from '../domain/snapshot.ts';

export type {
  JournalFill,
  JournalIntent,
  JournalOrder,
  JournalView,
  OrderEvent,
  OrderPhase,
  PlanResult,
  ReportedFields,
  Resolution,
  SubmitOutcome,
  SubmitState,
  ViewScope,
} from '../domain/journal-view.ts';

/** A daily cycle's state (issue 10): one row per cycle date, so a cycle never runs twice. */
export type CycleState = 'running' | 'done' | 'skipped' | 'failed';

/** Who set the kill switch: a clean reconcile lifts only a halt that reconciliation set. */
export type HaltSource = 'reconcile' | 'executor' | 'user' | 'service';

/** Everything the journal records. `atMs` comes from the caller's Clock. */
export type JournalEvent =
  /** Durable before append returns. The full plan as built: never rebuilt on a restart. */
  | { readonly type: 'plan-started'; readonly plan: Plan; readonly atMs: number }
  | {
      readonly type: 'plan-finished';
      readonly planId: string;
      readonly result: PlanResult;
      readonly reason: string;
      readonly atMs: number;
    }
  /** Durable before append returns: written before the order is sent. */
  | { readonly type: 'order-intended'; readonly intent: JournalIntent; readonly atMs: number }
  | OrderEvent
  /** Matched to its order by orderRef, else permId; unique by execId. */
  | { readonly type: 'execution'; readonly execution: ExecutionReport; readonly atMs: number }
  | { readonly type: 'commission'; readonly report: CommissionReport; readonly atMs: number }
  /** A reconciliation's result (its safe actions are appended as their own events). */
  | {
      readonly type: 'reconciled';
      readonly actions: readonly ReconcileAction[];
      readonly flags: readonly ReconcileFlag[];
      readonly atMs: number;
    }
  | { readonly type: 'cycle-claimed'; readonly cycleDate: IsoDate; readonly atMs: number }
  | {
      readonly type: 'cycle-updated';
      readonly cycleDate: IsoDate;
      readonly state: CycleState;
      readonly planId: string | null;
      readonly outcome: string;
      readonly atMs: number;
    }
  | { readonly type: 'halted'; readonly reason: string; readonly source: HaltSource; readonly atMs: number }
  | { readonly type: 'resumed'; readonly by: HaltSource; readonly note: string; readonly atMs: number }
  /** The next order id must be at least this (IB's nextValidId, a gateway restart). */
  | { readonly type: 'order-id-floor'; readonly nextOrderId: number; readonly atMs: number }
  | {
      readonly type: 'positions';
      readonly account: string;
      readonly positions: readonly PositionReport[];
      readonly atMs: number;
    }
  /** Anything else worth keeping (connectivity, coverage at a fill): free text and JSON data. */
  | {
      readonly type: 'note';
      readonly planId: string | null;
      readonly text: string;
      readonly data: unknown;
      readonly atMs: number;
    };

export type JournalEventType = JournalEvent['type'];

/** Event types made durable (fsync) before append returns: they precede a send. */
export const BARRIER_EVENTS: ReadonlySet<JournalEventType> = new Set<JournalEventType>([
  'plan-started',
  'order-intended',
  'order-modify-intended',
]);

export type AppendResult =
  | { readonly kind: 'appended'; readonly eventId: number }
  /** Already recorded (same execId, same intent, same plan, same cycle): nothing written. */
  | { readonly kind: 'duplicate'; readonly what: string }
  /** Contradicts the journal (an orderRef reused for another order, an event for an unknown order). */
  | { readonly kind: 'rejected'; readonly reason: string };

export interface StoredEvent {
  readonly eventId: number;
  readonly planId: string | null;
  readonly event: JournalEvent;
}

export interface PlanRecord {
  readonly planId: string;
  readonly cycleDate: IsoDate;
  readonly startedAtMs: number;
  /** null while the plan is in flight. */
  readonly end: { readonly result: PlanResult; readonly reason: string; readonly atMs: number } | null;
  /** The plan exactly as built and journaled. */
  readonly plan: Plan;
}

export type PlanSummary = Omit<PlanRecord, 'plan'> & { readonly orderCount: number };

export interface CycleRecord {
  readonly cycleDate: IsoDate;
  readonly state: CycleState;
  readonly planId: string | null;
  readonly outcome: string;
  readonly claimedAtMs: number;
  readonly updatedAtMs: number;
}

export type HaltState =
  | { readonly halted: false }
  | { readonly halted: true; readonly reason: string; readonly source: HaltSource; readonly atMs: number };

export interface PositionsRecord {
  readonly account: string;
  readonly atMs: number;
  readonly positions: readonly PositionReport[];
}

export interface OrderFills {
  readonly order: JournalOrder;
  readonly fills: readonly JournalFill[];
  readonly commissions: readonly CommissionReport[];
}

export interface EventQuery {
  readonly planId?: string;
  /** Events with an id above this one. */
  readonly afterId?: number;
  readonly limit?: number;
}

/** What a reader (status, reports) may do; a reader takes no lock. */
export interface JournalReader {
  readonly mode: Mode;
  /** Where the journal lives ("/srv/ironvix/journal-paper.sqlite", "memory"). */
  readonly location: string;
  plan(planId: string): PlanRecord | null;
  /** Newest first. */
  recentPlans(limit: number): readonly PlanSummary[];
  /** Plans started and not finished. */
  plansInFlight(): readonly PlanSummary[];
  order(orderRef: string): JournalOrder | null;
  /** The newest order that used this IB order id. */
  orderByOrderId(orderId: number): JournalOrder | null;
  ordersOfPlan(planId: string): readonly JournalOrder[];
  /** An order with its executions and commissions. */
  fillsOf(orderRef: string): OrderFills | null;
  /**
   * What reconciliation reads (src/domain/reconcile.ts): within the scope (reconcileScope of the
   * trading day, in src/domain/journal-view.ts), or the whole journal without one.
   */
  reconcileView(scope?: ViewScope): JournalView;
  /** The hedge layers the journal's fills hold on asOf (src/domain/journal-view.ts). */
  hedgeBook(asOf: IsoDate): readonly HeldLayer[];
  cycle(cycleDate: IsoDate): CycleRecord | null;
  /** Newest first. */
  recentCycles(limit: number): readonly CycleRecord[];
  haltState(): HaltState;
  /** The lowest next order id that stays above every id the journal used or was told of. */
  nextOrderIdFloor(): number;
  latestPositions(): PositionsRecord | null;
  events(query?: EventQuery): readonly StoredEvent[];
  close(): void;
}

export interface JournalPort extends JournalReader {
  /** Appends one event in one transaction; barrier events are fsynced before it returns. */
  append(event: JournalEvent): AppendResult;
}

/** Statuses IB can report (re-exported for callers that journal order-status events). */
export type { IbOrderStatus };
