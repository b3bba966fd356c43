// The one place the IB adapter and contract tests start the IB Gateway simulator as a TCP server
// (127.0.0.1, port 0, virtual clock): a change to how the simulator starts touches this file only.
import type { ManualClock } from '../../src/ports/clock.ts';
import { IN_PROCESS_SIM_LIMITS, launchSimulator } from '../../src/cli/wiring/simulator.ts';
import type { RunningSimulator } from '../../src/sim/simulator.ts';
import type { SessionLimits } from '../../src/sim/session.ts';
import { captureLogger } from '../../src/adapters/log/silent-logger.ts';
import type { LogRecord } from '../../src/adapters/log/silent-logger.ts';

/** Friday 2025-01-10, 10:00 New York: a normal session with a same-day SPXW expiry. */
export const SIM_START = '2025-01-10T10:00';

/** IB's own limits (the simulator's defaults) or none, for tests that need speed, not pacing. */
export type SimLimits = 'ib' | 'lifted';

const LIFTED: Partial<SessionLimits> = IN_PROCESS_SIM_LIMITS;

export interface TestSimOptions {
  readonly seed?: number;
  readonly startAt?: string;
  readonly serverVersion?: 178 | 193;
  readonly limits?: SimLimits;
  readonly account?: string;
}

export interface TestSim {
  readonly sim: RunningSimulator<ManualClock>;
  readonly clock: ManualClock;
  readonly port: number;
  readonly logs: LogRecord[];
  close(): Promise<void>;
}

export async function startTestSim(opts: TestSimOptions = {}): Promise<TestSim> {
  const { logger, records } = captureLogger();
  const sim = await launchSimulator({
    startAt: opts.startAt ?? SIM_START,
    seed: opts.seed ?? 7,
    virtualTime: true,
    logger,
    ...(opts.serverVersion !== undefined ? { serverVersion: opts.serverVersion } : {}),
    ...(opts.account !== undefined ? { account: opts.account } : {}),
    ...(opts.limits === 'lifted' ? { limits: LIFTED } : {}),
  });
  return {
    sim,
    clock: sim.clock,
    port: sim.port,
    logs: records,
    close: () => sim.close(),
  };
}
