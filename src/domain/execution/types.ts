// The executor's language: the events it reads, the commands it writes, its state and its outcome.
// Plain data (JSON-serialisable), so a driver can log every event and a test can replay them.
import type { CommissionReport, ExecutionReport, IbOrderStatus } from '../broker-reports.ts';
import type { Action } from '../instruments.ts';
import type { PriceCents } from '../money.ts';
import type { OrderKind, Plan, PlanLeg } from '../plan/types.ts';
import type { OrderPhase } from './order-state.ts';
import type { PreflightReport } from './preflight.ts';

// ---------------------------------------------------------------------------------------------
// Events in

/** One leg's quote of the moment, price cents; null when that side is not quoted. */
export interface LegQuoteNow {
  readonly bid: number | null;
  readonly ask: number | null;
}

/** The quote of an order's legs, in the plan's leg order. */
export interface OrderQuote {
  readonly legs: readonly LegQuoteNow[];
}

/** A quote as the start event carries it (the fresh quotes pre-flight checked). */
export interface StartQuote extends OrderQuote {
  readonly orderKey: string;
  readonly atMs: number;
}

/** What happened to a submit, modify or cancel (the broker port's SendOutcome, without its ids). */
export type SendResult =
  | { readonly kind: 'sent' }
  | { readonly kind: 'refused'; readonly code: number; readonly text: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** How the broker adapter classified an IB code. */
export type CodeClass = 'refused' | 'unknown' | 'connectivity' | 'info';

/** What reconcile found for one orderRef: the order as IB holds it, or a proof that IB has none. */
export interface ReconciledOrder {
  readonly orderRef: string;
  readonly found: {
    readonly orderId: number;
    readonly status: IbOrderStatus;
    readonly filled: number;
    /** IB's total quantity of the order now (after any modify that reached it). */
    readonly quantity: number;
    /** Today's executions of the order (IB keeps no more). */
    readonly executions: readonly ExecutionReport[];
  } | null;
}

interface At {
  /** Epoch ms of the event by the driver's clock; the machine's time never goes back. */
  readonly atMs: number;
}

export type ExecEvent =
  | (At & {
      readonly type: 'start';
      /** Pre-flight of this plan; any failing check ends the plan ABORTED with nothing sent. */
      readonly preflight: PreflightReport;
      /** Fresh quotes per order: the first limits are priced from them without another round trip. */
      readonly quotes: readonly StartQuote[];
    })
  /** The driver allocated and journaled this order id for the ref, and is about to send. */
  | (At & { readonly type: 'order-id'; readonly orderRef: string; readonly orderId: number })
  | (At & { readonly type: 'submit-outcome'; readonly orderRef: string; readonly outcome: SendResult })
  | (At & { readonly type: 'modify-outcome'; readonly orderRef: string; readonly outcome: SendResult })
  | (At & { readonly type: 'cancel-outcome'; readonly orderRef: string; readonly outcome: SendResult })
  | (At & {
      readonly type: 'order-status';
      readonly orderId: number;
      readonly status: IbOrderStatus;
      readonly filled: number;
      readonly remaining: number;
      /** IB's average fill price per unit, decimal, signed as IB signs the order's limit; null before a fill. */
      readonly avgFillPrice: number | null;
    })
  | (At & {
      readonly type: 'open-order';
      readonly orderId: number;
      readonly orderRef: string;
      readonly status: IbOrderStatus;
      readonly quantity: number;
      readonly filled: number;
    })
  | (At & { readonly type: 'execution'; readonly execution: ExecutionReport })
  | (At & { readonly type: 'commission'; readonly report: CommissionReport })
  | (At & {
      readonly type: 'error';
      /** Order id, or -1 for a session-wide message. */
      readonly id: number;
      readonly code: number;
      readonly text: string;
      readonly codeClass: CodeClass;
    })
  | (At & { readonly type: 'connectivity'; readonly state: 'lost' | 'restored' })
  | (At & { readonly type: 'tick' })
  /** The answer to request-quote; null when no usable quote came back. */
  | (At & { readonly type: 'quote'; readonly orderKey: string; readonly quote: OrderQuote | null })
  | (At & {
      readonly type: 'reconcile-result';
      readonly requestId: number;
      /** Why reconcile could not run (link down, timeout); null when it answered. */
      readonly failure: string | null;
      readonly orders: readonly ReconciledOrder[];
    })
  /** Stop sending, cancel what works, finish once IB has answered (e.g. the user stops the run). */
  | (At & { readonly type: 'abort'; readonly reason: string });

export type ExecEventType = ExecEvent['type'];

// ---------------------------------------------------------------------------------------------
// Commands out

interface OrderFields {
  readonly orderKey: string;
  readonly kind: OrderKind;
  readonly action: Action;
  readonly legs: readonly PlanLeg[];
  readonly quantity: number;
  /** IB's signed limit in price cents (credit condor: BUY BAG at -credit). */
  readonly limitPrice: PriceCents;
  /** The ladder step the limit was priced at (0 = the mid). */
  readonly ladderStep: number;
}

export type ReconcileReason =
  'unknown-outcome' | 'reconnect' | 'cancel-unconfirmed' | 'cancel-refused' | 'missing-executions';

export type CancelReason = 'deadline' | 'abort' | 'superseded';

export type ExecCommand =
  /** Allocate an order id, journal it with the ref (then feed 'order-id'), send, feed the outcome. */
  | (OrderFields & { readonly type: 'submit'; readonly attempt: number; readonly orderRef: string })
  /** Same orderId and orderRef, new limit and/or quantity. */
  | (OrderFields & { readonly type: 'modify'; readonly orderRef: string; readonly orderId: number })
  | {
      readonly type: 'cancel';
      readonly orderKey: string;
      readonly orderRef: string;
      readonly orderId: number;
      readonly reason: CancelReason;
    }
  /** Read the order's legs' quotes now and feed them back as a 'quote' event. */
  | {
      readonly type: 'request-quote';
      readonly orderKey: string;
      /** 'submit': to price an order the machine already decided to send; 'step': its next ladder step. */
      readonly purpose: 'submit' | 'step';
      readonly step: number;
    }
  | { readonly type: 'schedule-tick'; readonly atMs: number }
  /** Ask the broker about these refs; feed the answer back with the same requestId. */
  | {
      readonly type: 'reconcile';
      readonly requestId: number;
      readonly reason: ReconcileReason;
      readonly orderRefs: readonly string[];
    }
  | { readonly type: 'finish'; readonly outcome: ExecutionOutcome };

export type ExecCommandType = ExecCommand['type'];

// ---------------------------------------------------------------------------------------------
// Configuration

export interface ExecutorConfig {
  /** A quote older than this never prices an order. */
  readonly quoteMaxAgeMs: number;
  /** A request-quote unanswered this long may be asked again. */
  readonly quoteTimeoutMs: number;
  /** After a cancel was sent, wait this long for IB's final status before reconciling. */
  readonly cancelGraceMs: number;
  /** After a final status that reports more filled than the executions seen, wait this long. */
  readonly executionsGraceMs: number;
  /** A reconcile that failed is asked again after this long. */
  readonly reconcileRetryMs: number;
  /** A reconcile not answered after this long is asked again. */
  readonly reconcileTimeoutMs: number;
}

export const DEFAULT_EXECUTOR_CONFIG: ExecutorConfig = {
  quoteMaxAgeMs: 5_000,
  quoteTimeoutMs: 5_000,
  cancelGraceMs: 10_000,
  executionsGraceMs: 5_000,
  reconcileRetryMs: 5_000,
  reconcileTimeoutMs: 30_000,
};

// ---------------------------------------------------------------------------------------------
// State (a value: step never mutates the state it is given)

export interface FillRecord {
  readonly execId: string;
  /** Index of the plan leg it filled, 'combo' for a BAG-level execution, null when it matches no leg. */
  readonly leg: number | 'combo' | null;
  readonly side: 'BOT' | 'SLD';
  readonly quantity: number;
  /** Price per unit as IB reports it (a leg's own price; a BAG-level execution: the net, signed). */
  readonly price: number;
  readonly timeMs: number;
}

/** One attempt of one plan order at IB: one orderRef, one orderId. */
export interface Track {
  attempt: number;
  orderRef: string;
  orderId: number | null;
  phase: OrderPhase;
  /** Quantity IB holds (as last confirmed sent). */
  quantity: number;
  /** IB's signed limit, price cents, as last confirmed sent. */
  limit: PriceCents;
  /** A request in flight and what it asks for (a modify's quantity and limit). */
  pending: { kind: 'submit' | 'modify' | 'cancel'; quantity: number; limit: PriceCents } | null;
  /** A request whose outcome is unknown: nothing more is sent until reconcile answers for this ref. */
  unresolved: 'submit' | 'modify' | 'cancel' | null;
  /** What that unresolved modify asked for: counted live until reconcile says. */
  unresolvedQuantity: number;
  /** Only a reconcile asked from this request id on answers the unresolved request (an older one may predate the send). */
  unresolvedFromRequestId: number;
  cancelSentAtMs: number | null;
  cancelReason: CancelReason | null;
  /** A cancel IB refused: reconcile before trying again. */
  cancelRefused: boolean;
  /** Filled as IB's statuses reported it (never decreasing); executions are the fills we count. */
  statusFilled: number;
  fills: FillRecord[];
  /**
   * The average price of the first `units` filled, exactly (IB's avgFillPrice, or executions whose
   * legs balance), as a positive magnitude on the order's ladder side in price cents.
   */
  avgFill: { units: number; price: number } | null;
  /** When the phase became final (for the wait on late executions). */
  finalAtMs: number | null;
  /** Reconcile answered for the missing executions: accept what is there. */
  executionsReconciled: boolean;
  refusal: { code: number; text: string } | null;
  lastError: { code: number; text: string; codeClass: CodeClass } | null;
  sentAtMs: number;
}

export interface Slot {
  readonly orderKey: string;
  readonly kind: OrderKind;
  readonly quantity: number;
  readonly deadlineMs: number;
  tracks: Track[];
  /** Ladder step of the current limit. */
  step: number;
  firstSentAtMs: number | null;
  nextStepAtMs: number | null;
  /** A request-quote in flight: for the next ladder step, or to price a submit. */
  quoteWanted: { purpose: 'step' | 'submit'; step: number; requestedAtMs: number } | null;
  /**
   * The latest quote of the order's legs, when it came and what it was asked for: only the start
   * quote or a quote asked to price a submit prices a submit (a step's quote moves a limit only).
   */
  lastQuote: { legs: readonly LegQuoteNow[]; atMs: number; purpose: 'start' | 'submit' | 'step' } | null;
  /** An unusable quote came back: ask again no earlier than this. */
  quoteRetryAtMs: number;
  /** A new ladder step was reached: move the working limit once the order can be modified. */
  repricePending: boolean;
}

export interface ExecState {
  /** The plan as built (never rebuilt): the machine reads its orders, ladders and coverage data. */
  readonly plan: Plan;
  readonly planId: string;
  readonly config: ExecutorConfig;
  slots: Slot[];
  started: boolean;
  startedAtMs: number | null;
  nowMs: number;
  connected: boolean;
  /** The link came back: a reconcile must answer before anything is sent. */
  reconnectPending: boolean;
  reconcile: {
    requestId: number;
    reason: ReconcileReason;
    orderRefs: string[];
    requestedAtMs: number;
  } | null;
  nextRequestId: number;
  reconcileRetryAtMs: number;
  /** The earliest tick asked for and not yet seen. */
  tickAtMs: number | null;
  abortReason: string | null;
  /** Commissions by execId (they may come before their execution). */
  commissions: { execId: string; commission: number }[];
  /** Every orderRef ever submitted: none is ever submitted twice. */
  sentRefs: string[];
  outcome: ExecutionOutcome | null;
}

// ---------------------------------------------------------------------------------------------
// Outcome

export type OutcomeKind = 'COMPLETE' | 'PARTIAL' | 'ABORTED';

export interface OrderResult {
  readonly orderKey: string;
  readonly kind: OrderKind;
  readonly quantity: number;
  /** Contracts filled, from unique executions. */
  readonly filled: number;
  /** Filled as IB's final statuses reported it (differs only when executions are missing). */
  readonly reportedFilled: number;
  readonly attempts: number;
  /** The last attempt's phase, or 'not-sent'. */
  readonly phase: OrderPhase | 'not-sent';
  /** Average price per unit of the fills, positive magnitude in price cents; null without fills. */
  readonly averagePrice: number | null;
  readonly commissionCents: number;
  readonly note: string;
}

export interface ExecutionOutcome {
  readonly kind: OutcomeKind;
  readonly reason: string;
  readonly planId: string;
  readonly orders: readonly OrderResult[];
  /** Filled hedge coverage at the end, cents of stress P&L. */
  readonly coverageCents: number;
  readonly condorFilled: number;
  readonly condorPlanned: number;
  /** Pre-flight checks that failed (ABORTED before anything was sent). */
  readonly failedChecks: readonly { readonly id: string; readonly detail: string }[];
}

export interface StepResult {
  readonly state: ExecState;
  readonly commands: readonly ExecCommand[];
}
