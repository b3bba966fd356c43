// The simulator's TCP server: 127.0.0.1 only (port 0 picks a free one), several clients at once,
// venue events routed to the owning client's session (and to client 0 after reqAutoOpenOrders(true)),
// quote changes fanned out to every session, and gateway restarts (all connections drop, ids reset).
import net from 'node:net';
import type { Logger } from '../ports/logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { SimMarket, SimVenue, VenueEvent } from './engine-api.ts';
import type { OpenOrderExtras } from './protocol/encode-responses.ts';
import { SIM_DEFAULT_MAX_VERSION, SIM_HIGHEST_VERSION, SIM_MIN_VERSION } from './protocol/version.ts';
import { DEFAULT_SESSION_LIMITS, Session } from './session.ts';
import type { SessionContext, SessionLimits } from './session.ts';
import { SimFaults } from './faults.ts';

export const SIM_HOST = '127.0.0.1';

export interface SimServerOptions {
  readonly market: SimMarket;
  readonly venue: SimVenue;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Only 127.0.0.1 is allowed: the simulator never listens beyond this machine. */
  readonly host?: string;
  readonly port?: number;
  /** Top server version offered (default 178; 193 for what production gives @stoqey/ib). */
  readonly serverVersion?: number;
  readonly faults?: SimFaults;
  /** Called by restartGateway() to restart the venue (ids reset) while every client is dropped. */
  readonly restartVenue?: () => void;
  readonly rateClockMs?: () => number;
  /** Wall-time clock of the connection guards (partial frames, setup); default: timers on wall time. */
  readonly guardClock?: Clock;
  readonly limits?: Partial<SessionLimits>;
}

export interface ServerStats {
  readonly connections: number;
  /** Connections closed on arrival because the cap was reached. */
  readonly refusedConnections: number;
  /** Clients dropped because they stopped reading (their output passed the buffer limit). */
  readonly droppedSlowReaders: number;
  /** Clients dropped because a frame stayed half-sent. */
  readonly droppedPartialFrames: number;
  /** Bytes of incomplete frames held, all connections together. */
  readonly bufferedInputBytes: number;
  /** Bytes written and not yet taken by the clients, all connections together. */
  readonly pendingOutputBytes: number;
}

export interface SessionInfo {
  readonly sessionId: number;
  readonly clientId: number | null;
  readonly serverVersion: number;
  readonly ready: boolean;
  readonly messagesIn: number;
  readonly messagesOut: number;
  /** Bytes of an incomplete frame held for this client. */
  readonly bufferedInputBytes: number;
  /** Bytes written and not yet taken by this client. */
  readonly pendingOutputBytes: number;
}

export interface SimServer {
  readonly host: string;
  readonly port: number;
  readonly faults: SimFaults;
  sessions(): readonly SessionInfo[];
  stats(): ServerStats;
  /** Drops the connection of one client id (a network failure, not a logout). */
  dropClient(clientId: number): boolean;
  /** Gateway restart: every connection drops, the venue restarts and order ids start over. */
  restartGateway(): void;
  close(): Promise<void>;
}

