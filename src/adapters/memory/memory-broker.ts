// The broker port over the simulator's venue in-process: the same order validation, the same IB
// codes and the same fault catalogue as over TCP (it calls the same venue), with no wire in between.
// It answers as the IB adapter would: submit/modify/cancel settle on the first acknowledgement or
// error for the order (no answer: `unknown`), events are de-duplicated by execId, open orders are
// every client's, completed orders carry an order id only when this broker saw their permId, and a
// send while the link is down is refused with stoqey's "not connected" code (504).
//
// A MemoryGateway is the in-process stand-in for IB Gateway: it hands out one broker per client id
// (a second connection with the same id gets IB's 326), drops every link on a gateway restart, and
// applies the link faults (drop, delay, duplicate, swallow) to each broker's link as a TCP session does.
import { dollarsToCents } from '../../domain/money.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type { Clock } from '../../ports/clock.ts';
import type {
  AccountReport,
  BrokerContract,
  BrokerEvent,
  BrokerPort,
  BrokerResult,
  CompletedOrderReport,
  ConnectFailure,
  ConnectInfo,
  ExecutionsReport,
  IbOrderStatus,
  OrderIntent,
  OrderReport,
  PositionReport,
  SendOutcome,
  WhatIfOutcome,
} from '../../ports/broker.ts';
import type { Logger } from '../../ports/logger.ts';
import type {
  ContractQuery,
  SimMarket,
  SimOrderTicket,
  SimOrderView,
  SimTicketContract,
  SimVenue,
  VenueEvent,
} from '../../sim/engine-api.ts';
import type { FaultSubject, SimFaults } from '../../sim/faults.ts';
import type { SimIbCode } from '../../sim/ib-codes.ts';
import { silentLogger } from '../log/silent-logger.ts';
import {
  SIM_CODE_CLASS,
  accountFromSim,
  commissionFromSim,
  completedOrderFromSim,
  executionFromSim,
  orderReportFromSim,
  positionFromSim,
} from './from-sim.ts';

/** The code a send carries when it never left because the link was down (stoqey's "not connected"). */
export const MEMORY_NOT_CONNECTED_CODE = 504;

export interface MemoryGatewayOptions {
  readonly venue: SimVenue & { restart(): void };
  readonly market: SimMarket;
  readonly clock: Clock;
  /** The simulator's fault catalogue: link faults act on each broker's link, venue faults on the venue. */
  readonly faults?: SimFaults;
  /** Reported in ConnectInfo (default 178, the simulator's default). */
  readonly serverVersion?: number;
  readonly logger?: Logger;
}

export interface MemoryBrokerOptions {
  /** IB client id (default 1). */
  readonly clientId?: number;
  /** Reconnect by itself after a dropped link, as the IB adapter does (default true). */
  readonly autoReconnect?: boolean;
}

export interface MemoryBroker extends BrokerPort {
  readonly clientId: number;
  /** Test hook: the link fails as a network failure would; with autoReconnect it comes back on the next turn. */
  dropLink(reason?: string): void;
}

export interface MemoryGateway {
  /** A broker for one client id, not connected until connect(). */
  broker(opts?: MemoryBrokerOptions): MemoryBroker;
  /** Gateway restart: the venue restarts (IB's ids start over) and every link drops. */
  restart(): void;
}

/** One broker on its own in-process gateway. */
export function createMemoryBroker(opts: MemoryGatewayOptions & MemoryBrokerOptions): MemoryBroker {
  return createMemoryGateway(opts).broker(opts);
}

/** Link session ids, apart from the TCP sessions' (fault plans count messages per session). */
let nextLinkId = 1_000_000;

export function createMemoryGateway(opts: MemoryGatewayOptions): MemoryGateway {
  const brokers = new Set<InProcessBroker>();
  const gateway: GatewayContext = {
    opts,
    log: (opts.logger ?? silentLogger).child({ component: 'memory-broker' }),
    clientIdInUse: (clientId, asking) => {
      for (const b of brokers) if (b !== asking && b.isConnected() && b.clientId === clientId) return true;
      return false;
    },
    register: (b) => brokers.add(b),
  };
  return {
    broker: (b = {}) => new InProcessBroker(gateway, b.clientId ?? 1, b.autoReconnect ?? true),
    restart() {
      gateway.log.warn('gateway restart: dropping every in-process link', { links: brokers.size });
      opts.venue.restart();
      for (const b of [...brokers]) b.dropLink('gateway restart');
    },
  };
}

