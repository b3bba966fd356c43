// The report use case: reads a journal (plans, their orders, executions and commissions, and the
// settlement values journaled as notes) for a range of cycle dates and builds the book report.
// Settlement values reach the journal as `note` events whose data is a SettlementValue with
// `kind: "settlement-value"` (settlementValueNote): whoever learns an SPX close or a VIX SOQ
// (the daily service, a campaign) journals it, and every later report can book the expiries.
import { z } from 'zod';
import type { BookReport } from '../domain/accounting/book-report.ts';
import { buildBookReport } from '../domain/accounting/book-report.ts';
import type { CommissionReport, PositionReport } from '../domain/broker-reports.ts';
import type { TradingCalendar } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type { JournalFill, JournalOrder } from '../domain/journal-view.ts';
import { effectiveFills } from '../domain/journal-view.ts';
import type { Plan } from '../domain/plan/types.ts';
import type { SettlementValue } from '../domain/settlement.ts';
import { settlementLookup } from '../domain/settlement.ts';
import type { JournalEvent, JournalReader } from '../ports/journal.ts';

const NOTE_TEXT = 'settlement value';

const settlementNoteSchema = z.object({
  kind: z.literal('settlement-value'),
  style: z.enum(['SPX-PM', 'VIX-AM']),
  date: z.iso.date(),
  value: z.number().positive(),
  source: z.string(),
});

/** The journal event that records a settlement value (an SPX close or a VIX SOQ). */
export function settlementValueNote(v: SettlementValue, atMs: number): JournalEvent {
  return { type: 'note', planId: null, text: NOTE_TEXT, data: { kind: 'settlement-value', ...v }, atMs };
}

/** Every settlement value the journal holds (notes that do not parse are not settlement values). */
export function journaledSettlementValues(journal: JournalReader): SettlementValue[] {
  const out: SettlementValue[] = [];
  let afterId = 0;
  for (;;) {
    const page = journal.events({ afterId, limit: 5_000 });
    if (page.length === 0) break;
    for (const e of page) {
      afterId = Math.max(afterId, e.eventId);
      if (e.event.type !== 'note' || e.event.text !== NOTE_TEXT) continue;
      const r = settlementNoteSchema.safeParse(e.event.data);
      if (r.success)
        out.push({ style: r.data.style, date: r.data.date, value: r.data.value, source: r.data.source });
    }
  }
  return out;
}

export interface ReportRange {
  /** Cycle dates from (inclusive), or null for the journal's first. */
  readonly from: IsoDate | null;
  /** Cycle dates to (inclusive), or null for the last. */
  readonly to: IsoDate | null;
}

export interface ReportData {
  readonly plans: readonly Plan[];
  readonly orders: readonly JournalOrder[];
  readonly fills: readonly JournalFill[];
  readonly commissions: readonly CommissionReport[];
  readonly settlementValues: readonly SettlementValue[];
}

/** The plans of the range (oldest first), their orders, executions, commissions, and the settlement values. */
export function readReportData(journal: JournalReader, range: ReportRange): ReportData {
  const plans = journal
    .recentPlans(Number.MAX_SAFE_INTEGER)
    .filter(
      (s) =>
        (range.from === null || s.cycleDate >= range.from) && (range.to === null || s.cycleDate <= range.to),
    )
    .map((s) => journal.plan(s.planId)?.plan)
    .filter((p): p is Plan => p !== undefined)
    .reverse();
  const orders = plans.flatMap((p) => [...journal.ordersOfPlan(p.planId)]);
  const fills: JournalFill[] = [];
  const commissions: CommissionReport[] = [];
  for (const o of orders) {
    const f = journal.fillsOf(o.intent.orderRef);
    if (f === null) continue;
    fills.push(...f.fills);
    commissions.push(...f.commissions);
  }
  return {
    plans,
    orders,
    fills: effectiveFills(fills),
    commissions,
    settlementValues: journaledSettlementValues(journal),
  };
}

export function reportFromData(
  data: ReportData,
  opts: {
    readonly calendar: TradingCalendar;
    readonly nowMs: number;
    readonly brokerPositions: readonly PositionReport[] | null;
  },
): BookReport {
  return buildBookReport({
    plans: data.plans,
    orders: data.orders,
    fills: data.fills,
    commissions: data.commissions,
    settlementValues: settlementLookup(data.settlementValues),
    calendar: opts.calendar,
    nowMs: opts.nowMs,
    brokerPositions: opts.brokerPositions,
  });
}
