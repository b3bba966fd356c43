// Builds a MarketSnapshot from a few parameters: an SPXW chain priced with Black-Scholes (with a put
// skew), VIX option chains priced with Black-76 off a VX futures curve, on the real NYSE calendar and
// the real VIX expiry rules. Tests use it so they do not depend on fixture files.
import {
  createNyseCalendar,
  tradingTimeToExpiry,
  nyDate,
  calendarDaysBetween,
  vixExpiryForMonth,
  vixWeeklyExpiries,
  addCalendarDays,
} from '../../src/domain/calendar.ts';
import type { TradingCalendar } from '../../src/domain/calendar.ts';
import { loadCalendarData } from '../../src/config/calendar-file.ts';
import { roundToTick } from '../../src/domain/instruments.ts';
import type { IsoDate, TickVenue } from '../../src/domain/instruments.ts';
import { priceCents } from '../../src/domain/money.ts';
import { black76, blackScholes } from '../../src/domain/pricing.ts';
import type {
  DailyBar,
  HeldLayer,
  MarketEvent,
  MarketSnapshot,
  OpenCondor,
  OptionQuote,
  VixOptionChain,
} from '../../src/domain/snapshot.ts';

let cachedCalendar: TradingCalendar | null = null;

/** The shipped NYSE calendar (data/calendar/nyse.json + rules). */
export function testCalendar(): TradingCalendar {
  cachedCalendar ??= createNyseCalendar(loadCalendarData());
  return cachedCalendar;
}

export interface SnapshotParams {
  /** Default Tuesday 2026-03-10 15:45 New York (expiry Wednesday 2026-03-11). */
  readonly asOf?: string;
  readonly spot?: number;
  readonly atmIv?: number;
  /** IV rise per unit of standardised put moneyness (0.15: ~1.2 x ATM at the 10-delta put). */
  readonly putSkew?: number;
  /** IV fall per unit of standardised call moneyness. */
  readonly callSkew?: number;
  readonly strikeStep?: number;
  /** Strikes listed from spot x (1 - range) to spot x (1 + range). */
  readonly strikeRangePct?: number;
  /** Half-spread as a share of the option price (at least one tick each side). */
  readonly spreadShare?: number;
  /** false: quotes carry iv = null and delta = null (the planner must solve them from the mids). */
  readonly withGreeks?: boolean;
  readonly quoteAgeSeconds?: number;
  readonly vixSpot?: number;
  readonly vix9d?: number | null;
  readonly vix3m?: number | null;
  /** VX future = vixSpot + contango x sqrt(dte / 30). */
  readonly contango?: number;
  /** VIX option ATM vol at 30 days. */
  readonly vixVol?: number;
  /** Days ahead for which VIX expiries are listed. */
  readonly vixHorizonDays?: number;
  readonly vixClasses?: readonly ('VIX' | 'VIXW')[];
  readonly rate?: number;
  readonly dividendYield?: number;
  readonly hedgeBook?: readonly HeldLayer[];
  /** Condors of earlier cycles not yet settled (absent: the snapshot has no openCondors field). */
  readonly openCondors?: readonly OpenCondor[];
  readonly events?: readonly MarketEvent[];
  /** Default 2027-12-31: the event calendar covers the cycle unless a test says otherwise. */
  readonly eventsCoveredThrough?: IsoDate | null;
  readonly history?: readonly DailyBar[];
  /** Override the SPXW chain's expiry (default: the next trading day). */
  readonly spxwExpiry?: IsoDate;
}

type Defaulted = Required<
  Omit<
    SnapshotParams,
    | 'vix9d'
    | 'vix3m'
    | 'hedgeBook'
    | 'openCondors'
    | 'events'
    | 'eventsCoveredThrough'
    | 'history'
    | 'spxwExpiry'
    | 'vixClasses'
  >
>;
type Resolved = Defaulted & SnapshotParams;

const DEFAULTS: Defaulted = {
  asOf: '2026-03-10T15:45:00-04:00',
  spot: 6000,
  atmIv: 0.16,
  putSkew: 0.15,
  callSkew: 0.08,
  strikeStep: 5,
  strikeRangePct: 0.08,
  spreadShare: 0.03,
  withGreeks: true,
  quoteAgeSeconds: 3,
  vixSpot: 16,
  contango: 1.5,
  vixVol: 0.95,
  vixHorizonDays: 70,
  rate: 0.04,
  dividendYield: 0.013,
};

