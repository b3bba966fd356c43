import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DomainError } from '../../src/domain/domain-error.ts';
import {
  addCalendarDays,
  calendarDaysBetween,
  createNyseCalendar,
  dayOfWeek,
  entryTime,
  nyDate,
  nyMinutes,
  tradingTimeToExpiry,
  vixExpiryForMonth,
  vixWeeklyExpiries,
} from '../../src/domain/calendar.ts';
import type { CalendarData, TradingCalendar } from '../../src/domain/calendar.ts';
import { loadCalendarData } from '../../src/config/calendar-file.ts';

const data = loadCalendarData();
const cal = createNyseCalendar(data);
// Rules alone (no published holidays or early closes), so the rules are checked independently of the file.
const rulesOnly = createNyseCalendar({
  holidays: [],
  earlyCloses: [],
  specialClosures: data.specialClosures,
  coverage: { from: '1900-01-01', to: '1900-01-01' },
});

// docs/ib-notes.md §5 "NYSE holidays" (NYSE Group releases 2024-11-08, 2025-12-23).
const PUBLISHED_CLOSED: Record<number, string[]> = {
  2025: [
    '2025-01-01',
    '2025-01-09', // Carter day of mourning
    '2025-01-20',
    '2025-02-17',
    '2025-04-18',
    '2025-05-26',
    '2025-06-19',
    '2025-07-04',
    '2025-09-01',
    '2025-11-27',
    '2025-12-25',
  ],
  2026: [
    '2026-01-01',
    '2026-01-19',
    '2026-02-16',
    '2026-04-03',
    '2026-05-25',
    '2026-06-19',
    '2026-07-03',
    '2026-09-07',
    '2026-11-26',
    '2026-12-25',
  ],
  2027: [
    '2027-01-01',
    '2027-01-18',
    '2027-02-15',
    '2027-03-26',
    '2027-05-31',
    '2027-06-18',
    '2027-07-05',
    '2027-09-06',
    '2027-11-25',
    '2027-12-24',
  ],
};
const PUBLISHED_EARLY: Record<number, string[]> = {
  2025: ['2025-07-03', '2025-11-28', '2025-12-24'],
  2026: ['2026-11-27', '2026-12-24'],
  2027: ['2027-11-26'],
};

function weekdays(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addCalendarDays(d, 1)) {
    const w = dayOfWeek(d);
    if (w !== 0 && w !== 6) out.push(d);
  }
  return out;
}

function closedWeekdays(c: TradingCalendar, year: number): string[] {
  return weekdays(year).filter((d) => !c.isTradingDay(d));
}

function earlyCloses(c: TradingCalendar, year: number): string[] {
  return c.sessions(`${year}-01-01`, `${year}-12-31`).filter((d) => c.session(d)?.earlyClose === true);
}

const years = [2025, 2026, 2027] as const;

describe('NYSE holidays and early closes 2025–2027', () => {
  for (const year of years) {
    it(`closes exactly on the published ${year} holidays`, () => {
      assert.deepEqual(closedWeekdays(cal, year), PUBLISHED_CLOSED[year]);
    });
    it(`the rules alone reproduce the published ${year} holidays`, () => {
      assert.deepEqual(closedWeekdays(rulesOnly, year), PUBLISHED_CLOSED[year]);
    });
    it(`closes early at 13:00 exactly on the published ${year} early-close days`, () => {
      assert.deepEqual(earlyCloses(cal, year), PUBLISHED_EARLY[year]);
      assert.deepEqual(earlyCloses(rulesOnly, year), PUBLISHED_EARLY[year]);
      for (const d of PUBLISHED_EARLY[year] ?? []) {
        const s = cal.session(d);
        assert.equal(s?.closeMinutes, 780);
        const offset = d.endsWith('-07-03') ? '-04:00' : '-05:00'; // EDT in July, EST in Nov/Dec
        assert.equal(s.close, `${d}T13:00:00${offset}`);
      }
    });
  }

  it('handles the observed holidays of 2026–2027 and the days around them', () => {
    assert.equal(cal.isTradingDay('2026-07-03'), false, 'Independence Day (Sat) observed Fri');
    assert.equal(cal.session('2026-07-02')?.earlyClose, false, 'no half day before an observed Friday');
    assert.equal(cal.isTradingDay('2027-06-18'), false, 'Juneteenth (Sat) observed Fri');
    assert.equal(cal.isTradingDay('2027-07-05'), false, 'Independence Day (Sun) observed Mon');
    assert.equal(cal.session('2027-07-02')?.earlyClose, false);
    assert.equal(cal.isTradingDay('2027-12-24'), false, 'Christmas (Sat) observed Fri');
    assert.equal(cal.session('2027-12-23')?.earlyClose, false);
    assert.equal(cal.session('2027-12-31')?.earlyClose, false, 'New Year 2028 (Sat) is not observed');
  });

  it('names the reason a day is closed', () => {
    assert.equal(cal.closureReason('2025-01-09'), 'National Day of Mourning for President Jimmy Carter');
    assert.equal(cal.closureReason('2026-04-03'), 'Good Friday');
    assert.equal(cal.closureReason('2026-03-14'), 'weekend');
    assert.equal(cal.closureReason('2026-03-16'), null);
  });
});