interface GatewayContext {
  readonly opts: MemoryGatewayOptions;
  readonly log: Logger;
  clientIdInUse(clientId: number, asking: InProcessBroker): boolean;
  register(b: InProcessBroker): void;
}

/** What one request collected from the events delivered while it ran. */
interface Capture {
  readonly orderId: number;
  status: IbOrderStatus | null;
  refusal: { code: SimIbCode; text: string } | null;
  whatIf: SimOrderView | null;
  dropped: string | null;
}

const WIRE_EVENT: Record<VenueEvent['type'], string> = {
  openOrder: 'openOrder',
  orderStatus: 'orderStatus',
  execution: 'execDetails',
  commission: 'commissionReport',
  error: 'error',
  position: 'position',
  accountValue: 'accountSummary',
};

class InProcessBroker implements MemoryBroker {
  readonly name: string;
  private readonly venue: SimVenue;
  private readonly clock: Clock;
  private readonly faults: SimFaults | null;
  private readonly log: Logger;
  private readonly listeners = new Set<(e: BrokerEvent) => void>();
  private readonly execIds = new Set<string>();
  private readonly commissionIds = new Set<string>();
  private readonly permIds = new Map<number, { orderId: number; clientId: number }>();
  private session: { readonly id: number; readonly info: ConnectInfo; readonly off: () => void } | null =
    null;
  private wanted = false;
  private reconnectTimer: (() => void) | null = null;
  private capture: Capture | null = null;
  private ibNext = 1;
  private highestSeen = 0;
  private issued = 0;
  private floor = 0;

  constructor(
    private readonly gw: GatewayContext,
    readonly clientId: number,
    private readonly autoReconnect: boolean,
  ) {
    this.venue = gw.opts.venue;
    this.clock = gw.opts.clock;
    this.faults = gw.opts.faults ?? null;
    this.name = `memory simulator client ${clientId}`;
    this.log = gw.log.child({ clientId });
    gw.register(this);
  }

  // -------------------------------------------------------------------------------------------
  // Link

  connect(): Promise<Result<ConnectInfo, ConnectFailure>> {
    this.wanted = true;
    if (this.session !== null) return Promise.resolve(ok(this.session.info));
    return Promise.resolve(this.open());
  }

  disconnect(): Promise<void> {
    this.wanted = false;
    this.cancelReconnect();
    this.close();
    return Promise.resolve();
  }

  isConnected(): boolean {
    return this.session !== null;
  }

  dropLink(reason = 'dropped by the simulator'): void {
    if (this.session === null) return;
    this.close();
    this.log.warn('link lost', { reason });
    this.emit({ type: 'connectivity', state: 'lost', dataLost: true, reason, atMs: this.clock.nowMs() });
    if (this.autoReconnect && this.wanted) this.scheduleReconnect();
  }

  private open(): Result<ConnectInfo, ConnectFailure> {
    if (this.gw.clientIdInUse(this.clientId, this))
      return err({
        kind: 'client-id-in-use',
        clientId: this.clientId,
        text: 'Unable to connect as the client id is already in use. Retry with a unique client id.',
      });
    const id = nextLinkId++;
    this.ibNext = Math.max(1, this.venue.nextValidOrderId(this.clientId));
    const info: ConnectInfo = {
      accounts: [this.venue.account],
      serverVersion: this.gw.opts.serverVersion ?? 178,
      serverTimeMs: this.serverNowMs(),
      nextValidOrderId: this.ibNext,
    };
    const off = this.venue.onEvent((e) => this.onVenueEvent(id, e));
    this.session = { id, info, off };
    this.log.info('connected', { nextValidOrderId: this.ibNext });
    return ok(info);
  }

  private close(): void {
    const s = this.session;
    if (s === null) return;
    this.session = null;
    s.off();
    if (this.capture !== null) this.capture.dropped ??= 'the link dropped before the gateway answered';
  }

  /** The next turn of the event loop, as a reconnecting client would; retries back off while the id is taken. */
  private scheduleReconnect(retryMs = 0): void {
    this.cancelReconnect();
    const attempt = (): void => {
      this.reconnectTimer = null;
      if (!this.wanted || this.session !== null) return;
      const r = this.open();
      if (!r.ok) {
        this.scheduleReconnect(Math.min(1_000, Math.max(10, retryMs * 2)));
        return;
      }
      this.emit({
        type: 'connectivity',
        state: 'restored',
        dataLost: true,
        reason: 'reconnected on a new session: fills during the outage are not pushed, pull the reports',
        atMs: this.clock.nowMs(),
      });
    };
    if (retryMs === 0) {
      const h = setImmediate(attempt);
      this.reconnectTimer = () => clearImmediate(h);
    } else {
      const h = setTimeout(attempt, retryMs);
      h.unref();
      this.reconnectTimer = () => clearTimeout(h);
    }
  }

