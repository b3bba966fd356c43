// Composition of the IB Gateway simulator from what its starter hands it (logger, calendar, clock,
// a parsed scenario and replay data): market model, venue and the wire server on 127.0.0.1. The
// simulator reads no files and picks no clock; src/cli/wiring/simulator.ts does that.
import type { TradingCalendar } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { SimMarket, SimVenue } from './engine-api.ts';
import { createSimMarket } from './market/market.ts';
import type { SimMarketControl } from './market/market.ts';
import type { SimScenario } from './market/scenario.ts';
import type { ReplaySeries } from './market/replay.ts';
import { createSimVenue } from './venue/venue.ts';
import type { SimVenueControl } from './venue/venue.ts';
import { SIM_HOST, startSimServer } from './server.ts';
import type { SimServer } from './server.ts';
import { SimFaults } from './faults.ts';
import type { SessionLimits } from './session.ts';

export const DEFAULT_SIM_ACCOUNT = 'DU1234567';
export const DEFAULT_SIM_SEED = 42;
export const DEFAULT_STARTING_CASH = 100_000;

export interface StartSimulatorOptions<C extends Clock = Clock> {
  readonly logger: Logger;
  readonly calendar: TradingCalendar;
  /** The simulator's time: a ManualClock for tests and accelerated runs, the system clock otherwise. */
  readonly clock: C;
  readonly host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly seed?: number;
  /** Scripted shocks (src/config/scenario-file.ts parses them). */
  readonly scenario?: SimScenario;
  readonly serverVersion?: 178 | 193;
  readonly account?: string;
  /** Dollars in the account at start. */
  readonly startingCash?: number;
  /** Clock for the messages-per-second limit (default wall time). */
  readonly rateClockMs?: () => number;
  /** Wall-time clock of the connection guards (half-sent frames, setup); default wall-time timers. */
  readonly guardClock?: Clock;
  readonly limits?: Partial<SessionLimits>;
  /** Replay real daily closes from this source date on (checked by the starter: a bad start is a bug here). */
  readonly replay?: { readonly series: ReplaySeries; readonly from: IsoDate };
}

export interface RunningSimulator<C extends Clock = Clock> {
  readonly host: string;
  readonly port: number;
  readonly serverVersion: number;
  readonly seed: number;
  readonly clock: C;
  readonly calendar: TradingCalendar;
  readonly market: SimMarket & SimMarketControl;
  readonly venue: SimVenue & SimVenueControl;
  readonly faults: SimFaults;
  readonly server: SimServer;
  /** Every connection drops, the venue restarts and order ids start over. */
  restartGateway(): void;
  close(): Promise<void>;
}

/** The simulator's engine without its wire server: market, venue and the fault catalogue. */
export interface SimEngine<C extends Clock = Clock> {
  readonly seed: number;
  readonly clock: C;
  readonly calendar: TradingCalendar;
  readonly market: SimMarket & SimMarketControl;
  readonly venue: SimVenue & SimVenueControl;
  readonly faults: SimFaults;
  /** Stops the market's stepping and the venue's listening. */
  stop(): void;
}

export type SimEngineOptions<C extends Clock = Clock> = Pick<
  StartSimulatorOptions<C>,
  'calendar' | 'clock' | 'seed' | 'scenario' | 'account' | 'startingCash' | 'replay'
>;

/** Builds the market model and the venue on the given clock (in-process users need no server). */
export function createSimEngine<C extends Clock>(opts: SimEngineOptions<C>): SimEngine<C> {
  const { clock, calendar } = opts;
  const seed = opts.seed ?? DEFAULT_SIM_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const { scenario, replay } = opts;
  const market = createSimMarket({
    seed,
    clock,
    calendar,
    ...(scenario !== undefined ? { scenario } : {}),
    ...(replay !== undefined ? { replay: replay.series, replayFrom: replay.from } : {}),
  });
  const faults = new SimFaults(seed);
  const venue = createSimVenue({
    faults,
    market,
    clock,
    calendar,
    account: opts.account ?? DEFAULT_SIM_ACCOUNT,
    startingCash: opts.startingCash ?? DEFAULT_STARTING_CASH,
    seed,
  });
  return {
    seed,
    clock,
    calendar,
    market,
    venue,
    faults,
    stop() {
      venue.stop();
      market.stop();
    },
  };
}

export async function startSimulator<C extends Clock>(
  opts: StartSimulatorOptions<C>,
): Promise<RunningSimulator<C>> {
  const { logger, clock } = opts;
  const engine = createSimEngine(opts);
  const { seed, market, venue, faults } = engine;
  const serverVersion = opts.serverVersion ?? 178;
  const { scenario, replay } = opts;
  const account = venue.account;
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
      ...(opts.guardClock !== undefined ? { guardClock: opts.guardClock } : {}),
      ...(opts.limits !== undefined ? { limits: opts.limits } : {}),
    });
  } catch (e) {
    engine.stop();
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
    ...(replay !== undefined ? { replay: replay.series.source, replayFrom: replay.from } : {}),
  });
  let closed = false;
  return {
    host: server.host,
    port: server.port,
    serverVersion,
    seed,
    clock,
    calendar: engine.calendar,
    market,
    venue,
    faults,
    server,
    restartGateway: () => server.restartGateway(),
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      engine.stop();
      logger.info('simulator stopped', { port: server.port });
    },
  };
}
