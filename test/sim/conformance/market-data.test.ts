// Contracts, option chains, market data and daily history through @stoqey/ib over TCP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import type { Contract, ContractDetails } from '@stoqey/ib';
import { EXPIRY, SPX_CON_ID } from '../support/fake-engine.ts';
import { withFakeSim } from '../support/fake-sim.ts';

const spxIndex: Contract = { symbol: 'SPX', secType: 'IND' as never, exchange: 'CBOE', currency: 'USD' };
const spxwPut = (strike: number): Contract => ({
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

describe('contracts', () => {
  it('answers reqContractDetails with contractData then contractDataEnd', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      c.ib.reqContractDetails(11, spxwPut(5850));
      await c.waitFor(EventName.contractDetailsEnd, ([id]) => id === 11);
      const details = c
        .all(EventName.contractDetails)
        .filter(([id]) => id === 11)
        .map(([, d]) => d as ContractDetails);
      assert.equal(details.length, 1);
      const d = details[0]!;
      assert.equal(d.contract.tradingClass, 'SPXW');
      assert.equal(d.contract.lastTradeDateOrContractMonth, '20250113');
      assert.equal(d.contract.strike, 5850);
      assert.equal(d.contract.right, 'P');
      assert.equal(d.contract.multiplier, 100);
      assert.equal(d.minTick, 0.05);
      assert.equal(d.underConId, SPX_CON_ID);
      assert.ok((d.contract.conId ?? 0) > 0);

      c.ib.reqContractDetails(12, spxIndex);
      await c.waitFor(EventName.contractDetailsEnd, ([id]) => id === 12);
      const idx = c.all(EventName.contractDetails).find(([id]) => id === 12)?.[1] as ContractDetails;
      assert.equal(idx.contract.conId, SPX_CON_ID);
    });
  });

  it('answers 200 when nothing matches and 321 for a BAG', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      c.ib.reqContractDetails(13, spxwPut(1234));
      await c.waitFor(EventName.error, ([, code, id]) => code === 200 && id === 13);
      c.ib.reqContractDetails(14, {
        symbol: 'SPX',
        secType: 'BAG' as never,
        currency: 'USD',
        exchange: 'SMART',
      });
      await c.waitFor(EventName.error, ([, code, id]) => code === 321 && id === 14);
      assert.equal(c.count(EventName.contractDetailsEnd), 0);
    });
  });

  it('lists option chains per exchange and trading class, then ends', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      c.ib.reqSecDefOptParams(15, 'SPX', '', 'IND', SPX_CON_ID);
      await c.waitFor(EventName.securityDefinitionOptionParameterEnd, ([id]) => id === 15);
      const chains = c.all(EventName.securityDefinitionOptionParameter);
      assert.deepEqual(
        chains.map(([, exchange, , tradingClass]) => `${String(exchange)}/${String(tradingClass)}`),
        ['SMART/SPXW', 'CBOE/SPXW'],
      );
      const [, , underConId, , multiplier, expirations, strikes] = chains[0]!;
      assert.equal(underConId, SPX_CON_ID);
      assert.equal(multiplier, 100);
      assert.deepEqual(expirations, ['20250113']);
      assert.deepEqual(strikes, [5800, 5850, 5900, 5950, 6000]);
    });
  });
});

