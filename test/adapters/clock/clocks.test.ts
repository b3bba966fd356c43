import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtualClock } from '../../../src/adapters/clock/virtual-clock.ts';
import { createSystemClock } from '../../../src/adapters/clock/system-clock.ts';
import { sleepUntil } from '../../../src/ports/clock.ts';

test('virtual clock runs due callbacks in time order, equal times in scheduling order', () => {
  const clock = createVirtualClock(1_000);
  const seen: string[] = [];
  clock.schedule(1_300, () => seen.push(`c@${clock.nowMs()}`));
  clock.schedule(1_100, () => seen.push(`a@${clock.nowMs()}`));
  clock.schedule(1_100, () => seen.push(`b@${clock.nowMs()}`));
  clock.schedule(5_000, () => seen.push('late'));
  clock.advance(500);
  assert.deepEqual(seen, ['a@1100', 'b@1100', 'c@1300']);
  assert.equal(clock.nowMs(), 1_500);
  assert.equal(clock.pending(), 1);
});

test('virtual clock: cancel, callbacks that schedule more, past times run on the next advance', () => {
  const clock = createVirtualClock(0);
  const seen: number[] = [];
  const cancel = clock.schedule(10, () => seen.push(10));
  cancel();
  clock.schedule(20, () => {
    seen.push(20);
    clock.schedule(25, () => seen.push(25));
  });
  clock.advance(30);
  clock.schedule(5, () => seen.push(clock.nowMs()));
  assert.deepEqual(seen, [20, 25]);
  clock.advance(0);
  assert.deepEqual(seen, [20, 25, 30]);
  assert.throws(() => clock.advance(-1), RangeError);
});

test('virtual clock: advanceTo never moves backwards and refuses re-entry from a callback', () => {
  const clock = createVirtualClock(1_000);
  clock.advanceTo(500);
  assert.equal(clock.nowMs(), 1_000);
  clock.advanceTo(2_000);
  assert.equal(clock.nowMs(), 2_000);
  clock.schedule(2_100, () => clock.advance(1));
  assert.throws(() => clock.advance(200), /inside a scheduled callback/);
});

test('sleepUntil resolves when a virtual clock reaches the time', async () => {
  const clock = createVirtualClock(0);
  let done = false;
  const p = sleepUntil(clock, 100).then(() => (done = true));
  clock.advance(99);
  await Promise.resolve();
  assert.equal(done, false);
  clock.advance(1);
  await p;
  assert.equal(done, true);
});

test('system clock fires a due timer, reports wall time and cancels', async () => {
  const clock = createSystemClock();
  assert.equal(clock.isVirtual, false);
  assert.ok(Math.abs(clock.nowMs() - Date.now()) < 1_000);
  await new Promise<void>((resolve) => clock.schedule(Date.now() - 1, resolve));
  let fired = false;
  const cancel = clock.schedule(Date.now() + 60_000, () => (fired = true));
  cancel();
  assert.equal(fired, false);
  assert.equal('advance' in clock, false, 'the system clock cannot be advanced');
});
