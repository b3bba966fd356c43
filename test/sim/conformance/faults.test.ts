// Wire faults and gateway restarts, observed through @stoqey/ib.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import type { Contract, Execution, Order, OrderState } from '@stoqey/ib';
import { EXPIRY } from '../support/fake-engine.ts';
import { withFakeSim } from '../support/fake-sim.ts';

const put5850: Contract = {
  symbol: 'SPX',
  secType: 'OPT' as never,
  exchange: 'SMART',
  currency: 'USD',
  tradingClass: 'SPXW',
  lastTradeDateOrContractMonth: EXPIRY.replaceAll('-', ''),
  strike: 5850,
  right: 'P' as never,
};
const sell = (orderRef: string): Order => ({
  action: 'SELL' as never,
  orderType: 'LMT' as never,
  totalQuantity: 1,
  lmtPrice: 3.1,
  transmit: true,
  whatIf: false,
  orderRef,
});

describe('faults', () => {
  it('drops the connection at the Nth outgoing message, only for the targeted client', async () => {
    await withFakeSim({}, async (sim) => {
      const victim = sim.client(7);
      const other = sim.client(8);
      await victim.connect();
      await other.connect();
      sim.faults.arm({ kind: 'dropAtMessage', n: 2, clientId: 7 });
      victim.ib.reqCurrentTime();
      await victim.waitFor(EventName.currentTime);
      victim.ib.reqCurrentTime();
      await victim.waitFor(EventName.disconnected);
      assert.equal(victim.count(EventName.currentTime), 1);
      other.ib.reqCurrentTime();
      await other.waitFor(EventName.currentTime);
      assert.deepEqual(
        sim.faults.history().map((f) => f.kind),
        ['dropAtMessage'],
      );
    });
  });

  it('drops the connection at the Nth incoming message', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      await c.connect();
      sim.faults.arm({ kind: 'dropAtMessage', n: 1, direction: 'in' });
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.disconnected);
      assert.equal(c.count(EventName.currentTime), 0);
    });
  });

  it('drops the connection at execDetails; the fill is found with reqExecutions after reconnecting', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, put5850, sell('plan-2:hedge:0'));
      await c.waitFor(EventName.orderStatus, ([oid]) => oid === id);
      sim.faults.arm({ kind: 'dropAtEvent', event: 'execDetails' });
      sim.venue.fill(7, id, 1, 3.1);
      await c.waitFor(EventName.disconnected);
      assert.equal(c.count(EventName.execDetails), 0);
      const since = c.mark();
      c.ib.connect(7);
      await c.waitFor(EventName.nextValidId, () => true, since);
      c.ib.reqExecutions(5, {});
      await c.waitFor(EventName.execDetailsEnd, ([r]) => r === 5, since);
      const execs = c.all(EventName.execDetails, since).map(([, , e]) => e as Execution);
      assert.deepEqual(
        execs.map((e) => [e.orderId, e.orderRef]),
        [[id, 'plan-2:hedge:0']],
      );
    });
  });

  it('drops acknowledgements; the order is still found by orderRef with reqOpenOrders', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      sim.faults.arm({ kind: 'dropAcks', clientId: 7 });
      c.ib.placeOrder(id, put5850, sell('plan-3:condor:0'));
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.currentTime);
      assert.equal(c.count(EventName.openOrder) + c.count(EventName.orderStatus), 0);
      sim.faults.clear();
      c.ib.reqOpenOrders();
      await c.waitFor(EventName.openOrderEnd);
      assert.deepEqual(
        c.all(EventName.openOrder).map(([, , o]) => (o as Order).orderRef),
        ['plan-3:condor:0'],
      );
    });
  });

  it('delays acknowledgements on the simulator clock', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      sim.faults.arm({ kind: 'delayAcks', delayMs: 5000, count: 2 });
      c.ib.placeOrder(id, put5850, sell('late'));
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.currentTime);
      assert.equal(c.count(EventName.openOrder), 0);
      sim.clock.advance(4999);
      c.ib.reqCurrentTime();
      await c.waitUntil(
        () => (c.count(EventName.currentTime) === 2 ? true : undefined),
        'second currentTime',
      );
      assert.equal(c.count(EventName.openOrder), 0);
      sim.clock.advance(1);
      await c.waitFor(EventName.orderStatus, ([oid, status]) => oid === id && status === 'Submitted');
      await c.waitFor(EventName.openOrder, ([oid]) => oid === id);
    });
  });

  it('duplicates execDetails with the same execId', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, put5850, sell('dup'));
      await c.waitFor(EventName.orderStatus, ([oid]) => oid === id);
      sim.faults.arm({ kind: 'duplicateEvent', event: 'execDetails' });
      sim.venue.fill(7, id, 1, 3.1);
      await c.waitFor(EventName.openOrder, ([, , , s]) => String((s as OrderState).status) === 'Filled');
      const ids = c.all(EventName.execDetails).map(([, , e]) => (e as Execution).execId);
      assert.equal(ids.length, 2);
      assert.equal(ids[0], ids[1]);
    });
  });

  it('silently drops an order: no answer, never reaches the venue', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      sim.faults.arm({ kind: 'silentDrop', count: 1 });
      c.ib.placeOrder(id, put5850, sell('lost'));
      c.ib.reqOpenOrders();
      await c.waitFor(EventName.openOrderEnd);
      assert.equal(c.count(EventName.openOrder), 0);
      assert.equal(c.errors.length, 0);
      assert.equal(sim.venue.placed.length, 0);
      c.ib.placeOrder(id + 1, put5850, sell('kept'));
      await c.waitFor(EventName.openOrder, ([oid]) => oid === id + 1);
    });
  });

  it('restarts the gateway: every client drops and order ids start over', async () => {
    await withFakeSim({}, async (sim) => {
      const a = sim.client(7);
      const b = sim.client(8);
      const id = await a.connect();
      await b.connect();
      a.ib.placeOrder(id + 40, put5850, sell('before-restart'));
      await a.waitFor(EventName.orderStatus, ([oid]) => oid === id + 40);
      sim.server.restartGateway();
      await a.waitFor(EventName.disconnected);
      await b.waitFor(EventName.disconnected);
      const since = a.mark();
      a.ib.connect(7);
      const [next] = await a.waitFor(EventName.nextValidId, () => true, since);
      assert.equal(next, 1, 'ids reset after a gateway restart');
    });
  });

  it('enforces 50 messages per second: error 100 three times, then the session is dropped', async () => {
    await withFakeSim({ rateClockMs: () => 0 }, async (sim) => {
      const c = sim.client(7, { maxReqPerSec: 100_000 });
      await c.connect();
      for (let i = 0; i < 55; i++) c.ib.reqCurrentTime();
      await c.waitFor(EventName.disconnected);
      // startApi took one of the 50 slots.
      assert.equal(c.count(EventName.currentTime), 49);
      assert.deepEqual(
        c.infos.filter((i) => i.code === 100).map((i) => i.message.replace(/rec=\d+ /, '')),
        [
          'Max rate of messages per second has been exceeded:max=50 (1)',
          'Max rate of messages per second has been exceeded:max=50 (2)',
          'Max rate of messages per second has been exceeded:max=50 (3)',
        ],
      );
    });
  });
});
