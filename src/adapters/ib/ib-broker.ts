// BrokerPort over an IB gateway. A submit, modify or cancel ends as `sent` (IB acknowledged it),
// `refused` (IB's code and text; or never sent because the link was down) or `unknown` (no answer by
// the deadline, or the link dropped after the message left: the caller reconciles, never re-sends
// blindly). Events are typed and de-duplicated (executions and commissions by execId); reports pull
// open orders, today's executions with commissions, completed orders, positions and account values.
import type { CommissionReport, Contract, Execution, Order, OrderState } from '@stoqey/ib';
import { EventName } from '@stoqey/ib/dist/api/data/enum/event-name.js';
import type { OptionContract } from '../../domain/instruments.ts';
import { contractKey } from '../../domain/instruments.ts';
import { cents } from '../../domain/money.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type {
  AccountReport,
  BrokerContract,
  BrokerEvent,
  BrokerPort,
  BrokerResult,
  CommissionReport as PortCommission,
  CompletedOrderReport,
  ConnectFailure,
  ConnectInfo,
  ExecutionReport,
  ExecutionsReport,
  IbOrderStatus,
  OrderIntent,
  OrderReport,
  PositionReport,
  SendOutcome,
  WhatIfOutcome,
} from '../../ports/broker.ts';
import { FINAL_STATUSES } from '../../domain/broker-reports.ts';
import type { Logger } from '../../ports/logger.ts';
import { optionKey } from './contract-resolver.ts';
import {
  centsFromIb,
  commissionFromIb,
  completedOrderFromIb,
  executionFromIb,
  ibNumber,
  orderReportFromIb,
  orderStatusFromIb,
  positionContractFromIb,
  whatIfFromIb,
} from './from-ib.ts';
import type { OrderProgress } from './from-ib.ts';
import type { IbClient } from './ib-client.ts';
import type { IbMessage, LinkEvent } from './ib-connection.ts';
import { ORDER_ID_MIN } from './request-registry.ts';
import { comboToIb, limitOrderToIb, optionToIb } from './to-ib.ts';

/** The code a send carries when it never left ironvix because the link was down (stoqey's "not connected"). */
export const NOT_CONNECTED_CODE = 504;
/** The code of a send that never left ironvix for a reason of its own (no IB code applies). */
export const NOT_SENT_CODE = 0;

const CANCEL_ACK_STATUSES: ReadonlySet<IbOrderStatus> = new Set<IbOrderStatus>([
  'PendingCancel',
  'Cancelled',
  'ApiCancelled',
]);

type AckKind = 'submit' | 'modify' | 'cancel';

interface AckWaiter {
  readonly kind: AckKind;
  readonly orderId: number;
  settle(o: SendOutcome): void;
}

interface WhatIfWaiter {
  readonly orderId: number;
  /** IB's first answer may carry a warning and no margin: kept to explain an `unavailable`. */
  warning: string | null;
  settle(o: WhatIfOutcome): void;
}

interface OpenOrderSeen {
  readonly orderId: number;
  readonly contract: Contract;
  readonly order: Order;
  readonly state: OrderState;
}

interface CompletedSeen {
  readonly contract: Contract;
  readonly order: Order;
  readonly state: OrderState;
}

interface PositionSeen {
  readonly account: string;
  readonly contract: Contract;
  readonly position: number;
  readonly avgCost: number | undefined;
}

export class IbBroker implements BrokerPort {
  private readonly log: Logger;
  private readonly listeners = new Set<(e: BrokerEvent) => void>();
  private readonly acks = new Map<number, AckWaiter[]>();
  private readonly whatIfs = new Map<number, WhatIfWaiter>();
  private readonly progress = new Map<number, OrderProgress>();
  private readonly permIds = new Map<number, { readonly orderId: number; readonly clientId: number }>();
  private readonly execIds = new Set<string>();
  private readonly commissions = new Map<string, PortCommission>();
  private readonly execAccumulators = new Map<number, Map<string, ExecutionReport>>();
  private openOrdersSeen: Map<number, OpenOrderSeen> | null = null;
  private completedSeen: CompletedSeen[] | null = null;
  private positionsSeen: PositionSeen[] | null = null;
  private floor = ORDER_ID_MIN;
  private highestSeen = 0;
  private issued = 0;

