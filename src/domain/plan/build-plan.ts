// buildPlan: one cycle's decisions from a snapshot, as one Plan (docs/strategy.md sections 1-4).
// Pure and deterministic: the same snapshot, strategy and calendar always give the same plan.
import type { TradingCalendar } from '../calendar.ts';
import { calendarDaysBetween, nyDate, tradingTimeToExpiry } from '../calendar.ts';
import type { AtmVol, ChainIndex, CondorChoice, CondorProblem } from '../condor.ts';
import { atmImpliedVol, indexChain, selectCondor } from '../condor.ts';
import type { EventDay } from '../events.ts';
import { eventDay } from '../events.ts';
import type { IsoDate } from '../instruments.ts';
import { SPXW_MULTIPLIER } from '../instruments.ts';
import type { MarketHours } from '../market-hours.ts';
import { marketHours } from '../market-hours.ts';
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';
import { evaluateSignals } from '../signals/evaluate.ts';
import type { SignalResult } from '../signals/signal.ts';
import { regimeMultiplier } from '../signals/signal.ts';
import type { TrendGate } from '../signals/trend-gate.ts';
import { gatedCap, trendGate } from '../signals/trend-gate.ts';
import type { HeldLayer, MarketSnapshot } from '../snapshot.ts';
import type { StrategyConfig } from '../strategy.ts';
import type { BookContext, ValuedLayer } from '../hedge/book.ts';
import { bookRow, countedStressPnl, heldLayerEntry, valueHeldBook } from '../hedge/book.ts';
import type { LayerMarket, LayerPricingContext } from '../hedge/layer-market.ts';
import type { TemplateOffer } from '../hedge/offers.ts';
import { templateOffers } from '../hedge/offers.ts';
import type { RollResult } from '../hedge/rolls.ts';
import { NO_ROLLS, planRolls } from '../hedge/rolls.ts';
import type { Purchase, QuantityCap, QuantityDecision } from '../hedge/sizing.ts';
import { chooseQuantity, coverageTarget, quantityCap, requirementCents } from '../hedge/sizing.ts';
import type { StressScenario } from '../hedge/stress.ts';
import { condorStressLossCents, stressScenario } from '../hedge/stress.ts';
import type { TrimResult } from '../hedge/trims.ts';
import type { OpenCondorRisk } from '../hedge/open-condors.ts';
import { openCondorsStressLoss, valueOpenCondors } from '../hedge/open-condors.ts';
import { NO_TRIMS, planTrimSales } from '../hedge/trims.ts';
import { deadlineAfter, lastStep } from './ladder.ts';
import { buyLadder, condorLadder, condorOrder, hedgeOpenOrder, saleOrder } from './orders.ts';
import { planIdFor } from './plan-id.ts';
import type { RiskCaps, UnresolvedCaps } from './risk-caps.ts';
import { isPctCap, resolveRiskCaps } from './risk-caps.ts';
import type { NoTradeDetail, RationaleEntry } from './rationale.ts';
import { commissionEstimate, condorNet } from './commissions.ts';
import type { CommissionEstimate } from './commissions.ts';
import { bookGreeks, condorGreeks, hedgeGreeks, ZERO_GREEKS } from './greeks.ts';
import { sensitivity } from './sensitivity.ts';
import type { LevelRow, ScenarioModel } from './scenarios.ts';
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
  readonly hours: MarketHours;
  /** The money caps in cents for this cycle, or why a share-of-net-liquidation cap has none. */
  readonly caps: Result<RiskCaps, UnresolvedCaps>;
}

interface Failure {
  readonly reason: NoTradeReason;
  readonly detail: NoTradeDetail;
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
  const exec = strategy.execution;
  // Every order of the cycle must be worked, to its deadline, inside the regular session.
  const lastDeadline = deadlineAfter(
    asOf,
    Math.max(exec.hedgeLadder.deadlineMinutes, exec.condorLadder.deadlineMinutes),
  );
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
    hours: marketHours(calendar, asOf, lastDeadline),
    caps: resolveRiskCaps(strategy, snapshot.account),
  };
}

