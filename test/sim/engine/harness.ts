// Shared set-up for the engine tests: one calendar, a virtual clock, a market and a venue.
import { createNyseCalendar } from '../../../src/domain/calendar.ts';
import type { TradingCalendar } from '../../../src/domain/calendar.ts';
import { loadCalendarData } from '../../../src/config/calendar-file.ts';
import { createVirtualClock } from '../../../src/adapters/clock/virtual-clock.ts';
import type { ManualClock as VirtualClock } from '../../../src/ports/clock.ts';
import { createSimMarket } from '../../../src/sim/market/market.ts';
import type { SimMarketControl, SimMarketOptions } from '../../../src/sim/market/market.ts';
import { createSimVenue } from '../../../src/sim/venue/venue.ts';
import type { SimVenueControl } from '../../../src/sim/venue/venue.ts';
import { SimFaults } from '../../../src/sim/faults.ts';
import type {
  SimComboLeg,
  SimExecution,
  SimMarket,
  SimOrderRequest,
  SimVenue,
  VenueEvent,
} from '../../../src/sim/engine-api.ts';

export const calendar: TradingCalendar = createNyseCalendar(loadCalendarData());
export const ACCOUNT = 'DU1234567';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Market = SimMarket & SimMarketControl;
export type Venue = SimVenue & SimVenueControl;

export interface Rig {
  readonly clock: VirtualClock;
  readonly market: Market;
  readonly venue: Venue;
  /** The venue's fault catalogue (arm rejects and whatIf faults here). */
  readonly faults: SimFaults;
  readonly events: VenueEvent[];
  stop(): void;
}

export function makeMarket(
  startIso: string,
  extra: Partial<Omit<SimMarketOptions, 'clock' | 'calendar'>> = {},
): { clock: VirtualClock; market: Market } {
  const clock = createVirtualClock(Date.parse(startIso));
  const market = createSimMarket({ seed: 7, historySessions: 40, ...extra, clock, calendar });
  return { clock, market };
}

export function makeRig(
  startIso = '2026-03-17T10:00:00-04:00',
  opts: {
    seed?: number;
    market?: Partial<Omit<SimMarketOptions, 'clock' | 'calendar'>>;
  } = {},
): Rig {
  const seed = opts.seed ?? 7;
  const { clock, market } = makeMarket(startIso, { seed, ...opts.market });
  const faults = new SimFaults(seed);
  const venue = createSimVenue({
    faults,
    market,
    clock,
    calendar,
    account: ACCOUNT,
    startingCash: 100_000,
    seed,
  });
  const events: VenueEvent[] = [];
  const off = venue.onEvent((e) => events.push(e));
  return {
    clock,
    market,
    venue,
    faults,
    events,
    stop() {
      off();
      venue.stop();
      market.stop();
    },
  };
}

export function compact(iso: string): string {
  return iso.replaceAll('-', '');
}

/** conId of an SPXW option (throws when not listed). */
export function spxw(market: Market, expiry: string, strike: number, right: 'C' | 'P'): number {
  const found = market.findContracts({
    symbol: 'SPX',
    secType: 'OPT',
    tradingClass: 'SPXW',
    lastTradeDateOrContractMonth: compact(expiry),
    strike,
    right,
  });
  if (found.length !== 1) throw new Error(`SPXW ${expiry} ${strike}${right}: ${found.length} matches`);
  return found[0]!.conId;
}

export function vixOpt(
  market: Market,
  tc: 'VIX' | 'VIXW',
  expiry: string,
  strike: number,
  right: 'C' | 'P' = 'C',
): number {
  const found = market.findContracts({
    symbol: 'VIX',
    secType: 'OPT',
    tradingClass: tc,
    lastTradeDateOrContractMonth: compact(expiry),
    strike,
    right,
  });
  if (found.length !== 1) throw new Error(`${tc} ${expiry} ${strike}${right}: ${found.length} matches`);
  return found[0]!.conId;
}

/** Strike on the 5-point grid nearest x. */
export const on5 = (x: number): number => Math.round(x / 5) * 5;

/** The next-day SPXW expiry (1DTE). */
export function nextExpiry(market: Market): string {
  return market.registry.spxwExpiries()[1]!;
}

/** A 25-wide condor around spot: short put/call about 1.5%/1.2% out. */
export function condorLegs(market: Market, expiry = nextExpiry(market), width = 25): SimComboLeg[] {
  const s = market.spot('SPX');
  const sp = on5(s * 0.985);
  const sc = on5(s * 1.012);
  return [
    { conId: spxw(market, expiry, sp, 'P'), ratio: 1, action: 'SELL', exchange: 'SMART' },
    { conId: spxw(market, expiry, sp - width, 'P'), ratio: 1, action: 'BUY', exchange: 'SMART' },
    { conId: spxw(market, expiry, sc, 'C'), ratio: 1, action: 'SELL', exchange: 'SMART' },
    { conId: spxw(market, expiry, sc + width, 'C'), ratio: 1, action: 'BUY', exchange: 'SMART' },
  ];
}

export function order(
  p: Partial<SimOrderRequest> & Pick<SimOrderRequest, 'orderId' | 'contract'>,
): SimOrderRequest {
  return {
    clientId: 1,
    action: 'BUY',
    totalQuantity: 1,
    orderType: 'LMT',
    lmtPrice: null,
    tif: 'DAY',
    account: ACCOUNT,
    orderRef: `test:${p.orderId}`,
    transmit: true,
    whatIf: false,
    ocaGroup: '',
    exchange: 'SMART',
    ...p,
  };
}

/** Mid of a contract's quote. */
export function mid(market: Market, conId: number): number {
  const q = market.quote(conId);
  if (q?.bid == null || q.ask == null) throw new Error(`no two-sided quote for ${conId}`);
  return (q.bid + q.ask) / 2;
}

export function errorsOf(events: readonly VenueEvent[]): { id: number; code: number; message: string }[] {
  const out: { id: number; code: number; message: string }[] = [];
  for (const e of events) if (e.type === 'error') out.push({ id: e.id, code: e.code, message: e.message });
  return out;
}

/** Round to a tick grid in cents (e.g. 5 -> 0.05). */
export function onTick(x: number, tickCents: number, dir: 'up' | 'down' = 'down'): number {
  const c = x * 100;
  const n = dir === 'up' ? Math.ceil(c / tickCents - 1e-9) : Math.floor(c / tickCents + 1e-9);
  return (n * tickCents) / 100;
}

/** A 1DTE put about 1% out of the money (a few points of premium). */
export function somePut(r: Rig): number {
  return spxw(r.market, nextExpiry(r.market), on5(r.market.spot('SPX') * 0.99), 'P');
}

/** A LMT order for one single option on CBOE. */
export function placeSingle(
  r: Rig,
  orderId: number,
  conId: number,
  action: 'BUY' | 'SELL',
  lmtPrice: number,
  qty = 1,
): void {
  r.venue.placeOrder(
    order({
      orderId,
      contract: { kind: 'single', conId },
      action,
      lmtPrice,
      totalQuantity: qty,
      exchange: 'CBOE',
    }),
  );
}

export const execs = (events: readonly VenueEvent[]): SimExecution[] =>
  events.flatMap((e) => (e.type === 'execution' ? [e.execution] : []));
