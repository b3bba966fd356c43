// The market-data query over the simulator's market in-process: the answers IB gives for the same
// simulator (quotes in price cents, the underlying the model quotes against, the listing's chains).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spxwOption, vixOption } from '../../../src/domain/instruments.ts';
import { memoryRig, ok } from './memory-support.ts';

describe('memory market data', () => {
  it('quotes indexes as IB does: AD-NYSE advancers as bid and decliners as ask, others last and close', async () => {
    const r = await memoryRig();
    try {
      const qs = ok(await r.data.indexQuotes(['SPX', 'VIX', 'VIX9D', 'VIX3M', 'AD-NYSE']));
      const by = new Map(qs.map((q) => [q.symbol, q]));
      const spx = by.get('SPX')!;
      assert.ok(spx.last !== null && Math.abs(spx.last - r.engine.market.spot('SPX')) < 0.01);
      assert.equal(spx.bid, null);
      assert.ok(spx.close !== null && spx.close > 0);
      const ad = by.get('AD-NYSE')!;
      const st = r.engine.market.snapshotState();
      assert.deepEqual([ad.bid, ad.ask], [st.advancers, st.decliners]);
      assert.equal(ok(await r.data.serverTimeMs()), Math.floor(r.engine.clock.nowMs() / 1000) * 1000);
    } finally {
      await r.stop();
    }
  });

  it('lists chains from the listing: SPXW for SPX, VIX and VIXW for VIX, with ISO expiries', async () => {
    const r = await memoryRig();
    try {
      const spx = ok(await r.data.optionChains('SPX'));
      assert.deepEqual(
        spx.map((c) => [c.tradingClass, c.exchange, c.multiplier]),
        [['SPXW', 'SMART', 100]],
      );
      assert.deepEqual(spx[0]!.expirations, [...r.engine.market.registry.spxwExpiries()]);
      const vix = ok(await r.data.optionChains('VIX'));
      assert.deepEqual(
        vix.map((c) => c.tradingClass),
        ['VIX', 'VIXW'],
      );
      assert.ok(vix.every((c) => c.expirations.every((e) => /^\d{4}-\d{2}-\d{2}$/.test(e))));
    } finally {
      await r.stop();
    }
  });

  it('quotes options in price cents against the underlying the model uses; unlisted ones are left out', async () => {
    const r = await memoryRig();
    try {
      const m = r.engine.market;
      const expiry = m.registry.spxwExpiries()[1]!;
      const strike = Math.round(m.spot('SPX') / 5) * 5;
      const monthly = m.registry.vixExpiries().find((e) => e.tradingClass === 'VIX')!;
      const weekly = m.registry.vixExpiries().find((e) => e.tradingClass === 'VIXW')!;
      const qs = ok(
        await r.data.optionQuotes([
          spxwOption(expiry, strike, 'P'),
          spxwOption(expiry, strike + 2.5, 'P'),
          vixOption('VIX', monthly.expiry, 20, 'C'),
          vixOption('VIXW', weekly.expiry, 20, 'C'),
        ]),
      );
      assert.equal(qs.length, 3, 'the off-grid strike is not listed');
      const [put, mCall, wCall] = qs;
      const raw = m.quote(put!.conId!)!;
      assert.deepEqual([put!.bid, put!.ask], [Math.round(raw.bid! * 100), Math.round(raw.ask! * 100)]);
      assert.ok(Math.abs(put!.underlyingPrice! - m.spot('SPX')) < 1e-9);
      const future = m.vxCurve().find((f) => f.expiry === monthly.expiry)!;
      assert.ok(
        Math.abs(mCall!.underlyingPrice! - future.price) < 1e-9,
        'a VIX option quotes off its future',
      );
      assert.ok(
        wCall!.underlyingPrice !== null && wCall!.underlyingPrice > 0,
        'a weekly quotes off the model',
      );
    } finally {
      await r.stop();
    }
  });

  it('gives the VX curve nearest first, daily closes oldest first and the account', async () => {
    const r = await memoryRig();
    try {
      const curve = ok(await r.data.vxFutures());
      assert.deepEqual(
        curve.map((f) => f.expiry),
        [...r.engine.market.registry.vxExpiries()],
      );
      assert.ok(curve.every((f) => f.bid !== null && f.ask !== null && f.ask > f.bid));
      const today = r.engine.market.tradingDate();
      const closes = ok(await r.data.dailyCloses('VIX', today, 30));
      assert.equal(closes.length, 30);
      assert.ok(closes.every((c, i) => i === 0 || c.date > closes[i - 1]!.date));
      assert.equal(closes.at(-1)!.date, today, 'the session in progress has its bar so far');
      const account = ok(await r.data.account());
      assert.equal(account?.netLiquidation, 100_000 * 100);
    } finally {
      await r.stop();
    }
  });
});
