// The systemd unit in deploy/ passes `systemd-analyze verify` with no warning (verify exits 0 on an
// unknown key or a bad value and only prints it, so stderr must be empty). Skipped, with its reason,
// where systemd-analyze is absent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const ANALYZE = '/usr/bin/systemd-analyze';
const UNIT = 'deploy/systemd/ironvix.service';
const dir = mkdtempSync(join(tmpdir(), 'ironvix-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const verify = (text: string) => {
  const path = join(dir, 'ironvix.service');
  writeFileSync(path, text);
  return spawnSync(ANALYZE, ['verify', path], { encoding: 'utf8', timeout: 30_000 });
};

/** The unit as shipped; only the node binary is pointed at this machine's when /usr/bin/node is absent. */
const shipped = (): string => {
  const text = readFileSync(UNIT, 'utf8');
  return existsSync('/usr/bin/node') ? text : text.replace('/usr/bin/node', process.execPath);
};

describe(
  'deploy/systemd/ironvix.service',
  { skip: existsSync(ANALYZE) ? false : `${ANALYZE} is not installed` },
  () => {
    it('passes systemd-analyze verify without a warning', () => {
      const r = verify(shipped());
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr.trim(), '');
    });

    it('the check bites: a misspelled key is reported', () => {
      const r = verify(shipped().replace('KillSignal=', 'KillSignl='));
      assert.match(r.stderr, /Unknown key 'KillSignl'/);
    });

    it('runs the compiled daemon, never restarts on exit codes 2, 4, 5, and lets a cycle finish on stop', () => {
      const text = readFileSync(UNIT, 'utf8');
      assert.match(text, /^ExecStart=\/usr\/bin\/node \/opt\/ironvix\/dist\/cli\/main\.js daemon$/m);
      assert.match(text, /^RestartPreventExitStatus=2 4 5$/m);
      assert.match(text, /^TimeoutStopSec=15min$/m);
    });
  },
);
