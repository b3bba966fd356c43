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
import { createRealClock } from '../../src/sim/clock.ts';
import { startTestSim } from '../support/sim-server.ts';
import type { ArmedFault, BrokerHarness } from './harness.ts';
import { CASES } from './broker-contract.ts';

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

export async function ibSimHarness(): Promise<BrokerHarness> {
  const t = await startTestSim({ limits: 'lifted' });
  const clock = createRealClock();
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
  const venue = t.sim.venue;
  const firedOf = (kind: string) => (): number =>
    t.sim.faults.history().filter((f) => f.kind === kind).length;
  const harness: BrokerHarness = {
    get broker() {
      return current.broker;
    },
    get marketData() {
      return current.marketData;
    },
    account: venue.account,
    knownGaps: new Map([
      [
        CASES.completedAfterReconnect,
        'the simulator answers reqCompletedOrders with the end marker only (issue 8 item 6)',
      ],
    ]),
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
        venue.setFaults({
          rejectNextOrders: 1,
          rejectCode: 201,
          rejectReason:
            'Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE MUST EXCEED THE INITIAL MARGIN',
        });
        return { fired: () => 1 - (venue.state().faults.rejectNextOrders ?? 0) };
      },
      duplicateExecutions: (): ArmedFault => {
        t.sim.faults.arm({ kind: 'duplicateEvent', event: 'execDetails' });
        return { fired: firedOf('duplicateEvent') };
      },
      dropNextAcks: () => {
        venue.setFaults({ dropAcksNextOrders: 1 });
        return { fired: () => 1 - (venue.state().faults.dropAcksNextOrders ?? 0) };
      },
      whatIfFault: (kind) => {
        venue.setFaults(kind === 'refused' ? { whatIfRefused: true } : { whatIfNoMargin: true });
        return {
          fired: () =>
            venue.state().faults.whatIfRefused === true || venue.state().faults.whatIfNoMargin === true
              ? 1
              : 0,
        };
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
