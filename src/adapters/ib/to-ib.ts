// Pure translation from ironvix's types to @stoqey/ib's Contract and Order: the only place prices
// become IB floats. Orders are always LMT DAY with `transmit` and `whatIf` set explicitly (stoqey sends
// an unset flag as "", docs/ib-notes.md §4) and never carry orderMiscOptions (stoqey flattens them).
import type { Contract, Order } from '@stoqey/ib';
import { SecType } from '@stoqey/ib/dist/api/data/enum/sec-type.js';
import { OptionType } from '@stoqey/ib/dist/api/data/enum/option-type.js';
import { OrderAction } from '@stoqey/ib/dist/api/order/enum/order-action.js';
import { OrderType } from '@stoqey/ib/dist/api/order/enum/orderType.js';
import { TimeInForce } from '@stoqey/ib/dist/api/order/enum/tif.js';
import type { Action, IndexSymbol, IsoDate, OptionContract } from '../../domain/instruments.ts';
import type { PriceCents } from '../../domain/money.ts';
import { priceToDecimal } from '../../domain/money.ts';

const SMART = 'SMART';
const USD = 'USD';

/** The listing exchange of each index ironvix reads. */
export const INDEX_EXCHANGE: Readonly<Record<IndexSymbol, string>> = {
  SPX: 'CBOE',
  VIX: 'CBOE',
  VIX9D: 'CBOE',
  VIX3M: 'CBOE',
  'AD-NYSE': 'NYSE',
  VRO: 'CBOE',
};

/** 2025-01-10 -> 20250110 */
export function ymd(d: IsoDate): string {
  return d.replaceAll('-', '');
}

export function actionToIb(a: Action): OrderAction {
  return a === 'BUY' ? OrderAction.BUY : OrderAction.SELL;
}

/** One listed option, fully described (IB resolves it without a conId; tradingClass is always set). */
export function optionToIb(c: OptionContract, conId?: number): Contract {
  return {
    ...(conId !== undefined ? { conId } : {}),
    secType: SecType.OPT,
    symbol: c.symbol,
    lastTradeDateOrContractMonth: ymd(c.expiry),
    strike: c.strike,
    right: c.right === 'C' ? OptionType.Call : OptionType.Put,
    multiplier: c.multiplier,
    exchange: SMART,
    currency: USD,
    tradingClass: c.tradingClass,
  };
}

/** Every option of one class and expiry: one contract-details request resolves a whole chain. */
export function optionSeriesToIb(symbol: 'SPX' | 'VIX', tradingClass: string, expiry: IsoDate): Contract {
  return {
    secType: SecType.OPT,
    symbol,
    lastTradeDateOrContractMonth: ymd(expiry),
    exchange: SMART,
    currency: USD,
    tradingClass,
  };
}

export function indexToIb(symbol: IndexSymbol, conId?: number): Contract {
  return {
    ...(conId !== undefined ? { conId } : {}),
    secType: SecType.IND,
    symbol,
    exchange: INDEX_EXCHANGE[symbol],
    currency: USD,
  };
}

/** Every listed VX future on CFE (weeklies are filtered out by trading class afterwards). */
export function vxFuturesToIb(): Contract {
  return { secType: SecType.FUT, symbol: 'VIX', exchange: 'CFE', currency: USD };
}

export function conIdToIb(conId: number): Contract {
  return { conId };
}

export interface ResolvedLeg {
  readonly conId: number;
  readonly ratio: number;
  readonly action: Action;
}

/** A BAG of resolved legs, routed SMART (IB guarantees SMART US option-vs-option combos). */
export function comboToIb(symbol: 'SPX' | 'VIX', legs: readonly ResolvedLeg[]): Contract {
  return {
    secType: SecType.BAG,
    symbol,
    exchange: SMART,
    currency: USD,
    comboLegs: legs.map((l) => ({
      conId: l.conId,
      ratio: l.ratio,
      action: actionToIb(l.action),
      exchange: SMART,
    })),
  };
}

export interface LimitOrderFields {
  readonly action: Action;
  readonly quantity: number;
  /** IB's signed limit in price cents (a credit combo is a BUY at a negative limit). */
  readonly limitPrice: PriceCents;
  readonly account: string;
  readonly orderRef: string;
}

/** A LMT DAY order, transmitted; `whatIf` asks IB for margin instead of placing it. */
export function limitOrderToIb(o: LimitOrderFields, whatIf: boolean): Order {
  return {
    orderType: OrderType.LMT,
    action: actionToIb(o.action),
    totalQuantity: o.quantity,
    lmtPrice: priceToDecimal(o.limitPrice),
    tif: TimeInForce.DAY,
    account: o.account,
    orderRef: o.orderRef,
    transmit: true,
    whatIf,
    outsideRth: false,
  };
}

/** End of a daily-bar request: "" (now) for today or later, else the end of that New York day. */
export function historicalEndDateTime(endDate: IsoDate, serverToday: IsoDate): string {
  return endDate >= serverToday ? '' : `${ymd(endDate)} 23:59:59 US/Eastern`;
}

/** A duration that covers `sessions` trading days (IB takes at most 365 D; longer spans in years). */
export function historicalDuration(sessions: number): string {
  // 252 sessions a year, plus slack for holidays around the window's edges.
  const days = Math.ceil((sessions * 365) / 252) + 10;
  return days <= 365 ? `${days} D` : `${Math.ceil(days / 365)} Y`;
}
