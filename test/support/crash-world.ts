// One simulator (virtual time, TCP, IB pacing lifted) and the bots of a crash run against it: each
// bot is an IB client through a counting relay, on the simulator's clock, sharing one journal, so a
// test can drop its link or kill it at any message and start the next one. The run is pumped at the
// speed of the wire (test/support/virtual-pump.ts). What every faulted run must end with is checked
// from the broker's side: the orders the gateway read, and the venue's coverage at every event.
import assert from 'node:assert/strict';
import { createIbBroker } from '../../src/adapters/ib/ib-broker.ts';
import type { IbClient } from '../../src/adapters/ib/ib-client.ts';
import { createIbClient } from '../../src/adapters/ib/ib-client.ts';
import { createIbMarketData } from '../../src/adapters/ib/ib-market-data.ts';
import { LIFTED_PACING_LIMITS } from '../../src/adapters/ib/pacing.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { createMemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import type { MemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import { brokerReconciler, quoteSourceFrom } from '../../src/app/execute-plan.ts';
import type { ExecutePorts } from '../../src/app/execute-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { BrokerPort } from '../../src/ports/broker.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { MarketDataQuery } from '../../src/ports/market-data.ts';
import type { PlaceOrderSeen } from '../../src/sim/faults.ts';
import { startTestSim } from './sim-server.ts';
import type { TestSim } from './sim-server.ts';
import { startTcpProxy } from './tcp-proxy.ts';
import type { TcpProxy } from './tcp-proxy.ts';
import { watchBrokerCoverage } from './venue-coverage.ts';
import { counted, pumpVirtualTime, trackedClock } from './virtual-pump.ts';
import type { Pending } from './virtual-pump.ts';

/** Real milliseconds without a byte on the wire before virtual time may move (a connect in flight sends none). */
const QUIET_MS = 5;

export interface Bot {
  readonly client: IbClient;
  readonly broker: BrokerPort;
  readonly marketData: MarketDataQuery;
  readonly ports: ExecutePorts;
}

export interface CrashWorld {
  readonly t: TestSim;
  readonly proxy: TcpProxy;
  readonly clock: Clock;
  readonly journal: MemoryJournal;
  /** Every non-whatIf placeOrder the gateway read, in order. */
  readonly placed: PlaceOrderSeen[];
  /** Opens the next bot (a new IB client with the same client id) and connects it. */
  bot(): Promise<Bot>;
  /** Runs virtual time while the bots are idle until `done`. */
  pump(done: () => boolean): Promise<void>;
  /** Starts checking the plan's coverage at every venue event. */
  watchCoverage(plan: Plan): void;
  /** Coverage broken at any venue event (empty when it held). */
  violations(): readonly string[];
  close(): Promise<void>;
}

export const CLIENT_ID = 9;

export async function crashWorld(opts: {
  readonly seed: number;
  readonly startAt: string;
}): Promise<CrashWorld> {
  const t = await startTestSim({ seed: opts.seed, startAt: opts.startAt, limits: 'lifted' });
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: t.port });
  const { clock, nextAt } = trackedClock(t.clock);
  const journal = createMemoryJournal('sim');
  const pending: Pending = { n: 0 };
  const clients: IbClient[] = [];
  const placed: PlaceOrderSeen[] = [];
  const stopWatch = t.sim.faults.watch((e) => {
    if (e.type === 'placeOrder' && !e.order.whatIf) placed.push(e.order);
  });
  let coverage: ReturnType<typeof watchBrokerCoverage> | null = null;
  return {
    t,
    proxy,
    clock,
    journal,
    placed,
    async bot() {
      const client = createIbClient({
        host: '127.0.0.1',
        port: proxy.port,
        clientId: CLIENT_ID,
        clock,
        logger: silentLogger,
        pacing: LIFTED_PACING_LIMITS,
      });
      clients.push(client);
      const broker = counted(createIbBroker(client), pending);
      const connected = await broker.connect();
      if (!connected.ok) throw new Error(`cannot connect: ${connected.error.text}`);
      const marketData = counted(createIbMarketData(client), pending);
      return {
        client,
        broker,
        marketData,
        ports: {
          broker,
          journal,
          clock,
          logger: silentLogger,
          quotes: quoteSourceFrom(marketData),
          reconcile: brokerReconciler({ broker, journal, clock, absenceAfterMs: 5_000 }),
        },
      };
    },
    pump: (done) =>
      pumpVirtualTime({
        clock: t.clock,
        nextAt,
        done,
        quiet: () =>
          pending.n === 0 &&
          clients.every(
            (c) =>
              c.registry.openCount() === 0 && c.pacing.waiting() === 0 && c.conn.state() !== 'connecting',
          ) &&
          proxy.inFlightBytes() === 0 &&
          performance.now() - proxy.lastActivityAt() >= QUIET_MS,
      }),
    watchCoverage(plan) {
      coverage?.stop();
      coverage = watchBrokerCoverage(t.sim.venue, plan);
    },
    violations: () => coverage?.violations ?? [],
    async close() {
      stopWatch();
      coverage?.stop();
      for (const c of clients) await c.close();
      await proxy.close();
      await t.close();
    },
  };
}

/** The gateway read each orderRef's placeOrder under one orderId only (a modify keeps it). */
export function noOrderRefSentTwice(placed: readonly PlaceOrderSeen[]): void {
  const ids = new Map<string, Set<number>>();
  for (const p of placed) {
    const s = ids.get(p.orderRef) ?? new Set<number>();
    s.add(p.orderId);
    ids.set(p.orderRef, s);
  }
  for (const [ref, s] of ids) assert.equal(s.size, 1, `${ref} placed under order ids ${[...s].join(', ')}`);
}
