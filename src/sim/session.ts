// One API client connection: handshake, startApi and client-id rules, request dispatch,
// subscriptions, pacing (IB codes 100 and 162) and market data types 1–4. Every market or venue
// decision is delegated to the engine behind engine-api.ts; this file only speaks the protocol.
import { DateTime } from 'luxon';
import type { IsoDate } from '../domain/instruments.ts';
import type { Logger } from '../ports/logger.ts';
import type { Clock } from '../ports/clock.ts';
import type {
  ContractQuery,
  ExecutionFilter,
  SimContract,
  SimMarket,
  SimOrderTicket,
  SimTicketContract,
  SimOrderView,
  SimQuote,
  SimVenue,
  VenueEvent,
} from './engine-api.ts';
// A static table like IB's fixed rule list, not a market decision: read directly, not through the seam.
import { MARKET_RULES } from './market/contracts.ts';
import type { ClientRequest, WireContract } from './protocol/decode-requests.ts';
import { decodeRequest } from './protocol/decode-requests.ts';
import * as enc from './protocol/encode-responses.ts';
import type { OpenOrderExtras } from './protocol/encode-responses.ts';
import { FrameDecoder, encodeFrame } from './protocol/framing.ts';
import type { InboundItem } from './protocol/framing.ts';
import { ClientMsg, serverEventName } from './protocol/message-ids.ts';
import { negotiateVersion } from './protocol/version.ts';
import type { SimFaults } from './faults.ts';
import { IbCode } from './ib-codes.ts';
import type { SimIbCode } from './ib-codes.ts';

const NY = 'America/New_York';

export interface SessionLimits {
  /** TWS rejects more than this many messages per second (lines / 2 at the default 100 lines). */
  readonly maxMessagesPerSecond: number;
  /** Pacing violations after which TWS drops the session. */
  readonly maxPacingViolations: number;
  /** Simultaneous streaming market-data lines. */
  readonly maxMarketDataLines: number;
  readonly maxAccountSummarySubscriptions: number;
  /** Simultaneous connections; more are closed at once (IB allows 32 API clients). */
  readonly maxConnections: number;
  /** Bytes written but not yet taken by the client; beyond it the client is dropped (it does not read). */
  readonly maxOutputBufferBytes: number;
  /** A frame (or the handshake) begun but not completed within this is dropped with its connection. */
  readonly partialFrameTimeoutMs: number;
  /** From accept to startApi: a connection that never says who it is gives its slot back. */
  readonly setupTimeoutMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxMessagesPerSecond: 50,
  maxPacingViolations: 3,
  maxMarketDataLines: 100,
  maxAccountSummarySubscriptions: 2,
  maxConnections: 32,
  maxOutputBufferBytes: 16 * 1024 * 1024,
  partialFrameTimeoutMs: 10_000,
  setupTimeoutMs: 10_000,
};

/** What a session writes to. The server adapts a net.Socket; tests may use anything. */
export interface SessionTransport {
  write(data: Buffer): void;
  /** Flush what was written, then close. */
  end(): void;
  /** Close at once, dropping unsent data. */
  destroy(): void;
  readonly remote: string;
}

/** Shared state and services the server hands to each session. */
export interface SessionContext {
  readonly market: SimMarket;
  readonly venue: SimVenue;
  readonly clock: Clock;
  readonly accounts: readonly string[];
  readonly simMaxVersion: number;
  readonly logger: Logger;
  readonly faults: SimFaults;
  /** Clock for the messages-per-second limit (wall time by default; injectable for tests). */
  readonly rateClockMs: () => number;
  /** Wall-time clock of the connection guards (partial frames, setup); injectable for tests. */
  readonly guardClock: Clock;
  readonly limits: SessionLimits;
  /** Wire-only order details (combo routing params) keyed by `${clientId}:${orderId}`, echoed in openOrder. */
  readonly orderExtras: Map<string, OpenOrderExtras>;
  clientIdInUse(clientId: number, asking: Session): boolean;
  onClosed(session: Session): void;
  /** Counts a client dropped for a half-sent frame (server statistics). */
  onPartialFrameDropped(): void;
}

interface MktLeg {
  readonly contract: SimContract;
  readonly ratio: number;
  readonly sign: 1 | -1;
}

interface MktSub {
  readonly reqId: number;
  readonly conIds: readonly number[];
  /** The single contract, or null for a BAG. */
  readonly contract: SimContract | null;
  readonly legs: readonly MktLeg[];
  readonly generic: ReadonlySet<string>;
  /** Last value sent per tick type, to send only changes. */
  readonly sent: Map<number, string>;
}

type Tick =
  | {
      readonly kind: 'price';
      readonly type: number;
      readonly price: number;
      readonly size: number;
      readonly sizeType: number | null;
    }
  | { readonly kind: 'size'; readonly type: number; readonly size: number }
  | { readonly kind: 'generic'; readonly type: number; readonly value: number }
  | { readonly kind: 'option'; readonly type: number; readonly contract: SimContract };

/** Live tick type → delayed tick type (market data types 3 and 4). */
const DELAYED_TICK: ReadonlyMap<number, number> = new Map([
  [0, 69],
  [1, 66],
  [2, 67],
  [3, 70],
  [4, 68],
  [5, 71],
  [6, 72],
  [7, 73],
  [8, 74],
  [9, 75],
  [14, 76],
  [10, 80],
  [11, 81],
  [12, 82],
  [13, 83],
]);

interface HistRecord {
  readonly atMs: number;
  readonly key: string;
  readonly contractKey: string;
}

type Phase = 'handshake' | 'awaitStart' | 'ready' | 'closed';

export interface SendMeta {
  /** A venue-pushed order event (an acknowledgement), as opposed to a reply to a request. */
  readonly live?: boolean;
}

let nextSessionId = 1;

export class Session {
  readonly sessionId = nextSessionId++;
  private phase: Phase = 'handshake';
  private readonly decoder: FrameDecoder;
  private version = 0;
  private client: number | null = null;
  private readonly log: Logger;

  private mdType = 1;
  private readonly mkt = new Map<number, MktSub>();
  private readonly histUpdates = new Map<number, SimContract>();
  private positionsSub = false;
  private accountUpdatesSub = false;
  private readonly summarySubs = new Map<number, ReadonlySet<string> | 'all'>();
  private readonly multiSubs = new Map<number, string>();
  private bindAll = false;

  private readonly recentMsgMs: number[] = [];
  private violations = 0;
  private readonly histRecords: HistRecord[] = [];
  private readonly timers = new Set<() => void>();
  private cancelPartialTimer: (() => void) | null = null;
  private cancelSetupTimer: (() => void) | null = null;

  messagesIn = 0;
  messagesOut = 0;

