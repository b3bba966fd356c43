import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { demoEntryTime } from '../../src/app/demo.ts';
import { planFromGateway } from '../../src/app/plan-from-gateway.ts';
import { openGateway } from '../../src/cli/wiring/gateway.ts';
import { LIFTED_PACING_LIMITS } from '../../src/adapters/ib/pacing.ts';
import { loadCalendarData, loadEvents } from '../../src/config/calendar-file.ts';
import { projectPath } from '../../src/config/paths.ts';
import { loadStrategy } from '../../src/config/strategy-file.ts';
import { createNyseCalendar } from '../../src/domain/calendar.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import { launchSimulator } from '../../src/cli/wiring/simulator.ts';

const calendar = createNyseCalendar(loadCalendarData());
// The trend gate off: these sessions check that planned legs are listed contracts, so every
// simulated day must trade whatever the simulated trend (the gate has its own tests).
const shipped = loadStrategy(projectPath('strategies/alvh-default.json'));
const strategy = { ...shipped, sizing: { ...shipped.sizing, trendGateSma: 0 } };
const events = loadEvents();
/** Speed, not pacing: pacing has its own tests. */
const LIFTED = { maxMessagesPerSecond: 1_000_000, maxMarketDataLines: 1_000_000 };

// A Friday (expiry Monday), the eve of an FOMC decision, an early close (entry 12:45) and the
// session before a holiday, each with another market seed: the simulator and the planner agree.
const cases = [
  { from: '2026-03-20', seed: 1 },
  { from: '2026-04-28', seed: 2 },
  { from: '2026-11-27', seed: 3 },
  { from: '2026-12-31', seed: 4 },
] as const;

for (const c of cases) {
  test(`a cycle on the simulator at ${c.from} (seed ${c.seed}) gives a valid plan on listed contracts`, async () => {
    const at = demoEntryTime(calendar, strategy, c.from);
    const sim = await launchSimulator({
      virtualTime: true,
      startAt: at,
      seed: c.seed,
      port: 0,
      limits: LIFTED,
    });
    // The real path: the IB adapter over TCP to the simulator, as the demo and a paper run connect.
    const gateway = await openGateway({
      host: sim.host,
      port: sim.port,
      clientId: 5,
      account: null,
      mode: 'sim',
      purpose: 'read',
      logger: silentLogger,
      pacing: LIFTED_PACING_LIMITS,
    });
    try {
      const built = await planFromGateway({
        marketData: gateway.marketData,
        broker: gateway.broker,
        strategy,
        calendar,
        events,
        rates: { riskFree: 0.04, spxDividendYield: 0.013 },
        mode: 'sim',
      });
      assert.ok(built.ok, built.ok ? '' : built.error.detail);
      const { plan, snapshot } = built.value;
      assert.equal(snapshot.asOf, at);
      assert.equal(plan.cycleDate, at.slice(0, 10));
      assert.equal(snapshot.spxw.expiry, calendar.nextTradingDay(at.slice(0, 10)));
      assert.deepEqual(checkPlan(plan, strategy), []);
      // Ordinary simulated days trade, so the leg checks below are never vacuous.
      assert.ok(
        plan.orders.some((o) => o.kind === 'condor-open'),
        `no condor: ${JSON.stringify(plan.outcome)}`,
      );
      if (c.from === '2026-04-28') assert.deepEqual(plan.event?.kinds, ['FOMC']);
      for (const order of plan.orders) {
        for (const leg of order.legs) {
          const found = sim.market.findContracts({
            secType: 'OPT',
            symbol: leg.contract.symbol,
            tradingClass: leg.contract.tradingClass,
            lastTradeDateOrContractMonth: leg.contract.expiry.replaceAll('-', ''),
            strike: leg.contract.strike,
            right: leg.contract.right,
          });
          assert.equal(found.length, 1, `${order.key}: ${JSON.stringify(leg.contract)} is listed once`);
        }
      }
    } finally {
      await gateway.close();
      await sim.close();
    }
  });
}
