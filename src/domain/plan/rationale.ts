// The plan's reasons as data: each decision of a cycle is one entry, a kind and its numbers. The
// CLI words them (src/cli/render/rationale-text.ts); a journal can store them as they are.
import type { CondorEntry, CondorProblem } from '../condor.ts';
import type { EventDay } from '../events.ts';
import type { IsoDate } from '../instruments.ts';
import type { MarketHours } from '../market-hours.ts';
import type { QuoteProblem } from '../quote-problems.ts';
import type { SignalResult } from '../signals/signal.ts';
import type { TrendGate } from '../signals/trend-gate.ts';
import type { LayerProblem, LayerSpec } from '../hedge/layer-market.ts';
import type { QuantityAttempt, QuantityBinding, QuantityCap, UnavailableReason } from '../hedge/sizing.ts';
import type { StressScenario } from '../hedge/stress.ts';
import type { OpenCondorRisk } from '../hedge/open-condors.ts';
import type { StrategyConfig } from '../strategy.ts';
import type { NoTradeReason, OrderKind } from './types.ts';
import type { ResolvedCap, UnresolvedCaps } from './risk-caps.ts';

/** A held (or new) layer as the rationale names it. */
export interface LayerRef {
  readonly layerId: string;
  readonly templateId: string;
  readonly spec: LayerSpec;
  readonly quantity: number;
  /** Calendar days to expiry at the cycle. */
  readonly dte: number;
}

export interface LayerValuation {
  readonly markPriceCents: number;
  readonly stressPnlPerContractCents: number;
  readonly carryPerContractCents: number;
  readonly counts: boolean;
}

/** What a scheduled roll does with a layer below minHedgeDte. */
export type RollAction =
  | { readonly kind: 'sell'; readonly quantity: number; readonly midCents: number }
  /** Past its expiry (AM settlement): nothing to send, it settles. */
  | { readonly kind: 'expired' }
  | { readonly kind: 'unpriced'; readonly problem: LayerProblem }
  /** Nobody bids for it: not offered, it stops counting and is left to settle at its expiry. */
  | { readonly kind: 'not-offered'; readonly problems: readonly QuoteProblem[] }
  /** Its quotes forbid a sale this cycle (crossed, stale): tried again at the next cycle point. */
  | { readonly kind: 'deferred'; readonly problems: readonly QuoteProblem[] };

