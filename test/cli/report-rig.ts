// A journal of several real daily cycles for the accounting and report tests: the simulator
// in-process (memory broker and journal, virtual clock), each day a snapshot with the journal's
// hedge book, the planner, and the real executor; then the clock runs on so the condors settle.
import { spawnSync } from 'node:child_process';
import { captureSnapshot } from '../../src/app/capture-snapshot.ts';
import { executePlan } from '../../src/app/execute-plan.ts';
import { simCalendar } from '../../src/cli/wiring/simulator.ts';
import { buildBookReport } from '../../src/domain/accounting/book-report.ts';
import type { BookReport } from '../../src/domain/accounting/book-report.ts';
import { nyDate, nyTimestamp } from '../../src/domain/calendar.ts';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { SettlementLookup } from '../../src/domain/settlement.ts';
import { settlementStyleOf } from '../../src/domain/settlement.ts';
import { openSqliteJournal } from '../../src/adapters/sqlite/sqlite-journal.ts';
import type { ReportData } from '../../src/app/report.ts';
import { readReportData, settlementValueNote } from '../../src/app/report.ts';
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

export type JournalData = ReportData;

/** Everything the accounting reads from a journal (the report use case's reader). */
export function journalData(j: JournalReader): JournalData {
  return readReportData(j, { from: null, to: null });
}

/**
 * Copies the rig's journal into the SQLite journal of `dataDir` (mode sim), with the simulator's
 * settlement value of every expiry the fills touched, as the daily service journals them.
 */
export function writeSqliteJournal(run: CampaignRun, dataDir: string): void {
  const j = openSqliteJournal({ dataDir, mode: 'sim', nowMs: run.rig.clock.nowMs() });
  try {
    for (const e of run.rig.journal.events()) j.append(e.event);
    const values = simSettlements(run.rig);
    const seen = new Set<string>();
    for (const f of run.rig.journal.reconcileView().fills) {
      if (f.contract.kind !== 'option') continue;
      const c = f.contract.contract;
      const style = settlementStyleOf(c);
      const k = `${style}|${c.expiry}`;
      const value = values(style, c.expiry);
      if (seen.has(k) || value === null) continue;
      seen.add(k);
      j.append(
        settlementValueNote({ style, date: c.expiry, value, source: 'simulator' }, run.rig.clock.nowMs()),
      );
    }
  } finally {
    j.close();
  }
}

/** The book report of the rig's journal at its clock, with the simulator's settlement values. */
export function bookReportOf(run: CampaignRun): BookReport {
  return buildBookReport({
    ...journalData(run.rig.journal),
    settlementValues: simSettlements(run.rig),
    calendar: simCalendar(),
    nowMs: run.rig.clock.nowMs(),
    brokerPositions: null,
  });
}

/** The simulator's own settlement values (what its venue settles with). */
export function simSettlements(rig: DriverRig): SettlementLookup {
  return (style, date) => rig.engine.market.settlementValue(style === 'SPX-PM' ? 'SPX-PM' : 'VIX-SOQ', date);
}

/** The chromium binary on PATH, or null. */
export function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() !== '') return r.stdout.trim();
  }
  return null;
}

/** Headless Chromium with no network and no profile left behind; returns stdout. */
export function chromium(bin: string, profile: string, args: readonly string[]): string {
  const r = spawnSync(
    bin,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-extensions',
      '--proxy-server=127.0.0.1:9',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`chromium exited ${String(r.status)}: ${r.stderr}`);
  return r.stdout;
}
