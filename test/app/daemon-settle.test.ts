// Settlement points of the daemon (virtual clock): one per trading day at the close plus 15 minutes
// (early closes too), never a cycle there; problems notified as E_SETTLEMENT_MISSING; a failing
// hook never stops the daemon; after a campaign's last cycle date only settlement points remain.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { nextSettlePoint } from '../../src/app/daemon.ts';
import type { Rig } from './daemon-harness.ts';
import { calendar, rig } from './daemon-harness.ts';

const ny = (local: string, offset = '-04:00'): number => Date.parse(`${local}${offset}`);

let rigs: Rig[] = [];
function newRig(startNy: string, offset = '-04:00'): Rig {
  const r = rig(`${startNy}${offset}`);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  for (const r of rigs) await r.stopAll();
  rigs = [];
});

describe('settlement points', () => {
  it('fall at each close + 15 min (13:15 after an early close), one per trading day, none on a holiday', async () => {
    const r = newRig('2026-11-24T09:00:00', '-05:00');
    r.settle = () => Promise.resolve({ journaled: [], problems: [] });
    r.start();
    await r.clock.runUntil(ny('2026-11-30T17:00:00', '-05:00'));
    assert.deepEqual(
      r.settles.map((s) => [s.date, new Date(s.atMs).toISOString()]),
      [
        ['2026-11-24', '2026-11-24T21:15:00.000Z'],
        ['2026-11-25', '2026-11-25T21:15:00.000Z'],
        // Thanksgiving is closed; the Friday after closes at 13:00.
        ['2026-11-27', '2026-11-27T18:15:00.000Z'],
        ['2026-11-30', '2026-11-30T21:15:00.000Z'],
      ],
    );
    // The cycles ran at their entry times, never at a settlement point.
    assert.equal(r.calls.length, 4);
    for (const c of r.calls) assert.ok(!r.settles.some((s) => s.atMs === c.atMs));
    assert.equal(nextSettlePoint(calendar, ny('2026-11-26T12:00:00', '-05:00'), 15).date, '2026-11-27');
  });

  it('a pass with problems is notified as E_SETTLEMENT_MISSING; values journaled are not', async () => {
    const r = newRig('2026-03-17T09:00:00');
    r.settle = (q) =>
      Promise.resolve(
        q.date === '2026-03-18'
          ? { journaled: [], problems: ['SPXW 2026-03-18 5900P: the broker still reports -2'] }
          : { journaled: [`SPX-PM ${q.date} 6001.80`], problems: [] },
      );
    r.start();
    await r.clock.runUntil(ny('2026-03-19T09:00:00'));
    const missing = r.notes.filter((n) => /E_SETTLEMENT_MISSING/.test(n.title));
    assert.equal(missing.length, 1);
    assert.match(missing[0]!.text, /still reports -2/);
    assert.equal(missing[0]!.cycleDate, '2026-03-18');
  });

  it('a hook that throws is logged, the daemon goes on, and the next point tries again', async () => {
    const r = newRig('2026-03-17T09:00:00');
    let n = 0;
    r.settle = () => {
      n++;
      return n === 1
        ? Promise.reject(new Error('gateway unavailable'))
        : Promise.resolve({ journaled: [], problems: [] });
    };
    const { done } = r.start();
    await r.clock.runUntil(ny('2026-03-19T09:00:00'));
    assert.equal(r.settles.length, 2);
    assert.equal(r.calls.length, 2, 'both cycles ran');
    await r.stopAll();
    assert.equal(await done, undefined, 'the daemon did not fail');
  });

  it('after lastCycleDate no cycle runs; settlement points go on', async () => {
    const r = newRig('2026-03-16T09:00:00');
    r.settle = () => Promise.resolve({ journaled: [], problems: [] });
    r.start({ lastCycleDate: '2026-03-17' });
    await r.clock.runUntil(ny('2026-03-20T17:00:00'));
    assert.deepEqual(
      r.calls.map((c) => c.req.cycleDate),
      ['2026-03-16', '2026-03-17'],
    );
    assert.deepEqual(
      r.settles.map((s) => s.date),
      ['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20'],
    );
  });
});