export type RationaleEntry =
  | {
      readonly kind: 'cycle';
      readonly cycleDate: IsoDate;
      readonly asOf: string;
      /** The 1DTE expiry: the next NYSE session. */
      readonly expiry: IsoDate;
      /** Trading time to the expiry's PM settlement, years. */
      readonly horizonYears: number;
      readonly spot: number;
      readonly vixSpot: number;
    }
  | { readonly kind: 'market-hours'; readonly hours: MarketHours }
  | {
      readonly kind: 'stress';
      /** null: the SPXW chain gave no ATM vol, so there is no stress scenario. */
      readonly scenario: StressScenario | null;
      readonly vixBeta: number;
      readonly termBeta: StrategyConfig['sizing']['termBeta'];
    }
  | { readonly kind: 'book-empty' }
  | {
      readonly kind: 'held-layer';
      readonly layer: LayerRef;
      /** null when the layer cannot be priced from the snapshot (see problem). */
      readonly valuation: LayerValuation | null;
      readonly problem: LayerProblem | null;
    }
  /** A condor of an earlier cycle not yet settled: its stress loss over the time left joins the requirement. */
  | { readonly kind: 'open-condor'; readonly risk: OpenCondorRisk }
  | {
      readonly kind: 'roll';
      readonly layer: LayerRef;
      readonly minHedgeDte: number;
      readonly action: RollAction;
    }
  | { readonly kind: 'signal'; readonly signal: SignalResult }
  | {
      readonly kind: 'regime';
      /** Factors of the signals that fired. */
      readonly factors: readonly number[];
      readonly multiplier: number;
      readonly baseCoverage: number;
      readonly coverageMin: number;
      readonly coverageMax: number;
      readonly coverageTarget: number;
    }
  | { readonly kind: 'event-calendar'; readonly eventDay: EventDay }
  | CondorEntry
  | {
      readonly kind: 'condor-ladder';
      readonly pricesCents: readonly number[];
      readonly midCents: number;
      readonly naturalCents: number;
      readonly minCreditCents: number;
      readonly lastStepCents: number;
    }
  | {
      readonly kind: 'condor-stress-loss';
      readonly stressSpx: number;
      /** The credit counted: the ladder's last step. */
      readonly creditCents: number;
      readonly maxLossCents: number;
      readonly stressLossCents: number;
    }
  | {
      readonly kind: 'template-offer';
      readonly templateId: string;
      readonly share: number;
      readonly spec: LayerSpec;
      readonly dte: number;
      readonly targetDte: number;
      readonly window: readonly [number, number];
      readonly future: number;
      readonly levels: readonly number[];
      readonly midCents: number;
      /** The most the order may pay: its ladder's last step. */
      readonly lastStepCents: number;
      readonly stressPnlPerContractCents: number;
      readonly carryPerContractCents: number;
      readonly premiumPerContractCents: number;
    }
  | {
      readonly kind: 'template-unavailable';
      readonly templateId: string;
      readonly templateKind: 'call' | 'callSpread';
      readonly share: number;
      readonly reason: UnavailableReason;
      readonly problem: LayerProblem;
    }
  /** The money caps as resolved this cycle (only when one is a share of net liquidation). */
  | { readonly kind: 'risk-caps'; readonly caps: readonly ResolvedCap[] }
  | { readonly kind: 'risk-caps-unresolved'; readonly unresolved: UnresolvedCaps }
  | { readonly kind: 'quantity-cap'; readonly cap: QuantityCap }
  | {
      readonly kind: 'trend-gate';
      readonly gate: TrendGate;
      /** The quantity cap before and after the gate; null when no condor reached the gate. */
      readonly capBefore: number | null;
      readonly capAfter: number | null;
    }
  | {
      readonly kind: 'quantity-attempt';
      readonly attempt: QuantityAttempt;
      readonly coverageTarget: number;
      readonly stressLossPerContractCents: number;
      readonly existingStressPnlCents: number;
      /** Open condors' stress loss inside the attempt's requirement. */
      readonly openCondorsStressLossCents: number;
      readonly hedgeBudgetPct: number;
      readonly maxHedgePremiumPerCycleCents: number;
    }
  | { readonly kind: 'quantity-chosen'; readonly q: number; readonly binding: QuantityBinding }
  | { readonly kind: 'trim-disabled' }
  | {
      readonly kind: 'trim-check';
      readonly bookStressPnlCents: number;
      readonly trimAbove: number;
      readonly requirementAtCapCents: number;
      readonly thresholdCents: number;
      /** The stress P&L the trim sells down toward; null when no trim is due. */
      readonly targetCents: number | null;
    }
  | { readonly kind: 'trim-blocked'; readonly layerId: string; readonly problems: readonly QuoteProblem[] }
  | {
      readonly kind: 'trim-sell';
      readonly layerId: string;
      readonly quantity: number;
      readonly heldQuantity: number;
      readonly stressReleasedCents: number;
    }
  | { readonly kind: 'trim-none'; readonly why: 'would-go-below-target' | 'nothing-sellable' }
  | {
      readonly kind: 'summary';
      readonly outcome: 'trade' | NoTradeReason;
      readonly condorQuantity: number;
      readonly hedgeOrders: readonly {
        readonly kind: OrderKind;
        readonly ref: string;
        readonly quantity: number;
      }[];
    };

/** Why there is no condor this cycle, with its numbers. */
export type NoTradeDetail =
  | { readonly kind: 'market-closed'; readonly hours: MarketHours }
  | { readonly kind: 'event-skip'; readonly eventDay: EventDay }
  | { readonly kind: 'chain-expiry'; readonly chainExpiry: IsoDate; readonly expiry: IsoDate }
  | { readonly kind: 'no-time-left'; readonly expiry: IsoDate }
  | { readonly kind: 'no-stress-scenario'; readonly expiry: IsoDate }
  | { readonly kind: 'condor'; readonly problem: CondorProblem }
  | { readonly kind: 'risk-cap'; readonly cap: QuantityCap }
  | { readonly kind: 'no-net-liquidation'; readonly unresolved: UnresolvedCaps }
  | { readonly kind: 'trend-gate'; readonly gate: TrendGate; readonly ungatedCap: number }
  /** Not even q = 1 fits the budget and cash guard, or a needed template has no instrument. */
  | { readonly kind: 'no-quantity'; readonly attempt: QuantityAttempt };
