// Order paths, executions, positions, settlement and faults against the full simulator through
// @stoqey/ib over TCP, on a virtual clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import type { CommissionReport, Contract, Execution, Order, OrderState } from '@stoqey/ib';
import type { SimContract } from '../../../src/sim/engine-api.ts';
import type { TestClient } from '../support/harness.ts';
import { withRealSim } from '../support/real-sim.ts';
import type { RealSim } from '../support/real-sim.ts';

const byConId = (c: SimContract): Contract => ({ conId: c.conId, exchange: 'SMART' });

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

/** A short put vertical as IB wants it: BUY the BAG, legs as held, a negative limit for the credit. */
function putSpread(
  s: RealSim,
  shortStrike: number,
  width: number,
): { bag: Contract; short: SimContract; long: SimContract } {
  const short = s.spxw('P', shortStrike);
  const long = s.spxw('P', (short.strike ?? 0) - width, short.expiry ?? undefined);
  return {
    short,
    long,
    bag: {
      symbol: 'SPX',
      secType: 'BAG' as never,
      currency: 'USD',
      exchange: 'SMART',
      comboLegs: [
        { conId: short.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' },
        { conId: long.conId, ratio: 1, action: 'BUY' as never, exchange: 'SMART' },
      ],
    },
  };
}

function statusOf(c: TestClient, orderId: number): string | undefined {
  return c
    .all(EventName.orderStatus)
    .filter(([oid]) => oid === orderId)
    .at(-1)?.[1] as string | undefined;
}

describe('real engine: order paths', () => {
  it('fills a marketable order with execution, commission and position', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      c.ib.reqPositions();
      await c.waitFor(EventName.positionEnd);
      const put = s.spxw('P', 5900);
      const ask = s.sim.market.quote(put.conId)!.ask!;
      c.ib.placeOrder(id, byConId(put), lmt('BUY', 1, ask, { orderRef: 'rt:hedge:0' }));
      await c.waitFor(EventName.orderStatus, ([oid, status]) => oid === id && status === 'Filled');
      const [, contract, exec] = await c.waitFor(EventName.execDetails, ([r]) => r === -1);
      assert.equal((contract as Contract).conId, put.conId);
      assert.equal((exec as Execution).side, 'BOT');
      assert.equal((exec as Execution).orderRef, 'rt:hedge:0');
      const [report] = await c.waitFor(
        EventName.commissionReport,
        ([r]) => (r as CommissionReport).execId === (exec as Execution).execId,
      );
      assert.ok(((report as CommissionReport).commission ?? 0) > 0);
      const [, posContract, pos] = await c.waitFor(
        EventName.position,
        ([, pc]) => (pc as Contract).conId === put.conId,
      );
      assert.equal((posContract as Contract).conId, put.conId);
      assert.equal(pos, 1);
      await c.waitFor(
        EventName.openOrder,
        ([oid, , , st]) => oid === id && String((st as OrderState).status) === 'Filled',
      );

      c.ib.reqExecutions(5, { clientId: 7 } as never);
      await c.waitFor(EventName.execDetailsEnd, ([r]) => r === 5);
      assert.deepEqual(
        c
          .all(EventName.execDetails)
          .filter(([r]) => r === 5)
          .map(([, , e]) => (e as Execution).execId),
        [(exec as Execution).execId],
      );
    });
  });

  it('works a passive order, modifies it under the same id, then cancels it (202); unknown cancel is 10147', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      const put = s.spxw('P', 5800);
      c.ib.placeOrder(id, byConId(put), lmt('BUY', 1, 0.05, { orderRef: 'rt:passive' }));
      await c.waitFor(EventName.orderStatus, ([oid, status]) => oid === id && status === 'Submitted');
      const m = c.mark();
      c.ib.placeOrder(id, byConId(put), lmt('BUY', 1, 0.1, { orderRef: 'rt:passive' }));
      const [, , modified] = await c.waitFor(EventName.openOrder, ([oid]) => oid === id, m);
      assert.equal((modified as Order).lmtPrice, 0.1);
      c.ib.cancelOrder(id);
      await c.waitFor(EventName.error, ([, code, oid]) => code === 202 && oid === id);
      await c.sync();
      assert.equal(statusOf(c, id), 'Cancelled');
      c.ib.cancelOrder(id + 100);
      await c.waitFor(EventName.error, ([, code, oid]) => code === 10147 && oid === id + 100);
    });
  });

  it('fills a large combo in slices (partial fills) as the model steps', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      const { bag, short, long } = putSpread(s, 5950, 25);
      const shortQ = s.sim.market.quote(short.conId)!;
      const longQ = s.sim.market.quote(long.conId)!;
      // Marketable with room to spare (a dollar under the natural credit), so it keeps filling as quotes move.
      const natural = (shortQ.bid ?? 0) - (longQ.ask ?? 0);
      const credit = Math.max(0.05, Math.floor((natural - 1) * 20) / 20);
      c.ib.placeOrder(id, bag, lmt('BUY', 12, -credit, { orderRef: 'rt:condor:0' }));
      await s.advanceUntil(c, () => statusOf(c, id) === 'Filled', 60_000, 60);
      const fills = c
        .all(EventName.orderStatus)
        .filter(([oid]) => oid === id)
        .map(([, , filled]) => filled as number);
      assert.ok(
        fills.some((f) => f > 0 && f < 12),
        `a partial fill was reported: ${fills.join(',')}`,
      );
      const execs = c
        .all(EventName.execDetails)
        .filter(([r]) => r === -1)
        .map(([, ct, e]) => [(ct as Contract).conId, (e as Execution).shares] as const);
      const perLeg = (conId: number): number =>
        execs.filter(([cid]) => cid === conId).reduce((a, [, n]) => a + (n ?? 0), 0);
      assert.equal(perLeg(short.conId), 12);
      assert.equal(perLeg(long.conId), 12);
    });
  });

  it('rejects 110 off-tick, 200 unknown contract, 201 riskless SELL of a credit spread, 356 OCA on a SMART combo', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      const put = s.spxw('P', 5900);
      c.ib.placeOrder(id, byConId(put), lmt('BUY', 1, 1.12));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 110 && oid === id);
      c.ib.placeOrder(id + 1, { conId: 999, exchange: 'SMART' }, lmt('BUY', 1, 1));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 200 && oid === id + 1);
      const { bag } = putSpread(s, 5950, 25);
      c.ib.placeOrder(id + 2, bag, lmt('SELL', 1, 1));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 201 && oid === id + 2);
      c.ib.placeOrder(id + 3, bag, lmt('BUY', 1, -1, { ocaGroup: 'oca-1' }));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 356 && oid === id + 3);
      await c.sync();
      assert.equal(c.count(EventName.openOrder), 0);
    });
  });

  it('answers a combo whatIf with margins before/change/after and no order', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      const { bag } = putSpread(s, 5950, 25);
      c.ib.placeOrder(id, bag, lmt('BUY', 2, -1, { whatIf: true, orderRef: 'rt:preview' }));
      const [, , order, state] = await c.waitFor(EventName.openOrder, ([oid]) => oid === id);
      const st = state as OrderState;
      assert.equal((order as Order).whatIf, true);
      assert.ok(
        typeof st.initMarginChange === 'number' && st.initMarginChange > 0,
        `initMarginChange ${String(st.initMarginChange)}`,
      );
      assert.equal(typeof st.initMarginBefore, 'number');
      assert.equal(typeof st.initMarginAfter, 'number');
      assert.ok((st.commission ?? 0) > 0);
      c.ib.reqOpenOrders();
      await c.waitFor(EventName.openOrderEnd);
      assert.equal(c.count(EventName.orderStatus), 0);
      assert.equal(c.count(EventName.openOrder), 1);
    });
  });

  it('finds working orders again after a reconnect by orderRef and permId', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      c.ib.placeOrder(id, byConId(s.spxw('P', 5800)), lmt('BUY', 1, 0.05, { orderRef: 'rt:reconnect' }));
      const [, , placed] = await c.waitFor(EventName.openOrder, ([oid]) => oid === id);
      await c.disconnect();
      const since = c.mark();
      c.ib.connect(7);
      await c.waitFor(EventName.nextValidId, () => true, since);
      c.ib.reqOpenOrders();
      await c.waitFor(EventName.openOrderEnd, () => true, since);
      const found = c.all(EventName.openOrder, since).map(([, , o]) => o as Order);
      assert.deepEqual(
        found.map((o) => [o.orderRef, o.permId]),
        [['rt:reconnect', (placed as Order).permId]],
      );
    });
  });

  it('settles an expiring SPXW position after the close: position 0 and cash from the settlement value', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      const put = s.spxw('P', 6100, '2025-01-10');
      const ask = s.sim.market.quote(put.conId)!.ask!;
      c.ib.placeOrder(id, byConId(put), lmt('BUY', 1, ask));
      await c.waitFor(EventName.orderStatus, ([oid, status]) => oid === id && status === 'Filled');
      c.ib.reqPositions();
      c.ib.reqAccountSummary(40, 'All', 'TotalCashValue');
      await c.waitFor(EventName.accountSummaryEnd, ([r]) => r === 40);
      const cashBefore = Number(
        c
          .all(EventName.accountSummary)
          .filter(([r, , t]) => r === 40 && t === 'TotalCashValue')
          .at(-1)?.[3],
      );
      // 10:00 → 16:30 New York: the close passes and the PM settlement is struck.
      await s.advanceUntil(
        c,
        () => c.all(EventName.position).some(([, pc, p]) => (pc as Contract).conId === put.conId && p === 0),
        30 * 60_000,
        14,
      );
      const settle = s.sim.market.settlementValue('SPX-PM', '2025-01-10');
      assert.ok(settle !== null);
      const intrinsic = Math.max(0, (put.strike ?? 0) - settle) * 100;
      await c.waitUntil(() => {
        const v = c
          .all(EventName.accountSummary)
          .filter(([r, , t]) => r === 40 && t === 'TotalCashValue')
          .at(-1)?.[3];
        return Math.abs(Number(v) - (cashBefore + intrinsic)) < 0.01 ? true : undefined;
      }, 'cash credited with the settlement value');
      c.ib.reqPositions();
      const m = c.mark();
      await c.waitFor(EventName.positionEnd, () => true, m);
      assert.ok(
        !c.all(EventName.position, m).some(([, pc, p]) => (pc as Contract).conId === put.conId && p !== 0),
      );
    });
  });
});

