// The simulated IB venue: validates orders with IB's error codes, works them against the market model
// (fills, partial fills, per-leg combo executions, commissions), keeps positions, cash and account
// values, answers whatIf with margin numbers, settles expiries, and injects venue faults.
// Combo fills are reported as one execution per leg carrying the combo's orderId (no BAG-level
// execution): positions change per leg, which is what reconciliation checks.
import { DateTime } from 'luxon';
import type { TickVenue } from '../../domain/instruments.ts';
import { isOnTick } from '../../domain/instruments.ts';
import type { TradingCalendar } from '../../domain/calendar.ts';
import { NY_ZONE } from '../../domain/calendar.ts';
import type { Clock } from '../../ports/clock.ts';
import type {
  SimCommission,
  SimContract,
  SimExecution,
  SimMargin,
  SimMarket,
  SimOrderRequest,
  SimOrderStatus,
  SimOrderView,
  SimPosition,
  SimVenue,
  VenueEvent,
} from '../engine-api.ts';
import { createRng, hash32 } from '../rng.ts';
import type { SimMarketControl, StepInfo } from '../market/market.ts';
import type { FaultState, VenueFaults } from './faults.ts';
import { createFaultState } from './faults.ts';
import type { FeeSchedule, LegMarket } from './fill-model.ts';
import { allocateLegPrices, comboMarket, commissionFor, fillPrice, fillQuantity } from './fill-model.ts';
import type { MarginLine, PayoffLeg } from './margin.ts';
import { payoffRange, portfolioRequirement } from './margin.ts';
import { settlementOf } from './settlement.ts';

export type { VenueFaults } from './faults.ts';

export interface SimVenueOptions {
  readonly market: SimMarket & SimMarketControl;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  /** e.g. 'DU1234567' */
  readonly account: string;
  /** Dollars. */
  readonly startingCash: number;
  readonly seed: number;
  readonly faults?: VenueFaults;
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
  readonly faults: VenueFaults;
}

export interface SimVenueControl {
  /** Cash-settle every position whose expiry has a settlement value; cancel orders on expired contracts. */
  settleExpired(): void;
  setFaults(f: VenueFaults): void;
  /** Gateway restart: order ids start again at 1; working orders and positions survive, held ones vanish. */
  restart(): void;
  state(): VenueStateSnapshot;
  /** Stop listening to the market. */
  stop(): void;
}

/** Sim-wide BAG conId IB reports for combos (ib-notes). */
export const BAG_CONID = 28812380;
/** Contracts a combo shows per step; larger orders fill in seeded slices. */
const COMBO_DISPLAYED_SIZE = 5;

interface LegRec {
  readonly contract: SimContract;
  readonly ratio: number;
  /** +1 BUY leg, -1 SELL leg, as written in the order. */
  readonly sign: 1 | -1;
  cumShares: number;
  /** Average price per unit in cents (float). */
  avgCents: number;
}

interface OrderRec {
  request: SimOrderRequest;
  readonly permId: number;
  status: SimOrderStatus;
  filled: number;
  avgFillCents: number;
  lastFillCents: number;
  readonly legs: readonly LegRec[];
  readonly isBag: boolean;
  readonly tickVenue: TickVenue;
  /** Acks dropped by a fault: no openOrder/orderStatus ever. */
  readonly silent: boolean;
  warningText: string;
  /** The trading day a DAY order works on. */
  workDate: string;
}

interface PosRec {
  contract: SimContract;
  position: number;
  /** IB avgCost: price x multiplier per contract in dollars, the opening commission included. */
  avgCost: number;
  /** The same average without commissions: what futures variation margin and settlement use. */
  avgPriceCost: number;
}

interface ExecRec {
  readonly execution: SimExecution;
  readonly commission: SimCommission;
  readonly nyDate: string;
}

const WORKING: ReadonlySet<SimOrderStatus> = new Set<SimOrderStatus>([
  'PendingSubmit',
  'PreSubmitted',
  'Submitted',
]);

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const pad2 = (n: number): string => String(n).padStart(2, '0');

