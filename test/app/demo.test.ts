import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_DEFAULT_DATE, demoEntryTime, runDemo } from '../../src/app/demo.ts';
import { previewPlan } from '../../src/app/preview.ts';
import { loadCalendarData } from '../../src/config/calendar-file.ts';
import { projectPath } from '../../src/config/paths.ts';
import { loadSnapshot } from '../../src/config/snapshot-file.ts';
import { loadStrategy } from '../../src/config/strategy-file.ts';
import { createNyseCalendar } from '../../src/domain/calendar.ts';
import type { MarketEvent } from '../../src/domain/snapshot.ts';
import type { SnapshotRequest } from '../../src/ports/market-data.ts';

const calendar = createNyseCalendar(loadCalendarData());
const strategy = loadStrategy(projectPath('strategies/alvh-default.json'));

test('the demo starts at the strategy entry time of its fixed default session', () => {
  assert.equal(DEMO_DEFAULT_DATE, '2026-03-16');
  assert.equal(demoEntryTime(calendar, strategy), '2026-03-16T15:45:00-04:00');
  // A weekend moves to the next session; an early close moves the entry 15 minutes before it.
  assert.equal(demoEntryTime(calendar, strategy, '2026-03-14'), '2026-03-16T15:45:00-04:00');
  assert.equal(demoEntryTime(calendar, strategy, '2026-11-27'), '2026-11-27T12:45:00-05:00');
});

test('runDemo asks the port for a snapshot with the events and previews that snapshot', async () => {
  const snapshot = loadSnapshot('test/fixtures/snapshots/calm.json');
  const events: MarketEvent[] = [{ date: '2026-02-25', kind: 'CPI' }];
  const requests: SnapshotRequest[] = [];
  const result = await runDemo({
    marketData: {
      captureSnapshot: (req) => {
        requests.push(req);
        return Promise.resolve(snapshot);
      },
    },
    strategy,
    calendar,
    events,
  });
  assert.deepEqual(requests, [{ events, hedgeBook: [] }]);
  const expected = previewPlan({ snapshot, strategy, calendar, eventFile: [], mode: 'sim' });
  assert.deepEqual(result.plan, expected.plan);
  assert.equal(result.plan.mode, 'sim');
});
