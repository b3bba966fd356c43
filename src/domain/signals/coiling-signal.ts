// VIX coiling: today's Bollinger bandwidth ranks in the lowest share of the last year's bandwidths.
import type { StrategyConfig } from '../strategy.ts';
import { bollingerBandwidth, percentileRank } from './indicators.ts';
import { fmt, notEnoughBars, toSignalResult } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type CoilingConfig = StrategyConfig['signals']['coiling'];

/** Bars needed for `percentileWindow` bandwidth values of `period` closes each. */
export function coilingBarsNeeded(cfg: CoilingConfig): number {
  return cfg.period - 1 + cfg.percentileWindow;
}

/**
 * value = percentile rank of today's bandwidth among the last `percentileWindow` bandwidths
 * (today's included): the fraction strictly below it, so 0 = the narrowest of the window.
 * Fires when that rank is below `percentile` (0.10 = lowest 10%).
 */
export function coilingSignal(vixCloses: readonly number[], cfg: CoilingConfig): SignalResult {
  const label = `VIX coiling (BB${cfg.period} width pct)`;
  const needed = coilingBarsNeeded(cfg);
  if (vixCloses.length < needed) {
    return toSignalResult('coiling', label, cfg, notEnoughBars(needed, vixCloses.length, label));
  }
  const widths = bollingerBandwidth(vixCloses, cfg.period, cfg.stdDevs).slice(-cfg.percentileWindow);
  const today = widths.at(-1) ?? NaN;
  // A zero-mean window gives NaN width; NaN value makes the reading unavailable.
  const rank = Number.isFinite(today) ? percentileRank(widths, today) : NaN;
  const triggered = rank < cfg.percentile;
  return toSignalResult('coiling', label, cfg, {
    value: rank,
    available: true,
    triggered,
    detail:
      `BB${cfg.period} width ${fmt(today, 4)} ranks ${fmt(rank * 100, 1)}% of ${cfg.percentileWindow} ` +
      `${triggered ? '<' : '>='} ${fmt(cfg.percentile * 100, 1)}%`,
  });
}
