// The driver against the simulator in-process: its venue behind the memory broker, its market
// behind memory market data, the memory journal, and the simulator's own virtual clock.
import { createMemoryGateway } from '../../src/adapters/memory/memory-broker.ts';
import type { MemoryBroker, MemoryGateway } from '../../src/adapters/memory/memory-broker.ts';
import { createMemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import type { MemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import { createMemoryMarketData } from '../../src/adapters/memory/memory-market-data.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { captureSnapshot } from '../../src/app/capture-snapshot.ts';
import { brokerReconciler, quoteSourceFrom } from '../../src/app/execute-plan.ts';
import type { ExecutePorts, ExecuteRequest, PreflightSettings } from '../../src/app/execute-plan.ts';
import { launchSimEngine, simCalendar } from '../../src/cli/wiring/simulator.ts';
import type { ExecutionOutcome } from '../../src/domain/execution/types.ts';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { ManualClock } from '../../src/ports/clock.ts';
import type { MarketDataQuery } from '../../src/ports/market-data.ts';
import type { SimEngine } from '../../src/sim/simulator.ts';
import { strategyWith } from '../support/default-strategy.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';
import assert from 'node:assert/strict';
import { orderPhase } from '../../src/domain/journal-view.ts';
import type { StepObservation } from '../../src/app/execute-plan.ts';
import type { BrokerPort } from '../../src/ports/broker.ts';
import type { JournalReader } from '../../src/ports/journal.ts';
import type { RunOnceRequest } from '../../src/app/run-once.ts';

/** The default strategy without the trend gate: these tests need a day that trades, whatever SPX did. */
export const STRATEGY: StrategyConfig = strategyWith({ sizing: { trendGateSma: 0 } });

/** Monday 2026-03-16, the default entry time 15:45 New York. */
export const ENTRY = '2026-03-16T15:45';
export const ACCOUNT = 'DU1234567';

export interface DriverRig {
  readonly seed: number;
  readonly startAt: string;
  readonly engine: SimEngine<ManualClock>;
  readonly clock: ManualClock;
  readonly gateway: MemoryGateway;
  readonly broker: MemoryBroker;
  readonly data: MarketDataQuery;
  readonly journal: MemoryJournal;
  readonly ports: ExecutePorts;
  stop(): Promise<void>;
}

export async function driverRig(
  opts: { seed?: number; startAt?: string; startingCash?: number } = {},
): Promise<DriverRig> {
  const seed = opts.seed ?? 7;
  const startAt = opts.startAt ?? ENTRY;
  const engine = launchSimEngine({
    virtualTime: true,
    startAt,
    seed,
    ...(opts.startingCash !== undefined ? { startingCash: opts.startingCash } : {}),
  });
  const gateway = createMemoryGateway({
    venue: engine.venue,
    market: engine.market,
    clock: engine.clock,
    faults: engine.faults,
  });
  const broker = gateway.broker({ clientId: 9 });
  const connected = await broker.connect();
  if (!connected.ok) throw new Error(`memory broker: ${JSON.stringify(connected.error)}`);
  const data = createMemoryMarketData(engine);
  const journal = createMemoryJournal('sim');
  const clock = engine.clock;
  const ports: ExecutePorts = {
    broker,
    journal,
    clock,
    logger: silentLogger,
    quotes: quoteSourceFrom(data),
    reconcile: brokerReconciler({ broker, journal, clock, absenceAfterMs: 5_000 }),
  };
  return {
    seed,
    startAt,
    engine,
    clock,
    gateway,
    broker,
    data,
    journal,
    ports,
    async stop() {
      await broker.disconnect();
      engine.stop();
    },
  };
}

const plans = new Map<string, Plan>();

/** The plan of the rig's moment; every rig of a seed starts from the same simulator state, so it is built once. */
export async function planNow(rig: Pick<DriverRig, 'seed' | 'startAt' | 'data'>): Promise<Plan> {
  const key = `${rig.seed}@${rig.startAt}`;
  const cached = plans.get(key);
  if (cached !== undefined) return cached;
  const plan = await buildPlanNow(rig);
  plans.set(key, plan);
  return plan;
}

async function buildPlanNow(rig: Pick<DriverRig, 'data'>): Promise<Plan> {
  const snap = await captureSnapshot(rig.data, {
    calendar: simCalendar(),
    events: [],
    hedgeBook: [],
    rates: { riskFree: 0.04, spxDividendYield: 0.013 },
    vixDteWindow: [14, 45],
  });
  if (!snap.ok) throw new Error(snap.error.detail);
  return buildPlan({
    snapshot: snap.value,
    strategy: STRATEGY,
    calendar: simCalendar(),
    mode: 'sim',
  });
}

export function settings(over: Partial<PreflightSettings> = {}): PreflightSettings {
  return {
    strategy: STRATEGY,
    calendar: simCalendar(),
    mode: 'sim',
    restartWindow: { start: '23:45', end: '00:15' },
    maxClockSkewMs: 3_000,
    maxQuoteAgeMs: 5_000,
    reconcile: { clean: true, problems: [] },
    whatIf: 'required',
    ...over,
  };
}

/** A run --once request for the rig's simulator day (the driver tests' settings). */
export function runOnceRequest(over: Partial<RunOnceRequest> = {}): RunOnceRequest {
  return {
    account: ACCOUNT,
    mode: 'sim',
    strategy: STRATEGY,
    calendar: simCalendar(),
    events: [],
    capture: { rates: { riskFree: 0.04, spxDividendYield: 0.013 }, vixDteWindow: [14, 45] },
    preflight: {
      restartWindow: { start: '23:45', end: '00:15' },
      maxClockSkewMs: 3_000,
      maxQuoteAgeMs: 5_000,
      whatIf: 'required',
    },
    absenceAfterMs: 5_000,
    ...over,
  };
}

export function request(plan: Plan, over: Partial<ExecuteRequest> = {}): ExecuteRequest {
  return { plan, account: ACCOUNT, preflight: settings(), ...over };
}

/** Lets promises settle, then moves virtual time a step, until `p` settles (or the time budget ends). */
export async function runUntil<T>(
  clock: ManualClock,
  p: Promise<T>,
  stepMs = 1_000,
  maxMs = 60 * 60_000,
): Promise<T> {
  let settled = false;
  const watched = p.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  const end = clock.nowMs() + maxMs;
  while (!settled && clock.nowMs() < end) {
    for (let i = 0; i < 3 && !settled; i++) await new Promise((r) => setImmediate(r));
    if (!settled) clock.advance(stepMs);
  }
  if (!settled) throw new Error('the plan did not end within the time budget');
  return watched;
}

export type { ExecutionOutcome };

/**
 * The ports of a process that can be killed in-process: after kill() nothing it does reaches the
 * world (journal writes throw, sends and reads never answer, its timers and broker events are
 * dropped), as after a SIGKILL. `killAtAppend` kills it just before its k-th journal write.
 */
export function killable(
  ports: ExecutePorts,
  killAtAppend = Infinity,
): { ports: ExecutePorts; kill(): void; readonly dead: () => boolean } {
  let dead = false;
  let appends = 0;
  const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
  const broker = new Proxy(ports.broker, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      const f = v as (...args: unknown[]) => unknown;
      if (prop === 'onEvent')
        return (listener: (e: unknown) => void) =>
          f.call(target, (e: unknown) => (dead ? undefined : listener(e)));
      if (prop === 'nextOrderId' || prop === 'raiseOrderIdFloor' || prop === 'isConnected')
        return f.bind(target);
      return (...args: unknown[]) => (dead ? never() : f.apply(target, args));
    },
  });
  const journal = new Proxy(ports.journal, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'append' || typeof v !== 'function')
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      return (e: unknown) => {
        appends += 1;
        if (appends >= killAtAppend) dead = true;
        if (dead) throw new Error('process killed');
        return (v as (e: unknown) => unknown).call(target, e);
      };
    },
  });
  const clock = {
    isVirtual: ports.clock.isVirtual,
    nowMs: () => ports.clock.nowMs(),
    schedule: (atMs: number, fn: () => void) => ports.clock.schedule(atMs, () => (dead ? undefined : fn())),
  };
  return {
    ports: {
      ...ports,
      broker,
      journal,
      clock,
      quotes: (o) => (dead ? never() : ports.quotes(o)),
      reconcile: (r) => (dead ? never() : ports.reconcile(r)),
    },
    kill: () => {
      dead = true;
    },
    dead: () => dead,
  };
}

