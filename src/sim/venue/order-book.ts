// The venue's order lifecycle: working orders keyed by client and order id, their acknowledgements,
// fills against the market model (partial fills, one execution per combo leg carrying the combo's
// orderId and permId, commissions), cancels, and today's executions and completed orders.
import type { TickVenue } from '../../domain/instruments.ts';
import type { Clock } from '../../ports/clock.ts';
import type {
  SimCommission,
  SimCompletedOrder,
  SimContract,
  SimExecution,
  SimMargin,
  SimMarket,
  SimOrderRequest,
  SimOrderStatus,
  SimOrderView,
  VenueEvent,
} from '../engine-api.ts';
import { IbCode } from '../ib-codes.ts';
import type { SimMarketControl } from '../market/market.ts';
import { createRng, hash32 } from '../rng.ts';
import type { FeeSchedule, LegMarket } from './fill-model.ts';
import { allocateLegPrices, comboMarket, commissionFor, fillPrice, fillQuantity } from './fill-model.ts';
import type { Ledger } from './ledger.ts';
import type { CheckedOrder, ResolvedLeg } from './validation.ts';

/** Contracts a combo shows per step; larger orders fill in seeded slices. */
const COMBO_DISPLAYED_SIZE = 5;

export const WORKING: ReadonlySet<SimOrderStatus> = new Set<SimOrderStatus>([
  'PendingSubmit',
  'PreSubmitted',
  'Submitted',
]);

interface LegRec extends ResolvedLeg {
  cumShares: number;
  /** Average price per unit in cents (float). */
  avgCents: number;
}

export interface OrderRec {
  request: SimOrderRequest;
  readonly permId: number;
  status: SimOrderStatus;
  filled: number;
  avgFillCents: number;
  lastFillCents: number;
  readonly legs: readonly LegRec[];
  readonly isBag: boolean;
  readonly tickVenue: TickVenue;
  warningText: string;
  /** Acknowledgements lost by a fault: no openOrder/orderStatus events ever. */
  readonly silent: boolean;
  /** The trading day a DAY order works on. */
  workDate: string;
  /** Gateway session the order was placed in (restarts start a new one). */
  readonly epoch: number;
}

interface ExecRec {
  readonly execution: SimExecution;
  readonly commission: SimCommission;
  readonly nyDate: string;
}

