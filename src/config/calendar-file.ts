// Loads and validates the NYSE calendar data file and the macro event file (zod at the boundary).
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { IronvixError } from '../errors.ts';
import { printable } from '../domain/text.ts';
import { MAX_FILE_BYTES, readJsonFile } from './json-file.ts';
import { capLines } from './zod-errors.ts';
import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  REGULAR_CLOSE_MINUTES,
  REGULAR_OPEN_MINUTES,
  dayOfWeek,
  parseHhMm,
  parseIsoDate,
} from '../domain/calendar.ts';
import type { CalendarData } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import { sortEvents } from '../domain/events.ts';
import type { MarketEvent } from '../domain/snapshot.ts';

/** Shipped files, resolved from this module so the working directory never matters. */
export const DEFAULT_CALENDAR_PATH = fileURLToPath(new URL('../../data/calendar/nyse.json', import.meta.url));
export const DEFAULT_EVENTS_PATH = fileURLToPath(new URL('../../strategies/events.json', import.meta.url));

const DATE_RULE = 'must be a real date written YYYY-MM-DD';
const isoDate = z
  .string({ error: DATE_RULE })
  .refine((s) => parseIsoDate(s) !== null, { error: DATE_RULE, abort: true });

const RANGE_RULE = `must be within ${CALENDAR_FIRST_YEAR}-01-01..${CALENDAR_LAST_YEAR}-12-31`;
const calendarDate = isoDate.refine(
  (s) => {
    const p = parseIsoDate(s);
    return p !== null && p.y >= CALENDAR_FIRST_YEAR && p.y <= CALENDAR_LAST_YEAR;
  },
  { error: RANGE_RULE },
);

const WEEKDAY_RULE = 'must fall on a weekday (Monday–Friday)';
const isWeekday = (s: string): boolean =>
  parseIsoDate(s) === null || (dayOfWeek(s) !== 0 && dayOfWeek(s) !== 6);
const weekdayDate = calendarDate.refine(isWeekday, { error: WEEKDAY_RULE });

const name = z
  .string({ error: 'must be a non-empty string' })
  .min(1, { error: 'must be a non-empty string' });

const TIME_RULE = 'must be a time HH:MM after 09:30 and before 16:00 New York';
const sessionTime = z.string({ error: TIME_RULE }).refine(
  (s) => {
    const m = parseHhMm(s);
    return m !== null && m > REGULAR_OPEN_MINUTES && m < REGULAR_CLOSE_MINUTES;
  },
  { error: TIME_RULE },
);
const OPTIONS_TIME_RULE = 'must be a time HH:MM after 09:30 and no later than 16:15 New York';
const optionsTime = z.string({ error: OPTIONS_TIME_RULE }).refine(
  (s) => {
    const m = parseHhMm(s);
    return m !== null && m > REGULAR_OPEN_MINUTES && m <= REGULAR_CLOSE_MINUTES + 15;
  },
  { error: OPTIONS_TIME_RULE },
);

const closedDay = z.strictObject({ date: weekdayDate, name });

export const calendarFileSchema = z
  .strictObject({
    $comment: z.string().optional(),
    coverage: z
      .strictObject({ from: calendarDate, to: calendarDate })
      .refine((c) => c.from <= c.to, { error: 'coverage.from must not be after coverage.to', path: ['to'] }),
    holidays: z.array(closedDay, { error: 'must be an array of {date, name}' }),
    earlyCloses: z.array(
      z
        .strictObject({ date: weekdayDate, closeTime: sessionTime, optionsCloseTime: optionsTime, name })
        .refine(
          (e) => {
            const close = parseHhMm(e.closeTime);
            const options = parseHhMm(e.optionsCloseTime);
            // A bad time is reported by its own rule; only compare two valid times.
            return close === null || options === null || close >= REGULAR_CLOSE_MINUTES || options >= close;
          },
          { error: 'optionsCloseTime must not be before closeTime', path: ['optionsCloseTime'] },
        ),
      { error: 'must be an array of {date, closeTime, optionsCloseTime, name}' },
    ),
    specialClosures: z.array(closedDay, { error: 'must be an array of {date, name}' }),
  })
  .superRefine((file, ctx) => {
    // One entry per date across all three lists: a day is either closed or has one early close.
    const seen = new Map<string, string>();
    const lists = [
      ['holidays', file.holidays],
      ['earlyCloses', file.earlyCloses],
      ['specialClosures', file.specialClosures],
    ] as const;
    for (const [listName, list] of lists) {
      list.forEach((entry, i) => {
        const here = `${listName}[${i}]`;
        const before = seen.get(entry.date);
        if (before !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [listName, i, 'date'],
            message: `must not repeat a date already listed at ${before}`,
          });
        } else seen.set(entry.date, here);
      });
    }
  });

