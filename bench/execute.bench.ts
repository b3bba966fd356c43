// Issue 9: one plan through executePlan, the IB adapter over TCP to the simulator, with 0 ms and
// 50 ms of injected round trip (a relay delaying each direction by half). Figures: plan start ->
// every order acknowledged, and -> COMPLETE, in wall time and as a ratio to the least round trips
// the plan needs; messages per plan. Virtual time moves only while nothing is in flight (no port call
// pending, no request open or queued in the IB client, no byte held by the relay, the wire quiet), and then straight to the driver's next
// timer: wall time is the wire's and the code's, not the plan's 20 s reprice waits.
import { createIbBroker } from '../src/adapters/ib/ib-broker.ts';
import { createIbClient } from '../src/adapters/ib/ib-client.ts';
import { createIbMarketData } from '../src/adapters/ib/ib-market-data.ts';
import { IB_PACING_LIMITS } from '../src/adapters/ib/pacing.ts';
import { silentLogger } from '../src/adapters/log/silent-logger.ts';
import { createMemoryJournal } from '../src/adapters/memory/memory-journal.ts';
import { createMemoryMarketData } from '../src/adapters/memory/memory-market-data.ts';
import type { ExecutePorts, StepObservation } from '../src/app/execute-plan.ts';
import { brokerReconciler, executePlan, quoteSourceFrom } from '../src/app/execute-plan.ts';
import { captureSnapshot } from '../src/app/capture-snapshot.ts';
import { simCalendar } from '../src/cli/wiring/simulator.ts';
import { buildPlan } from '../src/domain/plan/build-plan.ts';
import type { Plan } from '../src/domain/plan/types.ts';
import type { BrokerPort } from '../src/ports/broker.ts';
import { ACCOUNT, ENTRY, STRATEGY, request } from '../test/app/execute-plan-rig.ts';
import { startTestSim } from '../test/support/sim-server.ts';
import { startTcpProxy } from '../test/support/tcp-proxy.ts';
import { counted, pumpVirtualTime, trackedClock } from '../test/support/virtual-pump.ts';
import { CAPTURE_OPTIONS } from './capture.bench.ts';

/** The wire counts as quiet after this long without a byte (a frame may be between two sockets). */
const QUIET_MS = 3;
/** Pre-flight needs two waves: what-if, account and clock together, then the quotes (fresh when checked). */
export const PREFLIGHT_MIN_ROUND_TRIPS = 2;

export interface ExecuteBench {
  readonly roundTripMs: number;
  readonly outcome: string;
  readonly orders: number;
  /** Wall time from executePlan's call until every order's first submit was acknowledged. */
  readonly allAckedMs: number;
  readonly completeMs: number;
  /** Least round trips: pre-flight, then per virtual instant 1 (sends or quote requests) or 2 (quote, then a send on it). */
  readonly minRoundTripsToAcked: number;
  readonly minRoundTripsToComplete: number;
  readonly messagesToServer: number;
  readonly messagesToClient: number;
  readonly virtualSeconds: number;
}

async function planAt(md: Parameters<typeof captureSnapshot>[0]): Promise<Plan> {
  const snap = await captureSnapshot(md, CAPTURE_OPTIONS);
  if (!snap.ok) throw new Error(`bench: capture failed: ${snap.error.detail}`);
  const plan = buildPlan({ snapshot: snap.value, strategy: STRATEGY, calendar: simCalendar(), mode: 'sim' });
  if (plan.outcome.kind !== 'trade') throw new Error('bench: the simulator day should give a trade');
  return plan;
}

/** Least round trips from the observed run: per virtual instant, how deep the chain of answers was. */
function minRoundTrips(steps: readonly { atMs: number; o: StepObservation }[], untilMs: number): number {
  const depth = new Map<number, number>();
  for (const { atMs, o } of steps) {
    if (atMs > untilMs) break;
    const asks = o.commands.some((c) =>
      ['submit', 'modify', 'cancel', 'request-quote', 'reconcile'].includes(c.type),
    );
    if (!asks) continue;
    const d = o.event.type === 'quote' || o.event.type === 'reconcile-result' ? 2 : 1;
    depth.set(atMs, Math.max(depth.get(atMs) ?? 0, d));
  }
  return PREFLIGHT_MIN_ROUND_TRIPS + [...depth.values()].reduce((a, b) => a + b, 0);
}

export async function benchExecutePlan(roundTripMs: number): Promise<ExecuteBench> {
  const t = await startTestSim({ startAt: ENTRY, seed: 7 });
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: t.port }, { delayMs: roundTripMs / 2 });
  const { clock, nextAt } = trackedClock(t.clock);
  const client = createIbClient({
    host: '127.0.0.1',
    port: proxy.port,
    clientId: 41,
    clock,
    logger: silentLogger,
    pacing: IB_PACING_LIMITS,
  });
  const pending = { n: 0 };
  try {
    const broker: BrokerPort = counted(createIbBroker(client), pending);
    const connected = await broker.connect();
    if (!connected.ok) throw new Error(`bench: cannot connect: ${connected.error.text}`);
    const plan = await planAt(createMemoryMarketData(t.sim));
    const journal = createMemoryJournal('sim');
    const quotes = quoteSourceFrom(counted(createIbMarketData(client), pending));
    const ports: ExecutePorts = {
      broker,
      journal,
      clock,
      logger: silentLogger,
      quotes,
      reconcile: brokerReconciler({ broker, journal, clock, absenceAfterMs: 5_000 }),
    };
    const steps: { atMs: number; o: StepObservation }[] = [];
    const acked = new Set<string>();
    let allAckedAt: number | null = null;
    let ackedVirtualAt = 0;
    const virtualStart = t.clock.nowMs();
    proxy.resetStats();
    const t0 = performance.now();
    let done = false;
    const run = executePlan(
      ports,
      request(plan, {
        account: ACCOUNT,
        observe: (o) => {
          steps.push({ atMs: t.clock.nowMs(), o });
          if (o.event.type === 'submit-outcome' && o.event.outcome.kind === 'sent') {
            const key = plan.orders.find(
              (p) =>
                o.event.type === 'submit-outcome' && o.event.orderRef.startsWith(`${plan.planId}:${p.key}:`),
            )?.key;
            if (key !== undefined) acked.add(key);
            if (allAckedAt === null && acked.size === plan.orders.length) {
              allAckedAt = performance.now();
              ackedVirtualAt = t.clock.nowMs();
            }
          }
        },
      }),
    ).finally(() => {
      done = true;
    });
    run.catch(() => undefined);
    await pumpVirtualTime({
      clock: t.clock,
      nextAt,
      done: () => done,
      quiet: () =>
        pending.n === 0 &&
        client.registry.openCount() === 0 &&
        client.pacing.waiting() === 0 &&
        proxy.inFlightBytes() === 0 &&
        performance.now() - proxy.lastActivityAt() >= QUIET_MS,
    });
    const outcome = await run;
    const completeMs = performance.now() - t0;
    const wire = proxy.stats();
    return {
      roundTripMs,
      outcome: outcome.kind,
      orders: plan.orders.length,
      allAckedMs: (allAckedAt ?? NaN) - t0,
      completeMs,
      minRoundTripsToAcked: minRoundTrips(steps, ackedVirtualAt),
      minRoundTripsToComplete: minRoundTrips(steps, Number.POSITIVE_INFINITY),
      messagesToServer: wire.toServer,
      messagesToClient: wire.toClient,
      virtualSeconds: (t.clock.nowMs() - virtualStart) / 1000,
    };
  } finally {
    await client.close();
    await proxy.close();
    await t.close();
  }
}
