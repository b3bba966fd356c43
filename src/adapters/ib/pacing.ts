// IB's pacing rules as bottleneck lanes, so a run never earns a 100, 101, 162 or 420 (docs/ib-notes.md §3):
// every message goes through one wire lane spaced evenly (IB counts messages per second, with a
// headroom under its 50), orders jump the queue, historical requests keep a token budget under 60 per
// 10 minutes with no identical request within 15 s and at most 5 per contract in 2 s, and market
// data requests hold one of a bounded number of lines while they run. Bottleneck works on wall time,
// as IB does.
import Bottleneck from 'bottleneck';

export interface PacingLimits {
  /** Messages per second to the gateway, all kinds together (IB rejects above 50). */
  readonly messagesPerSecond: number;
  /** Of those, order messages (place, modify, cancel) per second. */
  readonly orderMessagesPerSecond: number;
  /** Historical data requests in any window of `historicalWindowMs` (IB: 60 per 10 minutes). */
  readonly historicalRequests: number;
  readonly historicalWindowMs: number;
  /** Least time between two identical historical requests (IB: 15 s). */
  readonly identicalHistoricalGapMs: number;
  /** Least time between two historical requests for one contract (IB: at most 5 in 2 s). */
  readonly historicalPerContractGapMs: number;
  /** Market data requests running at once (IB: 100 lines by default). */
  readonly marketDataLines: number;
}

/** IB's limits with headroom: never a pacing error. */
export const IB_PACING_LIMITS: PacingLimits = {
  messagesPerSecond: 45,
  orderMessagesPerSecond: 40,
  historicalRequests: 58,
  historicalWindowMs: 600_000,
  identicalHistoricalGapMs: 16_000,
  historicalPerContractGapMs: 450,
  marketDataLines: 90,
};

/** No pacing at all: for tests against a simulator whose own limits are lifted too. */
export const LIFTED_PACING_LIMITS: PacingLimits = {
  messagesPerSecond: Number.POSITIVE_INFINITY,
  orderMessagesPerSecond: Number.POSITIVE_INFINITY,
  historicalRequests: Number.POSITIVE_INFINITY,
  historicalWindowMs: 600_000,
  identicalHistoricalGapMs: 0,
  historicalPerContractGapMs: 0,
  marketDataLines: Number.POSITIVE_INFINITY,
};

/** Which queue a message waits in; lower lanes go first when several wait. */
export type Lane = 'order' | 'control' | 'history' | 'data';

const PRIORITY: Readonly<Record<Lane, number>> = { order: 0, control: 2, history: 3, data: 5 };

/** What the lanes let through, for benchmarks and the pacing figure. */
export interface PacingStats {
  readonly messages: number;
  /** Most messages sent in any one-second window. */
  readonly maxMessagesInAnySecond: number;
  readonly historicalRequests: number;
  /** Most historical requests sent in any window of `historicalWindowMs`. */
  readonly maxHistoricalInAnyWindow: number;
}

/** Counts events and the most of them in any sliding window. */
class WindowCounter {
  private readonly times: number[] = [];
  total = 0;
  max = 0;

  constructor(private readonly windowMs: number) {}

  add(atMs: number): void {
    this.total++;
    this.times.push(atMs);
    while (this.times.length > 0 && (this.times[0] ?? 0) <= atMs - this.windowMs) this.times.shift();
    this.max = Math.max(this.max, this.times.length);
  }
}

const finite = (n: number): number | null => (Number.isFinite(n) && n > 0 ? n : null);

interface Lanes {
  readonly wire: Bottleneck;
  readonly historyBudget: Bottleneck;
  readonly identical: Bottleneck.Group;
  readonly perContract: Bottleneck.Group;
  readonly lines: Bottleneck;
}

export class Pacing {
  private lanes: Lanes;
  private readonly sent: WindowCounter;
  private readonly historical: WindowCounter;
  private lastSentMs = Number.NEGATIVE_INFINITY;
  private lastOrderMs = Number.NEGATIVE_INFINITY;
  /** Which lanes have no limit at all (LIFTED_PACING_LIMITS): those skip the limiters. */
  private readonly unpaced: { readonly wire: boolean; readonly history: boolean; readonly lines: boolean };

  constructor(
    readonly limits: PacingLimits = IB_PACING_LIMITS,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.sent = new WindowCounter(1000);
    this.historical = new WindowCounter(limits.historicalWindowMs);
    this.unpaced = {
      wire: finite(limits.messagesPerSecond) === null && finite(limits.orderMessagesPerSecond) === null,
      history:
        finite(limits.historicalRequests) === null &&
        limits.identicalHistoricalGapMs <= 0 &&
        limits.historicalPerContractGapMs <= 0,
      lines: finite(limits.marketDataLines) === null,
    };
    this.lanes = this.build();
  }

  /**
   * Sends one message through the lanes; resolves with what `send` returned, or null when the lanes
   * were reset before it ran (the message was never sent). `send` decides at the last moment whether
   * the link still allows it.
   */
  async message<T>(lane: Lane, send: () => T): Promise<T | null> {
    // Nothing to pace (a simulator of our own): straight to the wire, no limiter turns (~3 ms each).
    if (this.unpaced.wire) {
      this.sent.add(this.nowMs());
      return Promise.resolve(send());
    }
    const l = this.lanes;
    const onWire = (): Promise<T> =>
      l.wire.schedule({ priority: PRIORITY[lane] }, async () => {
        await this.spaceOut(lane);
        this.sent.add(this.nowMs());
        return send();
      });
    try {
      return await onWire();
    } catch (e) {
      if (isDropped(e)) return null;
      throw e;
    }
  }

