// `ironvix config`, --env-file, misspelled variables, and errors a user can fix reported as such.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../support/cli-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'ironvix-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const envFile = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const EMPTY = envFile('empty.env', '');

describe('ironvix config', () => {
  it('prints every variable with its value and origin, masking the account', async () => {
    const file = envFile('a.env', 'IB_ACCOUNT=DU7654321\nIB_PORT=4001\n');
    const r = await runCliCaptured(['--env-file', file, 'config', '--json'], {
      env: { IRONVIX_MODE: 'paper' },
    });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      variables: { name: string; value: string | null; origin: string }[];
      warnings: string[];
    };
    const byName = new Map(out.variables.map((v) => [v.name, v]));
    assert.deepEqual(byName.get('IB_ACCOUNT'), { name: 'IB_ACCOUNT', value: 'DU*****21', origin: file });
    assert.deepEqual(byName.get('IB_PORT'), { name: 'IB_PORT', value: '4001', origin: file });
    assert.deepEqual(byName.get('IRONVIX_MODE'), {
      name: 'IRONVIX_MODE',
      value: 'paper',
      origin: 'environment',
    });
    assert.deepEqual(byName.get('IB_HOST'), { name: 'IB_HOST', value: '127.0.0.1', origin: 'default' });
    assert.ok(!r.stdout.includes('DU7654321'), 'the account id must never be printed whole');
    assert.deepEqual(out.warnings, []);
  });

  it('warns about a misspelled variable and names the one it probably meant', async () => {
    const file = envFile('typo.env', 'IRONVIX_MODEE=paper\nIB_PROT=4001\n');
    const r = await runCliCaptured(['--env-file', file, 'config'], { env: { IRONVIX_LIVE_ARMD: 'yes' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /IRONVIX_MODEE is not an ironvix variable \(did you mean IRONVIX_MODE\?\)/);
    assert.match(r.stdout, /IB_PROT is not an ironvix variable \(did you mean IB_PORT\?\)/);
    assert.match(
      r.stdout,
      /IRONVIX_LIVE_ARMD is not an ironvix variable \(did you mean IRONVIX_LIVE_ARMED\?\)/,
    );
    // The typo did not take effect: the mode stays the default.
    assert.match(r.stdout, /IRONVIX_MODE\s+sim\s+default/);
  });

  it('a missing --env-file is a configuration error, not a crash', async () => {
    const r = await runCliCaptured(['--env-file', join(dir, 'nope.env'), 'config'], { env: {} });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error E_CONFIG_INVALID: .*nope\.env/);
  });

  it('a broken value names the variable, the value and the rule', async () => {
    const r = await runCliCaptured(['config'], { env: { IB_PORT: 'ninety' }, envFile: EMPTY });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_CONFIG_INVALID/);
    assert.match(r.stderr, /IB_PORT/);
    assert.match(r.stderr, /ninety/);
  });
});

describe('user errors are reported once, with a code and an action', () => {
  it('a usage error is printed once', async () => {
    const r = await runCliCaptured(['preview', '--snapshot'], { env: {}, envFile: EMPTY });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.match(/option '--snapshot <file>' argument missing/g)?.length, 1, r.stderr);
    assert.match(r.stderr, /^error E_USAGE: /);
  });

  it('a simulator port already in use is E_PORT_IN_USE (exit 2), not an internal error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const r = await runCliCaptured(['sim', '--port', String(port), '--log-level', 'silent'], {
        env: {},
        envFile: EMPTY,
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^error E_PORT_IN_USE: 127\\.0\\.0\\.1:${port} is already in use`));
      assert.doesNotMatch(r.stderr, /E_INTERNAL|at Server/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
