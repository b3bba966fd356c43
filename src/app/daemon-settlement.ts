// A settlement point of the daily service: the expired positions the journal's fills hold are
// checked against the broker's positions, and the settlement value of each expiry (SPXW PM: the SPX
// official close of the expiry day, IB's daily bar) is journaled as a note (app/report.ts), so that
// every later report books the settlement to the cent; VIX options (AM) on the special opening
// quotation, IB's index VRO, read the same way. It sends no order. What cannot be booked
// (the broker still holds an expired contract, or no value is known) comes back as problems, each
// one line for E_SETTLEMENT_MISSING.
import type { TradingCalendar } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import { positionsFromFills } from '../domain/journal-view.ts';
import type { SettlementStyle, SettlementValue } from '../domain/settlement.ts';
import { bookSettlements, describeSettlementProblem, settlementLookup } from '../domain/settlement.ts';
import type { BrokerPort } from '../ports/broker.ts';
import type { Clock } from '../ports/clock.ts';
import type { JournalPort } from '../ports/journal.ts';
import type { MarketDataQuery } from '../ports/market-data.ts';
import { failureText } from './capture-snapshot.ts';
import type { SettlementPass } from './daemon.ts';
import { journaledSettlementValues, settlementValueNote } from './report.ts';

export interface SettlementDeps {
  readonly journal: JournalPort;
  readonly broker: Pick<BrokerPort, 'positions'>;
  readonly marketData: Pick<MarketDataQuery, 'dailyCloses'>;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
}

/** Where each style's value comes from over the gateway. */
export const SETTLEMENT_SOURCE: Record<SettlementStyle, string> = {
  'SPX-PM': 'ib daily bar SPX',
  // IB lists the SOQ as index VRO (CBOE): its daily bar on an expiry morning (paper/CHECKS.md).
  'VIX-AM': 'ib daily bar VRO',
};

/** The settlement value of a style and date from the gateway, or why there is none. */
async function fetchValue(
  marketData: SettlementDeps['marketData'],
  style: SettlementStyle,
  date: IsoDate,
): Promise<{ readonly value: number } | { readonly missing: string }> {
  switch (style) {
    case 'SPX-PM':
      return dailyValue(marketData, 'SPX', date);
    case 'VIX-AM':
      return dailyValue(marketData, 'VRO', date);
  }
}

/** The daily bar of an index on a date: the SPX close, or VRO's one print (the VIX SOQ). */
async function dailyValue(
  marketData: SettlementDeps['marketData'],
  symbol: 'SPX' | 'VRO',
  date: IsoDate,
): Promise<{ readonly value: number } | { readonly missing: string }> {
  const r = await marketData.dailyCloses(symbol, date, 1);
  if (!r.ok) return { missing: `${symbol} daily bar of ${date}: ${failureText(r.error)}` };
  const bar = r.value.find((b) => b.date === date);
  return bar === undefined ? { missing: `no ${symbol} daily bar for ${date} yet` } : { value: bar.close };
}

/** One settlement point: journals the values of due expiries, returns what was journaled and what is missing. */
export async function journalSettlements(deps: SettlementDeps): Promise<SettlementPass> {
  const { journal, clock, calendar } = deps;
  const positions = [...positionsFromFills(journal.reconcileView().fills).values()];
  const nowMs = clock.nowMs();
  const held = await deps.broker.positions();
  if (!held.ok)
    return {
      journaled: [],
      problems: [`the broker's positions: ${failureText(held.error)} (tried again at the next point)`],
    };
  const known = journaledSettlementValues(journal);
  const first = bookSettlements({
    positions,
    nowMs,
    calendar,
    values: settlementLookup(known),
    brokerPositions: held.value,
  });
  const added: SettlementValue[] = [];
  const missing: string[] = [];
  const asked = new Set<string>();
  for (const p of first.problems) {
    if (p.kind !== 'value-unknown') continue;
    const k = `${p.style}|${p.contract.expiry}`;
    if (asked.has(k)) continue;
    asked.add(k);
    const got = await fetchValue(deps.marketData, p.style, p.contract.expiry);
    if ('missing' in got) {
      missing.push(got.missing);
      continue;
    }
    const v: SettlementValue = {
      style: p.style,
      date: p.contract.expiry,
      value: got.value,
      source: SETTLEMENT_SOURCE[p.style],
    };
    const r = journal.append(settlementValueNote(v, nowMs));
    if (r.kind === 'rejected') throw new Error(`settlement note refused: ${r.reason}`);
    added.push(v);
  }
  const booked =
    added.length === 0
      ? first
      : bookSettlements({
          positions,
          nowMs,
          calendar,
          values: settlementLookup([...known, ...added]),
          brokerPositions: held.value,
        });
  return {
    journaled: added.map((v) => `${v.style} ${v.date} ${v.value.toFixed(2)}`),
    problems: [...booked.problems.map((p) => describeSettlementProblem(p)), ...missing.map((m) => `(${m})`)],
  };
}
