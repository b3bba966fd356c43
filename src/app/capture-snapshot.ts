// Use case: capture one MarketSnapshot from any market-data source (IB over TCP, the simulator
// in-process) through the MarketDataQuery port. The one builder: both sources go through the same
// code, so a snapshot taken in-process and one taken over the wire are equal for the same market.
// Implied vols and deltas are the project's own, solved from the quote mids in trading time
// (docs/strategy.md "Time"); a source's own model greeks (IB's are calendar-time) never enter.
import { DateTime } from 'luxon';
import type { TradingCalendar } from '../domain/calendar.ts';
import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  NY_ZONE,
  calendarDaysBetween,
  nyDate,
  tradingTimeToExpiry,
} from '../domain/calendar.ts';
import type { IndexSymbol, IsoDate, OptionContract } from '../domain/instruments.ts';
import { spxwOption, vixOption } from '../domain/instruments.ts';
import { b76ImpliedVol, black76, blackScholes, bsImpliedVol } from '../domain/pricing.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type {
  AccountState,
  DailyBar,
  HeldLayer,
  MarketEvent,
  MarketSnapshot,
  OpenCondor,
  OptionQuote,
  VixOptionChain,
  VxFuture,
} from '../domain/snapshot.ts';
import type { BrokerFailure, BrokerResult } from '../ports/broker.ts';
import type {
  FutureQuote,
  IndexQuote,
  MarketDataQuery,
  OptionChainDefinition,
  OptionMarketQuote,
} from '../ports/market-data.ts';

/** Sessions of daily history (signals need at most ~280: a 252-session rank of a 20-session band). */
export const HISTORY_SESSIONS = 300;

export interface CaptureOptions {
  readonly calendar: TradingCalendar;
  readonly events: readonly MarketEvent[];
  /** Hedge layers already held; their chains are captured whatever their expiry. */
  readonly hedgeBook: readonly HeldLayer[];
  /** Condors of earlier cycles not yet settled (the journal's or the broker's); absent: none. */
  readonly openCondors?: readonly OpenCondor[];
  /** Rates the pricing uses; IB publishes none, so they come from configuration. */
  readonly rates: { readonly riskFree: number; readonly spxDividendYield: number };
  /** VIX expiries captured: calendar days from the cycle date, inclusive (the templates' windows). */
  readonly vixDteWindow: readonly [number, number];
  /** VIX call strikes captured around each expiry's future: [F - below, F + above] points. */
  readonly vixStrikeRange?: { readonly belowPoints: number; readonly abovePoints: number };
  /** SPXW strikes captured: within max(minPct, sigmas x VIX-implied one-day move) of spot. */
  readonly spxwStrikeWindow?: { readonly minPct: number; readonly sigmas: number };
  readonly historySessions?: number;
}

export const DEFAULT_VIX_STRIKE_RANGE = { belowPoints: 3, abovePoints: 20 } as const;
export const DEFAULT_SPXW_STRIKE_WINDOW = { minPct: 0.04, sigmas: 4 } as const;

/** Why a capture failed: which data, and the source's own failure. Never a half snapshot. */
export interface CaptureFailure {
  readonly what: string;
  readonly cause: BrokerFailure | null;
  readonly detail: string;
}

type Captured<T> = Result<T, CaptureFailure>;

const round2 = (x: number): number => Math.round(x * 100) / 100;

function need<T>(what: string, r: BrokerResult<T>): Captured<T> {
  return r.ok ? r : err({ what, cause: r.error, detail: `${what}: ${failureText(r.error)}` });
}

export function failureText(f: BrokerFailure): string {
  switch (f.kind) {
    case 'disconnected':
      return `link lost (${f.text})`;
    case 'timeout':
      return `no answer in time (${f.text})`;
    case 'error':
      return `IB error ${f.code}: ${f.text}`;
  }
}

function missing(what: string, detail: string): Captured<never> {
  return err({ what, cause: null, detail: `${what}: ${detail}` });
}

/** The value an index stands at: its last print, else the mid of a two-sided quote, else the close. */
export function indexValue(q: IndexQuote | undefined): number | null {
  if (q === undefined) return null;
  if (q.last !== null && q.last > 0) return q.last;
  if (q.bid !== null && q.ask !== null && q.bid > 0 && q.ask >= q.bid) return (q.bid + q.ask) / 2;
  if (q.close !== null && q.close > 0) return q.close;
  return null;
}

