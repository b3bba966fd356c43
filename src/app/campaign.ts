// A campaign: the daily service (app/daemon.ts, the same code as `ironvix daemon`) run against a
// simulator in virtual time for N trading days, through the real executor over TCP. Virtual time
// moves as a discrete-event simulation: when the wire is quiet (no message crossed it and no
// request is open since the last look) the clock jumps to its next scheduled callback (a market
// step, a ladder step, the daemon's next point); while a snapshot is captured it stands still, as
// with `run --once --mode sim`. So days of cycles run in seconds and the bot meets the same market
// it would at that speed in real time.
import type { TradingCalendar } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type { ManualClock } from '../ports/clock.ts';
import type { CycleSlot, Daemon, DaemonSettings } from './daemon.ts';
import { nextCycleSlot } from './daemon.ts';

/** What the driver watches on the wire between the bot and the simulator. */
export interface WireActivity {
  /** Changes whenever a message crosses the wire or a request is opened, queued or answered. */
  signature(): string;
  /** Whether a gateway session is open (without one nothing can be in flight). */
  connected(): boolean;
  /** Whether the bot awaits an answer (a send, a report, a quote): time must not move. */
  busy(): boolean;
}

export interface DriveOptions {
  readonly clock: ManualClock;
  readonly wire: WireActivity;
  /** True while virtual time must stand still (a snapshot being captured). */
  readonly holdTime: () => boolean;
  /** The drive ends once this is true (checked after every step). */
  readonly done: () => boolean;
  /** The longest single jump now (default 1 h). */
  readonly maxJumpMs?: () => number;
  /** Told the clock after every jump. */
  readonly onAdvance?: (nowMs: number) => void;
}

const DEFAULT_MAX_JUMP_MS = 3_600_000;
const QUIET_LOOKS = 2;

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const realTick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Lets the process run until nothing is awaited and the wire has been still for QUIET_LOOKS looks;
 * each look waits a timer turn too, so work a library deferred with setTimeout(0) runs first.
 */
async function quiet(wire: WireActivity): Promise<void> {
  await turn();
  if (!wire.connected()) {
    await turn();
    return;
  }
  let calm = 0;
  let last = wire.signature();
  while (calm < QUIET_LOOKS) {
    await realTick();
    // Loopback data written before a turn is read in that turn's poll phase.
    await turn();
    const now = wire.signature();
    calm = now === last && !wire.busy() ? calm + 1 : 0;
    last = now;
  }
}

/** Drives virtual time until done(); throws when nothing is scheduled (nobody waits on the clock). */
export async function driveVirtualTime(o: DriveOptions): Promise<void> {
  while (!o.done()) {
    await quiet(o.wire);
    if (o.done()) return;
    if (o.holdTime()) {
      await realTick();
      continue;
    }
    const next = o.clock.nextAtMs();
    if (next === null) throw new Error('virtual time: nothing is scheduled, so nothing would ever happen');
    const maxJump = Math.min(o.maxJumpMs?.() ?? DEFAULT_MAX_JUMP_MS, DEFAULT_MAX_JUMP_MS);
    o.clock.advanceTo(Math.min(Math.max(next, o.clock.nowMs()), o.clock.nowMs() + maxJump));
    o.onAdvance?.(o.clock.nowMs());
  }
}

/** The cycle points whose entry time lies in [startMs, untilMs) (a daemon's virtual run). */
export function slotsUntil(
  calendar: TradingCalendar,
  startMs: number,
  untilMs: number,
  settings: Pick<DaemonSettings, 'entry' | 'planMinutes' | 'maxLateMinutes'>,
): CycleSlot[] {
  const out: CycleSlot[] = [];
  for (let s = nextCycleSlot(calendar, startMs, settings); s.entryAtMs < untilMs;) {
    out.push(s);
    s = nextCycleSlot(calendar, s.lastStartAtMs + 1, settings);
  }
  return out;
}

/** The N cycle points a campaign starting at startMs runs: the first N trading days not yet past. */
export function campaignSlots(
  calendar: TradingCalendar,
  startMs: number,
  days: number,
  settings: Pick<DaemonSettings, 'entry' | 'planMinutes' | 'maxLateMinutes'>,
): CycleSlot[] {
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`days must be a whole number >= 1, got ${days}`);
  const out: CycleSlot[] = [nextCycleSlot(calendar, startMs, settings)];
  while (out.length < days) {
    const last = out[out.length - 1]!;
    out.push(nextCycleSlot(calendar, last.lastStartAtMs + 1, settings));
  }
  return out;
}

export interface CampaignProgress {
  /** Cycle points passed so far (0..total). */
  readonly day: number;
  readonly total: number;
  readonly nowMs: number;
}

export interface CampaignRun {
  readonly clock: ManualClock;
  readonly calendar: TradingCalendar;
  readonly wire: WireActivity;
  readonly daemon: Daemon;
  readonly slots: readonly CycleSlot[];
  /** True while virtual time must stand still (a snapshot being captured). */
  readonly holdTime: () => boolean;
  /** The longest single jump now (a plan executing moves in small steps). */
  readonly maxJumpMs?: () => number;
  /** The trading day of the last settlement point passed (the daemon's settle hook tells it). */
  readonly settledThrough: () => IsoDate | null;
  readonly onProgress?: (p: CampaignProgress) => void;
  /** End at this virtual time instead of after the last condor's settlement. */
  readonly untilMs?: number;
}

/**
 * Runs the daemon until every cycle point has passed and the last condor has settled (the
 * settlement point of the trading day after the last cycle), then stops it.
 */
export async function runCampaign(c: CampaignRun): Promise<void> {
  const last = c.slots[c.slots.length - 1];
  if (last === undefined && c.untilMs === undefined)
    throw new RangeError('a campaign needs at least one day');
  const finalDate = last === undefined ? null : c.calendar.nextTradingDay(last.cycleDate);
  let ended = false;
  const result: { failure: Error | null } = { failure: null };
  const running = c.daemon.run().then(
    () => {
      ended = true;
    },
    (e: unknown) => {
      ended = true;
      result.failure = e instanceof Error ? e : new Error(String(e));
    },
  );
  let day = 0;
  const progress = (nowMs: number): void => {
    const before = day;
    while (day < c.slots.length && c.slots[day]!.entryAtMs <= nowMs) day++;
    if (day !== before || before === 0) c.onProgress?.({ day, total: c.slots.length, nowMs });
  };
  progress(c.clock.nowMs());
  try {
    await driveVirtualTime({
      clock: c.clock,
      wire: c.wire,
      holdTime: c.holdTime,
      maxJumpMs: () => {
        const step = c.maxJumpMs?.() ?? Number.POSITIVE_INFINITY;
        return c.untilMs === undefined ? step : Math.min(step, Math.max(0, c.untilMs - c.clock.nowMs()));
      },
      done: () => {
        if (ended) return true;
        if (c.untilMs !== undefined) return c.clock.nowMs() >= c.untilMs;
        const s = c.settledThrough();
        return s !== null && finalDate !== null && s >= finalDate;
      },
      onAdvance: progress,
    });
  } finally {
    c.daemon.stop();
    // A cycle in flight finishes first, and it needs the clock to move.
    await driveVirtualTime({ clock: c.clock, wire: c.wire, holdTime: c.holdTime, done: () => ended }).catch(
      () => undefined,
    );
    await running;
  }
  if (result.failure !== null) throw result.failure;
}
