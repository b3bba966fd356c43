// The reconcile use case: read the broker's reports, reconcile them with the journal (the pure
// src/domain/reconcile.ts), apply the safe actions to the journal, and on any flag halt trading
// with a message that says exactly what differs and what the user can do. It runs at startup,
// after every reconnect, before every plan, after an unknown submit, and on `ironvix reconcile`.
// It must not run while an order is being sent: the executor serializes them.
import type { BrokerContract, ExecutionContract, OrderReport } from '../domain/broker-reports.ts';
import type { IsoDate } from '../domain/instruments.ts';
import { contractKey } from '../domain/instruments.ts';
import { formatPrice } from '../domain/money.ts';
import type { JournalOrder } from '../domain/journal-view.ts';
import { reconcileScope } from '../domain/journal-view.ts';
import type {
  BrokerReports,
  OrderConflict,
  ReconcileAction,
  ReconcileFlag,
  ReconcileOutcome,
} from '../domain/reconcile.ts';
import { actionEvent, reconcile } from '../domain/reconcile.ts';
import type { BrokerFailure, BrokerPort } from '../ports/broker.ts';
import type { Clock } from '../ports/clock.ts';
import { sleepUntil } from '../ports/clock.ts';
import type { AppendResult, JournalEvent, JournalPort } from '../ports/journal.ts';
import type { Logger } from '../ports/logger.ts';

export type ReconcileTrigger = 'startup' | 'reconnect' | 'before-plan' | 'unknown-submit' | 'command';