describe('market data', () => {
  it('streams bid/ask/last and model greeks, then sends only changes', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      const since = c.mark();
      c.ib.reqMktData(21, spxwPut(5850), '', false, false);
      await c.waitFor(EventName.tickOptionComputation, ([id]) => id === 21, since);
      const [, type] = await c.waitFor(EventName.marketDataType, ([id]) => id === 21, since);
      assert.equal(type, 1);
      const conId = sim.market.findContracts({ tradingClass: 'SPXW', strike: 5850, right: 'P' })[0]!.conId;
      const q = sim.market.quote(conId)!;
      const prices = new Map(c.all(EventName.tickPrice, since).map(([, t, p]) => [t as number, p as number]));
      assert.equal(prices.get(1), q.bid);
      assert.equal(prices.get(2), q.ask);
      assert.equal(prices.get(4), q.last);
      const sizes = new Map(c.all(EventName.tickSize, since).map(([, t, s]) => [t as number, s as number]));
      assert.equal(sizes.get(0), q.bidSize);
      assert.equal(sizes.get(3), q.askSize);
      const [, , , iv, delta, , , , , , und] = c.all(EventName.tickOptionComputation, since)[0]!;
      assert.equal(iv, 0.14);
      assert.equal(delta, -0.38);
      assert.equal(und, 5900.5);

      const update = c.mark();
      sim.market.setQuote(conId, { bid: 0.3 });
      await c.waitFor(EventName.tickPrice, ([id, t, p]) => id === 21 && t === 1 && p === 0.3, update);
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.currentTime, () => true, update);
      assert.equal(c.count(EventName.tickPrice, update), 1, 'only the changed tick is sent');
      sim.market.setQuote(conId, { askSize: 40 });
      await c.waitFor(EventName.tickSize, ([id, t, s]) => id === 21 && t === 3 && s === 40, update);
      assert.equal(c.count(EventName.tickPrice, update), 1, 'a size change alone sends tickSize only');

      c.ib.cancelMktData(21);
      c.ib.cancelMktData(99);
      await c.waitFor(EventName.error, ([, code, id]) => code === 300 && id === 99);
      const afterCancel = c.mark();
      sim.market.setQuote(conId, { bid: 0.35 });
      c.ib.reqCurrentTime();
      await c.waitFor(EventName.currentTime, () => true, afterCancel);
      assert.equal(c.count(EventName.tickPrice, afterCancel), 0, 'no ticks after cancelMktData');
    });
  });

  it('answers a snapshot with ticks then tickSnapshotEnd, and refuses generic ticks on a snapshot', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      c.ib.reqMktData(22, spxIndex, '', true, false);
      await c.waitFor(EventName.tickSnapshotEnd, ([id]) => id === 22);
      assert.ok(c.all(EventName.tickPrice).some(([id, t, p]) => id === 22 && t === 4 && p === 5900.5));
      c.ib.reqMktData(23, spxIndex, '106', true, false);
      await c.waitFor(EventName.error, ([, code, id]) => code === 321 && id === 23);
    });
  });

  it('quotes a BAG from its legs (tickPrice bid/ask/last)', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      const [p5850, p5800] = [5850, 5800].map(
        (k) => sim.market.findContracts({ tradingClass: 'SPXW', strike: k, right: 'P' })[0]!,
      );
      const bag: Contract = {
        symbol: 'SPX',
        secType: 'BAG' as never,
        currency: 'USD',
        exchange: 'SMART',
        comboLegs: [
          { conId: p5850!.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' },
          { conId: p5800!.conId, ratio: 1, action: 'BUY' as never, exchange: 'SMART' },
        ],
      };
      sim.market.setQuote(p5850!.conId, { bid: 9.75, ask: 10.25, last: 10 });
      sim.market.setQuote(p5800!.conId, { bid: 0.25, ask: 0.75, last: 0.5 });
      c.ib.reqMktData(24, bag, '', true, false);
      await c.waitFor(EventName.tickSnapshotEnd, ([id]) => id === 24);
      const prices = new Map(
        c
          .all(EventName.tickPrice)
          .filter(([id]) => id === 24)
          .map(([, t, p]) => [t as number, p as number]),
      );
      // Short 5850P (bid 9.75 / ask 10.25), long 5800P (bid 0.25 / ask 0.75): a credit.
      assert.equal(prices.get(1), 0.25 - 10.25);
      assert.equal(prices.get(2), 0.75 - 9.75);
      assert.equal(prices.get(4), 0.5 - 10);
    });
  });

  it('switches to delayed tick types after reqMarketDataType(3)', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      c.ib.reqMarketDataType(3);
      c.ib.reqMktData(25, spxwPut(5850), '', false, false);
      await c.waitFor(EventName.tickOptionComputation, ([id]) => id === 25);
      const [, type] = await c.waitFor(EventName.marketDataType, ([id]) => id === 25);
      assert.equal(type, 3);
      const types = c
        .all(EventName.tickPrice)
        .filter(([id]) => id === 25)
        .map(([, t]) => t as number);
      assert.ok(
        types.includes(66) && types.includes(67) && types.includes(68),
        `delayed ids, got ${types.join(',')}`,
      );
      assert.ok(!types.includes(1));
      assert.equal(c.all(EventName.tickOptionComputation).find(([id]) => id === 25)?.[1], 83);
    });
  });

  it('refuses more streams than the line limit with 101', async () => {
    await withFakeSim({ limits: { maxMarketDataLines: 2 } }, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      c.ib.reqMktData(31, spxIndex, '', false, false);
      c.ib.reqMktData(32, spxwPut(5850), '', false, false);
      c.ib.reqMktData(33, spxwPut(5800), '', false, false);
      await c.waitFor(EventName.error, ([, code, id]) => code === 101 && id === 33);
      c.ib.reqMktData(31, spxIndex, '', false, false);
      await c.waitFor(EventName.error, ([, code, id]) => code === 322 && id === 31);
    });
  });
});

