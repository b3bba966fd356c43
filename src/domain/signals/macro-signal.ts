// Macro overlay: a user-set flag in the strategy file; when enabled it fires with the user's factor.
import type { StrategyConfig } from '../strategy.ts';
import { toSignalResult } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type MacroConfig = StrategyConfig['signals']['macro'];

/** value = the configured factor. */
export function macroSignal(cfg: MacroConfig): SignalResult {
  const note = cfg.note.trim() === '' ? '(no note)' : cfg.note.trim();
  return toSignalResult('macro', 'Macro overlay', cfg, {
    value: cfg.factor,
    available: true,
    triggered: true,
    detail: `user flag x${cfg.factor}: ${note}`,
  });
}