  constructor(private readonly client: IbClient) {
    this.log = client.logger.child({ component: 'ib-broker' });
    client.conn.bind((on) => {
      on(EventName.openOrder, (orderId: number, contract: Contract, order: Order, state: OrderState) =>
        this.onOpenOrder(orderId, contract, order, state),
      );
      on(
        EventName.orderStatus,
        (
          orderId: number,
          status: string,
          filled: number,
          remaining: number,
          avgFillPrice: number,
          permId?: number,
          _parentId?: number,
          _lastFillPrice?: number,
          clientId?: number,
        ) => this.onOrderStatus(orderId, status, filled, remaining, avgFillPrice, permId, clientId),
      );
      on(EventName.openOrderEnd, () => {
        const seen = this.openOrdersSeen;
        if (seen !== null) this.client.registry.keyed<Map<number, OpenOrderSeen>>('openOrders')?.finish(seen);
      });
      on(EventName.execDetails, (reqId: number, contract: Contract, execution: Execution) =>
        this.onExecution(reqId, contract, execution),
      );
      on(EventName.execDetailsEnd, (reqId: number) => {
        const acc = this.execAccumulators.get(reqId);
        if (acc !== undefined) this.client.registry.get<Map<string, ExecutionReport>>(reqId)?.finish(acc);
      });
      on(EventName.commissionReport, (report: CommissionReport) => this.onCommission(report));
      on(EventName.completedOrder, (contract: Contract, order: Order, state: OrderState) => {
        this.completedSeen?.push({ contract, order, state });
      });
      on(EventName.completedOrdersEnd, () => {
        const seen = this.completedSeen;
        if (seen !== null) this.client.registry.keyed<CompletedSeen[]>('completedOrders')?.finish(seen);
      });
      on(EventName.position, (account: string, contract: Contract, position: number, avgCost?: number) => {
        this.positionsSeen?.push({ account, contract, position, avgCost });
      });
      on(EventName.positionEnd, () => {
        const seen = this.positionsSeen;
        if (seen !== null) this.client.registry.keyed<PositionSeen[]>('positions')?.finish(seen);
      });
    });
    client.conn.onMessage((m) => this.onIbMessage(m));
    client.conn.onLink((e) => this.onLink(e));
  }

  get name(): string {
    return this.client.name;
  }

  connect(): Promise<Result<ConnectInfo, ConnectFailure>> {
    return this.client.conn.connect();
  }

  async disconnect(): Promise<void> {
    await this.client.conn.disconnect();
    this.settleAll('disconnected by ironvix before the gateway answered');
  }

  isConnected(): boolean {
    return this.client.conn.isReady();
  }

  nextOrderId(): number {
    const ibNext = this.client.conn.info()?.nextValidOrderId ?? 0;
    const id = Math.max(ORDER_ID_MIN, ibNext, this.highestSeen + 1, this.floor, this.issued + 1);
    this.issued = id;
    return id;
  }

  raiseOrderIdFloor(minNextId: number): void {
    if (Number.isSafeInteger(minNextId)) this.floor = Math.max(this.floor, minNextId);
  }

