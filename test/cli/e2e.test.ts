import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The newcomer path: the launcher in bin/ runs the demo in a fresh process.
test('`ironvix demo` in a fresh process prints the sample plan and exits 0', () => {
  const r = spawnSync(process.execPath, ['bin/ironvix.js', 'demo'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /OUTCOME: TRADE \d+ condor/);
  assert.match(r.stdout, /Preview only: nothing was sent to a broker\./);
});

test('`ironvix demo --json` prints the same plan the golden calm preview pins', () => {
  const r = spawnSync(process.execPath, ['bin/ironvix.js', 'demo', '--json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const demo = JSON.parse(r.stdout) as { plan: unknown };
  const golden = JSON.parse(readFileSync('test/golden/cli/preview-calm.json', 'utf8')) as { plan: unknown };
  assert.deepEqual(demo.plan, golden.plan, 'paper/sample-snapshot.json must stay the calm fixture');
});
