import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventsBetween, eventsOn, hasEventOn, sortEvents } from '../../src/domain/events.ts';
import type { MarketEvent } from '../../src/domain/snapshot.ts';
import { createNyseCalendar } from '../../src/domain/calendar.ts';
import { loadCalendarData, loadEvents } from '../../src/config/calendar-file.ts';

const sample: MarketEvent[] = [
  { date: '2026-03-18', kind: 'PPI' },
  { date: '2026-03-18', kind: 'FOMC', note: 'decision' },
  { date: '2026-03-11', kind: 'CPI' },
  { date: '2026-03-18', kind: 'PPI', note: 'duplicate source' },
];

describe('eventsOn', () => {
  it('lists each kind on the date once, FOMC before CPI before PPI', () => {
    assert.deepEqual(eventsOn(sample, '2026-03-18'), ['FOMC', 'PPI']);
    assert.deepEqual(eventsOn(sample, '2026-03-11'), ['CPI']);
    assert.deepEqual(eventsOn(sample, '2026-03-12'), []);
    assert.equal(hasEventOn(sample, '2026-03-12'), false);
    assert.equal(hasEventOn(sample, '2026-03-11'), true);
  });
  it('eventsBetween is inclusive and sorted', () => {
    assert.deepEqual(
      eventsBetween(sample, '2026-03-11', '2026-03-17').map((e) => e.date),
      ['2026-03-11'],
    );
    assert.deepEqual(
      sortEvents(sample).map((e) => `${e.date} ${e.kind}`),
      ['2026-03-11 CPI', '2026-03-18 FOMC', '2026-03-18 PPI', '2026-03-18 PPI'],
    );
  });
});

describe('the shipped event file', () => {
  const events = loadEvents();
  const cal = createNyseCalendar(loadCalendarData());

  it('holds every FOMC decision day of 2025–2027 (day 2 of each meeting) and no other', () => {
    // 2025 from the brief; 2026 and 2027 (tentative) from docs/ib-notes.md "FOMC".
    const expected = [
      '2025-01-29',
      '2025-03-19',
      '2025-05-07',
      '2025-06-18',
      '2025-07-30',
      '2025-09-17',
      '2025-10-29',
      '2025-12-10',
      '2026-01-28',
      '2026-03-18',
      '2026-04-29',
      '2026-06-17',
      '2026-07-29',
      '2026-09-16',
      '2026-10-28',
      '2026-12-09',
      '2027-01-27',
      '2027-03-17',
      '2027-04-28',
      '2027-06-09',
      '2027-07-28',
      '2027-09-15',
      '2027-10-27',
      '2027-12-08',
    ];
    assert.deepEqual(
      events.filter((e) => e.kind === 'FOMC').map((e) => e.date),
      expected,
    );
    assert.deepEqual(eventsOn(events, '2026-01-28'), ['FOMC']);
  });

  it('has CPI and PPI releases in every month of 2026 and 2027, and September 2025 CPI on 2025-10-24', () => {
    for (const kind of ['CPI', 'PPI'] as const) {
      for (const year of [2026, 2027]) {
        for (let m = 1; m <= 12; m++) {
          const month = `${year}-${String(m).padStart(2, '0')}`;
          assert.ok(
            events.some((e) => e.kind === kind && e.date.startsWith(month)),
            `${kind} ${month}`,
          );
        }
      }
    }
    assert.ok(eventsOn(events, '2025-10-24').includes('CPI'));
  });

  it('puts every event on an NYSE trading day (else the event-day policy could never see it)', () => {
    for (const e of events) assert.ok(cal.isTradingDay(e.date), `${e.kind} ${e.date}`);
  });

  it('marks every CPI/PPI date with a note saying where it comes from', () => {
    for (const e of events.filter((x) => x.kind !== 'FOMC')) assert.ok((e.note ?? '').length > 0, e.date);
  });
});
