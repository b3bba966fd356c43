// The link to one IB gateway: connect with retry and capped backoff (host, port and a fixed client
// id always passed explicitly), handshake up to nextValidId and the account list, IB's 1100/1101/1102
// and socket loss turned into link events, reconnection with the same client id, and a liveness probe
// (reqCurrentTime) because stoqey never drops a silent socket. Each connection gets a fresh IBApi;
// every message goes out through the pacing lanes and is sent only if, at that moment, the link it
// was queued for is still up: stoqey never gets the chance to replay a request queued while down.
import { IBApi } from '@stoqey/ib/dist/api/api.js';
import { EventName } from '@stoqey/ib/dist/api/data/enum/event-name.js';
import type { Logger } from '../../ports/logger.ts';
import type { Clock } from '../../ports/clock.ts';
import type { BrokerResult, ConnectFailure, ConnectInfo, IbCodeClass } from '../../ports/broker.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import { classifyIbCode, ibCodeMeaning } from './ib-codes.ts';
import type { IbTimeouts } from './ib-timeouts.ts';
import { IB_DEFAULT_TIMEOUTS, backoffMs } from './ib-timeouts.ts';
import type { Lane, Pacing } from './pacing.ts';
import type { RequestRegistry } from './request-registry.ts';
import type { ContainedFault } from './stoqey-guard.ts';
import { guardStoqeyDecoder } from './stoqey-guard.ts';

/** stoqey's own rate limiter is made transparent: the pacing lanes decide when a message goes. */
const STOQEY_PASS_THROUGH_PER_SECOND = 100_000;
/** Longest wait for stoqey to report its socket closed after we close it. */
const SOCKET_CLOSE_WAIT_MS = 2_000;

export interface IbEndpoint {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
}

export type LinkState = 'idle' | 'connecting' | 'ready' | 'ib-lost' | 'reconnecting' | 'closed';

export type LinkEvent =
  /** A new connection finished its handshake; `first` is false after a reconnection. */
  | { readonly type: 'ready'; readonly first: boolean; readonly info: ConnectInfo; readonly atMs: number }
  /** The socket closed, went silent, or IB said its own link is down (1100, 2110). */
  | { readonly type: 'lost'; readonly reason: string; readonly atMs: number }
  /** IB restored its link while the socket stayed up (1101: data lost, 1102: kept). */
  | { readonly type: 'restored'; readonly dataLost: boolean; readonly reason: string; readonly atMs: number };

export interface IbMessage {
  /** Request id, order id, or -1 for a session-wide message. */
  readonly id: number;
  readonly code: number;
  readonly text: string;
  readonly class: IbCodeClass;
}

/** Attaches handlers for one kind of stoqey event; handlers see only the current connection. */
export type BindEvent = (event: EventName, handler: (...args: never[]) => void) => void;

export interface IbConnectionOptions extends IbEndpoint {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pacing: Pacing;
  readonly registry: RequestRegistry;
  readonly timeouts?: Partial<IbTimeouts>;
  /** Market data type asked for after each connect: 1 live (default), 2 frozen, 3 delayed, 4 delayed-frozen. */
  readonly marketDataType?: 1 | 2 | 3 | 4;
}

interface Session {
  readonly gen: number;
  readonly api: IBApi;
  accounts: readonly string[] | null;
  nextValidId: number | null;
  /** The last error of the handshake (why a connection attempt failed). */
  lastError: IbMessage | null;
  /** Set when the handshake completes: the attempt waits for this. */
  onHandshake: (() => void) | null;
  onClosed: ((reason: string) => void) | null;
  closed: boolean;
}

type EventEmitterLike = {
  on(event: string, fn: (...args: unknown[]) => void): unknown;
  once(event: string, fn: (...args: unknown[]) => void): unknown;
  removeAllListeners(): unknown;
};

