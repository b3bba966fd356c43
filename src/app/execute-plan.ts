// The executor's driver: connects the pure machine (src/domain/execution) to the broker, the
// journal and the clock, and does nothing the machine did not ask for. The plan is journaled before
// its first order; every intent (with its order id and orderRef) is journaled, durably, before it
// is sent; every broker event, outcome, quote, tick and reconcile answer goes through the machine,
// one at a time, in arrival order. One call runs a plan to its outcome (executePlan), or finishes a
// plan a crashed process left in flight (resumePlan).
import type { IbOrderStatus } from '../domain/broker-reports.ts';
import type { TradingCalendar } from '../domain/calendar.ts';
import type { CoverageView } from '../domain/execution/coverage.ts';
import { coverageView } from '../domain/execution/coverage.ts';
import { initial, step } from '../domain/execution/executor.ts';
import { orderIntentOf, whatIfIntentOf } from '../domain/execution/intent.ts';
import { isRefOfPlan } from '../domain/execution/order-ref.ts';
import type { PreflightMargin, PreflightReport, RestartWindow } from '../domain/execution/preflight.ts';
import { preflight } from '../domain/execution/preflight.ts';
import type { JournaledOrder } from '../domain/execution/restore.ts';
import { restore } from '../domain/execution/restore.ts';
import type {
  ExecCommand,
  ExecEvent,
  ExecState,
  ExecutionOutcome,
  ExecutorConfig,
  ReconcileReason,
  ReconciledOrder,
  SendResult,
  StartQuote,
} from '../domain/execution/types.ts';
import { DEFAULT_EXECUTOR_CONFIG } from '../domain/execution/types.ts';
import { contractKey } from '../domain/instruments.ts';
import type { FinalStatus, JournalOrder } from '../domain/journal-view.ts';
import type { Mode } from '../domain/mode.ts';
import { cents } from '../domain/money.ts';
import type { Plan, PlanOrder } from '../domain/plan/types.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { StrategyConfig } from '../domain/strategy.ts';
import { IronvixError } from '../errors.ts';
import { failureText } from './capture-snapshot.ts';
import type { BrokerEvent, BrokerPort, SendOutcome } from '../ports/broker.ts';
import type { Clock } from '../ports/clock.ts';
import type { JournalEvent, JournalPort } from '../ports/journal.ts';
import type { Logger } from '../ports/logger.ts';
import type { MarketDataQuery } from '../ports/market-data.ts';

// ---------------------------------------------------------------------------------------------
// What the driver is given

/** One leg's quote now: price cents (null when that side is not quoted) and the broker's contract id. */
export interface LegQuoteReport {
  readonly bid: number | null;
  readonly ask: number | null;
  /** null: the broker could not resolve the contract. */
  readonly conId: number | null;
  /** When the source last updated the quote (epoch ms); null or absent when it does not say. */
  readonly timeMs?: number | null;
}

/** The quotes of an order's legs now, in the plan's leg order. */
export type QuoteSource = (order: PlanOrder) => Promise<Result<readonly LegQuoteReport[], string>>;

export interface ReconcileRequest {
  readonly reason: ReconcileReason;
  readonly orderRefs: readonly string[];
}

export type ReconcileAnswer =
  | {
      readonly kind: 'answered';
      /** Orders IB holds or is proved not to hold; a ref left out is asked again later. */
      readonly orders: readonly ReconciledOrder[];
      /** Reconciliation found a difference and halted trading: the plan winds down (null: clean). */
      readonly halt: string | null;
    }
  | { readonly kind: 'failed'; readonly reason: string };

export type Reconciler = (request: ReconcileRequest) => Promise<ReconcileAnswer>;

export interface ExecutePorts {
  readonly broker: BrokerPort;
  readonly journal: JournalPort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly quotes: QuoteSource;
  readonly reconcile: Reconciler;
}

/** Everything one step did, for the crash suite and logs. */
export interface StepObservation {
  readonly event: ExecEvent;
  readonly commands: readonly ExecCommand[];
  readonly state: ExecState;
  /** Filled coverage, live condor contracts and what coverage allows, after the event. */
  readonly coverage: CoverageView;
}

