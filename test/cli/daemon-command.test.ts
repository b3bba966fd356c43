// `ironvix daemon` from the compiled build (bin/ironvix.js runs dist/): a week of cycles in virtual
// time; two daemons on one data directory (the second refuses with the first's pid); SIGTERM stops
// it and lifts its lock; paper mode is refused until run --once is wired in.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { serviceLockPath } from '../../src/adapters/sqlite/service-lock.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ironvix-daemon-'));
const env = {
  ...process.env,
  IRONVIX_DATA_DIR: dataDir,
  IRONVIX_MODE: 'sim',
  IRONVIX_LOG_LEVEL: 'warn',
  IRONVIX_NOTIFY_URL: '',
};
const children: ChildProcessWithoutNullStreams[] = [];

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const ironvix = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/ironvix.js', ...args], { encoding: 'utf8', timeout: 60_000, env });

describe('ironvix daemon (compiled build)', () => {
  it('--virtual-time: one cycle per trading day at 15:45 New York, Good Friday skipped', () => {
    const r = ironvix(
      'daemon',
      '--virtual-time',
      '--start-at',
      '2026-03-30T09:00',
      '--until',
      '2026-04-06T17:00',
    );
    assert.equal(r.status, 0, r.stderr);
    const cycles = r.stdout.split('\n').filter((l) => / ironvix sim \d{4}-\d{2}-\d{2}: /.test(l));
    assert.deepEqual(
      cycles.map((l) => l.slice(0, 16)),
      ['2026-03-30 15:45', '2026-03-31 15:45', '2026-04-01 15:45', '2026-04-02 15:45', '2026-04-06 15:45'],
    );
    assert.ok(cycles.every((l) => /preview only, nothing sent/.test(l)));
    assert.match(r.stdout, /virtual run ended at 2026-04-06 17:00 New York/);
  });

  it('a second daemon on the same journal refuses with the holder pid; SIGTERM stops the first', async () => {
    const first = spawn(process.execPath, ['bin/ironvix.js', 'daemon'], { env });
    children.push(first);
    let out = '';
    first.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      first.stdout.on('data', (t: string) => {
        out += t;
        if (out.includes('daemon started')) resolve();
      });
      first.once('exit', (code) => reject(new Error(`first daemon exited ${code}`)));
    });
    const second = ironvix('daemon');
    assert.equal(second.status, 4, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(`E_DAEMON_RUNNING: an ironvix sim daemon already runs: pid ${first.pid} `),
    );
    assert.match(second.stderr, /action: One daemon per mode/);

    const code = await new Promise<number | null>((resolve) => {
      first.once('exit', resolve);
      first.kill('SIGTERM');
    });
    assert.equal(code, 0);
    const third = ironvix(
      'daemon',
      '--virtual-time',
      '--start-at',
      '2026-03-16T09:00',
      '--until',
      '2026-03-16T10:00',
    );
    assert.equal(third.status, 0, `the lock at ${serviceLockPath(dataDir, 'sim')} was released`);
  });

  it('paper mode is refused until run --once is wired in; nothing starts', () => {
    const r = spawnSync(process.execPath, ['bin/ironvix.js', 'daemon'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...env, IRONVIX_MODE: 'paper' },
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /sim mode only until `ironvix run --once`/);
  });
});
