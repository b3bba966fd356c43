// to-ib / from-ib: the only place prices become IB floats and IB's unset values become null.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Contract, OrderState } from '@stoqey/ib';
import {
  centsFromIb,
  ibTimeToMs,
  optionFromIb,
  orderReportFromIb,
  priceCentsFromIb,
  quotePriceFromIb,
  whatIfFromIb,
} from '../../../src/adapters/ib/from-ib.ts';
import {
  comboToIb,
  historicalDuration,
  historicalEndDateTime,
  limitOrderToIb,
  optionToIb,
} from '../../../src/adapters/ib/to-ib.ts';
import { spxwOption, vixOption } from '../../../src/domain/instruments.ts';
import { priceCents } from '../../../src/domain/money.ts';

const SENTINEL = 1.7976931348623157e308;

test('a credit condor is a BUY of the BAG at a negative IB limit; transmit and whatIf always set', () => {
  const o = limitOrderToIb(
    { action: 'BUY', quantity: 3, limitPrice: priceCents(-185), account: 'DU1', orderRef: 'p:condor:1' },
    false,
  );
  assert.equal(o.lmtPrice, -1.85);
  assert.equal(o.action, 'BUY');
  assert.equal(o.orderType, 'LMT');
  assert.equal(o.tif, 'DAY');
  assert.equal(o.transmit, true);
  assert.equal(o.whatIf, false);
  assert.equal(o.orderMiscOptions, undefined);
  assert.equal(
    limitOrderToIb(
      { action: 'SELL', quantity: 1, limitPrice: priceCents(5), account: 'DU1', orderRef: 'r' },
      true,
    ).whatIf,
    true,
  );
});

test('price cents survive the round trip through IB floats', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (p) => {
      const o = limitOrderToIb(
        { action: 'BUY', quantity: 1, limitPrice: priceCents(p), account: 'A', orderRef: 'r' },
        false,
      );
      assert.equal(String(o.lmtPrice), (p / 100).toString());
      assert.equal(priceCentsFromIb(o.lmtPrice), p);
    }),
  );
});

test('an option goes out fully described, tradingClass always set, and comes back the same', () => {
  const c = vixOption('VIXW', '2025-01-29', 17.5, 'C');
  const ib = optionToIb(c, 123);
  assert.deepEqual(
    [
      ib.conId,
      ib.secType,
      ib.symbol,
      ib.lastTradeDateOrContractMonth,
      ib.strike,
      ib.right,
      ib.multiplier,
      ib.exchange,
      ib.tradingClass,
    ],
    [123, 'OPT', 'VIX', '20250129', 17.5, 'C', 100, 'SMART', 'VIXW'],
  );
  assert.deepEqual(optionFromIb(ib), c);
  const spxw = spxwOption('2025-01-13', 5900, 'P');
  assert.deepEqual(optionFromIb(optionToIb(spxw)), spxw);
  assert.equal(
    optionFromIb({ ...optionToIb(spxw), tradingClass: 'SPX' }),
    null,
    'AM-settled SPX is not ironvix',
  );
});

test('a BAG is built from resolved leg conIds with each leg action', () => {
  const bag = comboToIb('SPX', [
    { conId: 11, ratio: 1, action: 'SELL' },
    { conId: 12, ratio: 1, action: 'BUY' },
  ]);
  assert.equal(bag.secType, 'BAG');
  assert.deepEqual(
    bag.comboLegs?.map((l) => [l.conId, l.ratio, l.action, l.exchange]),
    [
      [11, 1, 'SELL', 'SMART'],
      [12, 1, 'BUY', 'SMART'],
    ],
  );
});

test("IB's unset values become null, never a number", () => {
  assert.equal(priceCentsFromIb(undefined), null);
  assert.equal(priceCentsFromIb(SENTINEL), null);
  assert.equal(centsFromIb('1.7976931348623157E308'), null);
  assert.equal(centsFromIb('12345.675'), 1234568);
  assert.equal(quotePriceFromIb(-1, 'bid'), null);
  assert.equal(quotePriceFromIb(0, 'bid'), 0, 'a zero bid is a market (nobody bids)');
  assert.equal(quotePriceFromIb(0, 'ask'), null);
});

test('what-if: sentinels or missing margins are not an answer; real numbers are', () => {
  const first: OrderState = {
    status: 'PreSubmitted' as OrderState['status'],
    warningText: 'Margin not available yet',
  };
  assert.equal(whatIfFromIb(first), null);
  const real: OrderState = {
    status: 'PreSubmitted' as OrderState['status'],
    initMarginChange: 2450.5,
    maintMarginChange: 2450.5,
    initMarginAfter: 12000,
    equityWithLoanAfter: 98000.25,
    commission: SENTINEL,
  };
  assert.deepEqual(whatIfFromIb(real), {
    kind: 'margin',
    initMarginChange: 245050,
    maintMarginChange: 245050,
    initMarginAfter: 1200000,
    equityWithLoanAfter: 9800025,
    commission: null,
    warning: null,
  });
});

test('IB time texts', () => {
  assert.equal(ibTimeToMs('20250110 10:00:01 US/Eastern'), Date.parse('2025-01-10T15:00:01Z'));
  assert.equal(ibTimeToMs('20250710 10:00:01 America/New_York'), Date.parse('2025-07-10T14:00:01Z'));
  assert.equal(ibTimeToMs('20250110-15:00:01'), Date.parse('2025-01-10T15:00:01Z'));
  assert.equal(ibTimeToMs('1736521200'), 1736521200000);
  assert.equal(ibTimeToMs('yesterday'), null);
});

test('history requests: now for today, the end of the day before; durations cover the sessions', () => {
  assert.equal(historicalEndDateTime('2025-01-10', '2025-01-10'), '');
  assert.equal(historicalEndDateTime('2025-01-09', '2025-01-10'), '20250109 23:59:59 US/Eastern');
  assert.equal(historicalDuration(20), '39 D');
  assert.equal(historicalDuration(300), '2 Y');
});

test('an open order whose BAG legs cannot be mapped is reported with a null contract, never dropped', () => {
  const bag: Contract = comboToIb('VIX', [{ conId: 5, ratio: 1, action: 'BUY' }]);
  const r = orderReportFromIb(
    7,
    bag,
    {
      orderType: 'LMT' as never,
      action: 'BUY' as never,
      totalQuantity: 2,
      lmtPrice: 0.55,
      orderRef: 'x',
      permId: 9,
    },
    { status: 'Submitted' as OrderState['status'] },
    null,
    () => null,
  );
  assert.equal(r?.contract, null);
  assert.equal(r?.limitPrice, 55);
  assert.equal(r?.remaining, 2);
});
