// What the strategy did and cost, from the journal (plans, orders, executions, commissions) and
// settlement values: per cycle and cumulative P&L split into condor, hedge and costs, P&L and IRR
// per position and for the book, maximum drawdown, coverage and hedge carry against the credit,
// the book's Greeks in dollars, VIX and the regime signals that fired.
//
// Conventions (the README section "Reports" says them for users):
// - Condor and hedge P&L are at the mid of decision time (each plan order's midPrice); what the
//   fills paid beyond the mid is slippage, a cost beside commissions. So condor + hedge - costs
//   equals what the fills, commissions and settlements really came to, to the cent.
// - A condor counts in the cycle that sold it, when it has settled; until then it is marked at the
//   mid it was sold at (P&L 0).
// - Hedge layers are marked at the mid each cycle's plan recorded (hedgeBookAfter), sampled at the
//   close of each cycle date; a layer no plan has marked since it opened is marked at its entry price.
import type { CommissionReport, PositionReport } from '../broker-reports.ts';
import type { TradingCalendar } from '../calendar.ts';
import type { IsoDate } from '../instruments.ts';
import type { JournalFill, JournalOrder } from '../journal-view.ts';
import { effectiveFills, filledFromFills, netPriceFromFills, positionsFromFills } from '../journal-view.ts';
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import type { BookGreeks } from '../plan/greeks.ts';
import type { NoTradeReason, Plan, PlanOrder } from '../plan/types.ts';
import type { SignalId } from '../signals/signal.ts';
import type { SettlementLookup, SettlementProblem } from '../settlement.ts';
import { bookSettlements, settlementDueMs } from '../settlement.ts';
import type { Drawdown } from './drawdown.ts';
import { maxDrawdown } from './drawdown.ts';
import type { DatedFlow, Irr } from './irr.ts';
import { irrOf } from './irr.ts';

export interface AccountingInput {
  /** The journaled plans of the period (any order). */
  readonly plans: readonly Plan[];
  /** Their orders and the fills and commissions of those orders. */
  readonly orders: readonly JournalOrder[];
  readonly fills: readonly JournalFill[];
  readonly commissions: readonly CommissionReport[];
  readonly settlementValues: SettlementLookup;
  readonly calendar: TradingCalendar;
  /** The report's time: settlements due after it are pending, open layers are marked at it. */
  readonly nowMs: number;
  /** The broker's positions when connected (a settlement it has not booked is flagged), else null. */
  readonly brokerPositions: readonly PositionReport[] | null;
}

export type PositionGroup = 'condor' | 'hedge';

export interface CyclePnl {
  readonly cycleDate: IsoDate;
  readonly planId: string;
  readonly traded: boolean;
  readonly noTradeReason: NoTradeReason | null;
  readonly condorQuantity: number;
  /** Condor P&L at the mid of decision time, once settled; 0 while pending. */
  readonly condorPnlCents: Cents;
  readonly condorSettled: boolean;
  /** Change of the hedge book's value (at mid, marks and settlements) since the previous cycle. */
  readonly hedgePnlCents: Cents;
  readonly commissionsCents: Cents;
  /** Paid beyond the mid of decision time (positive is a cost). */
  readonly slippageCents: Cents;
  readonly netPnlCents: Cents;
  readonly cumulativeNetCents: Cents;
  readonly coverageTarget: number;
  /** Hedge stress P&L over condor stress loss as planned (null without a condor). */
  readonly coveragePlanned: number | null;
  /** The same with the quantities that filled (null when no condor filled). */
  readonly coverageFilled: number | null;
  /** The whole book's carry per session over this cycle's credit (null without a credit). */
  readonly carryShareOfCredit: number | null;
  /** Spot VIX the plan saw (its scenario row at SPX +0%); null if absent. */
  readonly vix: number | null;
  readonly firedSignals: readonly SignalId[];
  readonly regimeMultiplier: number;
  readonly greeks: BookGreeks;
}

export type PositionStatus = 'open' | 'closed' | 'settled' | 'pending-settlement';

