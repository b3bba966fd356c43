// Time as a port: the system clock in production, a virtual clock in tests and accelerated runs,
// a clock that follows the gateway's time when the bot and a virtual-time simulator must agree.
// Implementations live in src/adapters/clock; the simulator is handed one by whoever starts it.

export interface Clock {
  /** True when time moves only when something advances it (tests, accelerated simulator runs). */
  readonly isVirtual: boolean;
  /** Epoch milliseconds, a whole number. */
  nowMs(): number;
  /**
   * Run fn once the clock reaches atMs (virtual: when advanced past it; a time in the past runs at
   * the next opportunity). Returns a function that cancels the callback.
   */
  schedule(atMs: number, fn: () => void): () => void;
}

/** A clock that only moves when told to. Callbacks run inside advance, in time order. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  /** Advance to an absolute time (no-op when it is in the past). */
  advanceTo(atMs: number): void;
  /** Number of callbacks still scheduled. */
  pending(): number;
  /** When the earliest scheduled callback is due, or null when none is (discrete-event runs jump there). */
  nextAtMs(): number | null;
}

/** Resolves once the clock reaches atMs (a time in the past resolves at the next opportunity). */
export function sleepUntil(clock: Clock, atMs: number): Promise<void> {
  return new Promise((resolve) => {
    clock.schedule(atMs, resolve);
  });
}
