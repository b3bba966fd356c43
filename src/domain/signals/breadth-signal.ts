// NYSE breadth divergence: the A/D line falls over the lookback while SPX rises.
import type { DailyBar } from '../snapshot.ts';
import type { StrategyConfig } from '../strategy.ts';
import { fmt, notEnoughBars, toSignalResult, unavailable } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type BreadthConfig = StrategyConfig['signals']['breadth'];

const LABEL = 'NYSE breadth';

/** value = the A/D line's change over the lookback (adLine[t] - adLine[t - lookback]). */
export function breadthSignal(history: readonly DailyBar[], cfg: BreadthConfig): SignalResult {
  const needed = cfg.lookbackDays + 1;
  if (history.length < needed) {
    return toSignalResult('breadth', LABEL, cfg, notEnoughBars(needed, history.length, LABEL));
  }
  const window = history.slice(-needed);
  const first = window[0];
  const last = window.at(-1);
  if (first === undefined || last === undefined || window.some((b) => b.adLine === null)) {
    return toSignalResult('breadth', LABEL, cfg, unavailable('no NYSE A/D data for the lookback'));
  }
  const adChange = (last.adLine ?? NaN) - (first.adLine ?? NaN);
  const spxChangePct = (last.spxClose / first.spxClose - 1) * 100;
  const adDown = adChange < 0;
  const spxUp = last.spxClose > first.spxClose;
  return toSignalResult('breadth', LABEL, cfg, {
    value: adChange,
    available: true,
    triggered: adDown && spxUp,
    detail:
      `A/D ${adChange >= 0 ? '+' : ''}${fmt(adChange, 0)} and SPX ${spxChangePct >= 0 ? '+' : ''}` +
      `${fmt(spxChangePct, 2)}% over ${cfg.lookbackDays}d: ` +
      `${adDown && spxUp ? 'divergence (A/D down, SPX up)' : 'no divergence'}`,
  });
}