export class IbConnection {
  readonly timeouts: IbTimeouts;
  private readonly log: Logger;
  private linkState: LinkState = 'idle';
  private session: Session | null = null;
  private gen = 0;
  private connectInfo: ConnectInfo | null = null;
  private everReady = false;
  private connecting: Promise<Result<ConnectInfo, ConnectFailure>> | null = null;
  private cancelProbe: (() => void) | null = null;
  private reconnectLoop: Promise<void> | null = null;
  private wakeReconnect: (() => void) | null = null;
  private readonly binders: ((on: BindEvent) => void)[] = [];
  private readonly linkListeners = new Set<(e: LinkEvent) => void>();
  private readonly messageListeners = new Set<(m: IbMessage) => void>();
  private readonly readyWaiters = new Set<(r: Result<ConnectInfo, ConnectFailure>) => void>();
  /** The current connection finished its handshake and is fetching the server time. */
  private handshaking = false;

  constructor(private readonly opts: IbConnectionOptions) {
    this.timeouts = { ...IB_DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.log = opts.logger.child({
      component: 'ib-connection',
      host: opts.host,
      port: opts.port,
      clientId: opts.clientId,
    });
  }

  get endpoint(): IbEndpoint {
    return { host: this.opts.host, port: this.opts.port, clientId: this.opts.clientId };
  }

  state(): LinkState {
    return this.linkState;
  }

  /** Requests and orders may go out (IB's own link is up too). */
  isReady(): boolean {
    return this.linkState === 'ready';
  }

  /** The current connection's handshake answers; null when not connected. */
  info(): ConnectInfo | null {
    return this.linkState === 'ready' || this.linkState === 'ib-lost' ? this.connectInfo : null;
  }

  /** Registers handlers for every connection, present and future. */
  bind(binder: (on: BindEvent) => void): void {
    this.binders.push(binder);
    const s = this.session;
    if (s !== null && !s.closed) binder(this.binderFor(s));
  }

  onLink(listener: (e: LinkEvent) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  /** Every IB error or notice that no open request claimed. */
  onMessage(listener: (m: IbMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /**
   * Queues one message. It is sent only if, when its turn comes, the connection it was queued on is
   * still the current one and up (orders: IB's link too); resolves false when it was not sent.
   */
  async send(lane: Lane, call: (api: IBApi) => void): Promise<boolean> {
    const s = this.session;
    if (s === null || !this.allows(lane)) return false;
    const sent = await this.opts.pacing.message(lane, () => {
      if (this.session !== s || s.closed || !this.allows(lane)) return false;
      call(s.api);
      return true;
    });
    return sent === true;
  }

  /** A historical data request through its own pacing gates (see pacing.ts). */
  async sendHistorical(
    identicalKey: string,
    contractKey: string,
    call: (api: IBApi) => void,
  ): Promise<boolean> {
    const s = this.session;
    if (s === null || !this.allows('history')) return false;
    const sent = await this.opts.pacing.historicalRequest(identicalKey, contractKey, () => {
      if (this.session !== s || s.closed || !this.allows('history')) return false;
      call(s.api);
      return true;
    });
    return sent === true;
  }

  /** The gateway's clock (reqCurrentTime); callers at the same time share one request. */
  async serverTimeMs(timeoutMs = this.timeouts.requestMs): Promise<BrokerResult<number>> {
    const { request, joined } = this.opts.registry.openKeyed<number>('currentTime', {
      what: 'current time',
      timeoutMs,
    });
    if (!joined) {
      const sent = await this.send('control', (api) => api.reqCurrentTime());
      if (!sent) request.fail({ kind: 'disconnected', text: 'current time: not connected to the gateway' });
    }
    return request.promise;
  }

  /** Connects (retrying with capped backoff); the same answer while connected. */
  connect(): Promise<Result<ConnectInfo, ConnectFailure>> {
    const info = this.info();
    if (info !== null) return Promise.resolve(ok(info));
    if (this.connecting !== null) return this.connecting;
    if (this.linkState === 'reconnecting') {
      // A reconnection is already running: wait for it rather than open a second socket.
      return keepProcessAlive(this.waitForReconnect());
    }
    this.connecting = keepProcessAlive(this.connectWithRetry()).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Stops reconnecting, closes the socket and ends every pending request as disconnected. */
  async disconnect(): Promise<void> {
    const wasUp = this.linkState === 'ready' || this.linkState === 'ib-lost';
    this.linkState = 'closed';
    this.stopProbe();
    this.wakeReconnect?.();
    this.opts.registry.failAll({ kind: 'disconnected', text: 'disconnected by ironvix' });
    await this.opts.pacing.reset();
    const s = this.session;
    this.session = null;
    if (s !== null) await this.closeSession(s, 'disconnected by ironvix');
    if (wasUp)
      this.emitLink({ type: 'lost', reason: 'disconnected by ironvix', atMs: this.opts.clock.nowMs() });
    for (const w of [...this.readyWaiters])
      w(err({ kind: 'unreachable', text: 'connect cancelled by disconnect' }));
    this.readyWaiters.clear();
    await this.reconnectLoop;
    this.log.info('disconnected');
  }

  // -------------------------------------------------------------------------------------------
  // Connecting

  private async connectWithRetry(): Promise<Result<ConnectInfo, ConnectFailure>> {
    this.linkState = 'connecting';
    let last: ConnectFailure = { kind: 'unreachable', text: 'no connection attempt was made' };
    for (let attempt = 0; attempt < Math.max(1, this.timeouts.connectAttempts); attempt++) {
      if (attempt > 0) {
        const waitMs = backoffMs(this.timeouts, attempt - 1);
        this.log.info('retrying connection', { attempt: attempt + 1, waitMs, after: last.kind });
        await this.sleep(waitMs);
      }
      if (this.isClosed()) return err({ kind: 'unreachable', text: 'connect cancelled by disconnect' });
      const r = await this.attempt();
      if (r.ok) return ok(r.value);
      last = r.error;
      // A version mismatch or a refused handshake will not change by retrying.
      if (last.kind === 'handshake') break;
    }
    if (this.linkState === 'connecting') this.linkState = 'idle';
    this.log.warn('connection failed', { kind: last.kind, text: last.text });
    return err(last);
  }

  /** Waits for the running reconnection, within the budget one connect() call would have. */
  private waitForReconnect(): Promise<Result<ConnectInfo, ConnectFailure>> {
    const t = this.timeouts;
    const budgetMs = Math.max(1, t.connectAttempts) * (t.connectAttemptMs + t.backoffMaxMs);
    return new Promise((resolve) => {
      const waiter = (r: Result<ConnectInfo, ConnectFailure>): void => {
        cancel();
        this.readyWaiters.delete(waiter);
        resolve(r);
      };
      const cancel = this.opts.clock.schedule(this.opts.clock.nowMs() + budgetMs, () =>
        waiter(err({ kind: 'timeout', text: `still reconnecting to the gateway after ${budgetMs} ms` })),
      );
      this.readyWaiters.add(waiter);
    });
  }

  /** One connection: a fresh IBApi, handshake, server time. */
  private async attempt(): Promise<Result<ConnectInfo, ConnectFailure>> {
    const { host, port, clientId } = this.opts;
    const gen = ++this.gen;
    this.connectInfo = null;
    const api = new IBApi({ host, port, clientId, maxReqPerSec: STOQEY_PASS_THROUGH_PER_SECOND });
    const s: Session = {
      gen,
      api,
      accounts: null,
      nextValidId: null,
      lastError: null,
      onHandshake: null,
      onClosed: null,
      closed: false,
    };
    this.session = s;
    guardStoqeyDecoder(api, (f) => this.onContainedFault(s, f));
    this.bindSession(s);
    for (const b of this.binders) b(this.binderFor(s));

    const handshake = new Promise<Result<true, ConnectFailure>>((resolve) => {
      const cancelTimer = this.opts.clock.schedule(
        this.opts.clock.nowMs() + this.timeouts.connectAttemptMs,
        () =>
          resolve(
            err({
              kind: 'timeout',
              text: `no API handshake from ${host}:${port} within ${this.timeouts.connectAttemptMs} ms (is it an IB Gateway/TWS API port?)`,
            }),
          ),
      );
      s.onHandshake = () => {
        cancelTimer();
        resolve(ok(true));
      };
      s.onClosed = (reason) => {
        cancelTimer();
        resolve(err(this.failureOf(s, reason)));
      };
    });
    this.log.debug('connecting');
    api.connect(clientId);
    const h = await handshake;
    s.onHandshake = null;
    s.onClosed = null;
    if (!h.ok || this.isClosed()) {
      await this.closeSession(s, h.ok ? 'connect cancelled by disconnect' : h.error.text);
      if (this.session === s) this.session = null;
      return h.ok ? err({ kind: 'unreachable', text: 'connect cancelled by disconnect' }) : h;
    }
    // Only control messages (the server time below) may go out until the connection is ready.
    this.handshaking = true;
    const time = await this.serverTimeMs(this.timeouts.connectAttemptMs);
    this.handshaking = false;
    if (!time.ok || this.session !== s || this.isClosed()) {
      const text = time.ok ? 'the connection closed during the handshake' : time.error.text;
      await this.closeSession(s, text);
      if (this.session === s) this.session = null;
      return err({ kind: !time.ok && time.error.kind === 'timeout' ? 'timeout' : 'unreachable', text });
    }
    const first = !this.everReady;
    const info: ConnectInfo = {
      accounts: s.accounts ?? [],
      serverVersion: api.serverVersion,
      serverTimeMs: time.value,
      nextValidOrderId: s.nextValidId ?? 1,
    };
    this.connectInfo = info;
    this.everReady = true;
    this.linkState = 'ready';
    if (this.opts.marketDataType !== undefined && this.opts.marketDataType !== 1) {
      const type = this.opts.marketDataType;
      await this.send('control', (a) => a.reqMarketDataType(type));
    }
    this.log.info('connected', {
      serverVersion: info.serverVersion,
      accounts: info.accounts.join(','),
      first,
    });
    this.startProbe(s);
    this.emitLink({ type: 'ready', first, info, atMs: this.opts.clock.nowMs() });
    for (const w of [...this.readyWaiters]) w(ok(info));
    this.readyWaiters.clear();
    return ok(info);
  }

  private failureOf(s: Session, reason: string): ConnectFailure {
    const e = s.lastError;
    const { host, port, clientId } = this.opts;
    if (e?.code === 326)
      return {
        kind: 'client-id-in-use',
        clientId,
        text: `client id ${clientId} is already in use at ${host}:${port}: ${e.text}`,
      };
    if (e?.code === 506 || e?.code === 503)
      return {
        kind: 'handshake',
        text: `${host}:${port} refused the API handshake: ${e.text} (${ibCodeMeaning(e.code)})`,
      };
    if (e?.code === 502 && /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(e.text))
      return {
        kind: 'unreachable',
        text: `cannot reach the gateway at ${host}:${port} (${e.text}): is IB Gateway/TWS running with the API enabled on this port?`,
      };
    return {
      kind: 'handshake',
      text: `${host}:${port} closed the connection during the API handshake (${reason}${e === null ? '' : `; last message ${e.code}: ${e.text}`}): check that the API is enabled, 127.0.0.1 is a trusted IP and the API version is supported`,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Session events

  private bindSession(s: Session): void {
    const on = this.binderFor(s);
    on(EventName.managedAccounts, (list: string) => {
      s.accounts = list
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== '');
      this.checkHandshake(s);
    });
    on(EventName.nextValidId, (id: number) => {
      s.nextValidId = Math.max(s.nextValidId ?? 0, id);
      if (this.connectInfo !== null && this.session === s)
        this.connectInfo = { ...this.connectInfo, nextValidOrderId: s.nextValidId };
      this.checkHandshake(s);
    });
    on(EventName.currentTime, (epochSeconds: number) => {
      this.opts.registry.keyed<number>('currentTime')?.finish(epochSeconds * 1000);
    });
    on(EventName.error, (e: Error, code: number, reqId: number) => {
      this.onIbMessage(s, reqId, code, e.message);
    });
    on(EventName.info, (text: string, code: number) => {
      this.onIbMessage(s, -1, code, text);
    });
    // Not through binderFor: a closed session must still report its own close exactly once.
    (s.api as unknown as EventEmitterLike).on(EventName.disconnected, () => {
      this.onSocketClosed(s, s.lastError === null ? 'the gateway closed the socket' : s.lastError.text);
    });
  }

  private binderFor(s: Session): BindEvent {
    const api = s.api as unknown as EventEmitterLike;
    return (event, handler) => {
      api.on(event, (...args: unknown[]) => {
        if (this.session !== s || s.closed) return;
        try {
          (handler as (...a: unknown[]) => void)(...args);
        } catch (e) {
          // A throw here would unwind through stoqey's decoder loop: log it, never let it out.
          this.log.error('handler failed', {
            event,
            error: e instanceof Error ? (e.stack ?? e.message) : String(e),
          });
        }
      });
    };
  }

  private checkHandshake(s: Session): void {
    if (s.accounts !== null && s.nextValidId !== null) s.onHandshake?.();
  }

  private onIbMessage(s: Session, id: number, code: number, text: string): void {
    const cls = classifyIbCode(code);
    const m: IbMessage = { id, code, text, class: cls };
    if (cls !== 'info') s.lastError = m;
    const log = cls === 'info' ? this.log.debug.bind(this.log) : this.log.warn.bind(this.log);
    log('ib message', { id, code, class: cls, text });
    switch (code) {
      case 1100:
      case 2110:
        this.onIbLinkLost(s, `${code}: ${text}`);
        break;
      case 1101:
      case 1102:
        this.onIbLinkRestored(s, code === 1101, `${code}: ${text}`);
        break;
      default:
        break;
    }
    if (id >= 0 && this.opts.registry.routeError(id, code, text, cls)) return;
    for (const l of [...this.messageListeners]) l(m);
  }

  private onContainedFault(s: Session, f: ContainedFault): void {
    this.log.error('contained a fault in the IB client', { what: f.what, detail: f.detail });
    for (const l of [...this.messageListeners])
      l({
        id: -1,
        code: 505,
        text: `ironvix contained a client fault (${f.what}): ${f.detail}`,
        class: 'unknown',
      });
    // A decoder that threw mid-stream cannot be trusted: start over on a fresh socket.
    if (f.what === 'decoder-exception' && this.session === s)
      this.dropSession(s, `client decoder fault: ${f.detail}`);
  }

  private onIbLinkLost(s: Session, reason: string): void {
    if (this.session !== s || this.linkState !== 'ready') return;
    this.linkState = 'ib-lost';
    this.emitLink({ type: 'lost', reason, atMs: this.opts.clock.nowMs() });
  }

  private onIbLinkRestored(s: Session, dataLost: boolean, reason: string): void {
    if (this.session !== s || this.linkState !== 'ib-lost') return;
    this.linkState = 'ready';
    this.emitLink({ type: 'restored', dataLost, reason, atMs: this.opts.clock.nowMs() });
  }

  private onSocketClosed(s: Session, reason: string): void {
    if (s.closed) return;
    s.closed = true;
    s.onClosed?.(reason);
    if (this.session !== s) return;
    this.session = null;
    this.opts.registry.failAll({ kind: 'disconnected', text: `connection to the gateway lost: ${reason}` });
    const wasUp = this.linkState === 'ready' || this.linkState === 'ib-lost';
    if (!wasUp) return;
    this.stopProbe();
    this.log.warn('connection lost', { reason });
    this.emitLink({ type: 'lost', reason, atMs: this.opts.clock.nowMs() });
    this.startReconnecting();
  }

  /** Closes a live session as lost (silent socket, corrupt stream). */
  private dropSession(s: Session, reason: string): void {
    s.lastError = { id: -1, code: 504, text: reason, class: 'connectivity' };
    s.api.disconnect();
    // stoqey reports the close asynchronously; treat the session as gone now.
    this.onSocketClosed(s, reason);
  }

  private async closeSession(s: Session, reason: string): Promise<void> {
    const api = s.api as unknown as EventEmitterLike;
    const closed = new Promise<void>((resolve) => {
      if (s.closed) {
        resolve();
        return;
      }
      api.once(EventName.disconnected, () => resolve());
      setTimeout(resolve, SOCKET_CLOSE_WAIT_MS).unref();
    });
    s.api.disconnect();
    await closed;
    s.closed = true;
    api.removeAllListeners();
    this.log.debug('socket closed', { reason });
  }

  // -------------------------------------------------------------------------------------------
  // Reconnecting and liveness

  private startReconnecting(): void {
    if (this.reconnectLoop !== null || this.linkState === 'closed') return;
    this.linkState = 'reconnecting';
    this.reconnectLoop = (async () => {
      // Lanes may hold messages queued for the dead socket: drop them (they were never sent).
      await this.opts.pacing.reset();
      for (let attempt = 0; this.linkState === 'reconnecting'; attempt++) {
        await this.sleep(backoffMs(this.timeouts, attempt));
        if (this.linkState !== 'reconnecting') break;
        this.log.info('reconnecting', { attempt: attempt + 1 });
        const r = await this.attempt();
        if (r.ok) break;
        this.log.warn('reconnection failed', {
          attempt: attempt + 1,
          kind: r.error.kind,
          text: r.error.text,
        });
      }
    })().finally(() => {
      this.reconnectLoop = null;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.opts.clock.schedule(this.opts.clock.nowMs() + ms, () => {
        this.wakeReconnect = null;
        resolve();
      });
      this.wakeReconnect = () => {
        cancel();
        this.wakeReconnect = null;
        resolve();
      };
    });
  }

  private startProbe(s: Session): void {
    this.stopProbe();
    const every = this.timeouts.probeIntervalMs;
    const loop = (): void => {
      this.cancelProbe = this.opts.clock.schedule(this.opts.clock.nowMs() + every, () => {
        if (this.session !== s || s.closed) return;
        void this.probe(s).then(() => {
          if (this.session === s && !s.closed) loop();
        });
      });
    };
    loop();
  }

  private async probe(s: Session): Promise<void> {
    const r = await this.serverTimeMs(this.timeouts.probeTimeoutMs);
    if (!r.ok && r.error.kind === 'timeout' && this.session === s && !s.closed) {
      this.log.warn('liveness probe unanswered: dropping the socket', {
        timeoutMs: this.timeouts.probeTimeoutMs,
      });
      this.dropSession(s, `no answer to the liveness probe within ${this.timeouts.probeTimeoutMs} ms`);
    }
  }

  private stopProbe(): void {
    this.cancelProbe?.();
    this.cancelProbe = null;
  }

  /** A method, not a field test, so control-flow narrowing cannot hide a disconnect() made meanwhile. */
  private isClosed(): boolean {
    return this.linkState === 'closed';
  }

  private allows(lane: Lane): boolean {
    if (this.linkState === 'ready') return true;
    // While IB's own link is down (or the handshake runs) only the gateway itself answers:
    // no orders, no market data.
    return lane === 'control' && (this.linkState === 'ib-lost' || this.handshaking);
  }

  private emitLink(e: LinkEvent): void {
    for (const l of [...this.linkListeners]) {
      try {
        l(e);
      } catch (x) {
        this.log.error('link listener failed', { error: x instanceof Error ? x.message : String(x) });
      }
    }
  }
}

/**
 * Holds the process open while a caller awaits `p`: the injected clock's timers may be unref'd (so a
 * forgotten schedule never pins the process), and between two connection attempts no socket is open.
 */
function keepProcessAlive<T>(p: Promise<T>): Promise<T> {
  const handle = setInterval(() => undefined, 1 << 30);
  return p.finally(() => clearInterval(handle));
}
