// A virtual clock that only moves when advanced: the tests, the accelerated simulator and the
// simulator's in-process users share this one. Scheduled callbacks run inside advance, in time order.
import type { ManualClock } from '../../ports/clock.ts';

interface Timer {
  readonly atMs: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** Binary min-heap ordered by (atMs, seq) so equal times run in scheduling order. */
class TimerHeap {
  private readonly items: Timer[] = [];

  liveCount(): number {
    let n = 0;
    for (const t of this.items) if (!t.cancelled) n++;
    return n;
  }

  peek(): Timer | undefined {
    return this.items[0];
  }

  /** The earliest live timer, dropping cancelled ones from the top. */
  peekLive(): Timer | undefined {
    while (this.items[0]?.cancelled === true) this.pop();
    return this.items[0];
  }

  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

/** Virtual time starting at startMs; callbacks run only inside advance(), in time order. */
export function createVirtualClock(startMs: number): ManualClock {
  let now = startMs;
  let seq = 0;
  let running = false;
  const heap = new TimerHeap();

  const advanceTo = (target: number): void => {
    if (running) throw new Error('virtual clock advanced from inside a scheduled callback');
    running = true;
    try {
      for (;;) {
        const next = heap.peek();
        if (next === undefined || next.atMs > target) break;
        heap.pop();
        if (next.cancelled) continue;
        // Never move backwards: a callback scheduled in the past runs at the current time.
        now = Math.max(now, next.atMs);
        next.fn();
      }
      now = Math.max(now, target);
    } finally {
      running = false;
    }
  };

  return {
    isVirtual: true,
    nowMs: () => now,
    schedule(atMs, fn) {
      const t: Timer = { atMs, seq: seq++, fn, cancelled: false };
      heap.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative duration, got ${ms}`);
      advanceTo(now + ms);
    },
    advanceTo,
    pending: () => heap.liveCount(),
    nextAtMs: () => heap.peekLive()?.atMs ?? null,
  };
}
