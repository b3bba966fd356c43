// Small, scriptable stand-ins for SimMarket and SimVenue, so the wire layer can be tested on its
// own: every quote, fill and rejection here is set by the test, never modelled. Orders pass the real
// validation module first (the one home of the order rules), then the fake's own few rules.
import type {
  ContractQuery,
  ExecutionFilter,
  SimBar,
  SimCommission,
  SimContract,
  SimExecution,
  SimMarket,
  SimOptParams,
  SimOptionModel,
  SimOrderRequest,
  SimOrderStatus,
  SimOrderView,
  SimPlaceResult,
  SimPosition,
  SimQuote,
  SimVenue,
  VenueEvent,
} from '../../../src/sim/engine-api.ts';
import { createVirtualClock } from '../../../src/adapters/clock/virtual-clock.ts';
import type { SimIbCode } from '../../../src/sim/ib-codes.ts';
import { checkTicket } from '../../../src/sim/venue/validation.ts';
import type { ManualClock as VirtualClock } from '../../../src/ports/clock.ts';

export const FAKE_ACCOUNT = 'DU1234567';
export const SPX_CON_ID = 416904;
export const VIX_CON_ID = 13455763;
export const EXPIRY = '2025-01-13';

const base = {
  currency: 'USD' as const,
  timeZoneId: 'US/Eastern',
  tradingHours: '20250110:0930-20250110:1615',
  liquidHours: '20250110:0930-20250110:1615',
  marketRuleIds: '239',
};

export function indexContract(conId: number, symbol: string): SimContract {
  return {
    ...base,
    conId,
    secType: 'IND',
    symbol,
    tradingClass: symbol,
    expiry: null,
    strike: null,
    right: null,
    multiplier: null,
    exchange: 'CBOE',
    localSymbol: symbol,
    minTick: 0.01,
    longName: symbol === 'SPX' ? 'S&P 500 Stock Index' : 'CBOE Volatility Index',
    underConId: null,
  };
}

export function spxwOption(conId: number, strike: number, right: 'C' | 'P', expiry = EXPIRY): SimContract {
  const ymd = expiry.replaceAll('-', '').slice(2);
  return {
    ...base,
    conId,
    secType: 'OPT',
    symbol: 'SPX',
    tradingClass: 'SPXW',
    expiry,
    strike,
    right,
    multiplier: 100,
    exchange: 'CBOE',
    localSymbol: `SPXW  ${ymd}${right}${String(strike * 1000).padStart(8, '0')}`,
    minTick: 0.05,
    longName: 'S&P 500 Stock Index',
    underConId: SPX_CON_ID,
  };
}

export interface FakeMarket extends SimMarket {
  readonly clock: VirtualClock;
  setQuote(conId: number, q: Partial<SimQuote>): void;
  add(c: SimContract, q?: Partial<SimQuote>): void;
}

const EMPTY_QUOTE: SimQuote = {
  bid: null,
  ask: null,
  last: null,
  bidSize: 0,
  askSize: 0,
  lastSize: 0,
  open: null,
  high: null,
  low: null,
  close: null,
  volume: 0,
};

