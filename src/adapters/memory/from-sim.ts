// Pure translation from the simulator's engine types to the broker port's, mirroring what the IB
// adapter makes of the same messages on the wire (src/adapters/ib/from-ib.ts): prices become price
// cents, money cents, unset values null, and only SPXW/VIX/VIXW options map to OptionContract.
import type { OptionContract, OptionTradingClass } from '../../domain/instruments.ts';
import { dollarsToCents, toPriceCents } from '../../domain/money.ts';
import type { PriceCents } from '../../domain/money.ts';
import type {
  AccountReport,
  BrokerContract,
  BrokerLeg,
  CommissionReport,
  CompletedOrderReport,
  ExecutionContract,
  ExecutionReport,
  IbCodeClass,
  OrderReport,
  PositionContract,
  PositionReport,
} from '../../ports/broker.ts';
import type {
  SimCommission,
  SimCompletedOrder,
  SimContract,
  SimExecution,
  SimOrderView,
  SimPosition,
} from '../../sim/engine-api.ts';
import type { SimIbCode } from '../../sim/ib-codes.ts';

const OPTION_CLASSES: ReadonlySet<string> = new Set<OptionTradingClass>(['SPXW', 'VIX', 'VIXW']);

/** An option the simulator lists, as ironvix's OptionContract; null for anything ironvix does not trade. */
export function optionFromSim(c: SimContract): OptionContract | null {
  if (c.secType !== 'OPT' || c.expiry === null || c.strike === null || c.right === null) return null;
  if ((c.symbol !== 'SPX' && c.symbol !== 'VIX') || !OPTION_CLASSES.has(c.tradingClass)) return null;
  if (c.symbol === 'SPX' ? c.tradingClass !== 'SPXW' : c.tradingClass === 'SPXW') return null;
  return {
    kind: 'option',
    symbol: c.symbol,
    tradingClass: c.tradingClass as OptionTradingClass,
    expiry: c.expiry,
    strike: c.strike,
    right: c.right,
    multiplier: c.multiplier ?? 100,
  };
}

function describe(c: SimContract): string {
  return `${c.secType} ${c.localSymbol} conId ${c.conId}`;
}

export function positionContractFromSim(c: SimContract): PositionContract {
  const option = optionFromSim(c);
  if (option !== null) return { kind: 'option', contract: option };
  if (c.secType === 'FUT' && c.expiry !== null) return { kind: 'future', symbol: c.symbol, expiry: c.expiry };
  return { kind: 'other', description: describe(c) };
}

function executionContractFromSim(c: SimContract): ExecutionContract {
  const option = optionFromSim(c);
  return option === null ? { kind: 'other', description: describe(c) } : { kind: 'option', contract: option };
}

/** A quoted price (dollars per unit) as price cents; null when there is none. */
export function priceCentsFromSim(x: number | null): PriceCents | null {
  return x === null || !Number.isFinite(x) ? null : toPriceCents(x);
}

/** What an order trades; null when a leg is not an option ironvix maps. */
export function brokerContractFromSim(view: SimOrderView): BrokerContract | null {
  const req = view.request;
  if (req.contract.kind === 'single') {
    const c = view.contracts[0];
    const option = c === undefined ? null : optionFromSim(c);
    return option === null ? null : { kind: 'single', contract: option };
  }
  const symbol = req.contract.symbol.toUpperCase();
  if (symbol !== 'SPX' && symbol !== 'VIX') return null;
  const legs: BrokerLeg[] = [];
  for (const [i, l] of req.contract.legs.entries()) {
    const c = view.contracts[i];
    const option = c === undefined ? null : optionFromSim(c);
    if (option === null) return null;
    legs.push({ contract: option, action: l.action, ratio: l.ratio });
  }
  return { kind: 'combo', symbol, legs };
}

