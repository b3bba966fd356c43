// The order rules live once (src/sim/venue/validation.ts): the same bad order gets the same IB code
// over TCP through @stoqey/ib and in-process at the venue. And what the contract suite needs from the
// venue over the wire: today's completed orders (filled, cancelled, rejected) as completedOrder
// messages, BAG leg executions carrying the combo's permId, and 103 for an id reused after a restart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import type { Contract, Execution, Order, OrderState } from '@stoqey/ib';
import type { SimContract, SimOrderTicket } from '../../../src/sim/engine-api.ts';
import { withRealSim } from '../support/real-sim.ts';

const byConId = (c: SimContract): Contract => ({ conId: c.conId, exchange: 'SMART' });

const lmt = (action: string, qty: number | undefined, price: number | undefined, ref: string): Order => ({
  action: action as never,
  orderType: 'LMT' as never,
  ...(qty === undefined ? {} : { totalQuantity: qty }),
  ...(price === undefined ? {} : { lmtPrice: price }),
  tif: 'DAY',
  transmit: true,
  whatIf: false,
  orderRef: ref,
});

describe('one home for order validation', () => {
  it('answers the same bad order with the same code over TCP and in-process', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      let id = await c.connect();
      const put = s.spxw('P', 5850);
      const call = s.spxw('C', 5950);
      const bag = (legs: Contract['comboLegs']): Contract => ({
        symbol: 'SPX',
        secType: 'BAG' as never,
        currency: 'USD',
        exchange: 'SMART',
        ...(legs === undefined ? {} : { comboLegs: legs }),
      });
      const cases: {
        name: string;
        code: number;
        contract: Contract;
        order: Order;
        ticket: (orderId: number) => SimOrderTicket;
      }[] = [];
      const base = (orderId: number): SimOrderTicket => ({
        clientId: 99,
        orderId,
        contract: { kind: 'single', conId: put.conId },
        action: 'BUY',
        totalQuantity: 1,
        orderType: 'LMT',
        lmtPrice: 0.05,
        tif: 'DAY',
        account: '',
        orderRef: 'parity',
        transmit: true,
        whatIf: false,
        ocaGroup: '',
        exchange: 'SMART',
      });
      cases.push(
        {
          name: 'quantity 0',
          code: 321,
          contract: byConId(put),
          order: lmt('BUY', 0, 0.05, 'q0'),
          ticket: (n) => ({ ...base(n), totalQuantity: 0 }),
        },
        {
          name: 'no limit price on a LMT',
          code: 321,
          contract: byConId(put),
          order: lmt('BUY', 1, undefined, 'nolmt'),
          ticket: (n) => ({ ...base(n), lmtPrice: null }),
        },
        {
          name: 'unknown action',
          code: 321,
          contract: byConId(put),
          order: lmt('HOLD', 1, 0.05, 'hold'),
          ticket: (n) => ({ ...base(n), action: 'HOLD' }),
        },
        {
          name: 'BAG without legs',
          code: 321,
          contract: bag(undefined),
          order: lmt('BUY', 1, -1, 'nolegs'),
          ticket: (n) => ({ ...base(n), contract: { kind: 'bag', symbol: 'SPX', legs: [] } }),
        },
        {
          name: 'unknown contract',
          code: 200,
          contract: { conId: 12345, exchange: 'SMART' },
          order: lmt('BUY', 1, 0.05, 'nocon'),
          ticket: (n) => ({ ...base(n), contract: { kind: 'single', conId: 12345 } }),
        },
        {
          name: 'off-tick price',
          code: 110,
          contract: byConId(put),
          order: lmt('BUY', 1, 0.07, 'tick'),
          ticket: (n) => ({ ...base(n), lmtPrice: 0.07 }),
        },
        {
          name: 'SELL on a credit BAG',
          code: 201,
          contract: bag([
            { conId: put.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' },
            { conId: s.spxw('P', 5800).conId, ratio: 1, action: 'BUY' as never, exchange: 'SMART' },
          ]),
          order: lmt('SELL', 1, -1, 'riskless'),
          ticket: (n) => ({
            ...base(n),
            action: 'SELL',
            lmtPrice: -1,
            contract: {
              kind: 'bag',
              symbol: 'SPX',
              legs: [
                { conId: put.conId, ratio: 1, action: 'SELL', exchange: 'SMART' },
                { conId: s.spxw('P', 5800).conId, ratio: 1, action: 'BUY', exchange: 'SMART' },
              ],
            },
          }),
        },
        {
          name: 'a zero-ratio combo leg',
          code: 321,
          contract: bag([
            { conId: put.conId, ratio: 0, action: 'SELL' as never, exchange: 'SMART' },
            { conId: call.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' },
          ]),
          order: lmt('BUY', 1, -1, 'ratio'),
          ticket: (n) => ({
            ...base(n),
            lmtPrice: -1,
            contract: {
              kind: 'bag',
              symbol: 'SPX',
              legs: [
                { conId: put.conId, ratio: 0, action: 'SELL', exchange: 'SMART' },
                { conId: call.conId, ratio: 1, action: 'SELL', exchange: 'SMART' },
              ],
            },
          }),
        },
      );
      let direct = 1;
      for (const k of cases) {
        c.ib.placeOrder(id, k.contract, k.order);
        const oid = id;
        const [, wireCode] = await c.waitFor(EventName.error, ([, , rid]) => rid === oid);
        const venue = s.sim.venue.placeOrder(k.ticket(direct++));
        assert.equal(wireCode, k.code, `${k.name} over TCP`);
        assert.ok(venue.kind === 'refused', k.name);
        assert.equal(venue.code, k.code, `${k.name} in-process`);
        id++;
      }
    });
  });
});