  onEvent(listener: (e: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------
  // Orders

  submit(order: OrderIntent): Promise<SendOutcome> {
    return this.place('submit', order);
  }

  modify(order: OrderIntent): Promise<SendOutcome> {
    return this.place('modify', order);
  }

  async cancel(orderId: number): Promise<SendOutcome> {
    if (!this.client.conn.isReady()) return notConnected(orderId, 'the cancel was not sent');
    const outcome = this.waitForAck('cancel', orderId, this.client.conn.timeouts.cancelAckMs);
    const sent = await this.client.conn.send('order', (api) => api.cancelOrder(orderId, ''));
    if (!sent) this.settleAck(orderId, 'cancel', notConnected(orderId, 'the cancel was not sent'));
    this.log.info('cancel', { orderId, sent });
    return outcome;
  }

  async whatIf(order: Omit<OrderIntent, 'orderId'>): Promise<WhatIfOutcome> {
    if (!this.client.conn.isReady()) return { kind: 'unavailable', reason: 'not connected to the gateway' };
    const contract = await this.ibContract(order.contract);
    if (!contract.ok) {
      return contract.error.kind === 'refused'
        ? { kind: 'refused', code: contract.error.code, text: contract.error.text }
        : { kind: 'unavailable', reason: contract.error.text };
    }
    const orderId = this.nextOrderId();
    const timeoutMs = this.client.conn.timeouts.whatIfMs;
    const outcome = new Promise<WhatIfOutcome>((resolve) => {
      const cancelTimer = this.client.clock.schedule(this.client.clock.nowMs() + timeoutMs, () => {
        const w = this.whatIfs.get(orderId);
        w?.settle({
          kind: 'unavailable',
          reason:
            w.warning === null
              ? `no what-if answer within ${timeoutMs} ms`
              : `IB answered without margin numbers: ${w.warning}`,
        });
      });
      this.whatIfs.set(orderId, {
        orderId,
        warning: null,
        settle: (o) => {
          cancelTimer();
          this.whatIfs.delete(orderId);
          resolve(o);
        },
      });
    });
    const sent = await this.client.conn.send('order', (api) =>
      api.placeOrder(orderId, contract.value, limitOrderToIb(order, true)),
    );
    if (!sent)
      this.whatIfs.get(orderId)?.settle({ kind: 'unavailable', reason: 'not connected to the gateway' });
    return outcome;
  }

  private async place(kind: 'submit' | 'modify', order: OrderIntent): Promise<SendOutcome> {
    if (!Number.isSafeInteger(order.orderId) || order.orderId <= 0)
      throw new Error(`order id must be a positive integer, got ${order.orderId}`);
    if (!Number.isSafeInteger(order.quantity) || order.quantity <= 0)
      throw new Error(`order quantity must be a positive integer, got ${order.quantity}`);
    const { orderId } = order;
    if (!this.client.conn.isReady()) return notConnected(orderId, `the ${kind} was not sent`);
    const contract = await this.ibContract(order.contract);
    if (!contract.ok) {
      const e = contract.error;
      return e.kind === 'refused'
        ? { kind: 'refused', orderId, code: e.code, text: e.text }
        : {
            kind: 'refused',
            orderId,
            code: e.kind === 'disconnected' ? NOT_CONNECTED_CODE : NOT_SENT_CODE,
            text: `${e.text}: the ${kind} was not sent`,
          };
    }
    this.highestSeen = Math.max(this.highestSeen, orderId);
    this.issued = Math.max(this.issued, orderId);
    const outcome = this.waitForAck(kind, orderId, this.client.conn.timeouts.orderAckMs);
    const sent = await this.client.conn.send('order', (api) =>
      api.placeOrder(orderId, contract.value, limitOrderToIb(order, false)),
    );
    if (!sent) this.settleAck(orderId, kind, notConnected(orderId, `the ${kind} was not sent`));
    this.log.info(kind, {
      orderId,
      orderRef: order.orderRef,
      action: order.action,
      quantity: order.quantity,
      limitPriceCents: order.limitPrice,
      sent,
    });
    return outcome;
  }

  /** IB's contract for an order: legs resolved to conIds first (a BAG needs them). */
  private async ibContract(
    c: BrokerContract,
  ): Promise<
    Result<
      Contract,
      | { readonly kind: 'refused'; readonly code: number; readonly text: string }
      | { readonly kind: 'disconnected' | 'timeout'; readonly text: string }
    >
  > {
    const options: OptionContract[] = c.kind === 'single' ? [c.contract] : c.legs.map((l) => l.contract);
    const r = await this.client.resolver.resolveOptions(options);
    if (!r.ok) {
      const e = r.error;
      return err(e.kind === 'error' ? { kind: 'refused', code: e.code, text: e.text } : e);
    }
    const conIds: number[] = [];
    for (const o of options) {
      const res = r.value.get(optionKey(o));
      if (res === undefined || !res.ok)
        return err({
          kind: 'refused',
          code: res?.ok === false ? res.error.code : 200,
          text: res?.ok === false ? res.error.text : `${contractKey(o)} is not listed`,
        });
      conIds.push(res.value);
    }
    if (c.kind === 'single') return ok(optionToIb(c.contract, conIds[0]));
    return ok(
      comboToIb(
        c.symbol,
        c.legs.map((l, i) => ({ conId: conIds[i] ?? 0, ratio: l.ratio, action: l.action })),
      ),
    );
  }

  private waitForAck(kind: AckKind, orderId: number, timeoutMs: number): Promise<SendOutcome> {
    return new Promise<SendOutcome>((resolve) => {
      const cancelTimer = this.client.clock.schedule(this.client.clock.nowMs() + timeoutMs, () =>
        this.settleAck(orderId, kind, {
          kind: 'unknown',
          orderId,
          reason: `no acknowledgement of the ${kind} within ${timeoutMs} ms: reconcile before sending anything else`,
        }),
      );
      const waiter: AckWaiter = {
        kind,
        orderId,
        settle: (o) => {
          cancelTimer();
          resolve(o);
        },
      };
      this.acks.set(orderId, [...(this.acks.get(orderId) ?? []), waiter]);
    });
  }

  /** Settles the waiters of an order (only those of `kind`, when given). */
  private settleAck(orderId: number, kind: AckKind | null, o: SendOutcome): void {
    const waiters = this.acks.get(orderId);
    if (waiters === undefined) return;
    const hit = waiters.filter((w) => kind === null || w.kind === kind);
    const rest = waiters.filter((w) => !hit.includes(w));
    if (rest.length === 0) this.acks.delete(orderId);
    else this.acks.set(orderId, rest);
    for (const w of hit) w.settle(o);
  }

  private settleAll(reason: string): void {
    for (const [orderId, waiters] of [...this.acks]) {
      this.acks.delete(orderId);
      for (const w of waiters) w.settle({ kind: 'unknown', orderId, reason });
    }
    for (const w of [...this.whatIfs.values()]) w.settle({ kind: 'unavailable', reason });
  }

  // -------------------------------------------------------------------------------------------
  // Incoming

  private isOurs(clientId: number | undefined): boolean {
    const ours = this.client.conn.endpoint.clientId;
    return ours === 0 || clientId === undefined || clientId === ours;
  }

  private onOpenOrder(orderId: number, contract: Contract, order: Order, state: OrderState): void {
    if (order.whatIf === true) {
      const w = this.whatIfs.get(orderId);
      if (w === undefined) return;
      const margin = whatIfFromIb(state);
      if (margin !== null) w.settle(margin);
      else w.warning = (state.warningText ?? '').trim() || 'no margin numbers in the answer';
      return;
    }
    if (order.permId !== undefined && order.permId > 0)
      this.permIds.set(order.permId, {
        orderId,
        clientId: order.clientId ?? this.client.conn.endpoint.clientId,
      });
    this.openOrdersSeen?.set(orderId, { orderId, contract, order, state });
    if (!this.isOurs(order.clientId)) return;
    this.highestSeen = Math.max(this.highestSeen, orderId);
    const status = orderStatusFromIb(state.status);
    this.settleAck(orderId, 'submit', { kind: 'sent', orderId, status });
    this.settleAck(orderId, 'modify', { kind: 'sent', orderId, status });
    const report = orderReportFromIb(
      orderId,
      contract,
      order,
      state,
      this.progress.get(orderId) ?? null,
      (id) => this.client.resolver.optionOf(id),
    );
    if (report !== null) this.emit({ type: 'open-order', order: report });
  }

  private onOrderStatus(
    orderId: number,
    statusText: string,
    filled: number,
    remaining: number,
    avgFillPrice: number,
    permId: number | undefined,
    clientId: number | undefined,
  ): void {
    const status = orderStatusFromIb(statusText);
    if (status === null) {
      this.log.warn('order status not understood', { orderId, status: statusText });
      return;
    }
    if (!this.isOurs(clientId)) return;
    const progress: OrderProgress = {
      status,
      filled: ibNumber(filled) ?? 0,
      remaining: ibNumber(remaining) ?? 0,
    };
    this.progress.set(orderId, progress);
    if (permId !== undefined && permId > 0)
      this.permIds.set(permId, { orderId, clientId: clientId ?? this.client.conn.endpoint.clientId });
    this.highestSeen = Math.max(this.highestSeen, orderId);
    this.settleAck(orderId, 'submit', { kind: 'sent', orderId, status });
    this.settleAck(orderId, 'modify', { kind: 'sent', orderId, status });
    if (CANCEL_ACK_STATUSES.has(status) || FINAL_STATUSES.has(status))
      this.settleAck(orderId, 'cancel', { kind: 'sent', orderId, status });
    const avg = ibNumber(avgFillPrice);
    this.emit({
      type: 'order-status',
      orderId,
      permId: permId !== undefined && permId > 0 ? permId : null,
      status,
      filled: progress.filled,
      remaining: progress.remaining,
      avgFillPrice: progress.filled > 0 && avg !== null ? avg : null,
      atMs: this.client.clock.nowMs(),
    });
  }

  private onExecution(reqId: number, contract: Contract, execution: Execution): void {
    const report = executionFromIb(contract, execution);
    if (report === null) {
      this.log.warn('execution not understood', { execId: execution.execId, orderId: execution.orderId });
      return;
    }
    this.execAccumulators.get(reqId)?.set(report.execId, report);
    if (report.permId > 0)
      this.permIds.set(report.permId, { orderId: report.orderId, clientId: report.clientId });
    if (this.isOurs(report.clientId)) this.highestSeen = Math.max(this.highestSeen, report.orderId);
    if (this.execIds.has(report.execId)) {
      this.log.debug('duplicate execution ignored', { execId: report.execId });
      return;
    }
    this.execIds.add(report.execId);
    this.emit({ type: 'execution', execution: report });
  }

  private onCommission(r: CommissionReport): void {
    const c = commissionFromIb(r);
    if (c === null) return;
    if (this.commissions.has(c.execId)) return;
    this.commissions.set(c.execId, c);
    this.emit({ type: 'commission', report: c });
  }

  private onIbMessage(m: IbMessage): void {
    if (m.id >= 0) {
      const w = this.whatIfs.get(m.id);
      if (w !== undefined) {
        if (m.class === 'refused') w.settle({ kind: 'refused', code: m.code, text: m.text });
        else if (m.class === 'unknown') w.settle({ kind: 'unavailable', reason: `IB ${m.code}: ${m.text}` });
      }
      this.routeOrderError(m);
    }
    this.emit({ type: 'error', id: m.id, code: m.code, text: m.text, class: m.class });
  }

  /** An error for an order id settles what waits for that order, as its context says. */
  private routeOrderError(m: IbMessage): void {
    const waiters = this.acks.get(m.id);
    if (waiters === undefined) return;
    for (const kind of ['submit', 'modify', 'cancel'] as const) {
      if (!waiters.some((w) => w.kind === kind)) continue;
      if (kind === 'cancel' && m.code === 202) {
        this.settleAck(m.id, 'cancel', { kind: 'sent', orderId: m.id, status: 'Cancelled' });
      } else if (kind !== 'cancel' && m.code === 202) {
        // Cancelled before any acknowledgement: the order is not working.
        this.settleAck(m.id, kind, { kind: 'refused', orderId: m.id, code: m.code, text: m.text });
      } else if (m.class === 'refused') {
        this.settleAck(m.id, kind, { kind: 'refused', orderId: m.id, code: m.code, text: m.text });
      } else if (m.class === 'unknown') {
        this.settleAck(m.id, kind, {
          kind: 'unknown',
          orderId: m.id,
          reason: `IB ${m.code} (${m.text}): reconcile before sending anything else`,
        });
      }
    }
  }

  private onLink(e: LinkEvent): void {
    switch (e.type) {
      case 'lost':
        this.settleAll(
          `the link dropped before the gateway answered (${e.reason}): reconcile before sending anything else`,
        );
        this.emit({ type: 'connectivity', state: 'lost', dataLost: true, reason: e.reason, atMs: e.atMs });
        return;
      case 'restored':
        this.emit({
          type: 'connectivity',
          state: 'restored',
          dataLost: e.dataLost,
          reason: e.reason,
          atMs: e.atMs,
        });
        return;
      case 'ready':
        if (!e.first)
          this.emit({
            type: 'connectivity',
            state: 'restored',
            dataLost: true,
            reason: 'reconnected on a new socket: fills during the outage are not pushed, pull the reports',
            atMs: e.atMs,
          });
        return;
    }
  }

  private emit(e: BrokerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (x) {
        this.log.error('broker event listener failed', {
          type: e.type,
          error: x instanceof Error ? x.message : String(x),
        });
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reports

  async openOrders(): Promise<BrokerResult<readonly OrderReport[]>> {
    const { request, joined } = this.client.registry.openKeyed<Map<number, OpenOrderSeen>>('openOrders', {
      what: 'open orders',
      timeoutMs: this.client.conn.timeouts.requestMs,
      onSettled: () => {
        this.openOrdersSeen = null;
      },
    });
    if (!joined) {
      this.openOrdersSeen = new Map();
      // Every client's orders: after a restart IB may re-bind orders, and reconciliation finds them by orderRef/permId.
      const sent = await this.client.conn.send('control', (api) => api.reqAllOpenOrders());
      if (!sent) request.fail({ kind: 'disconnected', text: 'open orders: not connected to the gateway' });
    }
    const r = await request.promise;
    if (!r.ok) return r;
    const seen = [...r.value.values()];
    await this.client.resolver.learnConIds(seen.flatMap((s) => legConIds(s.contract)));
    const out: OrderReport[] = [];
    for (const s of seen) {
      const report = orderReportFromIb(
        s.orderId,
        s.contract,
        s.order,
        s.state,
        this.progress.get(s.orderId) ?? null,
        (id) => this.client.resolver.optionOf(id),
      );
      if (report !== null && !FINAL_STATUSES.has(report.status)) out.push(report);
    }
    return ok(out.sort((a, b) => a.orderId - b.orderId));
  }

  async executions(): Promise<BrokerResult<ExecutionsReport>> {
    const req = this.client.registry.open<Map<string, ExecutionReport>>({
      what: "today's executions",
      timeoutMs: this.client.conn.timeouts.requestMs,
      onSettled: () => this.execAccumulators.delete(req.reqId),
    });
    this.execAccumulators.set(req.reqId, new Map());
    const sent = await this.client.conn.send('control', (api) => api.reqExecutions(req.reqId, {}));
    if (!sent) req.fail({ kind: 'disconnected', text: "today's executions: not connected to the gateway" });
    const r = await req.promise;
    if (!r.ok) return r;
    const executions = [...r.value.values()].sort(
      (a, b) => a.timeMs - b.timeMs || a.execId.localeCompare(b.execId),
    );
    const commissions = executions
      .map((e) => this.commissions.get(e.execId))
      .filter((c): c is PortCommission => c !== undefined);
    return ok({ executions, commissions });
  }

  async completedOrders(): Promise<BrokerResult<readonly CompletedOrderReport[]>> {
    const { request, joined } = this.client.registry.openKeyed<CompletedSeen[]>('completedOrders', {
      what: "today's completed orders",
      timeoutMs: this.client.conn.timeouts.requestMs,
      onSettled: () => {
        this.completedSeen = null;
      },
    });
    if (!joined) {
      this.completedSeen = [];
      const sent = await this.client.conn.send('control', (api) => api.reqCompletedOrders(false));
      if (!sent)
        request.fail({
          kind: 'disconnected',
          text: "today's completed orders: not connected to the gateway",
        });
    }
    const r = await request.promise;
    if (!r.ok) return r;
    await this.client.resolver.learnConIds(r.value.flatMap((s) => legConIds(s.contract)));
    const out: CompletedOrderReport[] = [];
    for (const s of r.value) {
      const known = s.order.permId === undefined ? null : (this.permIds.get(s.order.permId) ?? null);
      const report = completedOrderFromIb(s.contract, s.order, s.state, known, (id) =>
        this.client.resolver.optionOf(id),
      );
      if (report !== null) out.push(report);
    }
    return ok(out);
  }

  async positions(): Promise<BrokerResult<readonly PositionReport[]>> {
    const { request, joined } = this.client.registry.openKeyed<PositionSeen[]>('positions', {
      what: 'positions',
      timeoutMs: this.client.conn.timeouts.requestMs,
      onSettled: () => {
        this.positionsSeen = null;
        // IB keeps streaming position changes until told to stop.
        void this.client.conn.send('control', (api) => api.cancelPositions());
      },
    });
    if (!joined) {
      this.positionsSeen = [];
      const sent = await this.client.conn.send('control', (api) => api.reqPositions());
      if (!sent) request.fail({ kind: 'disconnected', text: 'positions: not connected to the gateway' });
    }
    const r = await request.promise;
    if (!r.ok) return r;
    const account = this.client.account();
    const byKey = new Map<string, PositionReport>();
    for (const p of r.value) {
      if (account !== null && p.account !== account) continue;
      // The last report of a contract wins (IB may repeat a contract while the list streams).
      byKey.set(`${p.account}|${p.contract.conId ?? contractKeyOf(p.contract)}`, {
        account: p.account,
        contract: positionContractFromIb(p.contract),
        quantity: ibNumber(p.position) ?? 0,
        avgCost: centsFromIb(p.avgCost) ?? cents(0),
      });
    }
    return ok([...byKey.values()].filter((p) => p.quantity !== 0));
  }

  account(): Promise<BrokerResult<AccountReport>> {
    return this.client.accountValues.values();
  }

  serverTimeMs(): Promise<BrokerResult<number>> {
    return this.client.conn.serverTimeMs();
  }
}

export function createIbBroker(client: IbClient): BrokerPort {
  return new IbBroker(client);
}

function notConnected(orderId: number, what: string): SendOutcome {
  return {
    kind: 'refused',
    orderId,
    code: NOT_CONNECTED_CODE,
    text: `not connected to the gateway: ${what}`,
  };
}

function legConIds(c: Contract): number[] {
  return (c.comboLegs ?? []).map((l) => l.conId ?? 0).filter((id) => id > 0);
}

function contractKeyOf(c: Contract): string {
  return [c.secType, c.symbol, c.lastTradeDateOrContractMonth, c.strike, c.right, c.localSymbol].join('|');
}
