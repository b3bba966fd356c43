// The hedge book across cycles (docs/strategy.md sections 2 and 3), at the domain level: a run of
// daily cycles planned one after another, the book of day n+1 being day n's book plus day n's
// planned fills (every order filled in full), the clock one NYSE session later, VIX on a seeded path.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { heldLayerOf } from '../../../src/domain/hedge/book.ts';
import { buildPlan } from '../../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../../src/domain/plan/check-plan.ts';
import type { Plan } from '../../../src/domain/plan/types.ts';
import type { HeldLayer, OpenCondor } from '../../../src/domain/snapshot.ts';
import type { StrategyConfig } from '../../../src/domain/strategy.ts';
import type { IsoDate } from '../../../src/domain/instruments.ts';
import { createRng } from '../../../src/sim/rng.ts';
import { defaultStrategy, strategyWith } from '../../support/default-strategy.ts';
import { makeSnapshot, testCalendar } from '../../support/snapshot-factory.ts';

interface Day {
  readonly date: IsoDate;
  readonly vixSpot: number;
  readonly spot: number;
  readonly plan: Plan;
}

interface CampaignOptions {
  readonly seed: number;
  readonly sessions: number;
  readonly strategy: StrategyConfig;
  /** VIX jumps by this many points on this session index (a spike), then reverts. */
  readonly spike?: { readonly day: number; readonly points: number };
}

/** Day n's book as held after its plan fills completely: the book after, without its valuation. */
function heldAfter(plan: Plan, nextDate: IsoDate): HeldLayer[] {
  return plan.hedgeBookAfter.filter((l) => l.expiry >= nextDate).map(heldLayerOf);
}

/** The condor day n sold, still open at day n+1's entry (it settles at that day's close). */
function soldCondor(plan: Plan): OpenCondor[] {
  if (plan.condor === null || plan.condorQuantity === 0) return [];
  const c = plan.condor;
  return [
    {
      planId: plan.planId,
      expiry: c.expiry,
      shortPut: c.shortPut,
      longPut: c.longPut,
      shortCall: c.shortCall,
      longCall: c.longCall,
      quantity: plan.condorQuantity,
      credit: c.credit,
      openedOn: plan.cycleDate,
    },
  ];
}

function runCampaign(o: CampaignOptions): Day[] {
  const cal = testCalendar();
  const rng = createRng(o.seed);
  let date: IsoDate = '2026-03-10';
  let vix = 16;
  let spot = 6000;
  let book: HeldLayer[] = [];
  let open: OpenCondor[] = [];
  const days: Day[] = [];
  for (let i = 0; i < o.sessions; i++) {
    // Mean-reverting VIX with seeded shocks; SPX moves against it.
    const shock = o.spike?.day === i ? o.spike.points : 0;
    const dv = 0.15 * (16 - vix) + 0.9 * rng.normal() + shock;
    vix = Math.min(60, Math.max(10, vix + dv));
    spot = Math.round(spot * (1 - dv * 0.004) * 100) / 100;
    const asOf = `${date}T15:45:00${date < '2026-03-08' || date >= '2026-11-01' ? '-05:00' : '-04:00'}`;
    const snapshot = makeSnapshot({
      asOf,
      spot,
      vixSpot: Math.round(vix * 100) / 100,
      atmIv: Math.max(0.08, vix / 100),
      hedgeBook: book,
      openCondors: open,
    });
    const plan = buildPlan({ snapshot, strategy: o.strategy, calendar: cal, mode: 'sim' });
    assert.deepEqual(checkPlan(plan, o.strategy), [], `${date}: the plan keeps its invariants`);
    days.push({ date, vixSpot: snapshot.vix.spot, spot, plan });
    const next = cal.nextTradingDay(date);
    book = heldAfter(plan, next);
    open = soldCondor(plan);
    date = next;
  }
  return days;
}

const STRATEGY = defaultStrategy();
const MIN_DTE = STRATEGY.hedge.minHedgeDte;
const calm = runCampaign({ seed: 7, sessions: 24, strategy: STRATEGY });

const ordersOf = (p: Plan, kind: string) => p.orders.filter((o) => o.kind === kind);

