// What every regime signal reports: its value, whether it fired, and the factor it applies.

export type SignalId = 'rsi' | 'macd' | 'coiling' | 'termStructure' | 'breadth' | 'event' | 'macro';

export interface SignalResult {
  readonly id: SignalId;
  /** Short label for tables ("VIX RSI(14)"). */
  readonly label: string;
  /** The headline number (RSI value, histogram, bandwidth percentile, ratio ...); null if unavailable. */
  readonly value: number | null;
  /** False when the inputs are missing (e.g. no A/D data); an unavailable signal never fires. */
  readonly available: boolean;
  readonly fired: boolean;
  /** The factor this signal contributes to the regime multiplier: its configured factor if fired, else 1. */
  readonly factor: number;
  /** One line: the rule and the numbers that decided it. */
  readonly detail: string;
}

export function regimeMultiplier(results: readonly SignalResult[]): number {
  return results.reduce((m, r) => m * (r.fired ? r.factor : 1), 1);
}
