// What the adapter puts on the wire for orders, and what it never sends: transmit and whatIf always
// explicit, no orderMiscOptions; nothing queued while the link is down is ever replayed; a link lost
// after the order left is `unknown`, and reconciliation finds the order by orderRef.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spxwOption, vixOption } from '../../../src/domain/instruments.ts';
import { priceCents } from '../../../src/domain/money.ts';
import { createVirtualClock } from '../../../src/adapters/clock/virtual-clock.ts';
import { spxwOption as simSpxw } from '../../sim/support/fake-engine.ts';
import { startTestSim } from '../../support/sim-server.ts';
import { SCRIPTED_ACCOUNT, SCRIPTED_VERSION, enc, startScriptedGateway } from './support/scripted-gateway.ts';
import { ibTestClient, listedVixCalls, testOrder, waitUntil } from './support/ib-test-client.ts';
import { IB_PACING_LIMITS } from '../../../src/adapters/ib/pacing.ts';

/** placeOrder field indexes for a single contract at server version 178 (docs/ib-notes.md §2). */
const TRANSMIT = 27;
const WHAT_IF = 84;
const ORDER_MISC_OPTIONS = 85;

test('placeOrder carries transmit=1, an explicit whatIf, and no orderMiscOptions', async () => {
  const gw = await startScriptedGateway({
    onRequest: (req, conn) => {
      if (req.type === 'reqContractDetails') {
        conn.send(enc.contractData(SCRIPTED_VERSION, req.reqId, simSpxw(910001, 5900, 'C')));
        conn.send(enc.contractDataEnd(req.reqId));
      }
    },
  });
  const c = ibTestClient(gw.port, { timeouts: { orderAckMs: 100, whatIfMs: 100 } });
  try {
    assert.ok((await c.broker.connect()).ok);
    const base = {
      account: SCRIPTED_ACCOUNT,
      contract: { kind: 'single' as const, contract: spxwOption('2025-01-13', 5900, 'C') },
      action: 'BUY' as const,
      quantity: 1,
      limitPrice: priceCents(125),
    };
    const sent = await c.broker.submit({ ...base, orderId: c.broker.nextOrderId(), orderRef: 'p:real:1' });
    assert.equal(sent.kind, 'unknown', 'the scripted gateway never acknowledges');
    await c.broker.whatIf({ ...base, orderRef: 'p:whatif:1' });
    const placed = gw.requests.filter((r) => r.req.type === 'placeOrder').map((r) => r.fields);
    assert.equal(placed.length, 2);
    const [real, whatIf] = placed as [readonly string[], readonly string[]];
    assert.deepEqual([real[TRANSMIT], real[WHAT_IF], real[ORDER_MISC_OPTIONS]], ['1', '0', '']);
    assert.deepEqual([whatIf[TRANSMIT], whatIf[WHAT_IF], whatIf[ORDER_MISC_OPTIONS]], ['1', '1', '']);
    assert.equal(real[19], '1.25', 'the limit price in dollars');
    assert.equal(real[2], '910001', 'the resolved conId');
  } finally {
    await c.close();
    await gw.close();
  }
});

test('an order submitted while the link is down is refused as not sent and never replayed later', async () => {
  const t = await startTestSim({ limits: 'lifted' });
  const clock = createVirtualClock(Date.parse('2025-01-10T15:00:00Z'));
  const c = ibTestClient(t.port, { clock, timeouts: { backoffInitialMs: 5_000 } });
  try {
    assert.ok((await c.broker.connect()).ok);
    const call = vixOption('VIX', '2025-02-19', 18, 'C');
    assert.ok((await c.md.optionQuotes([call])).ok, 'the contract is resolved before the drop');
    t.sim.server.dropClient(17);
    await waitUntil(() => c.events.some((e) => e.type === 'connectivity' && e.state === 'lost'), 'link lost');
    const order = testOrder(c.broker, 'p:down:1', {
      account: t.sim.venue.account,
      contract: { kind: 'single', contract: call },
      limitPrice: priceCents(5),
    });
    const outcome = await c.broker.submit(order);
    assert.deepEqual([outcome.kind, outcome.kind === 'refused' ? outcome.code : 0], ['refused', 504]);
    await waitUntil(() => {
      clock.advance(5_000);
      return c.events.some((e) => e.type === 'connectivity' && e.state === 'restored');
    }, 'reconnection');
    const open = await c.broker.openOrders();
    assert.ok(open.ok);
    assert.ok(!open.value.some((o) => o.orderRef === order.orderRef));
    assert.ok(
      !t.sim.venue.state().orders.some((o) => o.request.orderRef === order.orderRef),
      'the venue never saw it',
    );
  } finally {
    await c.close();
    await t.close();
  }
});

test('the link drops after the order left: unknown, and the reconnected broker finds it by orderRef', async () => {
  const t = await startTestSim({ limits: 'lifted' });
  const c = ibTestClient(t.port);
  try {
    assert.ok((await c.broker.connect()).ok);
    const call = vixOption('VIX', '2025-02-19', 18, 'C');
    t.sim.faults.arm({ kind: 'dropAtEvent', event: 'openOrder', occurrence: 1 });
    const order = testOrder(c.broker, 'p:midsend:1', {
      account: t.sim.venue.account,
      contract: { kind: 'single', contract: call },
      limitPrice: priceCents(5),
    });
    const outcome = await c.broker.submit(order);
    assert.equal(outcome.kind, 'unknown', JSON.stringify(outcome));
    await waitUntil(
      () => c.events.some((e) => e.type === 'connectivity' && e.state === 'restored'),
      'reconnection',
    );
    const open = await c.broker.openOrders();
    assert.ok(open.ok);
    const found = open.value.find((o) => o.orderRef === order.orderRef);
    assert.ok(found !== undefined);
    assert.equal(found.orderId, order.orderId);
    assert.ok(found.permId > 0);
  } finally {
    await c.close();
    await t.close();
  }
});

test('messages queued for a link that dropped are discarded, never replayed on the next one', async () => {
  const t = await startTestSim({ limits: 'ib' });
  const c = ibTestClient(t.port, { pacing: IB_PACING_LIMITS });
  try {
    assert.ok((await c.broker.connect()).ok);
    const contracts = listedVixCalls(t, 60);
    const pending = c.md.optionQuotes(contracts);
    await waitUntil(() => c.client.pacing.waiting() > 20, 'a queue of market data requests');
    t.sim.server.dropClient(17);
    const r = await pending;
    assert.ok(!r.ok && r.error.kind === 'disconnected');
    await waitUntil(
      () => c.events.some((e) => e.type === 'connectivity' && e.state === 'restored'),
      'reconnection',
    );
    assert.equal(c.client.pacing.waiting(), 0, 'nothing is left queued');
    assert.ok((await c.broker.serverTimeMs()).ok);
    const session = t.sim.server.sessions().find((s) => s.clientId === 17);
    // startApi and two clock queries: none of the 60 market data requests followed the new link.
    assert.ok(
      session !== undefined && session.messagesIn <= 3,
      `new session received ${session?.messagesIn}`,
    );
  } finally {
    await c.close();
    await t.close();
  }
});
