// Journal benchmarks: the SQLite journal's append rate (events that precede a send are fsynced, the
// others are not), and reconciliation of a 10,000-order journal (read the view from SQLite, then
// the pure reconcile against today's reports). Target for the latter: under 1 s.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteJournal } from '../src/adapters/sqlite/sqlite-journal.ts';
import { projectPath } from '../src/config/paths.ts';
import { addCalendarDays } from '../src/domain/calendar.ts';
import { reconcileScope } from '../src/domain/journal-view.ts';
import { reconcile } from '../src/domain/reconcile.ts';
import type { JournalEvent, JournalPort } from '../src/ports/journal.ts';
import type { OrderSpec, PlanSpec } from '../test/support/reconcile-world.ts';
import { ABSENCE_AFTER_MS, NOW_MS, TODAY, buildWorld } from '../test/support/reconcile-world.ts';
import { ACCOUNT, intentFor, samplePlan } from '../test/support/journal-fixtures.ts';
import { summarize, type Timing } from './stats.ts';

/** On the project's disk (under bench/results, ignored by git), not a RAM disk: fsync must reach the device. */
function diskDir(): string {
  return mkdtempSync(join(projectPath('bench/results'), 'journal-'));
}

/**
 * A RAM disk when there is one: the reconcile figure measures reading and reconciling a journal
 * already in the page cache, and building 10,000 orders with an fsync per intent would take minutes.
 */
function ramDir(): string {
  return mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ironvix-journal-'));
}

