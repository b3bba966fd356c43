import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AD_NYSE_CONID,
  SPX_CONID,
  VIX_CONID,
  createContractRegistry,
  vixStrikeGrid,
} from '../../../src/sim/market/contracts.ts';
import { vixExpiryForMonth } from '../../../src/domain/calendar.ts';
import { calendar } from './harness.ts';

const listed = (spot = 6000, date = '2026-03-17') => {
  const r = createContractRegistry(calendar);
  r.listForDay(date, spot);
  return r;
};

test('SPXW: every trading day for the next ten sessions, holidays skipped', () => {
  const r = listed();
  assert.deepEqual(r.spxwExpiries().slice(0, 3), ['2026-03-17', '2026-03-18', '2026-03-19']);
  assert.equal(r.spxwExpiries().length, 11);
  const later = listed(6000, '2026-03-30');
  assert.ok(later.spxwExpiries().includes('2026-04-02'));
  assert.ok(!later.spxwExpiries().includes('2026-04-03'), 'Good Friday is not an expiry');
});

test('SPXW strikes: 5 apart within ±15%, 25 apart out to ±30%, nothing beyond', () => {
  const r = listed(6000);
  const strikes = r
    .contractsOf('SPXW', '2026-03-18')
    .filter((c) => c.right === 'P')
    .map((c) => c.strike!);
  assert.ok(strikes.includes(5105) && strikes.includes(6895), 'near strikes every 5');
  assert.ok(strikes.includes(4200) && strikes.includes(7800), 'far strikes every 25');
  assert.ok(!strikes.includes(4205) && !strikes.includes(7795), 'no 5-point strikes far out');
  assert.ok(Math.min(...strikes) >= 4200 && Math.max(...strikes) <= 7800);
  for (const k of strikes) assert.equal(k % 5, 0);
});

test('strikes once listed stay; new ones follow spot; conIds are stable and unique', () => {
  const spxw0320 = (strike: number, right: 'C' | 'P') => ({
    tradingClass: 'SPXW',
    lastTradeDateOrContractMonth: '20260320',
    strike,
    right,
  });
  const r = listed(6000);
  const before = r.findContracts(spxw0320(6850, 'C'));
  assert.equal(before.length, 1);
  r.listForDay('2026-03-18', 5000);
  const after = r.findContracts(spxw0320(6850, 'C'));
  assert.deepEqual(
    after.map((c) => c.conId),
    before.map((c) => c.conId),
  );
  assert.equal(r.findContracts(spxw0320(4300, 'P')).length, 1);
  const again = listed(6000);
  const c2 = again.findContracts(spxw0320(6850, 'C'));
  assert.equal(c2[0]!.conId, before[0]!.conId);
  const ids = r.liveContracts().map((c) => c.conId);
  assert.equal(new Set(ids).size, ids.length);
  // Yesterday's 0DTE is gone from searches but still resolvable by conId.
  const expired = again.findContracts({
    tradingClass: 'SPXW',
    lastTradeDateOrContractMonth: '20260317',
    strike: 6000,
    right: 'P',
  })[0]!;
  assert.equal(r.findContracts({ tradingClass: 'SPXW', lastTradeDateOrContractMonth: '20260317' }).length, 0);
  assert.equal(r.findContracts({ conId: expired.conId })[0]?.strike, 6000);
});

