// Campaigns through the real wire: the daemon, the trading cycle runner, the IB adapter over TCP
// and the simulator on a virtual clock (test/app/campaign-rig.ts). One 20-day campaign with the
// shipped strategy (seed 42, the demo's market: purchases, trims, a roll, no-trade days) carries
// the multi-cycle checks; a property test runs short random campaigns.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { cycleSlot } from '../../src/app/daemon.ts';
import { journaledSettlementValues } from '../../src/app/report.ts';
import { loadEnv } from '../../src/config/env.ts';
import { projectPath } from '../../src/config/paths.ts';
import { loadStrategy } from '../../src/config/strategy-file.ts';
import { daemonSettings } from '../../src/cli/wiring/sim-campaign.ts';
import { simCalendar } from '../../src/cli/wiring/simulator.ts';
import type { IsoDate } from '../../src/domain/instruments.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';
import type { CampaignRecord } from './campaign-rig.ts';
import { CAMPAIGN_STRATEGY, runCampaignRig } from './campaign-rig.ts';

const SHIPPED = loadStrategy(projectPath('strategies/alvh-default.json'));
const config = loadEnv({ env: { IRONVIX_MODE: 'sim' }, envFile: '/dev/null' });
const calendar = simCalendar();

/** Every executor step: live condor contracts (working + filled) within what filled hedges allow. */
function assertCoveredAtEveryStep(rec: CampaignRecord): void {
  assert.ok(rec.steps.length > 0, 'the executor ran');
  for (const s of rec.steps)
    assert.ok(
      s.coverage.liveCondor <= s.coverage.allowedCondor,
      `${s.event.type} at ${new Date(s.event.atMs).toISOString()}: ${s.coverage.liveCondor} live > ${s.coverage.allowedCondor} allowed`,
    );
}

/** Every order write (intent, modify, cancel) lies inside its cycle's span: entry .. last start + plan length. */
function assertOrdersOnlyAtCyclePoints(rec: CampaignRecord, strategy: StrategyConfig): void {
  const settings = daemonSettings(config, strategy);
  const spans = rec.cycles.map((c) => {
    const slot = cycleSlot(calendar, c.cycleDate, settings);
    return { from: slot.entryAtMs, to: slot.lastStartAtMs + settings.planMinutes * 60_000 };
  });
  const orderWrites = rec.writes.filter((w) =>
    ['order-intended', 'order-modify-intended', 'order-cancel-requested'].includes(w.event.type),
  );
  assert.ok(orderWrites.length > 0, 'orders were sent');
  for (const w of orderWrites)
    assert.ok(
      spans.some((s) => w.atMs >= s.from && w.atMs <= s.to),
      `${w.event.type} at ${new Date(w.atMs).toISOString()} lies outside every cycle span`,
    );
}

function plansOf(rec: CampaignRecord): Plan[] {
  return rec.cycles.flatMap((c) =>
    c.result.kind === 'executed' || c.result.kind === 'no-trade' ? [c.result.plan] : [],
  );
}

