// One cycle, once (`ironvix run --once`): reconcile, finish a plan a crashed run left in flight, or
// capture a snapshot, build the plan, pre-flight and execute it; then report what happened, fill by
// fill, with the hedge coverage after each fill. Expected outcomes are values; the caller maps them
// to exit codes and text.
import { DateTime } from 'luxon';
import type { TradingCalendar } from '../domain/calendar.ts';
import { NY_ZONE } from '../domain/calendar.ts';
import type { CoverageView } from '../domain/execution/coverage.ts';
import type { ExecutionOutcome, ExecutorConfig } from '../domain/execution/types.ts';
import type { IsoDate } from '../domain/instruments.ts';
import { contractKey } from '../domain/instruments.ts';
import type { Mode } from '../domain/mode.ts';
import { buildPlan } from '../domain/plan/build-plan.ts';
import { openCondorsFromJournal } from '../domain/hedge/open-condors.ts';
import { reconcileScope } from '../domain/journal-view.ts';
import type { Plan } from '../domain/plan/types.ts';
import type { MarketEvent } from '../domain/snapshot.ts';
import type { StrategyConfig } from '../domain/strategy.ts';
import type { BrokerPort } from '../ports/broker.ts';
import type { Clock } from '../ports/clock.ts';
import type { JournalPort } from '../ports/journal.ts';
import type { Logger } from '../ports/logger.ts';
import type { MarketDataQuery } from '../ports/market-data.ts';
import type { CaptureFailure, CaptureOptions } from './capture-snapshot.ts';
import { captureSnapshot } from './capture-snapshot.ts';
import type { PreflightSettings, StepObservation } from './execute-plan.ts';
import { brokerReconciler, executePlan, quoteSourceFrom, resumePlan } from './execute-plan.ts';
import type { ReconcileResult } from './reconcile.ts';
import { reconcileWithBroker } from './reconcile.ts';