export interface ReconcileDeps {
  readonly broker: BrokerPort;
  readonly journal: JournalPort;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface ReconcileOptions {
  readonly trigger: ReconcileTrigger;
  /** The IB account ironvix trades; reports of other accounts are ignored. */
  readonly account: string;
  /** The broker's trading day (New York date) now. */
  readonly tradingDate: IsoDate;
  /** An unacknowledged intent is proved absent only this long after its send. Default 30 s. */
  readonly absenceAfterMs?: number;
  /** Wait (on the clock) for young unacknowledged intents and reconcile again. Default true. */
  readonly waitForAbsence?: boolean;
  /** A position mismatch is confirmed by a second read this much later (IB positions lag fills). Default 3 s. */
  readonly positionSettleMs?: number;
}

/** What an unacknowledged submit came to. */
export interface ResolvedSubmit {
  readonly orderRef: string;
  /** found: attached to the broker's order; absent: may be re-sent under a new attempt; expired: never re-sent. */
  readonly outcome: 'found' | 'absent' | 'expired';
}

export interface ReconcileReport {
  readonly trigger: ReconcileTrigger;
  readonly atMs: number;
  /** Safe actions applied to the journal. */
  readonly applied: readonly ReconcileAction[];
  readonly flags: readonly ReconcileFlag[];
  readonly resolved: readonly ResolvedSubmit[];
  /** Unacknowledged intents still too young to be proved absent (only when not waiting). */
  readonly waiting: readonly { readonly orderRef: string; readonly untilMs: number }[];
  readonly ignoredForeignOrders: number;
  /** True when this run lifted a halt that an earlier reconciliation had set. */
  readonly liftedHalt: boolean;
  /** One line per difference and what to do, or what was repaired. */
  readonly message: string;
}

export type ReconcileResult =
  | ({ readonly kind: 'clean' } & ReconcileReport)
  | ({ readonly kind: 'halted'; readonly code: 'E_RECONCILE_MISMATCH' } & ReconcileReport)
  | {
      readonly kind: 'unavailable';
      readonly code: 'E_RECONCILE_UNAVAILABLE';
      readonly failure: BrokerFailure;
      readonly message: string;
    };

const DEFAULT_ABSENCE_AFTER_MS = 30_000;
const DEFAULT_SETTLE_MS = 3_000;
const REPORT_READS = 3;

/**
 * Reads the reports so that executions and the rest belong together: executions are read before
 * and after the others, and the read is repeated (up to three times) while fills keep arriving.
 */
async function readReports(
  broker: BrokerPort,
): Promise<{ ok: true; reports: BrokerReports } | { ok: false; failure: BrokerFailure }> {
  let last: BrokerReports | null = null;
  for (let i = 0; i < REPORT_READS; i++) {
    const before = await broker.executions();
    if (!before.ok) return { ok: false, failure: before.error };
    const open = await broker.openOrders();
    if (!open.ok) return { ok: false, failure: open.error };
    const completed = await broker.completedOrders();
    if (!completed.ok) return { ok: false, failure: completed.error };
    const positions = await broker.positions();
    if (!positions.ok) return { ok: false, failure: positions.error };
    const after = await broker.executions();
    if (!after.ok) return { ok: false, failure: after.error };
    last = {
      openOrders: open.value,
      completedOrders: completed.value,
      executions: after.value.executions,
      commissions: after.value.commissions,
      positions: positions.value,
    };
    const ids = (xs: readonly { execId: string }[]): string =>
      [...new Set(xs.map((x) => x.execId))].sort().join(',');
    if (ids(before.value.executions) === ids(after.value.executions)) break;
  }
  return { ok: true, reports: last! };
}

function describeContract(c: BrokerContract | ExecutionContract | null): string {
  if (c === null) return 'a contract ironvix cannot read';
  switch (c.kind) {
    case 'single':
    case 'option':
      return contractKey(c.contract);
    case 'combo':
      return 'legs' in c
        ? `${c.symbol} combo ${c.legs.map((l) => `${l.action} ${l.ratio} ${contractKey(l.contract)}`).join(' / ')}`
        : `${c.symbol} combo`;
    case 'other':
      return c.description;
  }
}

function describeOrder(r: OrderReport): string {
  const limit = r.limitPrice === null ? '' : ` at ${formatPrice(r.limitPrice)}`;
  return `${r.action} ${r.quantity} ${describeContract(r.contract)}${limit}, ${r.status}, filled ${r.filled}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function describeConflict(
  orderRef: string,
  conflict: OrderConflict,
  o: JournalOrder | null,
  broker: string,
): string {
  switch (conflict) {
    case 'resolved-but-seen':
      return `order ${orderRef} was ${o?.resolution?.kind === 'expired' ? 'expired' : 'proved absent'} in the journal, yet IB reports it (${broker}): it may have been sent twice. Check the account in TWS, cancel or close what should not be there, then run ironvix reconcile.`;
    case 'refused-but-seen':
      return `order ${orderRef} was refused by IB (${o?.submit.kind === 'refused' ? `${o.submit.code} ${o.submit.text}` : 'refused'}), yet IB reports it working or filled (${broker}). Check it in TWS, cancel it if it should not work, then run ironvix reconcile.`;
    case 'final-but-working':
      return `order ${orderRef} is final in the journal (${o?.reported?.status ?? 'final'}), yet IB shows it working (${broker}). Cancel it in TWS if it should not work, then run ironvix reconcile.`;
    case 'vanished':
      return `order ${orderRef} was acknowledged today and is working in the journal, but IB reports no trace of it (not open, not completed, no execution). Look for it in TWS's trade log and audit trail, then run ironvix reconcile.`;
  }
}

