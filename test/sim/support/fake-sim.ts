// Runs a test body against the wire server backed by the fake engine, then closes every client and
// the server, and fails if stoqey raised a decode error (505) on anything the server sent.
import assert from 'node:assert/strict';
import { startSimServer } from '../../../src/sim/server.ts';
import type { SimServer, SimServerOptions } from '../../../src/sim/server.ts';
import { SimFaults } from '../../../src/sim/faults.ts';
import { createFakeEngine } from './fake-engine.ts';
import type { FakeMarket, FakeVenue } from './fake-engine.ts';
import type { ManualClock as VirtualClock } from '../../../src/ports/clock.ts';
import { TestClient } from './harness.ts';
import { captureLogger } from '../../../src/adapters/log/silent-logger.ts';
import type { LogRecord } from '../../../src/adapters/log/silent-logger.ts';

export interface FakeSim {
  readonly server: SimServer;
  readonly clock: VirtualClock;
  readonly market: FakeMarket;
  readonly venue: FakeVenue;
  readonly faults: SimFaults;
  readonly logs: LogRecord[];
  client(clientId: number, opts?: { readonly maxReqPerSec?: number }): TestClient;
}

export type FakeSimOptions = Omit<Partial<SimServerOptions>, 'market' | 'venue' | 'clock' | 'logger'>;

export async function withFakeSim(
  opts: FakeSimOptions,
  body: (sim: FakeSim) => Promise<void>,
): Promise<void> {
  const { clock, market, venue } = createFakeEngine();
  const { logger, records } = captureLogger();
  const faults = opts.faults ?? new SimFaults(42);
  const server = await startSimServer({
    restartVenue: () => venue.restart(),
    ...opts,
    market,
    venue,
    clock,
    logger,
    faults,
  });
  const clients: TestClient[] = [];
  try {
    await body({
      server,
      clock,
      market,
      venue,
      faults,
      logs: records,
      client(clientId, o = {}) {
        const c = new TestClient(server.port, clientId, o);
        clients.push(c);
        return c;
      },
    });
    for (const c of clients)
      assert.deepEqual(c.decodeErrors(), [], `stoqey decode errors for client ${c.clientId}`);
  } finally {
    for (const c of clients) await c.disconnect();
    await server.close();
  }
}
