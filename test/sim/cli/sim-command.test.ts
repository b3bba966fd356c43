// `ironvix sim` end to end: the process prints where it listens, serves @stoqey/ib, and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import { TestClient } from '../support/harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;

describe('ironvix sim', () => {
  it('listens on 127.0.0.1, serves a client, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'sim',
        '--port',
        '0',
        '--seed',
        '42',
        '--virtual-time',
        '--start-at',
        '2025-01-10T10:00',
        '--log-level',
        'silent',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stderr.resume();
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no listening line; stdout: ${stdout}`)),
          STARTUP_TIMEOUT_MS,
        );
        child.stdout.on('data', (d: string) => {
          stdout += d;
          const m = /^ironvix sim listening on .*$/m.exec(stdout);
          if (m !== null) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
        child.once('exit', () => reject(new Error(`sim exited early; stdout: ${stdout}`)));
      });
      const m = /^ironvix sim listening on 127\.0\.0\.1:(\d+) \(server version 178, seed 42\)$/.exec(line);
      assert.ok(m !== null, line);
      const c = new TestClient(Number(m[1]), 1);
      try {
        await c.connect();
        c.ib.reqCurrentTime();
        const [t] = await c.waitFor(EventName.currentTime);
        assert.ok(
          (t as number) >= Date.parse('2025-01-10T15:00:00Z') / 1000,
          'virtual time from the start date',
        );
        assert.deepEqual(c.decodeErrors(), []);
      } finally {
        await c.disconnect();
      }
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});