describe('multi-cycle: layers carried forward and rolled at minHedgeDte', () => {
  it('every plan of the run keeps its invariants, and the run trades on most days', () => {
    const traded = calm.filter((d) => d.plan.outcome.kind === 'trade').length;
    assert.ok(traded >= calm.length * 0.8, `${traded} of ${calm.length} sessions traded`);
  });

  it('layers bought on day n are held, with their stress P&L, on day n+1', () => {
    for (let i = 0; i + 1 < calm.length; i++) {
      const bought = ordersOf(calm[i]!.plan, 'hedge-open').map((o) => o.layerId);
      const nextBefore = calm[i + 1]!.plan.hedgeBookBefore;
      for (const id of bought) {
        const l = nextBefore.find((x) => x.layerId === id);
        assert.ok(l !== undefined, `${calm[i + 1]!.date}: layer ${id} carried forward`);
        if (l.counts) assert.ok(l.stressPnlPerContract > 0, `${id} carries its stress P&L`);
      }
    }
  });

  /** What the plan's rationale says the roll did with a layer, or null when none was due. */
  const rollOf = (p: Plan, layerId: string): string | null => {
    const e = p.rationale.find((x) => x.kind === 'roll' && x.layer.layerId === layerId);
    return e?.kind === 'roll' ? e.action.kind : null;
  };

  it('"a layer below minHedgeDte is sold back (scheduled roll)": at the first cycle below it, in full', () => {
    let rolls = 0;
    for (const d of calm) {
      for (const l of d.plan.hedgeBookBefore) {
        const roll = d.plan.orders.find((o) => o.kind === 'hedge-roll-close' && o.layerId === l.layerId);
        if (l.dte >= MIN_DTE) {
          assert.equal(roll, undefined, `${d.date}: ${l.layerId} at ${l.dte} days is not rolled`);
          continue;
        }
        assert.equal(l.counts, false, `${d.date}: ${l.layerId} below minHedgeDte no longer counts`);
        const action = rollOf(d.plan, l.layerId);
        if (action === 'sell') {
          assert.equal(roll?.quantity, l.quantity, `${d.date}: ${l.layerId} sold in full`);
          rolls++;
        } else
          assert.ok(action === 'not-offered' || action === 'expired', `${d.date}: ${l.layerId}: ${action}`);
      }
    }
    assert.ok(rolls > 0, 'the run is long enough for layers to reach minHedgeDte');
  });

  it('"A layer nobody bids for ... stops counting and is left to settle at its expiry"', () => {
    let notOffered = 0;
    for (let i = 0; i + 1 < calm.length; i++) {
      const p = calm[i]!.plan;
      const next = calm[i + 1]!.plan.hedgeBookBefore;
      for (const l of p.hedgeBookBefore.filter((x) => x.dte < MIN_DTE)) {
        const kept = next.find((x) => x.layerId === l.layerId);
        if (rollOf(p, l.layerId) === 'sell') assert.equal(kept, undefined, `${l.layerId} left the book`);
        else if (l.expiry >= calm[i + 1]!.date) {
          notOffered++;
          assert.ok(kept !== undefined && !kept.counts, `${l.layerId} stays, not counted, until it settles`);
        }
      }
    }
    assert.ok(notOffered > 0, 'a far spread leg bid 0 in its last week happens in the run');
  });
});