export function createSimVenue(opts: SimVenueOptions): SimVenue & SimVenueControl {
  const { market, clock, account } = opts;
  const seed = opts.seed >>> 0;
  const root = createRng(seed);
  const fillRng = root.fork('fills');
  const faults: FaultState = createFaultState(opts.faults ?? {}, root.fork('faults'));
  const fees: FeeSchedule = { perContract: opts.commissionPerContract ?? 0.65 };

  const orders = new Map<string, OrderRec>();
  const highWater = new Map<number, number>();
  const positions = new Map<number, PosRec>();
  const executions: ExecRec[] = [];
  const listeners = new Set<(e: VenueEvent) => void>();
  let cashCents = Math.round(opts.startingCash * 100);
  let realizedToday = 0;
  let realizedDate = market.tradingDate();
  let nextPermId = 1_000_000_000 + (hash32(seed, 'perm') % 100_000_000);
  let execSeq = hash32(seed, 'exec') & 0x0fffffff;
  const execPrefix = hex8(hash32(seed, account) & 0x00ffffff);

  const key = (clientId: number, orderId: number): string => `${clientId}:${orderId}`;
  const emit = (e: VenueEvent): void => {
    for (const l of [...listeners]) l(e);
  };
  const error = (clientId: number, id: number, code: number, message: string): void =>
    emit({ type: 'error', clientId, id, code, message });

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

  // --- marks and account ---------------------------------------------------------------------
  const markOf = (c: SimContract): number => {
    const q = market.quote(c.conId);
    if (q !== undefined && q.bid !== null && q.ask !== null) return (q.bid + q.ask) / 2;
    const m = market.optionModel(c.conId);
    if (m !== undefined) return m.optPrice;
    return q?.last ?? 0;
  };
  const underlyingOf = (c: SimContract): number => {
    const m = market.optionModel(c.conId);
    if (m !== undefined) return m.undPrice;
    return market.spot(c.symbol === 'SPX' ? 'SPX' : 'VIX');
  };
  const marginLines = (): MarginLine[] =>
    [...positions.values()].map((p) => ({
      contract: p.contract,
      position: p.position,
      mark: markOf(p.contract),
    }));

  const accountNumbers = (): Record<string, number> => {
    let optionValue = 0;
    let futuresPnl = 0;
    let gross = 0;
    let unrealized = 0;
    for (const p of positions.values()) {
      const mult = p.contract.multiplier ?? 1;
      const mark = markOf(p.contract);
      const value = p.position * mark * mult;
      gross += Math.abs(value);
      unrealized += value - p.position * p.avgCost;
      // Commissions already left cash: a future adds only its price change to the liquidation value.
      if (p.contract.secType === 'FUT') futuresPnl += value - p.position * p.avgPriceCost;
      else optionValue += value;
    }
    const cash = cashCents / 100;
    const nlv = cash + optionValue + futuresPnl;
    const req = portfolioRequirement(marginLines(), underlyingOf);
    const available = nlv - req;
    return {
      NetLiquidation: nlv,
      TotalCashValue: cash,
      EquityWithLoanValue: nlv,
      // Margin account convention: buying power is four times the available funds.
      BuyingPower: Math.max(0, available) * 4,
      AvailableFunds: available,
      ExcessLiquidity: available,
      InitMarginReq: req,
      MaintMarginReq: req,
      GrossPositionValue: gross,
      UnrealizedPnL: unrealized,
      RealizedPnL: realizedToday,
    };
  };

  const accountValues = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(accountNumbers())) out[k] = v.toFixed(2);
    return out;
  };

  const emitAccount = (): void => {
    for (const [k, v] of Object.entries(accountValues()))
      emit({ type: 'accountValue', account, key: k, value: v });
  };

  const positionView = (p: PosRec): SimPosition => ({
    account,
    contract: p.contract,
    position: p.position,
    avgCost: p.avgCost,
  });

  /**
   * Books a signed quantity at a price (cents per unit) with its commission (dollars); returns the
   * realized P&L in dollars (net of the opening and closing commissions, as IB reports it) or null.
   */
  const book = (c: SimContract, qty: number, priceCents: number, commission: number): number | null => {
    const mult = c.multiplier ?? 1;
    const unitCost = (priceCents / 100) * mult;
    const feePerContract = commission / Math.abs(qty);
    // IB folds the commission into avgCost: a long costs more, a short takes in less.
    const openCost = unitCost + Math.sign(qty) * feePerContract;
    let p = positions.get(c.conId);
    if (p === undefined) {
      p = { contract: c, position: 0, avgCost: 0, avgPriceCost: 0 };
      positions.set(c.conId, p);
    }
    let realized: number | null = null;
    let priceRealized = 0;
    if (p.position === 0 || Math.sign(p.position) === Math.sign(qty)) {
      const held = Math.abs(p.position);
      const total = held + Math.abs(qty);
      p.avgCost = (held * p.avgCost + Math.abs(qty) * openCost) / total;
      p.avgPriceCost = (held * p.avgPriceCost + Math.abs(qty) * unitCost) / total;
      p.position += qty;
    } else {
      const closing = Math.min(Math.abs(qty), Math.abs(p.position));
      realized = closing * ((unitCost - p.avgCost) * Math.sign(p.position) - feePerContract);
      priceRealized = closing * (unitCost - p.avgPriceCost) * Math.sign(p.position);
      p.position += qty;
      if (p.position === 0) {
        p.avgCost = 0;
        p.avgPriceCost = 0;
      } else if (Math.sign(p.position) === Math.sign(qty)) {
        p.avgCost = openCost;
        p.avgPriceCost = unitCost;
      }
    }
    // Options move premium through cash; futures only their price change (commissions are paid apart).
    if (c.secType === 'FUT') {
      cashCents += Math.round(priceRealized * 100);
    } else {
      cashCents -= Math.round(qty * priceCents * mult);
    }
    if (p.position === 0) positions.delete(c.conId);
    return realized;
  };

  // --- filling -------------------------------------------------------------------------------
  const legMarkets = (legs: readonly LegRec[]): LegMarket[] | null => {
    const out: LegMarket[] = [];
    for (const l of legs) {
      const q = market.quote(l.contract.conId);
      if (q === undefined || q.bid === null || q.ask === null) return null;
      out.push({ sign: l.sign, ratio: l.ratio, bid: Math.round(q.bid * 100), ask: Math.round(q.ask * 100) });
    }
    return out;
  };

  const displayedSize = (r: OrderRec): number => {
    if (r.isBag) return COMBO_DISPLAYED_SIZE;
    const q = market.quote(r.legs[0]!.contract.conId);
    if (q === undefined) return 1;
    return Math.max(1, r.request.action === 'BUY' ? q.askSize : q.bidSize);
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
  const tradable = (c: SimContract): boolean => c.secType !== 'IND' && !expired(c);

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
      const realized = book(leg.contract, (side === 'BOT' ? 1 : -1) * shares, price, commission);
      cashCents -= Math.round(commission * 100);
      realizedToday += realized ?? 0;
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
    if (r.filled >= r.request.totalQuantity) r.status = 'Filled';
    executions.push(...fresh);
    for (const x of fresh) {
      emit({ type: 'execution', execution: x.execution });
      if (faults.duplicateExec()) emit({ type: 'execution', execution: x.execution });
    }
    ack(r, false);
    for (const x of fresh) emit({ type: 'commission', clientId: r.request.clientId, report: x.commission });
    for (const c of touched) {
      const p = positions.get(c.conId);
      emit({
        type: 'position',
        position: p === undefined ? { account, contract: c, position: 0, avgCost: 0 } : positionView(p),
      });
    }
    if (r.status === 'Filled' && !r.silent) emit({ type: 'openOrder', order: view(r) });
    emitAccount();
  };

  const tryFill = (r: OrderRec): void => {
    if (r.status !== 'Submitted' || r.request.whatIf) return;
    // The same draws every time an order is looked at keep the stream independent of the outcome.
    const u = fillRng.next();
    const draw = fillRng.next();
    if (!market.isSessionOpen()) return;
    if (!r.legs.every((l) => tradable(l.contract))) return;
    const lm = legMarkets(r.legs);
    if (lm === null) return;
    const isLimit = r.request.orderType.toUpperCase() === 'LMT' && r.request.lmtPrice !== null;
    const limitCents = isLimit ? Math.round((r.request.lmtPrice ?? 0) * 100) : null;
    const m = comboMarket(lm, r.request.action);
    const price = fillPrice(r.request.action, limitCents, m, u, r.tickVenue);
    if (price === null) return;
    const remaining = r.request.totalQuantity - r.filled;
    const qty = fillQuantity(remaining, displayedSize(r), draw);
    if (qty > 0) executeFill(r, qty, price, lm);
  };

  // --- validation ----------------------------------------------------------------------------
  interface Resolved {
    readonly legs: LegRec[];
    readonly isBag: boolean;
    readonly tickVenue: TickVenue;
  }

  const resolve = (req: SimOrderRequest): Resolved | { code: number; message: string } => {
    if (req.contract.kind === 'single') {
      const c = market.contract(req.contract.conId);
      if (c === undefined)
        return { code: 200, message: 'No security definition has been found for the request' };
      if (c.secType === 'IND')
        return { code: 201, message: `Order rejected - reason:${c.symbol} is an index and cannot be traded` };
      const tickVenue: TickVenue =
        c.secType === 'FUT'
          ? 'VX'
          : c.tradingClass === 'SPXW'
            ? 'SPXW'
            : c.tradingClass === 'VIXW'
              ? 'VIXW'
              : 'VIX';
      return {
        legs: [{ contract: c, ratio: 1, sign: 1, cumShares: 0, avgCents: 0 }],
        isBag: false,
        tickVenue,
      };
    }
    const bag = req.contract;
    if (bag.legs.length === 0) return { code: 314, message: 'BAG contract has no combo legs' };
    const legs: LegRec[] = [];
    for (const l of bag.legs) {
      const c = market.contract(l.conId);
      if (c === undefined)
        return {
          code: 200,
          message: `No security definition has been found for the request (combo leg ${l.conId})`,
        };
      if (c.symbol !== bag.symbol.toUpperCase() || c.secType === 'IND')
        return {
          code: 201,
          message: `Order rejected - reason:combo leg ${l.conId} does not belong to ${bag.symbol}`,
        };
      if (!Number.isInteger(l.ratio) || l.ratio <= 0)
        return { code: 201, message: `Order rejected - reason:invalid combo leg ratio ${l.ratio}` };
      legs.push({
        contract: c,
        ratio: l.ratio,
        sign: l.action === 'BUY' ? 1 : -1,
        cumShares: 0,
        avgCents: 0,
      });
    }
    return { legs, isBag: true, tickVenue: bag.symbol.toUpperCase() === 'SPX' ? 'SPX-COMBO' : 'VIX-COMBO' };
  };

  const RISKLESS = 'Order rejected - reason:Riskless combination orders are not allowed.';

  /** IB refuses combos that cannot lose at their limit, and SELL orders on credit structures. */
  const risklessCheck = (req: SimOrderRequest, res: Resolved): string | null => {
    if (!res.isBag) return null;
    const ids = res.legs.map((l) => l.contract.conId);
    if (new Set(ids).size !== ids.length) return RISKLESS;
    const lm = legMarkets(res.legs);
    if (lm !== null && req.action === 'SELL' && comboMarket(lm, 'BUY').mid < 0) return RISKLESS;
    const first = res.legs[0]!.contract;
    const sameExpiry = res.legs.every(
      (l) =>
        l.contract.secType === 'OPT' &&
        l.contract.expiry === first.expiry &&
        l.contract.symbol === first.symbol,
    );
    if (!sameExpiry || req.lmtPrice === null || req.orderType.toUpperCase() !== 'LMT') return null;
    const dir = req.action === 'BUY' ? 1 : -1;
    const legs: PayoffLeg[] = res.legs.map((l) => ({
      right: l.contract.right ?? 'C',
      strike: l.contract.strike ?? 0,
      units: dir * l.sign * l.ratio,
    }));
    const maxStrike = Math.max(...legs.map((l) => l.strike));
    const range = payoffRange(legs, maxStrike * 2);
    // BUY pays the limit (a negative limit is a credit received); SELL receives it.
    const entry = -dir * req.lmtPrice;
    if (!range.unboundedBelow && range.min + entry >= -1e-9) return RISKLESS;
    return null;
  };

  const priceOnTick = (venue: TickVenue, price: number): boolean => {
    const cents = price * 100;
    const rounded = Math.round(cents);
    if (Math.abs(cents - rounded) > 1e-6) return false;
    return isOnTick(venue, rounded);
  };

  /** IB's 110 for a limit price off the contract's tick; true when it rejected the request. */
  const rejectOffTick = (req: SimOrderRequest, venue: TickVenue): boolean => {
    if (req.orderType.toUpperCase() !== 'LMT' || req.lmtPrice === null || priceOnTick(venue, req.lmtPrice))
      return false;
    error(
      req.clientId,
      req.orderId,
      110,
      'The price does not conform to the minimum price variation for this contract.',
    );
    return true;
  };

  // --- whatIf --------------------------------------------------------------------------------
  const whatIfMargin = (req: SimOrderRequest, res: Resolved): SimMargin => {
    const before = marginLines();
    const lm = legMarkets(res.legs);
    const dir = req.action === 'BUY' ? 1 : -1;
    let netCents: number;
    if (req.lmtPrice !== null && req.orderType.toUpperCase() === 'LMT')
      netCents = Math.round(req.lmtPrice * 100);
    else netCents = lm === null ? 0 : Math.round(comboMarket(lm, req.action).mid);
    const legPrices =
      lm === null
        ? res.legs.map(() => 0)
        : res.isBag
          ? allocateLegPrices(netCents, lm, req.action)
          : [netCents];
    const added: MarginLine[] = res.legs.map((l, i) => ({
      contract: l.contract,
      position: dir * l.sign * l.ratio * req.totalQuantity,
      mark: legPrices[i]! / 100,
    }));
    const reqBefore = portfolioRequirement(before, underlyingOf);
    const reqAfter = portfolioRequirement([...before, ...added], underlyingOf);
    const commission = res.legs.reduce(
      (s, l) => s + commissionFor(l.contract, l.ratio * req.totalQuantity, fees),
      0,
    );
    const equity = accountNumbers()['EquityWithLoanValue'] ?? 0;
    const r2 = (x: number): number => Math.round(x * 100) / 100;
    return {
      initMarginBefore: r2(reqBefore),
      maintMarginBefore: r2(reqBefore),
      equityWithLoanBefore: r2(equity),
      initMarginChange: r2(reqAfter - reqBefore),
      maintMarginChange: r2(reqAfter - reqBefore),
      equityWithLoanChange: r2(-commission),
      initMarginAfter: r2(reqAfter),
      maintMarginAfter: r2(reqAfter),
      equityWithLoanAfter: r2(equity - commission),
      commission: r2(commission),
    };
  };

  const answerWhatIf = (req: SimOrderRequest, res: Resolved): void => {
    if (!req.transmit) {
      error(req.clientId, req.orderId, 413, 'What-if order should have the transmit flag set to true.');
      return;
    }
    const smartCombo = res.isBag && req.exchange.toUpperCase() === 'SMART';
    if (faults.whatIfRefused(smartCombo)) {
      error(req.clientId, req.orderId, 360, 'No whatif check support for smart combo order');
      return;
    }
    const noMargin = faults.whatIfNoMargin();
    const rec: OrderRec = {
      request: req,
      permId: 0,
      status: 'PreSubmitted',
      filled: 0,
      avgFillCents: 0,
      lastFillCents: 0,
      legs: res.legs,
      isBag: res.isBag,
      tickVenue: res.tickVenue,
      silent: false,
      warningText: noMargin ? 'Margin information is not available yet; please try again' : '',
      workDate: market.tradingDate(),
    };
    emit({ type: 'openOrder', order: view(rec, noMargin ? null : whatIfMargin(req, res)) });
  };

  // --- order entry ---------------------------------------------------------------------------
  const workDateForNew = (): string => {
    const d = market.tradingDate();
    return market.isSessionOpen() ? d : opts.calendar.nextTradingDay(d);
  };

  const initialStatus = (req: SimOrderRequest): SimOrderStatus =>
    !req.transmit || !market.isSessionOpen() ? 'PreSubmitted' : 'Submitted';

  const holdWarning = (req: SimOrderRequest): void =>
    error(
      req.clientId,
      req.orderId,
      399,
      'Order Message:\nWarning: the order is held (transmit=false) and will not be sent to the exchange.',
    );

  const modify = (r: OrderRec, req: SimOrderRequest, res: Resolved): void => {
    const sameContract =
      res.legs.length === r.legs.length &&
      res.legs.every(
        (l, i) =>
          l.contract.conId === r.legs[i]!.contract.conId &&
          l.sign === r.legs[i]!.sign &&
          l.ratio === r.legs[i]!.ratio,
      ) &&
      req.action === r.request.action;
    if (!sameContract) {
      error(req.clientId, req.orderId, 105, 'Order being modified does not match original order.');
      return;
    }
    if (rejectOffTick(req, r.tickVenue)) return;
    if (!Number.isInteger(req.totalQuantity) || req.totalQuantity < Math.max(1, r.filled)) {
      error(
        req.clientId,
        req.orderId,
        201,
        `Order rejected - reason:quantity ${req.totalQuantity} is below the filled ${r.filled}`,
      );
      return;
    }
    r.request = req;
    r.status = r.filled >= req.totalQuantity ? 'Filled' : initialStatus(req);
    if (!req.transmit) holdWarning(req);
    ack(r);
    tryFill(r);
  };

  const placeOrder = (req: SimOrderRequest): void => {
    const k = key(req.clientId, req.orderId);
    const existing = orders.get(k);
    if (!req.whatIf && existing === undefined && faults.takeDrop()) {
      // The paper server's silent drop: the id is used up, nothing else happens.
      highWater.set(req.clientId, Math.max(highWater.get(req.clientId) ?? 0, req.orderId));
      return;
    }
    const res = resolve(req);
    if (existing !== undefined && !req.whatIf) {
      if (existing.status === 'Filled') {
        error(req.clientId, req.orderId, 104, "Can't modify a filled order.");
        return;
      }
      if (!WORKING.has(existing.status)) {
        error(req.clientId, req.orderId, 103, 'Duplicate order id');
        return;
      }
      if ('code' in res) {
        error(req.clientId, req.orderId, res.code, res.message);
        return;
      }
      modify(existing, req, res);
      return;
    }
    if (!req.whatIf && req.orderId <= (highWater.get(req.clientId) ?? 0)) {
      error(req.clientId, req.orderId, 103, 'Duplicate order id');
      return;
    }
    if (req.orderId <= 0) {
      error(req.clientId, req.orderId, 103, 'Duplicate order id');
      return;
    }
    highWater.set(req.clientId, Math.max(highWater.get(req.clientId) ?? 0, req.orderId));
    if (req.account !== '' && req.account !== account) {
      error(
        req.clientId,
        req.orderId,
        321,
        `Error validating request:-'bI' : cause - Invalid account code ${req.account}`,
      );
      return;
    }
    if ('code' in res) {
      error(req.clientId, req.orderId, res.code, res.message);
      return;
    }
    if (res.legs.some((l) => expired(l.contract))) {
      error(req.clientId, req.orderId, 201, 'Order rejected - reason:the contract has expired');
      return;
    }
    if (!Number.isInteger(req.totalQuantity) || req.totalQuantity <= 0) {
      error(req.clientId, req.orderId, 201, `Order rejected - reason:invalid quantity ${req.totalQuantity}`);
      return;
    }
    const isLmt = req.orderType.toUpperCase() === 'LMT';
    if (isLmt && req.lmtPrice === null) {
      error(req.clientId, req.orderId, 201, 'Order rejected - reason:a limit order needs a limit price');
      return;
    }
    if (rejectOffTick(req, res.tickVenue)) return;
    if (res.isBag && req.ocaGroup !== '' && req.exchange.toUpperCase() === 'SMART') {
      error(req.clientId, req.orderId, 356, 'Smart-combo order does not support OCA group.');
      return;
    }
    const riskless = risklessCheck(req, res);
    if (riskless !== null) {
      error(req.clientId, req.orderId, 201, riskless);
      return;
    }
    if (req.whatIf) {
      answerWhatIf(req, res);
      return;
    }
    const reject = faults.takeReject();
    if (reject !== null) {
      error(req.clientId, req.orderId, reject.code, reject.reason);
      return;
    }
    const rec: OrderRec = {
      request: req,
      permId: nextPermId++,
      status: initialStatus(req),
      filled: 0,
      avgFillCents: 0,
      lastFillCents: 0,
      legs: res.legs,
      isBag: res.isBag,
      tickVenue: res.tickVenue,
      silent: faults.takeDropAck(),
      warningText: '',
      workDate: workDateForNew(),
    };
    orders.set(k, rec);
    if (!req.transmit) holdWarning(req);
    ack(rec);
    tryFill(rec);
  };

  /** A client's cancel passes through PendingCancel and ends with 202; the venue's own (DAY end, expiry) does not. */
  const cancel = (r: OrderRec, byClient: boolean): void => {
    if (byClient) {
      r.status = 'PendingCancel';
      ack(r, false);
    }
    r.status = 'Cancelled';
    ack(r, false);
    if (byClient) error(r.request.clientId, r.request.orderId, 202, 'Order Canceled - reason:');
  };

  // --- settlement and the trading day --------------------------------------------------------
  const settleExpired = (): void => {
    let changed = false;
    for (const p of [...positions.values()]) {
      const st = settlementOf(p.contract, market);
      if (st === null) continue;
      const mult = p.contract.multiplier ?? 1;
      const value = st.unitPrice * mult;
      const realized = (value - p.avgCost) * p.position;
      if (p.contract.secType === 'FUT') cashCents += Math.round((value - p.avgPriceCost) * p.position * 100);
      else cashCents += Math.round(p.position * value * 100);
      realizedToday += realized;
      positions.delete(p.contract.conId);
      emit({ type: 'position', position: { account, contract: p.contract, position: 0, avgCost: 0 } });
      changed = true;
    }
    for (const r of orders.values()) {
      if (!WORKING.has(r.status)) continue;
      if (r.legs.some((l) => settlementOf(l.contract, market) !== null)) {
        cancel(r, false);
        changed = true;
      }
    }
    if (changed) emitAccount();
  };

  const onStep = (info: StepInfo): void => {
    if (info.kind === 'open') {
      if (info.tradingDate !== realizedDate) {
        realizedDate = info.tradingDate;
        realizedToday = 0;
      }
      settleExpired();
      for (const r of orders.values()) {
        if (r.status === 'PreSubmitted' && r.request.transmit && !r.request.whatIf) {
          r.status = 'Submitted';
          ack(r, false);
        }
      }
    }
    if (info.kind === 'close') {
      settleExpired();
      for (const r of orders.values()) {
        if (!WORKING.has(r.status)) continue;
        const tif = r.request.tif.toUpperCase();
        const expiring = r.legs.some(
          (l) => l.contract.expiry !== null && l.contract.expiry <= info.tradingDate,
        );
        if (((tif === 'DAY' || tif === '') && r.workDate <= info.tradingDate) || expiring) cancel(r, false);
      }
      return;
    }
    for (const r of [...orders.values()]) if (r.status === 'Submitted') tryFill(r);
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
      const r = orders.get(key(clientId, orderId));
      if (r === undefined) {
        error(clientId, orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`);
        return;
      }
      if (!WORKING.has(r.status)) {
        error(
          clientId,
          orderId,
          10148,
          `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${r.status}.`,
        );
        return;
      }
      cancel(r, true);
    },
    globalCancel() {
      for (const r of orders.values()) if (WORKING.has(r.status)) cancel(r, true);
    },
    openOrders(filter) {
      const out: SimOrderView[] = [];
      for (const r of orders.values()) {
        if (!WORKING.has(r.status)) continue;
        if (filter.clientId !== undefined && r.request.clientId !== filter.clientId) continue;
        out.push(view(r));
      }
      return out;
    },
    executions(filter) {
      const today = market.nyDateOf(clock.nowMs());
      const since = filter.time === undefined || filter.time === '' ? null : parseFilterTime(filter.time);
      return executions
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
    positions: () => [...positions.values()].map(positionView),
    accountValues,
    nextValidOrderId: (clientId) => (highWater.get(clientId) ?? 0) + 1,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    settleExpired,
    setFaults: (f) => faults.set(f),
    restart() {
      highWater.clear();
      // Untransmitted orders live only in the gateway session: they vanish with it.
      for (const [k, r] of orders) if (!r.request.transmit && WORKING.has(r.status)) orders.delete(k);
    },
    state: () => ({
      cashCents,
      realizedTodayDollars: realizedToday,
      positions: [...positions.values()].map(positionView),
      orders: [...orders.values()].map((r) => view(r)),
      executionCount: executions.length,
      nextOrderIds: Object.fromEntries([...highWater].map(([c, n]) => [c, n + 1])),
      faults: faults.current(),
    }),
    stop: () => unsubscribe(),
  };
  return venue;
}
