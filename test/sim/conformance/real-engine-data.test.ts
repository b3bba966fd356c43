// Conformance against the full simulator (market model + venue on a virtual clock), through the
// unmodified @stoqey/ib client over TCP: connection, contracts, chains, market data, history, account.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import type { Contract, ContractDetails } from '@stoqey/ib';
import { SPX_CONID } from '../../../src/sim/market/contracts.ts';
import { withRealSim } from '../support/real-sim.ts';

const spxIndex: Contract = { symbol: 'SPX', secType: 'IND' as never, exchange: 'CBOE', currency: 'USD' };

describe('real engine: connection', () => {
  for (const serverVersion of [178, 193] as const) {
    it(`handshakes at ${serverVersion} and answers the startup sequence`, async () => {
      await withRealSim({ serverVersion }, async ({ sim, client }) => {
        const c = client(1);
        const id = await c.connect();
        assert.equal(c.ib.serverVersion, serverVersion);
        assert.ok(id >= 1);
        const [accounts] = await c.waitFor(EventName.managedAccounts);
        assert.equal(accounts, sim.venue.account);
        const [, time] = await c.waitFor(EventName.server);
        assert.equal(time, '20250110 10:00:00 EST');
        await c.sync();
        assert.deepEqual(
          c.infos.map((i) => i.code),
          [2104, 2106, 2158],
        );
      });
    });
  }

  it('refuses a second connection with the same client id (326)', async () => {
    await withRealSim({}, async ({ client }) => {
      const a = client(4);
      await a.connect();
      const b = client(4);
      b.ib.connect(4);
      await b.waitFor(EventName.disconnected);
      assert.ok(b.infos.some((i) => i.code === 326));
      await a.sync();
    });
  });
});

