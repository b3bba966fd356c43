import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_DEFAULT_DATE, demoEntryTime } from '../../src/app/demo.ts';
import { loadCalendarData } from '../../src/config/calendar-file.ts';
import { projectPath } from '../../src/config/paths.ts';
import { loadStrategy } from '../../src/config/strategy-file.ts';
import { createNyseCalendar } from '../../src/domain/calendar.ts';

const calendar = createNyseCalendar(loadCalendarData());
const strategy = loadStrategy(projectPath('strategies/alvh-default.json'));

test('the demo starts at the strategy entry time of its fixed default session', () => {
  assert.equal(DEMO_DEFAULT_DATE, '2026-03-16');
  assert.equal(demoEntryTime(calendar, strategy), '2026-03-16T15:45:00-04:00');
  // A weekend moves to the next session; an early close moves the entry 15 minutes before it.
  assert.equal(demoEntryTime(calendar, strategy, '2026-03-14'), '2026-03-16T15:45:00-04:00');
  assert.equal(demoEntryTime(calendar, strategy, '2026-11-27'), '2026-11-27T12:45:00-05:00');
});
