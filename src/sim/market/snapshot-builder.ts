// Builds a complete MarketSnapshot from a handful of market levels: SPXW chain for the next
// trading day, VX futures curve, VIX/VIXW option chains priced off their own future. Used by the
// fixture generator (scripts/make-fixtures.ts) and by tests; deterministic for a given seed.
import type { TradingCalendar } from '../../domain/calendar.ts';
import {
  addCalendarDays,
  calendarDaysBetween,
  nyDate,
  parseIsoDate,
  tradingTimeToExpiry,
  vixExpiryForMonth,
  vixWeeklyExpiries,
} from '../../domain/calendar.ts';
import type { IsoDate } from '../../domain/instruments.ts';
import type {
  AccountState,
  DailyBar,
  HeldLayer,
  MarketEvent,
  MarketSnapshot,
  VixOptionChain,
} from '../../domain/snapshot.ts';
import type { Rng } from '../rng.ts';
import { createRng } from '../rng.ts';
import type { QuoteNoise, SpxSkewShape } from './surface.ts';
import {
  DEFAULT_SPX_SKEW,
  buildSpxwChain,
  buildVixChain,
  vixBaseVol,
  vxCurve,
  vxFuturePrice,
} from './surface.ts';

export interface SnapshotParams {
  readonly calendar: TradingCalendar;
  /** ISO timestamp with New York offset, on a trading day before its close. */
  readonly asOf: string;
  readonly source: string;
  /** Seed of the small noise on quote widths and ages. */
  readonly seed: number;
  readonly spot: number;
  /** ATM implied vol of the next-day SPXW expiry (trading-time convention). */
  readonly atmIv: number;
  readonly spxSkew?: SpxSkewShape;
  readonly vix: number;
  readonly vix9d: number | null;
  readonly vix3m: number | null;
  /** VVIX-like level in points (~90 normal): sets the VIX options' ATM vol. */
  readonly volOfVol: number;
  readonly riskFree?: number;
  readonly dividendYield?: number;
  readonly history: readonly DailyBar[];
  /** Any event list (e.g. strategies/events.json); the snapshot keeps those from today to `eventLookaheadDays` out. */
  readonly events: readonly MarketEvent[];
  readonly eventLookaheadDays?: number;
  readonly hedgeBook?: readonly HeldLayer[];
  readonly account?: AccountState | null;
  /** How many VIX monthly expiries get a VX future (default 6). */
  readonly vxFutureCount?: number;
  /** Calendar-day window of the VIX option chains (default 7–60); held layers' expiries are always added. */
  readonly vixOptionDteWindow?: readonly [number, number];
}

export const DEFAULT_RISK_FREE = 0.04;
export const DEFAULT_SPX_DIVIDEND_YIELD = 0.013;

