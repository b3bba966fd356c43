// Composition of the IB Gateway simulator: clock, NYSE calendar, market model, venue and the wire
// server on 127.0.0.1. The only place that names the concrete engine parts.
import { DateTime } from 'luxon';
import { createNyseCalendar } from '../domain/calendar.ts';
// eslint-disable-next-line no-restricted-imports -- layer violation being removed (issue 8 fences)
import { loadCalendarData } from '../config/calendar-file.ts';
import { IronvixError } from '../errors.ts';
import type { Logger } from '../ports/logger.ts';
// eslint-disable-next-line no-restricted-imports -- layer violation being removed (issue 8 fences)
import { silentLogger } from '../adapters/log/silent-logger.ts';
import { createRealClock, createVirtualClock } from './clock.ts';
import type { VirtualClock } from './clock.ts';
import type { SimClock, SimMarket, SimVenue } from './engine-api.ts';
import { createSimMarket } from './market/market.ts';
import type { SimMarketControl } from './market/market.ts';
import { loadScenario } from './market/scenario.ts';
import { loadReplayDir } from './market/replay.ts';
import type { IsoDate } from '../domain/instruments.ts';
import { createSimVenue } from './venue/venue.ts';
import type { SimVenueControl } from './venue/venue.ts';
import { SIM_HOST, startSimServer } from './server.ts';
import type { SimServer } from './server.ts';
import { SessionFaults } from './session-faults.ts';
import type { SessionLimits } from './session.ts';

export const DEFAULT_SIM_ACCOUNT = 'DU1234567';
export const DEFAULT_SIM_SEED = 42;
export const DEFAULT_STARTING_CASH = 100_000;

export interface StartSimulatorOptions {
  readonly host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly seed?: number;
  /** A virtual clock that moves only when advanced (tests, accelerated runs); default wall time. */
  readonly virtualTime?: boolean;
  /** Virtual start: ISO time with offset, "YYYY-MM-DDTHH:mm" (New York) or "YYYY-MM-DD" (09:30 New York). */
  readonly startAt?: string;
  /** Path of a scenario file (scripted shocks). */
  readonly scenario?: string;
  readonly serverVersion?: 178 | 193;
  readonly account?: string;
  readonly logger?: Logger;
  /** Dollars in the account at start. */
  readonly startingCash?: number;
  /** Clock for the messages-per-second limit (default wall time). */
  readonly rateClockMs?: () => number;
  readonly limits?: Partial<SessionLimits>;
  /** Replay real daily closes (data/history CSVs or a directory like it) from this source date on. */
  readonly replay?: { readonly from: IsoDate; readonly dir?: string };
}

export interface RunningSimulator {
  readonly host: string;
  readonly port: number;
  readonly serverVersion: number;
  readonly seed: number;
  /** A VirtualClock when started with virtualTime. */
  readonly clock: SimClock | VirtualClock;
  readonly market: SimMarket & SimMarketControl;
  readonly venue: SimVenue & SimVenueControl;
  readonly faults: SessionFaults;
  readonly server: SimServer;
  /** Every connection drops, the venue restarts and order ids start over. */
  restartGateway(): void;
  close(): Promise<void>;
}

export async function startSimulator(opts: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const logger = opts.logger ?? silentLogger;
  const seed = opts.seed ?? DEFAULT_SIM_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new IronvixError('E_USAGE', `seed must be a non-negative integer, got ${seed}`);
  const serverVersion = opts.serverVersion ?? 178;
  if (opts.startAt !== undefined && opts.virtualTime !== true) {
    throw new IronvixError('E_USAGE', 'a start time needs virtual time (the real clock starts now)');
  }
  const clock: SimClock | VirtualClock =
    opts.virtualTime === true
      ? createVirtualClock(opts.startAt === undefined ? Date.now() : parseStartAt(opts.startAt))
      : createRealClock();
  const calendar = createNyseCalendar(loadCalendarData());
  const scenario = opts.scenario === undefined ? undefined : loadScenario(opts.scenario);
  const replay = opts.replay === undefined ? undefined : loadReplayDir(opts.replay.dir);
  const market = createSimMarket({
    seed,
    clock,
    calendar,
    ...(scenario !== undefined ? { scenario } : {}),
    ...(replay !== undefined && opts.replay !== undefined ? { replay, replayFrom: opts.replay.from } : {}),
  });
  const account = opts.account ?? DEFAULT_SIM_ACCOUNT;
  const venue = createSimVenue({
    market,
    clock,
    calendar,
    account,
    startingCash: opts.startingCash ?? DEFAULT_STARTING_CASH,
    seed,
  });
  const faults = new SessionFaults(seed);
  let server: SimServer;
  try {
    server = await startSimServer({
      market,
      venue,
      clock,
      logger,
      host: opts.host ?? SIM_HOST,
      port: opts.port ?? 0,
      serverVersion,
      faults,
      restartVenue: () => venue.restart(),
      ...(opts.rateClockMs !== undefined ? { rateClockMs: opts.rateClockMs } : {}),
      ...(opts.limits !== undefined ? { limits: opts.limits } : {}),
    });
  } catch (e) {
    venue.stop();
    market.stop();
    throw e;
  }
  logger.info('simulator started', {
    port: server.port,
    serverVersion,
    seed,
    account,
    virtualTime: clock.isVirtual,
    startAt: new Date(clock.nowMs()).toISOString(),
    ...(scenario !== undefined ? { scenario: scenario.name } : {}),
    ...(replay !== undefined ? { replay: replay.source, replayFrom: opts.replay?.from } : {}),
  });
  let closed = false;
  return {
    host: server.host,
    port: server.port,
    serverVersion,
    seed,
    clock,
    market,
    venue,
    faults,
    server,
    restartGateway: () => server.restartGateway(),
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      venue.stop();
      market.stop();
      logger.info('simulator stopped', { port: server.port });
    },
  };
}

/** Start time of a virtual clock; New York when no offset is written. */
export function parseStartAt(text: string): number {
  const t = text.trim();
  const zone = 'America/New_York';
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
  const dt = dateOnly
    ? DateTime.fromISO(`${t}T09:30:00`, { zone })
    : DateTime.fromISO(t, { zone, setZone: /([zZ]|[+-]\d{2}:?\d{2})$/.test(t) });
  if (!dt.isValid) {
    throw new IronvixError(
      'E_USAGE',
      `start time "${text}" is not an ISO date or time (2025-01-10 or 2025-01-10T10:00)`,
    );
  }
  return dt.toMillis();
}
