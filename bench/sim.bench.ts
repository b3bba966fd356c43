// Simulator throughput over real TCP on 127.0.0.1: request/answer messages per second with 1 and
// 8 clients, and quote updates per second streamed to a client. Pacing limits are lifted here
// (they would cap the measurement at IB's 50 msg/s); tests keep them on.
import { connect, type Socket } from 'node:net';
import { encodeFrame, encodeHandshake, FrameDecoder } from '../src/sim/protocol/framing.ts';
import type { RunningSimulator } from '../src/sim/simulator.ts';
import type { ManualClock } from '../src/ports/clock.ts';
import { launchSimulator } from '../src/cli/wiring/simulator.ts';

interface RawClient {
  readonly socket: Socket;
  /** Resolves when `count` messages with this id have arrived since the call. */
  waitFor(msgId: string, count: number): Promise<void>;
  counts: Map<string, number>;
  send(fields: readonly (string | number)[]): void;
  close(): void;
}

function rawClient(port: number, clientId: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const decoder = new FrameDecoder({ expectHandshake: false });
    const counts = new Map<string, number>();
    const waiters: { id: string; target: number; done: () => void }[] = [];
    let helloSeen = false;
    const client: RawClient = {
      socket,
      counts,
      waitFor(msgId, count) {
        const target = (counts.get(msgId) ?? 0) + count;
        return new Promise((done) => {
          waiters.push({ id: msgId, target, done });
          check();
        });
      },
      send(fields) {
        socket.write(encodeFrame(fields.map(String)));
      },
      close() {
        socket.destroy();
      },
    };
    function check(): void {
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i];
        if (w && (counts.get(w.id) ?? 0) >= w.target) {
          waiters.splice(i, 1);
          w.done();
        }
      }
    }
    socket.on('error', reject);
    socket.on('connect', () => socket.write(encodeHandshake('v100..178')));
    socket.on('data', (chunk: Buffer) => {
      for (const item of decoder.push(chunk)) {
        if (item.kind !== 'message') continue;
        if (!helloSeen) {
          helloSeen = true;
          client.send([71, 2, clientId, '']);
          continue;
        }
        const id = item.fields[0] ?? '';
        counts.set(id, (counts.get(id) ?? 0) + 1);
        if (id === '9' && (counts.get('9') ?? 0) === 1) resolve(client);
      }
      check();
    });
  });
}

async function pump(client: RawClient, total: number, window: number): Promise<void> {
  let sent = 0;
  while (sent < total) {
    const n = Math.min(window, total - sent);
    const done = client.waitFor('49', n);
    for (let i = 0; i < n; i++) client.send([49, 1]);
    sent += n;
    await done;
  }
}

async function messagesPerSecond(sim: RunningSimulator, clients: number, perClient: number): Promise<number> {
  const cs = await Promise.all(Array.from({ length: clients }, (_, i) => rawClient(sim.port, 100 + i)));
  const t0 = process.hrtime.bigint();
  await Promise.all(cs.map((c) => pump(c, perClient, 500)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  cs.forEach((c) => c.close());
  // Each round trip is two messages (request + answer).
  return Math.round((2 * clients * perClient) / seconds);
}

async function quoteUpdatesPerSecond(
  sim: RunningSimulator<ManualClock>,
  streams: number,
  steps: number,
): Promise<{ ticks: number; perSecond: number }> {
  const clock = sim.clock;
  const c = await rawClient(sim.port, 200);
  const options = sim.market
    .findContracts({ symbol: 'SPX', secType: 'OPT', tradingClass: 'SPXW' })
    .slice(0, streams);
  options.forEach((o, i) => {
    c.send([1, 11, 1000 + i, o.conId, '', '', '', '', '', '', 'SMART', '', '', '', '', 0, '', 0, 0, '']);
  });
  const first = c.waitFor('49', 1);
  c.send([49, 1]);
  await first;
  const before = (c.counts.get('1') ?? 0) + (c.counts.get('2') ?? 0) + (c.counts.get('21') ?? 0);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) clock.advance(60_000);
  const barrier = c.waitFor('49', 1);
  c.send([49, 1]);
  await barrier;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const ticks = (c.counts.get('1') ?? 0) + (c.counts.get('2') ?? 0) + (c.counts.get('21') ?? 0) - before;
  c.close();
  return { ticks, perSecond: Math.round(ticks / seconds) };
}

/** One virtual year (365 calendar days, ~252 sessions of 60 s model steps) on the virtual clock. */
async function virtualYear(): Promise<{ wallSeconds: number; sessions: number }> {
  const sim = await launchSimulator({
    port: 0,
    seed: 11,
    virtualTime: true,
    startAt: '2026-01-02T09:30:00-05:00',
  });
  try {
    const clock = sim.clock;
    const startDate = sim.market.tradingDate();
    const t0 = process.hrtime.bigint();
    for (let day = 0; day < 365; day++) clock.advance(24 * 3_600_000);
    const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const sessions = sim.market
      .dailyBars(416904, sim.market.tradingDate(), 400)
      .filter((b) => b.date > startDate.replace(/-/g, '')).length;
    return { wallSeconds: Math.round(wallSeconds * 100) / 100, sessions };
  } finally {
    await sim.close();
  }
}

export interface SimBench {
  readonly messagesPerSecond1Client: number;
  readonly messagesPerSecond8Clients: number;
  readonly quoteUpdates: { streams: number; modelSteps: number; tickMessages: number; perSecond: number };
  readonly virtualYear: { wallSeconds: number; sessions: number };
  readonly rssMiB: number;
}

export async function benchSimulator(): Promise<SimBench> {
  const sim = await launchSimulator({
    port: 0,
    seed: 7,
    virtualTime: true,
    startAt: '2026-03-17T10:00:00-04:00',
    limits: { maxMessagesPerSecond: 1e9, maxMarketDataLines: 100_000 },
  });
  try {
    const one = await messagesPerSecond(sim, 1, 20_000);
    const eight = await messagesPerSecond(sim, 8, 5_000);
    const q = await quoteUpdatesPerSecond(sim, 100, 60);
    const year = await virtualYear();
    return {
      messagesPerSecond1Client: one,
      messagesPerSecond8Clients: eight,
      quoteUpdates: { streams: 100, modelSteps: 60, tickMessages: q.ticks, perSecond: q.perSecond },
      virtualYear: year,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await sim.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The simulator under abuse (issue 8 "Bad input and faults"): resident memory while the attacks run
// and once they are over. The tests assert the bounds on the server's own accounting; these are
// the process figures behind them.

export interface SimAbuseBench {
  readonly baselineRssMiB: number;
  /** 120 empty reqContractDetails from a client that never reads (each answered with one 321). */
  readonly emptyContractDetails: { readonly rssMiB: number; readonly pendingOutputKiB: number };
  /** 120 "every SPXW option" requests from a client that never reads: dropped at the output limit. */
  readonly deafReader: {
    readonly peakRssMiB: number;
    readonly dropped: boolean;
    readonly rssAfterMiB: number;
  };
  /** 1,000 connections each sending 1 MiB - 1 byte of a 1 MiB frame, then the frame timeout. */
  readonly halfFrames: {
    readonly refused: number;
    readonly heldMiB: number;
    readonly peakRssMiB: number;
    readonly rssAfterMiB: number;
  };
}

const MIB = 2 ** 20;
const rssMiB = (): number => Math.round(process.memoryUsage().rss / MIB);
const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function contractDetailsRequest(reqId: number, secType: string, symbol: string): Buffer {
  return encodeFrame(
    [9, 8, reqId, '', symbol, secType, '', '', '', '', 'SMART', '', 'USD', '', '', 0, '', '', ''].map(String),
  );
}

function deafSocket(port: number, clientId: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.write(encodeHandshake('v100..178'));
      s.write(encodeFrame(['71', '2', String(clientId), '']));
      s.pause();
      resolve(s);
    });
    s.once('error', reject);
  });
}

