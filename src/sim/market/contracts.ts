// The simulator's contract registry: indexes, SPXW dailies, VIX/VIXW options and VX futures, listed
// day by day as IB lists them, with stable conIds and IB's contract-matching rules.
import type { IsoDate } from '../../domain/instruments.ts';
import {
  SPXW_MULTIPLIER,
  VIX_OPTION_MULTIPLIER,
  VX_FUTURE_MULTIPLIER,
  formatStrike,
} from '../../domain/instruments.ts';
import type { TradingCalendar, TradingSession } from '../../domain/calendar.ts';
import {
  addCalendarDays,
  calendarDaysBetween,
  parseIsoDate,
  vixExpiryForMonth,
  vixWeeklyExpiries,
} from '../../domain/calendar.ts';
import type { ContractQuery, SimContract, SimOptParams } from '../engine-api.ts';
import { spxwStrikes } from './surface.ts';

export const SPX_CONID = 416904;
export const VIX_CONID = 13455763;
export const VIX9D_CONID = 283473958;
export const VIX3M_CONID = 283473966;
export const AD_NYSE_CONID = 33887584;
/** The simulator's id for Cboe's VIX SOQ index (IB lists it as VRO on CBOE). */
export const VRO_CONID = 283473970;

export type IndexSymbolSim = 'SPX' | 'VIX' | 'VIX9D' | 'VIX3M' | 'AD-NYSE' | 'VRO';

export const INDEX_CONIDS: Readonly<Record<IndexSymbolSim, number>> = {
  SPX: SPX_CONID,
  VIX: VIX_CONID,
  VIX9D: VIX9D_CONID,
  VIX3M: VIX3M_CONID,
  'AD-NYSE': AD_NYSE_CONID,
  VRO: VRO_CONID,
};

/** Listing rules (docs/ib-notes.md §3 "Strikes"). */
export const SPXW_LISTED_SESSIONS = 10;
/** SPXW strikes are multiples of 5 (5 apart near the money, 25 apart far out: surface.spxwStrikes). */
const SPXW_STRIKE_UNIT = 5;
export const VIX_MONTHLIES_LISTED = 6;
export const VIX_WEEKLIES_LISTED = 6;
/** Contracts expired longer than this are forgotten by the registry (positions keep their copy). */
const PRUNE_AFTER_DAYS = 7;

/** Simulator market-rule ids (reqMarketRule): price increments by price band. */
export const MARKET_RULES: Readonly<Record<string, readonly { lowEdge: number; increment: number }[]>> = {
  '26': [{ lowEdge: 0, increment: 0.01 }],
  '110': [
    { lowEdge: 0, increment: 0.05 },
    { lowEdge: 3, increment: 0.1 },
  ],
  '239': [
    { lowEdge: 0, increment: 0.01 },
    { lowEdge: 3, increment: 0.05 },
  ],
  '67': [{ lowEdge: 0, increment: 0.05 }],
};

const EPOCH_2000: IsoDate = '2000-01-01';

// cal.session() formats times with luxon; markets and registries built on the same calendar share this cache.
const sessionCaches = new WeakMap<TradingCalendar, Map<IsoDate, TradingSession | null>>();

/** cal.session(d), memoised per calendar. */
export function cachedSession(cal: TradingCalendar, d: IsoDate): TradingSession | null {
  let cache = sessionCaches.get(cal);
  if (cache === undefined) {
    cache = new Map();
    sessionCaches.set(cal, cache);
  }
  let s = cache.get(d);
  if (s === undefined) {
    s = cal.session(d);
    if (cache.size > 20_000) cache.clear();
    cache.set(d, s);
  }
  return s;
}

const dayIndexCache = new Map<IsoDate, number>();

function dayIndex(expiry: IsoDate): number {
  let n = dayIndexCache.get(expiry);
  if (n === undefined) {
    n = calendarDaysBetween(EPOCH_2000, expiry);
    if (n < 0 || n > 36_600) throw new RangeError(`expiry ${expiry} outside 2000..2099`);
    if (dayIndexCache.size > 10_000) dayIndexCache.clear();
    dayIndexCache.set(expiry, n);
  }
  return n;
}

/**
 * conIds are an injective encoding of (class, expiry, strike, right) into ranges no real index id
 * uses, so the same contract has the same id in every run and no two contracts collide.
 */
