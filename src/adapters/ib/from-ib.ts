// Pure translation from @stoqey/ib's messages to ironvix's types. IB's floats become integer cents
// here; IB's "unset" values (undefined, the double-max sentinel, -1 for "no price") become null.
import type { CommissionReport, Contract, Execution, Order, OrderState } from '@stoqey/ib';
import { DateTime } from 'luxon';
import type { Action, IsoDate, OptionContract, OptionTradingClass } from '../../domain/instruments.ts';
import type { Cents, PriceCents } from '../../domain/money.ts';
import { dollarsToCents, toPriceCents } from '../../domain/money.ts';
import type {
  BrokerContract,
  BrokerLeg,
  CompletedOrderReport,
  ExecutionContract,
  ExecutionReport,
  IbOrderStatus,
  OrderReport,
  PositionContract,
  WhatIfOutcome,
} from '../../ports/broker.ts';
import { IB_ORDER_STATUSES } from '../../domain/broker-reports.ts';

const NY = 'America/New_York';
/** IB writes "unset" doubles as Double.MAX_VALUE; anything this large is not a number we use. */
const UNSET_DOUBLE_FLOOR = 1e300;

/** A finite IB number, or null for unset / sentinel values. */
export function ibNumber(x: number | string | undefined | null): number | null {
  if (x === undefined || x === null || x === '') return null;
  const n = typeof x === 'number' ? x : Number(x);
  if (!Number.isFinite(n) || Math.abs(n) >= UNSET_DOUBLE_FLOOR) return null;
  return n;
}

/** A quoted price (dollars per unit) in price cents; null when unset. */
export function priceCentsFromIb(x: number | undefined | null): PriceCents | null {
  const n = ibNumber(x);
  return n === null ? null : toPriceCents(n);
}

/** A money amount in dollars (commission, margin, account value) in cents; null when unset. */
export function centsFromIb(x: number | string | undefined | null): Cents | null {
  const n = ibNumber(x);
  return n === null ? null : dollarsToCents(n);
}

/** A quote price: IB sends -1 (or 0 for an ask) when there is no market on that side. */
export function quotePriceFromIb(x: number | undefined, side: 'bid' | 'ask' | 'last'): number | null {
  const n = ibNumber(x);
  if (n === null || n < 0) return null;
  if (n === 0 && side !== 'bid') return null;
  return n;
}

/** "20250110" (possibly followed by a time) -> "2025-01-10"; null when not a date. */
export function isoFromIb(text: string | undefined): IsoDate | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec((text ?? '').trim());
  if (m === null) return null;
  const iso = `${m[1] ?? ''}-${m[2] ?? ''}-${m[3] ?? ''}`;
  return DateTime.fromISO(iso).isValid ? iso : null;
}

/**
 * IB time text as epoch ms: "20250110 10:00:01 US/Eastern" (any IANA zone or none = New York),
 * "20250110-15:00:01" (UTC), or epoch seconds. null when unreadable.
 */
export function ibTimeToMs(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (/^\d{9,10}$/.test(t)) return Number(t) * 1000;
  let m = /^(\d{8})-(\d{2}:\d{2}:\d{2})$/.exec(t);
  if (m !== null) return fromFormat(`${m[1] ?? ''} ${m[2] ?? ''}`, 'UTC');
  m = /^(\d{8})\s+(\d{2}:\d{2}:\d{2})(?:\s+(\S+))?$/.exec(t);
  if (m === null) return null;
  const zone = m[3] === undefined ? NY : m[3] === 'EST' || m[3] === 'EDT' ? NY : m[3];
  return fromFormat(`${m[1] ?? ''} ${m[2] ?? ''}`, zone);
}

function fromFormat(text: string, zone: string): number | null {
  const dt = DateTime.fromFormat(text, 'yyyyMMdd HH:mm:ss', { zone });
  return dt.isValid ? dt.toMillis() : null;
}

