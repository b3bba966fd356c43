// NYSE trading calendar: rule-based holidays and early closes for 1990–2099, overridden and extended by
// published data (data/calendar/nyse.json); trading time to expiry; entry times; VIX expiry dates.
import { DateTime } from 'luxon';
import { DomainError } from './domain-error.ts';
import type { IsoDate } from './instruments.ts';

export const NY_ZONE = 'America/New_York';
/** Regular session 09:30–16:00 New York, in minutes after New York midnight. */
export const REGULAR_OPEN_MINUTES = 570;
export const REGULAR_CLOSE_MINUTES = 960;
export const EARLY_CLOSE_MINUTES = 780;
/** Length of a full regular session; the unit of trading time. */
export const SESSION_MINUTES = 390;
export const TRADING_DAYS_PER_YEAR = 252;
export const CALENDAR_FIRST_YEAR = 1990;
export const CALENDAR_LAST_YEAR = 2099;

export interface CalendarHoliday {
  readonly date: IsoDate;
  readonly name: string;
}

export interface CalendarEarlyClose {
  readonly date: IsoDate;
  /** Cash-equity close, "HH:MM" New York (13:00 on the usual early closes). */
  readonly closeTime: string;
  /** Close of eligible (non-expiring) options, "HH:MM" New York (13:15 on the usual early closes). */
  readonly optionsCloseTime: string;
  readonly name: string;
}

/** Published calendar data; inside `coverage` it replaces the rules, outside it extends them. */
export interface CalendarData {
  readonly holidays: readonly CalendarHoliday[];
  readonly earlyCloses: readonly CalendarEarlyClose[];
  /** Ad-hoc closures (mourning days, storms, 9/11); applied at any date. */
  readonly specialClosures: readonly CalendarHoliday[];
  readonly coverage: { readonly from: IsoDate; readonly to: IsoDate };
}

export interface TradingSession {
  readonly date: IsoDate;
  /** ISO timestamp with New York offset, e.g. 2026-03-17T09:30:00-04:00. */
  readonly open: string;
  readonly close: string;
  /** Minutes after New York midnight: 570 normally. */
  readonly openMinutes: number;
  /** Minutes after New York midnight: 960 normally, 780 on an early close. */
  readonly closeMinutes: number;
  readonly earlyClose: boolean;
}

export interface TradingCalendar {
  isTradingDay(d: IsoDate): boolean;
  session(d: IsoDate): TradingSession | null;
  /** The first trading day strictly after d. */
  nextTradingDay(d: IsoDate): IsoDate;
  /** The last trading day strictly before d. */
  previousTradingDay(d: IsoDate): IsoDate;
  /** Trading days in (fromExclusive, toInclusive]; negative when to < from. */
  tradingDaysBetween(fromExclusive: IsoDate, toInclusive: IsoDate): number;
  /** Trading days in [from, to], ascending. */
  sessions(from: IsoDate, to: IsoDate): IsoDate[];
  /** Why d is closed (holiday or closure name, "weekend"), or null on a trading day. */
  closureReason(d: IsoDate): string | null;
}

// ---------------------------------------------------------------------------------------------
// Civil-date arithmetic on day numbers (days since 1970-01-01), no time zones involved.

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): Ymd {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Parses YYYY-MM-DD and rejects impossible dates (2026-02-30); null when invalid. */
export function parseIsoDate(s: string): Ymd | null {
  const match = ISO_DATE_RE.exec(s);
  if (match === null) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1) return null;
  const back = civilFromDays(daysFromCivil(y, m, d));
  return back.m === m && back.d === d ? { y, m, d } : null;
}

export function isValidIsoDate(s: string): boolean {
  return parseIsoDate(s) !== null;
}

