import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimComboLeg, SimExecution, SimOrderView, VenueEvent } from '../../../src/sim/engine-api.ts';
import {
  ACCOUNT,
  DAY,
  HOUR,
  MINUTE,
  condorLegs,
  errorsOf,
  execs,
  makeRig,
  mid,
  nextExpiry,
  on5,
  onTick,
  order,
  placeSingle,
  somePut,
  spxw,
  vixOpt,
} from './harness.ts';

const types = (events: readonly VenueEvent[]): string[] =>
  events
    .filter((e) => e.type !== 'accountValue')
    .map((e) =>
      e.type === 'orderStatus' || e.type === 'openOrder' ? `${e.type}:${e.order.status}` : e.type,
    );
const statuses = (events: readonly VenueEvent[]): SimOrderView[] =>
  events.flatMap((e) => (e.type === 'orderStatus' ? [e.order] : []));

test('a marketable order fills at once, with events in IB order, a position at price x 100 and commission', () => {
  const r = makeRig();
  const put = somePut(r);
  const q = r.market.quote(put)!;
  placeSingle(r, 1, put, 'BUY', q.ask!, 2);
  assert.deepEqual(types(r.events), [
    'openOrder:Submitted',
    'orderStatus:Submitted',
    'execution',
    'orderStatus:Filled',
    'commission',
    'position',
    'openOrder:Filled',
  ]);
  const [x] = execs(r.events);
  assert.ok(x !== undefined);
  assert.equal(x.orderId, 1);
  assert.equal(x.side, 'BOT');
  assert.equal(x.shares, 2);
  assert.equal(x.price, q.ask);
  assert.match(x.execId, /^[0-9a-f]{8}\.[0-9a-f]{8}\.01\.01$/);
  assert.ok(x.permId > 0);
  const comm = r.events.find((e) => e.type === 'commission');
  assert.ok(comm?.type === 'commission' && comm.report.execId === x.execId);
  assert.ok(comm.report.commission > 2 * 0.65 && comm.report.commission < 2 * 2, `${comm.report.commission}`);
  assert.equal(comm.report.realizedPnl, null);
  const [pos] = r.venue.positions();
  assert.equal(pos?.position, 2);
  // IB's avgCost carries the commission per contract.
  assert.ok(Math.abs(pos.avgCost - (q.ask! * 100 + comm.report.commission / 2)) < 1e-9);
  assert.equal(pos.account, ACCOUNT);
  const cash = Number(r.venue.accountValues()['TotalCashValue']);
  assert.ok(Math.abs(cash - (100_000 - q.ask! * 200 - comm.report.commission)) < 0.005);
  assert.deepEqual(r.venue.openOrders({}), []);
  const av = r.venue.accountValues();
  for (const k of [
    'NetLiquidation',
    'BuyingPower',
    'AvailableFunds',
    'ExcessLiquidity',
    'InitMarginReq',
    'MaintMarginReq',
    'GrossPositionValue',
    'UnrealizedPnL',
    'RealizedPnL',
  ])
    assert.match(av[k] ?? '', /^-?\d+\.\d{2}$/, k);
  r.stop();
});

test('a resting limit works; a modify (same id) keeps its permId and can fill; closing books realized P&L', () => {
  const r = makeRig();
  const put = somePut(r);
  const q = r.market.quote(put)!;
  const low = onTick(Math.max(0.05, q.bid! / 2), q.bid! / 2 >= 3 ? 10 : 5);
  placeSingle(r, 1, put, 'BUY', low);
  r.clock.advance(5 * MINUTE);
  const [working] = r.venue.openOrders({ clientId: 1 });
  assert.equal(working?.status, 'Submitted');
  assert.equal(execs(r.events).length, 0);
  const permId = working.permId;
  r.events.length = 0;
  const ask = r.market.quote(put)!.ask!;
  placeSingle(r, 1, put, 'BUY', ask);
  assert.deepEqual(types(r.events).slice(0, 3), [
    'openOrder:Submitted',
    'orderStatus:Submitted',
    'execution',
  ]);
  assert.ok(statuses(r.events).every((s) => s.permId === permId));
  assert.equal(statuses(r.events).at(-1)?.status, 'Filled');
  // Sell it back at the bid: the commission report carries the realized P&L, net of both commissions.
  const bought = r.events.find((e) => e.type === 'commission');
  assert.ok(bought?.type === 'commission');
  r.events.length = 0;
  const bid = r.market.quote(put)!.bid!;
  placeSingle(r, 2, put, 'SELL', bid);
  const sold = execs(r.events)[0]!;
  const report = r.events.find((e) => e.type === 'commission');
  assert.ok(report?.type === 'commission');
  const expected = (sold.price - ask) * 100 - bought.report.commission - report.report.commission;
  assert.ok(
    Math.abs(report.report.realizedPnl! - expected) < 0.011,
    `${report.report.realizedPnl} vs ${expected}`,
  );
  assert.deepEqual(r.venue.positions(), []);
  assert.ok(r.events.some((e) => e.type === 'position' && e.position.position === 0));
  r.stop();
});