export function actionFromIb(x: string | undefined): Action | null {
  const a = (x ?? '').toUpperCase();
  return a === 'BUY' ? 'BUY' : a === 'SELL' ? 'SELL' : null;
}

const STATUSES: ReadonlySet<string> = new Set<IbOrderStatus>(IB_ORDER_STATUSES);

export function orderStatusFromIb(x: string | undefined): IbOrderStatus | null {
  return x !== undefined && STATUSES.has(x) ? (x as IbOrderStatus) : null;
}

const OPTION_CLASSES: ReadonlySet<string> = new Set<OptionTradingClass>(['SPXW', 'VIX', 'VIXW']);

/** An option IB describes, as ironvix's OptionContract; null for anything ironvix does not trade. */
export function optionFromIb(c: Contract): OptionContract | null {
  if (String(c.secType) !== 'OPT') return null;
  const symbol = c.symbol;
  const tradingClass = c.tradingClass ?? '';
  if ((symbol !== 'SPX' && symbol !== 'VIX') || !OPTION_CLASSES.has(tradingClass)) return null;
  if (symbol === 'SPX' ? tradingClass !== 'SPXW' : tradingClass === 'SPXW') return null;
  const expiry = isoFromIb(c.lastTradeDateOrContractMonth);
  const strike = ibNumber(c.strike);
  const right = String(c.right ?? '').toUpperCase();
  const multiplier = ibNumber(c.multiplier);
  if (expiry === null || strike === null || strike <= 0 || multiplier === null) return null;
  if (right !== 'C' && right !== 'P' && right !== 'CALL' && right !== 'PUT') return null;
  return {
    kind: 'option',
    symbol,
    tradingClass: tradingClass as OptionTradingClass,
    expiry,
    strike,
    right: right.startsWith('C') ? 'C' : 'P',
    multiplier,
  };
}

function describe(c: Contract): string {
  return [c.secType, c.localSymbol ?? c.symbol, c.conId === undefined ? '' : `conId ${c.conId}`]
    .filter((x) => x !== undefined && x !== '')
    .join(' ');
}

export function positionContractFromIb(c: Contract): PositionContract {
  const option = optionFromIb(c);
  if (option !== null) return { kind: 'option', contract: option };
  const expiry = isoFromIb(c.lastTradeDateOrContractMonth);
  if (String(c.secType) === 'FUT' && c.symbol !== undefined && expiry !== null)
    return { kind: 'future', symbol: c.symbol, expiry };
  return { kind: 'other', description: describe(c) };
}

export function executionContractFromIb(c: Contract): ExecutionContract {
  const option = optionFromIb(c);
  if (option !== null) return { kind: 'option', contract: option };
  if (String(c.secType) === 'BAG') return { kind: 'combo', symbol: c.symbol ?? '' };
  return { kind: 'other', description: describe(c) };
}

/** An execution IB reports; null when a field ironvix needs is missing. */
export function executionFromIb(c: Contract, e: Execution): ExecutionReport | null {
  const price = priceCentsFromIb(e.price);
  const side = e.side === 'BOT' || e.side === 'SLD' ? e.side : null;
  const timeMs = ibTimeToMs(e.time);
  if (e.execId === undefined || e.orderId === undefined || price === null || side === null || timeMs === null)
    return null;
  return {
    execId: e.execId,
    orderId: e.orderId,
    permId: e.permId ?? 0,
    clientId: e.clientId ?? 0,
    orderRef: e.orderRef ?? '',
    account: e.acctNumber ?? '',
    contract: executionContractFromIb(c),
    side,
    quantity: ibNumber(e.shares) ?? 0,
    price,
    cumQuantity: ibNumber(e.cumQty) ?? 0,
    timeMs,
  };
}

export function commissionFromIb(r: CommissionReport): {
  execId: string;
  commission: Cents;
  realizedPnl: Cents | null;
} | null {
  const commission = centsFromIb(r.commission);
  if (r.execId === undefined || commission === null) return null;
  return { execId: r.execId, commission, realizedPnl: centsFromIb(r.realizedPNL) };
}