test('findContracts follows IB matching', () => {
  const r = listed();
  const one = r.findContracts({
    symbol: 'SPX',
    secType: 'OPT',
    tradingClass: 'SPXW',
    lastTradeDateOrContractMonth: '20260318',
    strike: 5900,
    right: 'P',
    exchange: 'SMART',
    currency: 'USD',
    multiplier: 100,
  });
  assert.equal(one.length, 1);
  const c = one[0]!;
  assert.equal(c.localSymbol, 'SPXW  260318P05900000');
  assert.equal(c.underConId, SPX_CONID);
  assert.equal(c.multiplier, 100);
  assert.equal(r.findContracts({ localSymbol: 'SPXW 260318P05900000' })[0]?.conId, c.conId);
  assert.equal(
    r.findContracts({
      symbol: 'SPXW',
      secType: 'OPT',
      lastTradeDateOrContractMonth: '20260318',
      strike: 5900,
      right: 'P',
    }).length,
    1,
  );
  const month = r.findContracts({
    symbol: 'SPX',
    secType: 'OPT',
    lastTradeDateOrContractMonth: '202603',
    strike: 5900,
    right: 'P',
  });
  assert.equal(month.length, 11, 'yyyymm matches every SPXW expiry of March');
  assert.equal(
    r.findContracts({
      symbol: 'SPX',
      secType: 'OPT',
      lastTradeDateOrContractMonth: '20260318',
      strike: 5901,
      right: 'P',
    }).length,
    0,
  );
  assert.equal(r.findContracts({ symbol: 'SPX', secType: 'OPT', tradingClass: 'SPX' }).length, 0);
  const spx = r.findContracts({ symbol: 'SPX', secType: 'IND', exchange: 'CBOE' });
  assert.deepEqual(
    spx.map((x) => x.conId),
    [SPX_CONID],
  );
  const ad = r.findContracts({ symbol: 'AD-NYSE', secType: 'IND' });
  assert.equal(ad[0]?.conId, AD_NYSE_CONID);
  assert.equal(ad[0]?.exchange, 'NYSE');
  for (const s of ['VIX', 'VIX9D', 'VIX3M'])
    assert.equal(r.findContracts({ symbol: s, secType: 'IND' }).length, 1, s);
  assert.match(spx[0]!.tradingHours, /^20260317:0930-20260317:1600;/);
});

test('VIX options: six monthlies, six weeklies on other Wednesdays, Cboe strike grid; VX futures per monthly', () => {
  const r = listed();
  const monthly = r
    .vixExpiries()
    .filter((e) => e.tradingClass === 'VIX')
    .map((e) => e.expiry);
  const weekly = r
    .vixExpiries()
    .filter((e) => e.tradingClass === 'VIXW')
    .map((e) => e.expiry);
  assert.equal(monthly.length, 6);
  assert.equal(weekly.length, 6);
  assert.equal(monthly[0], vixExpiryForMonth(calendar, 2026, 3));
  for (const w of weekly) assert.ok(!monthly.includes(w));
  // Wednesdays (a Tuesday when the Wednesday is a holiday).
  assert.ok(weekly.every((w) => [2, 3].includes(new Date(`${w}T12:00:00Z`).getUTCDay())));
  const grid = vixStrikeGrid();
  assert.deepEqual(grid.slice(0, 3), [9, 9.5, 10]);
  assert.ok(grid.includes(14.5) && grid.includes(15) && grid.includes(16) && !grid.includes(15.5));
  assert.ok(grid.includes(50) && grid.includes(55) && grid.includes(100) && !grid.includes(51));
  const call = r.findContracts({
    symbol: 'VIX',
    secType: 'OPT',
    tradingClass: 'VIXW',
    lastTradeDateOrContractMonth: weekly[0]!.replaceAll('-', ''),
    strike: 20,
    right: 'C',
  });
  assert.equal(call.length, 1);
  assert.equal(call[0]!.underConId, VIX_CONID);
  assert.match(call[0]!.localSymbol, /^VIXW {2}\d{6}C00020000$/);
  const fut = r.findContracts({ symbol: 'VIX', secType: 'FUT', exchange: 'CFE' });
  assert.deepEqual(
    fut.map((f) => f.expiry),
    monthly,
  );
  assert.equal(fut[0]!.multiplier, 1000);
  assert.equal(fut[1]!.localSymbol, 'VXJ6');
});

test('secDefOptParams: SPXW on SMART and CBOE; VIX and VIXW', () => {
  const r = listed();
  const spx = r.secDefOptParams('SPX', SPX_CONID);
  assert.deepEqual(
    spx.map((p) => `${p.exchange}/${p.tradingClass}`),
    ['SMART/SPXW', 'CBOE/SPXW'],
  );
  assert.equal(spx[0]!.expirations.length, 11);
  assert.equal(spx[0]!.expirations[0], '20260317');
  assert.equal(spx[0]!.multiplier, 100);
  assert.ok(spx[0]!.strikes.includes(6000));
  const vix = r.secDefOptParams('VIX', VIX_CONID);
  assert.deepEqual(new Set(vix.map((p) => p.tradingClass)), new Set(['VIX', 'VIXW']));
  assert.deepEqual(r.secDefOptParams('SPX', 12345), []);
});