// ---------------------------------------------------------------------------------------------
// SPX side: the chain, its ATM vol and the stress scenario.

interface SpxSide {
  readonly index: ChainIndex;
  readonly atm: Result<AtmVol, CondorProblem>;
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

// ---------------------------------------------------------------------------------------------
// Regime: the expiry day's events, the signals, the multiplier and the coverage target.

interface Regime {
  readonly eventDay: EventDay;
  readonly signals: readonly SignalResult[];
  readonly multiplier: number;
  readonly coverageTarget: number;
  readonly entries: readonly RationaleEntry[];
}

function regimeStep(cycle: Cycle): Regime {
  const { snapshot, strategy } = cycle.input;
  const day = eventDay(
    snapshot.events,
    cycle.expiry,
    snapshot.eventsCoveredThrough,
    strategy.signals.event.calendarGapPolicy,
  );
  const signals = evaluateSignals(
    { history: snapshot.history, vix: snapshot.vix, eventDay: day, eventPolicy: strategy.condor.eventPolicy },
    strategy.signals,
  );
  const multiplier = regimeMultiplier(signals);
  const sz = strategy.sizing;
  const c = coverageTarget(sz.baseCoverage, multiplier, sz.coverageMin, sz.coverageMax);
  const entries: RationaleEntry[] = signals.map((signal) => ({ kind: 'signal', signal }));
  // A day beyond the event calendar is said loudly, not counted silently as "no event".
  if (day.uncovered) entries.push({ kind: 'event-calendar', eventDay: day });
  entries.push({
    kind: 'regime',
    factors: signals.filter((s) => s.fired).map((s) => s.factor),
    multiplier,
    baseCoverage: sz.baseCoverage,
    coverageMin: sz.coverageMin,
    coverageMax: sz.coverageMax,
    coverageTarget: c,
  });
  return { eventDay: day, signals, multiplier, coverageTarget: c, entries };
}

// ---------------------------------------------------------------------------------------------
// Condor selection with the cycle-level refusals (market closed, event skip, wrong expiry, no vol).

function condorStep(
  cycle: Cycle,
  spx: SpxSide,
  regime: Regime,
  entries: RationaleEntry[],
): Result<CondorChoice, Failure> {
  const { snapshot, strategy } = cycle.input;
  if (cycle.hours.status === 'closed')
    return err({ reason: 'market-closed', detail: { kind: 'market-closed', hours: cycle.hours } });
  if (regime.eventDay.isEventDay && strategy.condor.eventPolicy === 'skip')
    return err({ reason: 'event-skip', detail: { kind: 'event-skip', eventDay: regime.eventDay } });
  if (snapshot.spxw.expiry !== cycle.expiry) {
    const detail: NoTradeDetail = {
      kind: 'chain-expiry',
      chainExpiry: snapshot.spxw.expiry,
      expiry: cycle.expiry,
    };
    return err({ reason: 'no-expiry', detail });
  }
  if (spx.index.market.timeYears <= 0)
    return err({ reason: 'no-expiry', detail: { kind: 'no-time-left', expiry: cycle.expiry } });
  if (!spx.atm.ok) return err({ reason: 'no-strikes', detail: { kind: 'condor', problem: spx.atm.error } });
  const choice = selectCondor(spx.index, spx.atm.value, strategy.condor);
  if (!choice.ok) {
    entries.push(...choice.error.entries);
    return err({ reason: choice.error.reason, detail: { kind: 'condor', problem: choice.error.problem } });
  }
  entries.push(...choice.value.entries);
  return ok(choice.value);
}

// ---------------------------------------------------------------------------------------------
// Sizing: stress loss and cap at the ladder's last step, the trim at the cap, the trend gate, and
// the largest q under budget and cash guard.

interface Sizing {
  readonly choice: CondorChoice;
  /** Condor stress loss per contract, at the ladder's last step. */
  readonly stressLoss: Cents;
  /** The cap before the trend gate: the trim is measured against it. */
  readonly cap: QuantityCap;
  /** The cap q is searched under. */
  readonly searchCap: QuantityCap;
  readonly offers: readonly TemplateOffer[];
  readonly decision: QuantityDecision | null;
  readonly q: number;
  readonly purchases: readonly Purchase[];
  /** Counted stress P&L of the held book after rolls and trims. */
  readonly existing: Cents;
}

interface SizingInput {
  readonly cycle: Cycle;
  readonly caps: RiskCaps;
  readonly choice: CondorChoice;
  readonly stress: StressScenario;
  readonly regime: Regime;
  readonly gate: TrendGate;
  readonly retained: readonly ValuedLayer[];
  readonly bookCtx: BookContext;
  /** Stress loss of earlier cycles' condors not yet settled: part of every requirement. */
  readonly openLoss: Cents;
}

interface SizingResult {
  readonly sizing: Sizing;
  readonly trims: TrimResult;
  readonly failure: Failure | null;
}

function sizingStep(a: SizingInput, entries: RationaleEntry[]): SizingResult {
  const { cycle, caps, choice, stress, regime, gate, retained, bookCtx, openLoss } = a;
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
  entries.push({
    kind: 'condor-ladder',
    pricesCents: ladder.prices,
    midCents: s.credit,
    naturalCents: s.naturalCredit,
    minCreditCents: choice.minCreditCents,
    lastStepCents: lastCredit,
  });
  entries.push({
    kind: 'condor-stress-loss',
    stressSpx: stress.stressSpx,
    creditCents: lastCredit,
    maxLossCents: lossAtLast,
    stressLossCents: stressLoss,
  });
  const cap = quantityCap(strategy.condor.maxCondors, caps.maxRiskPerCycle.cents, lossAtLast);
  entries.push({ kind: 'quantity-cap', cap });
  // The trim runs before the gate and is measured at the ungated cap.
  const held = countedStressPnl(retained.map((v) => v.book));
  const reqCap = cents(requirementCents(regime.coverageTarget, stressLoss, cap.cap) + openLoss);
  const trims = planTrimSales(retained, held, reqCap, reqCap, bookCtx);
  entries.push(...trims.entries);
  const existing = cents(held - trims.trims.reduce((t, x) => t + x.stressPnlRemoved, 0));
  const capped = gatedCap(gate, cap.cap);
  entries.push({ kind: 'trend-gate', gate, capBefore: cap.cap, capAfter: capped });
  const searchCap: QuantityCap =
    gate.status === 'shut'
      ? { cap: capped, binding: { kind: 'trend-gate', ungatedCap: cap.cap, qtyFactor: gate.qtyFactor } }
      : cap;
  const base = { choice, stressLoss, cap, searchCap, existing };
  if (searchCap.cap <= 0) {
    const sizing: Sizing = { ...base, offers: [], decision: null, q: 0, purchases: [] };
    const failure: Failure =
      gate.status === 'shut' && cap.cap > 0
        ? { reason: 'trend-gate', detail: { kind: 'trend-gate', gate, ungatedCap: cap.cap } }
        : { reason: 'risk-cap', detail: { kind: 'risk-cap', cap } };
    return { sizing, trims, failure };
  }
  const offers = templateOffers(bookCtx);
  entries.push(...offers.map((o) => o.entry));
  const decision = chooseQuantity({
    cap: searchCap,
    coverageTarget: regime.coverageTarget,
    stressLossPerContract: stressLoss,
    existingStressPnl: existing,
    openCondorsStressLoss: openLoss,
    credit: s.credit,
    hedgeBudgetPct: strategy.sizing.hedgeBudgetPct,
    maxHedgePremiumPerCycle: caps.maxHedgePremiumPerCycle.cents,
    supplies: offers.map((o) => o.supply),
  });
  const attemptEntry = (attempt: NonNullable<QuantityDecision['chosen']>): RationaleEntry => ({
    kind: 'quantity-attempt',
    attempt,
    coverageTarget: regime.coverageTarget,
    stressLossPerContractCents: stressLoss,
    existingStressPnlCents: existing,
    openCondorsStressLossCents: openLoss,
    hedgeBudgetPct: strategy.sizing.hedgeBudgetPct,
    maxHedgePremiumPerCycleCents: caps.maxHedgePremiumPerCycle.cents,
  });
  if (decision.rejected !== null) entries.push(attemptEntry(decision.rejected));
  const chosen = decision.chosen;
  if (chosen === null) {
    const sizing: Sizing = { ...base, offers, decision, q: 0, purchases: [] };
    const r = decision.rejected;
    const reason: NoTradeReason =
      r !== null && r.verdict.kind === 'no-supply' ? r.verdict.failure.reason : 'budget';
    const failure: Failure | null =
      r === null ? null : { reason, detail: { kind: 'no-quantity', attempt: r } };
    return {
      sizing,
      trims,
      failure: failure ?? { reason: 'risk-cap', detail: { kind: 'risk-cap', cap: searchCap } },
    };
  }
  entries.push(attemptEntry(chosen));
  entries.push({ kind: 'quantity-chosen', q: chosen.q, binding: decision.binding });
  const sizing: Sizing = { ...base, offers, decision, q: chosen.q, purchases: chosen.purchases };
  return { sizing, trims, failure: null };
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
  const exec = strategy.execution;
  const out: NewLayer[] = [];
  for (const p of sizing.purchases) {
    const offer = sizing.offers.find((o) => o.template.id === p.templateId);
    if (offer === undefined || offer.market === null || offer.supply.kind !== 'offer') continue;
    const m = offer.market;
    const layerId = `L-${cycle.planId}-${p.templateId}`;
    const ladder = buyLadder(m, exec.hedgeMaxDebitSpreadShare, exec.hedgeLadder, cycle.asOf);
    const held: HeldLayer = {
      layerId,
      templateId: p.templateId,
      kind: m.spec.kind,
      tradingClass: m.spec.tradingClass,
      expiry: m.spec.expiry,
      longStrike: m.spec.longStrike,
      shortStrike: m.spec.shortStrike,
      quantity: p.quantity,
      entryPrice: ladder.prices[0] ?? ladder.floor,
      openedOn: cycle.cycleDate,
    };
    const order = hedgeOpenOrder({
      templateId: p.templateId,
      layerId,
      market: m,
      quantity: p.quantity,
      stressPnlPerContract: offer.supply.offer.stressPnlPerContract,
      maxDebitSpreadShare: exec.hedgeMaxDebitSpreadShare,
      rule: exec.hedgeLadder,
      asOf: cycle.asOf,
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

function coverageArithmetic(
  cycle: Cycle,
  regime: Regime,
  stress: StressScenario | null,
  sizing: Sizing | null,
  after: readonly BookLayer[],
  fresh: readonly NewLayer[],
  openLoss: Cents,
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
    requiredStressPnl: cents(requirementCents(regime.coverageTarget, loss, q) + openLoss),
    openCondorsStressLoss: openLoss,
    existingStressPnl: existing,
    newStressPnl: newStress,
    coverageRatio: q > 0 && loss > 0 ? (existing + newStress - openLoss) / (loss * q) : null,
  };
}

function budgetArithmetic(cycle: Cycle, sizing: Sizing | null): BudgetArithmetic | null {
  if (sizing === null || !cycle.caps.ok) return null;
  const chosen = sizing.decision?.chosen ?? null;
  const credit = sizing.choice.selection.credit;
  return {
    condorQuantity: sizing.q,
    creditTotal: cents(credit * 100 * sizing.q),
    carryBudget: chosen?.carryBudget ?? cents(0),
    newCarry: chosen?.newCarry ?? cents(0),
    premiumCap: cycle.caps.value.maxHedgePremiumPerCycle.cents,
    newPremium: chosen?.newPremium ?? cents(0),
    binding: sizing.decision?.binding ?? { kind: 'cap', cap: sizing.searchCap },
  };
}

/** The book after the plan as priced layers (unpriced ones carry nothing). */
function pricedBook(
  kept: readonly ValuedLayer[],
  fresh: readonly NewLayer[],
): { readonly market: LayerMarket; readonly quantity: number; readonly counts: boolean }[] {
  return [
    ...kept.flatMap((v) =>
      v.market === null ? [] : [{ market: v.market, quantity: v.book.quantity, counts: v.book.counts }],
    ),
    ...fresh.map((n) => ({ market: n.market, quantity: n.book.quantity, counts: n.book.counts })),
  ];
}

function scenarioModel(
  cycle: Cycle,
  stress: StressScenario | null,
  sizing: Sizing | null,
  book: ReturnType<typeof pricedBook>,
  commissions: CommissionEstimate,
): ScenarioModel {
  const { snapshot, strategy } = cycle.input;
  const q = sizing?.q ?? 0;
  return {
    spot: snapshot.spx.spot,
    vixSpot: snapshot.vix.spot,
    horizonYears: cycle.horizonYears,
    condor: q > 0 && sizing !== null ? sizing.choice.selection : null,
    condorQuantity: q,
    book,
    stressVixRise: stress?.vixSpotRise ?? null,
    sizing: strategy.sizing,
    condorCommissionCents: commissions.condorCents,
    hedgeCommissionCents: commissions.hedgeCents,
  };
}

function summaryEntry(failure: Failure | null, q: number, orders: readonly PlanOrder[]): RationaleEntry {
  return {
    kind: 'summary',
    outcome: failure === null ? 'trade' : failure.reason,
    condorQuantity: q,
    hedgeOrders: orders
      .filter((o) => o.kind !== 'condor-open')
      .map((o) => ({ kind: o.kind, ref: o.layerId ?? o.templateId ?? '', quantity: o.quantity })),
  };
}

interface Decision {
  readonly condor: Result<CondorChoice, Failure>;
  readonly sizing: Sizing | null;
  readonly trims: TrimResult;
  readonly failure: Failure | null;
}

/** The condor and its quantity, or the reason there is none; the trim runs only beside a selected condor. */
function decideCondor(
  cycle: Cycle,
  spx: SpxSide,
  regime: Regime,
  gate: TrendGate,
  retained: readonly ValuedLayer[],
  bookCtx: BookContext,
  openLoss: Cents,
  entries: RationaleEntry[],
): Decision {
  const condor = condorStep(cycle, spx, regime, entries);
  if (!condor.ok) {
    entries.push({ kind: 'trend-gate', gate, capBefore: null, capAfter: null });
    return { condor, sizing: null, trims: NO_TRIMS, failure: condor.error };
  }
  if (spx.stress === null) {
    entries.push({ kind: 'trend-gate', gate, capBefore: null, capAfter: null });
    const failure: Failure = {
      reason: 'no-expiry',
      detail: { kind: 'no-stress-scenario', expiry: cycle.expiry },
    };
    return { condor, sizing: null, trims: NO_TRIMS, failure };
  }
  if (!cycle.caps.ok) {
    entries.push({ kind: 'trend-gate', gate, capBefore: null, capAfter: null });
    const failure: Failure = {
      reason: 'no-net-liquidation',
      detail: { kind: 'no-net-liquidation', unresolved: cycle.caps.error },
    };
    return { condor, sizing: null, trims: NO_TRIMS, failure };
  }
  const sized = sizingStep(
    {
      cycle,
      caps: cycle.caps.value,
      choice: condor.value,
      stress: spx.stress,
      regime,
      gate,
      retained,
      bookCtx,
      openLoss,
    },
    entries,
  );
  return { condor, sizing: sized.sizing, trims: sized.trims, failure: sized.failure };
}

/** Said only when a cap is a share of net liquidation: the dollar figure and what it came from. */
function riskCapEntries(cycle: Cycle): RationaleEntry[] {
  const { strategy } = cycle.input;
  const anyPct =
    isPctCap(strategy.condor.maxRiskPerCycle) || isPctCap(strategy.sizing.maxHedgePremiumPerCycle);
  if (!anyPct) return [];
  if (!cycle.caps.ok) return [{ kind: 'risk-caps-unresolved', unresolved: cycle.caps.error }];
  const c = cycle.caps.value;
  return [{ kind: 'risk-caps', caps: [c.maxRiskPerCycle, c.maxHedgePremiumPerCycle] }];
}

export function buildPlan(input: BuildPlanInput): Plan {
  const cycle = makeCycle(input);
  const { snapshot, strategy } = input;
  const entries: RationaleEntry[] = [
    {
      kind: 'cycle',
      cycleDate: cycle.cycleDate,
      asOf: cycle.asOf,
      expiry: cycle.expiry,
      horizonYears: cycle.horizonYears,
      spot: snapshot.spx.spot,
      vixSpot: snapshot.vix.spot,
    },
    { kind: 'market-hours', hours: cycle.hours },
  ];
  const spx = spxSide(cycle);
  entries.push({
    kind: 'stress',
    scenario: spx.stress,
    vixBeta: strategy.sizing.vixBeta,
    termBeta: strategy.sizing.termBeta,
  });
  const bookCtx: BookContext = {
    snapshot,
    strategy,
    cycleDate: cycle.cycleDate,
    asOf: cycle.asOf,
    pricing: cycle.pricing,
    stress: spx.stress,
  };
  const held = valueHeldBook(bookCtx);
  entries.push(...(held.length === 0 ? [{ kind: 'book-empty' as const }] : held.map(heldLayerEntry)));
  const open = valueOpenCondors(snapshot.openCondors ?? [], {
    calendar: input.calendar,
    asOf: cycle.asOf,
    spot: snapshot.spx.spot,
    atmIv: spx.atm.ok ? spx.atm.value.iv : 0,
    sizing: strategy.sizing,
  });
  entries.push(...open.map((risk) => ({ kind: 'open-condor' as const, risk })));
  const openLoss = openCondorsStressLoss(open);
  // Nothing is sent outside the regular session, not even a scheduled roll.
  const rolls: RollResult = cycle.hours.status === 'open' ? planRolls(held, bookCtx) : NO_ROLLS;
  entries.push(...rolls.entries);
  const retained = held.filter((v) => !rolls.rolled.has(v.book.layerId));
  const regime = regimeStep(cycle);
  entries.push(...regime.entries);
  entries.push(...riskCapEntries(cycle));
  const gate = trendGate(snapshot.history, cycle.cycleDate, snapshot.spx.spot, {
    sessions: strategy.sizing.trendGateSma,
    qtyFactor: strategy.sizing.trendGateQtyFactor,
  });
  const decision = decideCondor(cycle, spx, regime, gate, retained, bookCtx, openLoss, entries);
  return assemble(cycle, {
    spx,
    held,
    open,
    openLoss,
    rolls,
    retained,
    regime,
    gate,
    decision,
    entries,
    bookCtx,
  });
}

interface Parts {
  readonly spx: SpxSide;
  readonly held: readonly ValuedLayer[];
  readonly open: readonly OpenCondorRisk[];
  readonly openLoss: Cents;
  readonly rolls: RollResult;
  readonly retained: readonly ValuedLayer[];
  readonly regime: Regime;
  readonly gate: TrendGate;
  readonly decision: Decision;
  readonly entries: RationaleEntry[];
  readonly bookCtx: BookContext;
}

/** Orders in sending order (rolls and trims, new layers, the condor), the book after, and the arithmetic. */
function assemble(cycle: Cycle, parts: Parts): Plan {
  const { strategy } = cycle.input;
  const { spx, regime, decision, entries, bookCtx } = parts;
  const { sizing, failure, trims } = decision;
  const kept = retainedAfterTrims(parts.retained, trims);
  const fresh = failure === null ? newLayers(cycle, sizing, bookCtx) : [];
  const q = failure === null ? (sizing?.q ?? 0) : 0;
  const orders: PlanOrder[] = [
    ...[...parts.rolls.sales, ...trims.sales].map((sale) => saleOrder(sale, strategy, cycle.asOf)),
    ...fresh.map((n) => n.order),
  ];
  if (q > 0 && sizing !== null) {
    orders.push(condorOrder(sizing.choice, q, strategy.execution.condorLadder, cycle.asOf));
  }
  const after = [...kept.map((v) => v.book), ...fresh.map((n) => n.book)];
  const commissions = commissionEstimate(orders, strategy.commissions);
  const traded = q > 0 && sizing !== null ? sizing : null;
  const net = traded === null ? null : condorNet(traded.choice.selection, commissions.condorPerContractCents);
  const bookAfter = pricedBook(kept, fresh);
  const model = scenarioModel(cycle, spx.stress, traded, bookAfter, commissions);
  const levels: LevelRow[] =
    net === null
      ? []
      : [
          { label: 'break-even-low', spxAtExpiry: net.breakEvenLow },
          { label: 'break-even-high', spxAtExpiry: net.breakEvenHigh },
          ...(spx.stress === null ? [] : [{ label: 'stress' as const, spxAtExpiry: spx.stress.stressSpx }]),
        ];
  const held = pricedBook(parts.held, []);
  const condorG = traded === null ? ZERO_GREEKS : condorGreeks(spx.index, traded.choice.legs, q);
  entries.push(summaryEntry(failure, q, orders));
  const day = regime.eventDay;
  return {
    planId: cycle.planId,
    cycleDate: cycle.cycleDate,
    asOf: cycle.asOf,
    mode: cycle.input.mode,
    strategy: { name: strategy.name, version: strategy.version },
    riskCaps: cycle.caps.ok ? cycle.caps.value : null,
    outcome:
      failure === null
        ? { kind: 'trade' }
        : { kind: 'no-trade', reason: failure.reason, detail: failure.detail },
    orders,
    condor: decision.condor.ok ? decision.condor.value.selection : null,
    condorQuantity: q,
    openCondors: parts.open,
    hedgeBookBefore: parts.held.map((v) => v.book),
    hedgeBookAfter: after,
    coverage: coverageArithmetic(cycle, regime, spx.stress, sizing, after, fresh, parts.openLoss),
    budget: budgetArithmetic(cycle, sizing),
    signals: regime.signals,
    event:
      day.isEventDay || day.uncovered
        ? {
            kinds: day.kinds,
            policy: strategy.condor.eventPolicy,
            uncovered: day.uncovered,
            coveredThrough: day.coveredThrough,
          }
        : null,
    marketHours: cycle.hours,
    trendGate: parts.gate,
    commissions,
    condorNet: net,
    greeks: {
      before: bookGreeks(ZERO_GREEKS, hedgeGreeks(held)),
      after: bookGreeks(condorG, hedgeGreeks(bookAfter)),
    },
    bookCarry: {
      carryPerSessionCents: cents(after.reduce((t, l) => t + l.carryPerContract * l.quantity, 0)),
      creditCents: cents(traded === null ? 0 : traded.choice.selection.credit * SPXW_MULTIPLIER * q),
    },
    sensitivity:
      spx.stress === null
        ? []
        : sensitivity({
            stress: spx.stress,
            sizing: strategy.sizing,
            book: bookAfter.filter((l) => l.counts),
            condorStressLossCents: traded === null ? 0 : traded.stressLoss * q,
          }),
    scenarios: scenarioTable(model, undefined, levels),
    payoff: payoffCurve(model),
    rationale: entries,
  };
}
