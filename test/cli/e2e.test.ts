import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { assertGolden } from '../support/golden.ts';

const ironvix = (...args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, ['bin/ironvix.js', ...args], { encoding: 'utf8', timeout: 120_000 });

// The newcomer path: the launcher in bin/ runs the demo against the built-in simulator in a fresh process.
test('`ironvix demo` in a fresh process runs the simulator, prints the plan and exits 0', () => {
  const r = ironvix('demo');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const [first] = r.stdout.split('\n');
  assert.match(
    first ?? '',
    /^demo: simulator on 127\.0\.0\.1:\d+ \(seed 42, virtual time 2026-03-16T15:45:00-04:00\), snapshot captured over TCP through the IB adapter$/,
  );
  assert.match(r.stdout, /OUTCOME: /);
  assert.match(r.stdout, /Preview only: nothing was sent to a broker\./);
});

test('`ironvix demo --json` is the same plan in every fresh process (golden)', () => {
  const runs = [ironvix('demo', '--json'), ironvix('demo', '--json')];
  for (const r of runs) assert.equal(r.status, 0, r.stderr);
  assert.equal(runs[0]?.stdout, runs[1]?.stdout, 'two demo runs printed different plans');
  const { kind, plan } = JSON.parse(runs[0]?.stdout ?? '') as { kind: string; plan: { asOf: string } };
  assert.equal(kind, 'ironvix.plan');
  assert.equal(plan.asOf, '2026-03-16T15:45:00-04:00');
  assertGolden('test/golden/cli/demo-sim.json', runs[0]?.stdout ?? '');
});

test('`ironvix demo --sample --json` prints the same plan the golden calm preview pins', () => {
  const r = ironvix('demo', '--sample', '--json');
  assert.equal(r.status, 0, r.stderr);
  const demo = JSON.parse(r.stdout) as { plan: unknown };
  const golden = JSON.parse(readFileSync('test/golden/cli/preview-calm.json', 'utf8')) as { plan: unknown };
  assert.deepEqual(demo.plan, golden.plan, 'paper/sample-snapshot.json must stay the calm fixture');
});