function elapsedMs(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export interface AppendFigures {
  /** order-intended: one transaction, synchronous=FULL (WAL fsynced) per event. */
  readonly fsyncedEventsPerSec: number;
  readonly fsyncedAppendMs: Timing;
  /** order-status: one transaction per event, synchronous=NORMAL. */
  readonly normalEventsPerSec: number;
  readonly normalAppendMs: Timing;
  readonly events: number;
}

/** Appends `events` order intents (fsynced) and as many statuses (not fsynced) to a fresh journal. */
export function benchJournalAppend(events = 1000): AppendFigures {
  const dir = diskDir();
  const j = openSqliteJournal({ dataDir: dir, mode: 'sim', nowMs: NOW_MS });
  try {
    const plan = { ...samplePlan(), orders: samplePlan().orders.slice(0, 1) };
    j.append({ type: 'plan-started', plan, atMs: NOW_MS });
    const key = plan.orders[0]!.key;
    const run = (make: (i: number) => JournalEvent): { perSec: number; timing: Timing } => {
      const samples: number[] = [];
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < events; i++) {
        const e = make(i);
        const t = process.hrtime.bigint();
        const r = j.append(e);
        samples.push(elapsedMs(t));
        if (r.kind !== 'appended') throw new Error(`bench append ${r.kind}`);
      }
      return { perSec: Math.round(events / (elapsedMs(t0) / 1000)), timing: summarize(samples) };
    };
    const intents = run((i) => ({
      type: 'order-intended',
      intent: intentFor(plan, key, 10_000 + i, { attempt: i + 1 }),
      atMs: NOW_MS + i,
    }));
    const statuses = run((i) => ({
      type: 'order-status',
      orderRef: intentFor(plan, key, 10_000 + i, { attempt: i + 1 }).orderRef,
      permId: 1 + i,
      status: 'Submitted',
      filled: 0,
      remaining: 1,
      avgFillPrice: null,
      atMs: NOW_MS + i,
    }));
    return {
      fsyncedEventsPerSec: intents.perSec,
      fsyncedAppendMs: intents.timing,
      normalEventsPerSec: statuses.perSec,
      normalAppendMs: statuses.timing,
      events,
    };
  } finally {
    j.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReconcileFigures {
  readonly orders: number;
  readonly executions: number;
  /** Orders and executions in the reconcile's view (the rest is history it cannot change). */
  readonly viewOrders: number;
  readonly viewExecutions: number;
  /** Reading the reconcile view from SQLite. */
  readonly viewMs: Timing;
  /** The same from the whole journal, without the scope (for comparison). */
  readonly wholeJournalMs: Timing;
  /** The pure reconcile of that view against today's reports. */
  readonly reconcileMs: Timing;
  /** Both: what `ironvix reconcile` spends beyond the broker round trips. */
  readonly totalMs: Timing;
  readonly targetMs: 1000;
  readonly verdict: 'ok' | 'over target';
  readonly setupMs: number;
}

/** A plan of the three orders in every state the journal can hold them in. */
function planOrders(i: number, today: boolean): OrderSpec[] {
  const known = {
    submit: 'sent',
    fillsKnown: 9,
    commissionsKnown: true,
    status: 'final',
    ageMs: 600_000,
  } as const;
  if (!today) {
    return [
      { key: 'hedge:A:open', quantity: 2, fate: { kind: 'filled', fills: [1, 1] }, knowledge: known },
      { key: 'hedge:B:open', quantity: 2, fate: { kind: 'cancelled', fills: [1] }, knowledge: known },
      { key: 'condor', quantity: 1, fate: { kind: 'filled', fills: [1] }, knowledge: known },
    ];
  }
  // Today's plans: the journal missed some of it (a crash), so reconcile has work to do.
  const lagging = { ...known, fillsKnown: i % 2, status: 'working' } as const;
  return [
    { key: 'hedge:A:open', quantity: 2, fate: { kind: 'filled', fills: [1, 1] }, knowledge: lagging },
    { key: 'hedge:B:open', quantity: 2, fate: { kind: 'working', fills: [1] }, knowledge: known },
    {
      key: 'condor',
      quantity: 1,
      fate: { kind: 'never-sent' },
      knowledge: { ...known, submit: 'unknown', status: 'none' },
    },
  ];
}

function fill(j: JournalPort, events: readonly JournalEvent[]): void {
  for (const e of events) {
    const r = j.append(e);
    if (r.kind === 'rejected') throw new Error(`bench setup: ${r.reason}`);
  }
}

/** A journal of `orders` orders (three per plan; all but the last ten plans from earlier days). */
export function benchReconcile10k(orders = 10_000, runs = 5): ReconcileFigures {
  const plansCount = Math.ceil(orders / 3);
  const todayPlans = 10;
  // One plan a day going back years: their contracts expired long ago, except the last weeks' hedges.
  const plans: PlanSpec[] = Array.from({ length: plansCount }, (_, i) => {
    const today = i >= plansCount - todayPlans;
    return today
      ? { day: 'today', orders: planOrders(i, true) }
      : {
          day: 'last-month',
          cycleDate: addCalendarDays(TODAY, i - (plansCount - todayPlans)),
          orders: planOrders(i, false),
        };
  });
  const world = buildWorld({ plans, foreign: [], positionOffset: 0 });
  const dir = ramDir();
  const t0 = process.hrtime.bigint();
  const j = openSqliteJournal({ dataDir: dir, mode: 'sim', nowMs: NOW_MS });
  try {
    fill(j, world.events);
    const setupMs = Math.round(elapsedMs(t0));
    const view: number[] = [];
    const rec: number[] = [];
    const total: number[] = [];
    let viewOrders = 0;
    let viewExecutions = 0;
    const whole: number[] = [];
    for (let r = 0; r < runs; r++) {
      const a = process.hrtime.bigint();
      const v = j.reconcileView(reconcileScope(TODAY));
      const b = process.hrtime.bigint();
      const out = reconcile({
        view: v,
        reports: world.reports,
        account: ACCOUNT,
        tradingDate: TODAY,
        nowMs: NOW_MS,
        absenceAfterMs: ABSENCE_AFTER_MS,
      });
      const c = process.hrtime.bigint();
      if (out.actions.length === 0) throw new Error('bench: the lagging journal should give actions');
      viewOrders = v.orders.length;
      viewExecutions = v.fills.length;
      const d = process.hrtime.bigint();
      const all = j.reconcileView();
      reconcile({
        view: all,
        reports: world.reports,
        account: ACCOUNT,
        tradingDate: TODAY,
        nowMs: NOW_MS,
        absenceAfterMs: ABSENCE_AFTER_MS,
      });
      whole.push(elapsedMs(d));
      view.push(Number(b - a) / 1e6);
      rec.push(Number(c - b) / 1e6);
      total.push(Number(c - a) / 1e6);
    }
    const totalMs = summarize(total);
    const everything = j.reconcileView();
    return {
      orders: everything.orders.length,
      executions: everything.fills.length,
      viewOrders,
      viewExecutions,
      viewMs: summarize(view),
      wholeJournalMs: summarize(whole),
      reconcileMs: summarize(rec),
      totalMs,
      targetMs: 1000,
      verdict: totalMs.medianMs < 1000 ? 'ok' : 'over target',
      setupMs,
    };
  } finally {
    j.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
