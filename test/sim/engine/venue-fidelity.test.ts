// Fidelity checks against IB behaviour the bot's reconciliation depends on: avgCost carries the
// commission, realized P&L counts both commissions, expired SPXW leave the chain at the close, and a
// DAY order expiring at the close is Cancelled without a PendingCancel the client never asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimCommission, VenueEvent } from '../../../src/sim/engine-api.ts';
import { compact, execs, makeRig, nextExpiry, on5, placeSingle, somePut, spxw } from './harness.ts';

const reports = (events: readonly VenueEvent[]): SimCommission[] =>
  events.flatMap((e) => (e.type === 'commission' ? [e.report] : []));

test('IB avgCost is price x multiplier plus commission per contract (long), minus it (short)', () => {
  const r = makeRig();
  const put = somePut(r);
  const q = r.market.quote(put)!;
  placeSingle(r, 1, put, 'BUY', q.ask!, 2);
  const longComm = reports(r.events)[0]!.commission;
  const [long] = r.venue.positions();
  assert.ok(
    Math.abs(long!.avgCost - (q.ask! * 100 + longComm / 2)) < 1e-9,
    `${long!.avgCost} vs ${q.ask! * 100 + longComm / 2}`,
  );
  const call = spxw(r.market, nextExpiry(r.market), on5(r.market.spot('SPX') * 1.01), 'C');
  const qc = r.market.quote(call)!;
  r.events.length = 0;
  placeSingle(r, 2, call, 'SELL', qc.bid!, 3);
  const shortComm = reports(r.events)[0]!.commission;
  const short = r.venue.positions().find((p) => p.contract.conId === call)!;
  assert.equal(short.position, -3);
  assert.ok(
    Math.abs(short.avgCost - (qc.bid! * 100 - shortComm / 3)) < 1e-9,
    `${short.avgCost} vs ${qc.bid! * 100 - shortComm / 3}`,
  );
  r.stop();
});

test('closing a position realizes P&L net of the opening and the closing commission', () => {
  const r = makeRig();
  const put = somePut(r);
  const ask = r.market.quote(put)!.ask!;
  placeSingle(r, 1, put, 'BUY', ask, 2);
  const openComm = reports(r.events)[0]!.commission;
  assert.equal(r.venue.accountValues()['RealizedPnL'], '0.00', 'opening realizes nothing');
  r.events.length = 0;
  const bid = r.market.quote(put)!.bid!;
  placeSingle(r, 2, put, 'SELL', bid, 2);
  const sold = execs(r.events)[0]!;
  const closeComm = reports(r.events)[0]!.commission;
  const expected = (sold.price - ask) * 200 - openComm - closeComm;
  const realized = reports(r.events)[0]!.realizedPnl!;
  assert.ok(Math.abs(realized - expected) < 0.006, `${realized} vs ${expected}`);
  assert.ok(Math.abs(Number(r.venue.accountValues()['RealizedPnL']) - expected) < 0.006);
  // Cash tells the same story as the realized P&L: nothing is counted twice.
  assert.equal(r.venue.state().cashCents, 10_000_000 + Math.round(expected * 100));
  r.stop();
});

test('an SPXW expiry leaves reqSecDefOptParams once its session has closed', () => {
  const r = makeRig('2026-03-17T10:00:00-04:00');
  const listed = (): readonly string[] =>
    r.market.secDefOptParams('SPX', 0).find((p) => p.tradingClass === 'SPXW')!.expirations;
  assert.ok(listed().includes(compact('2026-03-17')), 'today is listed while it trades');
  r.clock.advanceTo(Date.parse('2026-03-17T16:30:00-04:00'));
  assert.ok(!listed().includes(compact('2026-03-17')), `expired expiry still offered: ${listed()[0]}`);
  assert.equal(listed()[0], compact('2026-03-18'));
  r.stop();
});

test('a DAY order expiring at the close goes straight to Cancelled (no PendingCancel, no 202)', () => {
  const r = makeRig('2026-03-17T15:50:00-04:00');
  const exp = r.market.registry.spxwExpiries()[3]!;
  const put = spxw(r.market, exp, on5(r.market.spot('SPX') * 0.98), 'P');
  placeSingle(r, 1, put, 'BUY', 0.05, 1);
  r.events.length = 0;
  r.clock.advanceTo(Date.parse('2026-03-17T16:05:00-04:00'));
  const seen = r.events.flatMap((e) =>
    e.type === 'orderStatus' ? [e.order.status] : e.type === 'error' ? [`error ${e.code}`] : [],
  );
  assert.deepEqual(seen, ['Cancelled']);
  r.stop();
});