  constructor(
    private readonly transport: SessionTransport,
    private readonly ctx: SessionContext,
  ) {
    this.decoder = new FrameDecoder({ expectHandshake: true });
    this.log = ctx.logger.child({ session: this.sessionId, remote: transport.remote });
    const guard = ctx.guardClock;
    this.cancelSetupTimer = guard.schedule(guard.nowMs() + ctx.limits.setupTimeoutMs, () => {
      this.cancelSetupTimer = null;
      if (this.phase === 'ready' || this.phase === 'closed') return;
      this.log.warn('no startApi in time, dropping the connection', { timeoutMs: ctx.limits.setupTimeoutMs });
      this.close('no startApi in time', false);
    });
  }

  /** Bytes of an incomplete frame held for this connection. */
  get bufferedBytes(): number {
    return this.decoder.buffered;
  }

  get clientId(): number | null {
    return this.client;
  }

  get serverVersion(): number {
    return this.version;
  }

  get isReady(): boolean {
    return this.phase === 'ready';
  }

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  /** Receives orders of every client (clientId 0 after reqAutoOpenOrders(true)). */
  get bindsAllOrders(): boolean {
    return this.bindAll;
  }

  // -------------------------------------------------------------------------------------------
  // Input

  receive(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    for (const item of this.decoder.push(chunk)) {
      // A previous item may have closed the session (bad input, a fault, client id in use).
      if (this.isClosed) return;
      this.handleItem(item);
    }
    if (this.isClosed) return;
    this.guardPartialFrame();
  }

  /** A frame left half-sent holds memory: it must complete within the limit or the client goes. */
  private guardPartialFrame(): void {
    if (this.decoder.buffered === 0) {
      this.cancelPartialTimer?.();
      this.cancelPartialTimer = null;
      return;
    }
    if (this.cancelPartialTimer !== null) return;
    const guard = this.ctx.guardClock;
    const timeoutMs = this.ctx.limits.partialFrameTimeoutMs;
    this.cancelPartialTimer = guard.schedule(guard.nowMs() + timeoutMs, () => {
      this.cancelPartialTimer = null;
      if (this.phase === 'closed' || this.decoder.buffered === 0) return;
      this.log.warn('a frame stayed incomplete, dropping the client', {
        bytes: this.decoder.buffered,
        timeoutMs,
      });
      this.ctx.onPartialFrameDropped();
      this.close(`a frame stayed incomplete for ${timeoutMs} ms`, false);
    });
  }

  /** The peer closed or the socket failed. */
  transportClosed(): void {
    if (this.phase === 'closed') return;
    if (this.decoder.buffered > 0)
      this.log.warn('connection closed mid-frame', { bytes: this.decoder.buffered });
    this.shutdown('peer closed');
  }

  private handleItem(item: InboundItem): void {
    switch (item.kind) {
      case 'error':
        this.log.warn('unusable input, dropping client', { reason: item.reason });
        this.close(item.reason, false);
        return;
      case 'handshake':
        this.handleHandshake(item.text);
        return;
      case 'message':
        if (!item.terminated) this.log.warn('frame without a final NUL', { fields: item.fields.length });
        this.handleMessage(item.fields);
        return;
    }
  }

  private handleHandshake(text: string): void {
    const n = negotiateVersion(text, this.ctx.simMaxVersion);
    if (!n.ok) {
      this.log.warn('handshake refused', { reason: n.reason });
      this.close(n.reason, false);
      return;
    }
    this.version = n.version;
    this.phase = 'awaitStart';
    this.log.info('client handshake', {
      clientRange: `${n.client.min}..${n.client.max}`,
      serverVersion: n.version,
    });
    this.writeFields(enc.serverHello(n.version, this.connectionTimeText()), 'serverHello', {});
  }

  private handleMessage(fields: readonly string[]): void {
    this.messagesIn++;
    if (this.ctx.faults.onIncoming(this, Number(fields[0]))) {
      this.close('fault: drop at incoming message', false);
      return;
    }
    if (!this.withinRate()) return;
    const decoded = decodeRequest(fields, this.version);
    if (!decoded.ok) {
      this.answerUndecodable(decoded, fields);
      return;
    }
    if (decoded.leftover > 0) {
      this.log.warn('extra fields ignored', { request: decoded.request.type, extra: decoded.leftover });
    }
    if (this.phase === 'awaitStart' && decoded.request.type !== 'startApi') {
      this.sendError(
        -1,
        IbCode.READ_ERROR,
        `Error reading request: ${decoded.request.type} sent before startApi`,
      );
      return;
    }
    try {
      this.dispatch(decoded.request);
    } catch (e) {
      // An engine or codec bug must cost one answer, never the server.
      const message = e instanceof Error ? e.message : String(e);
      this.log.error('request failed', { request: decoded.request.type, error: message });
      this.sendError(
        -1,
        IbCode.PROCESSING_ERROR,
        `Error processing request: ${decoded.request.type}: ${message}`,
      );
    }
  }

  private answerUndecodable(
    d: Exclude<ReturnType<typeof decodeRequest>, { ok: true }>,
    fields: readonly string[],
  ): void {
    switch (d.kind) {
      case 'unknown':
        this.log.warn('unknown message id', { msgId: d.msgId ?? d.text });
        this.sendError(
          -1,
          IbCode.READ_ERROR,
          `Error reading request: unknown message id ${JSON.stringify(d.text)}`,
        );
        return;
      case 'unsupported':
        this.log.warn('unsupported request', { name: d.name });
        this.sendError(
          -1,
          IbCode.PROCESSING_ERROR,
          `Error processing request: ${d.name} is not supported by the simulator`,
        );
        return;
      case 'malformed': {
        this.log.warn('malformed request', { name: d.name, problems: d.problems });
        // An order's rejection belongs to its order id, when that much is readable.
        const orderId = d.msgId === ClientMsg.PLACE_ORDER ? Number.parseInt(fields[1] ?? '', 10) : Number.NaN;
        const id = Number.isSafeInteger(orderId) ? orderId : -1;
        this.sendError(id, IbCode.READ_ERROR, `Error reading request: ${d.name}: ${d.problems.join('; ')}`);
        return;
      }
    }
  }

