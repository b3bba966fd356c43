// The daemon's schedule over two years of virtual time: exactly one cycle per NYSE trading day, at
// the entry time in New York (15:45; 15 minutes before an early close), across holidays and both
// DST changes of each year. croner, computing "15:45 New York on weekdays" on its own, is the
// independent oracle for the regular days.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { NY_ZONE } from '../../src/domain/calendar.ts';
import { calendar, rig } from './daemon-harness.ts';

const FROM = '2025-01-01';
const TO = '2026-12-31';

describe('daemon schedule over two years (virtual clock)', () => {
  const r = rig('2025-01-01T00:00:00-05:00');
  after(() => r.stopAll());

  it('fires once per trading day at the entry time, never on a closed day', async () => {
    // A long heartbeat keeps the run short; the clock-jump tests use the default one.
    r.start({ heartbeatMs: 6 * 3_600_000 });
    await r.clock.runUntil(Date.parse('2027-01-01T00:00:00-05:00'));

    const sessions = calendar.sessions(FROM, TO);
    const fired = r.calls.map((c) => c.req.cycleDate);
    assert.deepEqual(fired, sessions, 'one call per session, in order, none on a closed day');
    assert.equal(new Set(fired).size, fired.length, 'no date twice');

    const oracle = new Cron('0 45 15 * * 1-5', { timezone: NY_ZONE, paused: true });
    const early: string[] = [];
    let summer = 0;
    let winter = 0;
    for (const c of r.calls) {
      const ny = DateTime.fromMillis(c.atMs, { zone: NY_ZONE });
      assert.equal(ny.toISODate(), c.req.cycleDate, 'fires on its own New York date');
      assert.equal(c.atMs, c.req.entryAtMs, `${c.req.cycleDate}: fires exactly at its entry time`);
      const session = calendar.session(c.req.cycleDate)!;
      if (session.earlyClose) {
        early.push(c.req.cycleDate);
        assert.equal(ny.toFormat('HH:mm'), '12:45', `${c.req.cycleDate}: 15 minutes before the 13:00 close`);
      } else {
        const dayStart = DateTime.fromISO(c.req.cycleDate, { zone: NY_ZONE }).toJSDate();
        const expected = oracle.nextRun(dayStart);
        assert.equal(c.atMs, expected?.getTime(), `${c.req.cycleDate}: croner's 15:45 New York`);
      }
      if (ny.offset === -240) summer++;
      if (ny.offset === -300) winter++;
    }
    // NYSE's early closes of 2025-2026 (2026 has none in July: the 4th is observed on Friday the 3rd).
    assert.deepEqual(early, ['2025-07-03', '2025-11-28', '2025-12-24', '2026-11-27', '2026-12-24']);
    assert.ok(summer > 300 && winter > 150, `both offsets seen (EDT ${summer}, EST ${winter})`);
    assert.equal(r.calls.length, 501);
  });

  it('every cycle is recorded done in the journal, and the journal is closed between cycles', () => {
    const cycles = r.journal.recentCycles(1000);
    assert.equal(cycles.length, 501);
    assert.ok(cycles.every((c) => c.state === 'done' && c.planId === `plan-${c.cycleDate}`));
    assert.equal(r.openJournals(), 0);
  });

  it('notifies each plan outcome', () => {
    const outcomes = r.notes.filter((n) => n.kind === 'plan-outcome');
    assert.equal(outcomes.length, 501);
    assert.match(outcomes[0]!.title, /ironvix sim 2025-01-02: COMPLETE/);
  });
});
