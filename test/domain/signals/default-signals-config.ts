// The signals block of the shipped default strategy (strategies/alvh-default.json). The macro overlay
// stays off but gets a non-unit factor and a note, so a disabled overlay that leaked either would show.
import type { StrategyConfig } from '../../../src/domain/strategy.ts';
import { defaultStrategy } from '../../support/default-strategy.ts';

export type SignalsConfig = StrategyConfig['signals'];

export const defaultSignalsConfig: SignalsConfig = {
  ...defaultStrategy().signals,
  macro: { enabled: false, factor: 1.1, note: 'rates stress' },
};