describe('a 20-day campaign over TCP with the shipped strategy (seed 42)', () => {
  let rec: CampaignRecord;
  before(async () => {
    rec = await runCampaignRig({ days: 20, seed: 42, strategy: SHIPPED });
  });

  it('runs one cycle per trading day, each a plan executed by the real executor or a reasoned no-trade', () => {
    assert.equal(rec.cycles.length, 20);
    assert.equal(new Set(rec.cycles.map((c) => c.cycleDate)).size, 20, 'one cycle per date');
    const executed = rec.cycles.filter((c) => c.result.kind === 'executed');
    assert.ok(executed.length >= 10, `${executed.length} executed`);
    for (const c of executed) {
      if (c.result.kind !== 'executed') continue;
      assert.notEqual(c.result.outcome.kind, 'ABORTED', `${c.cycleDate}: ${c.result.outcome.reason}`);
      assert.equal(rec.journal.plan(c.result.plan.planId)?.end?.result, c.result.outcome.kind);
    }
    const noTrade = rec.cycles.filter((c) => c.result.kind === 'no-trade');
    for (const c of noTrade)
      if (c.result.kind === 'no-trade')
        assert.equal(c.result.plan.orders.length, 0, 'a no-trade day sends nothing');
  });

  it('live condor contracts never exceed what the filled hedges cover, at any executor step', () => {
    assertCoveredAtEveryStep(rec);
  });

  it('no order is written outside a cycle point', () => {
    assertOrdersOnlyAtCyclePoints(rec, SHIPPED);
  });

  it('layers roll at minHedgeDte: a layer below it is rolled at that cycle, never one above it', () => {
    const min = SHIPPED.hedge.minHedgeDte;
    let rolls = 0;
    for (const p of plansOf(rec)) {
      const rolled = new Set(p.orders.filter((o) => o.kind === 'hedge-roll-close').map((o) => o.layerId));
      rolls += rolled.size;
      for (const l of p.hedgeBookBefore) {
        if (l.quantity <= 0) continue;
        if (l.dte < min)
          assert.ok(rolled.has(l.layerId), `${p.cycleDate}: ${l.layerId} at ${l.dte} DTE not rolled`);
        else assert.ok(!rolled.has(l.layerId), `${p.cycleDate}: ${l.layerId} rolled at ${l.dte} DTE`);
      }
    }
    assert.ok(rolls > 0, 'the campaign reached a roll');
  });

  it('no purchase when the book already covers the requirement; a purchase only when it falls short', () => {
    let covered = 0;
    let short = 0;
    for (const p of plansOf(rec)) {
      if (p.outcome.kind !== 'trade') continue;
      const buys = p.orders.filter((o) => o.kind === 'hedge-open').length;
      const { existingStressPnl, requiredStressPnl } = p.coverage;
      if (existingStressPnl >= requiredStressPnl) {
        covered++;
        assert.equal(buys, 0, `${p.cycleDate}: bought with ${existingStressPnl} >= ${requiredStressPnl}`);
      } else {
        short++;
        assert.ok(buys > 0, `${p.cycleDate}: short of coverage and bought nothing`);
      }
    }
    assert.ok(covered > 0 && short > 0, `both cases met (covered ${covered}, short ${short})`);
  });

  it('the budget shrinks the condor, never the hedge: every traded plan is hedged to its target', () => {
    for (const p of plansOf(rec)) {
      if (p.outcome.kind !== 'trade') continue;
      const ratio = p.coverage.coverageRatio;
      assert.ok(
        ratio !== null && ratio >= p.coverage.coverageTarget - 1e-9,
        `${p.cycleDate}: ${ratio} < target`,
      );
      if (p.budget?.binding.kind === 'verdict')
        assert.ok(
          p.condorQuantity < SHIPPED.condor.maxCondors,
          `${p.cycleDate}: the budget bound at the cap`,
        );
    }
  });

  it("settlement values journaled from the broker's reports equal the simulator's to the cent", () => {
    const journaled = journaledSettlementValues(rec.journal);
    const expiries = new Set<IsoDate>();
    for (const c of rec.cycles)
      if (c.result.kind === 'executed' && c.result.plan.condor !== null && c.result.outcome.condorFilled > 0)
        expiries.add(c.result.plan.condor.expiry);
    assert.ok(expiries.size > 0);
    for (const d of expiries) {
      const v = journaled.find((x) => x.style === 'SPX-PM' && x.date === d);
      assert.ok(v !== undefined, `the SPX close of ${d} was journaled`);
      const sim = rec.simSpxCloses.get(d);
      assert.ok(sim !== undefined && sim !== null, `the simulator settled ${d}`);
      assert.equal(Math.round(v.value * 100), Math.round(sim * 100), d);
    }
    for (const s of rec.settlements)
      assert.deepEqual(s.pass.problems, [], `${s.date}: every due settlement booked`);
  });
});

describe('property: random short campaigns', () => {
  it('coverage holds at every step and orders are sent only at cycle points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 100_000 }),
          days: fc.integer({ min: 1, max: 3 }),
          offset: fc.integer({ min: 0, max: 40 }),
        }),
        async ({ seed, days, offset }) => {
          let d: IsoDate = '2026-03-16';
          for (let i = 0; i < offset; i++) d = calendar.nextTradingDay(d);
          const rec = await runCampaignRig({ days, seed, startAt: `${d}T15:45` });
          assert.equal(rec.cycles.length, days);
          assertCoveredAtEveryStep(rec);
          assertOrdersOnlyAtCyclePoints(rec, CAMPAIGN_STRATEGY);
        },
      ),
      { numRuns: 3, seed: 20261204, endOnFailure: true },
    );
  });
});
