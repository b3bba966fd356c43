import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimMarketData, HISTORY_SESSIONS } from '../../src/adapters/sim/sim-market-data.ts';
import { runDemo } from '../../src/app/demo.ts';
import { loadCalendarData } from '../../src/config/calendar-file.ts';
import { projectPath } from '../../src/config/paths.ts';
import { parseSnapshot, serializeSnapshot } from '../../src/config/snapshot-file.ts';
import { loadStrategy } from '../../src/config/strategy-file.ts';
import { calendarDaysBetween, createNyseCalendar, nyDate } from '../../src/domain/calendar.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import type { HeldLayer, MarketEvent, MarketSnapshot } from '../../src/domain/snapshot.ts';
import { dollarsToCents, toPriceCents } from '../../src/domain/money.ts';
import type { ManualClock } from '../../src/ports/clock.ts';
import { launchSimulator } from '../../src/cli/wiring/simulator.ts';
import type { RunningSimulator } from '../../src/sim/simulator.ts';

const calendar = createNyseCalendar(loadCalendarData());
const strategy = loadStrategy(projectPath('strategies/alvh-default.json'));
/** Monday 2026-03-16 at the default strategy's 15:45 entry. */
const START = '2026-03-16T15:45:00-04:00';
const TODAY = '2026-03-16';
const EVENTS: readonly MarketEvent[] = [{ date: '2026-03-18', kind: 'FOMC', note: 'decision day' }];

let sim: RunningSimulator<ManualClock>;
let snapshot: MarketSnapshot;

before(async () => {
  sim = await launchSimulator({ virtualTime: true, startAt: START, seed: 42, port: 0 });
  snapshot = await createSimMarketData(sim, calendar).captureSnapshot({ events: EVENTS, hedgeBook: [] });
});

after(async () => {
  await sim.close();
});

const compact = (d: string): string => d.replaceAll('-', '');

test('the snapshot is taken at the clock time and survives the snapshot file round trip', () => {
  assert.equal(snapshot.asOf, START);
  assert.equal(snapshot.source, 'ironvix simulator (seed 42)');
  assert.deepEqual(parseSnapshot(serializeSnapshot(snapshot), 'sim snapshot'), snapshot);
});

test('the SPXW chain is the next trading day with every listed strike in both rights', () => {
  const expiry = calendar.nextTradingDay(TODAY);
  assert.equal(snapshot.spxw.expiry, expiry);
  const listed = sim.market.findContracts({
    secType: 'OPT',
    symbol: 'SPX',
    tradingClass: 'SPXW',
    lastTradeDateOrContractMonth: compact(expiry),
  });
  const key = (strike: number | null, right: string | null): string => `${strike}${right}`;
  assert.deepEqual(
    new Set(snapshot.spxw.quotes.map((q) => key(q.strike, q.right))),
    new Set(listed.map((c) => key(c.strike, c.right))),
  );
  assert.equal(snapshot.spxw.quotes.length, listed.length);
  for (const q of snapshot.spxw.quotes) {
    const c = sim.market.contract(q.conId ?? 0);
    assert.ok(c, `conId ${q.conId} of ${key(q.strike, q.right)} is not a simulator contract`);
    assert.deepEqual([c.expiry, c.strike, c.right], [expiry, q.strike, q.right]);
    const simQuote = sim.market.quote(c.conId);
    assert.equal(q.bid, toPriceCents(simQuote?.bid ?? NaN));
    assert.equal(q.ask, toPriceCents(simQuote?.ask ?? NaN));
    assert.ok(q.bid <= q.ask);
    assert.ok(q.iv !== null && q.iv > 0);
    assert.ok(q.delta !== null && (q.right === 'C' ? q.delta >= 0 : q.delta <= 0));
  }
  assert.equal(snapshot.spx.spot, Math.round(sim.market.spot('SPX') * 100) / 100);
});

test('VIX chains cover the listed expiries 7-60 days out, priced off their own future', () => {
  const expected = sim.market.registry
    .vixExpiries()
    .filter((e) => {
      const dte = calendarDaysBetween(TODAY, e.expiry);
      return dte >= 7 && dte <= 60;
    })
    .map((e) => `${e.tradingClass} ${e.expiry}`);
  assert.ok(expected.length >= 2);
  assert.deepEqual(
    snapshot.vixOptions.map((c) => `${c.tradingClass} ${c.expiry}`),
    expected,
  );
  const futures = new Map(snapshot.vxFutures.map((f) => [f.expiry, f.price]));
  assert.deepEqual(
    snapshot.vxFutures.map((f) => f.expiry),
    sim.market.vxCurve().map((p) => p.expiry),
  );
  for (const chain of snapshot.vixOptions) {
    const first = chain.quotes[0];
    assert.ok(first?.conId !== undefined, `${chain.tradingClass} ${chain.expiry} has no quotes`);
    const und = sim.market.optionModel(first.conId)?.undPrice ?? NaN;
    if (chain.tradingClass === 'VIX') assert.equal(chain.futurePrice, futures.get(chain.expiry));
    // A monthly's future is on the 0.05 tick; either way the forward is the model's.
    assert.ok(Math.abs(chain.futurePrice - und) <= 0.025 + 1e-9, `${chain.futurePrice} vs ${und}`);
    assert.ok(chain.quotes.some((q) => q.right === 'C') && chain.quotes.some((q) => q.right === 'P'));
  }
});

