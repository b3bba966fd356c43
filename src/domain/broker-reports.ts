// The broker's data shapes as plain domain data: contracts, the order as sent, and the reports IB
// gives back (orders, executions, commissions, positions). Pure types, so that the domain
// (reconciliation, the executor) and the ports (src/ports/broker.ts re-exports them) share one
// definition without the domain importing src/ports.
//
// Conventions: prices are integer price cents (IB's lmtPrice x 100, signed as IB signs it: a credit
// combo bought at a negative limit); money is integer cents; quantities are whole contracts;
// times are epoch milliseconds.
import type { Action, IsoDate, OptionContract } from './instruments.ts';
import type { Cents, PriceCents } from './money.ts';

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
export const IB_ORDER_STATUSES = [
  'PendingSubmit',
  'PreSubmitted',
  'Submitted',
  'PendingCancel',
  'ApiPending',
  'ApiCancelled',
  'Cancelled',
  'Filled',
  'Inactive',
] as const;

export type IbOrderStatus = (typeof IB_ORDER_STATUSES)[number];

/** The statuses after which an order never trades again. */
export const FINAL_ORDER_STATUSES = ['Filled', 'Cancelled', 'ApiCancelled', 'Inactive'] as const;

export type FinalStatus = (typeof FINAL_ORDER_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<IbOrderStatus> = new Set<IbOrderStatus>(FINAL_ORDER_STATUSES);

export function isFinalStatus(s: IbOrderStatus): s is FinalStatus {
  return FINAL_STATUSES.has(s);
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

export interface CommissionReport {
  readonly execId: string;
  readonly commission: Cents;
  /** Realized P&L of a closing fill; null when IB sends none. */
  readonly realizedPnl: Cents | null;
}

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

/**
 * A completed order. IB's completedOrder message carries no orderId and no clientId: an adapter fills
 * them from the permIds it has seen and reports 0 otherwise, so match completed orders on permId and
 * orderRef.
 */
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
