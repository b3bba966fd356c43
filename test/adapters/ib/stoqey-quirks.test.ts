// @stoqey/ib quirks handled at the edge (docs/ib-notes.md §4) that other tests do not already cover.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestSim } from '../../support/sim-server.ts';
import { ibTestClient } from './support/ib-test-client.ts';

test('the adapter never lets stoqey load a .env (host, port, client id and rate are always passed)', async () => {
  // stoqey's configuration calls dotenv.config() on first use, which would read ./.env into process.env.
  const dir = mkdtempSync(join(tmpdir(), 'ironvix-stoqey-'));
  writeFileSync(join(dir, '.env'), 'IRONVIX_STOQEY_DOTENV_PROBE=loaded\n');
  const cwd = process.cwd();
  const t = await startTestSim({ limits: 'lifted' });
  const c = ibTestClient(t.port);
  try {
    process.chdir(dir);
    assert.ok((await c.broker.connect()).ok);
    assert.ok((await c.md.indexQuotes(['VIX'])).ok);
    assert.equal(process.env['IRONVIX_STOQEY_DOTENV_PROBE'], undefined);
  } finally {
    process.chdir(cwd);
    await c.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
