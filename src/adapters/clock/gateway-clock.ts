// A clock that follows the gateway's time (IRONVIX_CLOCK=gateway): it reads reqCurrentTime at start
// and every pollMs, and between readings advances with the monotonic clock. So a bot and a
// virtual-time simulator (which may jump ahead) share one time, and against a real gateway the bot
// runs on IB's time. It never goes back: a reading behind it holds it until the gateway catches up.
import type { BrokerResult } from '../../ports/broker.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';

/** IB's currentTime has whole seconds: a reading r means the gateway's time is in [r, r + 1 s). */
const READING_RESOLUTION_MS = 1_000;

export interface GatewayClockOptions {
  /** The gateway's time (BrokerPort.serverTimeMs). */
  readonly readGatewayMs: () => Promise<BrokerResult<number>>;
  /** Real timers for polling and waking scheduled callbacks; default the system clock's. */
  readonly timers: Clock;
  /** Monotonic milliseconds (default performance.now). */
  readonly monotonicMs?: () => number;
  /** Real milliseconds between readings; default 1000. */
  readonly pollMs?: number;
  readonly logger?: Logger;
}

export interface GatewayClock extends Clock {
  /** Reads the gateway's time now and runs what became due; false when the gateway did not answer. */
  sync(): Promise<boolean>;
  /** The first reading, then polling every pollMs until stop(). */
  start(): Promise<boolean>;
  stop(): void;
  /** Readings taken (for tests and status). */
  readonly readings: () => number;
}

interface Timer {
  readonly atMs: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export function createGatewayClock(opts: GatewayClockOptions): GatewayClock {
  const mono = opts.monotonicMs ?? (() => performance.now());
  const pollMs = opts.pollMs ?? 1_000;
  // Gateway time = base + (mono() - monoBase), never below the last time handed out.
  let base: number | null = null;
  let monoBase = 0;
  let last = Number.NEGATIVE_INFINITY;
  let seq = 0;
  let readings = 0;
  let timers: Timer[] = [];
  let wake: (() => void) | null = null;
  let poll: (() => void) | null = null;
  let stopped = false;
  let running = false;

  // Whole milliseconds, as every clock gives (the journal stores integer epoch ms).
  const estimate = (): number => {
    if (base === null) throw new Error('gateway clock read before its first reading (call start)');
    return Math.floor(base + (mono() - monoBase));
  };
  // Whole milliseconds, as every Clock: the monotonic clock has fractions, the journal stores integers.
  const nowMs = (): number => {
    last = Math.max(last, Math.floor(estimate()));
    return last;
  };

  const runDue = (): void => {
    if (running || base === null) return;
    running = true;
    try {
      for (;;) {
        const now = nowMs();
        const next = timers[0];
        if (next === undefined || next.atMs > now) break;
        timers.shift();
        if (!next.cancelled) next.fn();
      }
    } finally {
      running = false;
    }
    arm();
  };

  /** One real timer for the earliest callback; a reading may bring it closer, so never past a poll. */
  const arm = (): void => {
    wake?.();
    wake = null;
    timers = timers.filter((t) => !t.cancelled);
    const next = timers[0];
    if (next === undefined || base === null || stopped) return;
    const delay = Math.min(Math.max(0, next.atMs - nowMs()), pollMs);
    wake = opts.timers.schedule(opts.timers.nowMs() + delay, () => {
      wake = null;
      runDue();
    });
  };

  const sync = async (): Promise<boolean> => {
    const r = await opts.readGatewayMs();
    if (!r.ok) {
      opts.logger?.debug('gateway clock: no reading, running on the monotonic clock', {
        reason: r.error.text,
      });
      return false;
    }
    readings += 1;
    const at = mono();
    const reading = r.value;
    if (base === null) {
      // Mid-second: the reading is whole seconds.
      base = reading + READING_RESOLUTION_MS / 2;
      monoBase = at;
    } else {
      const e = base + (at - monoBase);
      // Keep the running estimate while the reading agrees with it; otherwise take the nearest bound.
      if (e < reading || e >= reading + READING_RESOLUTION_MS) {
        base = e < reading ? reading : reading + READING_RESOLUTION_MS - 1;
        monoBase = at;
      }
    }
    runDue();
    return true;
  };

  const schedulePoll = (): void => {
    if (stopped) return;
    poll = opts.timers.schedule(opts.timers.nowMs() + pollMs, () => {
      poll = null;
      void sync().finally(schedulePoll);
    });
  };

  return {
    isVirtual: false,
    nowMs,
    schedule(atMs, fn) {
      const t: Timer = { atMs, seq: seq++, fn, cancelled: false };
      const i = timers.findIndex((x) => x.atMs > atMs);
      if (i === -1) timers.push(t);
      else timers.splice(i, 0, t);
      if (base !== null && !running) arm();
      return () => {
        t.cancelled = true;
      };
    },
    sync,
    async start() {
      const first = await sync();
      if (first) schedulePoll();
      return first;
    },
    stop() {
      stopped = true;
      poll?.();
      poll = null;
      wake?.();
      wake = null;
    },
    readings: () => readings,
  };
}