// ---------------------------------------------------------------------------------------------
// What every faulted run must end with (the driver tests and the crash suite)

export function within(seen: readonly StepObservation[]): void {
  for (const o of seen)
    assert.ok(
      o.coverage.liveCondor <= o.coverage.allowedCondor,
      `after ${o.event.type}: live condor ${o.coverage.liveCondor} > allowed ${o.coverage.allowedCondor}`,
    );
}

export function value<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

/** The journal's view of the plan's orders equals the broker's reports; no orderRef twice. */
export async function journalMatchesBroker(
  rig: { readonly broker: BrokerPort; readonly journal: JournalReader },
  plan: Plan,
): Promise<void> {
  const completed = value(await rig.broker.completedOrders());
  const open = value(await rig.broker.openOrders());
  const executions = value(await rig.broker.executions()).executions;
  const brokerRefs = [...completed, ...open].map((o) => o.orderRef).filter((r) => r.startsWith(plan.planId));
  assert.equal(new Set(brokerRefs).size, brokerRefs.length, 'no orderRef at the broker twice');
  assert.deepEqual(
    open.filter((o) => o.orderRef.startsWith(plan.planId)),
    [],
    'nothing of the plan left working',
  );
  const orders = rig.journal.ordersOfPlan(plan.planId);
  for (const j of orders) {
    const ref = j.intent.orderRef;
    const b = completed.find((o) => o.orderRef === ref);
    const fills = rig.journal.fillsOf(ref)?.fills.length ?? 0;
    assert.equal(
      fills,
      executions.filter((x) => x.orderRef === ref).length,
      `${ref}: journal fills vs broker executions`,
    );
    assert.equal(orderPhase(j), 'final', `${ref}: final in the journal`);
    if (b === undefined) {
      assert.ok(
        j.resolution !== null || j.submit.kind === 'refused',
        `${ref}: not at the broker, so absent or refused`,
      );
      continue;
    }
    if (j.submit.kind === 'refused' && j.reported === null) {
      // IB's refusal is the journal's record; the broker lists the order as done, nothing filled.
      assert.ok(
        ['Inactive', 'Cancelled', 'ApiCancelled'].includes(b.status) && b.filled === 0,
        `${ref}: ${b.status}`,
      );
      continue;
    }
    assert.equal(j.reported?.status, b.status, `${ref}: status`);
    assert.equal(j.reported?.filled, b.filled, `${ref}: filled`);
  }
  for (const ref of brokerRefs)
    assert.ok(
      orders.some((o) => o.intent.orderRef === ref),
      `${ref} at the broker is in the journal`,
    );
}

export function consistent(outcome: ExecutionOutcome): void {
  const full = outcome.orders.every((o) => o.filled >= o.quantity);
  const none = outcome.orders.every((o) => o.filled === 0);
  assert.equal(outcome.kind, full ? 'COMPLETE' : none ? 'ABORTED' : 'PARTIAL', outcome.reason);
}
