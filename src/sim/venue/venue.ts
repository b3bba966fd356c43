// The simulated IB venue: one order entry for every client (TCP sessions and the in-process memory
// broker alike) that validates (validation.ts), works orders (order-book.ts), books fills in the
// account ledger (ledger.ts), answers whatIf (what-if.ts), settles expiries and applies the venue
// faults of the shared catalogue. Combo fills are reported as one execution per leg carrying the
// combo's orderId and permId (no BAG-level execution): positions change per leg.
import { DateTime } from 'luxon';
import type { TradingCalendar } from '../../domain/calendar.ts';
import { NY_ZONE } from '../../domain/calendar.ts';
import type { Clock } from '../../ports/clock.ts';
import type {
  SimContract,
  SimMarket,
  SimOrderStatus,
  SimOrderTicket,
  SimOrderView,
  SimPlaceResult,
  SimPosition,
  SimVenue,
  VenueEvent,
} from '../engine-api.ts';
import { SimFaults } from '../faults.ts';
import type { FaultSubject } from '../faults.ts';
import { IbCode } from '../ib-codes.ts';
import type { SimIbCode } from '../ib-codes.ts';
import type { SimMarketControl, StepInfo } from '../market/market.ts';
import type { FeeSchedule, LegMarket } from './fill-model.ts';
import { createLedger } from './ledger.ts';
import { WORKING, createOrderBook } from './order-book.ts';
import type { OrderRec } from './order-book.ts';
import { settlementOf } from './settlement.ts';
import { checkModification, checkNewOrder, checkTicket } from './validation.ts';
import type { CheckedOrder, ResolvedLeg, ValidationContext } from './validation.ts';
import { whatIfMargin } from './what-if.ts';

export interface SimVenueOptions {
  readonly market: SimMarket & SimMarketControl;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  /** e.g. 'DU1234567' */
  readonly account: string;
  /** Dollars. */
  readonly startingCash: number;
  readonly seed: number;
  /** The simulator's fault catalogue (venue faults: rejects, whatIf refusals); default none armed. */
  readonly faults?: SimFaults;
  /** IB commission per option contract in dollars (default 0.65); exchange and regulatory fees come on top. */
  readonly commissionPerContract?: number;
}

export interface VenueStateSnapshot {
  readonly cashCents: number;
  readonly realizedTodayDollars: number;
  readonly positions: readonly SimPosition[];
  readonly orders: readonly SimOrderView[];
  readonly executionCount: number;
  readonly nextOrderIds: Readonly<Record<number, number>>;
}

export interface SimVenueControl {
  /** Cash-settle every position whose expiry has a settlement value; cancel orders on expired contracts. */
  settleExpired(): void;
  /**
   * Gateway restart: order ids start again at 1; working orders and positions survive, held ones
   * vanish, and an id used before the restart is a duplicate (103) unless it modifies a working order.
   */
  restart(): void;
  state(): VenueStateSnapshot;
  /** Stop listening to the market. */
  stop(): void;
}

/** Sim-wide BAG conId IB reports for combos (ib-notes). */
export const BAG_CONID = 28812380;