function dayNumber(s: IsoDate): number {
  const p = parseIsoDate(s);
  if (p === null) throw new Error(`invalid ISO date ${JSON.stringify(s)} (expected YYYY-MM-DD)`);
  return daysFromCivil(p.y, p.m, p.d);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isoFromYmd(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

function isoFromDays(z: number): IsoDate {
  const c = civilFromDays(z);
  return isoFromYmd(c.y, c.m, c.d);
}

/** 0 = Sunday … 6 = Saturday. */
function weekdayOfDays(z: number): number {
  return (((z + 4) % 7) + 7) % 7;
}

/** Day of week of an ISO date: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: IsoDate): number {
  return weekdayOfDays(dayNumber(d));
}

export function isWeekend(d: IsoDate): boolean {
  const w = dayOfWeek(d);
  return w === 0 || w === 6;
}

/** b − a in calendar days. */
export function calendarDaysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

export function addCalendarDays(d: IsoDate, n: number): IsoDate {
  return isoFromDays(dayNumber(d) + n);
}

/** The n-th (1-based) given weekday of a month; n = -1 for the last one. */
function nthWeekday(y: number, m: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = daysFromCivil(y, m, 1);
    return first + ((weekday - weekdayOfDays(first) + 7) % 7) + (n - 1) * 7;
  }
  const nextFirst = m === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1);
  const last = nextFirst - 1;
  return last - ((weekdayOfDays(last) - weekday + 7) % 7);
}

/** Easter Sunday (Gregorian, anonymous computus). */
function easterSunday(y: number): number {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const mm = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * mm + 114) / 31);
  const day = ((h + l - 7 * mm + 114) % 31) + 1;
  return daysFromCivil(y, month, day);
}

/** NYSE Rule 7.2: Saturday → preceding Friday, Sunday → following Monday. */
function observed(z: number): number {
  const w = weekdayOfDays(z);
  if (w === 6) return z - 1;
  if (w === 0) return z + 1;
  return z;
}

/** Rule-based NYSE full-day holidays of one year (day number → name). */
function ruleHolidays(y: number): Map<number, string> {
  const out = new Map<number, string>();
  // New Year's Day on a Saturday is not observed on the prior Friday (Rule 7.2 year-end exception).
  const newYear = daysFromCivil(y, 1, 1);
  if (weekdayOfDays(newYear) !== 6) out.set(observed(newYear), "New Year's Day");
  if (y >= 1998) out.set(nthWeekday(y, 1, 1, 3), 'Martin Luther King, Jr. Day');
  out.set(nthWeekday(y, 2, 1, 3), "Washington's Birthday");
  out.set(easterSunday(y) - 2, 'Good Friday');
  out.set(nthWeekday(y, 5, 1, -1), 'Memorial Day');
  if (y >= 2022) out.set(observed(daysFromCivil(y, 6, 19)), 'Juneteenth National Independence Day');
  out.set(observed(daysFromCivil(y, 7, 4)), 'Independence Day');
  out.set(nthWeekday(y, 9, 1, 1), 'Labor Day');
  out.set(nthWeekday(y, 11, 4, 4), 'Thanksgiving Day');
  out.set(observed(daysFromCivil(y, 12, 25)), 'Christmas Day');
  return out;
}

/** Rule-based 13:00 early closes of one year (current NYSE practice; earlier years may differ). */
function ruleEarlyCloses(y: number, holidays: ReadonlyMap<number, string>): Map<number, string> {
  const out = new Map<number, string>();
  const july3 = daysFromCivil(y, 7, 3);
  const july3Weekday = weekdayOfDays(july3);
  // Only when July 4 itself is a Tuesday–Friday holiday: no half day before an observed Friday/Monday.
  if (july3Weekday >= 1 && july3Weekday <= 4) out.set(july3, 'Independence Day (eve)');
  out.set(nthWeekday(y, 11, 4, 4) + 1, 'Day after Thanksgiving');
  const dec24 = daysFromCivil(y, 12, 24);
  const dec24Weekday = weekdayOfDays(dec24);
  if (dec24Weekday >= 1 && dec24Weekday <= 5 && !holidays.has(dec24)) out.set(dec24, 'Christmas Eve');
  return out;
}

export function parseHhMm(s: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(s);
  if (match === null) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (h > 23 || m > 59) return null;
  return h * 60 + m;
}