/** One line per flag: what differs, exactly, and what the user can do. */
export function describeFlag(f: ReconcileFlag, reports: BrokerReports, journal: JournalPort): string {
  const orderOf = (ref: string, permId: number): OrderReport | undefined =>
    [...reports.openOrders, ...reports.completedOrders].find(
      (r) => (ref !== '' && r.orderRef === ref) || (permId > 0 && r.permId === permId),
    );
  switch (f.kind) {
    case 'unknown-order': {
      const r = orderOf(f.orderRef, f.permId);
      const exec = reports.executions.find(
        (e) => (f.orderRef !== '' && e.orderRef === f.orderRef) || (f.permId > 0 && e.permId === f.permId),
      );
      const what =
        r !== undefined
          ? describeOrder(r)
          : exec !== undefined
            ? `executed ${exec.side} ${exec.quantity} ${describeContract(exec.contract)}`
            : 'seen in the reports';
      const ref = f.orderRef === '' ? '(no orderRef)' : `orderRef ${f.orderRef}`;
      return f.ironvixRef
        ? `order ${ref} (permId ${f.permId}: ${what}) carries an ironvix orderRef but is not in this journal: another ironvix (or one with another journal or mode) trades this account. Stop the other one, or cancel the order in TWS, then run ironvix reconcile.`
        : `order ${ref} (permId ${f.permId}: ${what}) was not placed by ironvix and trades SPX/VIX options in ironvix's account. ironvix never touches it: cancel it in TWS or move that tool to another account, then run ironvix reconcile.`;
    }
    case 'order-conflict': {
      const o = journal.order(f.orderRef);
      const r = orderOf(f.orderRef, o?.permId ?? 0);
      return describeConflict(
        f.orderRef,
        f.conflict,
        o,
        r === undefined ? 'executions only' : describeOrder(r),
      );
    }
    case 'position-mismatch':
      return `position ${f.key}: the journal expects ${signed(f.expected)} from its fills, IB holds ${signed(f.broker)} (difference ${signed(f.broker - f.expected)}). If it was traded outside ironvix, bring the position back to ${signed(f.expected)} in TWS (or move it to another account), then run ironvix reconcile.`;
    case 'position-report-conflict':
      return `position ${f.key}: IB reported different quantities (${f.quantities.join(', ')}) in one read. Run ironvix reconcile again; if it persists, check the position in TWS.`;
  }
}

function resolvedOf(actions: readonly ReconcileAction[]): ResolvedSubmit[] {
  return actions.flatMap((a): ResolvedSubmit[] => {
    switch (a.kind) {
      case 'attach':
        return [{ orderRef: a.orderRef, outcome: 'found' }];
      case 'prove-absent':
        return [{ orderRef: a.orderRef, outcome: 'absent' }];
      case 'expire':
        return [{ orderRef: a.orderRef, outcome: 'expired' }];
      case 'adopt-fill':
      case 'adopt-commission':
      case 'mark-final':
        return [];
    }
  });
}

function eventOf(a: ReconcileAction, atMs: number): JournalEvent {
  switch (a.kind) {
    case 'adopt-fill':
      return { type: 'execution', execution: a.execution, atMs };
    case 'adopt-commission':
      return { type: 'commission', report: a.report, atMs };
    case 'attach':
    case 'mark-final':
    case 'prove-absent':
    case 'expire':
      return actionEvent(a, atMs);
  }
}

function summary(applied: readonly ReconcileAction[]): string {
  const n = (k: ReconcileAction['kind']): number => applied.filter((a) => a.kind === k).length;
  const parts = [
    [n('adopt-fill'), 'missed execution(s) adopted'],
    [n('adopt-commission'), 'commission(s) adopted'],
    [n('attach'), 'unacknowledged order(s) found by orderRef'],
    [n('mark-final'), 'order(s) marked final as IB reports them'],
    [n('prove-absent'), 'order(s) proved never to have reached IB'],
    [n('expire'), 'order(s) of an earlier day expired'],
  ] as const;
  const done = parts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  return done.length === 0
    ? 'the journal agrees with IB'
    : `the journal now agrees with IB: ${done.join(', ')}`;
}

function appendOrThrow(journal: JournalPort, e: JournalEvent): AppendResult {
  const r = journal.append(e);
  // A duplicate is fine (the executor may have journaled the same fact meanwhile); a rejection is a bug.
  if (r.kind === 'rejected') throw new Error(`reconcile: the journal rejected ${e.type}: ${r.reason}`);
  return r;
}