export function createFakeMarket(clock: VirtualClock): FakeMarket {
  const contracts = new Map<number, SimContract>();
  const quotes = new Map<number, SimQuote>();
  const listeners = new Set<(conIds: readonly number[]) => void>();
  const add = (c: SimContract, q: Partial<SimQuote> = {}): void => {
    contracts.set(c.conId, c);
    quotes.set(c.conId, { ...EMPTY_QUOTE, ...q });
  };
  add(indexContract(SPX_CON_ID, 'SPX'), { last: 5900.5, close: 5880.25, open: 5885, high: 5910, low: 5870 });
  add(indexContract(VIX_CON_ID, 'VIX'), { last: 16.42, close: 16.1 });
  let id = 900001;
  for (const strike of [5800, 5850, 5900, 5950, 6000]) {
    for (const right of ['C', 'P'] as const) {
      const mid =
        right === 'C' ? Math.max(0.5, (5900 - strike) / 2 + 10) : Math.max(0.5, (strike - 5900) / 2 + 10);
      add(spxwOption(id++, strike, right), {
        bid: mid - 0.25,
        ask: mid + 0.25,
        last: mid,
        bidSize: 10,
        askSize: 12,
        lastSize: 1,
        volume: 100,
      });
    }
  }
  return {
    clock,
    add,
    setQuote(conId, q) {
      const prev = quotes.get(conId) ?? EMPTY_QUOTE;
      quotes.set(conId, { ...prev, ...q });
      for (const l of [...listeners]) l([conId]);
    },
    findContracts(q: ContractQuery) {
      return [...contracts.values()].filter((c) => matches(c, q));
    },
    contract: (conId) => contracts.get(conId),
    secDefOptParams(symbol, underConId): readonly SimOptParams[] {
      if (symbol !== 'SPX' || (underConId !== 0 && underConId !== SPX_CON_ID)) return [];
      const opts = [...contracts.values()].filter((c) => c.secType === 'OPT');
      const strikes = [...new Set(opts.map((c) => c.strike ?? 0))].sort((a, b) => a - b);
      const expirations = [...new Set(opts.map((c) => (c.expiry ?? '').replaceAll('-', '')))];
      return ['SMART', 'CBOE'].map((exchange) => ({
        exchange,
        underlyingConId: SPX_CON_ID,
        tradingClass: 'SPXW',
        multiplier: 100,
        expirations,
        strikes,
      }));
    },
    quote: (conId) => quotes.get(conId),
    optionModel(conId): SimOptionModel | undefined {
      const c = contracts.get(conId);
      const q = quotes.get(conId);
      if (c?.secType !== 'OPT' || q === undefined) return undefined;
      return {
        impliedVol: 0.14,
        delta: c.right === 'C' ? 0.42 : -0.38,
        optPrice: q.last ?? 0,
        pvDividend: 0,
        gamma: 0.004,
        vega: 1.9,
        theta: -3.1,
        undPrice: quotes.get(SPX_CON_ID)?.last ?? 0,
      };
    },
    dailyBars(conId, endDate, sessions): readonly SimBar[] {
      if (!contracts.has(conId)) return [];
      const out: SimBar[] = [];
      const end = Date.parse(`${endDate}T00:00:00Z`);
      for (let d = 0; out.length < sessions && d < sessions * 2; d++) {
        const t = new Date(end - d * 86_400_000);
        const dow = t.getUTCDay();
        if (dow === 0 || dow === 6) continue;
        const close = 5000 + ((conId + d * 37) % 400);
        out.push({
          date: t.toISOString().slice(0, 10).replaceAll('-', ''),
          open: close - 5,
          high: close + 10,
          low: close - 12,
          close,
          volume: 0,
        });
      }
      return out.reverse();
    },
    onQuotes(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function matches(c: SimContract, q: ContractQuery): boolean {
  if (q.conId !== undefined && q.conId !== c.conId) return false;
  if (q.symbol !== undefined && q.symbol !== c.symbol) return false;
  if (q.secType !== undefined && q.secType !== c.secType) return false;
  if (q.lastTradeDateOrContractMonth !== undefined) {
    const ymd = (c.expiry ?? '').replaceAll('-', '');
    if (!ymd.startsWith(q.lastTradeDateOrContractMonth)) return false;
  }
  if (q.strike !== undefined && q.strike !== c.strike) return false;
  if (q.right !== undefined && q.right !== c.right) return false;
  if (q.tradingClass !== undefined && q.tradingClass !== c.tradingClass) return false;
  if (q.localSymbol !== undefined && q.localSymbol !== c.localSymbol) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------

interface FakeOrder {
  request: SimOrderRequest;
  readonly permId: number;
  status: SimOrderStatus;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  readonly contracts: readonly SimContract[];
}

export interface FakeVenue extends SimVenue {
  /** Fills qty of an open order at price: executions per leg, status, commission, positions. */
  fill(clientId: number, orderId: number, qty: number, price: number): void;
  /** Gateway restart: order ids start over (orders and fills survive). */
  restart(): void;
  /** Set account values and announce them. */
  setAccountValue(key: string, value: string): void;
  readonly placed: SimOrderRequest[];
}

export function createFakeVenue(market: FakeMarket): FakeVenue {
  const clock = market.clock;
  const orders = new Map<string, FakeOrder>();
  const highest = new Map<number, number>();
  const execs: { execution: SimExecution; commission: SimCommission }[] = [];
  const positions = new Map<number, SimPosition>();
  const listeners = new Set<(e: VenueEvent) => void>();
  const values: Record<string, string> = {
    AccountType: 'INDIVIDUAL',
    NetLiquidation: '100000.00',
    TotalCashValue: '100000.00',
    BuyingPower: '400000.00',
    AvailableFunds: '100000.00',
    ExcessLiquidity: '100000.00',
    InitMarginReq: '0.00',
    MaintMarginReq: '0.00',
  };
  const placed: SimOrderRequest[] = [];
  let permSeq = 500000001;
  let execSeq = 1;

  const emit = (e: VenueEvent): void => {
    for (const l of [...listeners]) l(e);
  };
  const view = (o: FakeOrder, margin: SimOrderView['margin'] = null): SimOrderView => ({
    request: o.request,
    permId: o.permId,
    status: o.status,
    filled: o.filled,
    remaining: o.request.totalQuantity - o.filled,
    avgFillPrice: o.avgFillPrice,
    lastFillPrice: o.lastFillPrice,
    contracts: o.contracts,
    margin,
    warningText: '',
  });
  const error = (req: { clientId: number; orderId: number }, code: SimIbCode, message: string): void =>
    emit({ type: 'error', clientId: req.clientId, id: req.orderId, code, message });
  const refuse = (
    req: { clientId: number; orderId: number },
    code: SimIbCode,
    message: string,
  ): SimPlaceResult => {
    error(req, code, message);
    return { kind: 'refused', code, message };
  };
  const resolve = (req: SimOrderRequest): SimContract[] => {
    const ids = req.contract.kind === 'single' ? [req.contract.conId] : req.contract.legs.map((l) => l.conId);
    return ids.map((id) => market.contract(id)).filter((c): c is SimContract => c !== undefined);
  };

  return {
    account: FAKE_ACCOUNT,
    placed,
    placeOrder(ticket) {
      const checked = checkTicket(ticket, {
        market,
        account: FAKE_ACCOUNT,
        expired: () => false,
        legMarkets: () => null,
      });
      if ('code' in checked) return refuse(ticket, checked.code, checked.message);
      const req = checked.request;
      placed.push(req);
      const key = `${req.clientId}:${req.orderId}`;
      const existing = orders.get(key);
      const contracts = resolve(req);
      if (req.whatIf) {
        const o: FakeOrder = {
          request: req,
          permId: 0,
          status: 'PreSubmitted',
          filled: 0,
          avgFillPrice: 0,
          lastFillPrice: 0,
          contracts,
        };
        emit({
          type: 'openOrder',
          order: view(o, {
            initMarginBefore: 0,
            maintMarginBefore: 0,
            equityWithLoanBefore: 100000,
            initMarginChange: 5000,
            maintMarginChange: 5000,
            equityWithLoanChange: -1.3,
            initMarginAfter: 5000,
            maintMarginAfter: 5000,
            equityWithLoanAfter: 99998.7,
            commission: 2.6,
          }),
        });
        return { kind: 'what-if', order: view(o) };
      }
      if (existing === undefined && req.orderId <= (highest.get(req.clientId) ?? 0)) {
        return refuse(req, 103, 'Duplicate order id');
      }
      if (req.lmtPrice !== null && Math.abs(Math.round(req.lmtPrice * 20) - req.lmtPrice * 20) > 1e-9) {
        return refuse(
          req,
          110,
          'The price does not conform to the minimum price variation for this contract.',
        );
      }
      if (req.contract.kind === 'bag' && req.ocaGroup !== '') {
        return refuse(req, 356, 'Smart-combo order does not support OCA group.');
      }
      if (req.contract.kind === 'bag' && req.action === 'SELL') {
        return refuse(req, 201, 'Order rejected - reason:Riskless combination orders are not allowed.');
      }
      highest.set(req.clientId, Math.max(highest.get(req.clientId) ?? 0, req.orderId));
      if (existing !== undefined) {
        existing.request = req;
        emit({ type: 'openOrder', order: view(existing) });
        emit({ type: 'orderStatus', order: view(existing) });
        return { kind: 'placed', order: view(existing) };
      }
      const o: FakeOrder = {
        request: req,
        permId: permSeq++,
        status: req.transmit ? 'Submitted' : 'PreSubmitted',
        filled: 0,
        avgFillPrice: 0,
        lastFillPrice: 0,
        contracts,
      };
      orders.set(key, o);
      emit({ type: 'openOrder', order: view(o) });
      emit({ type: 'orderStatus', order: view(o) });
      return { kind: 'placed', order: view(o) };
    },
    cancelOrder(clientId, orderId) {
      const o = orders.get(`${clientId}:${orderId}`);
      if (o === undefined || o.status === 'Filled' || o.status === 'Cancelled') {
        return error(
          { clientId, orderId },
          10147,
          `OrderId ${orderId} that needs to be cancelled is not found.`,
        );
      }
      o.status = 'PendingCancel';
      emit({ type: 'orderStatus', order: view(o) });
      o.status = 'Cancelled';
      emit({ type: 'orderStatus', order: view(o) });
      error({ clientId, orderId }, 202, 'Order Canceled - reason:');
    },
    globalCancel() {
      for (const o of orders.values()) {
        if (o.status === 'Submitted' || o.status === 'PreSubmitted') {
          o.status = 'Cancelled';
          emit({ type: 'orderStatus', order: view(o) });
        }
      }
    },
    openOrders(filter) {
      return [...orders.values()]
        .filter((o) => o.status !== 'Filled' && o.status !== 'Cancelled')
        .filter((o) => filter.clientId === undefined || o.request.clientId === filter.clientId)
        .map((o) => view(o));
    },
    completedOrders: () => [],
    executions(filter: ExecutionFilter) {
      return execs.filter(
        (x) =>
          (filter.clientId === undefined || x.execution.clientId === filter.clientId) &&
          (filter.symbol === undefined || x.execution.contract.symbol === filter.symbol),
      );
    },
    positions: () => [...positions.values()],
    accountValues: () => ({ ...values }),
    nextValidOrderId: (clientId) => (highest.get(clientId) ?? 0) + 1,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fill(clientId, orderId, qty, price) {
      const o = orders.get(`${clientId}:${orderId}`);
      if (o === undefined) throw new Error(`no order ${clientId}:${orderId}`);
      const req = o.request;
      const legs = req.contract.kind === 'single' ? [{ ratio: 1, action: 'BUY' }] : req.contract.legs;
      o.avgFillPrice = (o.avgFillPrice * o.filled + price * qty) / (o.filled + qty);
      o.filled += qty;
      o.lastFillPrice = price;
      o.status = o.filled >= req.totalQuantity ? 'Filled' : 'Submitted';
      legs.forEach((leg, i) => {
        const contract = o.contracts[i];
        if (contract === undefined) return;
        const buy = (leg.action === 'BUY') === (req.action === 'BUY');
        const shares = qty * leg.ratio;
        const execution: SimExecution = {
          execId: `0000e0d5.67800000.01.${String(execSeq++).padStart(2, '0')}`,
          orderId,
          clientId,
          permId: o.permId,
          orderRef: req.orderRef,
          contract,
          timeMs: clock.nowMs(),
          account: FAKE_ACCOUNT,
          exchange: 'CBOE',
          side: buy ? 'BOT' : 'SLD',
          shares,
          price,
          cumQty: o.filled * leg.ratio,
          avgPrice: o.avgFillPrice,
        };
        const commission: SimCommission = {
          execId: execution.execId,
          commission: 1.3 * shares,
          currency: 'USD',
          realizedPnl: null,
        };
        execs.push({ execution, commission });
        emit({ type: 'execution', execution });
        emit({ type: 'orderStatus', order: view(o) });
        emit({ type: 'commission', clientId, report: commission });
        const prev = positions.get(contract.conId)?.position ?? 0;
        const position: SimPosition = {
          account: FAKE_ACCOUNT,
          contract,
          position: prev + (buy ? shares : -shares),
          avgCost: price * (contract.multiplier ?? 1),
        };
        positions.set(contract.conId, position);
        emit({ type: 'position', position });
      });
      if (o.status === 'Filled') emit({ type: 'openOrder', order: view(o) });
    },
    restart() {
      highest.clear();
    },
    setAccountValue(key, value) {
      values[key] = value;
      emit({ type: 'accountValue', account: FAKE_ACCOUNT, key, value });
    },
  };
}

/** 2025-01-10 10:00:00 New York. */
export const FAKE_START_MS = Date.parse('2025-01-10T15:00:00Z');

export function createFakeEngine(startMs = FAKE_START_MS): {
  clock: VirtualClock;
  market: FakeMarket;
  venue: FakeVenue;
} {
  const clock = createVirtualClock(startMs);
  const market = createFakeMarket(clock);
  return { clock, market, venue: createFakeVenue(market) };
}
