// The broker boundary: everything the executor, reconciliation and status need from IB, and
// nothing of @stoqey/ib. Implemented by src/adapters/ib (IB Gateway over TCP, or the simulator
// over TCP) and src/adapters/memory (the simulator's venue in-process). One contract suite
// (test/contract) runs against every implementation.
//
// Conventions: prices are integer price cents (IB's lmtPrice x 100, signed as IB signs it: a credit
// combo bought at a negative limit); money is integer cents; quantities are whole contracts;
// times are epoch milliseconds. Expected failures are values (Result, SendOutcome); bugs throw.
import type {
  CommissionReport,
  CompletedOrderReport,
  ExecutionReport,
  IbOrderStatus,
  OrderIntent,
  OrderReport,
  PositionReport,
} from '../domain/broker-reports.ts';
import type { Cents } from '../domain/money.ts';
import type { Result } from '../domain/result.ts';

// ---------------------------------------------------------------------------------------------
// Contracts and orders

export type { BrokerLeg, BrokerContract, OrderIntent } from '../domain/broker-reports.ts';

export type { IbOrderStatus } from '../domain/broker-reports.ts';

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

export type { ExecutionContract, ExecutionReport } from '../domain/broker-reports.ts';

export interface ExecutionEvent {
  readonly type: 'execution';
  readonly execution: ExecutionReport;
}

export type { CommissionReport } from '../domain/broker-reports.ts';

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

export type {
  OrderReport,
  CompletedOrderReport,
  PositionContract,
  PositionReport,
} from '../domain/broker-reports.ts';

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