describe('multi-cycle: "New contracts are bought only for the shortfall"', () => {
  it('no purchase when the book already covers, and such days happen', () => {
    let coveredDays = 0;
    for (const d of calm) {
      const p = d.plan;
      if (p.outcome.kind !== 'trade') continue;
      const opened = ordersOf(p, 'hedge-open');
      if (p.coverage.existingStressPnl >= p.coverage.requiredStressPnl) {
        assert.equal(opened.length, 0, `${d.date}: the book covers, nothing bought`);
        coveredDays++;
      } else assert.ok(opened.length > 0, `${d.date}: a shortfall is bought`);
    }
    assert.ok(coveredDays > 0, 'the carried book covers the condor on some days');
  });

  it('the shortfall is split by template share, each part rounded up (A 60%, B 40%)', () => {
    for (const d of calm) {
      const p = d.plan;
      const opened = ordersOf(p, 'hedge-open');
      if (opened.length === 0) continue;
      const shortfall = p.coverage.requiredStressPnl - p.coverage.existingStressPnl;
      for (const o of opened) {
        const share = STRATEGY.hedge.templates.find((t) => t.id === o.templateId)!.share;
        const need = Math.ceil((share * shortfall) / o.stressPnlPerContract - 1e-9);
        assert.ok(o.quantity >= need, `${d.date} ${o.templateId}: ${o.quantity} >= ${need}`);
        // At most one contract above the share's need (the top-up for float shares).
        assert.ok(o.quantity <= need + 1, `${d.date} ${o.templateId}: ${o.quantity} <= ${need} + 1`);
      }
    }
  });
});

describe('multi-cycle: "The hedge is never cut below coverage to make a bigger condor fit"', () => {
  const tight = runCampaign({
    seed: 7,
    sessions: 12,
    strategy: strategyWith({ sizing: { hedgeBudgetPct: 0.05 } }),
  });

  it('with a tight carry budget the condor shrinks (or is skipped), the coverage never', () => {
    let shrunk = 0;
    for (let i = 0; i < tight.length; i++) {
      const p = tight[i]!.plan;
      if (p.outcome.kind === 'trade') {
        const c = p.coverage;
        assert.ok(c.existingStressPnl + c.newStressPnl >= c.requiredStressPnl, `${tight[i]!.date}: covered`);
        assert.ok(c.coverageRatio !== null && c.coverageRatio >= c.coverageTarget - 1e-9);
      }
      if (p.condorQuantity < calm[i]!.plan.condorQuantity) shrunk++;
    }
    assert.ok(shrunk > 0, 'the budget bound the condor on some day');
  });

  it('the budget is never exceeded by new purchases', () => {
    for (const d of tight) {
      const b = d.plan.budget;
      if (b === null || d.plan.condorQuantity === 0) continue;
      assert.ok(b.newCarry <= b.carryBudget, `${d.date}: carry ${b.newCarry} <= budget ${b.carryBudget}`);
    }
  });
});

describe('multi-cycle: the previous condor and the trim after a VIX spike', () => {
  it("each day's requirement adds the previous condor's stress loss, which settles the same day", () => {
    for (let i = 1; i < calm.length; i++) {
      const p = calm[i]!.plan;
      const prev = calm[i - 1]!.plan;
      const open = p.openCondors ?? [];
      assert.equal(open.length, prev.condorQuantity > 0 ? 1 : 0);
      for (const r of open) {
        assert.equal(r.condor.expiry, p.cycleDate, 'it expires at this cycle date');
        assert.equal(r.remainingMinutes, 15);
      }
    }
  });

  it('"sell layers down to trimTo x that requirement" after a spike, never below it', () => {
    const spiked = runCampaign({
      seed: 11,
      sessions: 12,
      strategy: STRATEGY,
      spike: { day: 6, points: 14 },
    });
    let trims = 0;
    for (const d of spiked) {
      const check = d.plan.rationale.find((e) => e.kind === 'trim-check');
      const sold = ordersOf(d.plan, 'hedge-trim');
      if (sold.length === 0) continue;
      trims++;
      assert.ok(check?.kind === 'trim-check' && check.targetCents !== null);
      assert.ok(check.bookStressPnlCents > check.thresholdCents, `${d.date}: above trimAbove`);
      const released = sold.reduce((s, o) => s + o.stressPnlPerContract * o.quantity, 0);
      assert.ok(check.bookStressPnlCents - released >= check.targetCents, `${d.date}: not below trimTo`);
    }
    assert.ok(trims > 0, 'the spike made the book over-cover and a trim sold some of it');
  });
});

describe('multi-cycle: determinism', () => {
  it('the same seed gives the same plans', () => {
    const again = runCampaign({ seed: 7, sessions: 8, strategy: STRATEGY });
    assert.deepEqual(
      again.map((d) => d.plan),
      calm.slice(0, 8).map((d) => d.plan),
    );
  });
});
