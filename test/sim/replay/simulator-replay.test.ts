import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchSimulator } from '../../../src/cli/wiring/simulator.ts';
import { runCliCaptured } from '../../support/cli-harness.ts';

// Real closes from data/history: 2018-02-05 (VIX 37.32, SPX 2648.94), 2018-02-06 (VIX 29.98).
test('a replaying simulator closes each session on the real VIX close of the replayed day', async () => {
  const sim = await launchSimulator({
    port: 0,
    virtualTime: true,
    startAt: '2026-03-16T09:30:00-04:00',
    replay: { from: '2018-02-05' },
  });
  try {
    const clock = sim.clock;
    clock.advance((6 * 60 + 30) * 60_000); // to the 16:00 close
    assert.ok(Math.abs(sim.market.spot('VIX') - 37.32) < 0.05, `VIX ${sim.market.spot('VIX')}`);
    clock.advance(24 * 3_600_000); // next session's close
    assert.ok(Math.abs(sim.market.spot('VIX') - 29.98) < 0.05, `VIX ${sim.market.spot('VIX')}`);
  } finally {
    await sim.close();
  }
});

test('`ironvix sim --replay-dir` without --replay-from is a usage error', async () => {
  const r = await runCliCaptured(['sim', '--port', '0', '--replay-dir', 'data/history']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_USAGE: --replay-dir needs --replay-from/);
});

test('`ironvix sim --replay-from` rejects a malformed date', async () => {
  const r = await runCliCaptured(['sim', '--replay-from', '5 Feb 2018']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /YYYY-MM-DD/);
});

test('`ironvix sim --replay-from` outside the replay data fails with E_SIM_REPLAY_INVALID naming the range', async () => {
  const r = await runCliCaptured(['sim', '--port', '0', '--replay-from', '2031-01-02']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /E_SIM_REPLAY_INVALID: --replay-from 2031-01-02 is outside the replay data's range 1990-01-\d\d\.\.2019-12-\d\d/,
  );
});
