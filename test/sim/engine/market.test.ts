import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOnTick } from '../../../src/domain/instruments.ts';
import {
  AD_NYSE_CONID,
  SPX_CONID,
  VIX3M_CONID,
  VIX9D_CONID,
  VIX_CONID,
} from '../../../src/sim/market/contracts.ts';
import { RATE } from '../../../src/sim/market/market.ts';
import { DAY, HOUR, MINUTE, calendar, makeMarket, nextExpiry, on5, spxw, vixOpt } from './harness.ts';
import type { Market } from './harness.ts';

const START = '2026-03-17T10:00:00-04:00';

function chainIds(m: Market): number[] {
  const exp = nextExpiry(m);
  const s = m.spot('SPX');
  const out: number[] = [];
  for (let k = on5(s * 0.95); k <= on5(s * 1.05); k += 5)
    out.push(spxw(m, exp, k, 'P'), spxw(m, exp, k, 'C'));
  return out;
}

test('same seed and clock path give identical quotes; another seed does not', () => {
  const a = makeMarket(START, { seed: 11 });
  const b = makeMarket(START, { seed: 11 });
  const c = makeMarket(START, { seed: 12 });
  for (const x of [a, b, c]) x.clock.advance(5 * HOUR + 17 * MINUTE);
  assert.deepEqual(a.market.snapshotState(), b.market.snapshotState());
  const ids = chainIds(a.market);
  assert.deepEqual(
    ids.map((id) => a.market.quote(id)),
    ids.map((id) => b.market.quote(id)),
  );
  assert.notEqual(a.market.spot('SPX'), c.market.spot('SPX'));
  for (const x of [a, b, c]) x.market.stop();
});

test('the model moves on its step grid: many small advances equal one big one', () => {
  const a = makeMarket(START, { seed: 5 });
  const b = makeMarket(START, { seed: 5 });
  a.clock.advance(2 * DAY);
  while (b.clock.nowMs() + 7 * MINUTE <= a.clock.nowMs()) b.clock.advance(7 * MINUTE);
  b.clock.advanceTo(a.clock.nowMs());
  assert.deepEqual(a.market.snapshotState(), b.market.snapshotState());
  a.market.stop();
  b.market.stop();
});

test('nothing moves outside sessions; the night is one step at the open', () => {
  const { clock, market } = makeMarket('2026-03-20T15:30:00-04:00');
  clock.advanceTo(Date.parse('2026-03-20T16:30:00-04:00'));
  const afterClose = market.snapshotState();
  assert.equal(afterClose.sessionOpen, false);
  clock.advanceTo(Date.parse('2026-03-23T09:29:00-04:00'));
  assert.deepEqual(market.snapshotState(), afterClose, 'weekend: no steps');
  clock.advanceTo(Date.parse('2026-03-23T09:30:00-04:00'));
  const open = market.snapshotState();
  assert.equal(open.sessionOpen, true);
  assert.equal(open.tradingDate, '2026-03-23');
  assert.notEqual(open.spx, afterClose.spx);
  market.stop();
});

test('option quotes are on IB ticks, never crossed, with model ticks', () => {
  const { clock, market } = makeMarket(START);
  clock.advance(3 * HOUR);
  for (const id of chainIds(market)) {
    const q = market.quote(id)!;
    assert.ok(q.bid !== null && q.ask !== null);
    assert.ok(q.bid >= 0 && q.bid < q.ask, `${id}: ${q.bid} x ${q.ask}`);
    assert.ok(
      isOnTick('SPXW', Math.round(q.bid * 100)) && isOnTick('SPXW', Math.round(q.ask * 100)),
      `${q.bid} ${q.ask}`,
    );
    assert.ok(q.bidSize >= 10 && q.bidSize <= 200 && q.askSize >= 10 && q.askSize <= 200);
    const m = market.optionModel(id)!;
    assert.ok(m.impliedVol > 0.03 && m.impliedVol < 1.5);
    assert.ok(m.optPrice >= q.bid - 1e-9 && m.optPrice <= q.ask + 1e-9, 'theo inside the quote');
    assert.equal(m.undPrice, market.spot('SPX'));
  }
  const vx = market.registry.vixExpiries();
  for (const e of vx.slice(0, 4)) {
    for (const k of [12, 15, 18, 20, 25, 30, 45]) {
      const q = market.quote(vixOpt(market, e.tradingClass, e.expiry, k))!;
      assert.ok(q.bid! >= 0 && q.bid! < q.ask!);
      assert.ok(isOnTick('VIX', Math.round(q.bid! * 100)) && isOnTick('VIX', Math.round(q.ask! * 100)));
    }
  }
  const fut = market.quote(market.vxCurve()[1]!.conId)!;
  assert.ok(isOnTick('VX', Math.round(fut.bid! * 100)) && fut.ask! > fut.bid!);
  market.stop();
});

test('SPX options carry put skew', () => {
  const { clock, market } = makeMarket(START);
  clock.advance(2 * HOUR);
  const s = market.spot('SPX');
  const exp = market.registry.spxwExpiries()[3]!;
  const iv = (k: number, r: 'C' | 'P'): number => market.optionModel(spxw(market, exp, k, r))!.impliedVol;
  const atm = on5(s);
  assert.ok(iv(on5(s * 0.97), 'P') > iv(atm, 'P') + 0.01, 'OTM puts richer than ATM');
  assert.ok(iv(atm, 'C') > iv(on5(s * 1.02), 'C'), 'OTM calls cheaper than ATM');
  const d = market.optionModel(spxw(market, exp, on5(s * 0.97), 'P'))!.delta;
  assert.ok(d < 0 && d > -0.5);
  market.stop();
});

