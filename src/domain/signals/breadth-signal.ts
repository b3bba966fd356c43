// NYSE breadth divergence: the A/D line falls over the lookback while SPX rises.
import type { DailyBar } from '../snapshot.ts';
import type { StrategyConfig } from '../strategy.ts';
import { notEnoughBars, toSignalResult, unavailable } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type BreadthConfig = StrategyConfig['signals']['breadth'];

const LABEL = 'NYSE breadth';

/** value = the A/D line's change over the lookback (adLine[t] - adLine[t - lookback]). */
export function breadthSignal(history: readonly DailyBar[], cfg: BreadthConfig): SignalResult {
  const needed = cfg.lookbackDays + 1;
  if (history.length < needed)
    return toSignalResult('breadth', LABEL, cfg, notEnoughBars(needed, history.length));
  const window = history.slice(-needed);
  const first = window[0];
  const last = window.at(-1);
  if (first === undefined || last === undefined || window.some((b) => b.adLine === null))
    return toSignalResult('breadth', LABEL, cfg, unavailable({ kind: 'no-ad-data' }));
  const adChange = (last.adLine ?? NaN) - (first.adLine ?? NaN);
  const spxChangePct = (last.spxClose / first.spxClose - 1) * 100;
  return toSignalResult('breadth', LABEL, cfg, {
    available: true,
    value: adChange,
    triggered: adChange < 0 && last.spxClose > first.spxClose,
    reading: { id: 'breadth', adChange, spxChangePct, lookbackDays: cfg.lookbackDays },
  });
}
