// Wall-clock time for production runs and the real-time simulator.
import type { Clock } from '../../ports/clock.ts';

/** setTimeout holds at most ~24.8 days; longer waits re-arm in chunks. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** The system clock; timers are unref'd so a forgotten schedule never keeps the process alive. */
export function createSystemClock(): Clock {
  return {
    isVirtual: false,
    nowMs: () => Date.now(),
    schedule(atMs, fn) {
      let handle: NodeJS.Timeout | undefined;
      let cancelled = false;
      const arm = (): void => {
        const delay = Math.max(0, atMs - Date.now());
        handle = setTimeout(
          () => {
            if (cancelled) return;
            if (Date.now() < atMs) arm();
            else fn();
          },
          Math.min(delay, MAX_DELAY_MS),
        );
        handle.unref();
      };
      arm();
      return () => {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      };
    },
  };
}
