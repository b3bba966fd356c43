// The plan's invariant seen from the broker's side (the simulator's venue), independent of the
// executor's own bookkeeping: after every venue event, live condor contracts (working + filled) must
// not exceed what the hedge contracts filled at the venue cover (docs/strategy.md section 4.3).
// Filled condor contracts count at the credit the venue filled them at, the rest at the ladder floor.
import { condorStressLossAt } from '../../src/domain/execution/coverage.ts';
import { parseOrderRef } from '../../src/domain/execution/order-ref.ts';
import { requirementCents } from '../../src/domain/hedge/sizing.ts';
import { cents } from '../../src/domain/money.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { SimOrderView, SimVenue } from '../../src/sim/engine-api.ts';

const WORKING = new Set(['PendingSubmit', 'PreSubmitted', 'Submitted', 'PendingCancel']);

export interface BrokerCoverage {
  readonly coverageCents: number;
  readonly liveCondor: number;
  /** Hedge stress P&L the live condor contracts need, cents. */
  readonly needCents: number;
}

/** The plan's orders at the venue (not what-if answers), working or completed today. */
export function planOrdersAtVenue(venue: SimVenue, plan: Plan): SimOrderView[] {
  return venueOrders(venue).filter((o) => {
    const p = parseOrderRef(o.request.orderRef);
    return p.ok && p.value.planId === plan.planId;
  });
}

export function brokerCoverage(venue: SimVenue, plan: Plan): BrokerCoverage {
  return brokerCoverageOf(planOrdersAtVenue(venue, plan), plan);
}

/** Every non-whatIf order at the venue now, working or completed today (a snapshot to judge later). */
export function venueOrders(venue: SimVenue): SimOrderView[] {
  return [...venue.openOrders({}), ...venue.completedOrders({}).map((c) => c.order)].filter(
    (o) => !o.request.whatIf,
  );
}

/** The invariant over a snapshot of the venue's orders (those of other plans are ignored). */
export function brokerCoverageOf(orders: readonly SimOrderView[], plan: Plan): BrokerCoverage {
  const byKey = new Map(plan.orders.map((o) => [o.key, o]));
  let coverage = plan.coverage.existingStressPnl as number;
  let liveCondor = 0;
  let filledCondor = 0;
  let filledLoss = 0;
  const condor = plan.condor;
  const condorOrder = plan.orders.find((o) => o.kind === 'condor-open');
  const sentKeys = new Set<string>();
  for (const o of orders) {
    const p = parseOrderRef(o.request.orderRef);
    if (!p.ok || p.value.planId !== plan.planId) continue;
    sentKeys.add(p.value.orderKey);
    const order = byKey.get(p.value.orderKey);
    if (order === undefined) throw new Error(`${o.request.orderRef}: not an order of the plan`);
    const live = WORKING.has(o.status) ? Math.max(o.request.totalQuantity, o.filled) : o.filled;
    switch (order.kind) {
      case 'hedge-open':
        coverage += order.stressPnlPerContract * o.filled;
        break;
      case 'hedge-trim':
        // existingStressPnl is the book after every planned trim: give back what is not sold or selling.
        coverage += order.stressPnlPerContract * (order.quantity - live);
        break;
      case 'hedge-roll-close':
        break;
      case 'condor-open':
        if (condor === null) throw new Error('a condor order without a condor selection');
        liveCondor += live;
        filledCondor += o.filled;
        if (o.filled > 0)
          filledLoss +=
            o.filled *
            condorStressLossAt(condor, Math.round(Math.abs(o.avgFillPrice) * 100), plan.coverage.stressSpx);
        break;
    }
  }
  // Trims never sent yet are still in the book.
  for (const order of plan.orders)
    if (order.kind === 'hedge-trim' && !sentKeys.has(order.key))
      coverage += order.stressPnlPerContract * order.quantity;
  let needCents = 0;
  if (liveCondor > 0 && condor !== null && condorOrder !== undefined) {
    const atFloor = condorStressLossAt(condor, condorOrder.ladder.floor, plan.coverage.stressSpx);
    const loss = filledLoss + atFloor * (liveCondor - filledCondor);
    needCents = requirementCents(plan.coverage.coverageTarget, cents(1), loss);
  }
  return { coverageCents: coverage, liveCondor, needCents };
}

/** Coverage broken in any of the snapshots, one line each. */
export function coverageViolations(snapshots: readonly (readonly SimOrderView[])[], plan: Plan): string[] {
  const out: string[] = [];
  snapshots.forEach((orders, i) => {
    const c = brokerCoverageOf(orders, plan);
    if (c.needCents > c.coverageCents) out.push(violation(`venue event ${i}`, c));
  });
  return out;
}

function violation(at: string, c: BrokerCoverage): string {
  return `after ${at}: ${c.liveCondor} live condor contracts need ${c.needCents} cents of hedge stress P&L, the venue's filled hedges give ${c.coverageCents}`;
}

/**
 * Checks the invariant after every venue event until stopped; returns what it saw. The events of
 * one venue action arrive together, so a check may see a state between two of them: that is the
 * broker's view as a second client would read it.
 */
export function watchBrokerCoverage(
  venue: SimVenue,
  plan: Plan,
): { readonly violations: string[]; readonly checks: () => number; stop(): void } {
  const violations: string[] = [];
  let checks = 0;
  const stop = venue.onEvent((e) => {
    if (e.type !== 'openOrder' && e.type !== 'orderStatus' && e.type !== 'execution') return;
    checks++;
    const c = brokerCoverage(venue, plan);
    if (c.needCents > c.coverageCents) violations.push(violation(e.type, c));
  });
  return { violations, checks: () => checks, stop };
}