  /**
   * A historical data request: waits for the budget and the identical/per-contract gaps, then sends.
   * `identicalKey` names the request's every parameter; `contractKey` its contract and data type.
   */
  async historicalRequest<T>(identicalKey: string, contractKey: string, send: () => T): Promise<T | null> {
    if (this.unpaced.history) return this.historicalSend(send);
    const l = this.lanes;
    try {
      return await l.identical
        .key(identicalKey)
        .schedule(() =>
          l.perContract
            .key(contractKey)
            .schedule(() => l.historyBudget.schedule(() => this.historicalSend(send))),
        );
    } catch (e) {
      if (isDropped(e)) return null;
      throw e;
    }
  }

  /** Runs a market data request while holding one line; null when the lanes were reset first. */
  async withLine<T>(run: () => Promise<T>): Promise<T | null> {
    if (this.unpaced.lines) return run();
    try {
      return await this.lanes.lines.schedule(run);
    } catch (e) {
      if (isDropped(e)) return null;
      throw e;
    }
  }

  /** Messages waiting for their turn on the wire. */
  waiting(): number {
    return this.lanes.wire.counts().QUEUED;
  }

  stats(): PacingStats {
    return {
      messages: this.sent.total,
      maxMessagesInAnySecond: this.sent.max,
      historicalRequests: this.historical.total,
      maxHistoricalInAnyWindow: this.historical.max,
    };
  }

  /** Drops every waiting message (they resolve null: never sent) and starts with fresh lanes. */
  async reset(): Promise<void> {
    const old = this.lanes;
    this.lanes = this.build();
    await stopLanes(old);
  }

  /** Drops every waiting message and stops the lanes' timers. */
  async close(): Promise<void> {
    await stopLanes(this.lanes);
  }

  /** Waits until the last message (and, for orders, the last order message) is a full gap behind. */
  private async spaceOut(lane: Lane): Promise<void> {
    const gap = spacingMs(finite(this.limits.messagesPerSecond));
    const orderGap = lane === 'order' ? spacingMs(finite(this.limits.orderMessagesPerSecond)) : 0;
    for (;;) {
      const now = this.nowMs();
      const wait = Math.max(this.lastSentMs + gap - now, this.lastOrderMs + orderGap - now);
      if (wait <= 0) break;
      await new Promise((r) => setTimeout(r, Math.ceil(wait)));
    }
    const now = this.nowMs();
    this.lastSentMs = now;
    if (lane === 'order') this.lastOrderMs = now;
  }

  private async historicalSend<T>(send: () => T): Promise<T | null> {
    const r = await this.message('history', () => {
      this.historical.add(this.nowMs());
      return send();
    });
    return r;
  }

  private build(): Lanes {
    const lim = this.limits;
    const perSecond = finite(lim.messagesPerSecond);
    const budget = finite(lim.historicalRequests);
    // A token bucket: half the budget at once, the other half refilled evenly over the window, so no
    // sliding window ever sees more than the budget.
    const burst = budget === null ? null : Math.max(1, Math.floor(budget / 2));
    const refillMs =
      budget === null || burst === null
        ? null
        : Math.ceil(lim.historicalWindowMs / Math.max(1, budget - burst));
    return {
      // One at a time; spaceOut() measures the gap from the previous send itself, because bottleneck's
      // minTime counts from when a job was scheduled and lets late jobs catch up in a burst.
      wire: new Bottleneck({ maxConcurrent: perSecond === null ? null : 1 }),
      historyBudget:
        burst === null || refillMs === null
          ? new Bottleneck({})
          : new Bottleneck({
              reservoir: burst,
              reservoirIncreaseAmount: 1,
              reservoirIncreaseInterval: refillMs,
              reservoirIncreaseMaximum: burst,
            }),
      identical: new Bottleneck.Group({
        maxConcurrent: 1,
        minTime: Math.max(0, lim.identicalHistoricalGapMs),
      }),
      perContract: new Bottleneck.Group({
        maxConcurrent: 1,
        minTime: Math.max(0, lim.historicalPerContractGapMs),
      }),
      lines: new Bottleneck({ maxConcurrent: finite(lim.marketDataLines) }),
    };
  }
}

/**
 * Gap between two messages for a rate per second. The extra millisecond absorbs timer jitter (timers
 * fire on whole milliseconds), so no sliding second ever holds more than the rate.
 */
export function spacingMs(perSecond: number | null): number {
  return perSecond === null ? 0 : Math.ceil(1000 / perSecond) + 1;
}

const DROPPED = 'ironvix: pacing lanes reset';

function isDropped(e: unknown): boolean {
  return e instanceof Error && (e.message === DROPPED || e.message.includes('has been stopped'));
}

async function stopLanes(l: Lanes): Promise<void> {
  const opts = { dropWaitingJobs: true, dropErrorMessage: DROPPED, enqueueErrorMessage: DROPPED };
  const groups = [l.identical, l.perContract];
  const limiters = [
    l.wire,
    l.historyBudget,
    l.lines,
    ...groups.flatMap((g) => g.limiters().map((p) => p.limiter)),
  ];
  await Promise.allSettled(limiters.map((x) => x.stop(opts)));
  for (const g of groups) for (const { key } of g.limiters()) await g.deleteKey(key);
  // A Group's stale-key sweep is a setInterval nothing public clears: without this every closed
  // session (the daemon opens one per cycle point) would leave its two groups alive for good.
  for (const g of groups)
    clearInterval((g as unknown as { interval?: ReturnType<typeof setInterval> }).interval);
}
