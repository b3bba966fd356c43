// buildPlan: one cycle's decisions from a snapshot, as one Plan (strategy.md §1-§4). Pure and
// deterministic: the same snapshot, strategy and calendar always give the same plan.
import type { TradingCalendar } from '../calendar.ts';
import { calendarDaysBetween, nyDate, tradingTimeToExpiry } from '../calendar.ts';
import type { AtmVol, ChainIndex, CondorChoice } from '../condor.ts';
import { atmImpliedVol, indexChain, selectCondor } from '../condor.ts';
import { eventsOn } from '../events.ts';
import type { IsoDate } from '../instruments.ts';
import { SPXW_MULTIPLIER } from '../instruments.ts';
import type { Cents } from '../money.ts';
import { cents, formatCents, formatPrice } from '../money.ts';
import type { Result } from '../result.ts';
import { err } from '../result.ts';
import { evaluateSignals } from '../signals/evaluate.ts';
import type { SignalResult } from '../signals/signal.ts';
import { regimeMultiplier } from '../signals/signal.ts';
import type { EventKind, HeldLayer, MarketSnapshot } from '../snapshot.ts';
import type { StrategyConfig } from '../strategy.ts';
import type { LayerMarket, LayerPricingContext } from '../hedge/layer-market.ts';
import type { StressScenario } from '../hedge/stress.ts';
import { condorStressLossCents, stressScenario, termBeta } from '../hedge/stress.ts';
import type { Purchase, QuantityAttempt, QuantityCap, QuantityDecision } from '../hedge/sizing.ts';
import {
  chooseQuantity,
  coverageTarget,
  quantityCap,
  requirementCents,
  verdictText,
} from '../hedge/sizing.ts';
import type { BookContext, RollResult, TemplateOffer, TrimResult, ValuedLayer } from './hedge-book.ts';
import {
  bookRow,
  countedStressPnl,
  describeLayer,
  planRolls,
  planTrimOrders,
  templateOffers,
  valueHeldBook,
} from './hedge-book.ts';
import { buyLadder, condorLadder, condorOrder, hedgeOpenOrder } from './orders.ts';
import { lastStep } from './ladder.ts';
import { planIdFor } from './plan-id.ts';
import type { ScenarioModel } from './scenarios.ts';
import { payoffCurve, scenarioTable } from './scenarios.ts';
import type {
  BookLayer,
  BudgetArithmetic,
  CoverageArithmetic,
  NoTradeReason,
  Plan,
  PlanMode,
  PlanOrder,
} from './types.ts';

export interface BuildPlanInput {
  readonly snapshot: MarketSnapshot;
  readonly strategy: StrategyConfig;
  readonly calendar: TradingCalendar;
  readonly mode: PlanMode;
}

interface Cycle {
  readonly input: BuildPlanInput;
  readonly asOf: string;
  readonly cycleDate: IsoDate;
  /** The 1DTE expiry: the next NYSE trading day after the cycle date. */
  readonly expiry: IsoDate;
  /** Trading time to the expiry's PM settlement: the condor's T and the stress horizon. */
  readonly horizonYears: number;
  readonly planId: string;
  readonly pricing: LayerPricingContext;
}

interface Failure {
  readonly reason: NoTradeReason;
  readonly detail: string;
}

/** Memoised per expiry: trading time needs time-zone math, and layers share expiries. */
function memo(f: (expiry: IsoDate) => number): (expiry: IsoDate) => number {
  const cache = new Map<IsoDate, number>();
  return (expiry) => {
    let v = cache.get(expiry);
    if (v === undefined) {
      v = f(expiry);
      cache.set(expiry, v);
    }
    return v;
  };
}

