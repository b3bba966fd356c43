// What every regime signal reports: its reading as data, whether it fired, and the factor it applies.
import type { EventKind } from '../snapshot.ts';
import type { EventPolicy } from '../strategy.ts';
import type { IsoDate } from '../instruments.ts';

export type SignalId = 'rsi' | 'macd' | 'coiling' | 'termStructure' | 'breadth' | 'event' | 'macro';

/** The numbers each signal's rule looked at (the CLI words them). */
export type SignalReading =
  | { readonly id: 'rsi'; readonly rsi: number; readonly below: number }
  | {
      readonly id: 'macd';
      readonly histogram: number;
      /** The histogram `risingDays` sessions ago. */
      readonly histogramBefore: number;
      readonly risingDays: number;
      readonly rising: boolean;
      /** Lowest VIX close of the recent window and of the window before it. */
      readonly vixRecentLow: number;
      readonly vixPriorLow: number;
      /** The MACD line on those two days. */
      readonly macdAtRecentLow: number;
      readonly macdAtPriorLow: number;
      readonly divergence: boolean;
    }
  | {
      readonly id: 'coiling';
      readonly bandwidth: number;
      /** How many of the window's bandwidths (today's included) are at or below today's. */
      readonly atOrBelow: number;
      readonly window: number;
      /** atOrBelow / window: fires when at or below `percentile`. */
      readonly rank: number;
      readonly percentile: number;
    }
  | {
      readonly id: 'termStructure';
      readonly vix9dOverVix: number | null;
      readonly vixOverVix3m: number | null;
      readonly vix9dOverVixAbove: number;
      readonly vixOverVix3mAbove: number;
    }
  | {
      readonly id: 'breadth';
      readonly adChange: number;
      readonly spxChangePct: number;
      readonly lookbackDays: number;
    }
  | {
      readonly id: 'event';
      readonly kinds: readonly EventKind[];
      readonly policy: EventPolicy;
      /** Last date the event calendar covers, or null when it holds no event at all. */
      readonly coveredThrough: IsoDate | null;
      /** True when the expiry lies beyond the calendar: the day is treated by the uncovered policy. */
      readonly uncovered: boolean;
      readonly treatedAsEvent: boolean;
    }
  | { readonly id: 'macro'; readonly factor: number; readonly note: string };

export type SignalUnavailable =
  | { readonly kind: 'not-enough-bars'; readonly needed: number; readonly have: number }
  | { readonly kind: 'no-ad-data' }
  | { readonly kind: 'no-term-quotes' }
  | { readonly kind: 'non-finite' };

export interface SignalResult {
  readonly id: SignalId;
  /** Short label for tables ("VIX RSI(14)"). */
  readonly label: string;
  readonly enabled: boolean;
  /** The headline number (RSI value, histogram, bandwidth rank, ratio ...); null if unavailable. */
  readonly value: number | null;
  /** False when the inputs are missing (e.g. no A/D data); an unavailable signal never fires. */
  readonly available: boolean;
  /** Whether the rule holds on the data, before the enabled flag applies. */
  readonly triggered: boolean;
  readonly fired: boolean;
  /** The factor this signal contributes to the regime multiplier: its configured factor if fired, else 1. */
  readonly factor: number;
  /** The rule's numbers, or null when unavailable. */
  readonly reading: SignalReading | null;
  readonly unavailable: SignalUnavailable | null;
}

export function regimeMultiplier(results: readonly SignalResult[]): number {
  return results.reduce((m, r) => m * (r.fired ? r.factor : 1), 1);
}
