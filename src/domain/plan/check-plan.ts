// checkPlan: the plan's invariants, re-derived from the plan alone. An empty list means the plan
// may be shown and run; anything else is a planner bug.
import { isOnTick } from '../instruments.ts';
import type { MoneyCap, StrategyConfig } from '../strategy.ts';
import type { RiskCapName } from './risk-caps.ts';
import { isPctCap } from './risk-caps.ts';
import { orderVenue } from './orders.ts';
import type { OrderKind, Plan, PlanOrder } from './types.ts';

const ORDER_KINDS: readonly OrderKind[] = ['hedge-roll-close', 'hedge-trim', 'hedge-open', 'condor-open'];
/** Rolls and trims, then new layers, then the condor. */
const KIND_RANK: Readonly<Record<OrderKind, number>> = {
  'hedge-roll-close': 0,
  'hedge-trim': 0,
  'hedge-open': 1,
  'condor-open': 2,
};
const EPS = 1e-6;

const isPositiveInt = (n: number): boolean => Number.isInteger(n) && n > 0;

function checkKindsAndOrder(plan: Plan): string[] {
  const out: string[] = [];
  const keys = new Set<string>();
  let lastRank = -1;
  for (const o of plan.orders) {
    if (!ORDER_KINDS.includes(o.kind)) out.push(`order ${o.key}: unknown kind ${String(o.kind)}`);
    if (o.action !== 'BUY' && o.action !== 'SELL') out.push(`order ${o.key}: bad action ${String(o.action)}`);
    if (keys.has(o.key)) out.push(`order key ${o.key} is not unique`);
    keys.add(o.key);
    const rank = KIND_RANK[o.kind];
    if (rank < lastRank)
      out.push(
        `order ${o.key} (${o.kind}) comes after a later-stage order: hedge orders must precede the condor`,
      );
    lastRank = Math.max(lastRank, rank);
  }
  if (plan.orders.filter((o) => o.kind === 'condor-open').length > 1) out.push('more than one condor order');
  return out;
}

function checkQuantities(plan: Plan): string[] {
  const out: string[] = [];
  for (const o of plan.orders) {
    if (!isPositiveInt(o.quantity))
      out.push(`order ${o.key}: quantity ${o.quantity} is not a positive integer`);
    if (o.legs.length === 0) out.push(`order ${o.key}: no legs`);
    for (const l of o.legs) if (!isPositiveInt(l.ratio)) out.push(`order ${o.key}: leg ratio ${l.ratio}`);
  }
  if (!Number.isInteger(plan.condorQuantity) || plan.condorQuantity < 0) {
    out.push(`condor quantity ${plan.condorQuantity} is not a non-negative integer`);
  }
  for (const l of plan.hedgeBookAfter) {
    if (!isPositiveInt(l.quantity)) out.push(`book layer ${l.layerId}: quantity ${l.quantity}`);
  }
  return out;
}

function checkOutcome(plan: Plan): string[] {
  const condorOrders = plan.orders.filter((o) => o.kind === 'condor-open');
  if (plan.outcome.kind === 'no-trade') {
    const out: string[] = [];
    if (plan.condorQuantity !== 0) out.push(`no-trade plan has condor quantity ${plan.condorQuantity}`);
    if (condorOrders.length > 0) out.push('no-trade plan has a condor order');
    if (plan.orders.some((o) => o.kind === 'hedge-open')) out.push('no-trade plan buys a new hedge layer');
    return out;
  }
  const out: string[] = [];
  if (plan.condorQuantity < 1) out.push('trade plan with condor quantity 0');
  if (plan.condor === null) out.push('trade plan without a condor selection');
  const order = condorOrders[0];
  if (order === undefined) out.push('trade plan without a condor order');
  else if (order.quantity !== plan.condorQuantity) {
    out.push(`condor order quantity ${order.quantity} != plan quantity ${plan.condorQuantity}`);
  }
  return out;
}

/**
 * The cap in cents a plan may use: the strategy's fixed amount, or its share of the net liquidation
 * the plan recorded (recomputed here); null when the plan has no figure for a share cap.
 */
function capCents(plan: Plan, cap: MoneyCap, name: RiskCapName, out: string[]): number | null {
  if (!isPctCap(cap)) return cap;
  const resolved = plan.riskCaps?.[name];
  if (resolved === undefined || resolved.source.kind !== 'pctOfNetLiq') {
    if (plan.condorQuantity > 0) out.push(`${name} is a share of net liquidation and the plan resolved none`);
    return null;
  }
  const expected = Math.floor(cap.pctOfNetLiq * resolved.source.netLiquidationCents + 1e-9);
  if (resolved.cents !== expected)
    out.push(`${name} resolved to ${resolved.cents}, not ${cap.pctOfNetLiq} x net liquidation = ${expected}`);
  return expected;
}

