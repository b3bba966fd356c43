// Market hours: a plan whose orders would be worked outside the regular session sends nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { marketHours } from '../../src/domain/market-hours.ts';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import { defaultStrategy } from '../support/default-strategy.ts';
import { heldLayer, makeSnapshot, testCalendar } from '../support/snapshot-factory.ts';
import { noTradeDetailText } from '../support/plan-text.ts';

const cal = testCalendar();
const strategy = defaultStrategy();

function planAt(asOf: string, hedgeBook = [] as ReturnType<typeof heldLayer>[]): Plan {
  const p = buildPlan({ snapshot: makeSnapshot({ asOf, hedgeBook }), strategy, calendar: cal, mode: 'sim' });
  assert.deepEqual(checkPlan(p, strategy), []);
  return p;
}

describe('marketHours', () => {
  it('open when the last deadline is inside the session', () => {
    const h = marketHours(cal, '2026-03-10T15:45:00-04:00', '2026-03-10T15:53:00-04:00');
    assert.deepEqual(h, {
      status: 'open',
      date: '2026-03-10',
      openAt: '2026-03-10T09:30:00-04:00',
      closeAt: '2026-03-10T16:00:00-04:00',
      lastDeadline: '2026-03-10T15:53:00-04:00',
    });
    // A deadline exactly at the close is still inside the session.
    assert.equal(marketHours(cal, '2026-03-10T15:52:00-04:00', '2026-03-10T16:00:00-04:00').status, 'open');
  });

  it('closed: before the open, after the close, on a holiday or a weekend', () => {
    const before = marketHours(cal, '2026-03-10T08:00:00-04:00', '2026-03-10T08:08:00-04:00');
    assert.equal(before.status === 'closed' && before.why, 'before-open');
    const after = marketHours(cal, '2026-03-10T17:30:00-04:00', '2026-03-10T17:38:00-04:00');
    assert.equal(after.status === 'closed' && after.why, 'orders-past-close');
    const holiday = marketHours(cal, '2026-04-03T15:45:00-04:00', '2026-04-03T15:53:00-04:00');
    assert.deepEqual(holiday, {
      status: 'closed',
      why: 'not-a-session',
      date: '2026-04-03',
      closure: 'Good Friday',
    });
  });

  it('an early close at 13:00: 12:45 fits, 12:55 would be worked past the close', () => {
    assert.equal(marketHours(cal, '2026-11-27T12:45:00-05:00', '2026-11-27T12:53:00-05:00').status, 'open');
    const late = marketHours(cal, '2026-11-27T12:55:00-05:00', '2026-11-27T13:03:00-05:00');
    assert.equal(late.status === 'closed' && late.why, 'orders-past-close');
  });
});

describe('buildPlan outside market hours: "market closed: nothing would be sent"', () => {
  const due = heldLayer({
    layerId: 'OLD',
    expiry: '2026-03-18',
    tradingClass: 'VIX',
    longStrike: 17,
    quantity: 5,
  });

  it('an asOf of 17:30 New York gives no order at all, not even a due roll, and says why', () => {
    const p = planAt('2026-03-12T17:30:00-04:00', [due]);
    assert.equal(p.outcome.kind === 'no-trade' && p.outcome.reason, 'market-closed');
    assert.deepEqual(p.orders, []);
    assert.equal(
      noTradeDetailText(p),
      'market closed: nothing would be sent (orders would be worked until 17:38, after the 16:00 close)',
    );
  });

  it('15:55 is too late for an 8-minute condor ladder; 15:52 fits', () => {
    assert.equal(planAt('2026-03-10T15:55:00-04:00').outcome.kind, 'no-trade');
    assert.equal(planAt('2026-03-10T15:52:00-04:00').outcome.kind, 'trade');
  });

  it('before the open nothing is sent either', () => {
    const p = planAt('2026-03-10T07:00:00-04:00');
    assert.match(
      noTradeDetailText(p),
      /market closed: nothing would be sent \(07:00 is before the 09:30 open\)/,
    );
  });

  it('checkPlan flags an order worked past the close', () => {
    const p = planAt('2026-03-10T15:45:00-04:00');
    const late: Plan = {
      ...p,
      orders: p.orders.map((o) => ({ ...o, ladder: { ...o.ladder, deadline: '2026-03-10T16:05:00-04:00' } })),
    };
    assert.ok(checkPlan(late, strategy).some((v) => /after the 2026-03-10T16:00:00-04:00 close/.test(v)));
  });
});