  private cancelReconnect(): void {
    this.reconnectTimer?.();
    this.reconnectTimer = null;
  }

  private subject(): FaultSubject {
    return { sessionId: this.session?.id ?? -1, clientId: this.clientId };
  }

  /** A request reaching the gateway: a fault may drop the link instead of handling it. */
  private incoming(): boolean {
    if (this.session === null) return false;
    if (this.faults?.onIncoming(this.subject()) === true) {
      this.dropLink('fault: drop at incoming message');
      return false;
    }
    return true;
  }

  private onVenueEvent(sessionId: number, e: VenueEvent): void {
    if (this.session?.id !== sessionId || !this.owns(e)) return;
    const name = WIRE_EVENT[e.type];
    const live = e.type === 'openOrder' || e.type === 'orderStatus';
    const d = this.faults?.onOutgoing(this.subject(), name, live) ?? { action: 'send', copies: 1 };
    switch (d.action) {
      case 'send':
        this.deliver(e);
        if (d.copies === 2) this.deliver(e);
        return;
      case 'drop':
        this.log.warn('fault: message dropped', { event: name });
        return;
      case 'delay':
        this.clock.schedule(this.clock.nowMs() + d.delayMs, () => {
          if (this.session?.id === sessionId) this.deliver(e);
        });
        return;
      case 'disconnect':
        this.dropLink(d.reason);
        return;
    }
  }

  private owns(e: VenueEvent): boolean {
    switch (e.type) {
      case 'openOrder':
      case 'orderStatus':
        return e.order.request.clientId === this.clientId;
      case 'execution':
        return e.execution.clientId === this.clientId;
      case 'commission':
      case 'error':
        return e.clientId === this.clientId;
      case 'position':
      case 'accountValue':
        return false;
    }
  }

  private deliver(e: VenueEvent): void {
    const c = this.capture;
    switch (e.type) {
      case 'openOrder':
      case 'orderStatus': {
        const view = e.order;
        const req = view.request;
        if (c !== null && req.orderId === c.orderId) {
          if (req.whatIf) c.whatIf ??= view;
          else c.status ??= view.status;
        }
        if (req.whatIf) return;
        if (view.permId > 0) this.permIds.set(view.permId, { orderId: req.orderId, clientId: req.clientId });
        if (e.type === 'openOrder') {
          this.emit({ type: 'open-order', order: orderReportFromSim(view) });
          return;
        }
        this.emit({
          type: 'order-status',
          orderId: req.orderId,
          permId: view.permId > 0 ? view.permId : null,
          status: view.status,
          filled: view.filled,
          remaining: view.remaining,
          avgFillPrice: view.filled > 0 ? view.avgFillPrice : null,
          atMs: this.clock.nowMs(),
        });
        return;
      }
      case 'execution':
        if (this.execIds.has(e.execution.execId)) return;
        this.execIds.add(e.execution.execId);
        this.permIds.set(e.execution.permId, {
          orderId: e.execution.orderId,
          clientId: e.execution.clientId,
        });
        this.emit({ type: 'execution', execution: executionFromSim(e.execution) });
        return;
      case 'commission':
        if (this.commissionIds.has(e.report.execId)) return;
        this.commissionIds.add(e.report.execId);
        this.emit({ type: 'commission', report: commissionFromSim(e.report) });
        return;
      case 'error': {
        const cls = SIM_CODE_CLASS[e.code];
        if (c !== null && e.id === c.orderId && cls === 'refused')
          c.refusal ??= { code: e.code, text: e.message };
        this.emit({ type: 'error', id: e.id, code: e.code, text: e.message, class: cls });
        return;
      }
      case 'position':
      case 'accountValue':
        return;
    }
  }