/** The SPXW skew: vol rises on the put side and falls on the call side, in standardised moneyness. */
export function spxSkewVol(
  p: Required<Pick<SnapshotParams, 'atmIv' | 'putSkew' | 'callSkew' | 'spot'>>,
  strike: number,
  t: number,
): number {
  const z = Math.log(strike / p.spot) / (p.atmIv * Math.sqrt(t));
  const factor = z < 0 ? 1 + p.putSkew * Math.min(-z, 6) : 1 - p.callSkew * Math.min(z, 4);
  return p.atmIv * Math.max(0.5, factor);
}

function quoteFrom(venue: TickVenue, price: number, share: number): { bid: number; ask: number } {
  const cents = price * 100;
  const tick = venue === 'SPXW' ? 5 : 1;
  const half = Math.max(tick, cents * share);
  const bid = Math.max(0, roundToTick(venue, cents - half, 'down'));
  const ask = Math.max(bid + tick, roundToTick(venue, cents + half, 'up'));
  return { bid, ask: roundToTick(venue, ask, 'up') };
}

function spxwQuotes(p: Resolved, t: number): OptionQuote[] {
  const out: OptionQuote[] = [];
  const lo = Math.ceil((p.spot * (1 - p.strikeRangePct)) / p.strikeStep) * p.strikeStep;
  const hi = Math.floor((p.spot * (1 + p.strikeRangePct)) / p.strikeStep) * p.strikeStep;
  for (let k = lo; k <= hi; k += p.strikeStep) {
    const vol = spxSkewVol(p, k, t);
    for (const right of ['P', 'C'] as const) {
      const g = blackScholes({
        spot: p.spot,
        strike: k,
        timeYears: t,
        rate: p.rate,
        dividendYield: p.dividendYield,
        vol,
        right,
      });
      const { bid, ask } = quoteFrom('SPXW', g.price, p.spreadShare);
      out.push({
        strike: k,
        right,
        bid: priceCents(bid),
        ask: priceCents(ask),
        iv: p.withGreeks ? vol : null,
        delta: p.withGreeks ? g.delta : null,
        ageSeconds: p.quoteAgeSeconds,
      });
    }
  }
  return out;
}

/** VIX strikes: 0.50 apart below 15, 1 apart from 15 to 80. */
export function vixStrikes(): number[] {
  const out: number[] = [];
  for (let k = 9; k < 15; k += 0.5) out.push(k);
  for (let k = 15; k <= 80; k += 1) out.push(k);
  return out;
}

export function futureFor(p: { vixSpot: number; contango: number }, dte: number): number {
  return Math.round((p.vixSpot + p.contango * Math.sqrt(Math.max(0, dte) / 30)) * 100) / 100;
}

function vixVolFor(base: number, dte: number, strike: number, forward: number): number {
  const term = base * Math.pow(30 / Math.max(dte, 3), 0.15);
  return Math.max(0.3, term * (1 + 0.25 * Math.log(strike / forward)));
}

function vixChain(
  p: Resolved,
  cal: TradingCalendar,
  expiry: IsoDate,
  tradingClass: 'VIX' | 'VIXW',
): VixOptionChain {
  const today = nyDate(p.asOf);
  const dte = calendarDaysBetween(today, expiry);
  const t = tradingTimeToExpiry(cal, p.asOf, expiry, 'AM');
  const forward = futureFor({ vixSpot: p.vixSpot, contango: p.contango }, dte);
  const quotes: OptionQuote[] = vixStrikes().map((k) => {
    const vol = vixVolFor(p.vixVol, dte, k, forward);
    const g = black76({ forward, strike: k, timeYears: t, rate: p.rate, vol, right: 'C' });
    const { bid, ask } = quoteFrom(tradingClass, g.price, p.spreadShare);
    return {
      strike: k,
      right: 'C',
      bid: priceCents(bid),
      ask: priceCents(ask),
      iv: p.withGreeks ? vol : null,
      delta: p.withGreeks ? g.delta : null,
      ageSeconds: p.quoteAgeSeconds,
    };
  });
  return { expiry, tradingClass, futurePrice: forward, quotes };
}