function hhmm(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** ISO timestamp with New York offset for a New York wall-clock time on a date. */
export function nyTimestamp(d: IsoDate, minutesAfterMidnight: number): string {
  const p = parseIsoDate(d);
  if (p === null) throw new Error(`invalid ISO date ${JSON.stringify(d)}`);
  const dt = DateTime.fromObject(
    {
      year: p.y,
      month: p.m,
      day: p.d,
      hour: Math.floor(minutesAfterMidnight / 60),
      minute: minutesAfterMidnight % 60,
    },
    { zone: NY_ZONE },
  );
  const iso = dt.toISO({ suppressMilliseconds: true });
  if (iso === null) throw new Error(`cannot format ${d} ${hhmm(minutesAfterMidnight)} in ${NY_ZONE}`);
  return iso;
}

interface DayInfo {
  /** Closure reason, or null on a trading day. */
  readonly closed: string | null;
  /** Early close minutes after midnight, or null on a regular session. */
  readonly earlyCloseMinutes: number | null;
}

const FIRST_DAY = daysFromCivil(CALENDAR_FIRST_YEAR, 1, 1);
const LAST_DAY = daysFromCivil(CALENDAR_LAST_YEAR, 12, 31);

export function createNyseCalendar(data: CalendarData): TradingCalendar {
  const coverageFrom = dayNumber(data.coverage.from);
  const coverageTo = dayNumber(data.coverage.to);
  const dataHolidays = new Map<number, string>();
  for (const h of data.holidays) dataHolidays.set(dayNumber(h.date), h.name);
  const dataClosures = new Map<number, string>();
  for (const c of data.specialClosures) dataClosures.set(dayNumber(c.date), c.name);
  const dataEarly = new Map<number, number>();
  for (const e of data.earlyCloses) {
    const close = parseHhMm(e.closeTime);
    if (close === null)
      throw new Error(`invalid early close time ${JSON.stringify(e.closeTime)} on ${e.date}`);
    dataEarly.set(dayNumber(e.date), close);
  }
  const inCoverage = (z: number): boolean => z >= coverageFrom && z <= coverageTo;

  const yearCache = new Map<number, { holidays: Map<number, string>; early: Map<number, string> }>();
  const rulesFor = (y: number): { holidays: Map<number, string>; early: Map<number, string> } => {
    let cached = yearCache.get(y);
    if (cached === undefined) {
      const holidays = ruleHolidays(y);
      cached = { holidays, early: ruleEarlyCloses(y, holidays) };
      yearCache.set(y, cached);
    }
    return cached;
  };

  const checkRange = (z: number, what: string): void => {
    if (z < FIRST_DAY || z > LAST_DAY) {
      throw new DomainError(
        'E_CALENDAR_RANGE',
        `${what} ${isoFromDays(z)} is outside the NYSE calendar (${CALENDAR_FIRST_YEAR}-01-01..${CALENDAR_LAST_YEAR}-12-31)`,
      );
    }
  };

  const info = (z: number): DayInfo => {
    checkRange(z, 'date');
    const w = weekdayOfDays(z);
    if (w === 0 || w === 6) return { closed: 'weekend', earlyCloseMinutes: null };
    const closure = dataClosures.get(z);
    if (closure !== undefined) return { closed: closure, earlyCloseMinutes: null };
    const dataHoliday = dataHolidays.get(z);
    if (dataHoliday !== undefined) return { closed: dataHoliday, earlyCloseMinutes: null };
    const dataEarlyClose = dataEarly.get(z);
    if (dataEarlyClose !== undefined) return { closed: null, earlyCloseMinutes: dataEarlyClose };
    // Inside the published range the data is the whole truth; the rules only fill the rest.
    if (inCoverage(z)) return { closed: null, earlyCloseMinutes: null };
    const rules = rulesFor(civilFromDays(z).y);
    const ruleHoliday = rules.holidays.get(z);
    if (ruleHoliday !== undefined) return { closed: ruleHoliday, earlyCloseMinutes: null };
    return { closed: null, earlyCloseMinutes: rules.early.has(z) ? EARLY_CLOSE_MINUTES : null };
  };

  const isOpen = (z: number): boolean => info(z).closed === null;

  const step = (d: IsoDate, dir: 1 | -1): IsoDate => {
    let z = dayNumber(d) + dir;
    while (!isOpen(z)) z += dir;
    return isoFromDays(z);
  };

  const countOpen = (fromExclusive: number, toInclusive: number): number => {
    let n = 0;
    for (let z = fromExclusive + 1; z <= toInclusive; z++) if (isOpen(z)) n++;
    return n;
  };

  return {
    isTradingDay: (d) => isOpen(dayNumber(d)),
    closureReason: (d) => info(dayNumber(d)).closed,
    session: (d) => {
      const i = info(dayNumber(d));
      if (i.closed !== null) return null;
      const closeMinutes = i.earlyCloseMinutes ?? REGULAR_CLOSE_MINUTES;
      return {
        date: d,
        open: nyTimestamp(d, REGULAR_OPEN_MINUTES),
        close: nyTimestamp(d, closeMinutes),
        openMinutes: REGULAR_OPEN_MINUTES,
        closeMinutes,
        earlyClose: i.earlyCloseMinutes !== null,
      };
    },
    nextTradingDay: (d) => step(d, 1),
    previousTradingDay: (d) => step(d, -1),
    tradingDaysBetween: (fromExclusive, toInclusive) => {
      const a = dayNumber(fromExclusive);
      const b = dayNumber(toInclusive);
      return b >= a ? countOpen(a, b) : -countOpen(b, a);
    },
    sessions: (from, to) => {
      const out: IsoDate[] = [];
      for (let z = dayNumber(from); z <= dayNumber(to); z++) if (isOpen(z)) out.push(isoFromDays(z));
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// New York wall-clock helpers.

function nyDateTime(asOf: string): DateTime {
  // A timestamp without an offset is read as New York time, so the host's zone never matters.
  const dt = DateTime.fromISO(asOf, { zone: NY_ZONE });
  if (!dt.isValid)
    throw new Error(`invalid ISO timestamp ${JSON.stringify(asOf)}: ${dt.invalidReason ?? ''}`);
  return dt;
}

/** The New York calendar date of a timestamp. */
export function nyDate(asOf: string): IsoDate {
  const dt = nyDateTime(asOf);
  return isoFromYmd(dt.year, dt.month, dt.day);
}

/** Minutes after New York midnight of a timestamp (fractional when it has seconds). */
export function nyMinutes(asOf: string): number {
  const dt = nyDateTime(asOf);
  return dt.hour * 60 + dt.minute + dt.second / 60 + dt.millisecond / 60000;
}

// ---------------------------------------------------------------------------------------------
// Trading time.

export type Settlement = 'PM' | 'AM';

/**
 * Years of trading time from asOf to an expiry: (rest of today's session + whole sessions to expiry) / 252.
 * Rest of today = minutes to today's close / 390, also on early-close days (a trading minute is a trading
 * minute, so 15 minutes before any close is 15/390); before the open today counts 1, after the close 0.
 * Every later session counts 1, early closes included. PM settlement (SPXW) counts the expiry day's
 * session; AM settlement (VIX, settled at the open) does not. After expiry, 0.
 */
export function tradingTimeToExpiry(
  cal: TradingCalendar,
  asOf: string,
  expiry: IsoDate,
  settlement: Settlement = 'PM',
): number {
  const today = nyDate(asOf);
  const daysToExpiry = calendarDaysBetween(today, expiry);
  if (daysToExpiry < 0) return 0;
  const session = cal.session(today);
  let todayFraction = 0;
  if (session !== null) {
    const minutes = nyMinutes(asOf);
    if (minutes < session.openMinutes) todayFraction = 1;
    else todayFraction = Math.max(0, session.closeMinutes - minutes) / SESSION_MINUTES;
  }
  if (daysToExpiry === 0) {
    // AM-settled options stop trading before the open of their expiry day.
    return settlement === 'PM' ? todayFraction / TRADING_DAYS_PER_YEAR : 0;
  }
  const laterSessions =
    cal.tradingDaysBetween(today, expiry) - (settlement === 'AM' && cal.isTradingDay(expiry) ? 1 : 0);
  return (todayFraction + laterSessions) / TRADING_DAYS_PER_YEAR;
}

export interface EntryRule {
  /** "HH:MM" New York, e.g. "15:45". */
  readonly time: string;
  /** On an early-close day, enter this many minutes before the close (if that is earlier than `time`). */
  readonly earlyCloseMinutesBefore: number;
}

/** Entry timestamp (ISO with New York offset) of a trading day under the rule. */
export function entryTime(cal: TradingCalendar, day: IsoDate, rule: EntryRule): string {
  const session = cal.session(day);
  if (session === null) {
    throw new DomainError(
      'E_CALENDAR_RANGE',
      `${day} is not an NYSE trading day (${cal.closureReason(day) ?? ''})`,
    );
  }
  const ruleMinutes = parseHhMm(rule.time);
  if (ruleMinutes === null)
    throw new Error(`invalid entry time ${JSON.stringify(rule.time)} (expected HH:MM)`);
  const minutes = session.earlyClose
    ? Math.min(ruleMinutes, session.closeMinutes - rule.earlyCloseMinutesBefore)
    : ruleMinutes;
  return nyTimestamp(day, minutes);
}

// ---------------------------------------------------------------------------------------------
// VIX option expiries (Cboe rule), with NYSE trading days standing in for Cboe business days.

/**
 * Expiry of the VIX monthly options of (year, month): the Wednesday 30 days before the third Friday of the
 * following month; if that Friday is not a trading day, 30 days before the trading day preceding it; if the
 * result is not a trading day, the trading day before it. month is 1–12.
 */
export function vixExpiryForMonth(cal: TradingCalendar, year: number, month: number): IsoDate {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new Error(`month must be 1–12, got ${month}`);
  const nextY = month === 12 ? year + 1 : year;
  const nextM = month === 12 ? 1 : month + 1;
  let anchor = isoFromDays(nthWeekday(nextY, nextM, 5, 3));
  if (!cal.isTradingDay(anchor)) anchor = cal.previousTradingDay(anchor);
  const candidate = addCalendarDays(anchor, -30);
  return cal.isTradingDay(candidate) ? candidate : cal.previousTradingDay(candidate);
}

/**
 * VIXW weekly expiries in [from, to]: each week's Wednesday (the trading day before it when the Wednesday is
 * closed), except weeks in which a monthly VIX expiry falls (Cboe lists no weekly then).
 */
export function vixWeeklyExpiries(cal: TradingCalendar, from: IsoDate, to: IsoDate): IsoDate[] {
  const start = dayNumber(from);
  const end = dayNumber(to);
  const out: IsoDate[] = [];
  const monthlyCache = new Map<string, IsoDate>();
  const monthly = (y: number, m: number): IsoDate => {
    const key = `${y}-${m}`;
    let v = monthlyCache.get(key);
    if (v === undefined) {
      v = vixExpiryForMonth(cal, y, m);
      monthlyCache.set(key, v);
    }
    return v;
  };
  // Start at the Wednesday of from's week (Sunday-based) so a Tuesday-shifted weekly in range is found.
  let wed = start - weekdayOfDays(start) + 3;
  for (; wed - 3 <= end; wed += 7) {
    const wedIso = isoFromDays(wed);
    const expiry = cal.isTradingDay(wedIso) ? wedIso : cal.previousTradingDay(wedIso);
    const z = dayNumber(expiry);
    if (z < start || z > end) continue;
    const weekStart = wed - 3;
    const c = civilFromDays(wed);
    const prev = c.m === 1 ? { y: c.y - 1, m: 12 } : { y: c.y, m: c.m - 1 };
    const hasMonthly = [monthly(c.y, c.m), monthly(prev.y, prev.m)].some((mIso) => {
      const mz = dayNumber(mIso);
      return mz >= weekStart && mz <= weekStart + 6;
    });
    if (!hasMonthly) out.push(expiry);
  }
  return out;
}
