// Property: over random markets, books, strategies and quote defects, every plan keeps its invariants
// (checkPlan) and buildPlan is deterministic. Seeded, so a failure reproduces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import { cents, priceCents } from '../../src/domain/money.ts';
import type { HeldLayer, MarketSnapshot, OptionQuote } from '../../src/domain/snapshot.ts';
import type { EventPolicy, StrategyConfig } from '../../src/domain/strategy.ts';
import { defaultStrategy } from '../support/default-strategy.ts';
import { makeSnapshot, sessionHistory, testCalendar } from '../support/snapshot-factory.ts';

/** Cycle times: ordinary days, a Friday before a weekend, the day before Good Friday, an early close. */
const AS_OF = [
  '2026-03-10T15:45:00-04:00',
  '2026-03-13T15:45:00-04:00',
  '2026-04-02T15:45:00-04:00',
  '2026-06-17T15:45:00-04:00',
  '2026-11-27T12:45:00-05:00',
  '2026-12-22T15:45:00-05:00',
  '2027-01-05T10:30:00-05:00',
];

const market = fc.record({
  asOf: fc.constantFrom(...AS_OF),
  spot: fc.integer({ min: 2000, max: 7000 }),
  atmIv: fc.double({ min: 0.08, max: 0.6, noNaN: true }),
  putSkew: fc.double({ min: 0, max: 0.3, noNaN: true }),
  callSkew: fc.double({ min: 0, max: 0.12, noNaN: true }),
  spreadShare: fc.double({ min: 0.005, max: 0.12, noNaN: true }),
  withGreeks: fc.boolean(),
  vixSpot: fc.double({ min: 10, max: 60, noNaN: true }),
  contango: fc.double({ min: -5, max: 3, noNaN: true }),
  vixVol: fc.double({ min: 0.5, max: 1.6, noNaN: true }),
  vix9d: fc.option(fc.double({ min: 8, max: 70, noNaN: true }), { nil: null }),
  vixHorizonDays: fc.integer({ min: 5, max: 80 }),
  eventOnExpiry: fc.boolean(),
  // SPX history against spot: above the average (gate shut), below it (open), or none (not available).
  trendGap: fc.option(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { nil: null }),
});

const strategyArb = fc.record({
  hedgeBudgetPct: fc.double({ min: 0.005, max: 0.8, noNaN: true }),
  maxHedgePremiumPerCycle: fc.integer({ min: 5_000, max: 1_000_000 }),
  maxCondors: fc.integer({ min: 1, max: 20 }),
  maxRiskPerCycle: fc.integer({ min: 100_000, max: 5_000_000 }),
  minEmMultiple: fc.double({ min: 0.5, max: 1.6, noNaN: true }),
  minCreditPctOfWidth: fc.double({ min: 0.01, max: 0.12, noNaN: true }),
  baseCoverage: fc.double({ min: 0.2, max: 1.2, noNaN: true }),
  eventPolicy: fc.constantFrom<EventPolicy>('skip', 'normal', 'upsize-hedge'),
  trimEnabled: fc.boolean(),
  maxDebitShare: fc.double({ min: 0, max: 1, noNaN: true }),
  steps: fc.integer({ min: 1, max: 8 }),
  trendGateQtyFactor: fc.constantFrom(0, 0.5, 1),
});

const layerArb = fc.record({
  chain: fc.nat(),
  strikeOffset: fc.integer({ min: -2, max: 15 }),
  width: fc.integer({ min: 0, max: 8 }),
  quantity: fc.integer({ min: 1, max: 120 }),
});

const defectArb = fc.option(
  fc.record({
    index: fc.nat(),
    kind: fc.constantFrom('bid0', 'crossed', 'stale', 'wide'),
  }),
  { nil: null },
);

type StrategyParams = typeof strategyArb extends fc.Arbitrary<infer T> ? T : never;

function strategyFrom(p: StrategyParams): StrategyConfig {
  const base = defaultStrategy();
  return {
    ...base,
    condor: {
      ...base.condor,
      maxCondors: p.maxCondors,
      maxRiskPerCycle: cents(p.maxRiskPerCycle),
      minEmMultiple: p.minEmMultiple,
      minCreditPctOfWidth: p.minCreditPctOfWidth,
      eventPolicy: p.eventPolicy,
    },
    sizing: {
      ...base.sizing,
      hedgeBudgetPct: p.hedgeBudgetPct,
      maxHedgePremiumPerCycle: cents(p.maxHedgePremiumPerCycle),
      baseCoverage: p.baseCoverage,
      trim: { ...base.sizing.trim, enabled: p.trimEnabled },
      trendGateQtyFactor: p.trendGateQtyFactor,
    },
    execution: {
      ...base.execution,
      hedgeMaxDebitSpreadShare: p.maxDebitShare,
      hedgeLadder: { ...base.execution.hedgeLadder, steps: p.steps },
      condorLadder: { ...base.execution.condorLadder, steps: p.steps + 1 },
    },
  };
}