/** Reconciles the journal with the broker; see the file comment. */
export async function reconcileWithBroker(
  deps: ReconcileDeps,
  opts: ReconcileOptions,
): Promise<ReconcileResult> {
  const { broker, journal, clock, logger } = deps;
  const absenceAfterMs = opts.absenceAfterMs ?? DEFAULT_ABSENCE_AFTER_MS;
  const settleMs = opts.positionSettleMs ?? DEFAULT_SETTLE_MS;
  const log = logger.child({ component: 'reconcile', trigger: opts.trigger });
  const applied: ReconcileAction[] = [];
  let settled = false;
  for (;;) {
    const read = await readReports(broker);
    if (!read.ok) {
      const message = `reconciliation could not read IB's reports (${read.failure.kind}: ${read.failure.text}); nothing was changed`;
      log.warn('reports unavailable', { failure: read.failure });
      return { kind: 'unavailable', code: 'E_RECONCILE_UNAVAILABLE', failure: read.failure, message };
    }
    const reports = read.reports;
    const atMs = clock.nowMs();
    const outcome: ReconcileOutcome = reconcile({
      view: journal.reconcileView(reconcileScope(opts.tradingDate)),
      reports,
      account: opts.account,
      tradingDate: opts.tradingDate,
      nowMs: atMs,
      absenceAfterMs,
    });
    for (const a of outcome.actions) appendOrThrow(journal, eventOf(a, atMs));
    applied.push(...outcome.actions);

    const onlyPositions =
      outcome.flags.length > 0 && outcome.flags.every((f) => f.kind === 'position-mismatch');
    if (onlyPositions && !settled && settleMs > 0) {
      settled = true;
      log.info('position mismatch: reading again once IB positions settle', { settleMs });
      await sleepUntil(clock, atMs + settleMs);
      continue;
    }
    const wait = outcome.waiting.reduce((m, w) => Math.max(m, w.untilMs), 0);
    if ((opts.waitForAbsence ?? true) && outcome.waiting.length > 0 && outcome.flags.length === 0) {
      log.info('waiting before proving unacknowledged orders absent', {
        untilMs: wait,
        orders: outcome.waiting.map((w) => w.orderRef),
      });
      await sleepUntil(clock, wait);
      continue;
    }
    return finish(deps, opts, outcome, applied, reports, atMs);
  }
}

function finish(
  deps: ReconcileDeps,
  opts: ReconcileOptions,
  outcome: ReconcileOutcome,
  applied: readonly ReconcileAction[],
  reports: BrokerReports,
  atMs: number,
): ReconcileResult {
  const { journal, logger } = deps;
  const log = logger.child({ component: 'reconcile', trigger: opts.trigger });
  appendOrThrow(journal, {
    type: 'positions',
    account: opts.account,
    positions: reports.positions.filter((p) => p.account === opts.account),
    atMs,
  });
  appendOrThrow(journal, { type: 'reconciled', actions: applied, flags: outcome.flags, atMs });
  const base = {
    trigger: opts.trigger,
    atMs,
    applied,
    flags: outcome.flags,
    resolved: resolvedOf(applied),
    waiting: outcome.waiting,
    ignoredForeignOrders: outcome.ignoredForeignOrders,
  };
  if (outcome.flags.length > 0) {
    const lines = outcome.flags.map((f) => `- ${describeFlag(f, reports, journal)}`);
    const message = [
      `reconciliation found ${outcome.flags.length} difference(s) between the journal and IB; trading is halted until a clean reconcile:`,
      ...lines,
      applied.length > 0 ? `(meanwhile ${summary(applied)})` : null,
    ]
      .filter((l): l is string => l !== null)
      .join('\n');
    appendOrThrow(journal, { type: 'halted', reason: message, source: 'reconcile', atMs });
    log.error('trading halted: journal and broker differ', { flags: outcome.flags });
    return { kind: 'halted', code: 'E_RECONCILE_MISMATCH', ...base, liftedHalt: false, message };
  }
  const halt = journal.haltState();
  const liftedHalt = halt.halted && halt.source === 'reconcile';
  if (liftedHalt)
    appendOrThrow(journal, { type: 'resumed', by: 'reconcile', note: 'a clean reconcile', atMs });
  const waiting =
    outcome.waiting.length > 0
      ? `; ${outcome.waiting.length} unacknowledged order(s) not yet provable absent (reconcile again after ${new Date(Math.max(...outcome.waiting.map((w) => w.untilMs))).toISOString()})`
      : '';
  const message = `${summary(applied)}${waiting}${liftedHalt ? '; the halt set by an earlier reconciliation is lifted' : ''}`;
  log.info('reconciled', { applied: applied.length, liftedHalt });
  return { kind: 'clean', ...base, liftedHalt, message };
}