export interface RunOnceDeps {
  readonly broker: BrokerPort;
  readonly marketData: MarketDataQuery;
  readonly journal: JournalPort;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface RunOnceRequest {
  /** The IB account orders go to (checked against the mode by the caller and by pre-flight). */
  readonly account: string;
  readonly mode: Mode;
  readonly strategy: StrategyConfig;
  readonly calendar: TradingCalendar;
  readonly events: readonly MarketEvent[];
  readonly capture: Omit<CaptureOptions, 'calendar' | 'events' | 'hedgeBook' | 'openCondors'>;
  readonly preflight: Omit<PreflightSettings, 'strategy' | 'calendar' | 'mode' | 'reconcile'>;
  readonly executor?: ExecutorConfig;
  /** An unacknowledged intent is proved absent only this long after its send (default 30 s). */
  readonly absenceAfterMs?: number;
  readonly signal?: AbortSignal;
  /** Told when the run moves on (a virtual-time simulator may hold its clock while capturing). */
  readonly onPhase?: (phase: 'capture' | 'execute') => void;
  /** Every step of the machine (the crash suite checks coverage at each). */
  readonly observe?: (o: StepObservation) => void;
}

/** One execution as it reached the plan, with the coverage right after it. */
export interface FillLine {
  readonly atMs: number;
  readonly orderKey: string;
  readonly orderRef: string;
  readonly execId: string;
  readonly side: 'BOT' | 'SLD';
  readonly quantity: number;
  readonly contract: string;
  /** Price per unit in price cents, as IB reports it. */
  readonly priceCents: number;
  readonly coverage: CoverageView;
}

export type RunOnceResult =
  | { readonly kind: 'halted'; readonly reconcile: Extract<ReconcileResult, { kind: 'halted' }> }
  | { readonly kind: 'unavailable'; readonly reconcile: Extract<ReconcileResult, { kind: 'unavailable' }> }
  | { readonly kind: 'capture-failed'; readonly detail: string; readonly failure: CaptureFailure }
  | { readonly kind: 'no-trade'; readonly plan: Plan }
  /** A plan for this cycle date already ran (it sent orders): one plan per day. */
  | { readonly kind: 'already-ran'; readonly planId: string; readonly cycleDate: IsoDate }
  | {
      readonly kind: 'executed';
      readonly plan: Plan;
      /** True when this run finished a plan a crashed run left in flight. */
      readonly resumed: boolean;
      readonly outcome: ExecutionOutcome;
      readonly fills: readonly FillLine[];
    };

function tradingDateAt(nowMs: number): IsoDate {
  return DateTime.fromMillis(nowMs, { zone: NY_ZONE }).toFormat('yyyy-MM-dd');
}

function fillLine(o: StepObservation): FillLine | null {
  if (o.event.type !== 'execution') return null;
  const x = o.event.execution;
  const key = o.state.slots.find((s) => s.tracks.some((t) => t.orderRef === x.orderRef))?.orderKey;
  const c = x.contract;
  return {
    atMs: o.event.atMs,
    orderKey: key ?? '?',
    orderRef: x.orderRef,
    execId: x.execId,
    side: x.side,
    quantity: x.quantity,
    contract:
      c.kind === 'option'
        ? contractKey(c.contract)
        : c.kind === 'combo'
          ? `${c.symbol} combo`
          : c.description,
    priceCents: x.price,
    coverage: o.coverage,
  };
}

export async function runOnce(deps: RunOnceDeps, req: RunOnceRequest): Promise<RunOnceResult> {
  const { broker, journal, clock, logger } = deps;
  const log = logger.child({ component: 'run-once' });
  const reconcileOpts = {
    account: req.account,
    ...(req.absenceAfterMs !== undefined ? { absenceAfterMs: req.absenceAfterMs } : {}),
  };
  const startup = await reconcileWithBroker(
    { broker, journal, clock, logger },
    { ...reconcileOpts, trigger: 'startup', tradingDate: tradingDateAt(clock.nowMs()) },
  );
  if (startup.kind === 'halted') return { kind: 'halted', reconcile: startup };
  if (startup.kind === 'unavailable') return { kind: 'unavailable', reconcile: startup };

  const fills: FillLine[] = [];
  const observe = (o: StepObservation): void => {
    const f = fillLine(o);
    if (f !== null) fills.push(f);
    req.observe?.(o);
  };
  const ports = {
    broker,
    journal,
    clock,
    logger,
    quotes: quoteSourceFrom(deps.marketData),
    reconcile: brokerReconciler({
      broker,
      journal,
      clock,
      ...(req.absenceAfterMs !== undefined ? { absenceAfterMs: req.absenceAfterMs } : {}),
      before: async () => {
        const r = await reconcileWithBroker(
          { broker, journal, clock, logger },
          {
            ...reconcileOpts,
            trigger: 'reconnect',
            tradingDate: tradingDateAt(clock.nowMs()),
            waitForAbsence: false,
          },
        );
        return r.kind === 'clean'
          ? { kind: 'clean' }
          : r.kind === 'halted'
            ? { kind: 'halted', message: r.message }
            : { kind: 'failed', reason: r.message };
      },
    }),
  };
  const runOptions = {
    account: req.account,
    observe,
    ...(req.executor !== undefined ? { config: req.executor } : {}),
    ...(req.signal !== undefined ? { signal: req.signal } : {}),
  };

  // A plan a crashed run left in flight is finished from the journal, never rebuilt.
  const inFlight = journal.plansInFlight()[0];
  if (inFlight !== undefined) {
    log.warn('finishing a plan left in flight', { planId: inFlight.planId });
    req.onPhase?.('execute');
    const outcome = await resumePlan(ports, { ...runOptions, planId: inFlight.planId });
    const plan = journal.plan(inFlight.planId)?.plan;
    if (plan === undefined) throw new Error(`plan ${inFlight.planId} vanished from the journal`);
    return { kind: 'executed', plan, resumed: true, outcome, fills };
  }

  const tradingDate = tradingDateAt(clock.nowMs());
  req.onPhase?.('capture');
  const snap = await captureSnapshot(deps.marketData, {
    ...req.capture,
    calendar: req.calendar,
    events: req.events,
    hedgeBook: journal.hedgeBook(tradingDate),
    // The previous cycle's condor counts in the requirement until it settles (docs/strategy.md section 3).
    openCondors: openCondorsFromJournal(journal.reconcileView(reconcileScope(tradingDate)), tradingDate),
  });
  if (!snap.ok) return { kind: 'capture-failed', detail: snap.error.detail, failure: snap.error };
  const plan = buildPlan({
    snapshot: snap.value,
    strategy: req.strategy,
    calendar: req.calendar,
    mode: req.mode,
  });
  const earlier = journal
    .recentPlans(20)
    .find((p) => p.cycleDate === plan.cycleDate && p.end !== null && p.end.result !== 'ABORTED');
  if (earlier !== undefined)
    return { kind: 'already-ran', planId: earlier.planId, cycleDate: plan.cycleDate };
  // No condor today, but a scheduled roll or trim of the hedge book still goes out.
  if (plan.outcome.kind !== 'trade' && plan.orders.length === 0) return { kind: 'no-trade', plan };

  req.onPhase?.('execute');
  const outcome = await executePlan(ports, {
    ...runOptions,
    plan,
    preflight: {
      ...req.preflight,
      strategy: req.strategy,
      calendar: req.calendar,
      mode: req.mode,
      reconcile: { clean: true, problems: [] },
    },
  });
  return { kind: 'executed', plan, resumed: false, outcome, fills };
}
