import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRealClock, createVirtualClock } from '../../../src/sim/clock.ts';
import { createRng, hashUniform } from '../../../src/sim/rng.ts';

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

test('real clock fires a due timer and reports wall time', async () => {
  const clock = createRealClock();
  assert.equal(clock.isVirtual, false);
  assert.ok(Math.abs(clock.nowMs() - Date.now()) < 1_000);
  await new Promise<void>((resolve) => clock.schedule(Date.now() - 1, resolve));
  let fired = false;
  const cancel = clock.schedule(Date.now() + 60_000, () => (fired = true));
  cancel();
  assert.equal(fired, false);
  assert.throws(() => clock.advance(1));
});

test('rng: same seed same stream, forks independent, normals standard', () => {
  const a = createRng(42);
  const b = createRng(42);
  const xs = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 20 }, () => b.next()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 20 }, () => createRng(43).next()),
  );
  assert.notEqual(createRng(42).fork('x').next(), createRng(42).fork('y').next());
  const r = createRng(1);
  let sum = 0;
  let sq = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    sum += z;
    sq += z * z;
  }
  assert.ok(Math.abs(sum / n) < 0.03, `mean ${sum / n}`);
  assert.ok(Math.abs(sq / n - 1) < 0.04, `variance ${sq / n}`);
  let pois = 0;
  for (let i = 0; i < n; i++) pois += r.poisson(0.5);
  assert.ok(Math.abs(pois / n - 0.5) < 0.03);
  for (let i = 0; i < 100; i++) {
    const k = r.int(1, 5);
    assert.ok(k >= 1 && k <= 5 && Number.isInteger(k));
  }
  assert.equal(hashUniform(9, 1, 2, 3), hashUniform(9, 1, 2, 3));
  assert.notEqual(hashUniform(9, 1, 2, 3), hashUniform(9, 1, 2, 4));
});