describe('historical data', () => {
  it('serves daily TRADES bars and stoqey ends the set', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      c.ib.reqHistoricalData(41, spxIndex, '', '1 M', '1 day' as never, 'TRADES', 1, 1, false);
      const [, done] = await c.waitFor(
        EventName.historicalData,
        ([id, date]) => id === 41 && String(date).startsWith('finished'),
      );
      assert.match(String(done), /^finished-/);
      const bars = c
        .all(EventName.historicalData)
        .filter(([id, date]) => id === 41 && !String(date).startsWith('finished'));
      assert.ok(bars.length >= 20 && bars.length <= 23, `about a month of sessions, got ${bars.length}`);
      const dates = bars.map(([, d]) => String(d));
      assert.deepEqual([...dates].sort(), dates, 'oldest first');
      assert.ok(dates.every((d) => /^\d{8}$/.test(d) && d <= '20250110'));
    });
  });

  it('has no daily history for options (162) or combos (321), and enforces pacing with 162', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      // The same five-day SPX request each time: identical requests within 15 s are a pacing violation.
      const reqSpxWeek = (reqId: number): void => {
        c.ib.reqHistoricalData(
          reqId,
          spxIndex,
          '20250109 16:00:00',
          '5 D',
          '1 day' as never,
          'TRADES',
          1,
          1,
          false,
        );
      };
      c.ib.reqHistoricalData(42, spxwPut(5850), '', '5 D', '1 day' as never, 'TRADES', 1, 1, false);
      await c.waitFor(EventName.error, ([, code, id]) => code === 162 && id === 42);
      c.ib.reqHistoricalData(
        43,
        { symbol: 'SPX', secType: 'BAG' as never, currency: 'USD', exchange: 'SMART', comboLegs: [] },
        '',
        '5 D',
        '1 day' as never,
        'TRADES',
        1,
        1,
        false,
      );
      await c.waitFor(EventName.error, ([, code, id]) => code === 321 && id === 43);
      reqSpxWeek(44);
      await c.waitFor(
        EventName.historicalData,
        ([id, date]) => id === 44 && String(date).startsWith('finished'),
      );
      reqSpxWeek(45);
      const [err] = await c.waitFor(EventName.error, ([, code, id]) => code === 162 && id === 45);
      assert.match((err as Error).message, /pacing violation/);
      // Fifteen seconds later on the simulator clock the same request is allowed again.
      sim.clock.advance(15_001);
      reqSpxWeek(46);
      await c.waitFor(
        EventName.historicalData,
        ([id, date]) => id === 46 && String(date).startsWith('finished'),
      );
    });
  });

  it('keeps a daily bar up to date (historicalDataUpdate) until cancelHistoricalData', async () => {
    await withFakeSim({}, async (sim) => {
      const c = sim.client(1);
      await c.connect();
      c.ib.reqHistoricalData(47, spxIndex, '', '5 D', '1 day' as never, 'TRADES', 1, 1, true);
      await c.waitFor(
        EventName.historicalData,
        ([id, date]) => id === 47 && String(date).startsWith('finished'),
      );
      sim.market.setQuote(SPX_CON_ID, { last: 5920.25, high: 5921 });
      const update = await c.waitFor(EventName.historicalDataUpdate, ([id]) => id === 47);
      // reqId, time, open, high, low, close, volume, count, WAP
      assert.deepEqual(update.slice(1, 7), ['20250110', 5885, 5921, 5870, 5920.25, 0]);
      c.ib.cancelHistoricalData(47);
      await c.sync();
      const m = c.mark();
      sim.market.setQuote(SPX_CON_ID, { last: 5930 });
      await c.sync();
      assert.equal(c.count(EventName.historicalDataUpdate, m), 0);
    });
  });
});
