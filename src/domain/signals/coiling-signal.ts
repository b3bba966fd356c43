// VIX coiling: today's Bollinger bandwidth is in the lowest share of the last year's bandwidths.
import type { StrategyConfig } from '../strategy.ts';
import { bollingerBandwidth, shareAtOrBelow } from './indicators.ts';
import type { Observation } from './outcome.ts';
import { notEnoughBars, toSignalResult } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type CoilingConfig = StrategyConfig['signals']['coiling'];

/** Bars needed for `percentileWindow` bandwidth values of `period` closes each. */
export function coilingBarsNeeded(cfg: CoilingConfig): number {
  return cfg.period - 1 + cfg.percentileWindow;
}

/**
 * "In its lowest 10%" (docs/strategy.md section 3): over the last `percentileWindow` bandwidths,
 * today's included, count(values <= today) / window <= `percentile`. With 252 values and 0.10 the
 * 25th-lowest bandwidth fires (25/252 = 0.099) and the 26th does not (26/252 = 0.103).
 */
export function coilingSignal(vixCloses: readonly number[], cfg: CoilingConfig): SignalResult {
  const label = `VIX coiling (BB${cfg.period} width pct)`;
  const needed = coilingBarsNeeded(cfg);
  if (vixCloses.length < needed)
    return toSignalResult('coiling', label, cfg, notEnoughBars(needed, vixCloses.length));
  const widths = bollingerBandwidth(vixCloses, cfg.period, cfg.stdDevs).slice(-cfg.percentileWindow);
  return toSignalResult('coiling', label, cfg, coilingObservation(widths, cfg.percentile));
}

/** The rule on a window of bandwidths whose last value is today's. */
export function coilingObservation(widths: readonly number[], percentile: number): Observation {
  const today = widths.at(-1) ?? NaN;
  // A zero-mean window gives NaN width; a NaN rank makes the reading unavailable.
  const atOrBelow = Number.isFinite(today) ? widths.filter((w) => w <= today).length : NaN;
  const rank = Number.isFinite(today) ? shareAtOrBelow(widths, today) : NaN;
  return {
    available: true,
    value: rank,
    // A hair of tolerance: 25/252 must not miss 0.10 through float noise in the rank.
    triggered: rank <= percentile + 1e-12,
    reading: { id: 'coiling', bandwidth: today, atOrBelow, window: widths.length, rank, percentile },
  };
}