  /** Messages-per-second limit: over it the message is rejected with 100; 3 rejections drop the session. */
  private withinRate(): boolean {
    const now = this.ctx.rateClockMs();
    while (this.recentMsgMs.length > 0 && (this.recentMsgMs[0] ?? 0) <= now - 1000) this.recentMsgMs.shift();
    if (this.recentMsgMs.length < this.ctx.limits.maxMessagesPerSecond) {
      this.recentMsgMs.push(now);
      return true;
    }
    this.violations++;
    const max = this.ctx.limits.maxMessagesPerSecond;
    this.sendError(
      -1,
      IbCode.MAX_RATE_EXCEEDED,
      `Max rate of messages per second has been exceeded:max=${max} rec=${this.recentMsgMs.length + 1} (${this.violations})`,
    );
    this.log.warn('pacing violation', { violations: this.violations });
    if (this.violations >= this.ctx.limits.maxPacingViolations) this.close('pacing violations', true);
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // Dispatch

  private dispatch(req: ClientRequest): void {
    switch (req.type) {
      case 'startApi':
        return this.startApi(req.clientId);
      case 'reqCurrentTime':
        return this.send(enc.currentTime(Math.floor(this.ctx.clock.nowMs() / 1000)));
      case 'reqIds':
        return this.send(enc.nextValidId(this.nextOrderId()));
      case 'reqManagedAccts':
        return this.send(enc.managedAccounts(this.ctx.accounts));
      case 'reqContractDetails':
        return this.reqContractDetails(req.reqId, req.contract);
      case 'reqSecDefOptParams': {
        for (const p of this.ctx.market.secDefOptParams(req.underlyingSymbol, req.underlyingConId ?? 0)) {
          this.send(enc.secDefOptParameter(req.reqId, p));
        }
        return this.send(enc.secDefOptParameterEnd(req.reqId));
      }
      case 'reqMarketDataType':
        return this.reqMarketDataType(req.marketDataType);
      case 'reqMktData':
        return this.reqMktData(req);
      case 'cancelMktData':
        if (!this.mkt.delete(req.reqId)) {
          this.sendError(req.reqId, IbCode.CANT_FIND_TICKER, `Can't find EId with tickerId:${req.reqId}`);
        }
        return;
      case 'reqHistoricalData':
        return this.reqHistoricalData(req);
      case 'cancelHistoricalData':
        this.histUpdates.delete(req.reqId);
        return;
      case 'reqHeadTimestamp':
        return this.reqHeadTimestamp(req);
      case 'cancelHeadTimestamp':
        // The answer went out with the request: there is nothing left to cancel.
        return;
      case 'reqMarketRule':
        return this.reqMarketRule(req.marketRuleId);
      case 'placeOrder':
        return this.placeOrder(req);
      case 'cancelOrder':
        this.log.info('cancel order', { clientId: this.client, orderId: req.orderId });
        return this.ctx.venue.cancelOrder(this.requireClientId(), req.orderId);
      case 'reqGlobalCancel':
        this.log.info('global cancel', { clientId: this.client });
        return this.ctx.venue.globalCancel();
      case 'reqOpenOrders':
        return this.replyOpenOrders(this.client === 0 ? {} : { clientId: this.requireClientId() });
      case 'reqAllOpenOrders':
        return this.replyOpenOrders({});
      case 'reqAutoOpenOrders':
        if (this.client !== 0) {
          this.sendError(
            -1,
            IbCode.VALIDATION_ERROR,
            'Error validating request: reqAutoOpenOrders is only allowed for client id 0',
          );
          return;
        }
        this.bindAll = req.autoBind;
        return this.replyOpenOrders({});
      case 'reqCompletedOrders':
        // Account-wide, as IB: the message carries no orderId or clientId (match by permId/orderRef).
        for (const c of this.ctx.venue.completedOrders({})) {
          const extras =
            this.ctx.orderExtras.get(`${c.order.request.clientId}:${c.order.request.orderId}`) ?? {};
          this.send(enc.completedOrder(this.version, c, execTimeText(c.completedTimeMs), extras));
        }
        return this.send(enc.completedOrdersEnd());
      case 'reqExecutions':
        return this.reqExecutions(req);
      case 'reqPositions':
        this.positionsSub = true;
        for (const p of this.ctx.venue.positions()) this.send(enc.position(p));
        return this.send(enc.positionEnd());
      case 'cancelPositions':
        this.positionsSub = false;
        return;
      case 'reqAccountSummary':
        return this.reqAccountSummary(req.reqId, req.tags);
      case 'cancelAccountSummary':
        this.summarySubs.delete(req.reqId);
        return;
      case 'reqAccountUpdates':
        return this.reqAccountUpdates(req.subscribe, req.account);
      case 'reqAccountUpdatesMulti':
        return this.reqAccountUpdatesMulti(req.reqId, req.account, req.modelCode);
      case 'cancelAccountUpdatesMulti':
        this.multiSubs.delete(req.reqId);
        return;
    }
  }

  private startApi(clientId: number): void {
    if (this.phase === 'ready') {
      this.log.warn('startApi repeated; ignored', { clientId });
      return;
    }
    if (this.ctx.clientIdInUse(clientId, this)) {
      this.log.warn('client id in use', { clientId });
      this.sendError(
        -1,
        IbCode.CLIENT_ID_IN_USE,
        'Unable to connect as the client id is already in use. Retry with a unique client id.',
      );
      this.close(`client id ${clientId} in use`, true);
      return;
    }
    this.client = clientId;
    this.phase = 'ready';
    this.cancelSetupTimer?.();
    this.cancelSetupTimer = null;
    this.log.info('client connected', { clientId, serverVersion: this.version });
    this.send(enc.managedAccounts(this.ctx.accounts));
    this.send(enc.nextValidId(this.nextOrderId()));
    this.sendError(-1, IbCode.MARKET_DATA_FARM_OK, 'Market data farm connection is OK:usfarm');
    this.sendError(-1, IbCode.HMDS_FARM_OK, 'HMDS data farm connection is OK:ushmds');
    this.sendError(-1, IbCode.SEC_DEF_FARM_OK, 'Sec-def data farm connection is OK:secdefil');
  }

  private nextOrderId(): number {
    return Math.max(1, this.ctx.venue.nextValidOrderId(this.requireClientId()));
  }

  private requireClientId(): number {
    if (this.client === null) throw new Error('no client id before startApi');
    return this.client;
  }

  // -------------------------------------------------------------------------------------------
  // Contracts

  private reqContractDetails(reqId: number, w: WireContract): void {
    if (w.secType.toUpperCase() === 'BAG') {
      this.sendError(
        reqId,
        IbCode.VALIDATION_ERROR,
        "Error validating request.-'bK' : cause - 'BAG' isn't supported for contract data request",
      );
      return;
    }
    // IB answers an unqualified request with a validation error, never with every contract it lists.
    if (w.conId === null) {
      const cause =
        w.secType.trim() === ''
          ? 'Please enter a valid security type'
          : w.symbol.trim() === '' && w.localSymbol.trim() === ''
            ? 'Please enter a symbol or a local symbol'
            : null;
      if (cause !== null) {
        this.sendError(reqId, IbCode.VALIDATION_ERROR, `Error validating request.-'bK' : cause - ${cause}`);
        return;
      }
    }
    const q = toQuery(w);
    const found = q === null ? [] : this.ctx.market.findContracts(q);
    if (found.length === 0) {
      this.sendError(
        reqId,
        IbCode.NO_SECURITY_DEFINITION,
        'No security definition has been found for the request',
      );
      return;
    }
    for (const c of found) this.send(enc.contractData(this.version, reqId, c));
    this.send(enc.contractDataEnd(reqId));
  }

  /** One contract for a request, or the error IB gives (200: none, or ambiguous). */
  private resolveContract(
    w: WireContract,
  ): { ok: true; contract: SimContract } | { ok: false; text: string } {
    if (w.conId !== null) {
      const c = this.ctx.market.contract(w.conId);
      return c === undefined
        ? { ok: false, text: 'No security definition has been found for the request' }
        : { ok: true, contract: c };
    }
    const q = toQuery(w);
    const found = q === null ? [] : this.ctx.market.findContracts(q);
    const first = found[0];
    if (first === undefined)
      return { ok: false, text: 'No security definition has been found for the request' };
    if (found.length > 1)
      return { ok: false, text: `The contract description specified for ${w.symbol} is ambiguous.` };
    return { ok: true, contract: first };
  }

  // -------------------------------------------------------------------------------------------
  // Market data

  private reqMarketDataType(type: number): void {
    if (!Number.isInteger(type) || type < 1 || type > 4) {
      this.sendError(
        -1,
        IbCode.VALIDATION_ERROR,
        `Error validating request: invalid market data type ${type}`,
      );
      return;
    }
    this.mdType = type;
    for (const sub of this.mkt.values()) {
      this.send(enc.marketDataType(sub.reqId, type));
      // Tick types change with the data type: resend everything under the new ids.
      sub.sent.clear();
      this.sendTicks(sub);
    }
  }

  private reqMktData(req: Extract<ClientRequest, { type: 'reqMktData' }>): void {
    const snapshot = req.snapshot || req.regulatorySnapshot;
    const generic = new Set(
      req.genericTickList
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
    if (snapshot && generic.size > 0) {
      this.sendError(
        req.reqId,
        IbCode.VALIDATION_ERROR,
        "Error validating request.-'bW' : cause - Snapshot market data subscription is not applicable to generic ticks",
      );
      return;
    }
    if (!snapshot) {
      if (this.mkt.has(req.reqId)) {
        this.sendError(
          req.reqId,
          IbCode.PROCESSING_ERROR,
          "Error processing request.-'bW' : cause - Duplicate ticker id",
        );
        return;
      }
      if (this.mkt.size >= this.ctx.limits.maxMarketDataLines) {
        this.sendError(req.reqId, IbCode.MAX_TICKERS, 'Max number of tickers has been reached');
        return;
      }
    }
    const sub = this.buildMktSub(req.reqId, req.contract, generic);
    if (sub === null) return;
    const minTick = sub.contract?.minTick ?? 0.01;
    this.send(enc.tickReqParams(req.reqId, minTick, '', 3));
    this.send(enc.marketDataType(req.reqId, this.mdType));
    this.sendTicks(sub);
    if (snapshot) {
      this.send(enc.tickSnapshotEnd(req.reqId));
      return;
    }
    this.mkt.set(req.reqId, sub);
  }

  private buildMktSub(reqId: number, w: WireContract, generic: ReadonlySet<string>): MktSub | null {
    if (w.secType.toUpperCase() !== 'BAG') {
      const r = this.resolveContract(w);
      if (!r.ok) {
        this.sendError(reqId, IbCode.NO_SECURITY_DEFINITION, r.text);
        return null;
      }
      return { reqId, conIds: [r.contract.conId], contract: r.contract, legs: [], generic, sent: new Map() };
    }
    const legs: MktLeg[] = [];
    for (const l of w.comboLegs) {
      const c = l.conId === null ? undefined : this.ctx.market.contract(l.conId);
      if (c === undefined || l.ratio === null || l.ratio <= 0) {
        this.sendError(
          reqId,
          IbCode.NO_SECURITY_DEFINITION,
          'No security definition has been found for the request',
        );
        return null;
      }
      legs.push({ contract: c, ratio: l.ratio, sign: l.action.toUpperCase() === 'SELL' ? -1 : 1 });
    }
    if (legs.length === 0) {
      this.sendError(reqId, IbCode.VALIDATION_ERROR, 'Error validating request: a BAG needs combo legs');
      return null;
    }
    return {
      reqId,
      conIds: legs.map((l) => l.contract.conId),
      contract: null,
      legs,
      generic,
      sent: new Map(),
    };
  }

  /** Called by the server when the model moved; sends changed ticks for affected streams. */
  onQuotes(changed: ReadonlySet<number>): void {
    if (this.phase !== 'ready') return;
    for (const sub of this.mkt.values()) {
      if (sub.conIds.some((id) => changed.has(id))) this.sendTicks(sub);
    }
    for (const [reqId, c] of this.histUpdates) {
      if (changed.has(c.conId)) this.sendHistoricalUpdate(reqId, c);
    }
  }

  private sendTicks(sub: MktSub): void {
    const ticks =
      sub.contract !== null ? this.singleTicks(sub.contract, sub.generic) : this.comboTicks(sub.legs);
    const delayed = this.mdType === 3 || this.mdType === 4;
    const map = (t: number): number => (delayed ? (DELAYED_TICK.get(t) ?? t) : t);
    for (const t of ticks) {
      switch (t.kind) {
        case 'price': {
          const priceKey = String(t.price);
          const sizeKey = String(t.size);
          const priceChanged = sub.sent.get(t.type) !== priceKey;
          const sizeChanged = t.sizeType !== null && sub.sent.get(t.sizeType) !== sizeKey;
          if (priceChanged) {
            const attrMask = t.type === 1 || t.type === 2 ? 1 : 0;
            this.send(enc.tickPrice(sub.reqId, map(t.type), t.price, t.size, attrMask));
            sub.sent.set(t.type, priceKey);
            // TWS follows a price with its size tick; stoqey never synthesises the bid size (type 0).
            if (t.sizeType !== null) {
              this.send(enc.tickSize(sub.reqId, map(t.sizeType), t.size));
              sub.sent.set(t.sizeType, sizeKey);
            }
          } else if (sizeChanged && t.sizeType !== null) {
            this.send(enc.tickSize(sub.reqId, map(t.sizeType), t.size));
            sub.sent.set(t.sizeType, sizeKey);
          }
          break;
        }
        case 'size': {
          const key = String(t.size);
          if (sub.sent.get(t.type) !== key) {
            this.send(enc.tickSize(sub.reqId, map(t.type), t.size));
            sub.sent.set(t.type, key);
          }
          break;
        }
        case 'generic': {
          const key = String(t.value);
          if (sub.sent.get(t.type) !== key) {
            this.send(enc.tickGeneric(sub.reqId, t.type, t.value));
            sub.sent.set(t.type, key);
          }
          break;
        }
        case 'option': {
          const m = this.ctx.market.optionModel(t.contract.conId) ?? null;
          const key = JSON.stringify(m);
          if (sub.sent.get(t.type) !== key) {
            this.send(enc.tickOptionComputation(sub.reqId, map(t.type), m));
            sub.sent.set(t.type, key);
          }
          break;
        }
      }
    }
  }

  private singleTicks(c: SimContract, generic: ReadonlySet<string>): Tick[] {
    const q = this.ctx.market.quote(c.conId);
    if (q === undefined) return [];
    const out: Tick[] = [];
    const price = (type: number, p: number | null, size: number, sizeType: number | null): void => {
      if (p !== null && Number.isFinite(p)) out.push({ kind: 'price', type, price: p, size, sizeType });
    };
    price(1, q.bid, q.bidSize, 0);
    price(2, q.ask, q.askSize, 3);
    price(4, q.last, q.lastSize, 5);
    price(6, q.high, 0, null);
    price(7, q.low, 0, null);
    price(9, q.close, 0, null);
    price(14, q.open, 0, null);
    out.push({ kind: 'size', type: 8, size: q.volume });
    if (c.secType === 'OPT') {
      out.push({ kind: 'option', type: 13, contract: c });
      if (generic.has('100')) out.push({ kind: 'size', type: c.right === 'P' ? 30 : 29, size: q.volume });
      const m = generic.has('106') ? this.ctx.market.optionModel(c.conId) : undefined;
      if (m !== undefined) out.push({ kind: 'generic', type: 24, value: m.impliedVol });
    }
    return out;
  }

  /** A combo quotes from its legs: buy legs at their ask for our ask, sell legs at their bid. */
  private comboTicks(legs: readonly MktLeg[]): Tick[] {
    const quotes: SimQuote[] = [];
    for (const l of legs) {
      const q = this.ctx.market.quote(l.contract.conId);
      if (q === undefined) return [];
      quotes.push(q);
    }
    let bid: number | null = 0;
    let ask: number | null = 0;
    let last: number | null = 0;
    let bidSize = Infinity;
    let askSize = Infinity;
    legs.forEach((l, i) => {
      const q = quotes[i];
      if (q === undefined) return;
      const buySide = l.sign === 1 ? q.bid : q.ask;
      const sellSide = l.sign === 1 ? q.ask : q.bid;
      const mark = q.last ?? (q.bid !== null && q.ask !== null ? (q.bid + q.ask) / 2 : null);
      bid = bid === null || buySide === null ? null : bid + l.sign * l.ratio * buySide;
      ask = ask === null || sellSide === null ? null : ask + l.sign * l.ratio * sellSide;
      last = last === null || mark === null ? null : last + l.sign * l.ratio * mark;
      bidSize = Math.min(bidSize, Math.floor((l.sign === 1 ? q.bidSize : q.askSize) / l.ratio));
      askSize = Math.min(askSize, Math.floor((l.sign === 1 ? q.askSize : q.bidSize) / l.ratio));
    });
    const out: Tick[] = [];
    const fin = (n: number): number => (Number.isFinite(n) ? n : 0);
    if (bid !== null)
      out.push({ kind: 'price', type: 1, price: round6(bid), size: fin(bidSize), sizeType: 0 });
    if (ask !== null)
      out.push({ kind: 'price', type: 2, price: round6(ask), size: fin(askSize), sizeType: 3 });
    if (last !== null) out.push({ kind: 'price', type: 4, price: round6(last), size: 0, sizeType: null });
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Historical data

  private reqHistoricalData(req: Extract<ClientRequest, { type: 'reqHistoricalData' }>): void {
    const c = this.historyContract(req.reqId, req.contract);
    if (c === null) return;
    if (!/^1\s*day$/i.test(req.barSize.trim())) {
      this.sendError(
        req.reqId,
        IbCode.VALIDATION_ERROR,
        `Error validating request: the simulator serves "1 day" bars only, not "${req.barSize}"`,
      );
      return;
    }
    const duration = parseDurationDays(req.duration);
    if (duration === null) {
      this.sendError(
        req.reqId,
        IbCode.VALIDATION_ERROR,
        `Error validating request: invalid duration "${req.duration}"`,
      );
      return;
    }
    const endMs = parseEndDateTime(req.endDateTime, this.ctx.clock.nowMs());
    if (endMs === null) {
      this.sendError(
        req.reqId,
        IbCode.VALIDATION_ERROR,
        `Error validating request: invalid end date/time "${req.endDateTime}"`,
      );
      return;
    }
    if (this.refuseHistoryData(req.reqId, c, req.whatToShow)) return;
    const pacing = this.historicalPacing(req, c);
    if (pacing !== null) {
      this.sendHmdsError(req.reqId, pacing);
      return;
    }
    const end = DateTime.fromMillis(endMs, { zone: NY });
    const endDate: IsoDate = end.toISODate() ?? '';
    const start = end.minus({ days: duration });
    const startYmd = start.toFormat('yyyyMMdd');
    const sessions = Math.ceil((duration * 5) / 7) + 10;
    const bars = this.ctx.market.dailyBars(c.conId, endDate, sessions).filter((b) => b.date > startYmd);
    this.send(
      enc.historicalData(
        req.reqId,
        `${start.toFormat('yyyyMMdd HH:mm:ss')} US/Eastern`,
        `${end.toFormat('yyyyMMdd HH:mm:ss')} US/Eastern`,
        bars,
      ),
    );
    if (req.keepUpToDate && req.endDateTime.trim() === '') this.histUpdates.set(req.reqId, c);
  }

  /** Resolves a history request's contract as IB does: combos get 321, unknown contracts 200. */
  private historyContract(reqId: number, contract: WireContract): SimContract | null {
    if (contract.secType.toUpperCase() === 'BAG') {
      this.sendError(
        reqId,
        IbCode.VALIDATION_ERROR,
        "Error validating request.-'bP' : cause - Historical data is not available for combination contracts",
      );
      return null;
    }
    const r = this.resolveContract(contract);
    if (!r.ok) {
      this.sendError(reqId, IbCode.NO_SECURITY_DEFINITION, r.text);
      return null;
    }
    return r.contract;
  }

  /** HMDS has daily TRADES bars for indexes and futures only: anything else gets 162. */
  private refuseHistoryData(reqId: number, c: SimContract, whatToShow: string): boolean {
    if (whatToShow.toUpperCase() !== 'TRADES') {
      this.sendHmdsError(
        reqId,
        `No data of type ${whatToShow} is available for ${c.symbol} daily bars in the simulator`,
      );
      return true;
    }
    if (c.secType === 'OPT') {
      this.sendHmdsError(reqId, `HMDS query returned no data: ${c.localSymbol}@${c.exchange} Trades`);
      return true;
    }
    return false;
  }

  private sendHmdsError(reqId: number, text: string): void {
    this.sendError(
      reqId,
      IbCode.HISTORICAL_DATA_ERROR,
      `Historical Market Data Service error message:${text}`,
    );
  }

  /** The first daily bar's 09:30 open; refused as reqHistoricalData refuses (BAG 321, options and non-TRADES 162). */
  private reqHeadTimestamp(req: Extract<ClientRequest, { type: 'reqHeadTimestamp' }>): void {
    const c = this.historyContract(req.reqId, req.contract);
    if (c === null) return;
    if (this.refuseHistoryData(req.reqId, c, req.whatToShow)) return;
    const today: IsoDate = DateTime.fromMillis(this.ctx.clock.nowMs(), { zone: NY }).toISODate() ?? '';
    const first = this.ctx.market.dailyBars(c.conId, today, Number.MAX_SAFE_INTEGER)[0];
    if (first === undefined) {
      this.sendHmdsError(req.reqId, `HMDS query returned no data: ${c.localSymbol}@${c.exchange} Trades`);
      return;
    }
    const open = DateTime.fromFormat(`${first.date} 09:30:00`, 'yyyyMMdd HH:mm:ss', { zone: NY });
    // formatDate 2 asks for epoch seconds; anything else gets TWS's UTC "yyyymmdd-hh:mm:ss".
    const text =
      req.formatDate === 2
        ? String(Math.floor(open.toSeconds()))
        : open.toUTC().toFormat('yyyyMMdd-HH:mm:ss');
    this.send(enc.headTimestamp(req.reqId, text));
  }

  /** IB's message carries no request id, so an unknown rule is reported against id -1 (code 321). */
  private reqMarketRule(marketRuleId: number): void {
    const increments = MARKET_RULES[String(marketRuleId)];
    if (increments === undefined) {
      this.sendError(
        -1,
        IbCode.VALIDATION_ERROR,
        `Error validating request: unknown market rule id ${marketRuleId}`,
      );
      return;
    }
    this.send(enc.marketRule(marketRuleId, increments));
  }

  /** IB's historical pacing rules, applied to daily bars too (docs/ib-notes.md §3 "Pacing"). */
  private historicalPacing(
    req: Extract<ClientRequest, { type: 'reqHistoricalData' }>,
    c: SimContract,
  ): string | null {
    const now = this.ctx.clock.nowMs();
    const key = [c.conId, req.endDateTime, req.barSize, req.duration, req.whatToShow, req.useRth].join('|');
    const contractKey = `${c.conId}|${req.whatToShow}`;
    while (this.histRecords.length > 0 && (this.histRecords[0]?.atMs ?? 0) <= now - 600_000)
      this.histRecords.shift();
    const recent = (ms: number): HistRecord[] => this.histRecords.filter((h) => h.atMs > now - ms);
    let violation: string | null = null;
    if (recent(15_000).some((h) => h.key === key))
      violation = 'identical historical data request within 15 seconds';
    else if (recent(2_000).filter((h) => h.contractKey === contractKey).length >= 5) {
      violation = 'six or more historical data requests for the same contract within two seconds';
    } else if (this.histRecords.length >= 60)
      violation = 'more than 60 historical data requests within ten minutes';
    if (violation !== null) {
      this.log.warn('historical data pacing violation', { reqId: req.reqId, rule: violation });
      return `Historical data request pacing violation (${violation})`;
    }
    this.histRecords.push({ atMs: now, key, contractKey });
    return null;
  }

  private sendHistoricalUpdate(reqId: number, c: SimContract): void {
    const q = this.ctx.market.quote(c.conId);
    const last = q?.last ?? q?.close ?? null;
    if (q === undefined || last === null) return;
    const date = DateTime.fromMillis(this.ctx.clock.nowMs(), { zone: NY }).toFormat('yyyyMMdd');
    this.send(
      enc.historicalDataUpdate(reqId, -1, {
        date,
        open: q.open ?? last,
        high: q.high ?? last,
        low: q.low ?? last,
        close: last,
        volume: q.volume,
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Orders

  /** Decodes the order into a ticket; the venue validates it and answers (one home for the rules). */
  private placeOrder(req: Extract<ClientRequest, { type: 'placeOrder' }>): void {
    const clientId = this.requireClientId();
    const { orderId, order, contract: w } = req;
    if (this.ctx.faults.onPlaceOrder(this, orderId, order)) {
      this.log.warn('fault: order swallowed', { clientId, orderId, orderRef: order.orderRef });
      return;
    }
    const ticket: SimOrderTicket = {
      clientId,
      orderId,
      contract: ticketContract(w),
      action: order.action,
      totalQuantity: order.totalQuantity,
      orderType: order.orderType,
      lmtPrice: order.lmtPrice,
      tif: order.tif,
      account: order.account,
      orderRef: order.orderRef,
      transmit: order.transmit,
      whatIf: order.whatIf,
      ocaGroup: order.ocaGroup,
      exchange: w.exchange,
    };
    if (!order.transmit && !order.whatIf) {
      this.log.warn('order with transmit=false is held, never routed (set transmit: true)', {
        clientId,
        orderId,
      });
    }
    this.log.info('place order', {
      clientId,
      orderId,
      contract: describeTicketContract(ticket.contract, w),
      action: order.action,
      quantity: order.totalQuantity,
      orderType: order.orderType,
      lmtPrice: order.lmtPrice,
      orderRef: order.orderRef,
      whatIf: order.whatIf,
    });
    const extrasKey = `${clientId}:${orderId}`;
    const previous = this.ctx.orderExtras.get(extrasKey);
    // Set before the venue answers: its openOrder echoes the routing params.
    if (order.smartComboRoutingParams.length > 0)
      this.ctx.orderExtras.set(extrasKey, { smartComboRoutingParams: order.smartComboRoutingParams });
    else this.ctx.orderExtras.delete(extrasKey);
    const result = this.ctx.venue.placeOrder(ticket);
    if (result.kind === 'refused') {
      this.log.info('order refused', { clientId, orderId, code: result.code, text: result.message });
      // A refused modification keeps the order's original extras; a refused new order leaves none.
      if (previous !== undefined) this.ctx.orderExtras.set(extrasKey, previous);
      else this.ctx.orderExtras.delete(extrasKey);
    } else if (result.kind === 'what-if' && previous === undefined) {
      this.ctx.orderExtras.delete(extrasKey);
    }
  }

  private replyOpenOrders(filter: { readonly clientId?: number }): void {
    for (const o of this.ctx.venue.openOrders(filter)) {
      this.sendOpenOrder(o, false);
      this.sendEvent(enc.orderStatus(o), {});
    }
    this.send(enc.openOrderEnd());
  }

  private sendOpenOrder(view: SimOrderView, live: boolean): void {
    const extras = this.ctx.orderExtras.get(`${view.request.clientId}:${view.request.orderId}`) ?? {};
    this.sendEvent(enc.openOrder(this.version, view, extras), { live });
  }

  private reqExecutions(req: Extract<ClientRequest, { type: 'reqExecutions' }>): void {
    const f = req.filter;
    const side = f.side.toUpperCase();
    const filter: ExecutionFilter = {
      ...(f.clientId !== null && f.clientId !== 0 ? { clientId: f.clientId } : {}),
      ...(f.account !== '' ? { account: f.account } : {}),
      ...(f.time !== '' ? { time: f.time } : {}),
      ...(f.symbol !== '' ? { symbol: f.symbol } : {}),
      ...(f.secType !== '' ? { secType: f.secType } : {}),
      ...(side === 'BUY' || side === 'SELL' ? { side } : {}),
    };
    for (const { execution, commission } of this.ctx.venue.executions(filter)) {
      this.sendEvent(enc.execDetails(this.version, req.reqId, execution, execTimeText(execution.timeMs)), {});
      this.sendEvent(enc.commissionReport(commission), {});
    }
    this.send(enc.execDetailsEnd(req.reqId));
  }

  // -------------------------------------------------------------------------------------------
  // Account

  private reqAccountSummary(reqId: number, tagsText: string): void {
    if (
      this.summarySubs.size >= this.ctx.limits.maxAccountSummarySubscriptions &&
      !this.summarySubs.has(reqId)
    ) {
      this.sendError(
        reqId,
        IbCode.PROCESSING_ERROR,
        'Error processing request: Maximum number of account summary requests exceeded',
      );
      return;
    }
    const tags = tagsText
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const all = tags.length === 0 || tags.some((t) => t.startsWith('$LEDGER'));
    const wanted: ReadonlySet<string> | 'all' = all ? 'all' : new Set(tags);
    this.summarySubs.set(reqId, wanted);
    const values = this.ctx.venue.accountValues();
    const account = this.ctx.venue.account;
    for (const [tag, value] of Object.entries(values)) {
      if (wanted === 'all' || wanted.has(tag))
        this.send(enc.accountSummary(reqId, account, tag, value, currencyOf(tag)));
    }
    this.send(enc.accountSummaryEnd(reqId));
  }

  private reqAccountUpdates(subscribe: boolean, account: string): void {
    this.accountUpdatesSub = subscribe;
    if (!subscribe) return;
    const acct = this.ctx.venue.account;
    if (account !== '' && account !== acct) {
      this.sendError(-1, IbCode.VALIDATION_ERROR, `Error validating request: unknown account ${account}`);
      this.accountUpdatesSub = false;
      return;
    }
    for (const [key, value] of Object.entries(this.ctx.venue.accountValues())) {
      this.send(enc.updateAccountValue(key, value, currencyOf(key), acct));
    }
    for (const p of this.ctx.venue.positions())
      this.send(enc.updatePortfolio(this.portfolioLine(p.contract, p.position, p.avgCost, p.account)));
    this.send(
      enc.updateAccountTime(DateTime.fromMillis(this.ctx.clock.nowMs(), { zone: NY }).toFormat('HH:mm')),
    );
    this.send(enc.accountDownloadEnd(acct));
  }

  private reqAccountUpdatesMulti(reqId: number, account: string, modelCode: string): void {
    const acct = this.ctx.venue.account;
    this.multiSubs.set(reqId, modelCode);
    if (account === '' || account === acct || account.toUpperCase() === 'ALL') {
      for (const [key, value] of Object.entries(this.ctx.venue.accountValues())) {
        this.send(enc.accountUpdateMulti(reqId, acct, modelCode, key, value, currencyOf(key)));
      }
    }
    this.send(enc.accountUpdateMultiEnd(reqId));
  }

  private portfolioLine(c: SimContract, pos: number, avgCost: number, account: string): enc.PortfolioLine {
    const q = this.ctx.market.quote(c.conId);
    const mid = q !== undefined && q.bid !== null && q.ask !== null ? (q.bid + q.ask) / 2 : null;
    const mult = c.multiplier ?? 1;
    const marketPrice = q?.last ?? mid ?? q?.close ?? avgCost / mult;
    const marketValue = round6(pos * marketPrice * mult);
    return {
      contract: c,
      position: pos,
      marketPrice,
      marketValue,
      avgCost,
      unrealizedPnl: round6(marketValue - pos * avgCost),
      realizedPnl: 0,
      account,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Venue events (routed here by the server)

  onVenueEvent(e: VenueEvent): void {
    if (this.phase !== 'ready') return;
    switch (e.type) {
      case 'openOrder':
        return this.sendOpenOrder(e.order, true);
      case 'orderStatus':
        return this.sendEvent(enc.orderStatus(e.order), { live: true });
      case 'execution':
        return this.sendEvent(
          enc.execDetails(this.version, -1, e.execution, execTimeText(e.execution.timeMs)),
          {},
        );
      case 'commission':
        return this.sendEvent(enc.commissionReport(e.report), {});
      case 'error':
        return this.sendError(e.id, e.code, e.message);
      case 'position':
        if (this.positionsSub) this.send(enc.position(e.position));
        if (this.accountUpdatesSub) {
          const p = e.position;
          this.send(enc.updatePortfolio(this.portfolioLine(p.contract, p.position, p.avgCost, p.account)));
        }
        return;
      case 'accountValue':
        for (const [reqId, wanted] of this.summarySubs) {
          if (wanted === 'all' || wanted.has(e.key))
            this.send(enc.accountSummary(reqId, e.account, e.key, e.value, currencyOf(e.key)));
        }
        if (this.accountUpdatesSub)
          this.send(enc.updateAccountValue(e.key, e.value, currencyOf(e.key), e.account));
        for (const [reqId, modelCode] of this.multiSubs) {
          this.send(enc.accountUpdateMulti(reqId, e.account, modelCode, e.key, e.value, currencyOf(e.key)));
        }
        return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Output

  sendError(id: number, code: SimIbCode, text: string, advancedOrderRejectJson = ''): void {
    this.send(enc.errorMessage(this.version, id, code, text, advancedOrderRejectJson));
  }

  /** Sends one message through the fault plan. */
  send(fields: readonly string[]): void {
    this.sendEvent(fields, {});
  }

  private sendEvent(fields: readonly string[], meta: SendMeta): void {
    if (this.phase === 'closed') return;
    const event = serverEventName(Number.parseInt(fields[0] ?? '', 10));
    const d = this.ctx.faults.onOutgoing(this, event, meta.live ?? false);
    switch (d.action) {
      case 'send':
        this.writeFields(fields, event, meta);
        if (d.copies === 2) this.writeFields(fields, event, meta);
        return;
      case 'drop':
        this.log.warn('fault: message dropped', { event });
        return;
      case 'delay': {
        const cancel = this.ctx.clock.schedule(this.ctx.clock.nowMs() + d.delayMs, () => {
          this.timers.delete(cancel);
          this.writeFields(fields, event, meta);
        });
        this.timers.add(cancel);
        return;
      }
      case 'disconnect':
        this.log.warn('fault: connection dropped', { event, reason: d.reason });
        this.close(d.reason, false);
        return;
    }
  }

  private writeFields(fields: readonly string[], event: string, _meta: SendMeta): void {
    if (this.phase === 'closed') return;
    this.messagesOut++;
    this.log.debug('send', { event, fields: fields.length });
    this.transport.write(encodeFrame(fields));
  }

  /** Ends the connection. graceful: flush what was written first (so a final error arrives). */
  close(reason: string, graceful: boolean): void {
    if (this.phase === 'closed') return;
    this.log.info('closing connection', { clientId: this.client, reason });
    if (graceful) this.transport.end();
    else this.transport.destroy();
    this.shutdown(reason);
  }

  private shutdown(reason: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.cancelPartialTimer?.();
    this.cancelPartialTimer = null;
    this.cancelSetupTimer?.();
    this.cancelSetupTimer = null;
    this.decoder.reset();
    this.mkt.clear();
    this.histUpdates.clear();
    this.summarySubs.clear();
    this.multiSubs.clear();
    this.log.info('client disconnected', { clientId: this.client, reason });
    this.ctx.onClosed(this);
  }

  private connectionTimeText(): string {
    return DateTime.fromMillis(this.ctx.clock.nowMs(), { zone: NY })
      .setLocale('en-US')
      .toFormat('yyyyMMdd HH:mm:ss ZZZZ');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function currencyOf(tag: string): string {
  return tag === 'AccountType' || tag === 'AccountCode' || tag === 'Cushion' || tag === 'Leverage'
    ? ''
    : 'USD';
}

/** "20250110 10:00:01 US/Eastern", as TWS writes execution times. */
export function execTimeText(ms: number): string {
  return `${DateTime.fromMillis(ms, { zone: NY }).toFormat('yyyyMMdd HH:mm:ss')} US/Eastern`;
}

function describeTicketContract(c: SimTicketContract, w: WireContract): string {
  switch (c.kind) {
    case 'single':
      return `${w.localSymbol !== '' ? w.localSymbol : w.symbol} (conId ${c.conId})`;
    case 'described':
      return `${w.localSymbol !== '' ? w.localSymbol : w.symbol} ${w.secType} ${w.lastTradeDateOrContractMonth} ${w.strike ?? ''}${w.right}`;
    case 'bag':
      return `BAG ${c.symbol} ${c.legs.map((l) => `${l.action} ${String(l.ratio)}x${String(l.conId)}`).join(', ')}`;
  }
}

/** The order's contract as the client wrote it: a conId, a description, or a BAG's legs. */
function ticketContract(w: WireContract): SimTicketContract {
  if (w.secType.toUpperCase() === 'BAG')
    return {
      kind: 'bag',
      symbol: w.symbol,
      legs: w.comboLegs.map((l) => ({
        conId: l.conId,
        ratio: l.ratio,
        action: l.action,
        exchange: l.exchange,
      })),
    };
  if (w.conId !== null) return { kind: 'single', conId: w.conId };
  return { kind: 'described', query: toQuery(w), symbol: w.symbol };
}

/** Wire contract → engine query; null when a given field cannot match anything (e.g. right "X"). */
export function toQuery(w: WireContract): ContractQuery | null {
  const right = normaliseRight(w.right);
  if (right === 'invalid') return null;
  const text = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());
  const exchange = text(w.exchange);
  const q: ContractQuery = {
    ...(w.conId !== null ? { conId: w.conId } : {}),
    ...(text(w.symbol) !== undefined ? { symbol: w.symbol.trim() } : {}),
    ...(text(w.secType) !== undefined ? { secType: w.secType.trim().toUpperCase() } : {}),
    ...(text(w.lastTradeDateOrContractMonth) !== undefined
      ? { lastTradeDateOrContractMonth: w.lastTradeDateOrContractMonth.trim().replaceAll('-', '') }
      : {}),
    ...(w.strike !== null ? { strike: w.strike } : {}),
    ...(right !== undefined ? { right } : {}),
    ...(w.multiplier !== null ? { multiplier: w.multiplier } : {}),
    // SMART routes to the listing exchange: it narrows nothing.
    ...(exchange !== undefined && exchange.toUpperCase() !== 'SMART'
      ? { exchange: exchange.toUpperCase() }
      : {}),
    ...(text(w.currency) !== undefined ? { currency: w.currency.trim().toUpperCase() } : {}),
    ...(text(w.localSymbol) !== undefined ? { localSymbol: w.localSymbol.trim() } : {}),
    ...(text(w.tradingClass) !== undefined ? { tradingClass: w.tradingClass.trim() } : {}),
  };
  return q;
}

function normaliseRight(r: string): 'C' | 'P' | undefined | 'invalid' {
  const s = r.trim().toUpperCase();
  if (s === '' || s === '?' || s === '0') return undefined;
  if (s === 'C' || s === 'CALL') return 'C';
  if (s === 'P' || s === 'PUT') return 'P';
  return 'invalid';
}

/** "5 D", "2 W", "1 M", "1 Y" → calendar days; null when unusable for daily bars. */
export function parseDurationDays(s: string): number | null {
  const m = /^(\d{1,4})\s*([DWMY])$/i.exec(s.trim());
  if (m === null) return null;
  const n = Number.parseInt(m[1] ?? '', 10);
  if (n <= 0) return null;
  switch ((m[2] ?? '').toUpperCase()) {
    case 'D':
      return n;
    case 'W':
      return 7 * n;
    case 'M':
      return 31 * n;
    default:
      return 366 * n;
  }
}

/**
 * IB end times: "" (now), "yyyymmdd hh:mm:ss" (New York), "yyyymmdd hh:mm:ss <zone>",
 * "yyyymmdd-hh:mm:ss" (UTC), or "yyyymmdd". Returns epoch ms or null.
 */
export function parseEndDateTime(s: string, nowMs: number): number | null {
  const t = s.trim();
  if (t === '') return nowMs;
  let m = /^(\d{8})-(\d{2}):(\d{2}):(\d{2})$/.exec(t);
  if (m !== null) return toMs(`${m[1] ?? ''} ${m[2] ?? ''}:${m[3] ?? ''}:${m[4] ?? ''}`, 'UTC');
  m = /^(\d{8})(?:\s+(\d{2}:\d{2}(?::\d{2})?))?(?:\s+(\S+))?$/.exec(t);
  if (m === null) return null;
  const time = m[2] ?? '23:59:59';
  const zone = m[3] === undefined ? NY : m[3] === 'US/Eastern' ? NY : m[3];
  return toMs(`${m[1] ?? ''} ${time.length === 5 ? `${time}:00` : time}`, zone);
}

function toMs(text: string, zone: string): number | null {
  const dt = DateTime.fromFormat(text, 'yyyyMMdd HH:mm:ss', { zone });
  return dt.isValid ? dt.toMillis() : null;
}