interface CompletedRec {
  readonly order: OrderRec;
  readonly timeMs: number;
  readonly nyDate: string;
  readonly status: string;
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const pad2 = (n: number): string => String(n).padStart(2, '0');

export interface OrderBook {
  get(clientId: number, orderId: number): OrderRec | undefined;
  orders(): IterableIterator<OrderRec>;
  /** A new working order (it is acknowledged and may fill at once). */
  open(o: CheckedOrder, status: SimOrderStatus, workDate: string, epoch: number, silent: boolean): OrderRec;
  /** A whatIf answer: never stored, permId 0. */
  whatIfRecord(o: CheckedOrder, warningText: string): OrderRec;
  /** A rejected order IB would still list among today's completed orders. */
  recordRejected(o: CheckedOrder, reason: string): void;
  view(r: OrderRec, margin?: SimMargin | null): SimOrderView;
  /** openOrder (unless withOpenOrder is false) and orderStatus for an order. */
  ack(r: OrderRec, withOpenOrder?: boolean): void;
  tryFill(r: OrderRec): void;
  /** Records an order that ended today under IB's completedStatus text. */
  complete(r: OrderRec, completedStatus: string): void;
  /** A client's cancel passes through PendingCancel and ends with 202; the venue's own (DAY end, expiry) does not. */
  cancel(r: OrderRec, byClient: boolean): void;
  executions(): readonly ExecRec[];
  completed(): readonly SimCompletedOrder[];
  /** Forget held (untransmitted) working orders: they live only in a gateway session. */
  dropHeld(): void;
  executionCount(): number;
  /** Drop executions and completed orders of earlier days (IB reports today's only). */
  pruneBefore(nyDate: string): void;
}

export function createOrderBook(opts: {
  readonly market: SimMarket & SimMarketControl;
  readonly clock: Clock;
  readonly account: string;
  readonly seed: number;
  readonly fees: FeeSchedule;
  readonly ledger: Ledger;
  readonly emit: (e: VenueEvent) => void;
  readonly emitAccount: () => void;
  /** SPXW trade through their expiry day's close; VIX options and VX stop the day before the SOQ. */
  readonly tradable: (c: SimContract) => boolean;
  readonly legMarkets: (legs: readonly ResolvedLeg[]) => LegMarket[] | null;
}): OrderBook {
  const { market, clock, account, fees, ledger, emit } = opts;
  const seed = opts.seed >>> 0;
  const fillRng = createRng(seed).fork('fills');
  const orders = new Map<string, OrderRec>();
  const executions: ExecRec[] = [];
  const completed: CompletedRec[] = [];
  let nextPermId = 1_000_000_000 + (hash32(seed, 'perm') % 100_000_000);
  let execSeq = hash32(seed, 'exec') & 0x0fffffff;
  const execPrefix = hex8(hash32(seed, account) & 0x00ffffff);
  const key = (clientId: number, orderId: number): string => `${clientId}:${orderId}`;

  const view = (r: OrderRec, margin: SimMargin | null = null): SimOrderView => ({
    request: r.request,
    permId: r.permId,
    status: r.status,
    filled: r.filled,
    remaining: Math.max(0, r.request.totalQuantity - r.filled),
    avgFillPrice: r.filled > 0 ? Math.round(r.avgFillCents * 100) / 10_000 : 0,
    lastFillPrice: r.filled > 0 ? r.lastFillCents / 100 : 0,
    contracts: r.legs.map((l) => l.contract),
    margin,
    warningText: r.warningText,
  });

  const ack = (r: OrderRec, withOpenOrder = true): void => {
    if (r.silent) return;
    if (withOpenOrder) emit({ type: 'openOrder', order: view(r) });
    emit({ type: 'orderStatus', order: view(r) });
  };

  const complete = (r: OrderRec, status: string): void => {
    const timeMs = clock.nowMs();
    completed.push({ order: r, timeMs, nyDate: market.nyDateOf(timeMs), status });
  };

  const record = (
    o: CheckedOrder,
    permId: number,
    status: SimOrderStatus,
    workDate: string,
    epoch: number,
    silent = false,
  ): OrderRec => ({
    request: o.request,
    permId,
    status,
    filled: 0,
    avgFillCents: 0,
    lastFillCents: 0,
    legs: o.legs.map((l) => ({ ...l, cumShares: 0, avgCents: 0 })),
    isBag: o.isBag,
    tickVenue: o.tickVenue,
    warningText: '',
    silent,
    workDate,
    epoch,
  });

  const displayedSize = (r: OrderRec): number => {
    if (r.isBag) return COMBO_DISPLAYED_SIZE;
    const q = market.quote(r.legs[0]!.contract.conId);
    if (q === undefined) return 1;
    return Math.max(1, r.request.action === 'BUY' ? q.askSize : q.bidSize);
  };

  const executeFill = (r: OrderRec, qty: number, netCents: number, lm: readonly LegMarket[]): void => {
    const legPrices = r.isBag ? allocateLegPrices(netCents, lm, r.request.action) : [netCents];
    const timeMs = clock.nowMs();
    const nyDate = market.nyDateOf(timeMs);
    execSeq = (execSeq + 1) >>> 0;
    const base = `${execPrefix}.${hex8(execSeq)}`;
    const orderSign = r.request.action === 'BUY' ? 1 : -1;
    const fresh: ExecRec[] = [];
    const touched: SimContract[] = [];
    r.legs.forEach((leg, i) => {
      const price = legPrices[i]!;
      const shares = qty * leg.ratio;
      const side = leg.sign * orderSign > 0 ? 'BOT' : 'SLD';
      leg.avgCents = (leg.avgCents * leg.cumShares + price * shares) / (leg.cumShares + shares);
      leg.cumShares += shares;
      const commission = commissionFor(leg.contract, shares, fees);
      const realized = ledger.bookFill(leg.contract, (side === 'BOT' ? 1 : -1) * shares, price, commission);
      // A combo's legs carry the combo's orderId and permId, as IB reports them.
      const execution: SimExecution = {
        execId: `${base}.${pad2(i + 1)}.01`,
        orderId: r.request.orderId,
        clientId: r.request.clientId,
        permId: r.permId,
        orderRef: r.request.orderRef,
        contract: leg.contract,
        timeMs,
        account,
        exchange: leg.contract.exchange,
        side,
        shares,
        price: price / 100,
        cumQty: leg.cumShares,
        avgPrice: Math.round(leg.avgCents * 100) / 10_000,
      };
      const report: SimCommission = {
        execId: execution.execId,
        commission,
        currency: 'USD',
        realizedPnl: realized === null ? null : Math.round(realized * 100) / 100,
      };
      fresh.push({ execution, commission: report, nyDate });
      touched.push(leg.contract);
    });
    r.avgFillCents = (r.avgFillCents * r.filled + netCents * qty) / (r.filled + qty);
    r.filled += qty;
    r.lastFillCents = netCents;
    if (r.filled >= r.request.totalQuantity) {
      r.status = 'Filled';
      complete(r, 'Filled');
    }
    executions.push(...fresh);
    for (const x of fresh) emit({ type: 'execution', execution: x.execution });
    ack(r, false);
    for (const x of fresh) emit({ type: 'commission', clientId: r.request.clientId, report: x.commission });
    for (const c of touched) {
      emit({
        type: 'position',
        position: ledger.position(c.conId) ?? { account, contract: c, position: 0, avgCost: 0 },
      });
    }
    if (r.status === 'Filled' && !r.silent) emit({ type: 'openOrder', order: view(r) });
    opts.emitAccount();
  };

  const tryFill = (r: OrderRec): void => {
    if (r.status !== 'Submitted' || r.request.whatIf) return;
    // The same draws every time an order is looked at keep the stream independent of the outcome.
    const u = fillRng.next();
    const draw = fillRng.next();
    if (!market.isSessionOpen()) return;
    if (!r.legs.every((l) => opts.tradable(l.contract))) return;
    const lm = opts.legMarkets(r.legs);
    if (lm === null) return;
    const isLimit = r.request.orderType === 'LMT' && r.request.lmtPrice !== null;
    const limitCents = isLimit ? Math.round((r.request.lmtPrice ?? 0) * 100) : null;
    const m = comboMarket(lm, r.request.action);
    const price = fillPrice(r.request.action, limitCents, m, u, r.tickVenue);
    if (price === null) return;
    const remaining = r.request.totalQuantity - r.filled;
    const qty = fillQuantity(remaining, displayedSize(r), draw);
    if (qty > 0) executeFill(r, qty, price, lm);
  };

  return {
    get: (clientId, orderId) => orders.get(key(clientId, orderId)),
    orders: () => orders.values(),
    open(o, status, workDate, epoch, silent) {
      const r = record(o, nextPermId++, status, workDate, epoch, silent);
      orders.set(key(o.request.clientId, o.request.orderId), r);
      return r;
    },
    whatIfRecord(o, warningText) {
      const r = record(o, 0, 'PreSubmitted', market.tradingDate(), 0);
      r.warningText = warningText;
      return r;
    },
    recordRejected(o, reason) {
      const r = record(o, nextPermId++, 'Inactive', market.tradingDate(), 0);
      complete(r, `Rejected: ${reason.replace(/^Order rejected - reason:\s*/, '')}`);
    },
    view,
    ack,
    tryFill,
    complete,
    cancel(r, byClient) {
      if (byClient) {
        r.status = 'PendingCancel';
        ack(r, false);
      }
      r.status = 'Cancelled';
      complete(r, byClient ? 'Cancelled by Trader' : 'Cancelled by System');
      ack(r, false);
      if (byClient)
        emit({
          type: 'error',
          clientId: r.request.clientId,
          id: r.request.orderId,
          code: IbCode.ORDER_CANCELLED,
          message: 'Order Canceled - reason:',
        });
    },
    executions: () => executions,
    completed() {
      const today = market.nyDateOf(clock.nowMs());
      return completed
        .filter((c) => c.nyDate === today)
        .map((c) => ({ order: view(c.order), completedTimeMs: c.timeMs, completedStatus: c.status }));
    },
    dropHeld() {
      for (const [k, r] of orders) if (!r.request.transmit && WORKING.has(r.status)) orders.delete(k);
    },
    executionCount: () => executions.length,
    pruneBefore(nyDate) {
      const keepExec = executions.filter((x) => x.nyDate >= nyDate);
      executions.length = 0;
      for (const x of keepExec) executions.push(x);
      const keepDone = completed.filter((c) => c.nyDate >= nyDate);
      completed.length = 0;
      for (const c of keepDone) completed.push(c);
    },
  };
}