/** The next `count` VIX monthly expiries strictly after `today` (AM-settled: on the expiry day it is gone). */
export function nextVixMonthlyExpiries(cal: TradingCalendar, today: IsoDate, count: number): IsoDate[] {
  const ymd = parseIsoDate(today);
  if (ymd === null) throw new Error(`invalid date ${today}`);
  const out: IsoDate[] = [];
  let y = ymd.y;
  let m = ymd.m;
  while (out.length < count) {
    const e = vixExpiryForMonth(cal, y, m);
    if (e > today) out.push(e);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export interface VixExpiry {
  readonly expiry: IsoDate;
  readonly tradingClass: 'VIX' | 'VIXW';
}

/** VIX monthly and VIXW weekly expiries whose calendar DTE lies in [minDte, maxDte], by date. */
export function vixOptionExpiries(
  cal: TradingCalendar,
  today: IsoDate,
  minDte: number,
  maxDte: number,
): VixExpiry[] {
  const from = addCalendarDays(today, Math.max(minDte, 1));
  const to = addCalendarDays(today, maxDte);
  const monthlies = nextVixMonthlyExpiries(cal, today, Math.ceil(maxDte / 28) + 2)
    .filter((e) => e >= from && e <= to)
    .map((expiry): VixExpiry => ({ expiry, tradingClass: 'VIX' }));
  const weeklies = vixWeeklyExpiries(cal, from, to).map((expiry): VixExpiry => ({
    expiry,
    tradingClass: 'VIXW',
  }));
  return [...monthlies, ...weeklies].sort((a, b) => (a.expiry < b.expiry ? -1 : a.expiry > b.expiry ? 1 : 0));
}

/** Seeded per-quote noise: width ×0.85–1.25 and an age of a few seconds (older for VIX options). */
function quoteNoise(rng: Rng, maxAgeSeconds: number): QuoteNoise {
  return () => ({ widthScale: 0.85 + 0.4 * rng.next(), ageSeconds: rng.int(0, maxAgeSeconds) });
}

/** Future of a VIX expiry on the VX 0.05 tick (the same number the vxFutures list carries). */
function futureAt(p: SnapshotParams, dte: number): number {
  return Math.round(vxFuturePrice(p.vix, p.vix3m, dte) * 20) / 20;
}

export function buildSnapshot(p: SnapshotParams): MarketSnapshot {
  const cal = p.calendar;
  const today = nyDate(p.asOf);
  if (!cal.isTradingDay(today)) throw new Error(`buildSnapshot: ${today} is not a trading day`);
  const rate = p.riskFree ?? DEFAULT_RISK_FREE;
  const dividendYield = p.dividendYield ?? DEFAULT_SPX_DIVIDEND_YIELD;
  const rng = createRng(p.seed);

  const spxwExpiry = cal.nextTradingDay(today);
  const spxwQuotes = buildSpxwChain({
    spot: p.spot,
    atmIv: p.atmIv,
    timeYears: tradingTimeToExpiry(cal, p.asOf, spxwExpiry, 'PM'),
    rate,
    dividendYield,
    shape: p.spxSkew ?? DEFAULT_SPX_SKEW,
    noise: quoteNoise(rng.fork('spxw'), 3),
  });

  const vxFutures = vxCurve(
    p.vix,
    p.vix3m,
    nextVixMonthlyExpiries(cal, today, p.vxFutureCount ?? 6).map((expiry) => ({
      expiry,
      dte: calendarDaysBetween(today, expiry),
    })),
  );

  const [minDte, maxDte] = p.vixOptionDteWindow ?? [7, 60];
  const expiries = new Map<string, VixExpiry>();
  for (const e of vixOptionExpiries(cal, today, minDte, maxDte))
    expiries.set(`${e.tradingClass} ${e.expiry}`, e);
  for (const l of p.hedgeBook ?? []) {
    if (l.expiry > today)
      expiries.set(`${l.tradingClass} ${l.expiry}`, { expiry: l.expiry, tradingClass: l.tradingClass });
  }
  const vixOptions = [...expiries.values()]
    .sort((a, b) =>
      a.expiry < b.expiry ? -1 : a.expiry > b.expiry ? 1 : a.tradingClass < b.tradingClass ? -1 : 1,
    )
    .map((e): VixOptionChain => {
      const dte = calendarDaysBetween(today, e.expiry);
      const future = futureAt(p, dte);
      return {
        expiry: e.expiry,
        tradingClass: e.tradingClass,
        futurePrice: future,
        quotes: buildVixChain({
          future,
          timeYears: tradingTimeToExpiry(cal, p.asOf, e.expiry, 'AM'),
          baseVol: vixBaseVol(p.volOfVol, dte),
          rate,
          venue: e.tradingClass,
          noise: quoteNoise(rng.fork(`${e.tradingClass} ${e.expiry}`), 8),
        }),
      };
    });

  const lastEventDay = addCalendarDays(today, p.eventLookaheadDays ?? 14);
  const events = p.events.filter((e) => e.date >= today && e.date <= lastEventDay);

  return {
    schemaVersion: 1,
    asOf: p.asOf,
    source: p.source,
    spx: { spot: p.spot },
    rates: { riskFree: rate, spxDividendYield: dividendYield },
    vix: { spot: p.vix, vix9d: p.vix9d, vix3m: p.vix3m },
    spxw: { expiry: spxwExpiry, quotes: spxwQuotes },
    vxFutures,
    vixOptions,
    history: p.history,
    events,
    hedgeBook: p.hedgeBook ?? [],
    account: p.account ?? null,
  };
}