export function orderReportFromSim(view: SimOrderView): OrderReport {
  const req = view.request;
  return {
    orderId: req.orderId,
    permId: view.permId,
    clientId: req.clientId,
    orderRef: req.orderRef,
    account: req.account,
    contract: brokerContractFromSim(view),
    action: req.action,
    quantity: req.totalQuantity,
    limitPrice: priceCentsFromSim(req.lmtPrice),
    status: view.status,
    filled: view.filled,
    remaining: view.remaining,
  };
}

/**
 * A completed order. IB's completedOrder carries no order id or client id: like the IB adapter, only
 * the permIds this broker saw give them back (0 when unseen).
 */
export function completedOrderFromSim(
  c: SimCompletedOrder,
  known: { readonly orderId: number; readonly clientId: number } | null,
): CompletedOrderReport {
  return {
    ...orderReportFromSim(c.order),
    orderId: known?.orderId ?? 0,
    clientId: known?.clientId ?? 0,
    completedStatus: c.completedStatus,
    // The wire carries the completion time to the second.
    completedTimeMs: Math.floor(c.completedTimeMs / 1000) * 1000,
  };
}

export function executionFromSim(e: SimExecution): ExecutionReport {
  return {
    execId: e.execId,
    orderId: e.orderId,
    permId: e.permId,
    clientId: e.clientId,
    orderRef: e.orderRef,
    account: e.account,
    contract: executionContractFromSim(e.contract),
    side: e.side,
    quantity: e.shares,
    price: toPriceCents(e.price),
    cumQuantity: e.cumQty,
    // The wire carries execution times to the second.
    timeMs: Math.floor(e.timeMs / 1000) * 1000,
  };
}

export function commissionFromSim(c: SimCommission): CommissionReport {
  return {
    execId: c.execId,
    commission: dollarsToCents(c.commission),
    realizedPnl: c.realizedPnl === null ? null : dollarsToCents(c.realizedPnl),
  };
}

export function positionFromSim(p: SimPosition): PositionReport {
  return {
    account: p.account,
    contract: positionContractFromSim(p.contract),
    quantity: p.position,
    avgCost: dollarsToCents(p.avgCost),
  };
}

/** The account summary IB reports, from the venue's account values; null when a value is missing. */
export function accountFromSim(
  accountId: string,
  values: Readonly<Record<string, string>>,
): AccountReport | null {
  const get = (tag: string): number | null => {
    const v = Number(values[tag]);
    return values[tag] === undefined || !Number.isFinite(v) ? null : v;
  };
  const nlv = get('NetLiquidation');
  const available = get('AvailableFunds');
  const excess = get('ExcessLiquidity');
  const buyingPower = get('BuyingPower');
  const init = get('InitMarginReq');
  const maint = get('MaintMarginReq');
  if (
    nlv === null ||
    available === null ||
    excess === null ||
    buyingPower === null ||
    init === null ||
    maint === null
  )
    return null;
  return {
    accountId,
    netLiquidation: dollarsToCents(nlv),
    availableFunds: dollarsToCents(available),
    excessLiquidity: dollarsToCents(excess),
    buyingPower: dollarsToCents(buyingPower),
    initMarginReq: dollarsToCents(init),
    maintMarginReq: dollarsToCents(maint),
  };
}

/**
 * How a broker classifies each code the simulator emits (refused: nothing works; unknown: reconcile;
 * info: a notice). Complete by construction: a new simulator code must be classified here.
 */
export const SIM_CODE_CLASS: Readonly<Record<SimIbCode, IbCodeClass>> = {
  100: 'refused',
  101: 'refused',
  103: 'refused',
  104: 'refused',
  105: 'refused',
  110: 'refused',
  162: 'refused',
  200: 'refused',
  201: 'refused',
  202: 'info',
  203: 'refused',
  300: 'refused',
  320: 'refused',
  321: 'refused',
  322: 'refused',
  326: 'connectivity',
  356: 'refused',
  360: 'refused',
  399: 'info',
  413: 'refused',
  2104: 'info',
  2106: 'info',
  2158: 'info',
  10147: 'refused',
  10148: 'refused',
};
