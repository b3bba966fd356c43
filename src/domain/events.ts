// Macro event days (FOMC decisions, CPI and PPI releases) looked up by date.
import type { IsoDate } from './instruments.ts';
import type { EventKind, MarketEvent } from './snapshot.ts';

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
