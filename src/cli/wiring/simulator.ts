// Builds a ready IB Gateway simulator from options: reads the calendar data, the scenario file and the
// replay CSVs, picks the clock (virtual or system) and hands all of it to startSimulator. Used by
// `ironvix sim`, the demo and the tests.
import { DateTime } from 'luxon';
import { createVirtualClock } from '../../adapters/clock/virtual-clock.ts';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import { silentLogger } from '../../adapters/log/silent-logger.ts';
import { loadCalendarData } from '../../config/calendar-file.ts';
import { checkReplayRange, checkReplayStart, loadReplayDir } from '../../config/replay-file.ts';
import { loadScenario } from '../../config/scenario-file.ts';
import type { TradingCalendar } from '../../domain/calendar.ts';
import { createNyseCalendar } from '../../domain/calendar.ts';
import type { IsoDate } from '../../domain/instruments.ts';
import { IronvixError } from '../../errors.ts';
import type { Clock, ManualClock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { SimScenario } from '../../sim/market/scenario.ts';
import { DEFAULT_SIM_SEED, createSimEngine, startSimulator } from '../../sim/simulator.ts';
import type {
  RunningSimulator,
  SimEngine,
  SimEngineOptions,
  StartSimulatorOptions,
} from '../../sim/simulator.ts';

export interface SimulatorSetup extends Omit<
  StartSimulatorOptions,
  'logger' | 'calendar' | 'clock' | 'scenario' | 'replay'
> {
  /** A virtual clock that moves only when advanced (tests, accelerated runs); default wall time. */
  readonly virtualTime?: boolean;
  /** Virtual start: ISO time with offset, "YYYY-MM-DDTHH:mm" (New York) or "YYYY-MM-DD" (09:30 New York). */
  readonly startAt?: string;
  /** A scenario file (scripted shocks), or an already parsed scenario. */
  readonly scenario?: string | SimScenario;
  /**
   * Replay real daily closes (data/history CSVs or a directory like it) from this source date on;
   * with `sessions`, that many sessions must lie inside the data.
   */
  readonly replay?: { readonly from: IsoDate; readonly dir?: string; readonly sessions?: number };
  readonly logger?: Logger;
  /** Default: the NYSE calendar from data/calendar/nyse.json. */
  readonly calendar?: TradingCalendar;
}

let nyse: TradingCalendar | null = null;

/** The shipped NYSE calendar, read once per process. */
/**
 * A simulator this process starts for itself (demo, run --once --mode sim, campaigns) enforces no IB
 * pacing: it is ours and on this machine, and IB's pacing would make a capture take real seconds.
 */
export const IN_PROCESS_SIM_LIMITS = { maxMessagesPerSecond: 1_000_000, maxMarketDataLines: 1_000_000 };

export function simCalendar(): TradingCalendar {
  nyse ??= createNyseCalendar(loadCalendarData());
  return nyse;
}

/** Starts a simulator with a virtual (manual) clock. */
export function launchSimulator(
  setup: SimulatorSetup & { readonly virtualTime: true },
): Promise<RunningSimulator<ManualClock>>;
export function launchSimulator(setup?: SimulatorSetup): Promise<RunningSimulator>;
export async function launchSimulator(setup: SimulatorSetup = {}): Promise<RunningSimulator> {
  const { virtualTime: _v, startAt: _s, scenario: _sc, replay: _r, logger, calendar: _c, ...rest } = setup;
  return startSimulator({ ...rest, ...resolveSetup(setup), logger: logger ?? silentLogger });
}

/** The simulator's market and venue in-process, without the wire server (the memory adapters' engine). */
export function launchSimEngine(
  setup: SimulatorSetup & { readonly virtualTime: true },
): SimEngine<ManualClock>;
export function launchSimEngine(setup?: SimulatorSetup): SimEngine;
export function launchSimEngine(setup: SimulatorSetup = {}): SimEngine {
  return createSimEngine({
    ...resolveSetup(setup),
    ...(setup.account !== undefined ? { account: setup.account } : {}),
    ...(setup.startingCash !== undefined ? { startingCash: setup.startingCash } : {}),
  });
}

/** Reads the files a setup names and picks its clock; user errors are IronvixErrors. */
function resolveSetup(setup: SimulatorSetup): SimEngineOptions & {
  readonly seed: number;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
} {
  const seed = setup.seed ?? DEFAULT_SIM_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new IronvixError('E_USAGE', `seed must be a non-negative integer, got ${seed}`);
  if (setup.startAt !== undefined && setup.virtualTime !== true) {
    throw new IronvixError('E_USAGE', 'a start time needs virtual time (the real clock starts now)');
  }
  const clock: Clock =
    setup.virtualTime === true
      ? createVirtualClock(setup.startAt === undefined ? Date.now() : parseStartAt(setup.startAt))
      : createSystemClock();
  const scenario = typeof setup.scenario === 'string' ? loadScenario(setup.scenario) : setup.scenario;
  const replay =
    setup.replay === undefined
      ? undefined
      : { series: loadReplayDir(setup.replay.dir), from: setup.replay.from };
  if (replay !== undefined) {
    const sessions = setup.replay?.sessions;
    if (sessions === undefined) checkReplayStart(replay.series, replay.from);
    else checkReplayRange(replay.series, replay.from, sessions);
  }
  return {
    seed,
    clock,
    calendar: setup.calendar ?? simCalendar(),
    ...(scenario !== undefined ? { scenario } : {}),
    ...(replay !== undefined ? { replay } : {}),
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