export async function benchSimulatorAbuse(): Promise<SimAbuseBench> {
  const sim = await launchSimulator({
    port: 0,
    seed: 7,
    virtualTime: true,
    startAt: '2025-01-10T10:00',
    limits: { maxMessagesPerSecond: 1e9, partialFrameTimeoutMs: 2_000, setupTimeoutMs: 60_000 },
  });
  try {
    await settle(200);
    const baselineRssMiB = rssMiB();

    const empty = await deafSocket(sim.port, 301);
    for (let i = 0; i < 120; i++) empty.write(contractDetailsRequest(1000 + i, '', ''));
    await settle(500);
    const emptyContractDetails = {
      rssMiB: rssMiB(),
      pendingOutputKiB: Math.round(sim.server.stats().pendingOutputBytes / 1024),
    };
    empty.destroy();

    const deaf = await deafSocket(sim.port, 302);
    let peak = rssMiB();
    for (let i = 0; i < 120; i++) {
      deaf.write(contractDetailsRequest(2000 + i, 'OPT', 'SPX'));
      peak = Math.max(peak, rssMiB());
    }
    for (let i = 0; i < 50 && sim.server.stats().droppedSlowReaders === 0; i++) {
      await settle(20);
      peak = Math.max(peak, rssMiB());
    }
    const dropped = sim.server.stats().droppedSlowReaders === 1;
    deaf.destroy();
    await settle(300);
    const deafReader = { peakRssMiB: peak, dropped, rssAfterMiB: rssMiB() };

    const header = Buffer.alloc(4);
    header.writeUInt32BE(MIB);
    const body = Buffer.alloc(MIB - 1, 0x41);
    const sockets = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<Socket>((resolve) => {
            const s = connect({ host: '127.0.0.1', port: sim.port }, () => resolve(s));
            s.on('error', () => undefined);
            s.resume();
          }),
      ),
    );
    for (const s of sockets) s.write(Buffer.concat([encodeHandshake('v100..178'), header, body]));
    let peakHalf = rssMiB();
    let held = 0;
    for (let i = 0; i < 100; i++) {
      await settle(10);
      held = Math.max(held, sim.server.stats().bufferedInputBytes);
      peakHalf = Math.max(peakHalf, rssMiB());
    }
    const refused = sim.server.stats().refusedConnections;
    await settle(2_500);
    for (const s of sockets) s.destroy();
    await settle(300);
    return {
      baselineRssMiB,
      emptyContractDetails,
      deafReader,
      halfFrames: { refused, heldMiB: Math.round(held / MIB), peakRssMiB: peakHalf, rssAfterMiB: rssMiB() },
    };
  } finally {
    await sim.close();
  }
}
