// The gateway-following clock: it takes the gateway's time at start, advances with the monotonic
// clock between readings, jumps when a virtual-time gateway jumps, never goes back, and runs a
// scheduled callback once the gateway's time reaches it; also over TCP against the simulator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createGatewayClock } from '../../../src/adapters/clock/gateway-clock.ts';
import { createVirtualClock } from '../../../src/adapters/clock/virtual-clock.ts';
import { createIbBroker } from '../../../src/adapters/ib/ib-broker.ts';
import { createIbClient } from '../../../src/adapters/ib/ib-client.ts';
import { LIFTED_PACING_LIMITS } from '../../../src/adapters/ib/pacing.ts';
import { silentLogger } from '../../../src/adapters/log/silent-logger.ts';
import { createSystemClock } from '../../../src/adapters/clock/system-clock.ts';
import { err, ok } from '../../../src/domain/result.ts';
import type { BrokerResult } from '../../../src/ports/broker.ts';
import { startTestSim } from '../../support/sim-server.ts';

/** A gateway whose time the test sets, read in whole seconds as IB answers. */
function rig(startMs: number) {
  let gatewayMs = startMs;
  let up = true;
  const real = createVirtualClock(0); // real timers and the monotonic clock, both moved by hand
  const clock = createGatewayClock({
    readGatewayMs: (): Promise<BrokerResult<number>> =>
      Promise.resolve(
        up
          ? ok(Math.floor(gatewayMs / 1000) * 1000)
          : err({ kind: 'disconnected', text: 'not connected' } as const),
      ),
    timers: real,
    monotonicMs: () => real.nowMs(),
    pollMs: 1_000,
  });
  return {
    clock,
    real,
    setGateway: (ms: number) => {
      gatewayMs = ms;
    },
    setUp: (u: boolean) => {
      up = u;
    },
  };
}

const T0 = Date.UTC(2026, 2, 16, 19, 45, 0);

