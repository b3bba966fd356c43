// The trend gate (docs/strategy.md section 3): below its N-session simple average SPX is in a
// correction, where a one-day condor bleeds on both wings and the VIX hedge cannot help; the
// condor's quantity cap is then multiplied by trendGateQtyFactor (default 0: no condor).
import type { IsoDate } from '../instruments.ts';
import type { DailyBar } from '../snapshot.ts';

export type TrendGate =
  /** trendGateSma = 0 in the strategy file. */
  | { readonly status: 'off' }
  /** Too few official closes before the cycle date for the average: the gate does not shut. */
  | {
      readonly status: 'not-available';
      readonly sessions: number;
      readonly closesNeeded: number;
      readonly closesFound: number;
    }
  | {
      readonly status: 'open' | 'shut';
      readonly sessions: number;
      /** SPX at the cycle point. */
      readonly price: number;
      /** Simple average of the last sessions - 1 official closes and the price. */
      readonly average: number;
      /** (price / average - 1) x 100. */
      readonly gapPct: number;
      readonly qtyFactor: number;
    };

export interface TrendGateRule {
  /** Sessions in the average; 0 switches the gate off. */
  readonly sessions: number;
  readonly qtyFactor: number;
}

/**
 * Reads the gate from the history's official closes dated before the cycle date (a bar dated on the
 * cycle date is today's close so far, not an official close) and the price at the cycle point.
 */
export function trendGate(
  history: readonly DailyBar[],
  cycleDate: IsoDate,
  price: number,
  rule: TrendGateRule,
): TrendGate {
  if (rule.sessions <= 0) return { status: 'off' };
  const needed = rule.sessions - 1;
  const closes = history.filter((b) => b.date < cycleDate).map((b) => b.spxClose);
  if (closes.length < needed)
    return {
      status: 'not-available',
      sessions: rule.sessions,
      closesNeeded: needed,
      closesFound: closes.length,
    };
  const window = closes.slice(closes.length - needed);
  const sum = window.reduce((s, c) => s + c, 0);
  const average = (sum + price) / rule.sessions;
  // price < (sum + price) / n, without a division's rounding: exactly at the average stays open.
  const below = price * (rule.sessions - 1) < sum;
  return {
    status: below ? 'shut' : 'open',
    sessions: rule.sessions,
    price,
    average,
    gapPct: (price / average - 1) * 100,
    qtyFactor: rule.qtyFactor,
  };
}

/** The condor's quantity cap after the gate: floor(cap x factor) when shut, the cap otherwise. */
export function gatedCap(gate: TrendGate, cap: number): number {
  return gate.status === 'shut' ? Math.floor(cap * gate.qtyFactor + 1e-9) : cap;
}
