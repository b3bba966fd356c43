// Positions and account values through @stoqey/ib over TCP, including the streams ib_async needs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import type { Contract } from '@stoqey/ib';
import { EXPIRY, FAKE_ACCOUNT } from '../support/fake-engine.ts';
import { withFakeSim } from '../support/fake-sim.ts';
import type { FakeSim } from '../support/fake-sim.ts';

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

async function sellAndFill(sim: FakeSim, c: ReturnType<FakeSim['client']>, id: number): Promise<void> {
  c.ib.placeOrder(id, put5850, {
    action: 'SELL' as never,
    orderType: 'LMT' as never,
    totalQuantity: 2,
    lmtPrice: 3.1,
    transmit: true,
    whatIf: false,
  });
  await c.waitFor(EventName.orderStatus, ([oid]) => oid === id);
  sim.venue.fill(c.clientId, id, 2, 3.1);
}

describe('account', () => {
  it('lists positions, ends with positionEnd, then streams changes until cancelPositions', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      c.ib.reqPositions();
      await c.waitFor(EventName.positionEnd);
      assert.equal(c.count(EventName.position), 0);
      await sellAndFill(sim, c, id);
      const [account, contract, pos, avgCost] = await c.waitFor(EventName.position);
      assert.equal(account, FAKE_ACCOUNT);
      assert.equal((contract as Contract).strike, 5850);
      assert.equal(pos, -2);
      assert.equal(avgCost, 310);
      c.ib.cancelPositions();
      const m = c.mark();
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.currentTime, () => true, m);
      sim.venue.setAccountValue('NetLiquidation', '100620.00');
      c.ib.reqCurrentTime();
      await c.waitUntil(
        () => (c.count(EventName.currentTime, m) === 2 ? true : undefined),
        'second currentTime',
      );
      assert.equal(c.count(EventName.position, m), 0);
    });
  });

  it('answers reqAccountSummary per tag, ends, pushes updates and stops on cancel', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      await c.connect();
      c.ib.reqAccountSummary(51, 'All', 'NetLiquidation,BuyingPower,AvailableFunds');
      await c.waitFor(EventName.accountSummaryEnd, ([r]) => r === 51);
      const tags = c
        .all(EventName.accountSummary)
        .map(([r, acct, tag, value, cur]) => [r, acct, tag, value, cur]);
      assert.deepEqual(tags, [
        [51, FAKE_ACCOUNT, 'NetLiquidation', '100000.00', 'USD'],
        [51, FAKE_ACCOUNT, 'BuyingPower', '400000.00', 'USD'],
        [51, FAKE_ACCOUNT, 'AvailableFunds', '100000.00', 'USD'],
      ]);
      const m = c.mark();
      sim.venue.setAccountValue('NetLiquidation', '99500.00');
      await c.waitFor(
        EventName.accountSummary,
        ([r, , tag, value]) => r === 51 && tag === 'NetLiquidation' && value === '99500.00',
        m,
      );
      c.ib.cancelAccountSummary(51);
      c.ib.reqCurrentTime();
      const after = c.mark();
      await c.waitFor(EventName.currentTime, () => true, m);
      sim.venue.setAccountValue('NetLiquidation', '99000.00');
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.currentTime, () => true, after);
      await c.waitUntil(
        () => (c.count(EventName.currentTime, m) === 2 ? true : undefined),
        'second currentTime',
      );
      assert.equal(c.count(EventName.accountSummary, after), 0);
    });
  });

  it('answers reqAccountUpdates (values, portfolio, time, end) and reqAccountUpdatesMulti (values, end)', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(7);
      const id = await c.connect();
      await sellAndFill(sim, c, id);
      await c.waitFor(EventName.openOrder, ([oid]) => oid === id);
      c.ib.reqAccountUpdates(true, FAKE_ACCOUNT);
      const [acct] = await c.waitFor(EventName.accountDownloadEnd);
      assert.equal(acct, FAKE_ACCOUNT);
      assert.ok(
        c
          .all(EventName.updateAccountValue)
          .some(
            ([k, v, cur, a]) =>
              k === 'NetLiquidation' && v === '100000.00' && cur === 'USD' && a === FAKE_ACCOUNT,
          ),
      );
      const [contract, pos, price, value, avg] = (await c.waitFor(EventName.updatePortfolio)) as [
        Contract,
        number,
        number,
        number,
        number,
      ];
      assert.equal(contract.strike, 5850);
      assert.equal(pos, -2);
      const q = sim.market.quote(contract.conId!)!;
      assert.equal(price, q.last);
      assert.equal(value, -2 * (q.last ?? 0) * 100);
      assert.equal(avg, 310);
      const [time] = await c.waitFor(EventName.updateAccountTime);
      assert.equal(time, '10:00');

      c.ib.reqAccountUpdatesMulti(71, FAKE_ACCOUNT, '', true);
      await c.waitFor(EventName.accountUpdateMultiEnd, ([r]) => Number(r) === 71);
      assert.ok(
        c
          .all(EventName.accountUpdateMulti)
          .some(([r, a, , key]) => r === 71 && a === FAKE_ACCOUNT && key === 'NetLiquidation'),
      );
    });
  });
});