describe('real engine: faults', () => {
  it('drops the connection at execDetails; reqExecutions finds the fill after reconnecting', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      s.sim.faults.arm({ kind: 'dropAtEvent', event: 'execDetails', clientId: 7 });
      const put = s.spxw('P', 5900);
      c.ib.placeOrder(
        id,
        byConId(put),
        lmt('BUY', 1, s.sim.market.quote(put.conId)!.ask!, { orderRef: 'rt:drop' }),
      );
      await c.waitFor(EventName.disconnected);
      const since = c.mark();
      c.ib.connect(7);
      await c.waitFor(EventName.nextValidId, () => true, since);
      c.ib.reqExecutions(6, {});
      await c.waitFor(EventName.execDetailsEnd, ([r]) => r === 6, since);
      assert.deepEqual(
        c.all(EventName.execDetails, since).map(([, , e]) => (e as Execution).orderRef),
        ['rt:drop'],
      );
    });
  });

  it('drops the connection at the Nth message, duplicates execDetails, drops acks and swallows an order', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      let id = await c.connect();
      const put = s.spxw('P', 5900);
      const ask = (): number => s.sim.market.quote(put.conId)!.ask!;

      s.sim.faults.arm({ kind: 'duplicateEvent', event: 'execDetails', count: 1 });
      c.ib.placeOrder(id, byConId(put), lmt('BUY', 1, ask()));
      await c.waitFor(EventName.orderStatus, ([oid, st]) => oid === id && st === 'Filled');
      await c.sync();
      const execIds = c.all(EventName.execDetails).map(([, , e]) => (e as Execution).execId);
      assert.equal(execIds.length, 2);
      assert.equal(execIds[0], execIds[1]);

      id++;
      s.sim.faults.arm({ kind: 'dropAcks', clientId: 7, count: 2 });
      const passive = s.spxw('P', 5800);
      c.ib.placeOrder(id, byConId(passive), lmt('BUY', 1, 0.05, { orderRef: 'rt:noack' }));
      await c.sync();
      assert.equal(c.all(EventName.openOrder).filter(([oid]) => oid === id).length, 0);
      c.ib.reqOpenOrders();
      await c.waitFor(EventName.openOrderEnd);
      assert.ok(
        c.all(EventName.openOrder).some(([oid, , o]) => oid === id && (o as Order).orderRef === 'rt:noack'),
      );

      id++;
      s.sim.faults.arm({ kind: 'silentDrop', count: 1 });
      c.ib.placeOrder(id, byConId(passive), lmt('BUY', 1, 0.05, { orderRef: 'rt:lost' }));
      await c.sync();
      assert.equal(c.all(EventName.openOrder).filter(([oid]) => oid === id).length, 0);
      assert.ok(!s.sim.venue.openOrders({}).some((o) => o.request.orderRef === 'rt:lost'));

      s.sim.faults.arm({ kind: 'dropAtMessage', n: 3, clientId: 7 });
      c.ib.reqCurrentTime();
      c.ib.reqCurrentTime();
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.disconnected);
    });
  });

  it('restarts the gateway: all clients drop, reconnects get order ids from 1 again', async () => {
    await withRealSim({}, async (s) => {
      const a = s.client(7);
      const b = s.client(8);
      const id = await a.connect();
      await b.connect();
      a.ib.placeOrder(id + 20, byConId(s.spxw('P', 5800)), lmt('BUY', 1, 0.05));
      await a.waitFor(EventName.orderStatus, ([oid]) => oid === id + 20);
      s.sim.restartGateway();
      await a.waitFor(EventName.disconnected);
      await b.waitFor(EventName.disconnected);
      const since = a.mark();
      a.ib.connect(7);
      const [next] = await a.waitFor(EventName.nextValidId, () => true, since);
      assert.equal(next, 1);
    });
  });
});