test('a combo fills per leg under the combo orderId, in partial slices that add up', () => {
  const r = makeRig();
  const legs = condorLegs(r.market);
  r.venue.placeOrder(
    order({ orderId: 7, contract: { kind: 'bag', symbol: 'SPX', legs }, lmtPrice: -0.05, totalQuantity: 12 }),
  );
  for (let i = 0; i < 30 && r.venue.openOrders({}).length > 0; i++) r.clock.advance(MINUTE);
  const st = statuses(r.events);
  assert.equal(st.at(-1)?.status, 'Filled');
  const fills = st.filter((s) => s.filled > 0).map((s) => s.filled);
  assert.ok(fills.length >= 2, 'partial fills');
  for (let i = 1; i < fills.length; i++) assert.ok(fills[i]! > fills[i - 1]!);
  const xs = execs(r.events);
  assert.ok(xs.every((x) => x.orderId === 7 && x.permId === st[0]!.permId));
  legs.forEach((leg, i) => {
    const mine = xs.filter((x) => x.contract.conId === leg.conId);
    assert.equal(
      mine.reduce((a, x) => a + x.shares, 0),
      12,
    );
    assert.ok(mine.every((x) => x.side === (leg.action === 'BUY' ? 'BOT' : 'SLD')));
    assert.ok(mine.every((x) => x.execId.split('.')[2] === String(i + 1).padStart(2, '0')));
  });
  // Each fill's leg prices add up to the net price the order reports.
  const byFill = new Map<string, SimExecution[]>();
  for (const x of xs)
    byFill.set(x.execId.split('.')[1]!, [...(byFill.get(x.execId.split('.')[1]!) ?? []), x]);
  let weighted = 0;
  for (const group of byFill.values()) {
    const net = group.reduce((a, x) => a + (x.side === 'BOT' ? 1 : -1) * x.price, 0);
    assert.ok(Math.abs(Math.round(net * 100) % 5) === 0, `net ${net} on the 0.05 combo tick`);
    assert.ok(net < 0, 'a credit');
    weighted += net * group[0]!.shares;
  }
  assert.ok(
    Math.abs(st.at(-1)!.avgFillPrice - weighted / 12) < 1e-4,
    `avg ${st.at(-1)!.avgFillPrice} vs ${weighted / 12}`,
  );
  const pos = new Map(r.venue.positions().map((p) => [p.contract.conId, p.position]));
  assert.deepEqual(
    legs.map((l) => pos.get(l.conId)),
    [-12, 12, -12, 12],
  );
  r.stop();
});

test('cancel: PendingCancel, Cancelled, error 202; unknown 10147; finished 10148', () => {
  const r = makeRig();
  const put = somePut(r);
  placeSingle(r, 3, put, 'BUY', 0.05);
  r.events.length = 0;
  r.venue.cancelOrder(1, 3);
  assert.deepEqual(types(r.events), ['orderStatus:PendingCancel', 'orderStatus:Cancelled', 'error']);
  assert.equal(errorsOf(r.events)[0]?.code, 202);
  assert.deepEqual(r.venue.openOrders({}), []);
  r.venue.cancelOrder(1, 3);
  r.venue.cancelOrder(1, 99);
  r.venue.cancelOrder(2, 3);
  assert.deepEqual(
    errorsOf(r.events)
      .slice(1)
      .map((e) => e.code),
    [10148, 10147, 10147],
  );
  placeSingle(r, 4, put, 'BUY', 0.05);
  placeSingle(r, 5, put, 'BUY', 0.05);
  r.venue.globalCancel();
  assert.deepEqual(r.venue.openOrders({}), []);
  r.stop();
});