describe('rule-based years', () => {
  it('matches the rule-based 2028 holidays (New Year on a Saturday not observed)', () => {
    // nyse-holidays@1.2.0 output for 2028 (the NYSE has published 2028).
    assert.deepEqual(closedWeekdays(cal, 2028), [
      '2028-01-17',
      '2028-02-21',
      '2028-04-14',
      '2028-05-29',
      '2028-06-19',
      '2028-07-04',
      '2028-09-04',
      '2028-11-23',
      '2028-12-25',
    ]);
    assert.deepEqual(earlyCloses(cal, 2028), ['2028-07-03', '2028-11-24']);
  });

  it('closes on Good Friday (Easter computus)', () => {
    for (const d of ['1990-04-13', '2000-04-21', '2019-04-19', '2024-03-29', '2030-04-19', '2038-04-23']) {
      assert.equal(cal.isTradingDay(d), false, d);
      assert.equal(dayOfWeek(d), 5, d);
    }
  });

  it('keeps weekends closed', () => {
    for (const d of ['2026-03-14', '2026-03-15', '2031-08-02', '1990-01-06']) {
      assert.equal(cal.isTradingDay(d), false, d);
      assert.equal(cal.session(d), null, d);
    }
  });

  it('yields exactly the SPX trading days of 1990–2019', () => {
    const expected = readFileSync(new URL('../fixtures/nyse-sessions-1990-2019.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    assert.equal(expected.length, 7559);
    assert.deepEqual(cal.sessions('1990-01-01', '2019-12-31'), expected);
  });

  it('refuses dates outside 1990–2099 with E_CALENDAR_RANGE', () => {
    for (const d of ['1989-12-29', '2100-01-04']) {
      assert.throws(
        () => cal.isTradingDay(d),
        (e: unknown) => e instanceof DomainError && e.code === 'E_CALENDAR_RANGE' && e.message.includes(d),
      );
    }
    assert.throws(() => cal.nextTradingDay('2099-12-31'), { code: 'E_CALENDAR_RANGE' });
  });
});

describe('published data overrides and extends the rules', () => {
  const custom: CalendarData = {
    coverage: { from: '2030-01-01', to: '2030-12-31' },
    holidays: [{ date: '2030-01-01', name: "New Year's Day" }],
    earlyCloses: [{ date: '2030-01-02', closeTime: '12:00', optionsCloseTime: '12:15', name: 'test' }],
    specialClosures: [{ date: '2031-03-12', name: 'storm' }],
  };
  const c = createNyseCalendar(custom);
  it('inside coverage, only the listed holidays and early closes apply', () => {
    assert.equal(c.isTradingDay('2030-12-25'), true, 'rule holiday not in the data');
    assert.equal(c.isTradingDay('2030-01-01'), false);
    assert.equal(c.session('2030-01-02')?.closeMinutes, 720);
    assert.equal(c.session('2030-11-29')?.earlyClose, false, 'rule early close not in the data');
  });
  it('outside coverage, rules apply and closures are added', () => {
    assert.equal(c.isTradingDay('2031-12-25'), false);
    assert.equal(c.isTradingDay('2031-03-12'), false);
    assert.equal(c.session('2031-11-28')?.earlyClose, true);
  });
});

describe('sessions and stepping', () => {
  it('steps over weekends and holidays', () => {
    assert.equal(cal.nextTradingDay('2026-04-02'), '2026-04-06', 'Good Friday + weekend');
    assert.equal(cal.previousTradingDay('2026-04-06'), '2026-04-02');
    assert.equal(cal.nextTradingDay('2025-01-08'), '2025-01-10', 'Carter closure');
    assert.equal(cal.nextTradingDay('2026-01-16'), '2026-01-20', 'MLK Monday');
    assert.equal(cal.previousTradingDay('2026-01-02'), '2025-12-31', 'New Year');
    assert.equal(cal.nextTradingDay('2027-12-23'), '2027-12-27', 'Christmas observed Friday');
    assert.equal(cal.nextTradingDay('2026-03-14'), '2026-03-16', 'from a Saturday');
    assert.equal(cal.previousTradingDay('2026-03-15'), '2026-03-13', 'from a Sunday');
    assert.equal(cal.nextTradingDay('2026-03-16'), '2026-03-17');
  });

  it('counts trading days in (from, to]', () => {
    assert.equal(cal.tradingDaysBetween('2026-04-02', '2026-04-06'), 1);
    assert.equal(
      cal.tradingDaysBetween('2025-12-31', '2026-01-31'),
      20,
      'January 2026: 22 weekdays, 2 holidays',
    );
    assert.equal(cal.tradingDaysBetween('2026-01-31', '2025-12-31'), -20);
    assert.equal(cal.tradingDaysBetween('2026-03-16', '2026-03-16'), 0);
    assert.deepEqual(cal.sessions('2026-04-01', '2026-04-07'), [
      '2026-04-01',
      '2026-04-02',
      '2026-04-06',
      '2026-04-07',
    ]);
  });

  it('gives session times with the New York offset of the day', () => {
    assert.deepEqual(cal.session('2026-03-17'), {
      date: '2026-03-17',
      open: '2026-03-17T09:30:00-04:00',
      close: '2026-03-17T16:00:00-04:00',
      openMinutes: 570,
      closeMinutes: 960,
      earlyClose: false,
    });
    assert.equal(cal.session('2026-01-05')?.open, '2026-01-05T09:30:00-05:00');
  });
});

describe('tradingTimeToExpiry', () => {
  const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);
  it('Friday 15:45 for Monday is (15/390 + 1)/252', () => {
    close(tradingTimeToExpiry(cal, '2026-03-13T15:45:00-04:00', '2026-03-16'), (15 / 390 + 1) / 252);
    close(tradingTimeToExpiry(cal, '2026-03-13T19:45:00Z', '2026-03-16'), (15 / 390 + 1) / 252);
  });
  it('skips holidays: Thursday 15:45 before Good Friday for Monday', () => {
    close(tradingTimeToExpiry(cal, '2026-04-02T15:45:00-04:00', '2026-04-06'), (15 / 390 + 1) / 252);
  });
  it('on an early-close day counts minutes to the 13:00 close over 390', () => {
    close(tradingTimeToExpiry(cal, '2026-11-27T12:45:00-05:00', '2026-11-30'), (15 / 390 + 1) / 252);
    // An early-close expiry day still counts one session.
    close(tradingTimeToExpiry(cal, '2026-11-25T15:45:00-05:00', '2026-11-27'), (15 / 390 + 1) / 252);
    close(tradingTimeToExpiry(cal, '2026-11-27T13:30:00-05:00', '2026-11-30'), 1 / 252);
  });
  it('counts today whole before the open and not at all after the close', () => {
    close(tradingTimeToExpiry(cal, '2026-03-16T08:00:00-04:00', '2026-03-17'), 2 / 252);
    close(tradingTimeToExpiry(cal, '2026-03-16T17:00:00-04:00', '2026-03-17'), 1 / 252);
    close(tradingTimeToExpiry(cal, '2026-03-14T12:00:00-04:00', '2026-03-16'), 1 / 252);
  });
  it('on expiry day: PM counts the rest of the session, AM is 0; after expiry 0', () => {
    close(tradingTimeToExpiry(cal, '2026-03-16T15:00:00-04:00', '2026-03-16'), 60 / 390 / 252);
    assert.equal(tradingTimeToExpiry(cal, '2026-03-18T08:00:00-04:00', '2026-03-18', 'AM'), 0);
    assert.equal(tradingTimeToExpiry(cal, '2026-03-17T10:00:00-04:00', '2026-03-16'), 0);
  });
  it('AM settlement does not count the expiry session', () => {
    close(tradingTimeToExpiry(cal, '2026-03-16T15:45:00-04:00', '2026-03-18', 'AM'), (15 / 390 + 1) / 252);
    close(tradingTimeToExpiry(cal, '2026-03-16T15:45:00-04:00', '2026-03-18', 'PM'), (15 / 390 + 2) / 252);
  });
});

describe('entryTime', () => {
  const rule = { time: '15:45', earlyCloseMinutesBefore: 15 };
  it('is 15:45 New York on a regular day', () => {
    assert.equal(entryTime(cal, '2026-11-25', rule), '2026-11-25T15:45:00-05:00');
    assert.equal(entryTime(cal, '2026-03-17', rule), '2026-03-17T15:45:00-04:00');
  });
  it('moves to 15 minutes before a 13:00 early close', () => {
    assert.equal(entryTime(cal, '2026-11-27', rule), '2026-11-27T12:45:00-05:00');
    assert.equal(entryTime(cal, '2025-07-03', rule), '2025-07-03T12:45:00-04:00');
    assert.equal(
      entryTime(cal, '2026-11-27', { time: '10:00', earlyCloseMinutesBefore: 15 }),
      '2026-11-27T10:00:00-05:00',
    );
  });
  it('refuses a closed day', () => {
    assert.throws(() => entryTime(cal, '2026-11-26', rule), { code: 'E_CALENDAR_RANGE' });
  });
});

describe('date helpers', () => {
  it('nyDate and nyMinutes convert to New York wall time', () => {
    assert.equal(nyDate('2026-03-14T02:30:00Z'), '2026-03-13');
    assert.equal(nyDate('2026-03-13T15:45:00-04:00'), '2026-03-13');
    assert.equal(nyMinutes('2026-03-13T19:45:00Z'), 945);
    assert.equal(nyMinutes('2026-01-05T14:30:00Z'), 570);
  });
  it('calendar day arithmetic handles month ends and leap years', () => {
    assert.equal(addCalendarDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addCalendarDays('2027-02-28', 1), '2027-03-01');
    assert.equal(addCalendarDays('2026-01-01', -1), '2025-12-31');
    assert.equal(calendarDaysBetween('2025-12-31', '2026-03-01'), 60);
    assert.equal(calendarDaysBetween('2026-03-01', '2025-12-31'), -60);
    assert.throws(() => addCalendarDays('2026-02-30', 1));
  });
});

describe('VIX option expiries', () => {
  it('monthly: the Wednesday 30 days before the next month’s third Friday', () => {
    assert.equal(vixExpiryForMonth(cal, 2025, 1), '2025-01-22');
    assert.equal(vixExpiryForMonth(cal, 2025, 2), '2025-02-19');
    assert.equal(vixExpiryForMonth(cal, 2025, 4), '2025-04-16');
    assert.equal(vixExpiryForMonth(cal, 2025, 12), '2025-12-17');
  });
  it('monthly: Good Friday as third Friday moves the expiry to Tuesday', () => {
    // 2025-04-18 is Good Friday: 30 days before Thursday 2025-04-17.
    assert.equal(vixExpiryForMonth(cal, 2025, 3), '2025-03-18');
  });
  it('monthly: a holiday Wednesday moves to the business day before', () => {
    // 30 days before 2024-07-19 is Juneteenth, Wednesday 2024-06-19.
    assert.equal(vixExpiryForMonth(cal, 2024, 6), '2024-06-18');
  });
  it('monthly expiries are trading days from Monday to Wednesday, one per month, for 1990–2098', () => {
    for (let y = 1990; y <= 2098; y++) {
      for (let m = 1; m <= 12; m++) {
        const e = vixExpiryForMonth(cal, y, m);
        assert.ok(cal.isTradingDay(e), e);
        assert.ok([1, 2, 3].includes(dayOfWeek(e)), e);
        assert.equal(e.slice(0, 7), `${y}-${String(m).padStart(2, '0')}`, e);
      }
    }
  });
  it('weeklies: every Wednesday except monthly-expiry weeks', () => {
    assert.deepEqual(vixWeeklyExpiries(cal, '2025-03-01', '2025-04-30'), [
      '2025-03-05',
      '2025-03-12',
      '2025-03-26',
      '2025-04-02',
      '2025-04-09',
      '2025-04-23',
      '2025-04-30',
    ]);
  });
  it('weeklies: a holiday Wednesday moves to the Tuesday before', () => {
    assert.deepEqual(vixWeeklyExpiries(cal, '2024-12-28', '2025-01-10'), ['2024-12-31', '2025-01-08']);
  });
});
