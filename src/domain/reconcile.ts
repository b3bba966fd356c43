// Reconciliation: what the journal believes against what IB reports, as a pure function returning
// actions. Safe actions repair the journal (adopt a missed fill or commission, attach an order
// found by its orderRef, mark an order final, prove an unsent intent absent, expire a past DAY
// order); flags halt trading until a person looks (an order the journal never sent, a journal and
// broker that contradict each other, a position that differs).
//
// Rules, decided here and documented in docs/journal.md:
// - Only the configured account counts; reports of other accounts (FA logins) are ignored.
// - Matching is by orderRef, then by permId. Never by orderId: a gateway restart reuses order ids.
// - Orders of other tools are never touched. One with an ironvix-looking orderRef, or one that
//   trades ironvix's instruments (SPX and VIX options and combos), is flagged; others are ignored.
// - An intent with no trace at the broker (not open, not completed, no execution) is proved absent
//   only on its own trading day (IB reports only today's orders and executions) and only once it
//   is older than `absenceAfterMs` (a late ack must not cause a second order); a non-final order of
//   an earlier day is expired (DAY orders end with their day) and the position check covers it.
// - Positions are compared for every option contract the journal's fills or the broker's positions
//   hold, except contracts expired before the trading day; on its expiry day a contract the broker
//   no longer lists counts as settled.
// - The result is canonical: the same under shuffled, duplicated and redundant-dropped reports.
import type {
  CommissionReport,
  CompletedOrderReport,
  ExecutionContract,
  ExecutionReport,
  OrderReport,
  FinalStatus,
  PositionReport,
  BrokerContract,
} from './broker-reports.ts';
import { FINAL_ORDER_STATUSES, isFinalStatus } from './broker-reports.ts';
import { parseOrderRef } from './execution/order-ref.ts';
import type { IsoDate, OptionContract } from './instruments.ts';
import { contractKey } from './instruments.ts';
import type { JournalFill, JournalOrder, JournalView, OrderEvent } from './journal-view.ts';
import {
  applyOrderEvent,
  fillOf,
  filledFromFills,
  orderPhase,
  positionsFromFills,
  withExecution,
} from './journal-view.ts';

export interface BrokerReports {
  readonly openOrders: readonly OrderReport[];
  readonly completedOrders: readonly CompletedOrderReport[];
  readonly executions: readonly ExecutionReport[];
  readonly commissions: readonly CommissionReport[];
  readonly positions: readonly PositionReport[];
}

export interface ReconcileInput {
  readonly view: JournalView;
  readonly reports: BrokerReports;
  readonly account: string;
  /** The broker's trading day (New York date) the reports belong to. */
  readonly tradingDate: IsoDate;
  readonly nowMs: number;
  /** An intent with no trace is proved absent only this long after its send (or its intent). */
  readonly absenceAfterMs: number;
}

/** Actions that repair the journal; applying them is always safe. */
export type ReconcileAction =
  | { readonly kind: 'adopt-fill'; readonly orderRef: string; readonly execution: ExecutionReport }
  | { readonly kind: 'adopt-commission'; readonly report: CommissionReport }
  | { readonly kind: 'attach'; readonly orderRef: string; readonly permId: number }
  | {
      readonly kind: 'mark-final';
      readonly orderRef: string;
      readonly status: FinalStatus;
      readonly filled: number;
    }
  | { readonly kind: 'prove-absent'; readonly orderRef: string }
  | { readonly kind: 'expire'; readonly orderRef: string };

export type OrderConflict =
  /** The journal proved it absent or expired it, yet the broker has it. */
  | 'resolved-but-seen'
  /** The journal holds it refused, yet the broker has it working or filled. */
  | 'refused-but-seen'
  /** The journal holds it final, the broker has it working. */
  | 'final-but-working'
  /** Acknowledged today, working in the journal, and the broker has no trace of it. */
  | 'vanished';

/** Differences that halt trading: never repaired automatically. */
export type ReconcileFlag =
  | {
      readonly kind: 'unknown-order';
      readonly orderRef: string;
      /** 0 when IB gave none. */
      readonly permId: number;
      /** The orderRef parses as planId:orderKey:attempt (another ironvix, or a lost journal). */
      readonly ironvixRef: boolean;
    }
  | { readonly kind: 'order-conflict'; readonly orderRef: string; readonly conflict: OrderConflict }
  | {
      readonly kind: 'position-mismatch';
      readonly key: string;
      readonly contract: OptionContract;
      readonly expected: number;
      readonly broker: number;
    }
  | {
      readonly kind: 'position-report-conflict';
      readonly key: string;
      readonly quantities: readonly number[];
    };