test('validation errors carry IB codes and leave no order: 110, 200, 201, 103, 356, 321', () => {
  const r = makeRig();
  const m = r.market;
  const legs = condorLegs(m);
  const exp = nextExpiry(m);
  const dearPut = spxw(m, exp, on5(m.spot('SPX') * 1.01), 'P');
  const vixExp = m.registry.vixExpiries()[2]!;
  const vixCall = vixOpt(m, vixExp.tradingClass, vixExp.expiry, 20);
  const bag = (l: SimComboLeg[], symbol = 'SPX') => ({ kind: 'bag' as const, symbol, legs: l });
  const cases: [number, () => void][] = [
    [110, () => placeSingle(r, 10, dearPut, 'BUY', 3.05)],
    [110, () => placeSingle(r, 11, vixCall, 'BUY', 3.02)],
    [110, () => r.venue.placeOrder(order({ orderId: 12, contract: bag(legs), lmtPrice: -1.23 }))],
    [200, () => placeSingle(r, 13, 12345, 'BUY', 1)],
    [
      200,
      () =>
        r.venue.placeOrder(
          order({
            orderId: 14,
            contract: bag([...legs.slice(0, 3), { conId: 999, ratio: 1, action: 'BUY', exchange: 'SMART' }]),
            lmtPrice: -1,
          }),
        ),
    ],
    [
      201,
      () => r.venue.placeOrder(order({ orderId: 15, contract: bag(legs), action: 'SELL', lmtPrice: -1 })),
    ],
    [201, () => r.venue.placeOrder(order({ orderId: 16, contract: bag(legs), lmtPrice: -25 }))],
    [
      201,
      () =>
        r.venue.placeOrder(
          order({ orderId: 17, contract: bag([legs[0]!, { ...legs[0]!, action: 'BUY' }]), lmtPrice: 0 }),
        ),
    ],
    [
      356,
      () => r.venue.placeOrder(order({ orderId: 18, contract: bag(legs), lmtPrice: -1, ocaGroup: 'g1' })),
    ],
    [103, () => placeSingle(r, 9, dearPut, 'BUY', 0.05)],
    [
      321,
      () =>
        r.venue.placeOrder(
          order({
            orderId: 19,
            contract: { kind: 'single', conId: dearPut },
            lmtPrice: 1,
            account: 'DU9999999',
          }),
        ),
    ],
  ];
  for (const [code, act] of cases) {
    r.events.length = 0;
    act();
    const errs = errorsOf(r.events);
    assert.equal(
      errs.length,
      1,
      `expected one error ${code}, got ${JSON.stringify(r.events.map((e) => e.type))}`,
    );
    assert.equal(errs[0]!.code, code, errs[0]!.message);
  }
  assert.deepEqual(r.venue.openOrders({}), []);
  assert.deepEqual(r.venue.positions(), []);
  // A VIX combo prices in 0.01 and a credit condor below its width is fine.
  r.events.length = 0;
  const c2 = vixOpt(m, vixExp.tradingClass, vixExp.expiry, 25);
  r.venue.placeOrder(
    order({
      orderId: 30,
      contract: bag(
        [
          { conId: vixCall, ratio: 1, action: 'BUY', exchange: 'SMART' },
          { conId: c2, ratio: 1, action: 'SELL', exchange: 'SMART' },
        ],
        'VIX',
      ),
      lmtPrice: 0.01,
    }),
  );
  r.venue.placeOrder(order({ orderId: 31, contract: bag(legs), lmtPrice: -24.95 }));
  assert.deepEqual(errorsOf(r.events), []);
  assert.equal(r.venue.nextValidOrderId(1), 32);
  assert.equal(r.venue.nextValidOrderId(2), 1);
  r.stop();
});