export function createSimVenue(opts: SimVenueOptions): SimVenue & SimVenueControl {
  const { market, clock, account } = opts;
  const faults = opts.faults ?? new SimFaults(opts.seed);
  const fees: FeeSchedule = { perContract: opts.commissionPerContract ?? 0.65 };
  const highWater = new Map<number, number>();
  const listeners = new Set<(e: VenueEvent) => void>();
  let epoch = 0;

  const emit = (e: VenueEvent): void => {
    for (const l of [...listeners]) l(e);
  };
  const error = (clientId: number, id: number, code: SimIbCode, message: string): void =>
    emit({ type: 'error', clientId, id, code, message });

  const ledger = createLedger({ market, account, startingCash: opts.startingCash });
  const emitAccount = (): void => {
    for (const [k, v] of Object.entries(ledger.accountValues()))
      emit({ type: 'accountValue', account, key: k, value: v });
  };

  const legMarkets = (legs: readonly ResolvedLeg[]): LegMarket[] | null => {
    const out: LegMarket[] = [];
    for (const l of legs) {
      const q = market.quote(l.contract.conId);
      if (q === undefined || q.bid === null || q.ask === null) return null;
      out.push({ sign: l.sign, ratio: l.ratio, bid: Math.round(q.bid * 100), ask: Math.round(q.ask * 100) });
    }
    return out;
  };

  /** SPXW trade through their expiry day's close; VIX options and VX stop the day before the SOQ. */
  const expired = (c: SimContract): boolean => {
    if (c.expiry === null) return false;
    const today = market.tradingDate();
    if (c.tradingClass === 'SPXW')
      return (
        c.expiry < today ||
        (c.expiry === today && !market.isSessionOpen() && market.settlementValue('SPX-PM', today) !== null)
      );
    return c.expiry <= today;
  };

  const book = createOrderBook({
    market,
    clock,
    account,
    seed: opts.seed,
    fees,
    ledger,
    emit,
    emitAccount,
    tradable: (c) => c.secType !== 'IND' && !expired(c),
    legMarkets,
  });
  const vctx: ValidationContext = { market, account, expired, legMarkets };

  // --- order entry ---------------------------------------------------------------------------
  const initialStatus = (transmit: boolean): SimOrderStatus =>
    !transmit || !market.isSessionOpen() ? 'PreSubmitted' : 'Submitted';

  const holdWarning = (clientId: number, orderId: number): void =>
    error(
      clientId,
      orderId,
      IbCode.ORDER_WARNING,
      'Order Message:\nWarning: the order is held (transmit=false) and will not be sent to the exchange.',
    );

  const refused = (t: SimOrderTicket, code: SimIbCode, message: string): SimPlaceResult => {
    error(t.clientId, t.orderId, code, message);
    return { kind: 'refused', code, message };
  };

  const modify = (t: SimOrderTicket, r: OrderRec, o: CheckedOrder): SimPlaceResult => {
    if (r.epoch !== epoch && !WORKING.has(r.status))
      return refused(t, IbCode.DUPLICATE_ORDER_ID, 'Duplicate order id');
    if (r.status === 'Filled')
      return refused(t, IbCode.CANT_MODIFY_FILLED_ORDER, "Can't modify a filled order.");
    if (!WORKING.has(r.status)) return refused(t, IbCode.DUPLICATE_ORDER_ID, 'Duplicate order id');
    const bad = checkModification(
      { legs: r.legs, action: r.request.action, filled: r.filled },
      o,
      r.tickVenue,
    );
    if (bad !== null) return refused(t, bad.code, bad.message);
    r.request = o.request;
    r.status = r.filled >= o.request.totalQuantity ? 'Filled' : initialStatus(o.request.transmit);
    if (r.status === 'Filled') book.complete(r, 'Filled');
    if (!o.request.transmit) holdWarning(t.clientId, t.orderId);
    book.ack(r);
    book.tryFill(r);
    return { kind: 'placed', order: book.view(r) };
  };

  const answerWhatIf = (t: SimOrderTicket, o: CheckedOrder, subject: FaultSubject): SimPlaceResult => {
    if (!o.request.transmit)
      return refused(
        t,
        IbCode.WHAT_IF_NEEDS_TRANSMIT,
        'What-if order should have the transmit flag set to true.',
      );
    const smartCombo = o.isBag && o.request.exchange.toUpperCase() === 'SMART';
    const fault = faults.onWhatIf(subject, smartCombo);
    if (fault === 'refuse')
      return refused(t, IbCode.NO_WHAT_IF_FOR_SMART_COMBO, 'No whatif check support for smart combo order');
    const noMargin = fault === 'no-margin';
    const rec = book.whatIfRecord(
      o,
      noMargin ? 'Margin information is not available yet; please try again' : '',
    );
    const answer = book.view(rec, noMargin ? null : whatIfMargin(o, ledger, legMarkets(o.legs), fees));
    emit({ type: 'openOrder', order: answer });
    return { kind: 'what-if', order: answer };
  };

  const placeOrder = (t: SimOrderTicket): SimPlaceResult => {
    const checked = checkTicket(t, vctx);
    if ('code' in checked) return refused(t, checked.code, checked.message);
    const existing = book.get(t.clientId, t.orderId);
    if (existing !== undefined && !t.whatIf) return modify(t, existing, checked);
    if ((!t.whatIf && t.orderId <= (highWater.get(t.clientId) ?? 0)) || t.orderId <= 0)
      return refused(t, IbCode.DUPLICATE_ORDER_ID, 'Duplicate order id');
    highWater.set(t.clientId, Math.max(highWater.get(t.clientId) ?? 0, t.orderId));
    const rule = checkNewOrder(checked, vctx);
    if (rule !== null) {
      if (rule.code === IbCode.ORDER_REJECTED && !t.whatIf) book.recordRejected(checked, rule.message);
      return refused(t, rule.code, rule.message);
    }
    const subject: FaultSubject = { sessionId: -1, clientId: t.clientId };
    if (t.whatIf) return answerWhatIf(t, checked, subject);
    const reject = faults.onNewOrder(subject, t.orderId);
    if (reject !== null) {
      book.recordRejected(checked, reject.reason);
      return refused(t, reject.code, reject.reason);
    }
    const d = market.tradingDate();
    const workDate = market.isSessionOpen() ? d : opts.calendar.nextTradingDay(d);
    const silent = faults.onOrderAcks(subject, t.orderId);
    const rec = book.open(checked, initialStatus(checked.request.transmit), workDate, epoch, silent);
    if (!checked.request.transmit) holdWarning(t.clientId, t.orderId);
    book.ack(rec);
    book.tryFill(rec);
    return { kind: 'placed', order: book.view(rec) };
  };

  // --- settlement and the trading day --------------------------------------------------------
  const settleExpired = (): void => {
    let changed = false;
    for (const c of ledger.settleExpired()) {
      emit({ type: 'position', position: { account, contract: c, position: 0, avgCost: 0 } });
      changed = true;
    }
    for (const r of book.orders()) {
      if (!WORKING.has(r.status)) continue;
      if (r.legs.some((l) => settlementOf(l.contract, market) !== null)) {
        book.cancel(r, false);
        changed = true;
      }
    }
    if (changed) emitAccount();
  };

  const onStep = (info: StepInfo): void => {
    if (info.kind === 'open') {
      ledger.startDay(info.tradingDate);
      book.pruneBefore(market.nyDateOf(info.atMs));
      settleExpired();
      for (const r of book.orders()) {
        if (r.status === 'PreSubmitted' && r.request.transmit && !r.request.whatIf) {
          r.status = 'Submitted';
          book.ack(r, false);
        }
      }
    }
    if (info.kind === 'close') {
      settleExpired();
      for (const r of book.orders()) {
        if (!WORKING.has(r.status)) continue;
        const tif = r.request.tif.toUpperCase();
        const expiring = r.legs.some(
          (l) => l.contract.expiry !== null && l.contract.expiry <= info.tradingDate,
        );
        if (((tif === 'DAY' || tif === '') && r.workDate <= info.tradingDate) || expiring)
          book.cancel(r, false);
      }
      return;
    }
    for (const r of [...book.orders()]) if (r.status === 'Submitted') book.tryFill(r);
  };
  const unsubscribe = market.onStep(onStep);

  // --- queries -------------------------------------------------------------------------------
  const parseFilterTime = (s: string): number | null => {
    const m = /^(\d{8})[- ](\d{2}:\d{2}:\d{2})(?:\s+(\S+))?$/.exec(s.trim());
    if (m === null) return null;
    const zone = m[3] ?? NY_ZONE;
    const dt = DateTime.fromFormat(`${m[1]} ${m[2]}`, 'yyyyMMdd HH:mm:ss', { zone });
    return dt.isValid ? dt.toMillis() : null;
  };

  const venue: SimVenue & SimVenueControl = {
    account,
    placeOrder,
    cancelOrder(clientId, orderId) {
      const r = book.get(clientId, orderId);
      if (r === undefined) {
        error(
          clientId,
          orderId,
          IbCode.CANCEL_NOT_FOUND,
          `OrderId ${orderId} that needs to be cancelled is not found.`,
        );
        return;
      }
      if (!WORKING.has(r.status)) {
        error(
          clientId,
          orderId,
          IbCode.CANCEL_NOT_CANCELLABLE,
          `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${r.status}.`,
        );
        return;
      }
      book.cancel(r, true);
    },
    globalCancel() {
      for (const r of book.orders()) if (WORKING.has(r.status)) book.cancel(r, true);
    },
    openOrders(filter) {
      const out: SimOrderView[] = [];
      for (const r of book.orders()) {
        if (!WORKING.has(r.status)) continue;
        if (filter.clientId !== undefined && r.request.clientId !== filter.clientId) continue;
        out.push(book.view(r));
      }
      return out;
    },
    completedOrders(filter) {
      return book
        .completed()
        .filter((c) => filter.clientId === undefined || c.order.request.clientId === filter.clientId);
    },
    executions(filter) {
      const today = market.nyDateOf(clock.nowMs());
      const since = filter.time === undefined || filter.time === '' ? null : parseFilterTime(filter.time);
      return book
        .executions()
        .filter((x) => {
          const e = x.execution;
          if (x.nyDate !== today) return false;
          if (filter.clientId !== undefined && filter.clientId !== 0 && e.clientId !== filter.clientId)
            return false;
          if (filter.account !== undefined && filter.account !== '' && filter.account !== e.account)
            return false;
          if (since !== null && e.timeMs < since) return false;
          if (
            filter.symbol !== undefined &&
            filter.symbol !== '' &&
            filter.symbol.toUpperCase() !== e.contract.symbol
          )
            return false;
          if (
            filter.secType !== undefined &&
            filter.secType !== '' &&
            filter.secType.toUpperCase() !== e.contract.secType
          )
            return false;
          if (filter.side !== undefined && (filter.side === 'BUY' ? 'BOT' : 'SLD') !== e.side) return false;
          return true;
        })
        .map((x) => ({ execution: x.execution, commission: x.commission }));
    },
    positions: () => ledger.positions(),
    accountValues: () => ledger.accountValues(),
    nextValidOrderId: (clientId) => (highWater.get(clientId) ?? 0) + 1,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    settleExpired,
    restart() {
      epoch++;
      highWater.clear();
      book.dropHeld();
    },
    state: () => ({
      cashCents: ledger.cashCents(),
      realizedTodayDollars: ledger.realizedToday(),
      positions: ledger.positions(),
      orders: [...book.orders()].map((r) => book.view(r)),
      executionCount: book.executionCount(),
      nextOrderIds: Object.fromEntries([...highWater].map(([c, n]) => [c, n + 1])),
    }),
    stop: () => unsubscribe(),
  };
  return venue;
}