export function spxwConId(expiry: IsoDate, strike: number, right: 'C' | 'P'): number {
  const k = strike / SPXW_STRIKE_UNIT;
  if (!Number.isInteger(k) || k < 0 || k >= 10_000)
    throw new RangeError(`SPXW strike ${strike} not on the grid`);
  return 1_000_000_000 + dayIndex(expiry) * 20_000 + k * 2 + (right === 'P' ? 1 : 0);
}

export function vixOptionConId(expiry: IsoDate, strike: number, right: 'C' | 'P'): number {
  const k = strike * 2;
  if (!Number.isInteger(k) || k < 0 || k >= 500) throw new RangeError(`VIX strike ${strike} not on the grid`);
  return 800_000_000 + dayIndex(expiry) * 1_000 + k * 2 + (right === 'P' ? 1 : 0);
}

export function vxFutureConId(expiry: IsoDate): number {
  return 700_000_000 + dayIndex(expiry);
}

/** yyyymmdd */
export function compactDate(d: IsoDate): string {
  return d.replaceAll('-', '');
}

/** OCC OSI symbol: root padded to 6, yymmdd, right, strike x1000 in 8 digits. */
export function osiSymbol(root: string, expiry: IsoDate, right: 'C' | 'P', strike: number): string {
  const yymmdd = compactDate(expiry).slice(2);
  const k = String(Math.round(strike * 1000)).padStart(8, '0');
  return `${root.padEnd(6, ' ')}${yymmdd}${right}${k}`;
}

const FUTURE_MONTH_CODES = 'FGHJKMNQUVXZ';

/** CFE local symbol of a monthly VX future: VX + month code of its expiry month + last digit of the year. */
export function vxLocalSymbol(expiry: IsoDate): string {
  const p = parseIsoDate(expiry);
  if (p === null) throw new Error(`invalid expiry ${expiry}`);
  return `VX${FUTURE_MONTH_CODES[p.m - 1] ?? '?'}${p.y % 10}`;
}

/** VIX option strikes: 0.50 apart 9..15, 1 apart 15..50, 5 apart 50..100. */
export function vixStrikeGrid(): number[] {
  const out: number[] = [];
  for (let k = 9; k < 15; k += 0.5) out.push(k);
  for (let k = 15; k < 50; k += 1) out.push(k);
  for (let k = 50; k <= 100; k += 5) out.push(k);
  return out;
}

export type TradingHoursKind = 'index' | 'option' | 'future';

/**
 * IB's tradingHours / liquidHours strings for the week from `from`:
 * "20260317:0930-20260317:1615;20260321:CLOSED" (New York times, timeZoneId US/Eastern).
 */
