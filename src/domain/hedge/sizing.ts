// Sizing (docs/strategy.md §3): coverage target, shortfall split by template share, the largest condor
// quantity whose purchases fit the carry budget and the cash guard, and the over-coverage trim.
import type { Cents, PriceCents } from '../money.ts';
import { cents } from '../money.ts';
import { SPXW_MULTIPLIER } from '../instruments.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';
import type { LayerProblem } from './layer-market.ts';

/** c = clamp(base x multiplier, min, max). */
export function coverageTarget(base: number, multiplier: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, base * multiplier));
}

/** Required hedge stress P&L c x loss x q, rounded up to a cent. */
export function requirementCents(c: number, stressLossPerContract: Cents, q: number): Cents {
  return cents(Math.max(0, Math.ceil(c * stressLossPerContract * q - 1e-9)));
}

/** What set the quantity cap. */
export type CapBinding =
  | { readonly kind: 'maxCondors'; readonly maxCondors: number }
  | {
      readonly kind: 'maxRiskPerCycle';
      readonly maxRiskPerCycleCents: number;
      /** Max loss per contract at the condor ladder's last step. */
      readonly maxLossPerContractCents: number;
    }
  /** The trend gate shut: floor(ungated cap x factor). */
  | { readonly kind: 'trend-gate'; readonly ungatedCap: number; readonly qtyFactor: number };

export interface QuantityCap {
  readonly cap: number;
  readonly binding: CapBinding;
}

/** maxLossPerContract is the worst the order may fill at: the loss at the condor ladder's last step. */
export function quantityCap(
  maxCondors: number,
  maxRiskPerCycle: Cents,
  maxLossPerContract: Cents,
): QuantityCap {
  const byRisk = maxLossPerContract > 0 ? Math.floor(maxRiskPerCycle / maxLossPerContract) : maxCondors;
  if (byRisk < maxCondors) {
    return {
      cap: Math.max(0, byRisk),
      binding: {
        kind: 'maxRiskPerCycle',
        maxRiskPerCycleCents: maxRiskPerCycle,
        maxLossPerContractCents: maxLossPerContract,
      },
    };
  }
  return { cap: maxCondors, binding: { kind: 'maxCondors', maxCondors } };
}

export interface HedgeOffer {
  readonly templateId: string;
  /** Share of the shortfall, normalised so that the shares of all templates sum to 1. */
  readonly share: number;
  /** > 0. */
  readonly stressPnlPerContract: Cents;
  readonly carryPerContract: Cents;
  /** The most paid per contract: the ladder's max debit x multiplier. */
  readonly premiumPerContract: Cents;
}

export type UnavailableReason = 'no-hedge-instrument' | 'bad-quotes';

export type TemplateSupply =
  | { readonly kind: 'offer'; readonly offer: HedgeOffer }
  | {
      readonly kind: 'unavailable';
      readonly templateId: string;
      readonly share: number;
      readonly reason: UnavailableReason;
      readonly problem: LayerProblem;
    };

export interface Purchase {
  readonly templateId: string;
  readonly quantity: number;
  readonly stressPnl: Cents;
  readonly carry: Cents;
  readonly premium: Cents;
}

export interface SupplyFailure {
  readonly templateId: string;
  readonly reason: UnavailableReason;
  /** null: no template has a share at all. */
  readonly problem: LayerProblem | null;
}

function purchase(o: HedgeOffer, quantity: number): Purchase {
  return {
    templateId: o.templateId,
    quantity,
    stressPnl: cents(o.stressPnlPerContract * quantity),
    carry: cents(o.carryPerContract * quantity),
    premium: cents(o.premiumPerContract * quantity),
  };
}

/** Splits a shortfall by share, each part rounded up to whole contracts; their sum covers the shortfall. */
export function splitShortfall(
  shortfall: Cents,
  supplies: readonly TemplateSupply[],
): Result<Purchase[], SupplyFailure> {
  if (shortfall <= 0) return ok([]);
  const offers: HedgeOffer[] = [];
  for (const s of supplies) {
    if (s.kind === 'unavailable') {
      if (s.share > 0) return err({ templateId: s.templateId, reason: s.reason, problem: s.problem });
      continue;
    }
    if (s.offer.share <= 0) continue;
    if (s.offer.stressPnlPerContract <= 0) {
      return err({ templateId: s.offer.templateId, reason: 'no-hedge-instrument', problem: null });
    }
    offers.push(s.offer);
  }
  if (offers.length === 0) return err({ templateId: '-', reason: 'no-hedge-instrument', problem: null });
  const quantities = offers.map((o) => Math.ceil((o.share * shortfall) / o.stressPnlPerContract - 1e-9));
  const covered = (): number =>
    offers.reduce((s, o, i) => s + o.stressPnlPerContract * (quantities[i] ?? 0), 0);
  // Float shares can leave a cent uncovered: top up the largest share until the sum covers.
  const largest = offers.reduce((bi, o, i, arr) => (o.share > (arr[bi]?.share ?? 0) ? i : bi), 0);
  while (covered() < shortfall) quantities[largest] = (quantities[largest] ?? 0) + 1;
  return ok(offers.map((o, i) => purchase(o, quantities[i] ?? 0)).filter((p) => p.quantity > 0));
}