describe('completed orders, combo permIds and reused ids after a restart', () => {
  for (const serverVersion of [178, 193] as const) {
    it(`lists today's filled, cancelled and rejected orders as completedOrder at v${serverVersion}`, async () => {
      await withRealSim({ serverVersion }, async (s) => {
        const c = s.client(7);
        const id = await c.connect();
        const put = s.spxw('P', 5900);
        const far = s.spxw('P', 5500);
        const ask = s.sim.market.quote(put.conId)!.ask!;
        c.ib.placeOrder(id, byConId(put), lmt('BUY', 1, ask, 'done:filled'));
        await c.waitFor(EventName.orderStatus, ([oid, st]) => oid === id && st === 'Filled');
        c.ib.placeOrder(id + 1, byConId(far), lmt('SELL', 1, 50, 'done:cancelled'));
        await c.waitFor(EventName.orderStatus, ([oid]) => oid === id + 1);
        c.ib.cancelOrder(id + 1);
        await c.waitFor(EventName.orderStatus, ([oid, st]) => oid === id + 1 && st === 'Cancelled');
        s.sim.faults.arm({ kind: 'rejectOrders', count: 1 });
        c.ib.placeOrder(id + 2, byConId(far), lmt('BUY', 1, 0.05, 'done:rejected'));
        await c.waitFor(EventName.error, ([, code, oid]) => code === 201 && oid === id + 2);
        c.ib.placeOrder(id + 3, byConId(far), lmt('SELL', 1, 50, 'still:working'));
        await c.waitFor(EventName.orderStatus, ([oid]) => oid === id + 3);

        c.ib.reqCompletedOrders(false);
        await c.waitFor(EventName.completedOrdersEnd);
        const done = c.all(EventName.completedOrder).map(([, o, st]) => ({
          ref: (o as Order).orderRef,
          permId: (o as Order).permId,
          filled: (o as Order).filledQuantity,
          status: String((st as OrderState).status),
          completed: (st as OrderState).completedStatus,
          time: (st as OrderState).completedTime,
        }));
        assert.deepEqual(
          done.map((d) => [d.ref, d.status, d.completed, d.filled]),
          [
            ['done:filled', 'Filled', 'Filled', 1],
            ['done:cancelled', 'Cancelled', 'Cancelled by Trader', 0],
            ['done:rejected', 'Inactive', 'Rejected: simulated venue reject', 0],
          ],
        );
        const live = c.all(EventName.openOrder).find(([oid]) => oid === id);
        assert.equal(done[0]!.permId, (live?.[2] as Order).permId, 'same permId as the live order');
        assert.ok(done.every((d) => /^\d{8} \d{2}:\d{2}:\d{2} US\/Eastern$/.test(d.time ?? '')));
      });
    });
  }

  it('gives every BAG leg execution the combo order id and permId', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      const short = s.spxw('P', 5900);
      const long = s.spxw('P', (short.strike ?? 0) - 25, short.expiry ?? undefined);
      const q = (x: SimContract): { bid: number; ask: number } => {
        const r = s.sim.market.quote(x.conId)!;
        return { bid: r.bid!, ask: r.ask! };
      };
      // Pay up to the natural credit of the spread so it fills at once.
      const natural = q(long).ask - q(short).bid;
      const limit = Math.ceil(natural * 20 - 1e-9) / 20 + 0.05;
      c.ib.placeOrder(
        id,
        {
          symbol: 'SPX',
          secType: 'BAG' as never,
          currency: 'USD',
          exchange: 'SMART',
          comboLegs: [
            { conId: short.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' },
            { conId: long.conId, ratio: 1, action: 'BUY' as never, exchange: 'SMART' },
          ],
        },
        lmt('BUY', 2, Math.round(limit * 100) / 100, 'bag:perm'),
      );
      await c.waitFor(EventName.orderStatus, ([oid, st]) => oid === id && st === 'Filled');
      const [, , order] = c.all(EventName.openOrder).find(([oid]) => oid === id)!;
      const legs = c.all(EventName.execDetails).map(([, , e]) => e as Execution);
      assert.ok(legs.length >= 2);
      assert.ok(legs.every((e) => e.orderId === id && e.permId === (order as Order).permId));
    });
  });

  it('refuses an id reused after a gateway restart with 103, and still takes modifications', async () => {
    await withRealSim({}, async (s) => {
      const c = s.client(7);
      const id = await c.connect();
      const put = s.spxw('P', 5900);
      const far = s.spxw('P', 5500);
      const ask = s.sim.market.quote(put.conId)!.ask!;
      c.ib.placeOrder(id + 4, byConId(put), lmt('BUY', 1, ask, 'r:filled'));
      await c.waitFor(EventName.orderStatus, ([oid, st]) => oid === id + 4 && st === 'Filled');
      c.ib.placeOrder(id + 5, byConId(far), lmt('SELL', 1, 50, 'r:working'));
      await c.waitFor(EventName.orderStatus, ([oid]) => oid === id + 5);
      s.sim.restartGateway();
      await c.waitFor(EventName.disconnected);
      const since = c.mark();
      c.ib.connect(7);
      const [next] = await c.waitFor(EventName.nextValidId, () => true, since);
      assert.equal(next, 1, 'the gateway rolled its ids back');
      c.ib.placeOrder(id + 4, byConId(far), lmt('BUY', 1, 0.05, 'r:reuse'));
      await c.waitFor(EventName.error, ([, code, oid]) => code === 103 && oid === id + 4, since);
      c.ib.placeOrder(id + 5, byConId(far), lmt('SELL', 1, 49.9, 'r:working'));
      await c.waitFor(
        EventName.openOrder,
        ([oid, , o]) => oid === id + 5 && (o as Order).lmtPrice === 49.9,
        since,
      );
      assert.equal(c.errorsWithCode(105).length, 0);
    });
  });
});
