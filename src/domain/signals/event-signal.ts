// Event day: FOMC/CPI/PPI on the expiry day (or a day beyond the event calendar treated as one)
// upsizes the hedge when the policy says so.
import type { EventDay } from '../events.ts';
import type { EventPolicy, StrategyConfig } from '../strategy.ts';
import { toSignalResult } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type EventConfig = StrategyConfig['signals']['event'];

const LABEL = 'Event day';

/** value = how many events are listed on the expiry day. */
export function eventSignal(day: EventDay, eventPolicy: EventPolicy, cfg: EventConfig): SignalResult {
  return toSignalResult('event', LABEL, cfg, {
    available: true,
    value: day.kinds.length,
    triggered: day.isEventDay && eventPolicy === 'upsize-hedge',
    reading: {
      id: 'event',
      kinds: day.kinds,
      policy: eventPolicy,
      coveredThrough: day.coveredThrough,
      uncovered: day.uncovered,
      treatedAsEvent: day.treatedAsEvent,
    },
  });
}
