// The order lifecycle through @stoqey/ib over TCP: placement, fills, modify, cancel, rejections,
// whatIf, open-order and execution queries, and finding orders again after a reconnect.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import type { CommissionReport, Contract, Execution, Order, OrderState } from '@stoqey/ib';
import { EXPIRY } from '../support/fake-engine.ts';
import type { FakeSim } from '../support/fake-sim.ts';
import { withFakeSim } from '../support/fake-sim.ts';

const put = (strike: number): Contract => ({
  symbol: 'SPX',
  secType: 'OPT' as never,
  exchange: 'SMART',
  currency: 'USD',
  tradingClass: 'SPXW',
  lastTradeDateOrContractMonth: EXPIRY.replaceAll('-', ''),
  strike,
  right: 'P' as never,
  multiplier: 100,
});

function conIdOf(sim: FakeSim, strike: number, right: 'C' | 'P'): number {
  return sim.market.findContracts({ tradingClass: 'SPXW', strike, right })[0]!.conId;
}

function bag(sim: FakeSim): Contract {
  return {
    symbol: 'SPX',
    secType: 'BAG' as never,
    currency: 'USD',
    exchange: 'SMART',
    comboLegs: [
      { conId: conIdOf(sim, 5850, 'P'), ratio: 1, action: 'SELL' as never, exchange: 'SMART' },
      { conId: conIdOf(sim, 5800, 'P'), ratio: 1, action: 'BUY' as never, exchange: 'SMART' },
    ],
  };
}

const lmt = (action: 'BUY' | 'SELL', qty: number, price: number, extra: Partial<Order> = {}): Order => ({
  action: action as never,
  orderType: 'LMT' as never,
  totalQuantity: qty,
  lmtPrice: price,
  tif: 'DAY',
  transmit: true,
  whatIf: false,
  ...extra,
});