test('history has 300 sessions with SPX, VIX and the A/D line joined by date', () => {
  assert.equal(snapshot.history.length, HISTORY_SESSIONS);
  const last = snapshot.history.at(-1);
  // During the session IB's daily bars end with today's bar so far; so do the simulator's.
  assert.equal(last?.date, TODAY);
  assert.equal(last.spxClose, snapshot.spx.spot);
  assert.equal(last.vixClose, snapshot.vix.spot);
  const spxBars = sim.market.dailyBars(sim.market.registry.indexConId('SPX'), TODAY, HISTORY_SESSIONS);
  assert.deepEqual(
    snapshot.history.map((b) => [b.date.replaceAll('-', ''), b.spxClose]),
    spxBars.map((b) => [b.date, b.close]),
  );
  for (const b of snapshot.history) assert.ok(b.adLine !== null && Number.isInteger(b.adLine));
});

test('account, events and the hedge book come from the venue and the request', async () => {
  const values = sim.venue.accountValues();
  assert.deepEqual(snapshot.account, {
    accountId: sim.venue.account,
    netLiquidation: dollarsToCents(Number(values['NetLiquidation'])),
    availableFunds: dollarsToCents(Number(values['AvailableFunds'])),
  });
  assert.deepEqual(snapshot.events, EVENTS);
  assert.deepEqual(snapshot.hedgeBook, []);

  // A held layer beyond the 60-day window still gets its chain, so the planner can value it.
  const far = sim.market.registry
    .vixExpiries()
    .find((e) => e.tradingClass === 'VIX' && calendarDaysBetween(TODAY, e.expiry) > 60);
  assert.ok(far, 'the simulator lists a VIX monthly beyond 60 days');
  const layer: HeldLayer = {
    layerId: 'L-held',
    templateId: 'A',
    kind: 'call',
    tradingClass: 'VIX',
    expiry: far.expiry,
    longStrike: 25,
    shortStrike: null,
    quantity: 3,
    entryPrice: toPriceCents(1.2),
    openedOn: '2026-03-02',
  };
  const withBook = await createSimMarketData(sim, calendar).captureSnapshot({
    events: [],
    hedgeBook: [layer],
  });
  assert.deepEqual(withBook.hedgeBook, [layer]);
  assert.ok(withBook.vixOptions.some((c) => c.tradingClass === 'VIX' && c.expiry === far.expiry));
  assert.deepEqual(parseSnapshot(serializeSnapshot(withBook), 'sim snapshot'), withBook);
});

test('the planner trades the snapshot and every planned leg is a listed simulator contract', async () => {
  const { plan } = await runDemo({
    marketData: createSimMarketData(sim, calendar),
    strategy,
    calendar,
    events: EVENTS,
  });
  assert.deepEqual(checkPlan(plan, strategy), []);
  assert.equal(plan.cycleDate, TODAY);
  const condor = plan.condor;
  assert.ok(condor, `no condor: ${JSON.stringify(plan.outcome)}`);
  const condorOrder = plan.orders.find((o) => o.kind === 'condor-open');
  assert.ok(condorOrder);
  assert.deepEqual(
    condorOrder.legs.map((l) => l.contract.strike).sort((a, b) => a - b),
    [condor.longPut, condor.shortPut, condor.shortCall, condor.longCall],
  );
  for (const order of plan.orders) {
    for (const leg of order.legs) {
      const c = leg.contract;
      const found = sim.market.findContracts({
        secType: 'OPT',
        symbol: c.symbol,
        tradingClass: c.tradingClass,
        lastTradeDateOrContractMonth: compact(c.expiry),
        strike: c.strike,
        right: c.right,
      });
      assert.equal(found.length, 1, `${order.key}: ${c.tradingClass} ${c.expiry} ${c.strike}${c.right}`);
      assert.equal(found[0]?.multiplier, c.multiplier);
    }
  }
});

test('a later capture follows the virtual clock', async () => {
  const clock = sim.clock;
  clock.advance(10 * 60_000);
  const later = await createSimMarketData(sim, calendar).captureSnapshot({ events: [], hedgeBook: [] });
  assert.equal(later.asOf, '2026-03-16T15:55:00-04:00');
  assert.equal(nyDate(later.asOf), TODAY);
  assert.equal(later.spx.spot, Math.round(sim.market.spot('SPX') * 100) / 100);
  assert.equal(later.history.at(-1)?.spxClose, later.spx.spot);
});