export interface ReconcileOutcome {
  readonly actions: readonly ReconcileAction[];
  readonly flags: readonly ReconcileFlag[];
  /** Untraced intents too young to be proved absent: reconcile again at `untilMs`. */
  readonly waiting: readonly { readonly orderRef: string; readonly untilMs: number }[];
  /** Orders of other tools on other instruments, left alone (count only). */
  readonly ignoredForeignOrders: number;
}

/** Which final word wins when IB reports one order twice with the same fill: the order of the list. */
const FINAL_PRECEDENCE: readonly FinalStatus[] = FINAL_ORDER_STATUSES;

interface Evidence {
  readonly reports: OrderReport[];
  readonly executions: ExecutionReport[];
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const t of items) if (!seen.has(key(t))) seen.set(key(t), t);
  return [...seen.values()];
}

function isOurInstrument(c: BrokerContract | ExecutionContract | null): boolean {
  if (c === null) return false;
  switch (c.kind) {
    case 'single':
    case 'option':
      return true;
    case 'combo':
      return c.symbol === 'SPX' || c.symbol === 'VIX';
    case 'other':
      return false;
  }
}

function firstPermId(ev: Evidence): number {
  const ids = [...ev.reports.map((r) => r.permId), ...ev.executions.map((e) => e.permId)].filter(
    (p) => p > 0,
  );
  return ids.length === 0 ? 0 : Math.min(...ids);
}

/** The broker's final word on an order, from its reports or from executions that fill it. */
function brokerFinal(
  o: JournalOrder,
  ev: Evidence,
  fills: readonly JournalFill[],
): { readonly status: FinalStatus; readonly filled: number } | null {
  const execFilled = filledFromFills(o.intent.contract, fills);
  let best: { status: FinalStatus; filled: number } | null = null;
  for (const r of ev.reports) {
    const status = r.status;
    if (!isFinalStatus(status)) continue;
    if (
      best === null ||
      r.filled > best.filled ||
      (r.filled === best.filled && FINAL_PRECEDENCE.indexOf(status) < FINAL_PRECEDENCE.indexOf(best.status))
    ) {
      best = { status, filled: r.filled };
    }
  }
  if (best !== null) return { status: best.status, filled: Math.max(best.filled, execFilled) };
  if (execFilled >= o.intent.quantity) return { status: 'Filled', filled: o.intent.quantity };
  return null;
}

function sortKey(a: ReconcileAction): string {
  const order = ['adopt-fill', 'adopt-commission', 'attach', 'mark-final', 'prove-absent', 'expire'];
  const id =
    a.kind === 'adopt-fill'
      ? a.execution.execId
      : a.kind === 'adopt-commission'
        ? a.report.execId
        : a.orderRef;
  return `${order.indexOf(a.kind)}|${id}`;
}

function flagKey(f: ReconcileFlag): string {
  switch (f.kind) {
    case 'unknown-order':
      return `0|${f.permId}|${f.orderRef}`;
    case 'order-conflict':
      return `1|${f.orderRef}`;
    case 'position-mismatch':
    case 'position-report-conflict':
      return `2|${f.key}`;
  }
}

function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

