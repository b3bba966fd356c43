// Macro event days (FOMC decisions, CPI and PPI releases) looked up by date, and what a day beyond
// the event calendar counts as.
import type { IsoDate } from './instruments.ts';
import type { EventKind, MarketEvent } from './snapshot.ts';
import type { CalendarGapPolicy } from './strategy.ts';

/** Every kind, in the order reports list them. */
export const EVENT_KINDS: readonly EventKind[] = ['FOMC', 'CPI', 'PPI'];

/** The kinds of event on a date, each once, in EVENT_KINDS order. */
export function eventsOn(events: readonly MarketEvent[], date: IsoDate): EventKind[] {
  const kinds = new Set<EventKind>();
  for (const e of events) if (e.date === date) kinds.add(e.kind);
  return EVENT_KINDS.filter((k) => kinds.has(k));
}

export function hasEventOn(events: readonly MarketEvent[], date: IsoDate): boolean {
  return events.some((e) => e.date === date);
}

/** Events dated in [fromInclusive, toInclusive], sorted by date then kind. */
export function eventsBetween(
  events: readonly MarketEvent[],
  fromInclusive: IsoDate,
  toInclusive: IsoDate,
): MarketEvent[] {
  return sortEvents(events.filter((e) => e.date >= fromInclusive && e.date <= toInclusive));
}

/** Sorted copy: by date, then EVENT_KINDS order. */
export function sortEvents(events: readonly MarketEvent[]): MarketEvent[] {
  return [...events].sort((a, b) =>
    a.date === b.date ? EVENT_KINDS.indexOf(a.kind) - EVENT_KINDS.indexOf(b.kind) : a.date < b.date ? -1 : 1,
  );
}

/** The event status of the condor's expiry day. */
export interface EventDay {
  readonly date: IsoDate;
  /** Events listed on the day. */
  readonly kinds: readonly EventKind[];
  /** The last date the event calendar covers, or null when it holds no event at all. */
  readonly coveredThrough: IsoDate | null;
  /** The day lies beyond the calendar: whether it has an event is unknown. */
  readonly uncovered: boolean;
  /** An uncovered day the gap policy treats as an event day. */
  readonly treatedAsEvent: boolean;
  /** An event day for the event policy: listed events, or an uncovered day treated as one. */
  readonly isEventDay: boolean;
}

/**
 * Looks the day up in the calendar. `coveredThrough` defaults to the last listed event: a file that
 * ends before the day cannot say "no event", so the gap policy decides (default: an event day).
 */
export function eventDay(
  events: readonly MarketEvent[],
  date: IsoDate,
  coveredThrough: IsoDate | null | undefined,
  gapPolicy: CalendarGapPolicy,
): EventDay {
  const kinds = eventsOn(events, date);
  const through =
    coveredThrough ?? events.reduce<IsoDate | null>((m, e) => (m === null || e.date > m ? e.date : m), null);
  const uncovered = kinds.length === 0 && (through === null || date > through);
  const treatedAsEvent = uncovered && gapPolicy === 'treat-as-event';
  return {
    date,
    kinds,
    coveredThrough: through,
    uncovered,
    treatedAsEvent,
    isEventDay: kinds.length > 0 || treatedAsEvent,
  };
}
