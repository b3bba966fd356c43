// What the journal believes, as plain data, and the pure rules every journal implementation and
// reconciliation share: an order's phase, which executions count (IB corrections replace the
// execution they correct), the positions the journal's fills imply, the hedge layers held.
import type {
  BrokerContract,
  ExecutionContract,
  ExecutionReport,
  FinalStatus,
  IbOrderStatus,
  OrderIntent,
} from './broker-reports.ts';
import { isFinalStatus } from './broker-reports.ts';
import { addCalendarDays } from './calendar.ts';
import type { IsoDate, OptionContract } from './instruments.ts';
import { contractKey } from './instruments.ts';
import type { PriceCents } from './money.ts';
import { priceCents } from './money.ts';
import { formatOrderRef } from './execution/order-ref.ts';
import type { OrderKind, Plan } from './plan/types.ts';
import type { HeldLayer } from './snapshot.ts';

/** How a plan ended (docs/architecture.md "Executing a plan", step 6). */
export type PlanResult = 'COMPLETE' | 'PARTIAL' | 'ABORTED';

/** An order as intended, journaled before it is sent: the broker's intent plus where it comes from. */
export interface JournalIntent extends OrderIntent {
  readonly planId: string;
  /** The plan order's key ("hedge:A:open", "condor"). */
  readonly orderKey: string;
  /** 1 for the first send of the key; a new attempt only after reconcile proved the last absent. */
  readonly attempt: number;
}

/** What the submit of an order came to. `pending`: intent written, no outcome journaled yet. */
export type SubmitState =
  | { readonly kind: 'pending' }
  | { readonly kind: 'sent'; readonly atMs: number }
  | { readonly kind: 'refused'; readonly code: number; readonly text: string; readonly atMs: number }
  | { readonly kind: 'unknown'; readonly reason: string; readonly atMs: number };

/** The order's fields as the broker last reported them, kept apart from the intended ones. */
export interface ReportedFields {
  readonly status: IbOrderStatus;
  readonly filled: number;
  readonly remaining: number;
  /** Decimal, signed as IB reports it; null before a fill. */
  readonly avgFillPrice: number | null;
  readonly lastUpdateMs: number;
}

/**
 * Set by reconciliation only: `absent` (no trace at the broker under its orderRef: it never got
 * there and may be re-sent under a new attempt), `expired` (a DAY order of an earlier trading day
 * that IB no longer reports: never re-sent; the position check covers any fill it had).
 */
export interface Resolution {
  readonly kind: 'absent' | 'expired';
  readonly reason: string;
  readonly atMs: number;
}

export interface JournalOrder {
  /** As intended; a journaled modify replaces limitPrice and quantity (IB keeps orderId and orderRef). */
  readonly intent: JournalIntent;
  readonly intendedAtMs: number;
  /** The plan's cycle date: the trading day the order was sent on (IB keeps DAY orders that day only). */
  readonly cycleDate: IsoDate;
  /** From the plan's order of the same key. */
  readonly orderKind: OrderKind;
  readonly layerId: string | null;
  readonly templateId: string | null;
  readonly submit: SubmitState;
  /** IB's permanent id, once an ack, a status, an execution or reconciliation gave it. */
  readonly permId: number | null;
  readonly reported: ReportedFields | null;
  readonly resolution: Resolution | null;
  readonly cancelRequestedAtMs: number | null;
}

export { FINAL_STATUSES, isFinalStatus } from './broker-reports.ts';
export type { FinalStatus } from './broker-reports.ts';

/**
 * intended: written, no submit outcome (a crash may have come before or after the send);
 * unknown: the submit's outcome is unknown (no ack by the deadline); working: acknowledged and not
 * final; final: filled, cancelled, inactive, refused, or resolved by reconciliation.
 */
export type OrderPhase = 'intended' | 'unknown' | 'working' | 'final';

export function orderPhase(o: JournalOrder): OrderPhase {
  if (o.resolution !== null || o.submit.kind === 'refused') return 'final';
  if (o.reported !== null) return isFinalStatus(o.reported.status) ? 'final' : 'working';
  switch (o.submit.kind) {
    case 'pending':
      return 'intended';
    case 'unknown':
      return 'unknown';
    case 'sent':
      return 'working';
  }
}

