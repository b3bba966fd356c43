// A TCP relay on 127.0.0.1 (port 0) to another address, so a test can cut a live link the way a network
// failure does (both sockets destroyed, nothing flushed) without touching the server behind it.
// Optionally it delays each direction (a round trip of 2 x delayMs) and counts the TWS API frames
// that pass, as the wire sees them (benchmarks: messages per plan, pacing seen by the gateway).
import net from 'node:net';
import { FrameDecoder } from '../../src/sim/protocol/framing.ts';
import { ServerMsg } from '../../src/sim/protocol/message-ids.ts';

/** IB's error message: id, version, request id, code, text. */
const ERROR_MESSAGE_ID = String(ServerMsg.ERR_MSG);

/** One client-to-server frame: when it left the relay (ms, `now`) and its message id. */
export interface WireFrame {
  readonly atMs: number;
  readonly msgId: number;
}

export interface WireStats {
  /** Frames client to server (the "API\0" handshake not counted). */
  readonly toServer: number;
  /** Frames server to client. */
  readonly toClient: number;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  /** Every client frame, in order (only when `recordFrames`). */
  readonly sent: readonly WireFrame[];
  /** The code of every error message (id 4) the server sent (only when `recordFrames`). */
  readonly errorCodes: readonly number[];
}

export interface TcpProxyOptions {
  /** Held this long in each direction (order kept); 0 relays at once. */
  readonly delayMs?: number;
  /** Keep every client-to-server frame's time and id (pacing figures). */
  readonly recordFrames?: boolean;
  /** Time source of the records and of the quiet check; default performance.now(). */
  readonly now?: () => number;
}

export interface TcpProxy {
  readonly port: number;
  /** Cuts every relayed connection; new ones are relayed again. */
  dropAll(): number;
  /** Frame and byte counts since the start or the last resetStats(). */
  stats(): WireStats;
  resetStats(): void;
  /** Bytes held by the delay and not yet passed on, both directions. */
  inFlightBytes(): number;
  /** Time of the last byte that passed either way (`now` units). */
  lastActivityAt(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(
  target: {
    readonly host: string;
    readonly port: number;
  },
  opts: TcpProxyOptions = {},
): Promise<TcpProxy> {
  const delayMs = opts.delayMs ?? 0;
  const now = opts.now ?? ((): number => performance.now());
  const pairs = new Set<[net.Socket, net.Socket]>();
  const timers = new Set<NodeJS.Timeout>();
  let held = 0;
  let lastActivity = now();
  const fresh = (): { -readonly [K in keyof WireStats]: WireStats[K] } & {
    sent: WireFrame[];
    errorCodes: number[];
  } => ({ toServer: 0, toClient: 0, bytesToServer: 0, bytesToClient: 0, sent: [], errorCodes: [] });
  let stats = fresh();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.host, port: target.port });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    const fromClient = new FrameDecoder({ expectHandshake: true });
    // Counting only: a frame the decoder refuses stops the count, never the relay.
    const fromServer = new FrameDecoder({ expectHandshake: false, maxFrameBytes: 1 << 30 });
    const relay = (to: net.Socket, chunk: Buffer, toServer: boolean): void => {
      lastActivity = now();
      if (toServer) {
        stats.bytesToServer += chunk.length;
        for (const item of fromClient.push(chunk)) {
          if (item.kind !== 'message') continue;
          stats.toServer++;
          if (opts.recordFrames === true) stats.sent.push({ atMs: now(), msgId: Number(item.fields[0]) });
        }
      } else {
        stats.bytesToClient += chunk.length;
        for (const item of fromServer.push(chunk)) {
          if (item.kind !== 'message') continue;
          stats.toClient++;
          if (opts.recordFrames === true && item.fields[0] === ERROR_MESSAGE_ID)
            stats.errorCodes.push(Number(item.fields[3]));
        }
      }
      if (delayMs <= 0) {
        to.write(chunk);
        return;
      }
      held += chunk.length;
      const t = setTimeout(() => {
        timers.delete(t);
        held -= chunk.length;
        lastActivity = now();
        if (!to.destroyed) to.write(chunk);
      }, delayMs);
      timers.add(t);
    };
    client.on('data', (chunk: Buffer) => relay(upstream, chunk, true));
    upstream.on('data', (chunk: Buffer) => relay(client, chunk, false));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    dropAll() {
      const n = pairs.size;
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
      return n;
    },
    stats: () => ({ ...stats, sent: [...stats.sent], errorCodes: [...stats.errorCodes] }),
    resetStats() {
      stats = fresh();
    },
    inFlightBytes: () => held,
    lastActivityAt: () => lastActivity,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
