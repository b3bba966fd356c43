// Whether a cycle's orders would be worked inside the regular session (09:30 to the close, 16:00
// or the early close): outside it nothing is sent (docs/strategy.md, market hours).
import type { TradingCalendar } from './calendar.ts';
import { nyDate, nyMinutes } from './calendar.ts';
import type { IsoDate } from './instruments.ts';

export type MarketHours =
  | {
      readonly status: 'open';
      readonly date: IsoDate;
      /** Session open and close, ISO with New York offset. */
      readonly openAt: string;
      readonly closeAt: string;
      /** The latest deadline of any order of the cycle. */
      readonly lastDeadline: string;
    }
  | {
      readonly status: 'closed';
      readonly why: 'not-a-session';
      readonly date: IsoDate;
      /** Holiday or closure name, or "weekend". */
      readonly closure: string;
    }
  | {
      readonly status: 'closed';
      readonly why: 'before-open';
      readonly date: IsoDate;
      readonly asOf: string;
      readonly openAt: string;
      readonly closeAt: string;
    }
  | {
      readonly status: 'closed';
      readonly why: 'orders-past-close';
      readonly date: IsoDate;
      readonly asOf: string;
      readonly closeAt: string;
      readonly lastDeadline: string;
    };

/** The session of asOf's New York date and whether orders ending at `lastDeadline` fit inside it. */
export function marketHours(cal: TradingCalendar, asOf: string, lastDeadline: string): MarketHours {
  const date = nyDate(asOf);
  const session = cal.session(date);
  if (session === null)
    return { status: 'closed', why: 'not-a-session', date, closure: cal.closureReason(date) ?? 'closed' };
  if (nyMinutes(asOf) < session.openMinutes)
    return { status: 'closed', why: 'before-open', date, asOf, openAt: session.open, closeAt: session.close };
  if (Date.parse(lastDeadline) > Date.parse(session.close))
    return { status: 'closed', why: 'orders-past-close', date, asOf, closeAt: session.close, lastDeadline };
  return { status: 'open', date, openAt: session.open, closeAt: session.close, lastDeadline };
}
