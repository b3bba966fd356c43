// A journal of several real daily cycles for the accounting and report tests: the simulator
// in-process (memory broker and journal, virtual clock), each day a snapshot with the journal's
// hedge book, the planner, and the real executor; then the clock runs on so the condors settle.
import { captureSnapshot } from '../../src/app/capture-snapshot.ts';
import { executePlan } from '../../src/app/execute-plan.ts';
import { simCalendar } from '../../src/cli/wiring/simulator.ts';
import { nyDate, nyTimestamp } from '../../src/domain/calendar.ts';
import { effectiveFills } from '../../src/domain/journal-view.ts';
import type { JournalFill, JournalOrder } from '../../src/domain/journal-view.ts';
import type { CommissionReport } from '../../src/domain/broker-reports.ts';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { SettlementLookup } from '../../src/domain/settlement.ts';
import type { JournalReader } from '../../src/ports/journal.ts';
import type { DriverRig } from '../app/execute-plan-rig.ts';
import { STRATEGY, driverRig, request, runUntil } from '../app/execute-plan-rig.ts';

export interface CampaignRun {
  readonly rig: DriverRig;
  readonly plans: Plan[];
  /** Venue cash (cents) before the first plan. */
  readonly startCashCents: number;
}

/** Runs `days` daily cycles from Monday 2026-03-16 15:45 New York; the caller stops the rig. */
export async function runCycles(days: number, seed = 7): Promise<CampaignRun> {
  const rig = await driverRig({ seed });
  const cal = simCalendar();
  const startCashCents = rig.engine.venue.state().cashCents;
  const plans: Plan[] = [];
  let day = nyDate(new Date(rig.clock.nowMs()).toISOString());
  for (let i = 0; i < days; i++) {
    if (i > 0) {
      day = cal.nextTradingDay(day);
      rig.clock.advanceTo(Date.parse(nyTimestamp(day, 15 * 60 + 45)));
    }
    const snap = await captureSnapshot(rig.data, {
      calendar: cal,
      events: [],
      hedgeBook: rig.journal.hedgeBook(day),
      rates: { riskFree: 0.04, spxDividendYield: 0.013 },
      vixDteWindow: [14, 45],
    });
    if (!snap.ok) throw new Error(snap.error.detail);
    const plan = buildPlan({ snapshot: snap.value, strategy: STRATEGY, calendar: cal, mode: 'sim' });
    plans.push(plan);
    if (plan.outcome.kind === 'trade' || plan.orders.length > 0)
      await runUntil(rig.clock, executePlan(rig.ports, request(plan)));
  }
  return { rig, plans, startCashCents };
}

/** Moves the virtual clock to a New York time (the market steps and the venue settles on the way). */
export function runTo(rig: DriverRig, day: string, minutes: number): void {
  rig.clock.advanceTo(Date.parse(nyTimestamp(day, minutes)));
}

export interface JournalData {
  readonly plans: Plan[];
  readonly orders: JournalOrder[];
  readonly fills: JournalFill[];
  readonly commissions: CommissionReport[];
}

/** Everything the accounting reads from a journal. */
export function journalData(j: JournalReader): JournalData {
  const plans = j
    .recentPlans(10_000)
    .map((s) => j.plan(s.planId)?.plan)
    .filter((p): p is Plan => p !== undefined);
  const orders = plans.flatMap((p) => [...j.ordersOfPlan(p.planId)]);
  const fills: JournalFill[] = [];
  const commissions: CommissionReport[] = [];
  for (const o of orders) {
    const f = j.fillsOf(o.intent.orderRef);
    if (f === null) continue;
    fills.push(...f.fills);
    commissions.push(...f.commissions);
  }
  return { plans, orders, fills: effectiveFills(fills), commissions };
}

/** The simulator's own settlement values (what its venue settles with). */
export function simSettlements(rig: DriverRig): SettlementLookup {
  return (style, date) => rig.engine.market.settlementValue(style === 'SPX-PM' ? 'SPX-PM' : 'VIX-SOQ', date);
}
