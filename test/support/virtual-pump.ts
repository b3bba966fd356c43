// Runs a bot against a virtual-time simulator at the speed of the wire: virtual time moves only
// while nothing is in flight (no port call pending, the IB client idle, the wire quiet), and then
// straight to the next timer of the bot. Shared by the execute benchmark and the crash suite.
import { setImmediate as tick } from 'node:timers/promises';
import type { Clock, ManualClock } from '../../src/ports/clock.ts';

/** Calls of a port not yet answered. */
export interface Pending {
  n: number;
}

/** Counts calls of a port not yet answered. */
export function counted<T extends object>(target: T, pending: Pending): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const v: unknown = Reflect.get(t, prop, receiver);
      if (typeof v !== 'function') return v;
      const f = v as (...a: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const r = f.apply(t, args);
        if (!(r instanceof Promise)) return r;
        pending.n++;
        return r.finally(() => {
          pending.n--;
        });
      };
    },
  });
}

/** The sim's clock for the bot, remembering its timers so idle time can jump to the next. */
export function trackedClock(clock: ManualClock): { clock: Clock; nextAt: () => number | null } {
  const timers = new Set<{ atMs: number }>();
  return {
    clock: {
      isVirtual: true,
      nowMs: () => clock.nowMs(),
      schedule(atMs, fn) {
        const t = { atMs };
        timers.add(t);
        const cancel = clock.schedule(atMs, () => {
          timers.delete(t);
          fn();
        });
        return () => {
          timers.delete(t);
          cancel();
        };
      },
    },
    nextAt: () => (timers.size === 0 ? null : Math.min(...[...timers].map((t) => t.atMs))),
  };
}

export interface PumpOptions {
  readonly clock: ManualClock;
  /** The bot's next timer (trackedClock's nextAt). */
  readonly nextAt: () => number | null;
  /** True when nothing is in flight. */
  readonly quiet: () => boolean;
  readonly done: () => boolean;
  /** Virtual time after which the run is a failure. */
  readonly budgetMs?: number;
  /** Virtual step when the bot has no timer. */
  readonly idleStepMs?: number;
}

/** Moves virtual time whenever the bot is idle, until `done`. */
export async function pumpVirtualTime(o: PumpOptions): Promise<void> {
  const start = o.clock.nowMs();
  const budgetMs = o.budgetMs ?? 60 * 60_000;
  while (!o.done()) {
    await tick();
    await tick();
    if (!o.quiet()) {
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    if (o.clock.nowMs() - start > budgetMs)
      throw new Error('the run did not end within its virtual time budget');
    const next = o.nextAt();
    if (next === null || next <= o.clock.nowMs())
      o.clock.advance(next === null ? (o.idleStepMs ?? 1_000) : 0);
    else o.clock.advanceTo(next);
  }
}
