import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../support/cli-harness.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ironvix-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

test('a missing snapshot file is a bad-input error with code, action and exit code 2', async () => {
  const r = await runCliCaptured(['preview', '--snapshot', join(tmp, 'nope.json')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /error E_SNAPSHOT_UNREADABLE/);
  assert.match(r.stderr, /action: /);
  assert.equal(r.stdout, '');
});

test('a snapshot that is not JSON names the problem', async () => {
  const r = await runCliCaptured(['preview', '--snapshot', write('broken.json', '{"schemaVersion": 1,')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_SNAPSHOT_UNREADABLE/);
});

test('a snapshot with a negative bid names the field', async () => {
  const good = JSON.parse(readFileSync('test/fixtures/snapshots/calm.json', 'utf8')) as {
    spxw: { quotes: { bid: number }[] };
  };
  const first = good.spxw.quotes[0];
  assert.ok(first);
  first.bid = -1;
  const r = await runCliCaptured(['preview', '--snapshot', write('neg.json', JSON.stringify(good))]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_SNAPSHOT_INVALID/);
  assert.match(r.stderr, /spxw\.quotes\[0\]\.bid/);
  assert.match(r.stderr, /got -1/);
});

test('a strategy with an out-of-range field fails with the field, the value and exit 2', async () => {
  const s = JSON.parse(readFileSync('strategies/alvh-default.json', 'utf8')) as {
    condor: { targetDelta: number };
  };
  s.condor.targetDelta = 0.7;
  const file = write('bad-strategy.json', JSON.stringify(s));
  const r = await runCliCaptured([
    'preview',
    '--snapshot',
    'test/fixtures/snapshots/calm.json',
    '--strategy',
    file,
  ]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_STRATEGY_INVALID/);
  assert.match(r.stderr, /condor\.targetDelta/);
  assert.match(r.stderr, /0\.7/);
});

test('unknown options and missing required options are usage errors (exit 2)', async () => {
  const a = await runCliCaptured(['preview']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /E_USAGE/);
  const b = await runCliCaptured(['preview', '--snapshot', 'x.json', '--bogus']);
  assert.equal(b.code, 2);
  const c = await runCliCaptured(['no-such-command']);
  assert.equal(c.code, 2);
});

test('--help works on the program and on every command', async () => {
  const top = await runCliCaptured(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Exit codes:/);
  for (const cmd of ['preview', 'demo', 'sim']) {
    const r = await runCliCaptured([cmd, '--help']);
    assert.equal(r.code, 0, `${cmd} --help`);
    assert.match(r.stdout, new RegExp(`Usage: ironvix ${cmd}`));
  }
});

test('a broken environment variable stops preview with E_CONFIG_INVALID and exit 2', async () => {
  const before = process.env['IB_PORT'];
  process.env['IB_PORT'] = 'abc';
  try {
    const r = await runCliCaptured(['preview', '--snapshot', 'test/fixtures/snapshots/calm.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_CONFIG_INVALID/);
    assert.match(r.stderr, /IB_PORT/);
    assert.equal(r.stdout, '', 'no partial plan is printed');
  } finally {
    if (before === undefined) delete process.env['IB_PORT'];
    else process.env['IB_PORT'] = before;
  }
});
