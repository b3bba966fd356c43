// The Plan: the one artifact preview renders and the executor runs. Plain data, JSON-stable.
import type { Cents, PriceCents } from '../money.ts';
import type { Action, IsoDate, OptionContract, TickVenue } from '../instruments.ts';
import type { SignalResult } from '../signals/signal.ts';
import type { HeldLayer } from '../snapshot.ts';
import type { Mode } from '../mode.ts';

/** The mode of the session that built the plan (src/domain/mode.ts). */
export type PlanMode = Mode;

export type OrderKind = 'hedge-open' | 'hedge-roll-close' | 'hedge-trim' | 'condor-open';

export interface PlanLeg {
  readonly contract: OptionContract;
  /** The leg's own action as IB's combo leg states it (condor: SELL shorts, BUY wings). */
  readonly action: Action;
  readonly ratio: number;
}

/**
 * A limit ladder in positive magnitudes (price cents): what the executor needs to recompute each
 * step from a fresh quote with ladderStepPrice (src/domain/plan/ladder.ts). `prices` are the steps
 * at the snapshot's quote: step 0 the mid on tick, then evenly toward the natural price, never past
 * it nor past `floor`. For a debit the prices rise (we pay more), for a credit they fall.
 */
export interface LimitLadder {
  readonly side: 'debit' | 'credit';
  /** Whose tick rules every price follows. */
  readonly venue: TickVenue;
  /** Number of steps; `prices` has one per step. */
  readonly steps: number;
  readonly prices: readonly PriceCents[];
  /**
   * The worst price any step may take, whatever the quote does: the strategy's floor (minimum
   * credit / maximum debit) tightened to the planned last step, at which the caps were sized.
   */
  readonly floor: PriceCents;
  readonly intervalSeconds: number;
  /** ISO timestamp after which the unfilled rest is cancelled. */
  readonly deadline: string;
}

export interface PlanOrder {
  /** Unique inside the plan, stable: "hedge:A:open", "roll:L-...:close", "condor". */
  readonly key: string;
  readonly kind: OrderKind;
  /** Order action on the (combo) contract as sent to IB. */
  readonly action: Action;
  /** A single leg is sent as that option; more legs as one BAG. */
  readonly legs: readonly PlanLeg[];
  readonly quantity: number;
  readonly ladder: LimitLadder;
  /** IB's signed lmtPrice for each ladder step, in price cents (credit condor: BUY BAG at -credit). */
  readonly ibLimitPriceCents: readonly number[];
  /** Hedge orders: stress P&L per contract (positive for opening hedges). 0 for the condor. */
  readonly stressPnlPerContract: Cents;
  /** Template of a hedge layer, or null. */
  readonly templateId: string | null;
  /** Layer affected by a roll or trim, or null. */
  readonly layerId: string | null;
  readonly midPrice: PriceCents;
  readonly naturalPrice: PriceCents;
  readonly note: string;
}

export interface CondorSelection {
  readonly expiry: IsoDate;
  readonly shortPut: number;
  readonly longPut: number;
  readonly shortCall: number;
  readonly longCall: number;
  readonly widthPoints: number;
  /** Mid credit per unit (combo mid from leg bid/ask), on tick. */
  readonly credit: PriceCents;
  /** Natural credit (sell at bids, buy at asks). */
  readonly naturalCredit: PriceCents;
  readonly maxLossPerContract: Cents;
  readonly breakEvenLow: number;
  readonly breakEvenHigh: number;
  readonly shortPutDelta: number;
  readonly shortCallDelta: number;
  readonly expectedMovePoints: number;
  readonly atmIv: number;
  readonly timeToExpiryYears: number;
  /** SPX spot the selection was made at (lets checkPlan verify the EM distance). */
  readonly spot?: number;
}

/** A hedge layer in the projected book after this plan fills completely. */
export interface BookLayer extends HeldLayer {
  /** Stress P&L per contract under this cycle's scenario. */
  readonly stressPnlPerContract: Cents;
  readonly markPrice: PriceCents;
  readonly carryPerContract: Cents;
  /** Days to expiry at the cycle. */
  readonly dte: number;
  /** Counts as coverage only while dte >= minHedgeDte. */
  readonly counts: boolean;
}

export interface BudgetArithmetic {
  readonly condorQuantity: number;
  readonly creditTotal: Cents;
  readonly carryBudget: Cents;
  readonly newCarry: Cents;
  readonly premiumCap: Cents;
  readonly newPremium: Cents;
  /** Why q stopped where it did ("budget", "cash guard", "maxCondors", "maxRiskPerCycle", ...). */
  readonly binding: string;
}

export interface CoverageArithmetic {
  readonly baseCoverage: number;
  readonly regimeMultiplier: number;
  /** c after the clamp. */
  readonly coverageTarget: number;
  readonly condorStressLossPerContract: Cents;
  readonly stressSpx: number;
  readonly stressVixSpot: number;
  /** Requirement at the chosen quantity: c x stress loss x q. */
  readonly requiredStressPnl: Cents;
  readonly existingStressPnl: Cents;
  readonly newStressPnl: Cents;
  /** (existing + new) / (stress loss x q), or null without a condor. */
  readonly coverageRatio: number | null;
}

export type NoTradeReason =
  | 'event-skip'
  | 'no-expiry'
  | 'bad-quotes'
  | 'no-strikes'
  | 'thin-credit'
  | 'budget'
  | 'risk-cap'
  | 'no-hedge-instrument';

export type PlanOutcome =
  | { readonly kind: 'trade' }
  | { readonly kind: 'no-trade'; readonly reason: NoTradeReason; readonly detail: string };

export interface ScenarioRow {
  readonly spxMovePct: number;
  readonly spxAtExpiry: number;
  readonly vixSpot: number;
  readonly condorPnl: Cents;
  readonly hedgePnl: Cents;
  readonly netPnl: Cents;
}

export interface Plan {
  readonly planId: string;
  readonly cycleDate: IsoDate;
  readonly asOf: string;
  readonly mode: PlanMode;
  readonly strategy: { readonly name: string; readonly version: number };
  readonly outcome: PlanOutcome;
  /** Hedge orders first (rolls/trims, then new layers), then the condor. */
  readonly orders: readonly PlanOrder[];
  readonly condor: CondorSelection | null;
  readonly condorQuantity: number;
  readonly hedgeBookBefore: readonly BookLayer[];
  readonly hedgeBookAfter: readonly BookLayer[];
  readonly coverage: CoverageArithmetic;
  readonly budget: BudgetArithmetic | null;
  readonly signals: readonly SignalResult[];
  readonly event: { readonly kinds: readonly string[]; readonly policy: string } | null;
  readonly scenarios: readonly ScenarioRow[];
  /** The same model on a finer grid (SPX -6%..+6% step 0.25%) for the payoff chart. */
  readonly payoff?: readonly ScenarioRow[];
  /** Human-readable decisions in order. */
  readonly rationale: readonly string[];
}