function makeCycle(input: BuildPlanInput): Cycle {
  const { snapshot, strategy, calendar } = input;
  const asOf = snapshot.asOf;
  const cycleDate = nyDate(asOf);
  const expiry = calendar.nextTradingDay(cycleDate);
  return {
    input,
    asOf,
    cycleDate,
    expiry,
    horizonYears: tradingTimeToExpiry(calendar, asOf, expiry, 'PM'),
    planId: planIdFor(cycleDate, strategy.name, strategy.version, asOf),
    pricing: {
      rate: snapshot.rates.riskFree,
      timeToExpiry: memo((e) => tradingTimeToExpiry(calendar, asOf, e, 'AM')),
      daysToExpiry: memo((e) => calendarDaysBetween(cycleDate, e)),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// SPX side: the chain, its ATM vol and the stress scenario.

interface SpxSide {
  readonly index: ChainIndex;
  readonly atm: Result<AtmVol, string>;
  readonly stress: StressScenario | null;
}

function spxSide(cycle: Cycle): SpxSide {
  const { snapshot, strategy, calendar } = cycle.input;
  const index = indexChain(snapshot.spxw, {
    spot: snapshot.spx.spot,
    rate: snapshot.rates.riskFree,
    dividendYield: snapshot.rates.spxDividendYield,
    timeYears: tradingTimeToExpiry(calendar, cycle.asOf, snapshot.spxw.expiry, 'PM'),
  });
  const atm = atmImpliedVol(index);
  const stress =
    atm.ok && cycle.horizonYears > 0
      ? stressScenario(
          {
            spot: snapshot.spx.spot,
            atmIv: atm.value.iv,
            horizonYears: cycle.horizonYears,
            vixSpot: snapshot.vix.spot,
          },
          strategy.sizing,
        )
      : null;
  return { index, atm, stress };
}

function stressLine(s: StressScenario | null, cycle: Cycle): string {
  if (s === null)
    return 'stress: no ATM vol from the SPXW chain, so no stress scenario (held layers carry no stress P&L)';
  const sz = cycle.input.strategy.sizing;
  return (
    `stress: SPX -${s.stressSigmas} x EM ${s.emPoints.toFixed(2)} = ${s.stressSpx.toFixed(2)} (-${s.spxFallPct.toFixed(2)}%); ` +
    `VIX spot ${s.vixSpot.toFixed(2)} + ${sz.vixBeta} x ${s.spxFallPct.toFixed(2)} = ${s.stressVixSpot.toFixed(2)}; ` +
    `each future + that x termBeta(dte) = min(${sz.termBeta.cap}, ${sz.termBeta.coefficient} x sqrt(${sz.termBeta.refDte}/dte)) ` +
    `(${termBeta(sz.termBeta.refDte, sz.termBeta).toFixed(2)} at ${sz.termBeta.refDte}d); VIX option vols +${(s.volOfVolShock * 100).toFixed(0)} pts; ` +
    `layers valued with Black-76 at the condor's expiry`
  );
}

// ---------------------------------------------------------------------------------------------
// Regime: signals, multiplier, coverage target.

interface Regime {
  readonly eventKinds: readonly EventKind[];
  readonly signals: readonly SignalResult[];
  readonly multiplier: number;
  readonly coverageTarget: number;
  readonly lines: readonly string[];
}

function regimeStep(cycle: Cycle): Regime {
  const { snapshot, strategy } = cycle.input;
  const eventKinds = eventsOn(snapshot.events, cycle.expiry);
  const signals = evaluateSignals(
    { history: snapshot.history, vix: snapshot.vix, eventKinds, eventPolicy: strategy.condor.eventPolicy },
    strategy.signals,
  );
  const multiplier = regimeMultiplier(signals);
  const sz = strategy.sizing;
  const c = coverageTarget(sz.baseCoverage, multiplier, sz.coverageMin, sz.coverageMax);
  const lines = signals.map(
    (s) => `signal ${s.label}: ${s.fired ? `FIRES x${s.factor}` : 'does not fire'} (${s.detail})`,
  );
  const fired = signals.filter((s) => s.fired).map((s) => s.factor.toString());
  lines.push(
    `regime multiplier = ${fired.length === 0 ? '1 (nothing fires)' : fired.length === 1 ? `${multiplier}` : `${fired.join(' x ')} = ${multiplier.toFixed(4)}`}; ` +
      `coverage c = clamp(${sz.baseCoverage} x ${multiplier.toFixed(4)} = ${(sz.baseCoverage * multiplier).toFixed(4)}, ` +
      `${sz.coverageMin}, ${sz.coverageMax}) = ${c.toFixed(4)}`,
  );
  return { eventKinds, signals, multiplier, coverageTarget: c, lines };
}

// ---------------------------------------------------------------------------------------------
// Condor selection with the cycle-level refusals (event skip, wrong expiry, no ATM vol).

function condorStep(
  cycle: Cycle,
  spx: SpxSide,
  regime: Regime,
  lines: string[],
): Result<CondorChoice, Failure> {
  const { snapshot, strategy, calendar } = cycle.input;
  const closed = calendar.closureReason(cycle.cycleDate);
  if (closed !== null) {
    return err({
      reason: 'no-expiry',
      detail: `${cycle.cycleDate} is not an NYSE trading day (${closed}): no orders`,
    });
  }
  if (regime.eventKinds.length > 0 && strategy.condor.eventPolicy === 'skip') {
    return err({
      reason: 'event-skip',
      detail: `${regime.eventKinds.join(', ')} on expiry day ${cycle.expiry}; event policy skip`,
    });
  }
  if (snapshot.spxw.expiry !== cycle.expiry) {
    return err({
      reason: 'no-expiry',
      detail: `SPXW chain expires ${snapshot.spxw.expiry}, the 1DTE expiry is ${cycle.expiry}`,
    });
  }
  if (spx.index.market.timeYears <= 0) {
    return err({ reason: 'no-expiry', detail: `no trading time left to ${cycle.expiry}` });
  }
  if (!spx.atm.ok) return err({ reason: 'no-strikes', detail: spx.atm.error });
  const choice = selectCondor(spx.index, spx.atm.value, strategy.condor);
  if (!choice.ok) {
    lines.push(...choice.error.lines);
    return err({ reason: choice.error.reason, detail: choice.error.detail });
  }
  lines.push(...choice.value.lines);
  return choice;
}

// ---------------------------------------------------------------------------------------------
// Sizing: stress loss, the quantity cap, offers and the largest q under budget and cash guard.

interface Sizing {
  readonly choice: CondorChoice;
  readonly stressLoss: Cents;
  readonly cap: QuantityCap;
  readonly offers: readonly TemplateOffer[];
  readonly decision: QuantityDecision | null;
  readonly q: number;
  readonly purchases: readonly Purchase[];
  readonly existing: Cents;
}

function sizingStep(
  cycle: Cycle,
  choice: CondorChoice,
  stress: StressScenario,
  regime: Regime,
  existing: Cents,
  bookCtx: BookContext,
  lines: string[],
): { readonly sizing: Sizing; readonly failure: Failure | null } {
  const { strategy } = cycle.input;
  const s = choice.selection;
  // The caps and the stress loss count the least the condor may fill at: its ladder's last step.
  const ladder = condorLadder(choice, strategy.execution.condorLadder, cycle.asOf);
  const lastCredit = lastStep(ladder);
  const lossAtLast = cents((s.widthPoints * 100 - lastCredit) * SPXW_MULTIPLIER);
  const stressLoss = condorStressLossCents(
    { ...s, credit: lastCredit, maxLossPerContract: lossAtLast },
    stress.stressSpx,
  );
  lines.push(
    `condor ladder ${ladder.prices.map((p) => formatPrice(p)).join(' > ')}: mid ${formatPrice(s.credit)} toward the natural ` +
      `${formatPrice(s.naturalCredit)}, never below the minimum ${formatPrice(Math.ceil(choice.minCreditCents))}; ` +
      `the caps count its last step ${formatPrice(lastCredit)}`,
  );
  lines.push(
    `condor stress loss at ${stress.stressSpx.toFixed(2)}: put spread intrinsic - credit ${formatPrice(lastCredit)}, ` +
      `capped at max loss ${formatCents(lossAtLast)} = ${formatCents(stressLoss)} per contract`,
  );
  lines.push(
    `max loss at the last step ${formatPrice(lastCredit)} = (${s.widthPoints} - ${formatPrice(lastCredit)}) x 100 = ` +
      `${formatCents(lossAtLast)} per contract (the risk cap must hold at any fill the ladder allows)`,
  );
  const cap = quantityCap(strategy.condor.maxCondors, strategy.condor.maxRiskPerCycle, lossAtLast);
  const offers = cap.cap > 0 ? templateOffers(bookCtx) : [];
  lines.push(...offers.map((o) => o.line));
  const base = { choice, stressLoss, cap, offers, existing };
  if (cap.cap <= 0) {
    const sizing: Sizing = { ...base, decision: null, q: 0, purchases: [] };
    const detail = `${cap.binding}: not even one condor fits the risk cap`;
    return { sizing, failure: { reason: 'risk-cap', detail } };
  }
  const decision = chooseQuantity({
    cap,
    coverageTarget: regime.coverageTarget,
    stressLossPerContract: stressLoss,
    existingStressPnl: existing,
    credit: s.credit,
    hedgeBudgetPct: strategy.sizing.hedgeBudgetPct,
    maxHedgePremiumPerCycle: strategy.sizing.maxHedgePremiumPerCycle,
    supplies: offers.map((o) => o.supply),
  });
  lines.push(`quantity cap ${cap.cap} (${cap.binding})`);
  if (decision.rejected !== null)
    lines.push(attemptLine(decision.rejected, regime, stressLoss, existing, cycle));
  const chosen = decision.chosen;
  if (chosen === null) {
    const sizing: Sizing = { ...base, decision, q: 0, purchases: [] };
    return { sizing, failure: noQuantityFailure(decision) };
  }
  lines.push(attemptLine(chosen, regime, stressLoss, existing, cycle));
  lines.push(`condor quantity ${chosen.q}: largest q that fits; binding: ${decision.binding}`);
  const sizing: Sizing = { ...base, decision, q: chosen.q, purchases: chosen.purchases };
  return { sizing, failure: null };
}

function noQuantityFailure(d: QuantityDecision): Failure {
  const r = d.rejected;
  if (r === null) return { reason: 'budget', detail: 'no quantity fits' };
  if (r.verdict.kind === 'no-supply') {
    const f = r.verdict.failure;
    return {
      reason: f.reason,
      detail: `template ${f.templateId}: ${f.detail} (hedge needed: shortfall ${formatCents(r.shortfall)} at q=1)`,
    };
  }
  return {
    reason: 'budget',
    detail:
      `even q=1 breaks the ${verdictText(r.verdict)}: carry ${formatCents(r.newCarry)} vs budget ${formatCents(r.carryBudget)}, ` +
      `premium ${formatCents(r.newPremium)} for shortfall ${formatCents(r.shortfall)}`,
  };
}

function attemptLine(a: QuantityAttempt, regime: Regime, loss: Cents, existing: Cents, cycle: Cycle): string {
  const sz = cycle.input.strategy.sizing;
  const buys =
    a.purchases.length === 0
      ? 'nothing'
      : a.purchases.map((p) => `${p.templateId} x${p.quantity}`).join(', ');
  return (
    `q=${a.q}: required ${regime.coverageTarget.toFixed(4)} x ${formatCents(loss)} x ${a.q} = ${formatCents(a.required)}; ` +
    `existing ${formatCents(existing)}; shortfall ${formatCents(a.shortfall)}; buy ${buys} ` +
    `(stress ${formatCents(a.newStressPnl)}); carry ${formatCents(a.newCarry)} vs budget ${sz.hedgeBudgetPct} x credit x ${a.q} = ` +
    `${formatCents(a.carryBudget)}; premium ${formatCents(a.newPremium)} vs cash guard ${formatCents(sz.maxHedgePremiumPerCycle)} -> ` +
    `${verdictText(a.verdict)}`
  );
}

// ---------------------------------------------------------------------------------------------
// Assembly: new layers, the book after, coverage and budget arithmetic, scenarios.

interface NewLayer {
  readonly book: BookLayer;
  readonly market: LayerMarket;
  readonly order: PlanOrder;
}

function newLayers(cycle: Cycle, sizing: Sizing | null, bookCtx: BookContext): NewLayer[] {
  if (sizing === null || sizing.q <= 0) return [];
  const { strategy } = cycle.input;
  const out: NewLayer[] = [];
  for (const p of sizing.purchases) {
    const offer = sizing.offers.find((o) => o.template.id === p.templateId);
    if (offer === undefined || offer.market === null || offer.supply.kind !== 'offer') continue;
    const m = offer.market;
    const layerId = `L-${cycle.planId}-${p.templateId}`;
    const ladder = buyLadder(
      m,
      strategy.execution.hedgeMaxDebitSpreadShare,
      strategy.execution.hedgeLadder,
      cycle.asOf,
    );
    const start = ladder.prices[0] ?? ladder.floor;
    const held: HeldLayer = {
      layerId,
      templateId: p.templateId,
      kind: m.spec.kind,
      tradingClass: m.spec.tradingClass,
      expiry: m.spec.expiry,
      longStrike: m.spec.longStrike,
      shortStrike: m.spec.shortStrike,
      quantity: p.quantity,
      entryPrice: start,
      openedOn: cycle.cycleDate,
    };
    const order = hedgeOpenOrder({
      templateId: p.templateId,
      layerId,
      market: m,
      quantity: p.quantity,
      stressPnlPerContract: offer.supply.offer.stressPnlPerContract,
      maxDebitSpreadShare: strategy.execution.hedgeMaxDebitSpreadShare,
      rule: strategy.execution.hedgeLadder,
      asOf: cycle.asOf,
      note: `new layer ${p.templateId}: ${p.quantity} for the coverage shortfall`,
    });
    out.push({ book: bookRow(held, m, bookCtx), market: m, order });
  }
  return out;
}

/** Held layers that stay after rolls and trims, with trimmed quantities. */
function retainedAfterTrims(retained: readonly ValuedLayer[], trims: TrimResult): ValuedLayer[] {
  const out: ValuedLayer[] = [];
  for (const v of retained) {
    const sold = trims.trims.filter((t) => t.layerId === v.book.layerId).reduce((s, t) => s + t.quantity, 0);
    const quantity = v.book.quantity - sold;
    if (quantity > 0) out.push(sold === 0 ? v : { ...v, book: { ...v.book, quantity } });
  }
  return out;
}

const NO_ROLLS: RollResult = { orders: [], rolled: new Set(), lines: [] };
const NO_TRIMS: TrimResult = { orders: [], trims: [], lines: [] };

function trimStep(
  sizing: Sizing | null,
  retained: readonly ValuedLayer[],
  regime: Regime,
  bookCtx: BookContext,
): TrimResult {
  if (sizing === null) return NO_TRIMS;
  const newStress = sizing.purchases.reduce((s, p) => s + p.stressPnl, 0);
  const book = cents(sizing.existing + newStress);
  const reqCap = requirementCents(regime.coverageTarget, sizing.stressLoss, sizing.cap.cap);
  const reqQ = requirementCents(regime.coverageTarget, sizing.stressLoss, sizing.q);
  return planTrimOrders(retained, book, reqCap, reqQ, bookCtx);
}

function coverageArithmetic(
  cycle: Cycle,
  regime: Regime,
  stress: StressScenario | null,
  sizing: Sizing | null,
  after: readonly BookLayer[],
  fresh: readonly NewLayer[],
): CoverageArithmetic {
  const { snapshot, strategy } = cycle.input;
  const q = sizing?.q ?? 0;
  const loss = sizing?.stressLoss ?? cents(0);
  const newStress = cents(fresh.reduce((s, n) => s + n.book.stressPnlPerContract * n.book.quantity, 0));
  const existing = cents(countedStressPnl(after) - newStress);
  return {
    baseCoverage: strategy.sizing.baseCoverage,
    regimeMultiplier: regime.multiplier,
    coverageTarget: regime.coverageTarget,
    condorStressLossPerContract: loss,
    stressSpx: stress?.stressSpx ?? snapshot.spx.spot,
    stressVixSpot: stress?.stressVixSpot ?? snapshot.vix.spot,
    requiredStressPnl: requirementCents(regime.coverageTarget, loss, q),
    existingStressPnl: existing,
    newStressPnl: newStress,
    coverageRatio: q > 0 && loss > 0 ? (existing + newStress) / (loss * q) : null,
  };
}

function budgetArithmetic(cycle: Cycle, sizing: Sizing | null): BudgetArithmetic | null {
  if (sizing === null) return null;
  const sz = cycle.input.strategy.sizing;
  const chosen = sizing.decision?.chosen ?? null;
  const credit = sizing.choice.selection.credit;
  return {
    condorQuantity: sizing.q,
    creditTotal: cents(credit * 100 * sizing.q),
    carryBudget: chosen?.carryBudget ?? cents(0),
    newCarry: chosen?.newCarry ?? cents(0),
    premiumCap: sz.maxHedgePremiumPerCycle,
    newPremium: chosen?.newPremium ?? cents(0),
    binding: sizing.decision?.binding ?? sizing.cap.binding,
  };
}

function scenarioModel(
  cycle: Cycle,
  stress: StressScenario | null,
  sizing: Sizing | null,
  kept: readonly ValuedLayer[],
  fresh: readonly NewLayer[],
): ScenarioModel {
  const { snapshot, strategy } = cycle.input;
  const q = sizing?.q ?? 0;
  const book = [
    ...kept.flatMap((v) => (v.market === null ? [] : [{ market: v.market, quantity: v.book.quantity }])),
    ...fresh.map((n) => ({ market: n.market, quantity: n.book.quantity })),
  ];
  return {
    spot: snapshot.spx.spot,
    vixSpot: snapshot.vix.spot,
    horizonYears: cycle.horizonYears,
    condor: q > 0 && sizing !== null ? sizing.choice.selection : null,
    condorQuantity: q,
    book,
    stressVixRise: stress?.vixSpotRise ?? null,
    sizing: strategy.sizing,
  };
}

function cycleLine(cycle: Cycle): string {
  const { snapshot } = cycle.input;
  return (
    `cycle ${cycle.cycleDate} at ${cycle.asOf}; 1DTE expiry ${cycle.expiry} (next NYSE session); ` +
    `T = ${cycle.horizonYears.toFixed(6)} y trading time (${(cycle.horizonYears * 252).toFixed(4)} sessions); ` +
    `SPX ${snapshot.spx.spot.toFixed(2)}, VIX ${snapshot.vix.spot.toFixed(2)}`
  );
}

function summaryLine(failure: Failure | null, q: number, orders: readonly PlanOrder[]): string {
  const hedges = orders.filter((o) => o.kind !== 'condor-open');
  const text = hedges.map((o) => `${o.kind} ${o.layerId ?? o.templateId ?? ''} x${o.quantity}`).join(', ');
  const hedgeText = hedges.length === 0 ? 'no hedge orders' : `hedge orders first: ${text}`;
  if (failure !== null) return `NO CONDOR (${failure.reason}): ${failure.detail}; ${hedgeText}`;
  return `TRADE ${q} condor(s) after ${hedgeText}`;
}

interface Decision {
  readonly condor: Result<CondorChoice, Failure>;
  readonly sizing: Sizing | null;
  readonly failure: Failure | null;
}

/** The condor and its quantity, or the reason there is none. */
function decideCondor(
  cycle: Cycle,
  spx: SpxSide,
  regime: Regime,
  retained: readonly ValuedLayer[],
  bookCtx: BookContext,
  lines: string[],
): Decision {
  const condor = condorStep(cycle, spx, regime, lines);
  if (!condor.ok) return { condor, sizing: null, failure: condor.error };
  if (spx.stress === null) {
    return {
      condor,
      sizing: null,
      failure: { reason: 'no-expiry', detail: `no stress scenario for ${cycle.expiry}` },
    };
  }
  const existing = countedStressPnl(retained.map((v) => v.book));
  const sized = sizingStep(cycle, condor.value, spx.stress, regime, existing, bookCtx, lines);
  return { condor, sizing: sized.sizing, failure: sized.failure };
}

export function buildPlan(input: BuildPlanInput): Plan {
  const cycle = makeCycle(input);
  const { snapshot, strategy } = input;
  const lines: string[] = [cycleLine(cycle)];
  const spx = spxSide(cycle);
  lines.push(stressLine(spx.stress, cycle));
  const bookCtx: BookContext = {
    snapshot,
    strategy,
    cycleDate: cycle.cycleDate,
    asOf: cycle.asOf,
    pricing: cycle.pricing,
    stress: spx.stress,
  };
  const held = valueHeldBook(bookCtx);
  lines.push(...(held.length === 0 ? ['hedge book: empty'] : held.map((v) => `held ${describeLayer(v)}`)));
  // Nothing is sent on a day NYSE is closed, not even a scheduled roll.
  const closed = input.calendar.closureReason(cycle.cycleDate);
  const rolls: RollResult = closed === null ? planRolls(held, bookCtx) : NO_ROLLS;
  lines.push(...rolls.lines);
  const retained = held.filter((v) => !rolls.rolled.has(v.book.layerId));
  const regime = regimeStep(cycle);
  lines.push(...regime.lines);
  const decision = decideCondor(cycle, spx, regime, retained, bookCtx, lines);
  const trims = trimStep(decision.sizing, retained, regime, bookCtx);
  lines.push(...trims.lines);
  return assemble(cycle, { spx, held, rolls, trims, retained, regime, decision, lines, bookCtx });
}

interface Parts {
  readonly spx: SpxSide;
  readonly held: readonly ValuedLayer[];
  readonly rolls: RollResult;
  readonly trims: TrimResult;
  readonly retained: readonly ValuedLayer[];
  readonly regime: Regime;
  readonly decision: Decision;
  readonly lines: string[];
  readonly bookCtx: BookContext;
}

/** Orders in sending order (rolls and trims, new layers, the condor), the book after, and the arithmetic. */
function assemble(cycle: Cycle, parts: Parts): Plan {
  const { strategy } = cycle.input;
  const { spx, regime, decision, lines, bookCtx } = parts;
  const { sizing, failure } = decision;
  const kept = retainedAfterTrims(parts.retained, parts.trims);
  const fresh = newLayers(cycle, sizing, bookCtx);
  const q = failure === null ? (sizing?.q ?? 0) : 0;
  const orders: PlanOrder[] = [...parts.rolls.orders, ...parts.trims.orders, ...fresh.map((n) => n.order)];
  if (q > 0 && sizing !== null) {
    orders.push(condorOrder(sizing.choice, q, strategy.execution.condorLadder, cycle.asOf));
  }
  const after = [...kept.map((v) => v.book), ...fresh.map((n) => n.book)];
  const model = scenarioModel(cycle, spx.stress, sizing, kept, fresh);
  lines.push(summaryLine(failure, q, orders));
  return {
    planId: cycle.planId,
    cycleDate: cycle.cycleDate,
    asOf: cycle.asOf,
    mode: cycle.input.mode,
    strategy: { name: strategy.name, version: strategy.version },
    outcome:
      failure === null
        ? { kind: 'trade' }
        : { kind: 'no-trade', reason: failure.reason, detail: failure.detail },
    orders,
    condor: decision.condor.ok ? decision.condor.value.selection : null,
    condorQuantity: q,
    hedgeBookBefore: parts.held.map((v) => v.book),
    hedgeBookAfter: after,
    coverage: coverageArithmetic(cycle, regime, spx.stress, sizing, after, fresh),
    budget: budgetArithmetic(cycle, sizing),
    signals: regime.signals,
    event:
      regime.eventKinds.length > 0 ? { kinds: regime.eventKinds, policy: strategy.condor.eventPolicy } : null,
    scenarios: scenarioTable(model),
    payoff: payoffCurve(model),
    rationale: lines,
  };
}
