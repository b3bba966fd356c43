// Snapshot capture (issue 8): through the IB adapter over TCP to the simulator vs in-process
// (createMemoryMarketData over the same running simulator): wall time and the TWS messages each
// way, counted by a relay on the wire. And the pacing figure: a capture under IB's real limits
// (IB_PACING_LIMITS, simulator enforcing IB's 50 msg/s), measured on the wire, not by the limiter.
import { createSystemClock } from '../src/adapters/clock/system-clock.ts';
import { createIbClient } from '../src/adapters/ib/ib-client.ts';
import { createIbMarketData } from '../src/adapters/ib/ib-market-data.ts';
import type { PacingLimits } from '../src/adapters/ib/pacing.ts';
import { IB_PACING_LIMITS, LIFTED_PACING_LIMITS } from '../src/adapters/ib/pacing.ts';
import { silentLogger } from '../src/adapters/log/silent-logger.ts';
import { createMemoryMarketData } from '../src/adapters/memory/memory-market-data.ts';
import type { CaptureOptions } from '../src/app/capture-snapshot.ts';
import { captureSnapshot } from '../src/app/capture-snapshot.ts';
import { simCalendar } from '../src/cli/wiring/simulator.ts';
import type { MarketDataQuery } from '../src/ports/market-data.ts';
import { ClientMsg } from '../src/sim/protocol/message-ids.ts';
import type { WireFrame, WireStats } from '../test/support/tcp-proxy.ts';
import { startTcpProxy } from '../test/support/tcp-proxy.ts';
import type { TestSim } from '../test/support/sim-server.ts';
import { startTestSim } from '../test/support/sim-server.ts';

/** Monday 2026-03-16, 15:45 New York: the execute-plan rig's entry, a day that trades. */
export const CAPTURE_AT = '2026-03-16T15:45';

export const CAPTURE_OPTIONS: CaptureOptions = {
  calendar: simCalendar(),
  events: [],
  hedgeBook: [],
  rates: { riskFree: 0.04, spxDividendYield: 0.013 },
  vixDteWindow: [14, 45],
};

export interface CaptureRun {
  readonly wallMs: number;
  readonly spxwQuotes: number;
  readonly vixQuotes: number;
  readonly wire: Omit<WireStats, 'sent'>;
}

export interface CaptureBench {
  readonly tcp: CaptureRun;
  readonly inProcess: { readonly wallMs: number; readonly spxwQuotes: number };
  readonly wallRatio: number;
}

export interface PacingBench {
  readonly wallMs: number;
  readonly messagesSent: number;
  readonly maxMessagesInAnySecond: number;
  readonly historicalRequests: number;
  readonly maxHistoricalInAnyTenMinutes: number;
  /** IB pacing violations the simulator answered (codes 100, 162 pacing, 420). */
  readonly pacingErrors: number;
}

/** Most events within any window of `windowMs` ending at an event. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let max = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] ?? 0) - (times[lo] ?? 0) >= windowMs) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, wallMs: performance.now() - t0 };
}

async function capture(md: MarketDataQuery): Promise<{ spxw: number; vix: number }> {
  const r = await captureSnapshot(md, CAPTURE_OPTIONS);
  if (!r.ok) throw new Error(`capture failed: ${r.error.detail}`);
  return {
    spxw: r.value.spxw.quotes.length,
    vix: r.value.vixOptions.reduce((n, c) => n + c.quotes.length, 0),
  };
}

/** Capture through IB over TCP (relay in between) and in-process on the same simulator, same instant. */
async function withIbClient<T>(
  limits: 'ib' | 'lifted',
  pacing: PacingLimits,
  body: (
    md: MarketDataQuery,
    wire: Awaited<ReturnType<typeof startTcpProxy>>,
    inProcess: MarketDataQuery,
    sim: TestSim,
  ) => Promise<T>,
): Promise<T> {
  const t = await startTestSim({ startAt: CAPTURE_AT, limits });
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: t.port }, { recordFrames: true });
  const client = createIbClient({
    host: '127.0.0.1',
    port: proxy.port,
    clientId: 31,
    clock: createSystemClock(),
    logger: silentLogger,
    pacing,
  });
  try {
    const md = createIbMarketData(client);
    const connected = await client.conn.connect();
    if (!connected.ok) throw new Error(`bench: cannot connect: ${JSON.stringify(connected.error)}`);
    proxy.resetStats();
    return await body(md, proxy, createMemoryMarketData(t.sim), t);
  } finally {
    await client.close();
    await proxy.close();
    await t.close();
  }
}

export async function benchCapture(runs = 3): Promise<CaptureBench> {
  return withIbClient('lifted', LIFTED_PACING_LIMITS, async (md, proxy, inProcess, sim) => {
    let best: CaptureRun | null = null;
    let bestIn: { wallMs: number; spxwQuotes: number } | null = null;
    for (let i = 0; i < runs; i++) {
      // IB refuses an identical historical request within 15 s (the simulator too, on its clock).
      if (i > 0) sim.clock.advance(20_000);
      proxy.resetStats();
      const tcp = await timed(() => capture(md));
      const { sent: _sent, ...wire } = proxy.stats();
      if (best === null || tcp.wallMs < best.wallMs)
        best = { wallMs: tcp.wallMs, spxwQuotes: tcp.value.spxw, vixQuotes: tcp.value.vix, wire };
      const mem = await timed(() => capture(inProcess));
      if (bestIn === null || mem.wallMs < bestIn.wallMs)
        bestIn = { wallMs: mem.wallMs, spxwQuotes: mem.value.spxw };
    }
    if (best === null || bestIn === null) throw new Error('bench: no runs');
    return { tcp: best, inProcess: bestIn, wallRatio: best.wallMs / bestIn.wallMs };
  });
}

/** IB's answers to a client over its pacing: 100 (messages per second), 162 is also other things, 420. */
const PACING_CODES = new Set([100, 420]);

export async function benchPacing(): Promise<PacingBench> {
  return withIbClient('ib', IB_PACING_LIMITS, async (md, proxy) => {
    const run = await timed(() => capture(md));
    const sent: readonly WireFrame[] = proxy.stats().sent;
    const times = sent.map((f) => f.atMs);
    const hist = sent.filter((f) => f.msgId === ClientMsg.REQ_HISTORICAL_DATA).map((f) => f.atMs);
    return {
      wallMs: run.wallMs,
      messagesSent: sent.length,
      maxMessagesInAnySecond: maxInWindow(times, 1_000),
      historicalRequests: hist.length,
      maxHistoricalInAnyTenMinutes: maxInWindow(hist, 600_000),
      pacingErrors: proxy.stats().errorCodes.filter((c) => PACING_CODES.has(c)).length,
    };
  });
}
