// Every request ends exactly once: answer, routed error, disconnect, or timeout (on an injected clock).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ORDER_ID_MIN, REQUEST_ID_MAX, RequestRegistry } from '../../../src/adapters/ib/request-registry.ts';
import { createVirtualClock } from '../../../src/adapters/clock/virtual-clock.ts';

test('a request nobody answers resolves as a timeout value when its deadline passes', async () => {
  const clock = createVirtualClock(0);
  const reg = new RequestRegistry(clock);
  let timedOut = 0;
  const r = reg.open<number>({
    what: 'contract details for X',
    timeoutMs: 1000,
    onTimeout: () => timedOut++,
  });
  clock.advance(999);
  assert.equal(r.isOpen(), true);
  clock.advance(1);
  assert.deepEqual(await r.promise, {
    ok: false,
    error: { kind: 'timeout', text: 'contract details for X: no answer within 1000 ms' },
  });
  assert.equal(timedOut, 1);
  r.finish(5);
  assert.equal(reg.openCount(), 0, 'a late answer changes nothing');
});

test('errors are routed by request id; info codes do not end a request', async () => {
  const reg = new RequestRegistry(createVirtualClock(0));
  const a = reg.open<number>({ what: 'a', timeoutMs: 1000 });
  const b = reg.open<number>({ what: 'b', timeoutMs: 1000 });
  assert.equal(reg.routeError(a.reqId, 2104, 'farm ok', 'info'), true);
  assert.equal(a.isOpen(), true);
  assert.equal(reg.routeError(a.reqId, 200, 'No security definition', 'refused'), true);
  assert.deepEqual(await a.promise, {
    ok: false,
    error: { kind: 'error', code: 200, text: 'No security definition' },
  });
  assert.equal(reg.routeError(a.reqId, 200, 'again', 'refused'), false, 'an ended request claims nothing');
  b.finish(42);
  assert.deepEqual(await b.promise, { ok: true, value: 42 });
});

test('a dropped link ends every open request as disconnected; keyed requests are shared', async () => {
  const reg = new RequestRegistry(createVirtualClock(0));
  const first = reg.openKeyed<number>('positions', { what: 'positions', timeoutMs: 1000 });
  const second = reg.openKeyed<number>('positions', { what: 'positions', timeoutMs: 1000 });
  assert.equal(first.joined, false);
  assert.equal(second.joined, true);
  assert.equal(second.request, first.request);
  const other = reg.open<number>({ what: 'x', timeoutMs: 1000 });
  reg.failAll({ kind: 'disconnected', text: 'link lost' });
  for (const p of [first.request.promise, other.promise])
    assert.deepEqual(await p, { ok: false, error: { kind: 'disconnected', text: 'link lost' } });
  assert.equal(reg.openCount(), 0);
});

test('request ids stay below the order id range, wrap, and skip ids still in use', () => {
  assert.ok(REQUEST_ID_MAX < ORDER_ID_MIN, 'an error id names a request or an order, never both');
  const reg = new RequestRegistry(createVirtualClock(0), 5);
  const held = reg.open<number>({ what: 'held', timeoutMs: 1e12 });
  assert.equal(held.reqId, 1);
  for (let i = 2; i <= 5; i++) reg.open<number>({ what: 'x', timeoutMs: 1e12 }).finish(0);
  const next = reg.open<number>({ what: 'after wrap', timeoutMs: 1e12 });
  assert.equal(next.reqId, 2, 'id 1 is still pending, so the wrap skips it');
  for (let i = 0; i < 3; i++) reg.open<number>({ what: 'fill', timeoutMs: 1e12 });
  assert.throws(() => reg.open<number>({ what: 'leak', timeoutMs: 1e12 }), /request ids are in use/);
});