/** What an order trades, given a lookup from a leg's conId to the option it names. */
export function brokerContractFromIb(
  c: Contract,
  legOption: (conId: number) => OptionContract | null,
): BrokerContract | null {
  if (String(c.secType) === 'BAG') {
    const symbol = c.symbol;
    if (symbol !== 'SPX' && symbol !== 'VIX') return null;
    const legs: BrokerLeg[] = [];
    for (const l of c.comboLegs ?? []) {
      const contract = l.conId === undefined ? null : legOption(l.conId);
      const action = actionFromIb(l.action);
      const ratio = ibNumber(l.ratio);
      if (contract === null || action === null || ratio === null) return null;
      legs.push({ contract, action, ratio });
    }
    return legs.length === 0 ? null : { kind: 'combo', symbol, legs };
  }
  const option = optionFromIb(c);
  return option === null ? null : { kind: 'single', contract: option };
}

export interface OrderProgress {
  readonly status: IbOrderStatus;
  readonly filled: number;
  readonly remaining: number;
}

/** An openOrder message as a report; progress from its orderStatus when one came. */
export function orderReportFromIb(
  orderId: number,
  c: Contract,
  o: Order,
  state: OrderState,
  progress: OrderProgress | null,
  legOption: (conId: number) => OptionContract | null,
): OrderReport | null {
  const action = actionFromIb(o.action);
  const quantity = ibNumber(o.totalQuantity);
  const status = progress?.status ?? orderStatusFromIb(state.status);
  if (action === null || quantity === null || status === null) return null;
  const filled = progress?.filled ?? ibNumber(o.filledQuantity) ?? 0;
  return {
    orderId,
    permId: o.permId ?? 0,
    clientId: o.clientId ?? 0,
    orderRef: o.orderRef ?? '',
    account: o.account ?? '',
    contract: brokerContractFromIb(c, legOption),
    action,
    quantity,
    limitPrice: priceCentsFromIb(o.lmtPrice),
    status,
    filled,
    remaining: progress?.remaining ?? Math.max(0, quantity - filled),
  };
}

/**
 * A completedOrder message. IB sends no order id or client id with it: `known` supplies them from
 * the permIds this session has seen (0 when unseen).
 */
export function completedOrderFromIb(
  c: Contract,
  o: Order,
  state: OrderState,
  known: { readonly orderId: number; readonly clientId: number } | null,
  legOption: (conId: number) => OptionContract | null,
): CompletedOrderReport | null {
  const base = orderReportFromIb(known?.orderId ?? 0, c, o, state, null, legOption);
  if (base === null) return null;
  return {
    ...base,
    clientId: known?.clientId ?? base.clientId,
    completedStatus: state.completedStatus ?? state.status,
    completedTimeMs: ibTimeToMs(state.completedTime),
  };
}

/**
 * A what-if answer, or null when it carries no real margin yet (IB may first answer with
 * sentinels and a warning; docs/ib-notes.md §4): the caller keeps waiting.
 */
export function whatIfFromIb(state: OrderState): Extract<WhatIfOutcome, { kind: 'margin' }> | null {
  const initChange = centsFromIb(state.initMarginChange);
  const maintChange = centsFromIb(state.maintMarginChange);
  const initAfter = centsFromIb(state.initMarginAfter);
  const equityAfter = centsFromIb(state.equityWithLoanAfter);
  if (initChange === null || maintChange === null || initAfter === null || equityAfter === null) return null;
  const warning = (state.warningText ?? '').trim();
  return {
    kind: 'margin',
    initMarginChange: initChange,
    maintMarginChange: maintChange,
    initMarginAfter: initAfter,
    equityWithLoanAfter: equityAfter,
    commission: centsFromIb(state.commission),
    warning: warning === '' ? null : warning,
  };
}
