// Event day: FOMC/CPI/PPI on the expiry day upsizes the hedge when the policy says so.
import type { EventKind } from '../snapshot.ts';
import type { EventPolicy, StrategyConfig } from '../strategy.ts';
import { toSignalResult } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type EventConfig = StrategyConfig['signals']['event'];

const LABEL = 'Event day';

/** `eventKinds` are the events ON the expiry day; value = how many. */
export function eventSignal(
  eventKinds: readonly EventKind[],
  eventPolicy: EventPolicy,
  cfg: EventConfig,
): SignalResult {
  const upsize = eventPolicy === 'upsize-hedge';
  const has = eventKinds.length > 0;
  const what = has ? `${eventKinds.join(', ')} on expiry day` : 'no event on expiry day';
  return toSignalResult('event', LABEL, cfg, {
    value: eventKinds.length,
    available: true,
    triggered: has && upsize,
    detail: `${what}; policy ${eventPolicy}${has && !upsize ? ' (no upsize)' : ''}`,
  });
}