test('whatIf: no order, one PreSubmitted openOrder with the margin impact', () => {
  const r = makeRig();
  const m = r.market;
  const legs = condorLegs(m);
  r.venue.placeOrder(
    order({
      orderId: 1,
      contract: { kind: 'bag', symbol: 'SPX', legs },
      lmtPrice: -2,
      totalQuantity: 2,
      whatIf: true,
    }),
  );
  assert.deepEqual(types(r.events), ['openOrder:PreSubmitted']);
  const ans = r.events[0]!;
  assert.ok(ans.type === 'openOrder' && ans.order.margin !== null);
  assert.equal(ans.order.permId, 0);
  assert.equal(ans.order.margin.initMarginChange, (25 - 2) * 100 * 2, 'max loss minus credit');
  assert.equal(ans.order.margin.initMarginBefore, 0);
  assert.equal(ans.order.margin.equityWithLoanBefore, 100_000);
  assert.ok(ans.order.margin.commission > 8 * 0.65 && ans.order.margin.commission < 8 * 2);
  assert.deepEqual(r.venue.openOrders({}), []);
  const vixExp = m.registry.vixExpiries()[4]!;
  const call = vixOpt(m, vixExp.tradingClass, vixExp.expiry, 22);
  const short = vixOpt(m, vixExp.tradingClass, vixExp.expiry, 30);
  r.events.length = 0;
  r.venue.placeOrder(
    order({
      orderId: 2,
      contract: { kind: 'single', conId: call },
      lmtPrice: 1.25,
      totalQuantity: 3,
      whatIf: true,
    }),
  );
  r.venue.placeOrder(
    order({
      orderId: 3,
      contract: {
        kind: 'bag',
        symbol: 'VIX',
        legs: [
          { conId: call, ratio: 1, action: 'BUY', exchange: 'SMART' },
          { conId: short, ratio: 1, action: 'SELL', exchange: 'SMART' },
        ],
      },
      lmtPrice: 0.8,
      totalQuantity: 1,
      whatIf: true,
    }),
  );
  const margins = r.events.flatMap((e) =>
    e.type === 'openOrder' && e.order.margin !== null ? [e.order.margin.initMarginChange] : [],
  );
  assert.deepEqual(margins, [375, 80], 'long premium is the requirement');
  r.events.length = 0;
  r.venue.placeOrder(
    order({
      orderId: 4,
      contract: { kind: 'single', conId: call },
      lmtPrice: 1.25,
      whatIf: true,
      transmit: false,
    }),
  );
  assert.deepEqual(
    errorsOf(r.events).map((e) => e.code),
    [413],
  );
  r.stop();
});

test('executions are today only (New York date); positions outlive them', () => {
  const r = makeRig();
  const put = somePut(r);
  placeSingle(r, 1, put, 'BUY', r.market.quote(put)!.ask!);
  assert.equal(r.venue.executions({}).length, 1);
  const x = r.venue.executions({ clientId: 1, account: ACCOUNT, symbol: 'SPX', secType: 'OPT', side: 'BUY' });
  assert.equal(x.length, 1);
  assert.equal(x[0]!.commission.execId, x[0]!.execution.execId);
  assert.equal(r.venue.executions({ side: 'SELL' }).length, 0);
  assert.equal(r.venue.executions({ symbol: 'VIX' }).length, 0);
  assert.equal(r.venue.executions({ clientId: 2 }).length, 0);
  assert.equal(r.venue.executions({ time: '20260317-09:59:00' }).length, 1);
  assert.equal(r.venue.executions({ time: '20260317 10:01:00 US/Eastern' }).length, 0);
  r.clock.advanceTo(Date.parse('2026-03-17T23:59:00-04:00'));
  assert.equal(r.venue.executions({}).length, 1, 'still the same New York day');
  r.clock.advanceTo(Date.parse('2026-03-18T00:01:00-04:00'));
  assert.equal(r.venue.executions({}).length, 0);
  assert.equal(r.venue.positions().length, 1);
  r.stop();
});

test('SPXW settle on the SPX close of their expiry day: cash, realized P&L, position gone', () => {
  const r = makeRig();
  const legs = condorLegs(r.market);
  r.venue.placeOrder(
    order({ orderId: 1, contract: { kind: 'bag', symbol: 'SPX', legs }, lmtPrice: -0.05, totalQuantity: 3 }),
  );
  r.clock.advance(10 * MINUTE);
  assert.equal(r.venue.positions().length, 4);
  const cashBefore = r.venue.state().cashCents;
  const expiry = nextExpiry(r.market);
  r.clock.advanceTo(Date.parse(`${expiry}T15:59:00-04:00`));
  assert.equal(r.venue.positions().length, 4, 'still open before the close');
  r.clock.advanceTo(Date.parse(`${expiry}T16:01:00-04:00`));
  assert.deepEqual(r.venue.positions(), []);
  const s = r.market.settlementValue('SPX-PM', expiry)!;
  let payoff = 0;
  for (const l of legs) {
    const c = r.market.contract(l.conId)!;
    const intrinsic = c.right === 'P' ? Math.max(0, c.strike! - s) : Math.max(0, s - c.strike!);
    payoff += (l.action === 'BUY' ? 1 : -1) * 3 * intrinsic * 100;
  }
  assert.equal(r.venue.state().cashCents - cashBefore, Math.round(payoff * 100));
  r.stop();
});