export interface PositionPnl {
  /** "condor:<planId>" or the hedge layer id. */
  readonly id: string;
  readonly group: PositionGroup;
  readonly openedOn: IsoDate;
  readonly description: string;
  readonly status: PositionStatus;
  /** Premiums, commissions, settlements, plus the mark of what is still open. */
  readonly pnlCents: Cents;
  /** Condor: max loss x contracts; hedge: premium paid. */
  readonly capitalCents: Cents;
  readonly returnOnCapital: number | null;
  readonly irr: Irr;
}

export interface AccountingTotals {
  readonly condorPnlCents: Cents;
  readonly hedgePnlCents: Cents;
  readonly commissionsCents: Cents;
  readonly slippageCents: Cents;
  readonly netPnlCents: Cents;
  /** What reached the account's cash: premiums, commissions and settlements (equals the broker's). */
  readonly realizedCashCents: Cents;
  /** The marks of what is still open (hedge layers at their last mid, condors at their mid credit). */
  readonly openMarksCents: Cents;
}

export interface BookReport {
  readonly cycles: readonly CyclePnl[];
  readonly positions: readonly PositionPnl[];
  readonly totals: AccountingTotals;
  readonly bookIrr: Irr;
  readonly drawdown: Drawdown;
  /** The book's Greeks after the last cycle's plan (null without a plan). */
  readonly greeks: BookGreeks | null;
  readonly settlementProblems: readonly SettlementProblem[];
  /** Condors and layers whose settlement is not due yet. */
  readonly pendingSettlements: number;
}

// ---------------------------------------------------------------------------------------------

interface OrderFlow {
  readonly order: JournalOrder;
  readonly planOrder: PlanOrder | null;
  readonly group: PositionGroup;
  readonly positionId: string;
  readonly fills: readonly JournalFill[];
  readonly units: number;
  readonly firstFillMs: number;
  readonly actualCents: number;
  readonly midCents: number;
  readonly commissionCents: number;
}

function fillCash(f: JournalFill): number {
  if (f.contract.kind !== 'option') return 0;
  return (f.side === 'SLD' ? 1 : -1) * f.price * f.quantity * f.contract.contract.multiplier;
}

function multiplierOf(o: JournalOrder): number {
  const c = o.intent.contract;
  return c.kind === 'single' ? c.contract.multiplier : (c.legs[0]?.contract.multiplier ?? 100);
}

function orderFlows(input: AccountingInput, plans: ReadonlyMap<string, Plan>): OrderFlow[] {
  const fillsByRef = new Map<string, JournalFill[]>();
  for (const f of input.fills) {
    const list = fillsByRef.get(f.orderRef) ?? [];
    list.push(f);
    fillsByRef.set(f.orderRef, list);
  }
  const commissionOf = new Map<string, number>();
  for (const c of input.commissions) commissionOf.set(c.execId, c.commission);
  const out: OrderFlow[] = [];
  for (const o of input.orders) {
    const all = fillsByRef.get(o.intent.orderRef) ?? [];
    const fills = effectiveFills(all);
    if (fills.length === 0) continue;
    const units = filledFromFills(o.intent.contract, fills);
    const planOrder = plans.get(o.intent.planId)?.orders.find((p) => p.key === o.intent.orderKey) ?? null;
    const actual = fills.reduce((s, f) => s + fillCash(f), 0);
    // Without the plan's mid (a plan outside the period) the fill is its own mid: no slippage.
    const mid =
      planOrder === null
        ? actual
        : (planOrder.ladder.side === 'credit' ? 1 : -1) * planOrder.midPrice * units * multiplierOf(o);
    const group: PositionGroup = o.orderKind === 'condor-open' ? 'condor' : 'hedge';
    out.push({
      order: o,
      planOrder,
      group,
      positionId:
        group === 'condor' ? `condor:${o.intent.planId}` : (o.layerId ?? `order:${o.intent.orderRef}`),
      fills,
      units,
      firstFillMs: Math.min(...fills.map((f) => f.timeMs)),
      actualCents: actual,
      midCents: mid,
      commissionCents: all.reduce((s, f) => s + (commissionOf.get(f.execId) ?? 0), 0),
    });
  }
  return out.sort((a, b) => a.firstFillMs - b.firstFillMs);
}

interface PositionState {
  readonly id: string;
  readonly group: PositionGroup;
  readonly flows: OrderFlow[];
  openedOn: IsoDate;
  settlementCents: number;
  settlementMs: number | null;
  pending: number;
  problems: number;
  expiry: IsoDate | null;
}

