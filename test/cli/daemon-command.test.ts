// `ironvix daemon` from the compiled build (bin/ironvix.js runs dist/): a week of cycles in virtual
// time, each a plan executed against the in-process simulator over TCP; two daemons on one data
// directory (the second refuses with the first's pid); SIGTERM stops it and lifts its lock; live
// without its keys and paper with a live account are refused before anything starts.
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
    // Each cycle starts at 15:45 and is notified when its plan ends, before the 16:00 close.
    assert.deepEqual(
      cycles.map((l) => l.slice(0, 10)),
      ['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-06'],
    );
    for (const l of cycles)
      assert.match(
        l,
        /^\d{4}-\d{2}-\d{2} 15:(4[5-9]|5\d) info +ironvix sim \S+: (COMPLETE|PARTIAL) -- plan /,
      );
    assert.match(r.stdout, /PARTIAL -- plan 2026-03-30-\w+ \| condor \d of \d, \d+ fills/);
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

  it('live without its three keys, and paper with a live account, are refused before anything starts', () => {
    const run = (extra: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, ['bin/ironvix.js', 'daemon', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...env, ...extra },
      });
    const live = run({ IRONVIX_MODE: 'live', IB_ACCOUNT: 'U7654321' });
    assert.equal(live.status, 4, live.stderr);
    assert.match(live.stderr, /E_LIVE_NOT_ARMED/);
    const paper = run({ IRONVIX_MODE: 'paper', IB_ACCOUNT: 'U7654321' });
    assert.equal(paper.status, 4, paper.stderr);
    assert.match(paper.stderr, /U7654321/);
    const virtualPaper = run(
      { IRONVIX_MODE: 'paper' },
      '--virtual-time',
      '--start-at',
      '2026-03-16',
      '--until',
      '2026-03-17',
    );
    assert.equal(virtualPaper.status, 2);
    assert.match(virtualPaper.stderr, /--virtual-time and --connect are for sim mode/);
  });
});