function futureValue(q: FutureQuote): number | null {
  if (q.last !== null && q.last > 0) return q.last;
  if (q.bid !== null && q.ask !== null && q.bid > 0 && q.ask >= q.bid) return round2((q.bid + q.ask) / 2);
  if (q.close !== null && q.close > 0) return q.close;
  return null;
}

function isoAt(ms: number): string | null {
  return DateTime.fromMillis(ms, { zone: NY_ZONE }).toISO({ suppressMilliseconds: true });
}

/** Captures a snapshot at the source's current time; fails whole, with the data that is missing. */
export async function captureSnapshot(
  query: MarketDataQuery,
  opts: CaptureOptions,
): Promise<Captured<MarketSnapshot>> {
  const { calendar } = opts;
  const time = need('gateway time', await query.serverTimeMs());
  if (!time.ok) return time;
  const asOfMs = time.value;
  const asOf = isoAt(asOfMs);
  if (asOf === null) return missing('gateway time', `${asOfMs} is not a time`);
  const today = nyDate(asOf);
  const year = Number(today.slice(0, 4));
  if (year < CALENDAR_FIRST_YEAR || year >= CALENDAR_LAST_YEAR)
    return missing(
      'trading calendar',
      `${today} is outside the calendar (${CALENDAR_FIRST_YEAR}-${CALENDAR_LAST_YEAR})`,
    );

  const indexSymbols: IndexSymbol[] = ['SPX', 'VIX', 'VIX9D', 'VIX3M'];
  const indexes = need('index quotes', await query.indexQuotes(indexSymbols));
  if (!indexes.ok) return indexes;
  const bySymbol = new Map(indexes.value.map((q) => [q.symbol, q]));
  const spot = indexValue(bySymbol.get('SPX'));
  if (spot === null) return missing('SPX index', 'no price (is the CBOE index data subscribed?)');
  const vixSpot = indexValue(bySymbol.get('VIX'));
  if (vixSpot === null) return missing('VIX index', 'no price (is the CBOE index data subscribed?)');
  const vix9d = indexValue(bySymbol.get('VIX9D'));
  const vix3m = indexValue(bySymbol.get('VIX3M'));

  const spxwExpiry = calendar.nextTradingDay(today);
  const spxw = await captureSpxw(query, opts, { asOf, asOfMs, spot, vixSpot, expiry: spxwExpiry });
  if (!spxw.ok) return spxw;

  const curve = need('VX futures', await query.vxFutures());
  if (!curve.ok) return curve;
  const vxFutures: VxFuture[] = [];
  for (const f of curve.value) {
    const price = futureValue(f);
    if (price !== null) vxFutures.push({ expiry: f.expiry, price });
  }
  vxFutures.sort((a, b) => a.expiry.localeCompare(b.expiry));

  const vixOptions = await captureVixChains(query, opts, { asOf, asOfMs, today, vxFutures });
  if (!vixOptions.ok) return vixOptions;

  const history = await captureHistory(query, today, opts.historySessions ?? HISTORY_SESSIONS);
  if (!history.ok) return history;

  const acct = need('account', await query.account());
  if (!acct.ok) return acct;
  const account: AccountState | null =
    acct.value === null
      ? null
      : {
          accountId: acct.value.accountId,
          netLiquidation: acct.value.netLiquidation,
          availableFunds: acct.value.availableFunds,
        };

  return ok({
    schemaVersion: 1,
    asOf,
    source: query.name,
    spx: { spot: round2(spot) },
    rates: { riskFree: opts.rates.riskFree, spxDividendYield: opts.rates.spxDividendYield },
    vix: {
      spot: round2(vixSpot),
      vix9d: vix9d === null ? null : round2(vix9d),
      vix3m: vix3m === null ? null : round2(vix3m),
    },
    spxw: { expiry: spxwExpiry, quotes: spxw.value },
    vxFutures,
    vixOptions: vixOptions.value,
    history: history.value,
    events: [...opts.events],
    hedgeBook: [...opts.hedgeBook],
    ...(opts.openCondors === undefined ? {} : { openCondors: [...opts.openCondors] }),
    account,
  });
}

interface SpxwContext {
  readonly asOf: string;
  readonly asOfMs: number;
  readonly spot: number;
  readonly vixSpot: number;
  readonly expiry: IsoDate;
}

/** The SPXW strikes worth asking for: the condor's and its wings' neighbourhood, from the VIX level. */
export function spxwStrikeBand(
  spot: number,
  vixSpot: number,
  window: { readonly minPct: number; readonly sigmas: number },
): readonly [number, number] {
  const oneDayMovePct = vixSpot / 100 / Math.sqrt(252);
  const pct = Math.max(window.minPct, window.sigmas * oneDayMovePct);
  return [spot * (1 - pct), spot * (1 + pct)];
}

