// Maximum drawdown of an equity curve: the largest fall from a running peak to a later trough.
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';

export interface EquityPoint {
  readonly label: string;
  readonly equityCents: number;
}

export interface Drawdown {
  readonly maxDrawdownCents: Cents;
  /** Labels of the peak and the trough; null when the curve never falls. */
  readonly peak: string | null;
  readonly trough: string | null;
}

export function maxDrawdown(points: readonly EquityPoint[], start: EquityPoint | null = null): Drawdown {
  let peak = start;
  let best: Drawdown = { maxDrawdownCents: cents(0), peak: null, trough: null };
  for (const p of points) {
    if (peak === null || p.equityCents > peak.equityCents) {
      peak = p;
      continue;
    }
    const fall = peak.equityCents - p.equityCents;
    if (fall > best.maxDrawdownCents)
      best = { maxDrawdownCents: cents(fall), peak: peak.label, trough: p.label };
  }
  return best;
}