export interface QuantityInput {
  readonly cap: QuantityCap;
  readonly coverageTarget: number;
  readonly stressLossPerContract: Cents;
  /** Stress P&L of held layers that count (after rolls). */
  readonly existingStressPnl: Cents;
  /** Stress loss of condors of earlier cycles not yet settled, added to every q's requirement. */
  readonly openCondorsStressLoss: Cents;
  /** Condor mid credit per unit. */
  readonly credit: PriceCents;
  readonly hedgeBudgetPct: number;
  readonly maxHedgePremiumPerCycle: Cents;
  readonly supplies: readonly TemplateSupply[];
}

export type AttemptVerdict =
  | { readonly kind: 'fits' }
  | { readonly kind: 'over'; readonly overBudget: boolean; readonly overCash: boolean }
  | { readonly kind: 'no-supply'; readonly failure: SupplyFailure };

export interface QuantityAttempt {
  readonly q: number;
  readonly required: Cents;
  readonly shortfall: Cents;
  readonly purchases: readonly Purchase[];
  readonly newStressPnl: Cents;
  readonly newCarry: Cents;
  readonly carryBudget: Cents;
  readonly newPremium: Cents;
  readonly verdict: AttemptVerdict;
}

/** The carry budget: hedgeBudgetPct x credit x q x 100, rounded down to a cent. */
export function carryBudgetCents(hedgeBudgetPct: number, credit: PriceCents, q: number): Cents {
  return cents(Math.floor(hedgeBudgetPct * credit * SPXW_MULTIPLIER * q + 1e-9));
}

export function attemptQuantity(input: QuantityInput, q: number): QuantityAttempt {
  const required = cents(
    requirementCents(input.coverageTarget, input.stressLossPerContract, q) + input.openCondorsStressLoss,
  );
  const shortfall = cents(Math.max(0, required - input.existingStressPnl));
  const carryBudget = carryBudgetCents(input.hedgeBudgetPct, input.credit, q);
  const split = splitShortfall(shortfall, input.supplies);
  const base = { q, required, shortfall, carryBudget };
  if (!split.ok) {
    const zero = cents(0);
    const verdict: AttemptVerdict = { kind: 'no-supply', failure: split.error };
    return { ...base, purchases: [], newStressPnl: zero, newCarry: zero, newPremium: zero, verdict };
  }
  const purchases = split.value;
  const newCarry = cents(purchases.reduce((s, p) => s + p.carry, 0));
  const newPremium = cents(purchases.reduce((s, p) => s + p.premium, 0));
  const newStressPnl = cents(purchases.reduce((s, p) => s + p.stressPnl, 0));
  const overBudget = newCarry > carryBudget;
  const overCash = newPremium > input.maxHedgePremiumPerCycle;
  const verdict: AttemptVerdict =
    overBudget || overCash ? { kind: 'over', overBudget, overCash } : { kind: 'fits' };
  return { ...base, purchases, newStressPnl, newCarry, newPremium, verdict };
}

/** What stopped q: the cap, or the verdict on the quantity just above the chosen one. */
export type QuantityBinding =
  | { readonly kind: 'cap'; readonly cap: QuantityCap }
  | { readonly kind: 'verdict'; readonly verdict: AttemptVerdict };

export interface QuantityDecision {
  /** The largest fitting quantity, or null when not even 1 fits. */
  readonly chosen: QuantityAttempt | null;
  /** The attempt just above the chosen one (or q = 1 when none fits); null when the cap bound. */
  readonly rejected: QuantityAttempt | null;
  readonly binding: QuantityBinding;
}

function bindingOf(cap: QuantityCap, rejected: QuantityAttempt | null): QuantityBinding {
  return rejected === null ? { kind: 'cap', cap } : { kind: 'verdict', verdict: rejected.verdict };
}

/** The largest q from the cap down to 1 whose purchases keep carry <= budget and premium <= cash guard. */
export function chooseQuantity(input: QuantityInput): QuantityDecision {
  let rejected: QuantityAttempt | null = null;
  for (let q = input.cap.cap; q >= 1; q--) {
    const attempt = attemptQuantity(input, q);
    if (attempt.verdict.kind === 'fits')
      return { chosen: attempt, rejected, binding: bindingOf(input.cap, rejected) };
    rejected = attempt;
  }
  return { chosen: null, rejected, binding: bindingOf(input.cap, rejected) };
}

export interface TrimCandidate {
  readonly layerId: string;
  readonly quantity: number;
  readonly stressPnlPerContract: Cents;
  /** Mark value per contract. */
  readonly valuePerContract: Cents;
}

export interface Trim {
  readonly layerId: string;
  readonly quantity: number;
  readonly stressPnlRemoved: Cents;
}

/**
 * Sells down an over-covered book toward `target` without going below it: the highest value per unit of
 * stress P&L first, whole contracts, partial layers allowed.
 */
export function planTrims(candidates: readonly TrimCandidate[], bookStressPnl: Cents, target: Cents): Trim[] {
  const usable = candidates.filter(
    (c) => c.stressPnlPerContract > 0 && c.valuePerContract > 0 && c.quantity > 0,
  );
  const ratio = (c: TrimCandidate): number => c.valuePerContract / c.stressPnlPerContract;
  const ordered = [...usable].sort((a, b) => ratio(b) - ratio(a) || (a.layerId < b.layerId ? -1 : 1));
  let excess = bookStressPnl - target;
  const out: Trim[] = [];
  for (const c of ordered) {
    if (excess <= 0) break;
    const k = Math.min(c.quantity, Math.floor(excess / c.stressPnlPerContract));
    if (k <= 0) continue;
    out.push({ layerId: c.layerId, quantity: k, stressPnlRemoved: cents(k * c.stressPnlPerContract) });
    excess -= k * c.stressPnlPerContract;
  }
  return out;
}