export function reconcile(input: ReconcileInput): ReconcileOutcome {
  const { view, reports, account, tradingDate } = input;
  const mine = <T extends { readonly account: string }>(xs: readonly T[]): T[] =>
    xs.filter((x) => x.account === account);
  const orderReports = dedupe(
    [...mine(reports.openOrders), ...mine(reports.completedOrders)],
    (r) => `${r.permId}|${r.orderRef}|${r.orderId}|${r.status}|${r.filled}`,
  );
  const executions = dedupe(mine(reports.executions), (e) => e.execId);
  const commissions = dedupe(reports.commissions, (c) => c.execId);

  const byRef = new Map<string, JournalOrder>();
  const byPerm = new Map<number, JournalOrder>();
  for (const o of view.orders) {
    byRef.set(o.intent.orderRef, o);
    if (o.permId !== null && o.permId > 0) byPerm.set(o.permId, o);
  }
  const match = (orderRef: string, permId: number): JournalOrder | undefined =>
    byRef.get(orderRef) ?? (permId > 0 ? byPerm.get(permId) : undefined);

  const evidence = new Map<string, Evidence>();
  const evidenceOf = (ref: string): Evidence => {
    let ev = evidence.get(ref);
    if (ev === undefined) {
      ev = { reports: [], executions: [] };
      evidence.set(ref, ev);
    }
    return ev;
  };
  // Foreign orders, keyed by permId (IB's unique id) or, without one, by orderRef and orderId.
  const foreign = new Map<string, { orderRef: string; permId: number; ours: boolean }>();
  const noteForeign = (orderRef: string, permId: number, orderId: number, ours: boolean): void => {
    const k = permId > 0 ? `p${permId}` : `r${orderRef}|${orderId}`;
    const prev = foreign.get(k);
    foreign.set(k, { orderRef: prev?.orderRef || orderRef, permId, ours: ours || (prev?.ours ?? false) });
  };

  for (const r of orderReports) {
    const o = match(r.orderRef, r.permId);
    if (o === undefined) noteForeign(r.orderRef, r.permId, r.orderId, isOurInstrument(r.contract));
    else evidenceOf(o.intent.orderRef).reports.push(r);
  }
  const journalExecIds = new Set(view.fills.map((f) => f.execId));
  const actions: ReconcileAction[] = [];
  const flags: ReconcileFlag[] = [];
  const adoptedFills: JournalFill[] = [];
  const journalFillsByRef = new Map<string, JournalFill[]>();
  for (const f of view.fills) {
    const list = journalFillsByRef.get(f.orderRef) ?? [];
    list.push(f);
    journalFillsByRef.set(f.orderRef, list);
  }
  for (const e of executions) {
    const o = match(e.orderRef, e.permId);
    if (o === undefined) {
      noteForeign(e.orderRef, e.permId, e.orderId, isOurInstrument(e.contract));
      continue;
    }
    const ref = o.intent.orderRef;
    evidenceOf(ref).executions.push(e);
    if (!journalExecIds.has(e.execId)) {
      actions.push({ kind: 'adopt-fill', orderRef: ref, execution: e });
      const fill = fillOf(e, ref);
      adoptedFills.push(fill);
      journalFillsByRef.set(ref, [...(journalFillsByRef.get(ref) ?? []), fill]);
    }
  }
  const allExecIds = new Set([...journalExecIds, ...adoptedFills.map((f) => f.execId)]);
  const knownCommissions = new Set(view.commissionExecIds);
  for (const c of commissions) {
    if (allExecIds.has(c.execId) && !knownCommissions.has(c.execId)) {
      actions.push({ kind: 'adopt-commission', report: c });
    }
  }

  const waiting: { orderRef: string; untilMs: number }[] = [];
  for (const o of view.orders) {
    const ref = o.intent.orderRef;
    const ev = evidence.get(ref) ?? { reports: [], executions: [] };
    const traced = ev.reports.length > 0 || ev.executions.length > 0;
    const final = brokerFinal(o, ev, journalFillsByRef.get(ref) ?? []);
    const working = ev.reports.some((r) => !isFinalStatus(r.status));
    const today = o.cycleDate >= tradingDate;
    const conflict = (c: OrderConflict): void => {
      flags.push({ kind: 'order-conflict', orderRef: ref, conflict: c });
    };
    switch (orderPhase(o)) {
      case 'intended':
      case 'unknown': {
        if (traced) {
          actions.push({ kind: 'attach', orderRef: ref, permId: firstPermId(ev) });
          if (final !== null) actions.push({ kind: 'mark-final', orderRef: ref, ...final });
        } else if (!today) {
          actions.push({ kind: 'expire', orderRef: ref });
        } else {
          const sentAtMs = o.submit.kind === 'unknown' ? o.submit.atMs : o.intendedAtMs;
          const untilMs = sentAtMs + input.absenceAfterMs;
          if (input.nowMs >= untilMs) actions.push({ kind: 'prove-absent', orderRef: ref });
          else waiting.push({ orderRef: ref, untilMs });
        }
        break;
      }
      case 'working': {
        if (final !== null) actions.push({ kind: 'mark-final', orderRef: ref, ...final });
        else if (!traced) {
          if (today) conflict('vanished');
          else actions.push({ kind: 'expire', orderRef: ref });
        }
        break;
      }
      case 'final': {
        if (o.resolution !== null) {
          if (traced) conflict('resolved-but-seen');
        } else if (o.submit.kind === 'refused') {
          if (working || ev.executions.length > 0) conflict('refused-but-seen');
        } else if (working && final === null) {
          conflict('final-but-working');
        } else if (
          final !== null &&
          (o.reported === null || o.reported.status !== final.status || o.reported.filled !== final.filled)
        ) {
          actions.push({ kind: 'mark-final', orderRef: ref, ...final });
        }
        break;
      }
    }
  }

  let ignoredForeignOrders = 0;
  for (const f of foreign.values()) {
    const ironvixRef = parseOrderRef(f.orderRef).ok;
    if (ironvixRef || f.ours) {
      flags.push({ kind: 'unknown-order', orderRef: f.orderRef, permId: f.permId, ironvixRef });
    } else {
      ignoredForeignOrders++;
    }
  }

  flags.push(...positionFlags([...view.fills, ...adoptedFills], reports.positions, account, tradingDate));
  return {
    actions: actions.sort(byKey(sortKey)),
    flags: flags.sort(byKey(flagKey)),
    waiting: waiting.sort(byKey((w) => w.orderRef)),
    ignoredForeignOrders,
  };
}

