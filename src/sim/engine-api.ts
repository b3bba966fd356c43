// The seam between the simulator's wire layer (src/sim/protocol, src/sim/server.ts) and its
// engine (src/sim/market, src/sim/venue; time comes from the Clock port). The wire layer only encodes and
// decodes; every market and venue decision is made behind these interfaces.
import type { IsoDate } from '../domain/instruments.ts';
import type { Clock } from '../ports/clock.ts';
import type { SimIbCode } from './ib-codes.ts';

export type SimSecType = 'IND' | 'OPT' | 'FUT';

export interface SimContract {
  readonly conId: number;
  readonly secType: SimSecType;
  /** SPX, VIX, VIX9D, VIX3M, AD-NYSE */
  readonly symbol: string;
  /** SPX, SPXW, VIX, VIXW, VX, VIX9D, ... */
  readonly tradingClass: string;
  readonly expiry: IsoDate | null;
  readonly strike: number | null;
  readonly right: 'C' | 'P' | null;
  /** null for indexes. */
  readonly multiplier: number | null;
  /** CBOE, CFE, NYSE */
  readonly exchange: string;
  readonly currency: 'USD';
  readonly localSymbol: string;
  readonly minTick: number;
  readonly longName: string;
  readonly underConId: number | null;
  readonly timeZoneId: string;
  readonly tradingHours: string;
  readonly liquidHours: string;
  readonly marketRuleIds: string;
}

/** Fields a client may set in a contract request; `undefined` = not given (wildcard). */
export interface ContractQuery {
  readonly conId?: number;
  readonly symbol?: string;
  readonly secType?: string;
  /** yyyymmdd, or yyyymm for a month. */
  readonly lastTradeDateOrContractMonth?: string;
  readonly strike?: number;
  readonly right?: 'C' | 'P';
  readonly multiplier?: number;
  readonly exchange?: string;
  readonly currency?: string;
  readonly localSymbol?: string;
  readonly tradingClass?: string;
}

export interface SimOptParams {
  readonly exchange: string;
  readonly underlyingConId: number;
  readonly tradingClass: string;
  readonly multiplier: number;
  /** yyyymmdd */
  readonly expirations: readonly string[];
  readonly strikes: readonly number[];
}

export interface SimQuote {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly last: number | null;
  readonly bidSize: number;
  readonly askSize: number;
  readonly lastSize: number;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly close: number | null;
  readonly volume: number;
}

export interface SimOptionModel {
  readonly impliedVol: number;
  readonly delta: number;
  readonly optPrice: number;
  readonly pvDividend: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly undPrice: number;
}