describe('gateway clock', () => {
  it('gives whole milliseconds when the monotonic clock has fractions (performance.now), as the journal needs', async () => {
    let mono = 0.25;
    const clock = createGatewayClock({
      readGatewayMs: (): Promise<BrokerResult<number>> => Promise.resolve(ok(1_773_690_300_000)),
      timers: createVirtualClock(0),
      monotonicMs: () => mono,
      pollMs: 1_000,
    });
    assert.equal(await clock.start(), true);
    const first = clock.nowMs();
    for (const step of [0.4, 0.3, 12.77, 0.01]) {
      mono += step;
      const now = clock.nowMs();
      assert.ok(Number.isInteger(now), `nowMs ${now}`);
    }
    assert.equal(clock.nowMs() - first, 13, 'advances by the whole milliseconds passed');
    clock.stop();
  });

  it('starts at the gateway time and advances with the monotonic clock between readings', async () => {
    const r = rig(T0);
    assert.equal(await r.clock.sync(), true);
    const first = r.clock.nowMs();
    assert.ok(first >= T0 && first < T0 + 1_000, 'within the reading second');
    r.real.advance(250);
    assert.equal(r.clock.nowMs(), first + 250);
  });

  it('tells whole milliseconds when the monotonic clock has fractions (the journal stores integers)', async () => {
    let mono = 0.25;
    const clock = createGatewayClock({
      readGatewayMs: () => Promise.resolve(ok(T0)),
      timers: createVirtualClock(0),
      monotonicMs: () => mono,
    });
    assert.equal(await clock.sync(), true);
    mono = 1_234.567;
    assert.ok(Number.isInteger(clock.nowMs()), String(clock.nowMs()));
  });

  it('jumps forward with a virtual-time gateway and never goes back when the gateway lags', async () => {
    const r = rig(T0);
    await r.clock.sync();
    r.setGateway(T0 + 60_000);
    await r.clock.sync();
    assert.ok(r.clock.nowMs() >= T0 + 60_000, 'followed the jump');
    const high = r.clock.nowMs();
    r.setGateway(T0); // a gateway behind the clock (its virtual time paused, or reset)
    await r.clock.sync();
    assert.ok(r.clock.nowMs() >= high, 'never back');
  });

  it('keeps its estimate while readings agree, and corrects it to the reading second when they do not', async () => {
    const r = rig(T0);
    await r.clock.sync();
    r.real.advance(400);
    r.setGateway(T0 + 400);
    await r.clock.sync();
    assert.equal(r.clock.nowMs(), T0 + 500 + 400, 'no jerk inside the reading second');
    r.setGateway(T0 + 5_000);
    await r.clock.sync();
    assert.equal(r.clock.nowMs(), T0 + 5_000, 'raised to the reading');
  });

  it('runs a callback once the gateway reaches its time, in time order, and not a cancelled one', async () => {
    const r = rig(T0);
    await r.clock.sync();
    const ran: string[] = [];
    r.clock.schedule(T0 + 30_000, () => ran.push('b'));
    r.clock.schedule(T0 + 10_000, () => ran.push('a'));
    const cancel = r.clock.schedule(T0 + 20_000, () => ran.push('x'));
    cancel();
    r.setGateway(T0 + 15_000);
    await r.clock.sync();
    assert.deepEqual(ran, ['a']);
    r.setGateway(T0 + 31_000);
    await r.clock.sync();
    assert.deepEqual(ran, ['a', 'b']);
  });

  it('a callback due between readings runs on the monotonic clock, and polling keeps reading', async () => {
    const r = rig(T0);
    await r.clock.start();
    const ran: number[] = [];
    r.clock.schedule(T0 + 2_000, () => ran.push(r.clock.nowMs()));
    r.setGateway(T0 + 3_000);
    for (let i = 0; i < 4; i++) {
      r.real.advance(1_000);
      await new Promise((res) => setImmediate(res));
    }
    assert.equal(ran.length, 1);
    assert.ok(r.clock.readings() >= 3, `polled ${r.clock.readings()} times`);
    r.clock.stop();
    assert.equal(r.real.pending(), 0, 'stop cancels its timers');
  });

  it('a failed reading keeps it running on the monotonic clock; nowMs before any reading is a bug', async () => {
    const r = rig(T0);
    assert.throws(() => r.clock.nowMs(), /before its first reading/);
    await r.clock.sync();
    const t = r.clock.nowMs();
    r.setUp(false);
    assert.equal(await r.clock.sync(), false);
    r.real.advance(700);
    assert.equal(r.clock.nowMs(), t + 700);
  });

  it('over TCP it follows the simulator on a virtual clock (reqCurrentTime through the IB adapter)', async () => {
    const t = await startTestSim({ limits: 'lifted' });
    const client = createIbClient({
      host: '127.0.0.1',
      port: t.port,
      clientId: 31,
      clock: createSystemClock(),
      logger: silentLogger,
      pacing: LIFTED_PACING_LIMITS,
    });
    const broker = createIbBroker(client);
    const clock = createGatewayClock({
      readGatewayMs: () => broker.serverTimeMs(),
      timers: createSystemClock(),
      pollMs: 60_000,
    });
    try {
      const c = await broker.connect();
      assert.ok(c.ok);
      assert.equal(await clock.sync(), true);
      const skew = clock.nowMs() - t.clock.nowMs();
      assert.ok(skew >= 0 && skew < 1_500, `skew ${skew} ms`);
      let fired = false;
      clock.schedule(t.clock.nowMs() + 90_000, () => {
        fired = true;
      });
      t.clock.advance(60_000);
      await clock.sync();
      assert.equal(fired, false);
      t.clock.advance(31_000);
      await clock.sync();
      assert.equal(fired, true, 'fired once the simulator passed its time');
      assert.ok(clock.nowMs() >= t.clock.nowMs() - 1_000);
    } finally {
      clock.stop();
      await client.close();
      await t.close();
    }
  });
});