function positionFlags(
  fills: readonly JournalFill[],
  positions: readonly PositionReport[],
  account: string,
  tradingDate: IsoDate,
): ReconcileFlag[] {
  const expected = positionsFromFills(fills);
  const broker = new Map<string, { contract: OptionContract; quantities: Set<number> }>();
  for (const p of positions) {
    if (p.account !== account || p.contract.kind !== 'option') continue;
    const key = contractKey(p.contract.contract);
    const entry = broker.get(key) ?? { contract: p.contract.contract, quantities: new Set<number>() };
    entry.quantities.add(p.quantity);
    broker.set(key, entry);
  }
  const flags: ReconcileFlag[] = [];
  const keys = new Set([...expected.keys(), ...broker.keys()]);
  for (const key of keys) {
    const exp = expected.get(key);
    const got = broker.get(key);
    const contract = exp?.contract ?? got?.contract;
    if (contract === undefined || contract.expiry < tradingDate) continue;
    if (got !== undefined && got.quantities.size > 1) {
      flags.push({
        kind: 'position-report-conflict',
        key,
        quantities: [...got.quantities].sort((a, b) => a - b),
      });
      continue;
    }
    const brokerQty = got === undefined ? 0 : [...got.quantities][0]!;
    const expectedQty = exp?.quantity ?? 0;
    if (brokerQty === expectedQty) continue;
    if (contract.expiry === tradingDate && brokerQty === 0) continue;
    flags.push({ kind: 'position-mismatch', key, contract, expected: expectedQty, broker: brokerQty });
  }
  return flags;
}

/** The order event a safe action becomes in the journal. */
export function actionEvent(
  a: Exclude<ReconcileAction, { kind: 'adopt-fill' | 'adopt-commission' }>,
  atMs: number,
): OrderEvent {
  switch (a.kind) {
    case 'attach':
      return { type: 'order-attached', orderRef: a.orderRef, permId: a.permId, atMs };
    case 'mark-final':
      return { type: 'order-marked-final', orderRef: a.orderRef, status: a.status, filled: a.filled, atMs };
    case 'prove-absent':
      return {
        type: 'order-resolved',
        orderRef: a.orderRef,
        resolution: 'absent',
        reason: 'no trace at the broker under its orderRef (not open, not completed, no execution)',
        atMs,
      };
    case 'expire':
      return {
        type: 'order-resolved',
        orderRef: a.orderRef,
        resolution: 'expired',
        reason: 'a DAY order of an earlier trading day that the broker no longer reports',
        atMs,
      };
  }
}

/** The view after the actions: what the journal holds once the app has applied them. */
export function applyReconcileActions(
  view: JournalView,
  actions: readonly ReconcileAction[],
  atMs: number,
): JournalView {
  const orders = new Map(view.orders.map((o) => [o.intent.orderRef, o] as const));
  const fills = [...view.fills];
  const commissionExecIds = [...view.commissionExecIds];
  for (const a of actions) {
    switch (a.kind) {
      case 'adopt-fill': {
        if (!fills.some((f) => f.execId === a.execution.execId)) fills.push(fillOf(a.execution, a.orderRef));
        const o = orders.get(a.orderRef);
        if (o !== undefined) orders.set(a.orderRef, withExecution(o, a.execution));
        break;
      }
      case 'adopt-commission':
        if (!commissionExecIds.includes(a.report.execId)) commissionExecIds.push(a.report.execId);
        break;
      case 'attach':
      case 'mark-final':
      case 'prove-absent':
      case 'expire': {
        const o = orders.get(a.orderRef);
        if (o !== undefined) orders.set(a.orderRef, applyOrderEvent(o, actionEvent(a, atMs)));
        break;
      }
    }
  }
  return { orders: [...orders.values()], fills, commissionExecIds };
}