/** Listed VIX expiries (monthly VIX and weekly VIXW) after the cycle date within the horizon. */
export function vixExpiries(
  cal: TradingCalendar,
  asOf: string,
  horizonDays: number,
): { expiry: IsoDate; tradingClass: 'VIX' | 'VIXW' }[] {
  const today = nyDate(asOf);
  const end = addCalendarDays(today, horizonDays);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const monthly: IsoDate[] = [];
  for (let i = -1; i < 5; i++) {
    const mm = ((m - 1 + i + 12) % 12) + 1;
    const yy = y + Math.floor((m - 1 + i) / 12);
    monthly.push(vixExpiryForMonth(cal, yy, mm));
  }
  const out: { expiry: IsoDate; tradingClass: 'VIX' | 'VIXW' }[] = [];
  for (const e of monthly) if (e > today && e <= end) out.push({ expiry: e, tradingClass: 'VIX' });
  for (const e of vixWeeklyExpiries(cal, addCalendarDays(today, 1), end))
    out.push({ expiry: e, tradingClass: 'VIXW' });
  return out.sort((a, b) => (a.expiry < b.expiry ? -1 : a.expiry > b.expiry ? 1 : 0));
}

export function makeSnapshot(params: SnapshotParams = {}): MarketSnapshot {
  const p: Resolved = { ...DEFAULTS, ...params };
  const cal = testCalendar();
  const today = nyDate(p.asOf);
  const expiry = p.spxwExpiry ?? cal.nextTradingDay(today);
  const t = tradingTimeToExpiry(cal, p.asOf, expiry, 'PM');
  const classes = p.vixClasses ?? ['VIX', 'VIXW'];
  const listed = vixExpiries(cal, p.asOf, p.vixHorizonDays).filter((e) => classes.includes(e.tradingClass));
  const chains = listed.map((e) => vixChain(p, cal, e.expiry, e.tradingClass));
  return {
    schemaVersion: 1,
    asOf: p.asOf,
    source: 'test snapshot-factory',
    spx: { spot: p.spot },
    rates: { riskFree: p.rate, spxDividendYield: p.dividendYield },
    vix: { spot: p.vixSpot, vix9d: p.vix9d ?? null, vix3m: p.vix3m ?? null },
    spxw: { expiry, quotes: spxwQuotes(p, t) },
    vxFutures: chains.map((c) => ({ expiry: c.expiry, price: c.futurePrice })),
    vixOptions: chains,
    history: p.history ?? [],
    events: p.events ?? [],
    ...(p.eventsCoveredThrough === null
      ? {}
      : { eventsCoveredThrough: p.eventsCoveredThrough ?? '2027-12-31' }),
    hedgeBook: p.hedgeBook ?? [],
    ...(p.openCondors === undefined ? {} : { openCondors: p.openCondors }),
    account: null,
  };
}

/** A copy of the snapshot with one SPXW quote replaced. */
export function withSpxwQuote(
  s: MarketSnapshot,
  strike: number,
  right: 'P' | 'C',
  patch: (q: OptionQuote) => OptionQuote,
): MarketSnapshot {
  const quotes = s.spxw.quotes.map((q) => (q.strike === strike && q.right === right ? patch(q) : q));
  return { ...s, spxw: { ...s.spxw, quotes } };
}

/** A held layer matching a chain of the snapshot (strikes must be listed). */
/** The previous cycle's condor: sold Monday 2026-03-09 for Tuesday 2026-03-10, 2 contracts at 3.00. */
export function openCondor(patch: Partial<OpenCondor> = {}): OpenCondor {
  return {
    planId: '2026-03-09-abcdef01',
    expiry: '2026-03-10',
    shortPut: 5975,
    longPut: 5950,
    shortCall: 6100,
    longCall: 6125,
    quantity: 2,
    credit: priceCents(300),
    openedOn: '2026-03-09',
    ...patch,
  };
}

export function heldLayer(
  fields: Partial<HeldLayer> & Pick<HeldLayer, 'layerId' | 'expiry' | 'longStrike' | 'quantity'>,
): HeldLayer {
  return {
    templateId: 'A',
    kind: 'call',
    tradingClass: 'VIX',
    shortStrike: null,
    entryPrice: priceCents(100),
    openedOn: '2026-02-20',
    ...fields,
  };
}

/**
 * `sessions` daily bars on the NYSE sessions before the cycle date of asOf (oldest first), SPX
 * closing at spxClose(i) for i = 0 (oldest) .. sessions - 1 and VIX at vixClose.
 */
export function sessionHistory(
  asOf: string,
  sessions: number,
  spxClose: (i: number) => number,
  vixClose = 16,
): DailyBar[] {
  const cal = testCalendar();
  const dates: IsoDate[] = [];
  let d = nyDate(asOf);
  while (dates.length < sessions) {
    d = cal.previousTradingDay(d);
    dates.unshift(d);
  }
  return dates.map((date, i) => ({ date, spxClose: spxClose(i), vixClose, adLine: null }));
}
