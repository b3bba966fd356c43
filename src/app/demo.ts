// The demo's moment: a fixed default session, so the demo shows the same market on every run.
import type { TradingCalendar } from '../domain/calendar.ts';
import { entryTime } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type { StrategyConfig } from '../domain/strategy.ts';

/** The demo's fixed default session: output is the same on every run and every machine. */
export const DEMO_DEFAULT_DATE: IsoDate = '2026-03-16';

/** Entry time (ISO, New York offset) of the first trading day on or after `from`, under the strategy's rule. */
export function demoEntryTime(
  calendar: TradingCalendar,
  strategy: StrategyConfig,
  from: IsoDate = DEMO_DEFAULT_DATE,
): string {
  const day = calendar.isTradingDay(from) ? from : calendar.nextTradingDay(from);
  return entryTime(calendar, day, strategy.entry);
}
