// Harness: the IB adapter (real @stoqey/ib) over TCP to the simulator on 127.0.0.1, virtual market
// time. The simulator's fault hooks give the suite its drops, duplicates, rejects and restarts.
import type { BrokerPort } from '../../src/ports/broker.ts';
import type { MarketDataQuery } from '../../src/ports/market-data.ts';
import { createIbBroker } from '../../src/adapters/ib/ib-broker.ts';
import { createIbClient } from '../../src/adapters/ib/ib-client.ts';
import type { IbClient } from '../../src/adapters/ib/ib-client.ts';
import { createIbMarketData } from '../../src/adapters/ib/ib-market-data.ts';
import { LIFTED_PACING_LIMITS } from '../../src/adapters/ib/pacing.ts';
import type { IbTimeouts } from '../../src/adapters/ib/ib-timeouts.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { createSystemClock } from '../../src/adapters/clock/system-clock.ts';
import { startTestSim } from '../support/sim-server.ts';
import type { ArmedFault, BrokerHarness } from './harness.ts';

export const SIM_CLIENT_ID = 17;

/** Short waits: the simulator answers in milliseconds, and the no-ack case waits the full deadline. */
export const SIM_TIMEOUTS: Partial<IbTimeouts> = {
  backoffInitialMs: 20,
  backoffMaxMs: 200,
  orderAckMs: 2_000,
  whatIfMs: 1_000,
};

/** The venue shows 5 combo contracts per step: 12 cannot fill at once. */
const PARTIAL_QUANTITY = 12;

interface Client {
  readonly client: IbClient;
  readonly broker: BrokerPort;
  readonly marketData: MarketDataQuery;
}

/** A harness factory; `serverVersion` picks what the simulator negotiates (a real gateway gives stoqey 193). */
export function ibSimHarness(serverVersion: 178 | 193 = 178): () => Promise<BrokerHarness> {
  return () => openIbSimHarness(serverVersion);
}

async function openIbSimHarness(serverVersion: 178 | 193): Promise<BrokerHarness> {
  const t = await startTestSim({ limits: 'lifted', serverVersion });
  const clock = createSystemClock();
  const open = async (): Promise<Client> => {
    const client = createIbClient({
      host: '127.0.0.1',
      port: t.port,
      clientId: SIM_CLIENT_ID,
      clock,
      logger: silentLogger,
      pacing: LIFTED_PACING_LIMITS,
      timeouts: SIM_TIMEOUTS,
    });
    const c = { client, broker: createIbBroker(client), marketData: createIbMarketData(client) };
    const r = await c.broker.connect();
    if (!r.ok) throw new Error(`cannot connect to the simulator: ${r.error.text}`);
    return c;
  };
  let current = await open();
  const firedOf = (kind: string) => (): number =>
    t.sim.faults.history().filter((f) => f.kind === kind).length;
  const harness: BrokerHarness = {
    get broker() {
      return current.broker;
    },
    get marketData() {
      return current.marketData;
    },
    account: t.sim.venue.account,
    knownGaps: new Map(),
    controls: {
      advance: (ms) => {
        t.clock.advance(ms);
        return Promise.resolve();
      },
      dropLink: () => {
        if (!t.sim.server.dropClient(SIM_CLIENT_ID)) throw new Error('no simulator session to drop');
        return Promise.resolve();
      },
      restartClient: async () => {
        await current.client.close();
        current = await open();
        return current.broker;
      },
      restartGateway: () => {
        t.sim.restartGateway();
        return Promise.resolve();
      },
      rejectNextOrderForMargin: () => {
        t.sim.faults.arm({
          kind: 'rejectOrders',
          count: 1,
          code: 201,
          reason:
            'Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE MUST EXCEED THE INITIAL MARGIN',
        });
        return { fired: firedOf('rejectOrders') };
      },
      duplicateExecutions: (): ArmedFault => {
        t.sim.faults.arm({ kind: 'duplicateEvent', event: 'execDetails' });
        return { fired: firedOf('duplicateEvent') };
      },
      dropNextAcks: () => {
        // A resting order is acknowledged by one openOrder and one orderStatus.
        t.sim.faults.arm({ kind: 'dropAcks', clientId: SIM_CLIENT_ID, count: 2 });
        return { fired: firedOf('dropAcks') };
      },
      whatIfFault: (kind) => {
        const fault = kind === 'refused' ? 'whatIfRefused' : 'whatIfNoMargin';
        t.sim.faults.arm({ kind: fault, count: 1 });
        return { fired: firedOf(fault) };
      },
      partialFillQuantity: PARTIAL_QUANTITY,
    },
    async close() {
      await current.client.close();
      await t.close();
    },
  };
  return harness;
}