  private emit(e: BrokerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (x) {
        this.log.error('a broker event listener threw', {
          error: x instanceof Error ? x.message : String(x),
        });
      }
    }
  }

  onEvent(listener: (e: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------
  // Orders

  nextOrderId(): number {
    const id = Math.max(this.ibNext, this.highestSeen + 1, this.floor, this.issued + 1);
    this.issued = id;
    return id;
  }

  raiseOrderIdFloor(minNextId: number): void {
    this.floor = Math.max(this.floor, minNextId);
  }

  submit(order: OrderIntent): Promise<SendOutcome> {
    return Promise.resolve(this.place('submit', order));
  }

  modify(order: OrderIntent): Promise<SendOutcome> {
    return Promise.resolve(this.place('modify', order));
  }

  cancel(orderId: number): Promise<SendOutcome> {
    if (this.session === null) return Promise.resolve(notConnected(orderId, 'the cancel was not sent'));
    if (!this.incoming()) return Promise.resolve(lost(orderId, 'cancel'));
    const c = this.run(orderId, () => this.venue.cancelOrder(this.clientId, orderId));
    return Promise.resolve(outcomeOf(c, 'cancel'));
  }

  private place(kind: 'submit' | 'modify', order: OrderIntent): SendOutcome {
    if (!Number.isSafeInteger(order.orderId) || order.orderId <= 0)
      throw new Error(`order id must be a positive integer, got ${order.orderId}`);
    if (!Number.isSafeInteger(order.quantity) || order.quantity <= 0)
      throw new Error(`order quantity must be a positive integer, got ${order.quantity}`);
    const { orderId } = order;
    if (this.session === null) return notConnected(orderId, `the ${kind} was not sent`);
    this.highestSeen = Math.max(this.highestSeen, orderId);
    this.issued = Math.max(this.issued, orderId);
    if (!this.incoming()) return lost(orderId, kind);
    if (this.faults?.onPlaceOrder(this.subject(), orderId) === true) {
      this.log.warn('fault: order swallowed', { orderId, orderRef: order.orderRef });
      return noAck(orderId, kind);
    }
    const c = this.run(orderId, () => this.venue.placeOrder(this.ticket(order, false)));
    this.log.info(kind, { orderId, orderRef: order.orderRef, limitPriceCents: order.limitPrice });
    return outcomeOf(c, kind);
  }

  whatIf(order: Omit<OrderIntent, 'orderId'>): Promise<WhatIfOutcome> {
    if (this.session === null)
      return Promise.resolve({ kind: 'unavailable', reason: 'not connected to the gateway' });
    const orderId = this.nextOrderId();
    if (!this.incoming()) return Promise.resolve({ kind: 'unavailable', reason: 'the link dropped' });
    const c = this.run(orderId, () => this.venue.placeOrder(this.ticket({ ...order, orderId }, true)));
    if (c.refusal !== null)
      return Promise.resolve({ kind: 'refused', code: c.refusal.code, text: c.refusal.text });
    const answer = c.whatIf;
    if (answer === null)
      return Promise.resolve({ kind: 'unavailable', reason: c.dropped ?? 'no what-if answer' });
    const m = answer.margin;
    if (m === null)
      return Promise.resolve({
        kind: 'unavailable',
        reason: `IB answered without margin numbers: ${answer.warningText}`,
      });
    return Promise.resolve({
      kind: 'margin',
      initMarginChange: dollarsToCents(m.initMarginChange),
      maintMarginChange: dollarsToCents(m.maintMarginChange),
      initMarginAfter: dollarsToCents(m.initMarginAfter),
      equityWithLoanAfter: dollarsToCents(m.equityWithLoanAfter),
      commission: dollarsToCents(m.commission),
      warning: answer.warningText === '' ? null : answer.warningText,
    });
  }

  /** Runs one request against the venue, collecting what the link delivers for its order id. */
  private run(orderId: number, act: () => void): Capture {
    const c: Capture = { orderId, status: null, refusal: null, whatIf: null, dropped: null };
    this.capture = c;
    try {
      act();
    } finally {
      this.capture = null;
    }
    return c;
  }

  private ticket(order: OrderIntent, whatIf: boolean): SimOrderTicket {
    return {
      clientId: this.clientId,
      orderId: order.orderId,
      contract: this.ticketContract(order.contract),
      action: order.action,
      totalQuantity: order.quantity,
      orderType: 'LMT',
      lmtPrice: order.limitPrice / 100,
      tif: 'DAY',
      account: order.account,
      orderRef: order.orderRef,
      transmit: true,
      whatIf,
      ocaGroup: '',
      exchange: 'SMART',
    };
  }

  /** Legs are looked up by their description, as the IB adapter resolves conIds before a BAG. */
  private ticketContract(c: BrokerContract): SimTicketContract {
    const market = this.gw.opts.market;
    if (c.kind === 'single')
      return { kind: 'described', query: optionQuery(c.contract), symbol: c.contract.symbol };
    return {
      kind: 'bag',
      symbol: c.symbol,
      legs: c.legs.map((l) => {
        const found = market.findContracts(optionQuery(l.contract));
        return {
          conId: found.length === 1 ? found[0]!.conId : null,
          ratio: l.ratio,
          action: l.action,
          exchange: 'SMART',
        };
      }),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Reports

  private report<T>(what: string, answer: () => T): Promise<BrokerResult<T>> {
    if (this.session === null || !this.incoming())
      return Promise.resolve(err({ kind: 'disconnected', text: `${what}: not connected to the gateway` }));
    return Promise.resolve(ok(answer()));
  }

  openOrders(): Promise<BrokerResult<readonly OrderReport[]>> {
    // Every client's orders, as the IB adapter asks (reqAllOpenOrders).
    return this.report('open orders', () =>
      this.venue
        .openOrders({})
        .map((v) => {
          if (v.permId > 0)
            this.permIds.set(v.permId, { orderId: v.request.orderId, clientId: v.request.clientId });
          return orderReportFromSim(v);
        })
        .sort((a, b) => a.orderId - b.orderId),
    );
  }

  executions(): Promise<BrokerResult<ExecutionsReport>> {
    return this.report("today's executions", () => {
      const all = this.venue.executions({});
      const executions = all
        .map((x) => executionFromSim(x.execution))
        .sort((a, b) => a.timeMs - b.timeMs || a.execId.localeCompare(b.execId));
      const byId = new Map(all.map((x) => [x.commission.execId, commissionFromSim(x.commission)]));
      return {
        executions,
        commissions: executions.flatMap((e) => {
          const c = byId.get(e.execId);
          return c === undefined ? [] : [c];
        }),
      };
    });
  }

  completedOrders(): Promise<BrokerResult<readonly CompletedOrderReport[]>> {
    return this.report("today's completed orders", () =>
      this.venue
        .completedOrders({})
        .map((c) => completedOrderFromSim(c, this.permIds.get(c.order.permId) ?? null)),
    );
  }

  positions(): Promise<BrokerResult<readonly PositionReport[]>> {
    return this.report('positions', () =>
      this.venue
        .positions()
        .filter((p) => p.position !== 0 && p.account === this.venue.account)
        .map(positionFromSim),
    );
  }

  async account(): Promise<BrokerResult<AccountReport>> {
    const r = await this.report('account', () =>
      accountFromSim(this.venue.account, this.venue.accountValues()),
    );
    if (!r.ok) return r;
    return r.value === null
      ? err({ kind: 'error', code: 0, text: 'the account values are incomplete' })
      : ok(r.value);
  }

  serverTimeMs(): Promise<BrokerResult<number>> {
    return this.report('gateway time', () => this.serverNowMs());
  }

  /** reqCurrentTime answers in whole seconds. */
  private serverNowMs(): number {
    return Math.floor(this.clock.nowMs() / 1000) * 1000;
  }
}

/** The contract description of an option, as reqContractDetails would be asked for it. */
export function optionQuery(o: {
  readonly symbol: string;
  readonly tradingClass: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: 'C' | 'P';
}): ContractQuery {
  return {
    symbol: o.symbol,
    secType: 'OPT',
    tradingClass: o.tradingClass,
    lastTradeDateOrContractMonth: o.expiry.replaceAll('-', ''),
    strike: o.strike,
    right: o.right,
  };
}

function outcomeOf(c: Capture, kind: 'submit' | 'modify' | 'cancel'): SendOutcome {
  if (c.refusal !== null)
    return { kind: 'refused', orderId: c.orderId, code: c.refusal.code, text: c.refusal.text };
  if (c.status !== null) return { kind: 'sent', orderId: c.orderId, status: c.status };
  if (c.dropped !== null)
    return {
      kind: 'unknown',
      orderId: c.orderId,
      reason: `${c.dropped} (${kind}): reconcile before sending anything else`,
    };
  return noAck(c.orderId, kind);
}

function noAck(orderId: number, kind: string): SendOutcome {
  return {
    kind: 'unknown',
    orderId,
    reason: `no acknowledgement of the ${kind}: reconcile before sending anything else`,
  };
}

function lost(orderId: number, kind: string): SendOutcome {
  return {
    kind: 'unknown',
    orderId,
    reason: `the link dropped while sending the ${kind}: reconcile before sending anything else`,
  };
}

function notConnected(orderId: number, what: string): SendOutcome {
  return {
    kind: 'refused',
    orderId,
    code: MEMORY_NOT_CONNECTED_CODE,
    text: `not connected to the gateway: ${what}`,
  };
}