export interface RunOptions {
  /** The IB account the orders go to. */
  readonly account: string;
  readonly config?: ExecutorConfig;
  /** Called after every event the machine takes (never throws into the driver: keep it cheap). */
  readonly observe?: (o: StepObservation) => void;
  /** Aborting stops new sends, cancels what works and ends the plan once IB has answered. */
  readonly signal?: AbortSignal;
}

export interface PreflightSettings {
  readonly strategy: StrategyConfig;
  readonly calendar: TradingCalendar;
  readonly mode: Mode;
  readonly restartWindow: RestartWindow | null;
  readonly maxClockSkewMs: number;
  readonly maxQuoteAgeMs: number;
  /** The reconcile run just before the plan (the caller's), clean or with its differences. */
  readonly reconcile: { readonly clean: boolean; readonly problems: readonly string[] };
  /** IB may refuse what-if for SMART combos (360): 'required' fails the plan then, 'waive' goes on. */
  readonly whatIf: 'required' | 'waive';
}

export interface ExecuteRequest extends RunOptions {
  readonly plan: Plan;
  readonly preflight: PreflightSettings;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/**
 * Codes the broker adapters give a send that never left ironvix (src/adapters/ib and memory: 504,
 * the link was down; 0, a reason of their own). Such a submit is not IB's refusal: the machine hears
 * `unknown`, reconcile proves the order absent, and a new attempt may go once the link is back.
 */
const NOT_SENT_CODES: ReadonlySet<number> = new Set([0, 504]);

function sendResult(operation: 'submit' | 'modify' | 'cancel', o: SendOutcome): SendResult {
  switch (o.kind) {
    case 'sent':
      return { kind: 'sent' };
    case 'refused':
      return operation === 'submit' && NOT_SENT_CODES.has(o.code)
        ? { kind: 'unknown', reason: `not sent (${o.code}: ${o.text})` }
        : { kind: 'refused', code: o.code, text: o.text };
    case 'unknown':
      return { kind: 'unknown', reason: o.reason };
  }
}

function finalStatus(s: IbOrderStatus): FinalStatus | null {
  return s === 'Filled' || s === 'Cancelled' || s === 'ApiCancelled' || s === 'Inactive' ? s : null;
}

function planOrder(plan: Plan, key: string): PlanOrder {
  const o = plan.orders.find((x) => x.key === key);
  if (o === undefined) throw new Error(`plan ${plan.planId} has no order ${key}`);
  return o;
}

/** A QuoteSource over the market-data query: one optionQuotes call per order, legs in plan order. */
export function quoteSourceFrom(md: MarketDataQuery): QuoteSource {
  return async (order) => {
    const r = await md.optionQuotes(order.legs.map((l) => l.contract));
    if (!r.ok) return err(failureText(r.error));
    const byKey = new Map(r.value.map((q) => [contractKey(q.contract), q]));
    const legs: LegQuoteReport[] = [];
    for (const l of order.legs) {
      const q = byKey.get(contractKey(l.contract));
      if (q === undefined) return err(`no quote for ${contractKey(l.contract)}`);
      legs.push({ bid: q.bid, ask: q.ask, conId: q.conId, timeMs: q.timeMs });
    }
    return ok(legs);
  };
}

// ---------------------------------------------------------------------------------------------
// Reconcile for the machine: what IB holds under each asked orderRef

export interface BrokerReconcilerOptions {
  readonly broker: BrokerPort;
  readonly journal: JournalPort;
  readonly clock: Clock;
  /**
   * An order IB shows no trace of is proved absent only this long after its intent was journaled:
   * a late acknowledgement must never meet a second attempt. Default 30 s.
   */
  readonly absenceAfterMs?: number;
  /**
   * Runs first: the journal-wide reconcile (adopt fills, flag differences, halt on a mismatch).
   * A halt still answers the machine's questions, and winds the plan down.
   */
  readonly before?: () => Promise<
    | { readonly kind: 'clean' }
    | { readonly kind: 'halted'; readonly message: string }
    | { readonly kind: 'failed'; readonly reason: string }
  >;
}

/**
 * A Reconciler over the broker's reports (open orders, today's completed orders and executions).
 * What it finds is journaled too (statuses, fills, proofs of absence), so journal and machine agree.
 */
export function brokerReconciler(o: BrokerReconcilerOptions): Reconciler {
  const absenceAfterMs = o.absenceAfterMs ?? 30_000;
  return async (req) => {
    const first = o.before === undefined ? null : await o.before();
    if (first?.kind === 'failed') return first;
    const halt = first?.kind === 'halted' ? first.message : null;
    const executions = await o.broker.executions();
    if (!executions.ok) return { kind: 'failed', reason: failureText(executions.error) };
    const open = await o.broker.openOrders();
    if (!open.ok) return { kind: 'failed', reason: failureText(open.error) };
    const completed = await o.broker.completedOrders();
    if (!completed.ok) return { kind: 'failed', reason: failureText(completed.error) };
    const nowMs = o.clock.nowMs();
    const orders: ReconciledOrder[] = [];
    for (const ref of req.orderRefs) {
      // A completed order is newer news than an open one for the same ref.
      const report =
        completed.value.find((r) => r.orderRef === ref) ?? open.value.find((r) => r.orderRef === ref);
      const fills = executions.value.executions.filter((x) => x.orderRef === ref);
      for (const x of fills) o.journal.append({ type: 'execution', execution: x, atMs: nowMs });
      for (const c of executions.value.commissions)
        if (fills.some((x) => x.execId === c.execId))
          o.journal.append({ type: 'commission', report: c, atMs: nowMs });
      if (report !== undefined) {
        const final = finalStatus(report.status);
        o.journal.append(
          final !== null
            ? { type: 'order-marked-final', orderRef: ref, status: final, filled: report.filled, atMs: nowMs }
            : {
                type: 'order-status',
                orderRef: ref,
                permId: report.permId > 0 ? report.permId : null,
                status: report.status,
                filled: report.filled,
                remaining: report.remaining,
                avgFillPrice: null,
                atMs: nowMs,
              },
        );
        orders.push({
          orderRef: ref,
          found: {
            // IB sends no order id with a completed order: the journal has the one we sent it under.
            orderId: report.orderId > 0 ? report.orderId : (o.journal.order(ref)?.intent.orderId ?? 0),
            status: report.status,
            filled: report.filled,
            quantity: report.quantity,
            executions: fills,
          },
        });
        continue;
      }
      // Fills but no order report: IB will list the order; ask again rather than guess its state.
      if (fills.length > 0) continue;
      const intended = o.journal.order(ref)?.intendedAtMs ?? 0;
      if (nowMs - intended < absenceAfterMs) continue;
      o.journal.append({
        type: 'order-resolved',
        orderRef: ref,
        resolution: 'absent',
        reason: `no trace at the broker ${Math.round((nowMs - intended) / 1000)} s after its intent (${req.reason})`,
        atMs: nowMs,
      });
      orders.push({ orderRef: ref, found: null });
    }
    return { kind: 'answered', orders, halt };
  };
}

// ---------------------------------------------------------------------------------------------
// Pre-flight: gather its inputs, then the pure checks

async function gatherPreflight(
  ports: ExecutePorts,
  req: ExecuteRequest,
): Promise<{ readonly report: PreflightReport; readonly quotes: readonly StartQuote[] }> {
  const { broker, journal, clock } = ports;
  const { plan, preflight: settings } = req;
  // What-if, account and clock first: the quotes come last, so they are fresh when checked.
  const margin = await whatIfMargin(broker, plan, req.account, settings.whatIf);
  const account = await broker.account();
  const gateway = await broker.serverTimeMs();
  const gatewayAskedAtMs = clock.nowMs();
  const answers = await Promise.all(plan.orders.map(async (o) => ({ o, r: await ports.quotes(o) })));
  const quotedAtMs = clock.nowMs();
  const quotes: StartQuote[] = [];
  const contracts: { key: string; resolved: boolean; detail: string }[] = [];
  for (const { o, r } of answers) {
    o.legs.forEach((l, i) => {
      const q = r.ok ? r.value[i] : undefined;
      contracts.push({
        key: contractKey(l.contract),
        resolved: q !== undefined && q.conId !== null,
        detail: r.ok ? (q?.conId === null ? 'the broker has no contract id for it' : 'no quote') : r.error,
      });
    });
    if (r.ok)
      quotes.push({
        orderKey: o.key,
        // A quote is as old as its oldest leg says (a source that tells no time: answered now).
        atMs: Math.min(quotedAtMs, ...r.value.map((q) => q.timeMs ?? quotedAtMs)),
        legs: r.value.map((q) => ({ bid: q.bid, ask: q.ask })),
      });
  }
  // Any plan in flight fails the check, this one too: a plan in flight is resumed, never restarted.
  const inFlight = journal.plansInFlight()[0];
  const halt = journal.haltState();
  const report = preflight({
    plan,
    strategy: settings.strategy,
    calendar: settings.calendar,
    mode: settings.mode,
    accountId: req.account,
    nowMs: clock.nowMs(),
    // The gateway's clock carried forward by the time the quotes took, so only the skew remains.
    gatewayTimeMs: gateway.ok ? gateway.value + (clock.nowMs() - gatewayAskedAtMs) : null,
    maxClockSkewMs: settings.maxClockSkewMs,
    contracts: contracts.filter((c, i) => contracts.findIndex((x) => x.key === c.key) === i),
    quotes,
    maxQuoteAgeMs: settings.maxQuoteAgeMs,
    margin,
    excessLiquidity: account.ok ? account.value.excessLiquidity : null,
    planInFlight: inFlight?.planId ?? null,
    reconcile: halt.halted
      ? { clean: false, problems: [...settings.reconcile.problems, `trading halted: ${halt.reason}`] }
      : settings.reconcile,
    restartWindow: settings.restartWindow,
  });
  return { report, quotes };
}

/** IB's what-if of every order at its planned first limit, summed (conservative: hedges offset the condor). */
async function whatIfMargin(
  broker: BrokerPort,
  plan: Plan,
  account: string,
  policy: 'required' | 'waive',
): Promise<PreflightMargin> {
  let total = 0;
  for (const o of plan.orders) {
    const r = await broker.whatIf(whatIfIntentOf(o, account));
    if (r.kind !== 'margin') {
      const reason = r.kind === 'refused' ? `IB ${r.code} on ${o.key}: ${r.text}` : `${o.key}: ${r.reason}`;
      return policy === 'waive' ? { kind: 'waived', reason } : { kind: 'unavailable', reason };
    }
    total += r.initMarginChange;
  }
  return { kind: 'what-if', initMarginChange: cents(total) };
}

// ---------------------------------------------------------------------------------------------
// The loop

interface LoopContext {
  readonly ports: ExecutePorts;
  readonly plan: Plan;
  readonly options: RunOptions;
}

/** Runs the machine from `state`, feeding `first`, until it finishes. */
function runMachine(ctx: LoopContext, start: ExecState, first: ExecEvent): Promise<ExecutionOutcome> {
  const { broker, journal, clock, logger } = ctx.ports;
  const { plan, options } = ctx;
  const log = logger.child({ planId: plan.planId });
  return new Promise<ExecutionOutcome>((resolve, reject) => {
    let state = start;
    const queue: ExecEvent[] = [];
    const timers: (() => void)[] = [];
    let pumping = false;
    let done = false;
    // Order ids this plan used, for statuses (they carry no orderRef); ids repeat after a gateway restart.
    const refById = new Map<number, string>();
    const ownExecIds = new Set<string>();
    for (const slot of state.slots)
      for (const t of slot.tracks) {
        if (t.orderId !== null) refById.set(t.orderId, t.orderRef);
        for (const f of t.fills) ownExecIds.add(f.execId);
      }

    const stop = (): void => {
      done = true;
      unsubscribe();
      for (const cancel of timers) cancel();
      options.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (e: unknown): void => {
      if (done) return;
      stop();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const enqueue = (e: ExecEvent): void => {
      if (done) return;
      queue.push(e);
      pump();
    };
    const pump = (): void => {
      if (pumping) return;
      pumping = true;
      try {
        while (queue.length > 0 && !done) {
          const e = queue.shift() as ExecEvent;
          const r = step(state, e);
          state = r.state;
          if (options.observe !== undefined) {
            try {
              options.observe({ event: e, commands: r.commands, state, coverage: coverageView(state) });
            } catch (x) {
              log.warn('observer threw', { error: String(x) });
            }
          }
          for (const c of r.commands) execute(c);
        }
      } catch (x) {
        fail(x);
      } finally {
        pumping = false;
      }
    };
    const now = (): number => clock.nowMs();
    const journalAppend = (e: JournalEvent): void => {
      const r = journal.append(e);
      if (r.kind === 'rejected') throw new Error(`journal refused ${e.type}: ${r.reason}`);
    };
    const settle = (
      operation: 'submit' | 'modify' | 'cancel',
      orderRef: string,
      p: Promise<SendOutcome>,
    ): void => {
      p.then(
        (o) => sendSettled(operation, orderRef, sendResult(operation, o)),
        (x: unknown) => {
          log.error('broker send threw: treated as unknown', { operation, orderRef, error: String(x) });
          sendSettled(operation, orderRef, { kind: 'unknown', reason: `the broker failed: ${String(x)}` });
        },
      );
    };
    const sendSettled = (
      operation: 'submit' | 'modify' | 'cancel',
      orderRef: string,
      outcome: SendResult,
    ): void => {
      if (done) return;
      try {
        journalAppend({ type: 'order-send-outcome', orderRef, operation, outcome, atMs: now() });
      } catch (x) {
        fail(x);
        return;
      }
      enqueue({ type: `${operation}-outcome`, atMs: now(), orderRef, outcome });
    };

    const execute = (c: ExecCommand): void => {
      switch (c.type) {
        case 'submit': {
          const orderId = broker.nextOrderId();
          const intent = orderIntentOf({ ...c, orderId, account: options.account });
          // Durable before the send: a restart can always find the order again by its ref.
          journalAppend({
            type: 'order-intended',
            intent: { ...intent, planId: plan.planId, orderKey: c.orderKey, attempt: c.attempt },
            atMs: now(),
          });
          refById.set(orderId, c.orderRef);
          queue.push({ type: 'order-id', atMs: now(), orderRef: c.orderRef, orderId });
          log.info('submit', {
            orderRef: c.orderRef,
            orderId,
            quantity: c.quantity,
            limit: c.limitPrice,
            step: c.ladderStep,
          });
          settle('submit', c.orderRef, broker.submit(intent));
          return;
        }
        case 'modify': {
          journalAppend({
            type: 'order-modify-intended',
            orderRef: c.orderRef,
            limitPrice: c.limitPrice,
            quantity: c.quantity,
            atMs: now(),
          });
          log.info('modify', {
            orderRef: c.orderRef,
            orderId: c.orderId,
            quantity: c.quantity,
            limit: c.limitPrice,
            step: c.ladderStep,
          });
          settle('modify', c.orderRef, broker.modify(orderIntentOf({ ...c, account: options.account })));
          return;
        }
        case 'cancel':
          journalAppend({ type: 'order-cancel-requested', orderRef: c.orderRef, atMs: now() });
          log.info('cancel', { orderRef: c.orderRef, orderId: c.orderId, reason: c.reason });
          settle('cancel', c.orderRef, broker.cancel(c.orderId));
          return;
        case 'request-quote': {
          const order = planOrder(plan, c.orderKey);
          ctx.ports.quotes(order).then(
            (r) =>
              enqueue({
                type: 'quote',
                atMs: now(),
                orderKey: c.orderKey,
                quote: r.ok ? { legs: r.value.map((q) => ({ bid: q.bid, ask: q.ask })) } : null,
              }),
            (x: unknown) => {
              log.warn('quote failed', { orderKey: c.orderKey, error: String(x) });
              enqueue({ type: 'quote', atMs: now(), orderKey: c.orderKey, quote: null });
            },
          );
          return;
        }
        case 'schedule-tick':
          timers.push(clock.schedule(c.atMs, () => enqueue({ type: 'tick', atMs: now() })));
          return;
        case 'reconcile':
          log.info('reconcile', { reason: c.reason, orderRefs: c.orderRefs });
          ctx.ports.reconcile({ reason: c.reason, orderRefs: c.orderRefs }).then(
            (a) => reconciled(c.requestId, a),
            (x: unknown) => reconciled(c.requestId, { kind: 'failed', reason: String(x) }),
          );
          return;
        case 'finish':
          journalAppend({
            type: 'plan-finished',
            planId: plan.planId,
            result: c.outcome.kind,
            reason: c.outcome.reason,
            atMs: now(),
          });
          log.info('plan finished', { outcome: c.outcome.kind, reason: c.outcome.reason });
          stop();
          resolve(c.outcome);
          return;
      }
    };

    const reconciled = (requestId: number, a: ReconcileAnswer): void => {
      switch (a.kind) {
        case 'answered':
          enqueue({ type: 'reconcile-result', atMs: now(), requestId, failure: null, orders: a.orders });
          if (a.halt !== null) {
            log.error('reconcile halted trading: the plan winds down', { message: a.halt });
            enqueue({ type: 'abort', atMs: now(), reason: `reconcile halted trading: ${a.halt}` });
          }
          return;
        case 'failed':
          log.warn('reconcile failed', { reason: a.reason });
          enqueue({ type: 'reconcile-result', atMs: now(), requestId, failure: a.reason, orders: [] });
          return;
      }
    };

    const ours = (orderRef: string, orderId: number): string | null => {
      if (orderRef !== '') return isRefOfPlan(orderRef, plan.planId) ? orderRef : null;
      return refById.get(orderId) ?? null;
    };

    const onBrokerEvent = (be: BrokerEvent): void => {
      if (done) return;
      try {
        const e = brokerEvent(be);
        if (e !== null) enqueue(e);
      } catch (x) {
        fail(x);
      }
    };

    /** Journals what belongs to this plan and translates it for the machine; others' orders are left out. */
    const brokerEvent = (be: BrokerEvent): ExecEvent | null => {
      const atMs = now();
      switch (be.type) {
        case 'order-status': {
          // Only ids this plan used: after a gateway restart IB hands the same ids out again.
          const ref = refById.get(be.orderId) ?? null;
          if (ref === null) return null;
          journalStatus(ref, be.permId, be.status, be.filled, be.remaining, be.avgFillPrice, atMs);
          return {
            type: 'order-status',
            atMs,
            orderId: be.orderId,
            status: be.status,
            filled: be.filled,
            remaining: be.remaining,
            avgFillPrice: be.avgFillPrice,
          };
        }
        case 'open-order': {
          const r = be.order;
          const ref = ours(r.orderRef, r.orderId);
          if (ref === null) return null;
          refById.set(r.orderId, ref);
          journalStatus(ref, r.permId > 0 ? r.permId : null, r.status, r.filled, r.remaining, null, atMs);
          return {
            type: 'open-order',
            atMs,
            orderId: r.orderId,
            orderRef: r.orderRef,
            status: r.status,
            quantity: r.quantity,
            filled: r.filled,
          };
        }
        case 'execution': {
          const x = be.execution;
          if (ours(x.orderRef, x.orderId) === null) return null;
          ownExecIds.add(x.execId);
          journalAppend({ type: 'execution', execution: x, atMs });
          return { type: 'execution', atMs, execution: x };
        }
        case 'commission':
          // IB sends a commission after its execution; one that comes first is reconcile's to adopt.
          if (!ownExecIds.has(be.report.execId)) return null;
          journalAppend({ type: 'commission', report: be.report, atMs });
          return { type: 'commission', atMs, report: be.report };
        case 'error':
          if (be.id >= 0 && !refById.has(be.id)) return null;
          return { type: 'error', atMs, id: be.id, code: be.code, text: be.text, codeClass: be.class };
        case 'connectivity':
          journalAppend({
            type: 'note',
            planId: plan.planId,
            text: `link ${be.state}: ${be.reason}`,
            data: { dataLost: be.dataLost },
            atMs,
          });
          log.warn(`link ${be.state}`, { reason: be.reason });
          return { type: 'connectivity', atMs, state: be.state };
      }
    };

    const journalStatus = (
      orderRef: string,
      permId: number | null,
      status: IbOrderStatus,
      filled: number,
      remaining: number,
      avgFillPrice: number | null,
      atMs: number,
    ): void => {
      journalAppend({
        type: 'order-status',
        orderRef,
        permId,
        status,
        filled,
        remaining,
        avgFillPrice,
        atMs,
      });
    };

    const onAbort = (): void => enqueue({ type: 'abort', atMs: now(), reason: 'stopped by the caller' });
    const unsubscribe = broker.onEvent(onBrokerEvent);
    options.signal?.addEventListener('abort', onAbort);
    enqueue(first);
    if (options.signal?.aborted === true) onAbort();
  });
}

// ---------------------------------------------------------------------------------------------
// The two entry points

/**
 * Runs one plan: pre-flight (all or nothing), the plan journaled, then the machine until it ends.
 * A failed pre-flight sends nothing: the plan is journaled as started and ABORTED with its checks.
 */
export async function executePlan(ports: ExecutePorts, req: ExecuteRequest): Promise<ExecutionOutcome> {
  const { plan } = req;
  // IB's next id falls back after a gateway restart; the journal's high-water mark does not.
  ports.broker.raiseOrderIdFloor(ports.journal.nextOrderIdFloor());
  const { report, quotes } = await gatherPreflight(ports, req);
  const atMs = ports.clock.nowMs();
  // Durable before the first order leaves (a barrier event).
  const started = ports.journal.append({ type: 'plan-started', plan, atMs });
  if (started.kind === 'rejected') throw new Error(`journal refused plan ${plan.planId}: ${started.reason}`);
  const state = initial(plan, req.config ?? DEFAULT_EXECUTOR_CONFIG);
  return runMachine({ ports, plan, options: req }, state, { type: 'start', atMs, preflight: report, quotes });
}

function journaledOrder(o: JournalOrder): JournaledOrder {
  return {
    orderRef: o.intent.orderRef,
    orderId: o.intent.orderId,
    quantity: o.intent.quantity,
    limitPrice: o.intent.limitPrice,
    sentAtMs: o.intendedAtMs,
    status: o.reported?.status ?? null,
    filled: o.reported?.filled ?? 0,
    // An expired DAY order ended with its day: like an absent one, it never trades again.
    absent: o.resolution !== null,
    refusal: o.submit.kind === 'refused' ? { code: o.submit.code, text: o.submit.text } : null,
  };
}

/**
 * Finishes a plan that a crashed process left in flight, from the journal. Nothing is sent before a
 * reconcile of every order the journal holds for the plan has answered; no ref is ever sent twice.
 */
export async function resumePlan(
  ports: ExecutePorts,
  req: RunOptions & { readonly planId: string },
): Promise<ExecutionOutcome> {
  ports.broker.raiseOrderIdFloor(ports.journal.nextOrderIdFloor());
  const record = ports.journal.plan(req.planId);
  if (record === null)
    throw new IronvixError('E_JOURNAL_CORRUPT', `plan ${req.planId} is not in the journal`);
  const plan = record.plan;
  const orders = ports.journal.ordersOfPlan(plan.planId);
  const fills = orders.flatMap((o) => ports.journal.fillsOf(o.intent.orderRef)?.fills ?? []);
  const commissions = orders.flatMap((o) => ports.journal.fillsOf(o.intent.orderRef)?.commissions ?? []);
  const nowMs = ports.clock.nowMs();
  const r = restore({
    plan,
    orders: orders.map(journaledOrder),
    executions: fills,
    commissions,
    nowMs,
    config: req.config ?? DEFAULT_EXECUTOR_CONFIG,
  });
  if (!r.ok)
    throw new IronvixError(
      'E_JOURNAL_CORRUPT',
      `plan ${plan.planId}: the journal's orders do not belong to it`,
      r.error,
    );
  // Whatever the journal says, IB is asked about every order before anything is sent.
  const state: ExecState = { ...r.value, reconnectPending: true };
  return runMachine({ ports, plan, options: req }, state, { type: 'tick', atMs: nowMs });
}
