// The broker boundary: everything the executor, reconciliation and status need from IB, and
// nothing of @stoqey/ib. Implemented by src/adapters/ib (IB Gateway over TCP, or the simulator
// over TCP) and src/adapters/memory (the simulator's venue in-process). One contract suite
// (test/contract) runs against every implementation.
//
// Conventions: prices are integer price cents (IB's lmtPrice x 100, signed as IB signs it: a credit
// combo bought at a negative limit); money is integer cents; quantities are whole contracts;
// times are epoch milliseconds. Expected failures are values (Result, SendOutcome); bugs throw.
import type { Action, IsoDate, OptionContract } from '../domain/instruments.ts';
import type { Cents, PriceCents } from '../domain/money.ts';
import type { Result } from '../domain/result.ts';

// ---------------------------------------------------------------------------------------------
// Contracts and orders

export interface BrokerLeg {
  readonly contract: OptionContract;
  /** The leg's own action as IB's combo leg states it (condor: SELL shorts, BUY wings). */
  readonly action: Action;
  readonly ratio: number;
}

/** What an order trades: one option, or a BAG of option legs on one underlying. */
export type BrokerContract =
  | { readonly kind: 'single'; readonly contract: OptionContract }
  | { readonly kind: 'combo'; readonly symbol: 'SPX' | 'VIX'; readonly legs: readonly BrokerLeg[] };

/** A limit order as ironvix sends it: LMT, DAY, transmit, never an OCA group, never price-triggered. */
export interface OrderIntent {
  /** IB order id; allocate with BrokerPort.nextOrderId() and journal it before sending. */
  readonly orderId: number;
  /** Deterministic `planId:orderKey:attempt` (src/domain/execution/order-ref.ts), journaled before the send. */
  readonly orderRef: string;
  readonly account: string;
  readonly contract: BrokerContract;
  readonly action: Action;
  readonly quantity: number;
  /** IB's signed lmtPrice in price cents (credit condor: BUY BAG at -credit). */
  readonly limitPrice: PriceCents;
}

/** IB's order statuses, as IB names them. */
export type IbOrderStatus =
  | 'PendingSubmit'
  | 'PreSubmitted'
  | 'Submitted'
  | 'PendingCancel'
  | 'ApiPending'
  | 'ApiCancelled'
  | 'Cancelled'
  | 'Filled'
  | 'Inactive';

/**
 * What happened to a submit, modify or cancel. `unknown` (no answer by the deadline, link lost
 * mid-send) is never a refusal: the caller must reconcile before it sends anything else.
 */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly orderId: number; readonly status: IbOrderStatus | null }
  | {
      readonly kind: 'refused';
      readonly orderId: number;
      /** IB's error code (110 bad tick, 200 no contract, 201 rejected, 103 duplicate id, ...). */
      readonly code: number;
      readonly text: string;
    }
  | { readonly kind: 'unknown'; readonly orderId: number; readonly reason: string };

// ---------------------------------------------------------------------------------------------
// Events pushed by the broker

/** How the adapter classified an IB code (src/adapters/ib/ib-codes.ts is the table). */
export type IbCodeClass = 'refused' | 'unknown' | 'connectivity' | 'info';

export interface OrderStatusEvent {
  readonly type: 'order-status';
  readonly orderId: number;
  /** 0/null until IB assigns one. */
  readonly permId: number | null;
  readonly status: IbOrderStatus;
  readonly filled: number;
  readonly remaining: number;
  /** Average fill price per unit as IB reports it (signed for combos), decimal; null before a fill. */
  readonly avgFillPrice: number | null;
  readonly atMs: number;
}

/** An open order as IB describes it (openOrder message): carries the orderRef. */
export interface OpenOrderEvent {
  readonly type: 'open-order';
  readonly order: OrderReport;
}

/** What an execution traded: one option leg, or the combo itself (IB may add a BAG-level execution). */
export type ExecutionContract =
  | { readonly kind: 'option'; readonly contract: OptionContract }
  | { readonly kind: 'combo'; readonly symbol: string }
  | { readonly kind: 'other'; readonly description: string };

export interface ExecutionReport {
  /** Unique per fill; a correction changes only the last segment. Deduplicate on it. */
  readonly execId: string;
  readonly orderId: number;
  readonly permId: number;
  readonly clientId: number;
  readonly orderRef: string;
  readonly account: string;
  readonly contract: ExecutionContract;
  readonly side: 'BOT' | 'SLD';
  readonly quantity: number;
  /** Price per unit of this execution (a leg's own price; a BAG-level execution: the net, signed). */
  readonly price: PriceCents;
  readonly cumQuantity: number;
  readonly timeMs: number;
}

export interface ExecutionEvent {
  readonly type: 'execution';
  readonly execution: ExecutionReport;
}

export interface CommissionReport {
  readonly execId: string;
  readonly commission: Cents;
  /** Realized P&L of a closing fill; null when IB sends none. */
  readonly realizedPnl: Cents | null;
}

export interface CommissionEvent {
  readonly type: 'commission';
  readonly report: CommissionReport;
}

export interface BrokerErrorEvent {
  readonly type: 'error';
  /** Order id or request id the error belongs to; -1 for a session-wide message. */
  readonly id: number;
  readonly code: number;
  readonly text: string;
  readonly class: IbCodeClass;
}