const EVENT_KIND_RULE = 'must be one of FOMC, CPI, PPI';
export const eventsFileSchema = z
  .strictObject({
    $comment: z.string().optional(),
    /** The last date the file is complete for; without it, the last listed event's date. */
    coveredThrough: calendarDate.optional(),
    events: z.array(
      z.strictObject({
        date: isoDate.refine(isWeekday, { error: WEEKDAY_RULE }),
        kind: z.enum(['FOMC', 'CPI', 'PPI'], { error: EVENT_KIND_RULE }),
        note: z.string({ error: 'must be a string when present' }).optional(),
      }),
      { error: 'must be an array of {date, kind, note?}' },
    ),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.events.forEach((e, i) => {
      const key = `${e.date} ${e.kind}`;
      const before = seen.get(key);
      if (before !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i],
          message: `must not repeat ${e.kind} on ${e.date} (already events[${before}])`,
        });
      } else seen.set(key, i);
    });
  });

function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function validationError(
  sourceName: string,
  json: unknown,
  issues: readonly z.core.$ZodIssue[],
): IronvixError {
  const lines = issues.map((issue) => {
    const value = valueAt(json, issue.path);
    const rule =
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : value === undefined && issue.code !== 'custom'
          ? 'is required'
          : issue.message;
    return `${jsonPath(issue.path)} = ${describeValue(value)}: ${rule}`;
  });
  const first = lines[0] ?? 'invalid';
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : '';
  return new IronvixError('E_CALENDAR_INVALID', `${sourceName}: ${first}${more}`, capLines(lines));
}

export function parseCalendarData(json: unknown, sourceName: string): CalendarData {
  const r = calendarFileSchema.safeParse(json);
  if (!r.success) throw validationError(sourceName, json, r.error.issues);
  return {
    coverage: r.data.coverage,
    holidays: r.data.holidays,
    earlyCloses: r.data.earlyCloses,
    specialClosures: r.data.specialClosures,
  };
}

/** An event file: its events, sorted, and the last date it is complete for. */
export interface EventCalendar {
  readonly events: readonly MarketEvent[];
  /** coveredThrough of the file, else its last event's date; null for a file without events. */
  readonly coveredThrough: IsoDate | null;
}

export function parseEventCalendar(json: unknown, sourceName: string): EventCalendar {
  const r = eventsFileSchema.safeParse(json);
  if (!r.success) throw validationError(sourceName, json, r.error.issues);
  const events = sortEvents(
    r.data.events.map((e): MarketEvent =>
      e.note === undefined ? { date: e.date, kind: e.kind } : { ...e, note: e.note },
    ),
  );
  return { events, coveredThrough: r.data.coveredThrough ?? events.at(-1)?.date ?? null };
}

export function parseEvents(json: unknown, sourceName: string): readonly MarketEvent[] {
  return parseEventCalendar(json, sourceName).events;
}

function readJson(path: string, what: string): unknown {
  return readJsonFile(path, 'E_CALENDAR_INVALID', what, MAX_FILE_BYTES.calendar);
}

/** Reads data/calendar/nyse.json (or the given file) for createNyseCalendar. */
export function loadCalendarData(path: string = DEFAULT_CALENDAR_PATH): CalendarData {
  return parseCalendarData(readJson(path, 'calendar file'), printable(path));
}

/** Reads strategies/events.json (or the given file), sorted by date then kind. */
export function loadEvents(path: string = DEFAULT_EVENTS_PATH): readonly MarketEvent[] {
  return parseEvents(readJson(path, 'event file'), printable(path));
}

/** Reads an event file with the date it is complete for. */
export function loadEventCalendar(path: string = DEFAULT_EVENTS_PATH): EventCalendar {
  return parseEventCalendar(readJson(path, 'event file'), printable(path));
}