describe('real engine: contracts and market data', () => {
  it('resolves SPXW options and SPX through reqContractDetails, and lists the chain', async () => {
    await withRealSim({}, async ({ client, spxw }) => {
      const c = client(1);
      await c.connect();
      const put = spxw('P', 5900);
      c.ib.reqContractDetails(1, {
        symbol: 'SPX',
        secType: 'OPT' as never,
        exchange: 'SMART',
        currency: 'USD',
        tradingClass: 'SPXW',
        lastTradeDateOrContractMonth: (put.expiry ?? '').replaceAll('-', ''),
        strike: put.strike ?? 0,
        right: 'P' as never,
      });
      await c.waitFor(EventName.contractDetailsEnd, ([r]) => r === 1);
      const [[, d]] = c.all(EventName.contractDetails).filter(([r]) => r === 1) as [
        [number, ContractDetails],
      ];
      assert.equal(d.contract.conId, put.conId);
      assert.equal(d.contract.localSymbol, put.localSymbol);
      assert.equal(d.minTick, put.minTick);

      c.ib.reqContractDetails(2, spxIndex);
      await c.waitFor(EventName.contractDetailsEnd, ([r]) => r === 2);
      assert.equal(
        (c.all(EventName.contractDetails).find(([r]) => r === 2)?.[1] as ContractDetails).contract.conId,
        SPX_CONID,
      );

      c.ib.reqContractDetails(3, {
        symbol: 'ADV-NYSE',
        secType: 'IND' as never,
        exchange: 'NYSE',
        currency: 'USD',
      });
      await c.waitFor(EventName.error, ([, code, r]) => code === 200 && r === 3);

      c.ib.reqSecDefOptParams(4, 'SPX', '', 'IND', SPX_CONID);
      await c.waitFor(EventName.securityDefinitionOptionParameterEnd, ([r]) => r === 4);
      const chains = c.all(EventName.securityDefinitionOptionParameter).filter(([r]) => r === 4);
      assert.ok(chains.length >= 1);
      const [, , , tradingClass, , expirations, strikes] = chains[0]!;
      assert.equal(tradingClass, 'SPXW');
      assert.ok((expirations as string[]).includes((put.expiry ?? '').replaceAll('-', '')));
      assert.ok((strikes as number[]).includes(put.strike ?? -1));
    });
  });

  it('streams option quotes and greeks as the model steps, and snapshots a BAG from its legs', async () => {
    await withRealSim({}, async ({ client, spxw, sim, clock }) => {
      const c = client(1);
      await c.connect();
      const put = spxw('P', 5900);
      c.ib.reqMktData(10, { conId: put.conId, exchange: 'SMART' }, '', false, false);
      await c.waitFor(EventName.tickOptionComputation, ([r]) => r === 10);
      const q = sim.market.quote(put.conId)!;
      await c.sync();
      const bid = c
        .all(EventName.tickPrice)
        .filter(([r, t]) => r === 10 && t === 1)
        .at(-1)?.[2];
      assert.equal(bid, q.bid);
      const before = c.count(EventName.tickPrice);
      clock.advance(10 * 60_000);
      await c.sync();
      assert.ok(c.count(EventName.tickPrice) > before, 'quotes move with the clock');
      const now = sim.market.quote(put.conId)!;
      assert.equal(
        c
          .all(EventName.tickPrice)
          .filter(([r, t]) => r === 10 && t === 1)
          .at(-1)?.[2],
        now.bid,
      );

      const lower = spxw('P', 5850, put.expiry ?? undefined);
      const bag: Contract = {
        symbol: 'SPX',
        secType: 'BAG' as never,
        currency: 'USD',
        exchange: 'SMART',
        comboLegs: [
          { conId: put.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' },
          { conId: lower.conId, ratio: 1, action: 'BUY' as never, exchange: 'SMART' },
        ],
      };
      c.ib.reqMktData(11, bag, '', true, false);
      await c.waitFor(EventName.tickSnapshotEnd, ([r]) => r === 11);
      const legs = [sim.market.quote(put.conId)!, sim.market.quote(lower.conId)!];
      const comboBid = c.all(EventName.tickPrice).find(([r, t]) => r === 11 && t === 1)?.[2] as number;
      assert.ok(Math.abs(comboBid - ((legs[1]!.bid ?? 0) - (legs[0]!.ask ?? 0))) < 1e-9);
    });
  });

  it('serves daily SPX bars ending at the requested date, and 162 for option history', async () => {
    await withRealSim({}, async ({ client, spxw, sim }) => {
      const c = client(1);
      await c.connect();
      c.ib.reqHistoricalData(
        20,
        spxIndex,
        '20250108 16:00:00',
        '1 W',
        '1 day' as never,
        'TRADES',
        1,
        1,
        false,
      );
      await c.waitFor(EventName.historicalData, ([r, d]) => r === 20 && String(d).startsWith('finished'));
      const bars = c
        .all(EventName.historicalData)
        .filter(([r, d]) => r === 20 && !String(d).startsWith('finished'));
      const expected = sim.market.dailyBars(SPX_CONID, '2025-01-08', 10).filter((b) => b.date > '20250101');
      assert.deepEqual(
        bars.map(([, date, open, high, low, close]) => ({ date, open, high, low, close })),
        expected.map((b) => ({ date: b.date, open: b.open, high: b.high, low: b.low, close: b.close })),
      );
      c.ib.reqHistoricalData(
        21,
        { conId: spxw('P', 5900).conId, exchange: 'SMART' },
        '',
        '1 W',
        '1 day' as never,
        'TRADES',
        1,
        1,
        false,
      );
      await c.waitFor(EventName.error, ([, code, r]) => code === 162 && r === 21);
    });
  });
});

describe('real engine: account', () => {
  it('answers account summary, account updates and multi with the venue values', async () => {
    await withRealSim({}, async ({ client, sim }) => {
      const c = client(1);
      await c.connect();
      c.ib.reqAccountSummary(30, 'All', 'NetLiquidation,TotalCashValue,BuyingPower');
      await c.waitFor(EventName.accountSummaryEnd, ([r]) => r === 30);
      const values = sim.venue.accountValues();
      for (const tag of ['NetLiquidation', 'TotalCashValue', 'BuyingPower']) {
        assert.ok(
          c.all(EventName.accountSummary).some(([r, , t, v]) => r === 30 && t === tag && v === values[tag]),
          tag,
        );
      }
      c.ib.reqAccountUpdates(true, sim.venue.account);
      await c.waitFor(EventName.accountDownloadEnd);
      c.ib.reqAccountUpdatesMulti(31, sim.venue.account, '', true);
      await c.waitFor(EventName.accountUpdateMultiEnd);
      c.ib.reqPositions();
      await c.waitFor(EventName.positionEnd);
      c.ib.reqOpenOrders();
      await c.waitFor(EventName.openOrderEnd);
      c.ib.reqCompletedOrders(false);
      await c.waitFor(EventName.completedOrdersEnd);
      c.ib.reqExecutions(32, {});
      await c.waitFor(EventName.execDetailsEnd, ([r]) => r === 32);
    });
  });
});