export interface ConnectivityEvent {
  readonly type: 'connectivity';
  /** lost: socket closed or IB 1100; restored: a new session or 1101 (data lost) / 1102 (kept). */
  readonly state: 'lost' | 'restored';
  /** On restored: IB says market data subscriptions were lost (1101) or a new socket was opened. */
  readonly dataLost: boolean;
  readonly reason: string;
  readonly atMs: number;
}

export type BrokerEvent =
  OrderStatusEvent | OpenOrderEvent | ExecutionEvent | CommissionEvent | BrokerErrorEvent | ConnectivityEvent;

// ---------------------------------------------------------------------------------------------
// Reports pulled from the broker

export interface OrderReport {
  readonly orderId: number;
  readonly permId: number;
  readonly clientId: number;
  readonly orderRef: string;
  readonly account: string;
  /** null when the gateway described a contract the adapter cannot map (reported, never traded). */
  readonly contract: BrokerContract | null;
  readonly action: Action;
  readonly quantity: number;
  readonly limitPrice: PriceCents | null;
  readonly status: IbOrderStatus;
  readonly filled: number;
  readonly remaining: number;
}

export interface CompletedOrderReport extends OrderReport {
  /** IB's completedStatus text ("Filled", "Cancelled by Trader", ...). */
  readonly completedStatus: string;
  readonly completedTimeMs: number | null;
}

export type PositionContract =
  | { readonly kind: 'option'; readonly contract: OptionContract }
  | { readonly kind: 'future'; readonly symbol: string; readonly expiry: IsoDate }
  | { readonly kind: 'other'; readonly description: string };

export interface PositionReport {
  readonly account: string;
  readonly contract: PositionContract;
  /** Signed: short positions are negative. */
  readonly quantity: number;
  /** IB's avgCost per contract (price x multiplier, commission included), in cents. */
  readonly avgCost: Cents;
}

export interface AccountReport {
  readonly accountId: string;
  readonly netLiquidation: Cents;
  readonly availableFunds: Cents;
  readonly excessLiquidity: Cents;
  readonly buyingPower: Cents;
  readonly initMarginReq: Cents;
  readonly maintMarginReq: Cents;
}

export interface ExecutionsReport {
  readonly executions: readonly ExecutionReport[];
  readonly commissions: readonly CommissionReport[];
}

/** What-if: IB's margin change for one order, never sent as a real order. */
export type WhatIfOutcome =
  | {
      readonly kind: 'margin';
      readonly initMarginChange: Cents;
      readonly maintMarginChange: Cents;
      readonly initMarginAfter: Cents;
      readonly equityWithLoanAfter: Cents;
      /** IB's commission estimate; null when IB gave none. */
      readonly commission: Cents | null;
      readonly warning: string | null;
    }
  | { readonly kind: 'refused'; readonly code: number; readonly text: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

// ---------------------------------------------------------------------------------------------
// Failures and the port

export type BrokerFailure =
  | { readonly kind: 'disconnected'; readonly text: string }
  | { readonly kind: 'timeout'; readonly text: string }
  | { readonly kind: 'error'; readonly code: number; readonly text: string };

export type BrokerResult<T> = Result<T, BrokerFailure>;

export type ConnectFailure =
  | { readonly kind: 'unreachable'; readonly text: string }
  | { readonly kind: 'handshake'; readonly text: string }
  | { readonly kind: 'client-id-in-use'; readonly clientId: number; readonly text: string }
  | { readonly kind: 'timeout'; readonly text: string };

export interface ConnectInfo {
  readonly accounts: readonly string[];
  readonly serverVersion: number;
  /** The gateway's clock at connect time. */
  readonly serverTimeMs: number;
  readonly nextValidOrderId: number;
}

export interface BrokerPort {
  /** Human name for logs and status ("ib 127.0.0.1:4002 client 17", "memory"). */
  readonly name: string;
  /** Connects (retrying with capped backoff inside the adapter's budget); idempotent when connected. */
  connect(): Promise<Result<ConnectInfo, ConnectFailure>>;
  /** Stops reconnecting, closes the link, cancels pending requests (they resolve as disconnected). */
  disconnect(): Promise<void>;
  isConnected(): boolean;
  /**
   * A fresh order id: above IB's nextValidId, above every id this session saw, and above the floor
   * set by raiseOrderIdFloor (the journal's high-water mark survives gateway restarts; IB's does not).
   */
  nextOrderId(): number;
  raiseOrderIdFloor(minNextId: number): void;
  submit(order: OrderIntent): Promise<SendOutcome>;
  /** Same orderId, new limit (and/or quantity): IB keeps the orderId, permId and orderRef. */
  modify(order: OrderIntent): Promise<SendOutcome>;
  cancel(orderId: number): Promise<SendOutcome>;
  /** Events in arrival order; returns an unsubscribe function. Listeners must not throw. */
  onEvent(listener: (e: BrokerEvent) => void): () => void;
  openOrders(): Promise<BrokerResult<readonly OrderReport[]>>;
  /** Today's executions (IB keeps no more) with their commissions. */
  executions(): Promise<BrokerResult<ExecutionsReport>>;
  /** Today's completed (filled, cancelled, rejected) orders. */
  completedOrders(): Promise<BrokerResult<readonly CompletedOrderReport[]>>;
  positions(): Promise<BrokerResult<readonly PositionReport[]>>;
  account(): Promise<BrokerResult<AccountReport>>;
  whatIf(order: Omit<OrderIntent, 'orderId'>): Promise<WhatIfOutcome>;
  /** The gateway's clock (reqCurrentTime), for the clock check and the gateway-following clock. */
  serverTimeMs(): Promise<BrokerResult<number>>;
}