test('VIX options settle on the SOQ of their expiry morning', () => {
  const r = makeRig('2026-03-17T10:00:00-04:00');
  const expiry = '2026-03-18';
  assert.equal(r.market.registry.vixExpiries()[0]?.expiry, expiry);
  const call = vixOpt(r.market, 'VIX', expiry, 15);
  const put = vixOpt(r.market, 'VIX', expiry, 25, 'P');
  placeSingle(r, 1, call, 'BUY', r.market.quote(call)!.ask!, 2);
  placeSingle(r, 2, put, 'BUY', r.market.quote(put)!.ask!, 1);
  assert.equal(r.venue.positions().length, 2);
  const cashBefore = r.venue.state().cashCents;
  r.clock.advanceTo(Date.parse('2026-03-18T09:29:00-04:00'));
  assert.equal(r.venue.positions().length, 2);
  r.clock.advanceTo(Date.parse('2026-03-18T09:31:00-04:00'));
  assert.deepEqual(r.venue.positions(), []);
  const soq = r.market.settlementValue('VIX-SOQ', expiry)!;
  const expected = 2 * Math.max(0, soq - 15) * 100 + Math.max(0, 25 - soq) * 100;
  assert.equal(r.venue.state().cashCents - cashBefore, Math.round(expected * 100));
  // An expired contract can no longer be ordered.
  r.events.length = 0;
  placeSingle(r, 3, call, 'BUY', 1);
  assert.equal(errorsOf(r.events)[0]?.code, 201);
  r.stop();
});

test('gateway restart: ids start again at 1, working orders and positions survive, held orders vanish', () => {
  const r = makeRig();
  const put = somePut(r);
  placeSingle(r, 9, put, 'BUY', r.market.quote(put)!.ask!);
  placeSingle(r, 10, put, 'BUY', 0.05);
  r.venue.placeOrder(
    order({ orderId: 11, contract: { kind: 'single', conId: put }, lmtPrice: 0.05, transmit: false }),
  );
  assert.equal(r.venue.nextValidOrderId(1), 12);
  const permId = r.venue.openOrders({}).find((o) => o.request.orderId === 10)!.permId;
  r.venue.restart();
  assert.equal(r.venue.nextValidOrderId(1), 1);
  assert.deepEqual(
    r.venue.openOrders({}).map((o) => o.request.orderId),
    [10],
  );
  assert.equal(r.venue.positions().length, 1);
  r.events.length = 0;
  placeSingle(r, 1, put, 'BUY', 0.05);
  assert.deepEqual(errorsOf(r.events), []);
  // The hazard IB users meet: a reused id of a working order modifies it.
  placeSingle(r, 10, put, 'BUY', 0.1);
  const o10 = r.venue.openOrders({}).find((o) => o.request.orderId === 10)!;
  assert.equal(o10.permId, permId);
  assert.equal(o10.request.lmtPrice, 0.1);
  r.stop();
});

test('transmit=false parks the order (PreSubmitted, warning 399) until transmitted', () => {
  const r = makeRig();
  const put = somePut(r);
  const ask = r.market.quote(put)!.ask!;
  r.venue.placeOrder(
    order({ orderId: 1, contract: { kind: 'single', conId: put }, lmtPrice: ask + 1, transmit: false }),
  );
  assert.deepEqual(types(r.events), ['error', 'openOrder:PreSubmitted', 'orderStatus:PreSubmitted']);
  assert.equal(errorsOf(r.events)[0]?.code, 399);
  r.clock.advance(10 * MINUTE);
  assert.equal(execs(r.events).length, 0);
  r.venue.placeOrder(
    order({
      orderId: 1,
      contract: { kind: 'single', conId: put },
      lmtPrice: onTick(r.market.quote(put)!.ask! + 1, 10),
    }),
  );
  assert.equal(execs(r.events).length, 1);
  r.stop();
});

