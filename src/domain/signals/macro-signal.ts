// Macro overlay: a user-set flag in the strategy file; when enabled it fires with the user's factor.
import type { StrategyConfig } from '../strategy.ts';
import { toSignalResult } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type MacroConfig = StrategyConfig['signals']['macro'];

/** value = the configured factor. */
export function macroSignal(cfg: MacroConfig): SignalResult {
  return toSignalResult('macro', 'Macro overlay', cfg, {
    available: true,
    value: cfg.factor,
    triggered: true,
    reading: { id: 'macro', factor: cfg.factor, note: cfg.note.trim() },
  });
}