type LayerParams = typeof layerArb extends fc.Arbitrary<infer T> ? T : never;

/** Held layers on the snapshot's own chains (some strikes may be unlisted: unpriced layers are valid input). */
function bookFor(s: MarketSnapshot, layers: readonly LayerParams[]): HeldLayer[] {
  if (s.vixOptions.length === 0) return [];
  return layers.map((l, i) => {
    const chain = s.vixOptions[l.chain % s.vixOptions.length]!;
    const longStrike = Math.max(9, Math.round(chain.futurePrice) + l.strikeOffset);
    const spread = l.width > 0;
    return {
      layerId: `P${i}`,
      templateId: spread ? 'B' : 'A',
      kind: spread ? 'callSpread' : 'call',
      tradingClass: chain.tradingClass,
      expiry: chain.expiry,
      longStrike,
      shortStrike: spread ? longStrike + l.width : null,
      quantity: l.quantity,
      entryPrice: priceCents(100),
      openedOn: '2026-01-02',
    };
  });
}

function withDefect(s: MarketSnapshot, d: { index: number; kind: string } | null): MarketSnapshot {
  if (d === null) return s;
  const target = d.index % s.spxw.quotes.length;
  const broken = (q: OptionQuote): OptionQuote => {
    switch (d.kind) {
      case 'bid0':
        return { ...q, bid: priceCents(0) };
      case 'crossed':
        return { ...q, bid: priceCents(q.ask + 10) };
      case 'stale':
        return { ...q, ageSeconds: 10_000 };
      default:
        return { ...q, ask: priceCents(q.bid + 200) };
    }
  };
  return { ...s, spxw: { ...s.spxw, quotes: s.spxw.quotes.map((q, i) => (i === target ? broken(q) : q)) } };
}

describe('plan invariants (property)', () => {
  it('every plan passes checkPlan and buildPlan is deterministic', () => {
    const calendar = testCalendar();
    // Outcome reasons and order kinds seen, to show the generator reaches every branch.
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(
        market,
        strategyArb,
        fc.array(layerArb, { maxLength: 4 }),
        defectArb,
        (m, sp, layers, defect) => {
          const bare = makeSnapshot({
            asOf: m.asOf,
            spot: m.spot,
            atmIv: m.atmIv,
            putSkew: m.putSkew,
            callSkew: m.callSkew,
            spreadShare: m.spreadShare,
            withGreeks: m.withGreeks,
            vixSpot: m.vixSpot,
            contango: m.contango,
            vixVol: m.vixVol,
            vix9d: m.vix9d,
            vixHorizonDays: m.vixHorizonDays,
            history:
              m.trendGap === null ? [] : sessionHistory(m.asOf, 60, () => m.spot * (1 + (m.trendGap ?? 0))),
          });
          const events = m.eventOnExpiry ? [{ date: bare.spxw.expiry, kind: 'CPI' as const }] : [];
          const snapshot = withDefect({ ...bare, hedgeBook: bookFor(bare, layers), events }, defect);
          const strategy = strategyFrom(sp);
          const plan = buildPlan({ snapshot, strategy, calendar, mode: 'sim' });
          const reason = plan.outcome.kind === 'trade' ? 'trade' : plan.outcome.reason;
          outcomes.set(reason, (outcomes.get(reason) ?? 0) + 1);
          const gate = `gate-${plan.trendGate.status}`;
          outcomes.set(gate, (outcomes.get(gate) ?? 0) + 1);
          // A shut gate with factor 0 never lets a condor or a new layer through.
          if (plan.trendGate.status === 'shut' && sp.trendGateQtyFactor === 0)
            assert.ok(!plan.orders.some((o) => o.kind === 'condor-open' || o.kind === 'hedge-open'));
          for (const o of plan.orders) outcomes.set(o.kind, (outcomes.get(o.kind) ?? 0) + 1);
          assert.deepEqual(
            checkPlan(plan, strategy),
            [],
            `violations for ${JSON.stringify({ m, sp, layers, defect })}`,
          );
          assert.deepEqual(buildPlan({ snapshot, strategy, calendar, mode: 'sim' }), plan);
        },
      ),
      { seed: 20260310, numRuns: 150 },
    );
    // The generator must reach trades and refusals, with the gate open and shut, or the property says little.
    assert.ok((outcomes.get('trade') ?? 0) >= 20, `trades: ${JSON.stringify([...outcomes])}`);
    for (const kind of [
      'hedge-open',
      'hedge-roll-close',
      'hedge-trim',
      'condor-open',
      'budget',
      'bad-quotes',
      'trend-gate',
      'gate-open',
      'gate-shut',
      'gate-not-available',
    ]) {
      assert.ok((outcomes.get(kind) ?? 0) > 0, `never reached ${kind}: ${JSON.stringify([...outcomes])}`);
    }
  });
});