export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  const host = opts.host ?? SIM_HOST;
  if (host !== SIM_HOST) throw new Error(`the simulator listens on ${SIM_HOST} only, not ${host}`);
  const simMaxVersion = opts.serverVersion ?? SIM_DEFAULT_MAX_VERSION;
  if (
    !Number.isInteger(simMaxVersion) ||
    simMaxVersion < SIM_MIN_VERSION ||
    simMaxVersion > SIM_HIGHEST_VERSION
  ) {
    throw new RangeError(
      `server version must be within ${SIM_MIN_VERSION}..${SIM_HIGHEST_VERSION}, got ${simMaxVersion}`,
    );
  }
  const log = opts.logger.child({ component: 'sim-server' });
  const faults = opts.faults ?? new SimFaults(0);
  const live = new Set<Session>();
  const sockets = new Map<Session, net.Socket>();
  const orderExtras = new Map<string, OpenOrderExtras>();
  const wallClock = (): number => performance.now();
  const limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS, ...opts.limits };
  const counters = { refusedConnections: 0, droppedSlowReaders: 0, droppedPartialFrames: 0 };

  const ctx: SessionContext = {
    market: opts.market,
    venue: opts.venue,
    clock: opts.clock,
    accounts: [opts.venue.account],
    simMaxVersion,
    logger: opts.logger.child({ component: 'sim-session' }),
    faults,
    rateClockMs: opts.rateClockMs ?? wallClock,
    guardClock: opts.guardClock ?? wallTimers,
    limits,
    orderExtras,
    clientIdInUse: (clientId, asking) => {
      for (const s of live) if (s !== asking && s.isReady && s.clientId === clientId) return true;
      return false;
    },
    onClosed: (s) => {
      live.delete(s);
      sockets.delete(s);
    },
    onPartialFrameDropped: () => {
      counters.droppedPartialFrames++;
    },
  };

  const route = (e: VenueEvent): void => {
    const owner = ownerOf(e);
    for (const s of live) {
      if (!s.isReady) continue;
      if (owner === null) {
        s.onVenueEvent(e);
        continue;
      }
      const isOrderEvent = e.type === 'openOrder' || e.type === 'orderStatus';
      if (s.clientId === owner || (isOrderEvent && s.bindsAllOrders && s.clientId !== owner))
        s.onVenueEvent(e);
    }
  };
  const stopVenue = opts.venue.onEvent((e) => {
    try {
      route(e);
    } catch (err) {
      log.error('routing a venue event failed', {
        type: e.type,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  });
  const stopQuotes = opts.market.onQuotes((conIds) => {
    // Every step reports thousands of ids: build the lookup only when someone can listen.
    if (live.size === 0) return;
    const changed = new Set(conIds);
    for (const s of live) {
      try {
        s.onQuotes(changed);
      } catch (err) {
        log.error('sending quotes failed', {
          session: s.sessionId,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  });

  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    if (live.size >= limits.maxConnections) {
      counters.refusedConnections++;
      log.warn('connection cap reached, closing the new connection', {
        remote,
        maxConnections: limits.maxConnections,
      });
      socket.destroy();
      return;
    }
    let session: Session | null = null;
    const writeGuarded = (data: Buffer): void => {
      if (socket.destroyed || !socket.writable) return;
      socket.write(data);
      // A client that does not read must not make the server hold its output without end.
      if (socket.writableLength > limits.maxOutputBufferBytes) {
        counters.droppedSlowReaders++;
        log.warn('client is not reading, dropping it', {
          remote,
          pendingBytes: socket.writableLength,
          limitBytes: limits.maxOutputBufferBytes,
        });
        session?.close(`not reading: ${socket.writableLength} bytes unsent`, false);
        socket.destroy();
      }
    };
    session = new Session(
      {
        remote,
        write: writeGuarded,
        end: () => {
          socket.end();
          // A peer that never reads must not keep the socket (and close()) waiting.
          setTimeout(() => socket.destroy(), 2000).unref();
        },
        destroy: () => socket.destroy(),
      },
      ctx,
    );
    const s = session;
    live.add(s);
    sockets.set(s, socket);
    socket.on('data', (chunk: Buffer) => {
      try {
        s.receive(chunk);
      } catch (err) {
        // The session guards its own requests; this is a last line so one client never takes the server down.
        log.error('session failed, dropping client', {
          error: err instanceof Error ? err.message : String(err),
        });
        s.close('internal error', false);
      }
    });
    socket.on('error', (err) => log.debug('socket error', { remote, error: err.message }));
    socket.on('close', () => s.transportClosed());
  });
  server.on('error', (err) => log.error('server error', { error: err.message }));

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port: opts.port ?? 0, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  log.info('listening', { host, port, serverVersion: simMaxVersion });

  let closed = false;
  return {
    host,
    port,
    faults,
    sessions: () =>
      [...live].map((s) => ({
        sessionId: s.sessionId,
        clientId: s.clientId,
        serverVersion: s.serverVersion,
        ready: s.isReady,
        messagesIn: s.messagesIn,
        messagesOut: s.messagesOut,
        bufferedInputBytes: s.bufferedBytes,
        pendingOutputBytes: sockets.get(s)?.writableLength ?? 0,
      })),
    stats() {
      let bufferedInputBytes = 0;
      let pendingOutputBytes = 0;
      for (const s of live) {
        bufferedInputBytes += s.bufferedBytes;
        pendingOutputBytes += sockets.get(s)?.writableLength ?? 0;
      }
      return { connections: live.size, ...counters, bufferedInputBytes, pendingOutputBytes };
    },
    dropClient(clientId) {
      let dropped = false;
      for (const s of [...live]) {
        if (s.clientId === clientId) {
          s.close('dropped by the simulator', false);
          dropped = true;
        }
      }
      return dropped;
    },
    restartGateway() {
      log.warn('gateway restart: dropping every connection', { connections: live.size });
      for (const s of [...live]) s.close('gateway restart', false);
      orderExtras.clear();
      opts.restartVenue?.();
    },
    async close() {
      if (closed) return;
      closed = true;
      stopVenue();
      stopQuotes();
      for (const s of [...live]) s.close('simulator shutting down', false);
      for (const sock of sockets.values()) sock.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      log.info('stopped', { port });
    },
  };
}

/** The guards' default: timers on wall time, unref'd so they never keep the process alive. */
const wallTimers: Clock = {
  isVirtual: false,
  nowMs: () => Date.now(),
  schedule(atMs, fn) {
    const t = setTimeout(fn, Math.max(0, atMs - Date.now()));
    t.unref();
    return () => clearTimeout(t);
  },
};

function ownerOf(e: VenueEvent): number | null {
  switch (e.type) {
    case 'openOrder':
    case 'orderStatus':
      return e.order.request.clientId;
    case 'execution':
      return e.execution.clientId;
    case 'commission':
    case 'error':
      return e.clientId;
    case 'position':
    case 'accountValue':
      return null;
  }
}
