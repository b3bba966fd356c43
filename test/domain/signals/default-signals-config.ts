// The signals block of the shipped default strategy (strategies/alvh-default.json). The macro overlay
// stays off but gets a non-unit factor and a note, so a disabled overlay that leaked either would show.
import type { EventDay } from '../../../src/domain/events.ts';
import { eventDay } from '../../../src/domain/events.ts';
import type { EventKind } from '../../../src/domain/snapshot.ts';
import type { StrategyConfig } from '../../../src/domain/strategy.ts';
import { defaultStrategy } from '../../support/default-strategy.ts';

export type SignalsConfig = StrategyConfig['signals'];

export const defaultSignalsConfig: SignalsConfig = {
  ...defaultStrategy().signals,
  macro: { enabled: false, factor: 1.1, note: 'rates stress' },
};

/** An expiry day the event calendar covers, with these events on it. */
export function coveredDay(kinds: readonly EventKind[]): EventDay {
  return eventDay(
    kinds.map((kind) => ({ date: '2026-03-18', kind })),
    '2026-03-18',
    '2027-12-31',
    'treat-as-event',
  );
}
