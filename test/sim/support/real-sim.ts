// Runs a test body against the full simulator (real market model and venue) on a virtual clock,
// then closes every client and the simulator, and fails on any stoqey decode error (505).
import assert from 'node:assert/strict';
import type { ManualClock as VirtualClock } from '../../../src/ports/clock.ts';
import type { SimContract } from '../../../src/sim/engine-api.ts';
import type { RunningSimulator } from '../../../src/sim/simulator.ts';
import { launchSimulator } from '../../../src/cli/wiring/simulator.ts';
import type { SimulatorSetup } from '../../../src/cli/wiring/simulator.ts';
import { TestClient } from './harness.ts';
import { captureLogger } from '../../../src/adapters/log/silent-logger.ts';
import type { LogRecord } from '../../../src/adapters/log/silent-logger.ts';

/** Friday 2025-01-10, 10:00 New York: a normal session with a same-day SPXW expiry. */
export const REAL_START = '2025-01-10T10:00';

export interface RealSim {
  readonly sim: RunningSimulator<VirtualClock>;
  readonly clock: VirtualClock;
  readonly logs: LogRecord[];
  client(clientId: number, opts?: { readonly maxReqPerSec?: number }): TestClient;
  /** The listed SPXW option nearest to a strike for an expiry (default: the first listed expiry). */
  spxw(right: 'C' | 'P', nearStrike: number, expiry?: string): SimContract;
  /** Advances the virtual clock in steps until `done` (checked after a client round trip), at most maxSteps. */
  advanceUntil(c: TestClient, done: () => boolean, stepMs: number, maxSteps: number): Promise<void>;
}

export async function withRealSim(
  opts: Omit<SimulatorSetup, 'virtualTime' | 'logger'>,
  body: (s: RealSim) => Promise<void>,
): Promise<void> {
  const { logger, records } = captureLogger();
  const sim = await launchSimulator({ startAt: REAL_START, seed: 7, ...opts, virtualTime: true, logger });
  const clock = sim.clock;
  const clients: TestClient[] = [];
  try {
    await body({
      sim,
      clock,
      logs: records,
      client(clientId, o = {}) {
        const c = new TestClient(sim.port, clientId, o);
        clients.push(c);
        return c;
      },
      spxw(right, nearStrike, expiry) {
        const all = sim.market.findContracts({ symbol: 'SPX', secType: 'OPT', tradingClass: 'SPXW', right });
        const exp = expiry ?? [...new Set(all.map((c) => c.expiry ?? ''))].sort()[0];
        const listed = all.filter((c) => c.expiry === exp);
        listed.sort(
          (a, b) => Math.abs((a.strike ?? 0) - nearStrike) - Math.abs((b.strike ?? 0) - nearStrike),
        );
        const best = listed[0];
        if (best === undefined) throw new Error(`no SPXW ${right} listed for ${String(exp)}`);
        return best;
      },
      async advanceUntil(c, done, stepMs, maxSteps) {
        for (let i = 0; i < maxSteps; i++) {
          await c.sync();
          if (done()) return;
          clock.advance(stepMs);
        }
        await c.sync();
        assert.ok(done(), `condition not reached within ${maxSteps} steps of ${stepMs} ms`);
      },
    });
    for (const c of clients)
      assert.deepEqual(c.decodeErrors(), [], `stoqey decode errors for client ${c.clientId}`);
  } finally {
    for (const c of clients) await c.disconnect();
    await sim.close();
  }
}