// ---------------------------------------------------------------------------------------------
// What can happen to a journaled order, and the one rule for each (every journal applies these)

/** A submit's outcome as the journal keeps it (src/ports/broker.ts SendOutcome fits it). */
export type SubmitOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'refused'; readonly code: number; readonly text: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export type OrderEvent =
  | {
      readonly type: 'order-send-outcome';
      readonly orderRef: string;
      readonly operation: 'submit' | 'modify' | 'cancel';
      readonly outcome: SubmitOutcome;
      readonly atMs: number;
    }
  /** Journaled before a modify is sent: the new limit (and quantity) as intended. */
  | {
      readonly type: 'order-modify-intended';
      readonly orderRef: string;
      readonly limitPrice: PriceCents;
      readonly quantity: number;
      readonly atMs: number;
    }
  | { readonly type: 'order-cancel-requested'; readonly orderRef: string; readonly atMs: number }
  /** A status from the broker's event stream. */
  | {
      readonly type: 'order-status';
      readonly orderRef: string;
      readonly permId: number | null;
      readonly status: IbOrderStatus;
      readonly filled: number;
      readonly remaining: number;
      readonly avgFillPrice: number | null;
      readonly atMs: number;
    }
  /** Reconciliation found the order at the broker under its orderRef. */
  | {
      readonly type: 'order-attached';
      readonly orderRef: string;
      readonly permId: number;
      readonly atMs: number;
    }
  /** Reconciliation found the order final at the broker: its word replaces the journal's. */
  | {
      readonly type: 'order-marked-final';
      readonly orderRef: string;
      readonly status: FinalStatus;
      readonly filled: number;
      readonly atMs: number;
    }
  | {
      readonly type: 'order-resolved';
      readonly orderRef: string;
      readonly resolution: 'absent' | 'expired';
      readonly reason: string;
      readonly atMs: number;
    };

function knownPermId(prev: number | null, next: number | null): number | null {
  return next !== null && next > 0 ? next : prev;
}

function nextSubmit(prev: SubmitState, out: SubmitOutcome, atMs: number): SubmitState {
  switch (out.kind) {
    case 'sent':
      return prev.kind === 'sent' ? prev : { kind: 'sent', atMs };
    case 'refused':
      return { kind: 'refused', code: out.code, text: out.text, atMs };
    case 'unknown':
      return prev.kind === 'pending' ? { kind: 'unknown', reason: out.reason, atMs } : prev;
  }
}

/**
 * Applies one event to an order. IB repeats and reorders statuses: the filled quantity never goes
 * down, a final status is never replaced by a working one, a refusal or resolution is final, and a
 * later `sent` never undoes a refusal. Only reconciliation's marked-final overrides a final status.
 */
export function applyOrderEvent(o: JournalOrder, e: OrderEvent): JournalOrder {
  switch (e.type) {
    case 'order-send-outcome':
      return e.operation !== 'submit' || o.submit.kind === 'refused'
        ? o
        : { ...o, submit: nextSubmit(o.submit, e.outcome, e.atMs) };
    case 'order-modify-intended':
      return { ...o, intent: { ...o.intent, limitPrice: e.limitPrice, quantity: e.quantity } };
    case 'order-cancel-requested':
      return o.cancelRequestedAtMs === null ? { ...o, cancelRequestedAtMs: e.atMs } : o;
    case 'order-status': {
      const permId = knownPermId(o.permId, e.permId);
      const next: ReportedFields = {
        status: e.status,
        filled: e.filled,
        remaining: e.remaining,
        avgFillPrice: e.avgFillPrice,
        lastUpdateMs: e.atMs,
      };
      const prev = o.reported;
      if (prev === null) return { ...o, permId, reported: next };
      if (isFinalStatus(prev.status) && !isFinalStatus(e.status)) {
        return { ...o, permId, reported: { ...prev, filled: Math.max(prev.filled, e.filled) } };
      }
      if (e.filled < prev.filled) {
        const kept = { filled: prev.filled, remaining: prev.remaining, avgFillPrice: prev.avgFillPrice };
        return { ...o, permId, reported: { ...next, ...kept } };
      }
      return { ...o, permId, reported: next };
    }
    case 'order-attached': {
      const submit: SubmitState = o.submit.kind === 'refused' ? o.submit : { kind: 'sent', atMs: e.atMs };
      return { ...o, submit, permId: knownPermId(o.permId, e.permId) };
    }
    case 'order-marked-final':
      return {
        ...o,
        reported: {
          status: e.status,
          filled: e.filled,
          remaining: Math.max(0, o.intent.quantity - e.filled),
          avgFillPrice: o.reported?.avgFillPrice ?? null,
          lastUpdateMs: e.atMs,
        },
      };
    case 'order-resolved':
      return o.resolution !== null
        ? o
        : { ...o, resolution: { kind: e.resolution, reason: e.reason, atMs: e.atMs } };
  }
}