function checkCaps(plan: Plan, strategy: StrategyConfig): string[] {
  const out: string[] = [];
  const q = plan.condorQuantity;
  const maxRisk = capCents(plan, strategy.condor.maxRiskPerCycle, 'maxRiskPerCycle', out) ?? 0;
  if (q > strategy.condor.maxCondors)
    out.push(`condor quantity ${q} > maxCondors ${strategy.condor.maxCondors}`);
  if (plan.condor !== null && q * plan.condor.maxLossPerContract > maxRisk) {
    out.push(`total max loss ${q * plan.condor.maxLossPerContract} > maxRiskPerCycle ${maxRisk}`);
  }
  const order = plan.orders.find((o) => o.kind === 'condor-open');
  if (plan.condor !== null && order !== undefined) {
    // A fill at the ladder's floor (its last step) is allowed, so the cap must hold there too.
    const atFloor = (plan.condor.widthPoints * 100 - order.ladder.floor) * 100 * order.quantity;
    if (atFloor > maxRisk)
      out.push(`total max loss ${atFloor} at the ladder floor credit > maxRiskPerCycle ${maxRisk}`);
  }
  return out;
}

function checkCoverage(plan: Plan, strategy: StrategyConfig): string[] {
  const out: string[] = [];
  const c = plan.coverage;
  const sz = strategy.sizing;
  if (c.coverageTarget < sz.coverageMin - EPS || c.coverageTarget > sz.coverageMax + EPS) {
    out.push(`coverage target ${c.coverageTarget} outside [${sz.coverageMin}, ${sz.coverageMax}]`);
  }
  const q = plan.condorQuantity;
  if (q === 0) return out;
  const openLoss = c.openCondorsStressLoss ?? 0;
  const needed = c.coverageTarget * c.condorStressLossPerContract * q + openLoss;
  if (c.requiredStressPnl < needed - 1 - EPS)
    out.push(`requirement ${c.requiredStressPnl} understates c x loss x q + open condors = ${needed}`);
  if (c.existingStressPnl + c.newStressPnl < c.requiredStressPnl) {
    out.push(`coverage ${c.existingStressPnl} + ${c.newStressPnl} < requirement ${c.requiredStressPnl}`);
  }
  const book = plan.hedgeBookAfter.reduce(
    (s, l) => s + (l.counts ? l.stressPnlPerContract * l.quantity : 0),
    0,
  );
  if (book < c.requiredStressPnl)
    out.push(`hedge book after covers ${book} < requirement ${c.requiredStressPnl}`);
  const opened = plan.orders
    .filter((o) => o.kind === 'hedge-open')
    .reduce((s, o) => s + o.stressPnlPerContract * o.quantity, 0);
  if (opened !== c.newStressPnl)
    out.push(`new stress P&L ${c.newStressPnl} != sum over hedge-open orders ${opened}`);
  return out;
}

function checkBudget(plan: Plan, strategy: StrategyConfig): string[] {
  const q = plan.condorQuantity;
  if (q === 0) return [];
  const b = plan.budget;
  if (b === null) return ['trade plan without budget arithmetic'];
  const out: string[] = [];
  const credit = plan.condor?.credit ?? 0;
  const maxBudget = strategy.sizing.hedgeBudgetPct * credit * 100 * q;
  if (b.carryBudget > maxBudget + EPS)
    out.push(`carry budget ${b.carryBudget} > ${strategy.sizing.hedgeBudgetPct} x credit x q = ${maxBudget}`);
  if (b.newCarry > b.carryBudget) out.push(`new carry ${b.newCarry} > budget ${b.carryBudget}`);
  const cashGuard = capCents(plan, strategy.sizing.maxHedgePremiumPerCycle, 'maxHedgePremiumPerCycle', out);
  if (cashGuard !== null && b.premiumCap > cashGuard)
    out.push(`premium cap ${b.premiumCap} > strategy cash guard`);
  if (b.newPremium > b.premiumCap) out.push(`new premium ${b.newPremium} > cash guard ${b.premiumCap}`);
  const worstCase = plan.orders
    .filter((o) => o.kind === 'hedge-open')
    .reduce((s, o) => s + o.ladder.floor * 100 * o.quantity, 0);
  if (worstCase > b.premiumCap)
    out.push(`hedge orders may pay ${worstCase} at their max debit > cash guard ${b.premiumCap}`);
  const newIds = new Set(plan.orders.filter((o) => o.kind === 'hedge-open').map((o) => o.layerId));
  const carry = plan.hedgeBookAfter
    .filter((l) => newIds.has(l.layerId))
    .reduce((s, l) => s + l.carryPerContract * l.quantity, 0);
  if (carry !== b.newCarry)
    out.push(`new carry ${b.newCarry} != carry of the new layers in the book ${carry}`);
  return out;
}