export interface SimBar {
  /** yyyymmdd */
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface SimMarket {
  readonly clock: Clock;
  findContracts(q: ContractQuery): readonly SimContract[];
  contract(conId: number): SimContract | undefined;
  secDefOptParams(symbol: string, underConId: number): readonly SimOptParams[];
  quote(conId: number): SimQuote | undefined;
  optionModel(conId: number): SimOptionModel | undefined;
  /** Daily TRADES bars ending at or before endDate (New York trading date), oldest first. */
  dailyBars(conId: number, endDate: IsoDate, sessions: number): readonly SimBar[];
  /** Called with the conIds whose quotes changed after the model stepped. */
  onQuotes(listener: (conIds: readonly number[]) => void): () => void;
}

export interface SimComboLeg {
  readonly conId: number;
  readonly ratio: number;
  readonly action: 'BUY' | 'SELL';
  readonly exchange: string;
}

export type SimOrderContract =
  | { readonly kind: 'single'; readonly conId: number }
  | { readonly kind: 'bag'; readonly symbol: string; readonly legs: readonly SimComboLeg[] };

/** A combo leg as a client wrote it, before validation. */
export interface SimTicketLeg {
  readonly conId: number | null;
  readonly ratio: number | null;
  readonly action: string;
  /** '' = the order's exchange. */
  readonly exchange: string;
}

/** An order's contract as a client wrote it: a conId, a description to resolve, or a BAG of legs. */
export type SimTicketContract =
  | { readonly kind: 'single'; readonly conId: number }
  /** Described by fields without a conId; null when a field can match nothing (e.g. right "X"). */
  | { readonly kind: 'described'; readonly query: ContractQuery | null; readonly symbol: string }
  | { readonly kind: 'bag'; readonly symbol: string; readonly legs: readonly SimTicketLeg[] };

/**
 * An order as a client sends it, before validation: the wire session only decodes fields into this,
 * the in-process memory broker builds it directly, and the venue's validation module checks it all.
 */
export interface SimOrderTicket {
  readonly clientId: number;
  readonly orderId: number;
  readonly contract: SimTicketContract;
  readonly action: string;
  readonly totalQuantity: number | null;
  readonly orderType: string;
  readonly lmtPrice: number | null;
  /** '' = DAY. */
  readonly tif: string;
  /** '' = the venue's account. */
  readonly account: string;
  readonly orderRef: string;
  readonly transmit: boolean;
  readonly whatIf: boolean;
  readonly ocaGroup: string;
  /** exchange of the order's contract (SMART/CBOE...), for the OCA-with-SMART-combo rule. */
  readonly exchange: string;
}

/** A validated order (what the venue works and reports). */
export interface SimOrderRequest {
  readonly clientId: number;
  readonly orderId: number;
  readonly contract: SimOrderContract;
  readonly action: 'BUY' | 'SELL';
  readonly totalQuantity: number;
  /** LMT is what ironvix sends; others are accepted as IB would and filled at the model price. */
  readonly orderType: string;
  readonly lmtPrice: number | null;
  readonly tif: string;
  readonly account: string;
  readonly orderRef: string;
  readonly transmit: boolean;
  readonly whatIf: boolean;
  readonly ocaGroup: string;
  /** exchange of the order's contract (SMART/CBOE...), for the OCA-with-SMART-combo rule. */
  readonly exchange: string;
}

export type SimOrderStatus =
  | 'PendingSubmit'
  | 'PreSubmitted'
  | 'Submitted'
  | 'PendingCancel'
  | 'ApiCancelled'
  | 'Cancelled'
  | 'Filled'
  | 'Inactive';

export interface SimMargin {
  readonly initMarginBefore: number;
  readonly maintMarginBefore: number;
  readonly equityWithLoanBefore: number;
  readonly initMarginChange: number;
  readonly maintMarginChange: number;
  readonly equityWithLoanChange: number;
  readonly initMarginAfter: number;
  readonly maintMarginAfter: number;
  readonly equityWithLoanAfter: number;
  readonly commission: number;
}

export interface SimOrderView {
  readonly request: SimOrderRequest;
  readonly permId: number;
  readonly status: SimOrderStatus;
  readonly filled: number;
  readonly remaining: number;
  readonly avgFillPrice: number;
  readonly lastFillPrice: number;
  /** Resolved contracts: the single contract, or each leg's contract in leg order. */
  readonly contracts: readonly SimContract[];
  /** Present for whatIf answers. */
  readonly margin: SimMargin | null;
  readonly warningText: string;
}

export interface SimExecution {
  readonly execId: string;
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly orderRef: string;
  readonly contract: SimContract;
  /** epoch ms */
  readonly timeMs: number;
  readonly account: string;
  readonly exchange: string;
  readonly side: 'BOT' | 'SLD';
  readonly shares: number;
  readonly price: number;
  readonly cumQty: number;
  readonly avgPrice: number;
}

export interface SimCommission {
  readonly execId: string;
  readonly commission: number;
  readonly currency: 'USD';
  readonly realizedPnl: number | null;
}

/** An order that ended today (filled, cancelled or rejected), as reqCompletedOrders lists it. */
export interface SimCompletedOrder {
  readonly order: SimOrderView;
  readonly completedTimeMs: number;
  /** IB's completedStatus text ("Filled", "Cancelled by Trader", ...). */
  readonly completedStatus: string;
}

/** What placeOrder did, besides the events it emitted. */
export type SimPlaceResult =
  /** A new order or a modification was accepted (it may already have filled). */
  | { readonly kind: 'placed'; readonly order: SimOrderView }
  /** A whatIf was answered (margin null when the answer carries none). */
  | { readonly kind: 'what-if'; readonly order: SimOrderView }
  | { readonly kind: 'refused'; readonly code: SimIbCode; readonly message: string };

export interface SimPosition {
  readonly account: string;
  readonly contract: SimContract;
  readonly position: number;
  readonly avgCost: number;
}

export type VenueEvent =
  | { readonly type: 'openOrder'; readonly order: SimOrderView }
  | { readonly type: 'orderStatus'; readonly order: SimOrderView }
  | { readonly type: 'execution'; readonly execution: SimExecution }
  | { readonly type: 'commission'; readonly clientId: number; readonly report: SimCommission }
  | {
      readonly type: 'error';
      readonly clientId: number;
      readonly id: number;
      readonly code: SimIbCode;
      readonly message: string;
    }
  | { readonly type: 'position'; readonly position: SimPosition }
  | { readonly type: 'accountValue'; readonly account: string; readonly key: string; readonly value: string };

export interface ExecutionFilter {
  readonly clientId?: number;
  readonly account?: string;
  /** yyyymmdd-hh:mm:ss; only executions at or after it. */
  readonly time?: string;
  readonly symbol?: string;
  readonly secType?: string;
  readonly side?: 'BUY' | 'SELL';
}

export interface SimVenue {
  readonly account: string;
  /** Validates, then answers through events (openOrder/orderStatus/execution/error). */
  placeOrder(ticket: SimOrderTicket): SimPlaceResult;
  cancelOrder(clientId: number, orderId: number): void;
  globalCancel(): void;
  openOrders(filter: { readonly clientId?: number }): readonly SimOrderView[];
  /** Today's completed orders (filled, cancelled, rejected), oldest first. */
  completedOrders(filter: { readonly clientId?: number }): readonly SimCompletedOrder[];
  /** Today's executions only, as IB. */
  executions(filter: ExecutionFilter): readonly { execution: SimExecution; commission: SimCommission }[];
  positions(): readonly SimPosition[];
  /** Account summary tags (NetLiquidation, BuyingPower, AvailableFunds, ...) as strings. */
  accountValues(): Readonly<Record<string, string>>;
  /** Highest order id seen so far per client (for nextValidId after a reconnect). */
  nextValidOrderId(clientId: number): number;
  onEvent(listener: (e: VenueEvent) => void): () => void;
}