async function captureSpxw(
  query: MarketDataQuery,
  opts: CaptureOptions,
  ctx: SpxwContext,
): Promise<Captured<OptionQuote[]>> {
  const chains = need('SPX option chains', await query.optionChains('SPX'));
  if (!chains.ok) return chains;
  const def = chains.value.find((c) => c.tradingClass === 'SPXW');
  if (def === undefined) return missing('SPXW options', 'the gateway lists no SPXW class');
  if (!def.expirations.includes(ctx.expiry))
    return missing('SPXW options', `no SPXW expiry listed for ${ctx.expiry}`);
  const [lo, hi] = spxwStrikeBand(ctx.spot, ctx.vixSpot, opts.spxwStrikeWindow ?? DEFAULT_SPXW_STRIKE_WINDOW);
  const strikes = def.strikes.filter((k) => k >= lo && k <= hi);
  if (strikes.length === 0) return missing('SPXW options', `no listed strike between ${lo} and ${hi}`);
  const contracts = strikes.flatMap((k) => [spxwOption(ctx.expiry, k, 'P'), spxwOption(ctx.expiry, k, 'C')]);
  const quotes = need(`SPXW ${ctx.expiry} quotes`, await query.optionQuotes(contracts));
  if (!quotes.ok) return quotes;
  const timeYears = tradingTimeToExpiry(opts.calendar, ctx.asOf, ctx.expiry, 'PM');
  const out: OptionQuote[] = [];
  for (const q of sortQuotes(quotes.value)) {
    if (q.bid === null || q.ask === null) continue;
    const mid = (q.bid + q.ask) / 200;
    const base = {
      spot: ctx.spot,
      strike: q.contract.strike,
      timeYears,
      rate: opts.rates.riskFree,
      dividendYield: opts.rates.spxDividendYield,
      right: q.contract.right,
    };
    const iv = mid > 0 && timeYears > 0 && q.ask >= q.bid ? bsImpliedVol(mid, base) : null;
    out.push({
      strike: q.contract.strike,
      right: q.contract.right,
      bid: q.bid,
      ask: q.ask,
      iv,
      delta: iv === null ? null : blackScholes({ ...base, vol: iv }).delta,
      ageSeconds: ageSeconds(ctx.asOfMs, q.timeMs),
      ...(q.conId !== null ? { conId: q.conId } : {}),
    });
  }
  if (out.length === 0) return missing(`SPXW ${ctx.expiry} quotes`, 'the chain has no two-sided quote');
  return ok(out);
}

interface VixContext {
  readonly asOf: string;
  readonly asOfMs: number;
  readonly today: IsoDate;
  readonly vxFutures: readonly VxFuture[];
}

