import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IronvixError } from '../../src/errors.ts';
import {
  loadCalendarData,
  loadEvents,
  parseCalendarData,
  parseEvents,
} from '../../src/config/calendar-file.ts';

function calendarInvalid(...parts: string[]): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof IronvixError, String(e));
    assert.equal(e.code, 'E_CALENDAR_INVALID');
    for (const p of parts) assert.ok(e.message.includes(p), `"${e.message}" should contain "${p}"`);
    return true;
  };
}

const goodCalendar = {
  coverage: { from: '2026-01-01', to: '2026-12-31' },
  holidays: [
    { date: '2026-01-01', name: "New Year's Day" },
    { date: '2026-01-19', name: 'MLK' },
  ],
  earlyCloses: [
    { date: '2026-11-27', closeTime: '13:00', optionsCloseTime: '13:15', name: 'Day after Thanksgiving' },
  ],
  specialClosures: [],
};

describe('shipped calendar and event files', () => {
  it('load from the project regardless of the working directory', () => {
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      const data = loadCalendarData();
      assert.equal(data.coverage.from, '2025-01-01');
      assert.ok(data.specialClosures.some((c) => c.date === '2025-01-09'));
      assert.ok(loadEvents().length > 0);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('parseCalendarData', () => {
  it('accepts a valid file', () => {
    assert.equal(parseCalendarData(goodCalendar, 'c.json').holidays.length, 2);
  });
  it('rejects a wrong date format, naming file, path, value and rule', () => {
    const bad = {
      ...goodCalendar,
      holidays: [goodCalendar.holidays[0], { date: '2026/01/19', name: 'MLK' }],
    };
    assert.throws(
      () => parseCalendarData(bad, 'nyse.json'),
      calendarInvalid('nyse.json', 'holidays[1].date', '"2026/01/19"', 'YYYY-MM-DD'),
    );
  });
  it('rejects an impossible date and a weekend holiday', () => {
    assert.throws(
      () => parseCalendarData({ ...goodCalendar, holidays: [{ date: '2026-02-30', name: 'x' }] }, 'c.json'),
      calendarInvalid('holidays[0].date', '2026-02-30'),
    );
    assert.throws(
      () =>
        parseCalendarData(
          { ...goodCalendar, specialClosures: [{ date: '2026-03-14', name: 'x' }] },
          'c.json',
        ),
      calendarInvalid('specialClosures[0].date', 'weekday'),
    );
  });
  it('rejects a missing field', () => {
    const bad = { ...goodCalendar, earlyCloses: [{ date: '2026-11-27', closeTime: '13:00', name: 'x' }] };
    assert.throws(
      () => parseCalendarData(bad, 'c.json'),
      calendarInvalid('earlyCloses[0].optionsCloseTime', 'missing', 'required'),
    );
    const { coverage: _c, ...noCoverage } = goodCalendar;
    assert.throws(() => parseCalendarData(noCoverage, 'c.json'), calendarInvalid('coverage', 'required'));
  });
  it('rejects an early close outside the session, an unknown field, a repeated date and a range outside 1990–2099', () => {
    const late = { ...goodCalendar, earlyCloses: [{ ...goodCalendar.earlyCloses[0], closeTime: '16:30' }] };
    assert.throws(
      () => parseCalendarData(late, 'c.json'),
      calendarInvalid('earlyCloses[0].closeTime', '"16:30"'),
    );
    assert.throws(
      () => parseCalendarData({ ...goodCalendar, extra: 1 }, 'c.json'),
      calendarInvalid('(root)', 'unknown field', 'extra'),
    );
    const repeated = { ...goodCalendar, specialClosures: [{ date: '2026-11-27', name: 'x' }] };
    assert.throws(
      () => parseCalendarData(repeated, 'c.json'),
      calendarInvalid('specialClosures[0].date', 'earlyCloses[0]'),
    );
    const old = { ...goodCalendar, coverage: { from: '1985-01-01', to: '2026-12-31' } };
    assert.throws(() => parseCalendarData(old, 'c.json'), calendarInvalid('coverage.from', '1990'));
  });
});

describe('parseEvents', () => {
  it('returns events sorted, keeping notes', () => {
    const events = parseEvents(
      {
        events: [
          { date: '2026-03-18', kind: 'FOMC' },
          { date: '2026-03-11', kind: 'CPI', note: 'estimate' },
        ],
      },
      'e.json',
    );
    assert.deepEqual(events, [
      { date: '2026-03-11', kind: 'CPI', note: 'estimate' },
      { date: '2026-03-18', kind: 'FOMC' },
    ]);
  });
  it('rejects an unknown kind', () => {
    assert.throws(
      () => parseEvents({ events: [{ date: '2026-03-11', kind: 'NFP' }] }, 'events.json'),
      calendarInvalid('events.json', 'events[0].kind', '"NFP"', 'FOMC, CPI, PPI'),
    );
  });
  it('rejects a wrong date format and a missing field', () => {
    assert.throws(
      () => parseEvents({ events: [{ date: '11/03/2026', kind: 'CPI' }] }, 'e.json'),
      calendarInvalid('events[0].date', '"11/03/2026"', 'YYYY-MM-DD'),
    );
    assert.throws(
      () => parseEvents({ events: [{ date: '2026-03-11' }] }, 'e.json'),
      calendarInvalid('events[0].kind', 'required'),
    );
    assert.throws(() => parseEvents({}, 'e.json'), calendarInvalid('events', 'required'));
  });
  it('rejects the same event listed twice', () => {
    const dup = {
      events: [
        { date: '2026-03-11', kind: 'CPI' },
        { date: '2026-03-11', kind: 'CPI' },
      ],
    };
    assert.throws(() => parseEvents(dup, 'e.json'), calendarInvalid('events[1]', 'events[0]'));
  });
});

describe('loading files from disk', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ironvix-calendar-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the file in validation errors', () => {
    const path = join(dir, 'events.json');
    writeFileSync(path, JSON.stringify({ events: [{ date: '2026-03-11', kind: 'GDP' }] }));
    assert.throws(() => loadEvents(path), calendarInvalid(path, 'events[0].kind', '"GDP"'));
  });
  it('reports a file that is not JSON or does not exist', () => {
    const path = join(dir, 'nyse.json');
    writeFileSync(path, '{ "holidays": [');
    assert.throws(() => loadCalendarData(path), calendarInvalid(path, 'not valid JSON'));
    assert.throws(
      () => loadCalendarData(join(dir, 'absent.json')),
      calendarInvalid('absent.json', 'cannot read'),
    );
  });
});
