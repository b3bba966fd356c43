// Use case: the demo cycle. Capture a snapshot from a market data source and preview its plan;
// nothing is sent anywhere. The source (simulator, later IB) is chosen by the caller.
import type { TradingCalendar } from '../domain/calendar.ts';
import { entryTime } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type { HeldLayer, MarketEvent } from '../domain/snapshot.ts';
import type { StrategyConfig } from '../domain/strategy.ts';
import type { MarketDataPort } from '../ports/market-data.ts';
import type { PreviewResult } from './preview.ts';
import { previewPlan } from './preview.ts';

/** The demo's fixed default session: output is the same on every run and every machine. */
export const DEMO_DEFAULT_DATE: IsoDate = '2026-03-16';

export interface DemoRequest {
  readonly marketData: MarketDataPort;
  readonly strategy: StrategyConfig;
  readonly calendar: TradingCalendar;
  readonly events: readonly MarketEvent[];
  /** Layers already held; none in a fresh demo account. */
  readonly hedgeBook?: readonly HeldLayer[];
}

/** Entry time (ISO, New York offset) of the first trading day on or after `from`, under the strategy's rule. */
export function demoEntryTime(
  calendar: TradingCalendar,
  strategy: StrategyConfig,
  from: IsoDate = DEMO_DEFAULT_DATE,
): string {
  const day = calendar.isTradingDay(from) ? from : calendar.nextTradingDay(from);
  return entryTime(calendar, day, strategy.entry);
}

export async function runDemo(req: DemoRequest): Promise<PreviewResult> {
  const snapshot = await req.marketData.captureSnapshot({
    events: req.events,
    hedgeBook: req.hedgeBook ?? [],
  });
  // The events already travel in the snapshot.
  return previewPlan({
    snapshot,
    strategy: req.strategy,
    calendar: req.calendar,
    eventFile: [],
    mode: 'sim',
  });
}
