import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, hashUniform } from '../../../src/sim/rng.ts';

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
