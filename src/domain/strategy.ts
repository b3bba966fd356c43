// The strategy file's content as the domain uses it. Every number of docs/strategy.md lives here as
// a field; the zod schema (src/config/strategy-schema.ts) parses JSON into this shape with
// money already in cents.
import type { Cents, PriceCents } from './money.ts';

/**
 * A money cap of the strategy file: a fixed amount, or a share of the account's net liquidation
 * resolved against the snapshot's account at plan time (docs/strategy.md section 3, risk caps).
 */
export type MoneyCap = Cents | { readonly pctOfNetLiq: number };

export type EventPolicy = 'skip' | 'normal' | 'upsize-hedge';

/** A day beyond the event calendar's last date: treated as an event day, or as a day without one. */
export type CalendarGapPolicy = 'treat-as-event' | 'treat-as-no-event';

export type WingWidthRule =
  | {
      readonly mode: 'pctOfSpot';
      readonly pct: number;
      readonly roundToPoints: number;
      readonly minPoints: number;
    }
  | { readonly mode: 'points'; readonly points: number };

export interface CallTemplate {
  readonly id: string;
  readonly kind: 'call';
  /** Strike = future + otmPoints (nearest listed at or above). */
  readonly otmPoints: number;
  readonly share: number;
  readonly dteWindow: readonly [number, number];
  readonly targetDte: number;
}

export interface CallSpreadTemplate {
  readonly id: string;
  readonly kind: 'callSpread';
  readonly longOtmPoints: number;
  readonly shortOtmPoints: number;
  readonly share: number;
  readonly dteWindow: readonly [number, number];
  readonly targetDte: number;
}

export type LayerTemplate = CallTemplate | CallSpreadTemplate;

export interface SignalToggle {
  readonly enabled: boolean;
  readonly factor: number;
}

export interface LadderRule {
  /** Number of price steps from mid to the floor (inclusive of both). */
  readonly steps: number;
  readonly intervalSeconds: number;
  /** Minutes after the cycle's entry time at which the unfilled rest is cancelled. */
  readonly deadlineMinutes: number;
}

export interface StrategyConfig {
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly entry: {
    /** New York local time "HH:MM" on the day before expiry. */
    readonly time: string;
    /** On an early-close day, entry moves to this many minutes before the close. */
    readonly earlyCloseMinutesBefore: number;
  };
  readonly condor: {
    readonly targetDelta: number;
    readonly minEmMultiple: number;
    readonly wingWidth: WingWidthRule;
    readonly maxLegSpread: PriceCents;
    readonly maxQuoteAgeSeconds: number;
    readonly minCreditPctOfWidth: number;
    readonly maxRiskPerCycle: MoneyCap;
    readonly maxCondors: number;
    readonly eventPolicy: EventPolicy;
  };
  readonly hedge: {
    readonly templates: readonly LayerTemplate[];
    readonly minHedgeDte: number;
    readonly tradingClasses: readonly ('VIX' | 'VIXW')[];
    /** Widest acceptable bid/ask of a hedge leg. */
    readonly maxLegSpread: PriceCents;
  };
  readonly sizing: {
    readonly stressSigmas: number;
    /** Spot VIX points per 1% SPX fall. */
    readonly vixBeta: number;
    /** termBeta(dte) = min(cap, coefficient * sqrt(refDte / dte)). */
    readonly termBeta: { readonly coefficient: number; readonly refDte: number; readonly cap: number };
    /** VIX option IV shock in vol points as a decimal (0.20 = +20 vol points). */
    readonly volOfVolShock: number;
    readonly baseCoverage: number;
    readonly coverageMin: number;
    readonly coverageMax: number;
    readonly hedgeBudgetPct: number;
    readonly maxHedgePremiumPerCycle: MoneyCap;
    readonly trim: { readonly enabled: boolean; readonly trimAbove: number; readonly trimTo: number };
    /** Sessions in the trend gate's SPX average (0 = gate off). */
    readonly trendGateSma: number;
    /** Below the average the condor's quantity cap is multiplied by this (0 = no condor). */
    readonly trendGateQtyFactor: number;
  };
  readonly signals: {
    readonly rsi: SignalToggle & { readonly period: number; readonly below: number };
    readonly macd: SignalToggle & {
      readonly fast: number;
      readonly slow: number;
      readonly signal: number;
      readonly risingDays: number;
      /** Divergence: recent window (5) vs the window before it (15). */
      readonly divergenceRecent: number;
      readonly divergencePrior: number;
    };
    readonly coiling: SignalToggle & {
      readonly period: number;
      readonly stdDevs: number;
      readonly percentileWindow: number;
      readonly percentile: number;
    };
    readonly termStructure: SignalToggle & {
      readonly vix9dOverVixAbove: number;
      readonly vixOverVix3mAbove: number;
    };
    readonly breadth: SignalToggle & { readonly lookbackDays: number };
    readonly event: SignalToggle & { readonly calendarGapPolicy: CalendarGapPolicy };
    readonly macro: SignalToggle & { readonly note: string };
  };
  /** Estimated commission and fees per option contract (each leg), for the preview. */
  readonly commissions: {
    readonly spxOptionPerContract: Cents;
    readonly vixOptionPerContract: Cents;
  };
  readonly execution: {
    readonly hedgeLadder: LadderRule;
    readonly condorLadder: LadderRule;
    /** Hedge: the most we pay above mid, as a share of the bid/ask spread (1 = natural). */
    readonly hedgeMaxDebitSpreadShare: number;
  };
}
