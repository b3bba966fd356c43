// VIX MACD: fires on a histogram rising N days, or a bullish divergence (lower VIX low, higher MACD low).
import type { StrategyConfig } from '../strategy.ts';
import { macd } from './indicators.ts';
import { notEnoughBars, toSignalResult } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type MacdConfig = StrategyConfig['signals']['macd'];

/** Bars needed for both rules: histogram at t - risingDays, and the MACD line over the whole divergence window. */
export function macdBarsNeeded(cfg: MacdConfig): number {
  return Math.max(
    cfg.slow + cfg.signal - 1 + cfg.risingDays,
    cfg.slow - 1 + cfg.divergenceRecent + cfg.divergencePrior,
  );
}

/** Differences below this (VIX points) are float noise, e.g. the constant MACD of a linear series. */
const NOISE = 1e-9;

/** Index of the lowest value in [from, to); ties go to the most recent bar. */
function lowestIndex(values: readonly number[], from: number, to: number): number {
  let best = from;
  for (let i = from; i < to; i++) if ((values[i] ?? NaN) <= (values[best] ?? NaN)) best = i;
  return best;
}

export function macdSignal(vixCloses: readonly number[], cfg: MacdConfig): SignalResult {
  const label = `VIX MACD(${cfg.fast},${cfg.slow},${cfg.signal})`;
  const needed = macdBarsNeeded(cfg);
  const n = vixCloses.length;
  if (n < needed) return toSignalResult('macd', label, cfg, notEnoughBars(needed, n));

  const { macd: line, histogram } = macd(vixCloses, cfg.fast, cfg.slow, cfg.signal);
  const h = (i: number): number => histogram[i] ?? NaN;
  const t = n - 1;
  let rising = true;
  for (let d = 0; d < cfg.risingDays; d++) if (!(h(t - d) > h(t - d - 1) + NOISE)) rising = false;

  // Divergence: last `divergenceRecent` sessions vs the `divergencePrior` sessions before them.
  const recentFrom = n - cfg.divergenceRecent;
  const priorFrom = recentFrom - cfg.divergencePrior;
  const recentLow = lowestIndex(vixCloses, recentFrom, n);
  const priorLow = lowestIndex(vixCloses, priorFrom, recentFrom);
  const vixRecent = vixCloses[recentLow] ?? NaN;
  const vixPrior = vixCloses[priorLow] ?? NaN;
  const macdRecent = line[recentLow] ?? NaN;
  const macdPrior = line[priorLow] ?? NaN;
  const divergence = vixRecent < vixPrior && macdRecent > macdPrior + NOISE;

  return toSignalResult('macd', label, cfg, {
    available: true,
    value: h(t),
    triggered: rising || divergence,
    reading: {
      id: 'macd',
      histogram: h(t),
      histogramBefore: h(t - cfg.risingDays),
      risingDays: cfg.risingDays,
      rising,
      vixRecentLow: vixRecent,
      vixPriorLow: vixPrior,
      macdAtRecentLow: macdRecent,
      macdAtPriorLow: macdPrior,
      divergence,
    },
  });
}