test('DAY orders end at the close; orders entered after the close wait (PreSubmitted) for the open', () => {
  const r = makeRig('2026-03-17T15:50:00-04:00');
  const exp = r.market.registry.spxwExpiries()[3]!;
  const put = spxw(r.market, exp, on5(r.market.spot('SPX') * 0.98), 'P');
  placeSingle(r, 1, put, 'BUY', 0.05);
  r.clock.advanceTo(Date.parse('2026-03-17T16:05:00-04:00'));
  assert.deepEqual(r.venue.openOrders({}), []);
  assert.equal(statuses(r.events).at(-1)?.status, 'Cancelled');
  r.events.length = 0;
  placeSingle(r, 2, put, 'BUY', 0.05);
  assert.equal(statuses(r.events)[0]?.status, 'PreSubmitted');
  r.clock.advanceTo(Date.parse('2026-03-18T09:31:00-04:00'));
  assert.equal(r.venue.openOrders({})[0]?.status, 'Submitted');
  r.stop();
});

test('venue faults: scripted rejects with a listed code, recorded among completed orders', () => {
  const r = makeRig();
  r.faults.arm({ kind: 'rejectOrders', count: 2, code: 203, reason: 'not allowed' });
  const put = somePut(r);
  const buy = (id: number): void => placeSingle(r, id, put, 'BUY', r.market.quote(put)!.ask!);
  buy(1);
  buy(2);
  assert.deepEqual(
    errorsOf(r.events).map((e) => [e.id, e.code, e.message]),
    [
      [1, 203, 'not allowed'],
      [2, 203, 'not allowed'],
    ],
  );
  buy(3);
  assert.equal(execs(r.events).length, 1);
  assert.deepEqual(
    r.venue.completedOrders({}).map((c) => [c.order.request.orderId, c.order.status, c.completedStatus]),
    [
      [1, 'Inactive', 'Rejected: not allowed'],
      [2, 'Inactive', 'Rejected: not allowed'],
      [3, 'Filled', 'Filled'],
    ],
  );
  assert.throws(() => r.faults.arm({ kind: 'rejectOrders', code: 999 as never }), /SIM_IB_CODES/);
  r.stop();
});

test('venue faults: whatIf refused (360), refused for SMART combos only, answered without margin', () => {
  const r = makeRig();
  const refuseAll = r.faults.arm({ kind: 'whatIfRefused' });
  const put = somePut(r);
  const legs = condorLegs(r.market);
  const single = (id: number) =>
    order({ orderId: id, contract: { kind: 'single', conId: put }, lmtPrice: 1, whatIf: true });
  const combo = (id: number, exchange = 'SMART') =>
    order({
      orderId: id,
      contract: { kind: 'bag', symbol: 'SPX', legs },
      lmtPrice: -1,
      whatIf: true,
      exchange,
    });
  r.venue.placeOrder(single(1));
  assert.deepEqual(
    errorsOf(r.events).map((e) => e.code),
    [360],
  );
  refuseAll();
  const refuseSmart = r.faults.arm({ kind: 'whatIfRefused', smartCombosOnly: true });
  r.events.length = 0;
  r.venue.placeOrder(combo(2));
  r.venue.placeOrder(combo(3, 'CBOE'));
  r.venue.placeOrder(single(4));
  assert.deepEqual(
    errorsOf(r.events).map((e) => [e.id, e.code]),
    [[2, 360]],
  );
  assert.equal(r.events.filter((e) => e.type === 'openOrder').length, 2);
  refuseSmart();
  r.faults.arm({ kind: 'whatIfNoMargin' });
  r.events.length = 0;
  r.venue.placeOrder(single(5));
  const ans = r.events[0];
  assert.ok(ans?.type === 'openOrder' && ans.order.margin === null && ans.order.warningText !== '');
  r.stop();
});

test('same seed, same orders: identical event streams (fills, prices, ids)', () => {
  const run = (): string => {
    const r = makeRig(undefined, { seed: 99 });
    const legs = condorLegs(r.market);
    r.venue.placeOrder(
      order({
        orderId: 1,
        contract: { kind: 'bag', symbol: 'SPX', legs },
        lmtPrice: -0.05,
        totalQuantity: 9,
      }),
    );
    const put = somePut(r);
    const m = mid(r.market, put);
    placeSingle(r, 2, put, 'BUY', onTick(m, m >= 3 ? 10 : 5));
    r.clock.advance(HOUR);
    r.clock.advance(DAY);
    const out = JSON.stringify(r.events);
    r.stop();
    return out;
  };
  const a = run();
  assert.equal(a, run());
  assert.ok(a.includes('"execution"'));
});
