// The Plan: the one artifact preview renders and the executor runs. Plain data, JSON-stable.
import type { Cents, PriceCents } from '../money.ts';
import type { Action, IsoDate, OptionContract, TickVenue } from '../instruments.ts';
import type { SignalResult } from '../signals/signal.ts';
import type { TrendGate } from '../signals/trend-gate.ts';
import type { EventKind, HeldLayer } from '../snapshot.ts';
import type { EventPolicy } from '../strategy.ts';
import type { MarketHours } from '../market-hours.ts';
import type { QuantityBinding } from '../hedge/sizing.ts';
import type { Mode } from '../mode.ts';
import type { NoTradeDetail, RationaleEntry } from './rationale.ts';
import type { CommissionEstimate, CondorNet } from './commissions.ts';
import type { BookGreeks } from './greeks.ts';
import type { SensitivityCase } from './sensitivity.ts';
import type { RiskCaps } from './risk-caps.ts';
import type { OpenCondorRisk } from '../hedge/open-condors.ts';

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
  /** Step 0 of the ladder: the mid on tick. */
  readonly midPrice: PriceCents;
  /** The natural price at the snapshot's quote (credit: what the bids pay; debit: what the asks cost). */
  readonly naturalPrice: PriceCents;
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
  readonly spot: number;
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
  /** Why q stopped where it did: a cap (maxCondors, maxRiskPerCycle, the trend gate), or the budget or cash guard. */
  readonly binding: QuantityBinding;
}

export interface CoverageArithmetic {
  readonly baseCoverage: number;
  readonly regimeMultiplier: number;
  /** c after the clamp. */
  readonly coverageTarget: number;
  readonly condorStressLossPerContract: Cents;
  readonly stressSpx: number;
  readonly stressVixSpot: number;
  /** Requirement at the chosen quantity: c x stress loss x q, plus the open condors' stress loss. */
  readonly requiredStressPnl: Cents;
  /**
   * Stress loss of earlier cycles' condors not yet settled, part of the requirement (docs/strategy.md
   * section 3). Absent only in plans journaled before it existed.
   */
  readonly openCondorsStressLoss?: Cents | undefined;
  readonly existingStressPnl: Cents;
  readonly newStressPnl: Cents;
  /** (existing + new - open condors' stress loss) / (stress loss x q), or null without a condor. */
  readonly coverageRatio: number | null;
}

export type NoTradeReason =
  | 'market-closed'
  | 'trend-gate'
  | 'event-skip'
  | 'no-expiry'
  | 'bad-quotes'
  | 'no-strikes'
  | 'thin-credit'
  | 'budget'
  | 'risk-cap'
  /** A cap is a share of net liquidation and the snapshot has no (positive) net liquidation. */
  | 'no-net-liquidation'
  | 'no-hedge-instrument';

export type PlanOutcome =
  | { readonly kind: 'trade' }
  | { readonly kind: 'no-trade'; readonly reason: NoTradeReason; readonly detail: NoTradeDetail };

export interface ScenarioRow {
  /** A whole-percent move, or a level that matters: the break-evens (after commissions), the stress. */
  readonly label: 'move' | 'break-even-low' | 'break-even-high' | 'stress';
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
  /**
   * The money caps in cents this cycle and where each came from; null when a share cap had no net
   * liquidation. Absent only in plans journaled before it existed.
   */
  readonly riskCaps?: RiskCaps | null | undefined;
  readonly outcome: PlanOutcome;
  /** Hedge orders first (rolls/trims, then new layers), then the condor. */
  readonly orders: readonly PlanOrder[];
  readonly condor: CondorSelection | null;
  readonly condorQuantity: number;
  /**
   * Condors of earlier cycles not yet settled, valued at this cycle (the previous cycle's condor
   * settles minutes after the entry). Absent only in plans journaled before it existed.
   */
  readonly openCondors?: readonly OpenCondorRisk[] | undefined;
  readonly hedgeBookBefore: readonly BookLayer[];
  readonly hedgeBookAfter: readonly BookLayer[];
  readonly coverage: CoverageArithmetic;
  readonly budget: BudgetArithmetic | null;
  readonly signals: readonly SignalResult[];
  /** The expiry day's events; null on a day without one (and covered by the event calendar). */
  readonly event: {
    readonly kinds: readonly EventKind[];
    readonly policy: EventPolicy;
    /** The expiry lies beyond the event calendar (treated by the strategy's calendarGapPolicy). */
    readonly uncovered: boolean;
    readonly coveredThrough: IsoDate | null;
  } | null;
  /** Whether the cycle's orders would be worked inside the regular session. */
  readonly marketHours: MarketHours;
  /** SPX against its average: shut caps the condor (docs/strategy.md section 3). */
  readonly trendGate: TrendGate;
  /** Estimated commissions and fees of every order, from the strategy's per-contract schedule. */
  readonly commissions: CommissionEstimate;
  /** The condor's credit, max loss and break-evens after its commissions; null without a condor. */
  readonly condorNet: CondorNet | null;
  /** The book's Greeks in dollars before and after the plan (model, trading time). */
  readonly greeks: { readonly before: BookGreeks; readonly after: BookGreeks };
  /**
   * Information only: the whole book's carry (one session's modelled decay) against this cycle's
   * credit. The budget charges new purchases; this shows what the book costs per day.
   */
  readonly bookCarry: {
    readonly carryPerSessionCents: Cents;
    /** This cycle's condor credit x quantity at the mid; 0 without a condor. */
    readonly creditCents: Cents;
  };
  /** Hedge stress P&L and coverage under weaker assumptions; empty without a stress scenario. */
  readonly sensitivity: readonly SensitivityCase[];
  /** SPX -6%..+6% at expiry, plus rows at the break-evens and the stress level when a condor trades. */
  readonly scenarios: readonly ScenarioRow[];
  /** The same model on a finer grid (SPX -6%..+6% step 0.25%) for the payoff chart. */
  readonly payoff: readonly ScenarioRow[];
  /** Every decision in order, as data. */
  readonly rationale: readonly RationaleEntry[];
}