export function hoursStrings(
  cal: TradingCalendar,
  from: IsoDate,
  kind: TradingHoursKind,
): { tradingHours: string; liquidHours: string } {
  const trading: string[] = [];
  const liquid: string[] = [];
  for (let i = 0; i < 7; i++) {
    const d = addCalendarDays(from, i);
    const ymd = compactDate(d);
    const s = cachedSession(cal, d);
    if (s === null) {
      trading.push(`${ymd}:CLOSED`);
      liquid.push(`${ymd}:CLOSED`);
      continue;
    }
    const close = s.closeMinutes;
    const optClose = close + 15;
    const hm = (m: number): string =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`;
    switch (kind) {
      case 'index':
        trading.push(`${ymd}:0930-${ymd}:${hm(close)}`);
        liquid.push(`${ymd}:0930-${ymd}:${hm(close)}`);
        break;
      case 'option':
        trading.push(`${ymd}:0930-${ymd}:${hm(optClose)}`);
        liquid.push(`${ymd}:0930-${ymd}:${hm(optClose)}`);
        break;
      case 'future': {
        const prev = compactDate(addCalendarDays(d, -1));
        trading.push(`${prev}:1800-${ymd}:${hm(optClose + 45)}`);
        liquid.push(`${ymd}:0930-${ymd}:${hm(optClose)}`);
        break;
      }
    }
  }
  return { tradingHours: trading.join(';'), liquidHours: liquid.join(';') };
}

export interface VixExpiry {
  readonly expiry: IsoDate;
  readonly tradingClass: 'VIX' | 'VIXW';
}

export interface ContractRegistry {
  contract(conId: number): SimContract | undefined;
  /** IB matching: every field given must match; expired contracts only by conId. */
  findContracts(q: ContractQuery): readonly SimContract[];
  secDefOptParams(symbol: string, underConId: number): readonly SimOptParams[];
  /**
   * Lists the day's contracts for `date` (idempotent per date and spot): new SPXW expiry, strikes
   * around spot for every live SPXW expiry, VIX expiries; drops long-expired contracts.
   */
  listForDay(date: IsoDate, spxSpot: number): void;
  /** The date of the last listing. */
  listingDate(): IsoDate | null;
  /** Live SPXW expiries, ascending. */
  spxwExpiries(): readonly IsoDate[];
  /** Live VIX option expiries (monthly VIX and weekly VIXW), ascending. */
  vixExpiries(): readonly VixExpiry[];
  /** Live monthly VIX expiries (the VX futures' expiries), ascending. */
  vxExpiries(): readonly IsoDate[];
  /** Every live (not expired) contract, in listing order (trading hours may be a day old). */
  liveContracts(): readonly SimContract[];
  /** Option/future contracts of one expiry and class. */
  contractsOf(tradingClass: string, expiry: IsoDate): readonly SimContract[];
  indexConId(symbol: IndexSymbolSim): number;
}

interface Series {
  readonly tradingClass: string;
  readonly expiry: IsoDate;
  readonly byConId: Map<number, SimContract>;
}

export function createContractRegistry(cal: TradingCalendar): ContractRegistry {
  const all = new Map<number, SimContract>();
  const series = new Map<string, Series>();
  let listedOn: IsoDate | null = null;
  let lastSpot = Number.NaN;
  let spxwLive: IsoDate[] = [];
  let vixLive: VixExpiry[] = [];
  let vxLive: IsoDate[] = [];
  let liveCache: SimContract[] | null = null;
  // Built on demand: most days nobody scans every contract.
  const live = (): SimContract[] => {
    if (liveCache === null) {
      const day = listedOn ?? '';
      liveCache = [...all.values()].filter((c) => isLive(c, day));
    }
    return liveCache;
  };
  let hours: Record<TradingHoursKind, { tradingHours: string; liquidHours: string }> | null = null;

  const seriesKey = (tc: string, expiry: IsoDate): string => `${tc}|${expiry}`;

  const hoursFor = (kind: TradingHoursKind): { tradingHours: string; liquidHours: string } => {
    if (hours === null) throw new Error('contract registry used before listForDay');
    return hours[kind];
  };

  const indexContract = (symbol: IndexSymbolSim, exchange: string, longName: string): SimContract => ({
    conId: INDEX_CONIDS[symbol],
    secType: 'IND',
    symbol,
    tradingClass: symbol,
    expiry: null,
    strike: null,
    right: null,
    multiplier: null,
    exchange,
    currency: 'USD',
    localSymbol: symbol,
    minTick: 0.01,
    longName,
    underConId: null,
    timeZoneId: 'US/Eastern',
    ...hoursFor('index'),
    marketRuleIds: '26',
  });

  const addToSeries = (c: SimContract): void => {
    if (c.expiry === null) return;
    const key = seriesKey(c.tradingClass, c.expiry);
    let s = series.get(key);
    if (s === undefined) {
      s = { tradingClass: c.tradingClass, expiry: c.expiry, byConId: new Map() };
      series.set(key, s);
    }
    s.byConId.set(c.conId, c);
  };

  const put = (c: SimContract): void => {
    all.set(c.conId, c);
    addToSeries(c);
  };

  const spxwContract = (expiry: IsoDate, strike: number, right: 'C' | 'P'): SimContract => ({
    conId: spxwConId(expiry, strike, right),
    secType: 'OPT',
    symbol: 'SPX',
    tradingClass: 'SPXW',
    expiry,
    strike,
    right,
    multiplier: SPXW_MULTIPLIER,
    exchange: 'CBOE',
    currency: 'USD',
    localSymbol: osiSymbol('SPXW', expiry, right, strike),
    minTick: 0.05,
    longName: `SPX ${expiry} ${formatStrike(strike)}${right} (SPXW, PM-settled)`,
    underConId: SPX_CONID,
    timeZoneId: 'US/Eastern',
    ...hoursFor('option'),
    marketRuleIds: '110',
  });

  const vixOptContract = (
    tc: 'VIX' | 'VIXW',
    expiry: IsoDate,
    strike: number,
    right: 'C' | 'P',
  ): SimContract => ({
    conId: vixOptionConId(expiry, strike, right),
    secType: 'OPT',
    symbol: 'VIX',
    tradingClass: tc,
    expiry,
    strike,
    right,
    multiplier: VIX_OPTION_MULTIPLIER,
    exchange: 'CBOE',
    currency: 'USD',
    localSymbol: osiSymbol(tc, expiry, right, strike),
    minTick: 0.01,
    longName: `VIX ${expiry} ${formatStrike(strike)}${right} (${tc}, AM-settled on the SOQ)`,
    underConId: VIX_CONID,
    timeZoneId: 'US/Eastern',
    ...hoursFor('option'),
    marketRuleIds: '239',
  });

  const vxContract = (expiry: IsoDate): SimContract => ({
    conId: vxFutureConId(expiry),
    secType: 'FUT',
    symbol: 'VIX',
    tradingClass: 'VX',
    expiry,
    strike: null,
    right: null,
    multiplier: VX_FUTURE_MULTIPLIER,
    exchange: 'CFE',
    currency: 'USD',
    localSymbol: vxLocalSymbol(expiry),
    minTick: 0.05,
    longName: `Cboe Volatility Index future ${expiry}`,
    underConId: VIX_CONID,
    timeZoneId: 'US/Eastern',
    ...hoursFor('future'),
    marketRuleIds: '67',
  });

  const withHours = (c: SimContract): SimContract => {
    const kind: TradingHoursKind = c.secType === 'IND' ? 'index' : c.secType === 'OPT' ? 'option' : 'future';
    const h = hoursFor(kind);
    return h.tradingHours === c.tradingHours ? c : { ...c, ...h };
  };

  const isLive = (c: SimContract, date: IsoDate): boolean => {
    if (c.expiry === null) return true;
    // SPXW trade through their expiry day; VIX options and VX stop the day before the SOQ morning.
    return c.tradingClass === 'SPXW' ? c.expiry >= date : c.expiry > date;
  };

  const monthlyVixExpiries = (date: IsoDate, count: number): IsoDate[] => {
    const out: IsoDate[] = [];
    const p = parseIsoDate(date);
    if (p === null) throw new Error(`invalid date ${date}`);
    let y = p.y;
    let m = p.m;
    while (out.length < count) {
      const e = vixExpiryForMonth(cal, y, m);
      if (e > date) out.push(e);
      m++;
      if (m > 12) {
        m = 1;
        y++;
      }
    }
    return out;
  };

  // Trading hours are refreshed lazily, when a contract is handed out, not for every contract each day.
  const fresh = (c: SimContract): SimContract => {
    const r = withHours(c);
    if (r !== c) {
      all.set(r.conId, r);
      if (r.expiry !== null) series.get(seriesKey(r.tradingClass, r.expiry))?.byConId.set(r.conId, r);
    }
    return r;
  };

  const registry: ContractRegistry = {
    contract: (conId) => {
      const c = all.get(conId);
      return c === undefined ? undefined : fresh(c);
    },

    findContracts(q) {
      const test = compileQuery(q);
      if (q.conId !== undefined && q.conId > 0) {
        const c = all.get(q.conId);
        return c !== undefined && test(c) ? [fresh(c)] : [];
      }
      const out: SimContract[] = [];
      const ltd = q.lastTradeDateOrContractMonth?.trim() ?? '';
      if (/^\d{8}$/.test(ltd) && listedOn !== null) {
        // A full expiry narrows the scan to that day's series (plus indexes, which never match a date).
        const iso = `${ltd.slice(0, 4)}-${ltd.slice(4, 6)}-${ltd.slice(6, 8)}`;
        const day = listedOn;
        for (const s of series.values()) {
          if (s.expiry !== iso) continue;
          for (const c of s.byConId.values()) if (isLive(c, day) && test(c)) out.push(fresh(c));
        }
      } else {
        for (const c of live()) if (test(c)) out.push(fresh(c));
      }
      return out.sort(compareContracts);
    },

    secDefOptParams(symbol, underConId) {
      const sym = symbol.toUpperCase();
      const classes: { tc: string; underlying: number; multiplier: number; expiries: IsoDate[] }[] = [];
      if (sym === 'SPX' && (underConId === 0 || underConId === SPX_CONID)) {
        classes.push({ tc: 'SPXW', underlying: SPX_CONID, multiplier: SPXW_MULTIPLIER, expiries: spxwLive });
      } else if (sym === 'VIX' && (underConId === 0 || underConId === VIX_CONID)) {
        const monthly = vixLive.filter((e) => e.tradingClass === 'VIX').map((e) => e.expiry);
        const weekly = vixLive.filter((e) => e.tradingClass === 'VIXW').map((e) => e.expiry);
        classes.push({
          tc: 'VIX',
          underlying: VIX_CONID,
          multiplier: VIX_OPTION_MULTIPLIER,
          expiries: monthly,
        });
        classes.push({
          tc: 'VIXW',
          underlying: VIX_CONID,
          multiplier: VIX_OPTION_MULTIPLIER,
          expiries: weekly,
        });
      }
      const out: SimOptParams[] = [];
      for (const cls of classes) {
        const strikes = new Set<number>();
        for (const e of cls.expiries) {
          const s = series.get(seriesKey(cls.tc, e));
          if (s === undefined) continue;
          for (const c of s.byConId.values()) if (c.strike !== null) strikes.add(c.strike);
        }
        const strikeList = [...strikes].sort((a, b) => a - b);
        for (const exchange of ['SMART', 'CBOE']) {
          out.push({
            exchange,
            underlyingConId: cls.underlying,
            tradingClass: cls.tc,
            multiplier: cls.multiplier,
            expirations: cls.expiries.map(compactDate),
            strikes: strikeList,
          });
        }
      }
      return out;
    },

    listForDay(date, spxSpot) {
      if (listedOn === date && spxSpot === lastSpot) return;
      const newDay = listedOn !== date;
      listedOn = date;
      lastSpot = spxSpot;
      if (newDay) {
        hours = {
          index: hoursStrings(cal, date, 'index'),
          option: hoursStrings(cal, date, 'option'),
          future: hoursStrings(cal, date, 'future'),
        };
        put(indexContract('SPX', 'CBOE', 'S&P 500 Stock Index'));
        put(indexContract('VIX', 'CBOE', 'CBOE Volatility Index'));
        put(indexContract('VIX9D', 'CBOE', 'CBOE S&P 500 9-Day Volatility Index'));
        put(indexContract('VIX3M', 'CBOE', 'CBOE S&P 500 3-Month Volatility Index'));
        put(indexContract('AD-NYSE', 'NYSE', 'NYSE Advance-Decline Issues'));
        put(indexContract('VRO', 'CBOE', 'CBOE S&P 500 Volatility Index SOQ'));

        // SPXW: today (if a session) and the next SPXW_LISTED_SESSIONS trading days.
        const spxw: IsoDate[] = [];
        let d = cal.isTradingDay(date) ? date : cal.nextTradingDay(date);
        while (spxw.length <= SPXW_LISTED_SESSIONS) {
          spxw.push(d);
          d = cal.nextTradingDay(d);
        }
        // Expiries listed earlier stay live until they expire.
        spxwLive = [...new Set([...spxwLive.filter((e) => e >= date), ...spxw])].sort();

        const monthly = monthlyVixExpiries(date, VIX_MONTHLIES_LISTED);
        const weekly = vixWeeklyExpiries(cal, addCalendarDays(date, 1), addCalendarDays(date, 7 * 8))
          .filter((e) => !monthly.includes(e))
          .slice(0, VIX_WEEKLIES_LISTED);
        vixLive = [
          ...monthly.map((expiry): VixExpiry => ({ expiry, tradingClass: 'VIX' })),
          ...weekly.map((expiry): VixExpiry => ({ expiry, tradingClass: 'VIXW' })),
        ].sort((a, b) => (a.expiry < b.expiry ? -1 : a.expiry > b.expiry ? 1 : 0));
        vxLive = monthly;

        const vixStrikes = vixStrikeGrid();
        for (const e of vixLive) {
          if (series.has(seriesKey(e.tradingClass, e.expiry))) continue;
          for (const k of vixStrikes) {
            put(vixOptContract(e.tradingClass, e.expiry, k, 'C'));
            put(vixOptContract(e.tradingClass, e.expiry, k, 'P'));
          }
        }
        for (const e of vxLive) if (!all.has(vxFutureConId(e))) put(vxContract(e));

        // Forget contracts long expired; positions and executions keep their own copies.
        const cutoff = addCalendarDays(date, -PRUNE_AFTER_DAYS);
        for (const [key, s] of series) {
          if (s.expiry >= cutoff) continue;
          for (const id of s.byConId.keys()) all.delete(id);
          series.delete(key);
        }
      }
      const grid = spxwStrikes(spxSpot);
      for (const e of spxwLive) {
        const s = series.get(seriesKey('SPXW', e));
        for (const k of grid) {
          const call = spxwConId(e, k, 'C');
          if (s !== undefined && s.byConId.has(call)) continue;
          put(spxwContract(e, k, 'C'));
          put(spxwContract(e, k, 'P'));
        }
      }
      liveCache = null;
    },

    listingDate: () => listedOn,
    spxwExpiries: () => spxwLive,
    vixExpiries: () => vixLive,
    vxExpiries: () => vxLive,
    liveContracts: live,
    contractsOf(tradingClass, expiry) {
      const s = series.get(seriesKey(tradingClass, expiry));
      return s === undefined ? [] : [...s.byConId.values()].map(fresh).sort(compareContracts);
    },
    indexConId: (symbol) => INDEX_CONIDS[symbol],
  };
  return registry;
}

function compareContracts(a: SimContract, b: SimContract): number {
  if (a.secType !== b.secType) return a.secType < b.secType ? -1 : 1;
  if (a.tradingClass !== b.tradingClass) return a.tradingClass < b.tradingClass ? -1 : 1;
  const ea = a.expiry ?? '';
  const eb = b.expiry ?? '';
  if (ea !== eb) return ea < eb ? -1 : 1;
  const sa = a.strike ?? 0;
  const sb = b.strike ?? 0;
  if (sa !== sb) return sa - sb;
  return (a.right ?? '') < (b.right ?? '') ? -1 : (a.right ?? '') > (b.right ?? '') ? 1 : 0;
}

const normalizeLocal = (s: string): string => s.replace(/\s+/g, ' ').trim().toUpperCase();

/** A query turned into a predicate once, so scanning thousands of contracts allocates nothing. */
export function compileQuery(q: ContractQuery): (c: SimContract) => boolean {
  const conId = q.conId !== undefined && q.conId > 0 ? q.conId : null;
  const symbol = q.symbol !== undefined && q.symbol !== '' ? q.symbol.toUpperCase() : null;
  const secType = q.secType !== undefined && q.secType !== '' ? q.secType.toUpperCase() : null;
  const ltd = q.lastTradeDateOrContractMonth?.trim().split(/\s+/)[0] ?? '';
  // yyyymmdd -> exact ISO date; yyyymm -> ISO month prefix.
  const expiryExact = ltd.length === 8 ? `${ltd.slice(0, 4)}-${ltd.slice(4, 6)}-${ltd.slice(6, 8)}` : null;
  const expiryMonth = ltd.length === 6 ? `${ltd.slice(0, 4)}-${ltd.slice(4, 6)}-` : null;
  const expiryBad = ltd !== '' && expiryExact === null && expiryMonth === null;
  const strike = q.strike !== undefined && q.strike !== 0 && Number.isFinite(q.strike) ? q.strike : null;
  const right = q.right ?? null;
  const multiplier = q.multiplier !== undefined && q.multiplier !== 0 ? q.multiplier : null;
  const exchange = q.exchange !== undefined && q.exchange !== '' ? q.exchange.toUpperCase() : null;
  const currency = q.currency !== undefined && q.currency !== '' ? q.currency.toUpperCase() : null;
  const localSymbol =
    q.localSymbol !== undefined && q.localSymbol !== '' ? normalizeLocal(q.localSymbol) : null;
  const tradingClass =
    q.tradingClass !== undefined && q.tradingClass !== '' ? q.tradingClass.toUpperCase() : null;
  return (c) => {
    if (conId !== null && conId !== c.conId) return false;
    // Some clients send SPXW/VIXW as the symbol; IB qualifies those through the trading class.
    if (symbol !== null && symbol !== c.symbol && !(c.secType === 'OPT' && symbol === c.tradingClass))
      return false;
    if (secType !== null && secType !== c.secType) return false;
    if (expiryBad) return false;
    if (expiryExact !== null && c.expiry !== expiryExact) return false;
    if (expiryMonth !== null && (c.expiry === null || !c.expiry.startsWith(expiryMonth))) return false;
    if (strike !== null && (c.strike === null || Math.abs(c.strike - strike) > 1e-6)) return false;
    if (right !== null && c.right !== right) return false;
    if (multiplier !== null && c.multiplier !== multiplier) return false;
    if (exchange !== null && exchange !== 'SMART' && exchange !== c.exchange) return false;
    if (currency !== null && currency !== c.currency) return false;
    if (localSymbol !== null && localSymbol !== normalizeLocal(c.localSymbol)) return false;
    if (tradingClass !== null && tradingClass !== c.tradingClass) return false;
    return true;
  };
}

/** IB contract matching: an empty/zero field is a wildcard, every given field must match. */
export function matches(c: SimContract, q: ContractQuery): boolean {
  return compileQuery(q)(c);
}