function expectedSide(o: PlanOrder): 'debit' | 'credit' {
  return o.kind === 'hedge-open' ? 'debit' : 'credit';
}

function checkLadder(o: PlanOrder, asOf: string): string[] {
  const out: string[] = [];
  const l = o.ladder;
  const venue = orderVenue(o);
  const name = `order ${o.key}`;
  if (l.side !== expectedSide(o)) out.push(`${name}: ladder side ${l.side}`);
  if (l.venue !== venue) out.push(`${name}: ladder venue ${l.venue}, its legs trade on ${venue}`);
  if (l.prices.length === 0) return [...out, `${name}: empty ladder`];
  if (l.prices.length !== l.steps) out.push(`${name}: ${l.prices.length} prices for ${l.steps} steps`);
  if (l.prices[0] !== o.midPrice)
    out.push(`${name}: ladder starts at ${l.prices[0]}, not at mid ${o.midPrice}`);
  if (l.prices.at(-1) !== l.floor)
    out.push(`${name}: ladder ends at ${l.prices.at(-1)}, not at its floor ${l.floor}`);
  const credit = l.side === 'credit';
  l.prices.forEach((p, i) => {
    if (p <= 0) out.push(`${name}: price ${p} <= 0`);
    if (!isOnTick(venue, p)) out.push(`${name}: price ${p} off the ${venue} tick`);
    const prev = l.prices[i - 1];
    if (prev !== undefined && (credit ? p > prev : p < prev))
      out.push(`${name}: ladder not monotone at step ${i}`);
    // Never past the natural price (a credit at least the bids pay, a debit at most the asks cost).
    if (credit ? p < o.naturalPrice : p > o.naturalPrice)
      out.push(`${name}: step ${i} at ${p} goes past the natural price ${o.naturalPrice}`);
  });
  const sign = o.kind === 'condor-open' ? -1 : 1;
  const ib = l.prices.map((p) => sign * p);
  if (ib.length !== o.ibLimitPriceCents.length || ib.some((x, i) => x !== o.ibLimitPriceCents[i])) {
    out.push(
      `${name}: IB limit prices ${o.ibLimitPriceCents.join(',')} do not match the ladder (${ib.join(',')})`,
    );
  }
  if (!(Date.parse(l.deadline) > Date.parse(asOf)))
    out.push(`${name}: deadline ${l.deadline} not after ${asOf}`);
  return out;
}

function checkCondor(plan: Plan, strategy: StrategyConfig): string[] {
  const c = plan.condor;
  if (c === null) return [];
  const out: string[] = [];
  const minCredit = strategy.condor.minCreditPctOfWidth * c.widthPoints * 100;
  if (c.credit < minCredit - EPS) out.push(`condor credit ${c.credit} < minimum ${minCredit}`);
  if (c.credit >= c.widthPoints * 100) out.push(`condor credit ${c.credit} >= width ${c.widthPoints}`);
  if (!(c.longPut < c.shortPut && c.shortPut < c.shortCall && c.shortCall < c.longCall)) {
    out.push(`condor strikes out of order ${c.longPut}/${c.shortPut}/${c.shortCall}/${c.longCall}`);
  }
  if (c.spot !== undefined) {
    const d = strategy.condor.minEmMultiple * c.expectedMovePoints;
    if (c.shortPut > c.spot - d + EPS)
      out.push(`short put ${c.shortPut} inside ${strategy.condor.minEmMultiple} x EM of ${c.spot}`);
    if (c.shortCall < c.spot + d - EPS)
      out.push(`short call ${c.shortCall} inside ${strategy.condor.minEmMultiple} x EM of ${c.spot}`);
  }
  const order = plan.orders.find((o) => o.kind === 'condor-open');
  if (order !== undefined) {
    if (order.ladder.floor < minCredit - EPS)
      out.push(`condor ladder floor ${order.ladder.floor} < minimum credit ${minCredit}`);
    out.push(...checkCondorLegs(order, c));
  }
  return out;
}