/** An execution of the order tells its permId when nothing did before. */
export function withExecution(o: JournalOrder, e: Pick<ExecutionReport, 'permId'>): JournalOrder {
  return o.permId === null && e.permId > 0 ? { ...o, permId: e.permId } : o;
}

/** The order a fresh intent starts as. */
export function newJournalOrder(
  intent: JournalIntent,
  planOrder: {
    readonly kind: OrderKind;
    readonly layerId: string | null;
    readonly templateId: string | null;
  },
  cycleDate: IsoDate,
  atMs: number,
): JournalOrder {
  return {
    intent,
    intendedAtMs: atMs,
    cycleDate,
    orderKind: planOrder.kind,
    layerId: planOrder.layerId,
    templateId: planOrder.templateId,
    submit: { kind: 'pending' },
    permId: null,
    reported: null,
    resolution: null,
    cancelRequestedAtMs: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Executions

/** An execution as journaled: the broker's report plus the journal order it belongs to. */
export interface JournalFill {
  readonly execId: string;
  /** The journal order it was matched to (by orderRef, else permId); never a foreign order's. */
  readonly orderRef: string;
  readonly contract: ExecutionContract;
  readonly side: 'BOT' | 'SLD';
  readonly quantity: number;
  readonly price: PriceCents;
  readonly timeMs: number;
}

export function fillOf(e: ExecutionReport, orderRef: string): JournalFill {
  return {
    execId: e.execId,
    orderRef,
    contract: e.contract,
    side: e.side,
    quantity: e.quantity,
    price: e.price,
    timeMs: e.timeMs,
  };
}

/** IB corrects an execution with a new execId that differs only after the last '.'. */
export function execBase(execId: string): { readonly base: string; readonly revision: string } {
  const i = execId.lastIndexOf('.');
  return i < 0 ? { base: execId, revision: '' } : { base: execId.slice(0, i), revision: execId.slice(i + 1) };
}

function laterRevision(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

/** The executions that count: one per execId, and per corrected execution only its latest correction. */
export function effectiveFills<F extends Pick<JournalFill, 'execId'>>(fills: readonly F[]): F[] {
  const byBase = new Map<string, { readonly revision: string; readonly fill: F }>();
  for (const f of fills) {
    const { base, revision } = execBase(f.execId);
    const seen = byBase.get(base);
    if (seen === undefined || laterRevision(revision, seen.revision)) byBase.set(base, { revision, fill: f });
  }
  return [...byBase.values()].map((v) => v.fill);
}

/** Whole contracts of the order filled, from its executions (a combo: the least-filled leg by ratio). */
export function filledFromFills(contract: BrokerContract, fills: readonly JournalFill[]): number {
  const legQty = new Map<string, number>();
  for (const f of effectiveFills(fills)) {
    if (f.contract.kind !== 'option') continue;
    const k = contractKey(f.contract.contract);
    legQty.set(k, (legQty.get(k) ?? 0) + f.quantity);
  }
  if (contract.kind === 'single') return legQty.get(contractKey(contract.contract)) ?? 0;
  let least = Number.POSITIVE_INFINITY;
  for (const leg of contract.legs) {
    least = Math.min(least, Math.floor((legQty.get(contractKey(leg.contract)) ?? 0) / leg.ratio));
  }
  return Number.isFinite(least) ? least : 0;
}

/** Net price per unit the fills came to, signed as a debit (BOT legs add, SLD legs subtract). */
export function netPriceFromFills(fills: readonly JournalFill[], units: number): PriceCents | null {
  if (units <= 0) return null;
  let total = 0;
  for (const f of effectiveFills(fills)) {
    if (f.contract.kind !== 'option') continue;
    total += (f.side === 'BOT' ? 1 : -1) * f.price * f.quantity;
  }
  return priceCents(Math.round(total / units));
}

// ---------------------------------------------------------------------------------------------
// Positions the journal expects

export interface ExpectedPosition {
  readonly key: string;
  readonly contract: OptionContract;
  /** Signed: short is negative. */
  readonly quantity: number;
}

/** Option positions the fills imply (BAG-level executions carry no position: their legs do). */
export function positionsFromFills(fills: readonly JournalFill[]): Map<string, ExpectedPosition> {
  const out = new Map<string, ExpectedPosition>();
  for (const f of effectiveFills(fills)) {
    if (f.contract.kind !== 'option') continue;
    const key = contractKey(f.contract.contract);
    const q = (out.get(key)?.quantity ?? 0) + (f.side === 'BOT' ? f.quantity : -f.quantity);
    out.set(key, { key, contract: f.contract.contract, quantity: q });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The view reconciliation reads

export interface JournalView {
  /** Every order the journal holds. */
  readonly orders: readonly JournalOrder[];
  /** Every execution the journal holds (corrections included: effectiveFills picks). */
  readonly fills: readonly JournalFill[];
  /** execIds whose commission the journal holds. */
  readonly commissionExecIds: readonly string[];
}

/**
 * What of the journal reconciliation reads. IB reports only today's orders and executions, and
 * positions only of contracts not yet expired, so a reconcile needs: every order not final, the
 * orders of the last days (a margin around IB's day boundary), their fills, and the fills of
 * contracts that have not expired (for the positions). The rest is history: reading it would make
 * every reconcile slower as the journal grows, and could not change its result.
 */
export interface ViewScope {
  /** Orders of this cycle date or later are in the view (and every order not final). */
  readonly ordersSince: IsoDate;
  /** Fills of option contracts expiring on or after this date are in the view. */
  readonly positionsFrom: IsoDate;
}

/** A week of orders (IB's day boundary is not New York midnight) and every contract not expired. */
export function reconcileScope(tradingDate: IsoDate): ViewScope {
  return { ordersSince: addCalendarDays(tradingDate, -7), positionsFrom: tradingDate };
}

export function orderInScope(o: JournalOrder, s: ViewScope): boolean {
  return o.cycleDate >= s.ordersSince || orderPhase(o) !== 'final';
}

export function fillInScope(f: JournalFill, scopedRefs: ReadonlySet<string>, s: ViewScope): boolean {
  return (
    scopedRefs.has(f.orderRef) ||
    (f.contract.kind === 'option' && f.contract.contract.expiry >= s.positionsFrom)
  );
}

/** The view narrowed to a scope (the memory journal's; the SQLite journal does it in SQL). */
export function scopeView(v: JournalView, s: ViewScope): JournalView {
  const orders = v.orders.filter((o) => orderInScope(o, s));
  const refs = new Set(orders.map((o) => o.intent.orderRef));
  const fills = v.fills.filter((f) => fillInScope(f, refs, s));
  const execIds = new Set(fills.map((f) => f.execId));
  return { orders, fills, commissionExecIds: v.commissionExecIds.filter((id) => execIds.has(id)) };
}

// ---------------------------------------------------------------------------------------------
// The hedge book the journal's fills give

function layerShape(
  c: BrokerContract,
): Pick<HeldLayer, 'kind' | 'tradingClass' | 'expiry' | 'longStrike' | 'shortStrike'> | null {
  if (c.kind === 'single') {
    const o = c.contract;
    if (o.symbol !== 'VIX' || o.tradingClass === 'SPXW') return null;
    return {
      kind: 'call',
      tradingClass: o.tradingClass,
      expiry: o.expiry,
      longStrike: o.strike,
      shortStrike: null,
    };
  }
  const long = c.legs.find((l) => l.action === 'BUY')?.contract;
  const short = c.legs.find((l) => l.action === 'SELL')?.contract;
  if (c.legs.length !== 2 || long === undefined || short === undefined) return null;
  if (long.tradingClass === 'SPXW') return null;
  return {
    kind: 'callSpread',
    tradingClass: long.tradingClass,
    expiry: long.expiry,
    longStrike: long.strike,
    shortStrike: short.strike,
  };
}

/**
 * The hedge layers held per the journal: each opening hedge order's filled quantity at its fill
 * price, less what roll closes and trims of the same layer filled; layers expired before asOf or
 * with nothing left are left out.
 */
export function hedgeBookFromJournal(
  orders: readonly JournalOrder[],
  fills: readonly JournalFill[],
  asOf: IsoDate,
): HeldLayer[] {
  const fillsByRef = new Map<string, JournalFill[]>();
  for (const f of fills) {
    const list = fillsByRef.get(f.orderRef) ?? [];
    list.push(f);
    fillsByRef.set(f.orderRef, list);
  }
  interface Acc {
    layer: Omit<HeldLayer, 'quantity' | 'entryPrice'>;
    opened: number;
    paid: number;
    closed: number;
  }
  const layers = new Map<string, Acc>();
  const sorted = [...orders].sort((a, b) => a.intendedAtMs - b.intendedAtMs);
  for (const o of sorted) {
    if (o.layerId === null || o.orderKind === 'condor-open') continue;
    const own = fillsByRef.get(o.intent.orderRef) ?? [];
    const filled = filledFromFills(o.intent.contract, own);
    if (filled === 0) continue;
    if (o.orderKind === 'hedge-open') {
      const shape = layerShape(o.intent.contract);
      if (shape === null) continue;
      const acc = layers.get(o.layerId) ?? {
        layer: { layerId: o.layerId, templateId: o.templateId ?? '', openedOn: o.cycleDate, ...shape },
        opened: 0,
        paid: 0,
        closed: 0,
      };
      acc.opened += filled;
      acc.paid += (netPriceFromFills(own, filled) ?? 0) * filled;
      layers.set(o.layerId, acc);
    } else {
      const acc = layers.get(o.layerId);
      if (acc !== undefined) acc.closed += filled;
    }
  }
  const out: HeldLayer[] = [];
  for (const acc of layers.values()) {
    const quantity = acc.opened - acc.closed;
    if (quantity <= 0 || acc.layer.expiry < asOf) continue;
    out.push({ ...acc.layer, quantity, entryPrice: priceCents(Math.round(acc.paid / acc.opened)) });
  }
  return out.sort((a, b) => a.layerId.localeCompare(b.layerId));
}

// ---------------------------------------------------------------------------------------------
// Checks every journal makes before it records an intent

/** Why an intent cannot belong to the plan, or null when it does. */
export function intentProblem(intent: JournalIntent, plan: Plan): string | null {
  if (intent.planId !== plan.planId) return `intent of plan ${intent.planId} recorded under ${plan.planId}`;
  if (!plan.orders.some((o) => o.key === intent.orderKey)) {
    return `plan ${plan.planId} has no order ${JSON.stringify(intent.orderKey)}`;
  }
  let expected: string;
  try {
    expected = formatOrderRef({ planId: intent.planId, orderKey: intent.orderKey, attempt: intent.attempt });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (intent.orderRef !== expected) return `orderRef ${intent.orderRef} is not ${expected}`;
  if (!Number.isSafeInteger(intent.orderId) || intent.orderId <= 0)
    return `order id ${intent.orderId} is not > 0`;
  if (!Number.isSafeInteger(intent.quantity) || intent.quantity <= 0) {
    return `quantity ${intent.quantity} is not a whole number > 0`;
  }
  return null;
}

/** The plan order's kind and layer, which the journal keeps with each of its orders. */
export function planOrderOf(
  plan: Plan,
  orderKey: string,
): { readonly kind: OrderKind; readonly layerId: string | null; readonly templateId: string | null } | null {
  const o = plan.orders.find((x) => x.key === orderKey);
  return o === undefined ? null : { kind: o.kind, layerId: o.layerId, templateId: o.templateId };
}