/** Marks of each hedge layer as the plans recorded them, oldest first. */
function layerMarks(plans: readonly Plan[]): Map<string, { atMs: number; mark: number }[]> {
  const out = new Map<string, { atMs: number; mark: number }[]>();
  for (const p of plans) {
    const atMs = Date.parse(p.asOf);
    const seen = new Set<string>();
    for (const l of [...p.hedgeBookAfter, ...p.hedgeBookBefore]) {
      if (seen.has(l.layerId)) continue;
      seen.add(l.layerId);
      const list = out.get(l.layerId) ?? [];
      list.push({ atMs, mark: l.markPrice });
      out.set(l.layerId, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.atMs - b.atMs);
  return out;
}

function layerDescription(flows: readonly OrderFlow[]): string {
  const open = flows.find((f) => f.order.orderKind === 'hedge-open') ?? flows[0];
  const c = open?.order.intent.contract;
  if (c === undefined) return '';
  if (c.kind === 'single') return `${c.contract.tradingClass} ${c.contract.expiry} ${c.contract.strike}C`;
  const legs = c.legs.map((l) => `${l.action === 'BUY' ? '+' : '-'}${l.contract.strike}${l.contract.right}`);
  const first = c.legs[0]?.contract;
  return first === undefined ? '' : `${first.tradingClass} ${first.expiry} ${legs.join('/')}`;
}

function sumOf<T>(xs: readonly T[], f: (x: T) => number): number {
  let s = 0;
  for (const x of xs) s += f(x);
  return s;
}

export function buildBookReport(input: AccountingInput): BookReport {
  const plans = [...input.plans].sort(
    (a, b) => a.cycleDate.localeCompare(b.cycleDate) || Date.parse(a.asOf) - Date.parse(b.asOf),
  );
  const planById = new Map(plans.map((p) => [p.planId, p]));
  const flows = orderFlows(input, planById);

  // Positions and their settlements.
  const positions = new Map<string, PositionState>();
  for (const f of flows) {
    let p = positions.get(f.positionId);
    if (p === undefined) {
      p = {
        id: f.positionId,
        group: f.group,
        flows: [],
        openedOn: f.order.cycleDate,
        settlementCents: 0,
        settlementMs: null,
        pending: 0,
        problems: 0,
        expiry: null,
      };
      positions.set(f.positionId, p);
    }
    p.flows.push(f);
    if (f.order.cycleDate < p.openedOn) p.openedOn = f.order.cycleDate;
  }
  const problems: SettlementProblem[] = [];
  const problemKeys = new Set<string>();
  for (const p of positions.values()) {
    const held = positionsFromFills(p.flows.flatMap((f) => f.fills));
    const booking = bookSettlements({
      positions: held.values(),
      nowMs: input.nowMs,
      calendar: input.calendar,
      values: input.settlementValues,
      brokerPositions: input.brokerPositions,
    });
    p.settlementCents = booking.totalCashCents;
    p.pending = booking.pending.length;
    p.problems = booking.problems.length;
    for (const s of booking.settled) {
      const due = settlementDueMs(s.contract, input.calendar);
      if (due !== null) p.settlementMs = Math.max(p.settlementMs ?? due, due);
    }
    for (const x of held.values())
      if (p.expiry === null || x.contract.expiry > p.expiry) p.expiry = x.contract.expiry;
    for (const pr of booking.problems) {
      const k = `${pr.kind}|${pr.key}`;
      if (problemKeys.has(k)) continue;
      problemKeys.add(k);
      problems.push(pr);
    }
  }
  const settledOf = (p: PositionState): boolean =>
    p.settlementMs !== null && p.pending === 0 && p.problems === 0;

  // Hedge value at a time: mid cash of its orders, settlements due, and the marks of what is open.
  const marks = layerMarks(plans);
  const hedges = [...positions.values()].filter((p) => p.group === 'hedge');
  /** A layer's open mark at t (units held x the latest mark), 0 once settled or closed. */
  const openMarkAt = (p: PositionState, t: number): number => {
    if (p.settlementMs !== null && p.settlementMs <= t) return 0;
    let units = 0;
    for (const f of p.flows) {
      const byT = f.fills.filter((x) => x.timeMs <= t);
      units += (f.order.orderKind === 'hedge-open' ? 1 : -1) * filledFromFills(f.order.intent.contract, byT);
    }
    if (units <= 0) return 0;
    let mark: number | null = null;
    for (const m of marks.get(p.id) ?? []) if (m.atMs <= t) mark = m.mark;
    if (mark === null) {
      const open = p.flows.find((f) => f.order.orderKind === 'hedge-open');
      mark = open === undefined ? 0 : Math.abs(netPriceFromFills(open.fills, open.units) ?? 0);
    }
    return units * mark * 100;
  };
  const hedgeValueAt = (t: number): number => {
    let v = 0;
    for (const p of hedges) {
      for (const f of p.flows) if (f.firstFillMs <= t) v += f.midCents;
      if (p.settlementMs !== null && p.settlementMs <= t) v += p.settlementCents;
      v += openMarkAt(p, t);
    }
    return v;
  };

  // Cycles.
  const cycles: CyclePnl[] = [];
  let cumulative = 0;
  let prevHedge = 0;
  plans.forEach((plan, i) => {
    const own = flows.filter((f) => f.order.intent.planId === plan.planId);
    const condorFlows = own.filter((f) => f.group === 'condor');
    const condorPos = positions.get(`condor:${plan.planId}`);
    const condorSettled = condorPos !== undefined && settledOf(condorPos);
    const condorPnl = condorSettled ? sumOf(condorFlows, (f) => f.midCents) + condorPos.settlementCents : 0;
    const session = input.calendar.session(plan.cycleDate);
    const closeMs = session === null ? Date.parse(plan.asOf) : Date.parse(session.close);
    const t = i === plans.length - 1 ? input.nowMs : Math.min(closeMs, input.nowMs);
    const hedgeNow = hedgeValueAt(t);
    const hedgePnl = hedgeNow - prevHedge;
    prevHedge = hedgeNow;
    const commissions = sumOf(own, (f) => f.commissionCents);
    const slippage = sumOf(own, (f) => f.midCents - f.actualCents);
    const net = condorPnl + hedgePnl - commissions - slippage;
    cumulative += net;
    const condorQty = sumOf(condorFlows, (f) => f.units);
    const cov = plan.coverage;
    const newStress = sumOf(
      own.filter((f) => f.order.orderKind === 'hedge-open'),
      (f) => f.units * (f.planOrder?.stressPnlPerContract ?? 0),
    );
    const lossAtFill = cov.condorStressLossPerContract * condorQty;
    const zeroRow = plan.scenarios.find((r) => r.label === 'move' && r.spxMovePct === 0);
    cycles.push({
      cycleDate: plan.cycleDate,
      planId: plan.planId,
      traded: plan.outcome.kind === 'trade',
      noTradeReason: plan.outcome.kind === 'no-trade' ? plan.outcome.reason : null,
      condorQuantity: condorQty,
      condorPnlCents: cents(Math.round(condorPnl)),
      condorSettled,
      hedgePnlCents: cents(Math.round(hedgePnl)),
      commissionsCents: cents(Math.round(commissions)),
      slippageCents: cents(Math.round(slippage)),
      netPnlCents: cents(Math.round(net)),
      cumulativeNetCents: cents(Math.round(cumulative)),
      coverageTarget: cov.coverageTarget,
      coveragePlanned: cov.coverageRatio,
      coverageFilled: lossAtFill > 0 ? (cov.existingStressPnl + newStress) / lossAtFill : null,
      carryShareOfCredit:
        plan.bookCarry.creditCents > 0
          ? plan.bookCarry.carryPerSessionCents / plan.bookCarry.creditCents
          : null,
      vix: zeroRow?.vixSpot ?? null,
      firedSignals: plan.signals.filter((s) => s.fired).map((s) => s.id),
      regimeMultiplier: cov.regimeMultiplier,
      greeks: plan.greeks.after,
    });
  });

  // Positions: P&L, capital, IRR.
  const bookFlows: DatedFlow[] = [];
  let realizedCash = 0;
  let openMarks = 0;
  const positionRows: PositionPnl[] = [];
  for (const p of positions.values()) {
    const cash: DatedFlow[] = [];
    for (const f of p.flows) {
      for (const x of f.fills) cash.push({ atMs: x.timeMs, amountCents: fillCash(x) });
      cash.push({ atMs: f.firstFillMs, amountCents: -f.commissionCents });
    }
    const settled = settledOf(p);
    const endMs = settled && p.settlementMs !== null ? p.settlementMs : input.nowMs;
    if (p.settlementMs !== null) cash.push({ atMs: p.settlementMs, amountCents: p.settlementCents });
    let status: PositionStatus;
    let capital: number;
    let extra: DatedFlow[] = [];
    if (p.group === 'condor') {
      const plan = planById.get(p.id.slice('condor:'.length));
      const units = sumOf(p.flows, (f) => f.units);
      capital = (plan?.condor?.maxLossPerContract ?? 0) * units;
      status = settled ? 'settled' : 'pending-settlement';
      // Marked at its mid credit until it settles.
      if (!settled) extra.push({ atMs: input.nowMs, amountCents: -sumOf(p.flows, (f) => f.midCents) });
    } else {
      capital = -sumOf(
        p.flows.filter((f) => f.order.orderKind === 'hedge-open'),
        (f) => f.actualCents,
      );
      const closed = sumOf(p.flows, (f) => (f.order.orderKind === 'hedge-open' ? f.units : -f.units)) <= 0;
      status = settled ? 'settled' : closed ? 'closed' : p.problems > 0 ? 'pending-settlement' : 'open';
      const mark = openMarkAt(p, input.nowMs);
      if (mark !== 0) extra = [{ atMs: input.nowMs, amountCents: mark }];
    }
    const all = [...cash, ...extra];
    realizedCash += sumOf(cash, (f) => f.amountCents);
    openMarks += sumOf(extra, (f) => f.amountCents);
    const pnl = sumOf(all, (f) => f.amountCents);
    const capitalFlows: DatedFlow[] =
      p.group === 'condor' && capital > 0
        ? [
            { atMs: Math.min(...p.flows.map((f) => f.firstFillMs)), amountCents: -capital },
            { atMs: endMs, amountCents: capital },
          ]
        : [];
    const irrFlows = [...all, ...capitalFlows];
    bookFlows.push(...irrFlows);
    positionRows.push({
      id: p.id,
      group: p.group,
      openedOn: p.openedOn,
      description:
        p.group === 'condor' ? condorDescription(planById.get(p.id.slice(7))) : layerDescription(p.flows),
      status,
      pnlCents: cents(Math.round(pnl)),
      capitalCents: cents(Math.round(capital)),
      returnOnCapital: capital > 0 ? pnl / capital : null,
      irr: irrOf(irrFlows),
    });
  }
  positionRows.sort((a, b) => a.openedOn.localeCompare(b.openedOn) || a.id.localeCompare(b.id));

  const totals: AccountingTotals = {
    condorPnlCents: cents(sumOf(cycles, (c) => c.condorPnlCents)),
    hedgePnlCents: cents(sumOf(cycles, (c) => c.hedgePnlCents)),
    commissionsCents: cents(sumOf(cycles, (c) => c.commissionsCents)),
    slippageCents: cents(sumOf(cycles, (c) => c.slippageCents)),
    netPnlCents: cents(sumOf(cycles, (c) => c.netPnlCents)),
    realizedCashCents: cents(Math.round(realizedCash)),
    openMarksCents: cents(Math.round(openMarks)),
  };
  const last = plans[plans.length - 1];
  return {
    cycles,
    positions: positionRows,
    totals,
    bookIrr: irrOf(bookFlows),
    drawdown: maxDrawdown(
      cycles.map((c) => ({ label: c.cycleDate, equityCents: c.cumulativeNetCents })),
      { label: 'start', equityCents: 0 },
    ),
    greeks: last?.greeks.after ?? null,
    settlementProblems: problems,
    pendingSettlements: sumOf([...positions.values()], (p) => p.pending),
  };
}

function condorDescription(plan: Plan | undefined): string {
  const c = plan?.condor;
  if (c === undefined || c === null) return 'SPXW condor';
  return `SPXW ${c.expiry} ${c.longPut}/${c.shortPut}P ${c.shortCall}/${c.longCall}C`;
}