async function captureVixChains(
  query: MarketDataQuery,
  opts: CaptureOptions,
  ctx: VixContext,
): Promise<Captured<VixOptionChain[]>> {
  const chains = need('VIX option chains', await query.optionChains('VIX'));
  if (!chains.ok) return chains;
  const range = opts.vixStrikeRange ?? DEFAULT_VIX_STRIKE_RANGE;
  const [minDte, maxDte] = opts.vixDteWindow;
  const heldByClassExpiry = new Map<string, HeldLayer[]>();
  for (const l of opts.hedgeBook) {
    const key = `${l.tradingClass} ${l.expiry}`;
    heldByClassExpiry.set(key, [...(heldByClassExpiry.get(key) ?? []), l]);
  }
  const futureByExpiry = new Map(ctx.vxFutures.map((f) => [f.expiry, f.price]));
  const wanted: { def: OptionChainDefinition; expiry: IsoDate; held: readonly HeldLayer[] }[] = [];
  for (const def of chains.value) {
    if (def.tradingClass !== 'VIX' && def.tradingClass !== 'VIXW') continue;
    for (const expiry of def.expirations) {
      const dte = calendarDaysBetween(ctx.today, expiry);
      const held = heldByClassExpiry.get(`${def.tradingClass} ${expiry}`) ?? [];
      if (dte < 0) continue;
      if ((dte >= minDte && dte <= maxDte) || held.length > 0) wanted.push({ def, expiry, held });
    }
  }
  const out: VixOptionChain[] = [];
  for (const { def, expiry, held } of wanted) {
    const tradingClass = def.tradingClass === 'VIXW' ? 'VIXW' : 'VIX';
    // A weekly has no VX future of its own: its forward comes from the source's quotes below.
    const future = futureByExpiry.get(expiry) ?? null;
    const center = future ?? nearestFuture(ctx.vxFutures, expiry);
    if (center === null) continue;
    const heldStrikes = new Set(
      held.flatMap((l) => (l.shortStrike === null ? [l.longStrike] : [l.longStrike, l.shortStrike])),
    );
    const strikes = def.strikes.filter(
      (k) => (k >= center - range.belowPoints && k <= center + range.abovePoints) || heldStrikes.has(k),
    );
    if (strikes.length === 0) continue;
    const contracts: OptionContract[] = strikes.map((k) => vixOption(tradingClass, expiry, k, 'C'));
    const quotes = need(`${tradingClass} ${expiry} quotes`, await query.optionQuotes(contracts));
    if (!quotes.ok) return quotes;
    const forward = future ?? underlyingOf(quotes.value);
    if (forward === null || forward <= 0) continue;
    const timeYears = tradingTimeToExpiry(opts.calendar, ctx.asOf, expiry, 'AM');
    const chainQuotes: OptionQuote[] = [];
    for (const q of sortQuotes(quotes.value)) {
      if (q.bid === null || q.ask === null) continue;
      const mid = (q.bid + q.ask) / 200;
      const base = {
        forward,
        strike: q.contract.strike,
        timeYears,
        rate: opts.rates.riskFree,
        right: 'C' as const,
      };
      const iv = mid > 0 && timeYears > 0 && q.ask >= q.bid ? b76ImpliedVol(mid, base) : null;
      chainQuotes.push({
        strike: q.contract.strike,
        right: 'C',
        bid: q.bid,
        ask: q.ask,
        iv,
        delta: iv === null ? null : black76({ ...base, vol: iv }).delta,
        ageSeconds: ageSeconds(ctx.asOfMs, q.timeMs),
        ...(q.conId !== null ? { conId: q.conId } : {}),
      });
    }
    out.push({ expiry, tradingClass, futurePrice: round2(forward), quotes: chainQuotes });
  }
  out.sort((a, b) =>
    a.expiry === b.expiry ? a.tradingClass.localeCompare(b.tradingClass) : a.expiry.localeCompare(b.expiry),
  );
  return ok(out);
}

/** The VX future expiring nearest an option expiry: where its strikes are centred before quoting. */
function nearestFuture(curve: readonly VxFuture[], expiry: IsoDate): number | null {
  let best: VxFuture | null = null;
  for (const f of curve) {
    if (
      best === null ||
      Math.abs(calendarDaysBetween(expiry, f.expiry)) < Math.abs(calendarDaysBetween(expiry, best.expiry))
    )
      best = f;
  }
  return best?.price ?? null;
}

/** The underlying price the source quotes a chain against (the median, robust to one odd tick). */
function underlyingOf(quotes: readonly OptionMarketQuote[]): number | null {
  const values = quotes.map((q) => q.underlyingPrice).filter((u): u is number => u !== null && u > 0);
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? null;
}

function sortQuotes(quotes: readonly OptionMarketQuote[]): OptionMarketQuote[] {
  return [...quotes].sort((a, b) =>
    a.contract.strike === b.contract.strike
      ? a.contract.right.localeCompare(b.contract.right)
      : a.contract.strike - b.contract.strike,
  );
}

function ageSeconds(asOfMs: number, timeMs: number | null): number {
  return timeMs === null ? 0 : Math.max(0, Math.round((asOfMs - timeMs) / 1000));
}

async function captureHistory(
  query: MarketDataQuery,
  today: IsoDate,
  sessions: number,
): Promise<Captured<DailyBar[]>> {
  const spx = need('SPX daily history', await query.dailyCloses('SPX', today, sessions));
  if (!spx.ok) return spx;
  const vix = need('VIX daily history', await query.dailyCloses('VIX', today, sessions));
  if (!vix.ok) return vix;
  // Breadth is optional: without it the breadth signal reports "not available".
  const ad = await query.dailyCloses('AD-NYSE', today, sessions);
  const vixByDate = new Map(vix.value.map((b) => [b.date, b.close]));
  const adByDate = new Map(ad.ok ? ad.value.map((b) => [b.date, b.close]) : []);
  const out: DailyBar[] = [];
  for (const b of spx.value) {
    const vixClose = vixByDate.get(b.date);
    if (vixClose === undefined || vixClose <= 0 || b.close <= 0) continue;
    out.push({ date: b.date, spxClose: b.close, vixClose, adLine: adByDate.get(b.date) ?? null });
  }
  return ok(out);
}