describe('orders', () => {
  it('acknowledges, partially fills, fills, and reports executions and commissions', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, put(5850), lmt('SELL', 2, 3.1, { orderRef: 'plan-1:hedge:0' }));
      const [, , order] = await c.waitFor(EventName.openOrder, ([oid]) => oid === id);
      assert.equal((order as Order).orderRef, 'plan-1:hedge:0');
      const permId = (order as Order).permId;
      assert.ok(permId !== undefined && permId > 0);
      await c.waitFor(EventName.orderStatus, ([oid, status]) => oid === id && status === 'Submitted');
      assert.equal(sim.venue.placed[0]?.lmtPrice, 3.1);
      assert.equal(sim.venue.placed[0]?.transmit, true);

      sim.venue.fill(7, id, 1, 3.1);
      const [reqId, contract, exec] = await c.waitFor(EventName.execDetails);
      assert.equal(reqId, -1);
      assert.equal((contract as Contract).strike, 5850);
      assert.equal((exec as Execution).side, 'SLD');
      assert.equal((exec as Execution).orderRef, 'plan-1:hedge:0');
      assert.equal((exec as Execution).shares, 1);
      const [report] = await c.waitFor(EventName.commissionReport);
      assert.equal((report as CommissionReport).execId, (exec as Execution).execId);
      assert.equal((report as CommissionReport).commission, 1.3);
      assert.equal((report as CommissionReport).realizedPNL, undefined);
      await c.waitFor(
        EventName.orderStatus,
        ([oid, , filled, remaining]) => oid === id && filled === 1 && remaining === 1,
      );

      sim.venue.fill(7, id, 1, 3.2);
      await c.waitFor(
        EventName.orderStatus,
        ([oid, status, filled, , avg]) =>
          oid === id && status === 'Filled' && filled === 2 && Math.abs((avg as number) - 3.15) < 1e-9,
      );
      await c.waitFor(
        EventName.openOrder,
        ([oid, , , state]) => oid === id && String((state as OrderState).status) === 'Filled',
      );
      assert.equal(c.count(EventName.execDetails), 2);
    });
  });

  it('modifies an order under the same id and cancels it (PendingCancel, Cancelled, 202)', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, put(5850), lmt('SELL', 1, 3.5));
      await c.waitFor(EventName.orderStatus, ([oid]) => oid === id);
      const m = c.mark();
      c.ib.placeOrder(id, put(5850), lmt('SELL', 1, 3.4));
      const [, , modified] = await c.waitFor(EventName.openOrder, ([oid]) => oid === id, m);
      assert.equal((modified as Order).lmtPrice, 3.4);
      c.ib.cancelOrder(id);
      await c.waitFor(EventName.orderStatus, ([oid, status]) => oid === id && status === 'Cancelled');
      assert.ok(
        c.all(EventName.orderStatus).some(([oid, status]) => oid === id && status === 'PendingCancel'),
      );
      await c.waitFor(EventName.error, ([, code, oid]) => code === 202 && oid === id);
      c.ib.cancelOrder(id + 50);
      await c.waitFor(EventName.error, ([, code, oid]) => code === 10147 && oid === id + 50);
    });
  });

  it('passes rejections back on the order id: 110 tick, 200 no contract, 201 riskless, 356 OCA, 103 id reuse', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, put(5850), lmt('SELL', 1, 3.12));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 110 && oid === id);
      c.ib.placeOrder(id + 1, put(1234), lmt('SELL', 1, 3.1));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 200 && oid === id + 1);
      c.ib.placeOrder(id + 2, bag(sim), lmt('SELL', 1, 1.5));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 201 && oid === id + 2);
      c.ib.placeOrder(id + 3, bag(sim), lmt('BUY', 1, -1.5, { ocaGroup: 'g1' }));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 356 && oid === id + 3);
      c.ib.placeOrder(id + 10, put(5850), lmt('SELL', 1, 3.1));
      await c.waitFor(EventName.orderStatus, ([oid]) => oid === id + 10);
      c.ib.placeOrder(id + 5, put(5850), lmt('SELL', 1, 3.1));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 103 && oid === id + 5);
      assert.equal(c.count(EventName.openOrder), 1);
    });
  });

  it('answers a BAG whatIf with one openOrder carrying margins and no status or fills', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(
        id,
        bag(sim),
        lmt('BUY', 2, -1.25, {
          whatIf: true,
          orderRef: 'preview',
          smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }],
        }),
      );
      const [, contract, order, state] = await c.waitFor(EventName.openOrder, ([oid]) => oid === id);
      assert.equal((order as Order).whatIf, true);
      assert.equal((contract as Contract).secType, 'BAG');
      assert.equal((contract as Contract).comboLegs?.length, 2);
      assert.deepEqual((order as Order).smartComboRoutingParams, [{ tag: 'NonGuaranteed', value: '1' }]);
      const s = state as OrderState;
      assert.equal(s.status, 'PreSubmitted');
      assert.equal(s.initMarginChange, 5000);
      assert.equal(s.maintMarginAfter, 5000);
      assert.equal(s.commission, 2.6);
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.currentTime);
      assert.equal(c.count(EventName.orderStatus), 0);
      assert.equal(sim.venue.placed[0]?.contract.kind, 'bag');
    });
  });

  it('finds open orders again after a reconnect by orderRef and permId', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, put(5850), lmt('SELL', 1, 3.5, { orderRef: 'plan-9:condor:1' }));
      const [, , placed] = await c.waitFor(EventName.openOrder, ([oid]) => oid === id);
      await c.disconnect();
      const since = c.mark();
      c.ib.connect(7);
      const [next] = await c.waitFor(EventName.nextValidId, () => true, since);
      assert.ok((next as number) > id, 'ids continue after a reconnect');
      c.ib.reqOpenOrders();
      await c.waitFor(EventName.openOrderEnd, () => true, since);
      const found = c.all(EventName.openOrder, since).map(([, , o]) => o as Order);
      assert.equal(found.length, 1);
      assert.equal(found[0]?.orderRef, 'plan-9:condor:1');
      assert.equal(found[0]?.permId, (placed as Order).permId);
      assert.ok(
        c.all(EventName.orderStatus, since).some(([oid, status]) => oid === id && status === 'Submitted'),
      );
    });
  });

  it('scopes reqOpenOrders to the client, reqAllOpenOrders to everyone, and binds client 0 with reqAutoOpenOrders', async () => {
    await withFakeSim({}, async (sim) => {
      const a = sim.client(1);
      const master = sim.client(0);
      const idA = await a.connect();
      await master.connect();
      a.ib.placeOrder(idA, put(5850), lmt('SELL', 1, 3.5));
      await a.waitFor(EventName.orderStatus, ([oid]) => oid === idA);
      const b = sim.client(2);
      await b.connect();
      b.ib.reqOpenOrders();
      await b.waitFor(EventName.openOrderEnd);
      assert.equal(b.count(EventName.openOrder), 0);
      b.ib.reqAllOpenOrders();
      await b.waitFor(EventName.openOrderEnd, () => true, b.mark() - 0);
      await b.waitUntil(
        () => (b.count(EventName.openOrderEnd) === 2 ? true : undefined),
        'second openOrderEnd',
      );
      assert.equal(b.count(EventName.openOrder), 1);

      b.ib.reqAutoOpenOrders(true);
      await b.waitFor(EventName.info, ([, code]) => code === 321);
      master.ib.reqAutoOpenOrders(true);
      await master.waitFor(EventName.openOrderEnd);
      const m = master.mark();
      a.ib.placeOrder(idA + 1, put(5800), lmt('SELL', 1, 0.5));
      await master.waitFor(EventName.openOrder, ([oid]) => oid === idA + 1, m);
      assert.equal(b.count(EventName.openOrder), 1, 'client 2 is not bound');
    });
  });

  it('lists executions with commissions, filtered, then execDetailsEnd; completed orders end with 102', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, bag(sim), lmt('BUY', 1, -9.5));
      await c.waitFor(EventName.orderStatus, ([oid]) => oid === id);
      sim.venue.fill(7, id, 1, -9.5);
      await c.waitFor(EventName.openOrder, ([, , , s]) => String((s as OrderState).status) === 'Filled');
      const live = c.all(EventName.execDetails).map(([, , e]) => (e as Execution).execId);
      assert.equal(live.length, 2, 'a combo fills per leg');

      c.ib.reqExecutions(61, { clientId: 7 } as never);
      await c.waitFor(EventName.execDetailsEnd, ([r]) => r === 61);
      const listed = c
        .all(EventName.execDetails)
        .filter(([r]) => r === 61)
        .map(([, , e]) => (e as Execution).execId);
      assert.deepEqual(listed, live);
      assert.equal(
        c.all(EventName.commissionReport).filter(([r]) => live.includes((r as CommissionReport).execId))
          .length,
        4,
      );
      c.ib.reqExecutions(62, { clientId: 8 } as never);
      await c.waitFor(EventName.execDetailsEnd, ([r]) => r === 62);
      assert.equal(c.all(EventName.execDetails).filter(([r]) => r === 62).length, 0);

      c.ib.reqCompletedOrders(false);
      await c.waitFor(EventName.completedOrdersEnd);
    });
  });

  it('reqIds answers nextValidId and reqGlobalCancel cancels working orders', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, put(5850), lmt('SELL', 1, 3.5));
      await c.waitFor(EventName.orderStatus, ([oid]) => oid === id);
      const m = c.mark();
      c.ib.reqIds();
      const [next] = await c.waitFor(EventName.nextValidId, () => true, m);
      assert.equal(next, id + 1);
      c.ib.reqGlobalCancel();
      await c.waitFor(EventName.orderStatus, ([oid, status]) => oid === id && status === 'Cancelled', m);
    });
  });

  it('refuses absurd order values with 321 on the order id and keeps serving', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, put(5850), lmt('SELL', 0, 3.1));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 321 && oid === id);
      c.ib.placeOrder(id + 1, put(5850), lmt('SELL', 1e300, 3.1));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 321 && oid === id + 1);
      c.ib.placeOrder(id + 2, put(5850), { ...lmt('SELL', 1, 3.1), action: 'HOLD' as never });
      await c.waitFor(EventName.error, ([, code, oid]) => code === 321 && oid === id + 2);
      const { lmtPrice: _noPrice, ...withoutPrice } = lmt('SELL', 1, 3.1);
      c.ib.placeOrder(id + 3, put(5850), withoutPrice);
      await c.waitFor(EventName.error, ([, code, oid]) => code === 321 && oid === id + 3);
      assert.equal(sim.venue.placed.length, 0);
      const { transmit: _noTransmit, ...withoutTransmit } = lmt('SELL', 1, 3.1);
      c.ib.placeOrder(id + 4, put(5850), withoutTransmit);
      await c.waitFor(EventName.orderStatus, ([oid, status]) => oid === id + 4 && status === 'PreSubmitted');
      assert.equal(sim.venue.placed[0]?.transmit, false, 'stoqey sends an undefined transmit as "": held');
      assert.ok(sim.logs.some((l) => l.level === 'warn' && l.msg.includes('transmit=false')));
    });
  });
});
