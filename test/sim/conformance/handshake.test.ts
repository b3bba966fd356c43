// Handshake and connection rules, through the real @stoqey/ib client over TCP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAKE_ACCOUNT } from '../support/fake-engine.ts';
import { withFakeSim } from '../support/fake-sim.ts';

describe('handshake with @stoqey/ib (v100..193)', () => {
  for (const serverVersion of [178, 193] as const) {
    it(`negotiates ${serverVersion} and completes the startup sequence`, async () => {
      await withFakeSim({ serverVersion }, async (sim) => {
        const c = sim.client(3);
        const nextId = await c.connect();
        assert.equal(c.ib.serverVersion, serverVersion);
        const [, time] = await c.waitFor('server');
        // 2025-01-10 10:00:00 New York on the virtual clock.
        assert.equal(time, '20250110 10:00:00 EST');
        const [accounts] = await c.waitFor('managedAccounts');
        assert.equal(accounts, FAKE_ACCOUNT);
        assert.equal(nextId, 1);
        await c.waitUntil(
          () => (c.infos.some((i) => i.code === 2158) ? true : undefined),
          'farm status 2158',
        );
        assert.deepEqual(
          c.infos.map((i) => i.code),
          [2104, 2106, 2158],
        );
      });
    });
  }

  it('serves several clients at once and answers reqCurrentTime from the simulator clock', async () => {
    await withFakeSim({}, async (sim) => {
      const a = sim.client(1);
      const b = sim.client(2);
      await Promise.all([a.connect(), b.connect()]);
      sim.clock.advance(90_000);
      a.ib.reqCurrentTime();
      const [t] = await a.waitFor('currentTime');
      assert.equal(t, Math.floor(sim.clock.nowMs() / 1000));
      b.ib.reqCurrentTime();
      await b.waitFor('currentTime');
      assert.deepEqual(
        sim.server
          .sessions()
          .map((s) => s.clientId)
          .sort(),
        [1, 2],
      );
    });
  });

  it('refuses a duplicate client id with 326 and closes that connection only', async () => {
    await withFakeSim({}, async (sim) => {
      const first = sim.client(5);
      await first.connect();
      const second = sim.client(5);
      second.ib.connect(5);
      await second.waitFor('disconnected');
      assert.ok(
        second.infos.some((i) => i.code === 326),
        'second client told 326',
      );
      // The first client keeps working.
      first.ib.reqCurrentTime();
      await first.waitFor('currentTime');
      assert.equal(first.ib.isConnected, true);
    });
  });

  it('reconnects with the same client id after a disconnect', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(9);
      await c.connect();
      await c.disconnect();
      const since = c.mark();
      c.ib.connect(9);
      await c.waitFor('nextValidId', () => true, since);
      assert.equal(c.ib.isConnected, true);
    });
  });
});