function checkCondorLegs(o: PlanOrder, c: NonNullable<Plan['condor']>): string[] {
  const want: readonly [string, number, string][] = [
    ['SELL', c.shortPut, 'P'],
    ['BUY', c.longPut, 'P'],
    ['SELL', c.shortCall, 'C'],
    ['BUY', c.longCall, 'C'],
  ];
  const ok =
    o.action === 'BUY' &&
    o.legs.length === 4 &&
    want.every(([action, strike, right], i) => {
      const leg = o.legs[i];
      return (
        leg !== undefined &&
        leg.action === action &&
        leg.contract.strike === strike &&
        leg.contract.right === right &&
        leg.contract.expiry === c.expiry
      );
    });
  return ok
    ? []
    : ['condor order is not BUY BAG of SELL short put, BUY long put, SELL short call, BUY long call'];
}

/** Hedge orders trade a layer as held: a long VIX call, or a long call vertical (BUY the lower strike). */
function checkHedgeLegs(plan: Plan): string[] {
  const out: string[] = [];
  for (const o of plan.orders) {
    if (o.kind === 'condor-open') continue;
    if (o.kind === 'hedge-open' && o.action !== 'BUY') out.push(`order ${o.key}: a hedge-open must BUY`);
    const calls = o.legs.every((l) => l.contract.symbol === 'VIX' && l.contract.right === 'C');
    const [first, second] = o.legs;
    const shapeOk =
      calls &&
      first !== undefined &&
      first.action === 'BUY' &&
      (o.legs.length === 1 ||
        (o.legs.length === 2 &&
          second !== undefined &&
          second.action === 'SELL' &&
          second.contract.strike > first.contract.strike &&
          second.contract.expiry === first.contract.expiry &&
          second.contract.tradingClass === first.contract.tradingClass));
    if (!shapeOk) out.push(`order ${o.key}: legs are not a long VIX call or a long call vertical`);
  }
  return out;
}

function checkRollsAndTrims(plan: Plan, strategy: StrategyConfig): string[] {
  const out: string[] = [];
  for (const o of plan.orders) {
    if (o.kind !== 'hedge-roll-close' && o.kind !== 'hedge-trim') continue;
    const layer = plan.hedgeBookBefore.find((l) => l.layerId === o.layerId);
    if (layer === undefined) {
      out.push(`order ${o.key}: sells unknown layer ${String(o.layerId)}`);
      continue;
    }
    if (o.action !== 'SELL') out.push(`order ${o.key}: a roll or trim must SELL`);
    if (o.quantity > layer.quantity) out.push(`order ${o.key}: sells ${o.quantity} of ${layer.quantity}`);
    if (o.kind === 'hedge-roll-close') {
      if (layer.dte >= strategy.hedge.minHedgeDte)
        out.push(`order ${o.key}: rolls a layer ${layer.dte}d from expiry`);
      if (plan.hedgeBookAfter.some((l) => l.layerId === layer.layerId))
        out.push(`rolled layer ${layer.layerId} still in the book`);
    }
    if (o.kind === 'hedge-trim' && plan.condor === null)
      out.push(`order ${o.key}: trim without a selected condor`);
  }
  return out;
}

/** Nothing is worked outside the regular session: a closed market has no order, an open one none past the close. */
function checkMarketHours(plan: Plan): string[] {
  const h = plan.marketHours;
  if (h.status === 'closed')
    return plan.orders.length > 0
      ? [`market closed (${h.why}) but the plan has ${plan.orders.length} order(s)`]
      : [];
  return plan.orders
    .filter((o) => Date.parse(o.ladder.deadline) > Date.parse(h.closeAt))
    .map((o) => `order ${o.key}: deadline ${o.ladder.deadline} after the ${h.closeAt} close`);
}

/** Every violated invariant of the plan, one line each; empty when the plan is sound. */
export function checkPlan(plan: Plan, strategy: StrategyConfig): string[] {
  return [
    ...checkKindsAndOrder(plan),
    ...checkQuantities(plan),
    ...checkOutcome(plan),
    ...checkCaps(plan, strategy),
    ...checkCoverage(plan, strategy),
    ...checkBudget(plan, strategy),
    ...plan.orders.flatMap((o) => checkLadder(o, plan.asOf)),
    ...checkCondor(plan, strategy),
    ...checkHedgeLegs(plan),
    ...checkRollsAndTrims(plan, strategy),
    ...checkMarketHours(plan),
  ];
}
