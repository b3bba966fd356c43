// Money caps given as a share of net liquidation (docs/strategy.md section 1 "Max loss and caps" and
// section 3 "Cash guard"): resolved against the snapshot's account at plan time, shown in the plan,
// and a clear "no trade" when there is no net liquidation to resolve against.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { AccountState, MarketSnapshot } from '../../src/domain/snapshot.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';
import { cents } from '../../src/domain/money.ts';
import { strategyWith } from '../support/default-strategy.ts';
import { heldLayer, makeSnapshot, testCalendar } from '../support/snapshot-factory.ts';
import { noTradeDetailText, rationaleText } from '../support/plan-text.ts';

const account = (netLiquidationCents: number): AccountState => ({
  accountId: 'DU1234567',
  netLiquidation: cents(netLiquidationCents),
  availableFunds: cents(netLiquidationCents),
});

function plan(s: MarketSnapshot, strategy: StrategyConfig): Plan {
  const p = buildPlan({ snapshot: s, strategy, calendar: testCalendar(), mode: 'sim' });
  assert.deepEqual(checkPlan(p, strategy), [], 'the plan keeps its invariants');
  return p;
}

/** The plan without the rationale lines that name where the caps came from. */
function decisions(p: Plan): unknown {
  const { riskCaps: _caps, rationale, ...rest } = p;
  return { ...rest, rationale: rationale.filter((e) => e.kind !== 'risk-caps') };
}

const NET_LIQ = 10_000_000; // $100,000.00

describe('maxRiskPerCycle as {"pctOfNetLiq": ...}', () => {
  const snapshot = { ...makeSnapshot(), account: account(NET_LIQ) };
  // 7% of $100,000 = $7,000: binds below maxCondors, so the share decides q.
  const pct = plan(snapshot, strategyWith({ condor: { maxRiskPerCycle: { pctOfNetLiq: 0.07 } } }));
  const fixed = plan(snapshot, strategyWith({ condor: { maxRiskPerCycle: cents(700_000) } }));

  it('sizes exactly as the dollar cap it resolves to (7% of $100,000 = $7,000)', () => {
    assert.equal(pct.riskCaps?.maxRiskPerCycle.cents, 700_000);
    assert.ok(pct.condorQuantity > 0 && pct.condorQuantity < 10, 'the share cap binds below maxCondors');
    assert.equal(
      pct.budget?.binding.kind === 'cap' && pct.budget.binding.cap.binding.kind,
      'maxRiskPerCycle',
    );
    assert.deepEqual(decisions(pct), decisions(fixed));
  });

  it('the plan shows the dollar figure and what it came from', () => {
    assert.deepEqual(pct.riskCaps?.maxRiskPerCycle.source, {
      kind: 'pctOfNetLiq',
      pct: 0.07,
      netLiquidationCents: NET_LIQ,
    });
    assert.deepEqual(pct.riskCaps?.maxHedgePremiumPerCycle, {
      name: 'maxHedgePremiumPerCycle',
      cents: 500_000,
      source: { kind: 'fixed' },
    });
    assert.match(
      rationaleText(pct),
      /risk caps: maxRiskPerCycle \$7,000\.00 = 7% of net liquidation \$100,000\.00; maxHedgePremiumPerCycle \$5,000\.00 \(fixed\)/,
    );
    assert.ok(!rationaleText(fixed).includes('risk caps:'), 'fixed caps add no line');
  });

  it('rounds down to a cent: a cap never resolves above its share', () => {
    const odd = { ...snapshot, account: account(333_333) };
    const p = plan(odd, strategyWith({ condor: { maxRiskPerCycle: { pctOfNetLiq: 0.02 } } }));
    assert.equal(p.riskCaps?.maxRiskPerCycle.cents, 6_666);
  });

  it('checkPlan flags a resolution that is not the share of the recorded net liquidation', () => {
    const strategy = strategyWith({ condor: { maxRiskPerCycle: { pctOfNetLiq: 0.07 } } });
    const caps = pct.riskCaps!;
    const forged: Plan = {
      ...pct,
      riskCaps: { ...caps, maxRiskPerCycle: { ...caps.maxRiskPerCycle, cents: cents(90_000) } },
    };
    assert.ok(
      checkPlan(forged, strategy).some((v) => /maxRiskPerCycle resolved to 90000, not 0.07 x/.test(v)),
    );
    const unresolved: Plan = { ...pct, riskCaps: null };
    assert.ok(
      checkPlan(unresolved, strategy).some((v) =>
        /share of net liquidation and the plan resolved none/.test(v),
      ),
    );
  });
});

describe('maxHedgePremiumPerCycle as {"pctOfNetLiq": ...}', () => {
  it('binds the cash guard exactly as the dollar amount it resolves to', () => {
    const snapshot = { ...makeSnapshot(), account: account(NET_LIQ) };
    const pct = plan(snapshot, strategyWith({ sizing: { maxHedgePremiumPerCycle: { pctOfNetLiq: 0.015 } } }));
    const fixed = plan(snapshot, strategyWith({ sizing: { maxHedgePremiumPerCycle: cents(150_000) } }));
    assert.equal(pct.budget?.premiumCap, 150_000);
    assert.deepEqual(decisions(pct), decisions(fixed));
    assert.equal(pct.budget?.binding.kind, 'verdict', 'a $1,500 cash guard binds on the default snapshot');
  });
});

describe('a share cap without net liquidation is a clear "no trade", never a crash', () => {
  const strategy = strategyWith({ condor: { maxRiskPerCycle: { pctOfNetLiq: 0.02 } } });

  it('no account in the snapshot: no condor, no new layer, the reason names the cap', () => {
    const p = plan(makeSnapshot(), strategy);
    assert.equal(p.outcome.kind === 'no-trade' && p.outcome.reason, 'no-net-liquidation');
    assert.equal(p.condorQuantity, 0);
    assert.ok(!p.orders.some((o) => o.kind === 'hedge-open' || o.kind === 'condor-open'));
    assert.equal(p.riskCaps, null);
    assert.equal(
      noTradeDetailText(p),
      'maxRiskPerCycle is a share of net liquidation and the snapshot carries no account: no dollar figure to size against',
    );
  });

  it('a net liquidation of zero or less is the same no trade, with the figure', () => {
    const p = plan({ ...makeSnapshot(), account: account(-5_000) }, strategy);
    assert.equal(p.outcome.kind === 'no-trade' && p.outcome.reason, 'no-net-liquidation');
    assert.match(noTradeDetailText(p), /net liquidation is -\$50\.00/);
  });

  it('scheduled rolls still happen (docs/strategy.md section 2: rolls at every cycle point)', () => {
    const due = heldLayer({
      layerId: 'OLD',
      expiry: '2026-03-18',
      tradingClass: 'VIX',
      longStrike: 17,
      quantity: 5,
    });
    const p = plan(makeSnapshot({ asOf: '2026-03-12T15:45:00-04:00', hedgeBook: [due] }), strategy);
    assert.equal(p.outcome.kind === 'no-trade' && p.outcome.reason, 'no-net-liquidation');
    assert.deepEqual(
      p.orders.map((o) => `${o.kind} ${o.layerId ?? ''}`),
      ['hedge-roll-close OLD'],
    );
  });
});
