// The pacing lanes keep IB's limits (on wall time, as IB counts): no window ever holds more than the
// lane allows. Small limits keep these tests short; the default limits run once against the simulator.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IB_PACING_LIMITS, LIFTED_PACING_LIMITS, Pacing } from '../../../src/adapters/ib/pacing.ts';
import type { PacingLimits } from '../../../src/adapters/ib/pacing.ts';
import { startTestSim } from '../../support/sim-server.ts';
import { ibTestClient, listedVixCalls } from './support/ib-test-client.ts';

function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

const small = (over: Partial<PacingLimits>): PacingLimits => ({ ...LIFTED_PACING_LIMITS, ...over });

describe('pacing lanes', () => {
  test('lifted limits (a simulator of our own): every message goes out in call order, in the same turn', async () => {
    const p = new Pacing(LIFTED_PACING_LIMITS);
    const order: string[] = [];
    let macrotaskRan = false;
    setImmediate(() => {
      macrotaskRan = true;
    });
    const lanes = ['data', 'order', 'control', 'history'] as const;
    const sends = Array.from({ length: 400 }, (_, i) =>
      p.message(lanes[i % lanes.length]!, () => order.push(`m${i}`)),
    );
    const history = p.historicalRequest('same', 'SPX', () => order.push('hist'));
    const line = p.withLine(() => Promise.resolve(order.push('line')));
    await Promise.all([...sends, history, line]);
    // No limiter turn (a timer each) between them: a capture of ~330 messages took 1.2 s that way.
    assert.equal(macrotaskRan, false);
    assert.deepEqual(
      order.slice(0, 400),
      Array.from({ length: 400 }, (_, i) => `m${i}`),
    );
    assert.deepEqual(order.slice(400).sort(), ['hist', 'line']);
    assert.equal(p.stats().messages, 401);
    await p.close();
  });

  test('messages are spaced so no second holds more than the limit', async () => {
    const p = new Pacing(small({ messagesPerSecond: 20 }));
    const sent: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, () => p.message('data', () => sent.push(performance.now()))),
    );
    assert.equal(sent.length, 30);
    assert.ok(maxInWindow(sent, 1000) <= 20, `max ${maxInWindow(sent, 1000)} in a second`);
    assert.ok(p.stats().maxMessagesInAnySecond <= 20);
    await p.close();
  });

  test('an order waiting behind data goes first', async () => {
    const p = new Pacing(small({ messagesPerSecond: 15 }));
    const order: string[] = [];
    const data = Array.from({ length: 15 }, (_, i) => p.message('data', () => order.push(`d${i}`)));
    while (p.waiting() < 10) await new Promise((r) => setTimeout(r, 1));
    const before = order.length;
    await Promise.all([...data, p.message('order', () => order.push('order'))]);
    // Without priorities it would go last; it overtakes everything waiting but the one or two
    // messages bottleneck has already handed out.
    assert.ok(
      order.indexOf('order') <= before + 2,
      `${before} sent before it was queued: ${order.join(',')}`,
    );
    await p.close();
  });

  test('historical requests: a budget per window, identical ones spaced, one contract paced', async () => {
    const limits = small({
      historicalRequests: 4,
      historicalWindowMs: 600,
      identicalHistoricalGapMs: 150,
      historicalPerContractGapMs: 60,
    });
    const p = new Pacing(limits);
    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        p.historicalRequest(`req${i}`, `contract${i % 4}`, () => at.push(performance.now())),
      ),
    );
    assert.equal(at.length, 8);
    assert.ok(maxInWindow(at, 600) <= 4, `max ${maxInWindow(at, 600)} in a window`);
    const same: number[] = [];
    await Promise.all([0, 1].map(() => p.historicalRequest('same', 'c', () => same.push(performance.now()))));
    assert.ok(
      (same[1] ?? 0) - (same[0] ?? 0) >= 145,
      `identical requests ${(same[1] ?? 0) - (same[0] ?? 0)} ms apart`,
    );
    await p.close();
  });

  test('market data requests hold a line each; at most the line limit run at once', async () => {
    const p = new Pacing(small({ marketDataLines: 3 }));
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        p.withLine(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 40));
          running--;
        }),
      ),
    );
    assert.equal(most, 3);
    await p.close();
  });

  test('a reset drops waiting messages: they are never sent', async () => {
    const p = new Pacing(small({ messagesPerSecond: 5 }));
    let sent = 0;
    const all = Array.from({ length: 6 }, () => p.message('data', () => ++sent));
    await p.reset();
    const results = await Promise.all(all);
    assert.ok(results.filter((r) => r === null).length >= 4, `results ${results.join(',')}`);
    const after = sent;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sent, after, 'nothing dropped is sent later');
    await p.close();
  });
});

test('default limits against the simulator at IB limits: 130 quotes, no pacing error', async () => {
  const t = await startTestSim({ limits: 'ib' });
  const c = ibTestClient(t.port, { pacing: IB_PACING_LIMITS });
  try {
    assert.ok((await c.broker.connect()).ok);
    const contracts = listedVixCalls(t, 130);
    const r = await c.md.optionQuotes(contracts);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    assert.equal(r.value.length, 130);
    const stats = c.client.pacing.stats();
    assert.ok(stats.messages >= 130);
    assert.ok(stats.maxMessagesInAnySecond <= IB_PACING_LIMITS.messagesPerSecond, JSON.stringify(stats));
    assert.deepEqual(
      c.events.filter((e) => e.type === 'error' && [100, 101, 162, 420].includes(e.code)),
      [],
    );
    assert.ok(!t.logs.some((l) => /pacing violation/.test(l.msg)), 'the simulator saw no violation');
  } finally {
    await c.close();
    await t.close();
  }
});

test('a closed Pacing stops the stale-key sweep of its Bottleneck groups (the daemon opens a session per cycle point)', async () => {
  type Sweep = { _destroyed: boolean };
  const sweeps = (p: Pacing): Sweep[] => {
    const lanes = (p as unknown as { lanes: Record<string, { interval?: Sweep }> }).lanes;
    return [lanes['identical']?.interval, lanes['perContract']?.interval].filter(
      (x): x is Sweep => x !== undefined,
    );
  };
  const p = new Pacing(IB_PACING_LIMITS);
  assert.equal(sweeps(p).length, 2);
  assert.ok(
    sweeps(p).every((t) => !t._destroyed),
    'running while open',
  );
  await p.close();
  assert.ok(
    sweeps(p).every((t) => t._destroyed),
    'cleared on close: nothing keeps the groups alive',
  );
});
