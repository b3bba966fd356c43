// VIX RSI(14), Wilder: fires below the threshold (complacency before VIX mean-reverts up).
import type { StrategyConfig } from '../strategy.ts';
import { rsiWilder } from './indicators.ts';
import { notEnoughBars, toSignalResult } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type RsiConfig = StrategyConfig['signals']['rsi'];

/** Bars needed: two periods, so the Wilder seed has been smoothed over at least one more period. */
export function rsiBarsNeeded(cfg: RsiConfig): number {
  return 2 * cfg.period;
}

/** `vixCloses` oldest first; the last close is the latest (history only, not the snapshot's spot). */
export function rsiSignal(vixCloses: readonly number[], cfg: RsiConfig): SignalResult {
  const label = `VIX RSI(${cfg.period})`;
  const needed = rsiBarsNeeded(cfg);
  if (vixCloses.length < needed)
    return toSignalResult('rsi', label, cfg, notEnoughBars(needed, vixCloses.length));
  const rsi = rsiWilder(vixCloses, cfg.period).at(-1) ?? NaN;
  return toSignalResult('rsi', label, cfg, {
    available: true,
    value: rsi,
    triggered: rsi < cfg.below,
    reading: { id: 'rsi', rsi, below: cfg.below },
  });
}