test('VIX options are priced off the VX future of their own expiry (put-call parity holds on it)', () => {
  const { clock, market } = makeMarket(START, { start: { vix: 15 } });
  clock.advance(HOUR);
  const curve = market.vxCurve();
  const e1 = curve[1]!;
  const e3 = curve[3]!;
  assert.ok(e3.price > e1.price, 'contango at VIX 15');
  for (const e of [e1, e3]) {
    const call = market.optionModel(vixOpt(market, 'VIX', e.expiry, 20, 'C'))!;
    const put = market.optionModel(vixOpt(market, 'VIX', e.expiry, 20, 'P'))!;
    assert.equal(call.undPrice, e.price);
    assert.notEqual(call.undPrice, market.spot('VIX'));
    const t = market.timeToExpiry(e.expiry, 'AM');
    assert.ok(Math.abs(call.optPrice - put.optPrice - Math.exp(-RATE * t) * (e.price - 20)) < 1e-6);
  }
  const weekly = market.registry.vixExpiries().find((x) => x.tradingClass === 'VIXW')!;
  const w = market.optionModel(vixOpt(market, 'VIXW', weekly.expiry, 20))!;
  assert.ok(w.undPrice > market.spot('VIX') - 1 && w.undPrice < e3.price);
  // Call skew: OTM VIX calls carry more vol than ATM.
  const atm = market.optionModel(vixOpt(market, 'VIX', e1.expiry, Math.round(e1.price)))!.impliedVol;
  assert.ok(market.optionModel(vixOpt(market, 'VIX', e1.expiry, 30))!.impliedVol > atm);
  market.stop();
});

test('term structure: calm contango, stressed inversion', () => {
  const calm = makeMarket(START, { start: { vix: 13 } }).market;
  const s = calm.snapshotState();
  assert.ok(s.vix3m > s.vix && s.vix9d < s.vix, JSON.stringify(s));
  assert.ok(s.vxCurve[3]!.price > s.vxCurve[0]!.price);
  const stressed = makeMarket(START, { start: { vix: 38 } }).market;
  const t = stressed.snapshotState();
  assert.ok(t.vix3m < t.vix && t.vix9d > t.vix, JSON.stringify(t));
  assert.ok(t.vxCurve[3]!.price < t.vxCurve[0]!.price, 'backwardation');
  calm.stop();
  stressed.stop();
});

test('index quotes: last only; AD-NYSE bid = advancers, ask = decliners, last = cumulative line', () => {
  const { clock, market } = makeMarket(START);
  clock.advance(HOUR);
  for (const id of [SPX_CONID, VIX_CONID, VIX9D_CONID, VIX3M_CONID]) {
    const q = market.quote(id)!;
    assert.equal(q.bid, null);
    assert.equal(q.ask, null);
    assert.ok(q.last! > 0 && q.close! > 0 && q.high! >= q.low!);
  }
  const ad = market.quote(AD_NYSE_CONID)!;
  const st = market.snapshotState();
  assert.equal(ad.bid, st.advancers);
  assert.equal(ad.ask, st.decliners);
  assert.ok(ad.bid + ad.ask > 2500 && ad.bid + ad.ask < 3200);
  assert.equal(ad.last, Math.round(st.adLine));
  assert.equal(ad.last, ad.close! + ad.bid - ad.ask);
  market.stop();
});

test('breadth follows the SPX day and the A/D line accumulates', () => {
  const { clock, market } = makeMarket('2026-01-05T09:00:00-05:00', {
    stepSeconds: 1800,
    historySessions: 5,
  });
  const xs: number[] = [];
  const ys: number[] = [];
  let prev = market.spot('SPX');
  for (let d = 0; d < 60; d++) {
    clock.advance(DAY);
    const bars = market.dailyBars(AD_NYSE_CONID, '2099-01-01', 2);
    const s = market.spot('SPX');
    if (bars.length === 2) {
      xs.push(Math.log(s / prev));
      ys.push(bars[1]!.close - bars[0]!.close);
    }
    prev = s;
  }
  assert.ok(correlation(xs, ys) > 0.6, `corr ${correlation(xs, ys)}`);
  market.stop();
});

test('daily history: 450 sessions before the start by default, ending the previous session', () => {
  const { clock, market } = makeMarket(START, { historySessions: undefined as unknown as number });
  const spx = market.dailyBars(SPX_CONID, '2026-03-16', 1000);
  assert.equal(spx.length, 450);
  assert.equal(spx[spx.length - 1]!.date, '20260316');
  assert.equal(
    spx[0]!.date,
    calendar.sessions('2024-01-01', '2026-03-16').slice(-450)[0]!.replaceAll('-', ''),
  );
  for (const b of spx) assert.ok(b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close));
  for (const id of [VIX_CONID, VIX9D_CONID, VIX3M_CONID, AD_NYSE_CONID])
    assert.equal(market.dailyBars(id, '2026-03-16', 400).length, 400);
  assert.equal(spx[spx.length - 1]!.close, 6000);
  // During the session today's bar so far is included; after the close it is final.
  assert.equal(market.dailyBars(SPX_CONID, '2026-03-17', 2)[1]?.date, '20260317');
  clock.advanceTo(Date.parse('2026-03-17T17:00:00-04:00'));
  const today = market.dailyBars(SPX_CONID, '2026-03-17', 1)[0]!;
  assert.equal(today.close, market.settlementValue('SPX-PM', '2026-03-17'));
  assert.equal(market.settlementValue('SPX-PM', '2026-03-18'), null);
  const soq = market.settlementValue('VIX-SOQ', '2026-03-17')!;
  const vixToday = market.dailyBars(VIX_CONID, '2026-03-17', 1)[0]!;
  assert.ok(Math.abs(soq / vixToday.open - 1) < 0.05);
  market.stop();
});

function correlation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
