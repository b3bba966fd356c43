// The strategy.md section 3 defaults for the signals block, written out here so the tests do not
// depend on the strategy loader.
import type { StrategyConfig } from '../../../src/domain/strategy.ts';

export type SignalsConfig = StrategyConfig['signals'];

export const defaultSignalsConfig: SignalsConfig = {
  rsi: { enabled: true, factor: 1.15, period: 14, below: 35 },
  macd: {
    enabled: true,
    factor: 1.25,
    fast: 12,
    slow: 26,
    signal: 9,
    risingDays: 3,
    divergenceRecent: 5,
    divergencePrior: 15,
  },
  coiling: { enabled: true, factor: 1.15, period: 20, stdDevs: 2, percentileWindow: 252, percentile: 0.1 },
  termStructure: { enabled: true, factor: 1.3, vix9dOverVixAbove: 1.0, vixOverVix3mAbove: 1.0 },
  breadth: { enabled: true, factor: 1.2, lookbackDays: 10 },
  event: { enabled: true, factor: 1.3 },
  macro: { enabled: false, factor: 1.1, note: 'rates stress' },
};
