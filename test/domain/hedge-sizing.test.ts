import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cents } from '../../src/domain/money.ts';
import { cents, priceCents } from '../../src/domain/money.ts';
import type { QuantityInput, TemplateSupply } from '../../src/domain/hedge/sizing.ts';
import {
  chooseQuantity,
  coverageTarget,
  planTrims,
  quantityCap,
  requirementCents,
  splitShortfall,
} from '../../src/domain/hedge/sizing.ts';

const offer = (
  id: string,
  share: number,
  stress: number,
  carry: number,
  premium: number,
): TemplateSupply => ({
  kind: 'offer',
  offer: {
    templateId: id,
    share,
    stressPnlPerContract: cents(stress),
    carryPerContract: cents(carry),
    premiumPerContract: cents(premium),
  },
});

const supplies = [offer('A', 0.6, 12_000, 400, 8_000), offer('B', 0.4, 6_000, 200, 4_000)];

function input(patch: Partial<QuantityInput> = {}): QuantityInput {
  return {
    cap: quantityCap(10, cents(1_000_000), cents(218_000)),
    coverageTarget: 0.6,
    stressLossPerContract: cents(218_000),
    existingStressPnl: cents(0),
    openCondorsStressLoss: cents(0),
    credit: priceCents(320),
    hedgeBudgetPct: 0.35,
    maxHedgePremiumPerCycle: cents(500_000),
    supplies,
    ...patch,
  };
}

const covered = (purchases: readonly { stressPnl: Cents }[]): number =>
  purchases.reduce((s, p) => s + p.stressPnl, 0);

describe('coverage target', () => {
  it('is base x regime multiplier clamped to [min, max]', () => {
    assert.equal(coverageTarget(0.6, 1, 0.3, 1.5), 0.6);
    assert.ok(Math.abs(coverageTarget(0.6, 1.3 * 1.15, 0.3, 1.5) - 0.897) < 1e-12);
    assert.equal(coverageTarget(0.6, 1.3 ** 4, 0.3, 1.5), 1.5);
    assert.equal(coverageTarget(0.6, 0.25, 0.3, 1.5), 0.3);
  });

  it('requirement is c x stress loss x q rounded up to a cent', () => {
    assert.equal(requirementCents(0.6, cents(218_000), 4), 523_200);
    assert.equal(requirementCents(0.7, cents(1001), 1), 701);
  });
});

describe('quantity cap', () => {
  it('is the smaller of maxCondors and floor(maxRiskPerCycle / max loss)', () => {
    assert.equal(quantityCap(10, cents(1_000_000), cents(218_000)).cap, 4);
    assert.equal(quantityCap(3, cents(1_000_000), cents(218_000)).cap, 3);
    assert.equal(quantityCap(10, cents(100_000), cents(218_000)).cap, 0);
  });
});

describe('shortfall split', () => {
  it('splits by share, rounds each template up to whole contracts, and covers the shortfall', () => {
    const r = splitShortfall(cents(100_000), supplies);
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.map((p) => [p.templateId, p.quantity]),
      [
        ['A', Math.ceil(60_000 / 12_000)],
        ['B', Math.ceil(40_000 / 6_000)],
      ],
    );
    assert.ok(covered(r.value) >= 100_000);
  });

  it('buys nothing without a shortfall, and fails when a needed template has no instrument', () => {
    assert.deepEqual(splitShortfall(cents(0), supplies), { ok: true, value: [] });
    const missing: TemplateSupply = {
      kind: 'unavailable',
      templateId: 'B',
      share: 0.4,
      reason: 'no-hedge-instrument',
      problem: { kind: 'no-expiry-in-window', tradingClasses: ['VIX'], window: [14, 45], minHedgeDte: 7 },
    };
    const r = splitShortfall(cents(1), [supplies[0]!, missing]);
    assert.ok(!r.ok);
    assert.equal(r.error.reason, 'no-hedge-instrument');
  });
});

describe('largest q under budget and cash guard', () => {
  it('takes the cap when purchases fit', () => {
    const d = chooseQuantity(input());
    assert.equal(d.chosen?.q, 4);
    assert.equal(d.binding.kind === 'cap' && d.binding.cap.binding.kind, 'maxRiskPerCycle');
  });

  it('a binding carry budget shrinks the condor, never the hedge', () => {
    // With part of the requirement already held, the carry of the shortfall grows faster than the budget.
    const existingStressPnl = cents(300_000);
    const loose = chooseQuantity(input({ existingStressPnl })).chosen!;
    const d = chooseQuantity(input({ existingStressPnl, hedgeBudgetPct: 0.05 }));
    const chosen = d.chosen!;
    assert.ok(chosen.q < loose.q, `q ${chosen.q} < ${loose.q}`);
    assert.deepEqual(d.binding, {
      kind: 'verdict',
      verdict: { kind: 'over', overBudget: true, overCash: false },
    });
    assert.ok(chosen.newCarry <= chosen.carryBudget);
    // The chosen q is still fully covered: the hedge is sized for it, not cut to fit.
    assert.ok(existingStressPnl + covered(chosen.purchases) >= chosen.required);
    assert.ok(chosen.purchases.length > 0);
    assert.ok(d.rejected!.newCarry > d.rejected!.carryBudget);
  });

  it('the cash guard binds on premium', () => {
    const d = chooseQuantity(input({ maxHedgePremiumPerCycle: cents(150_000) }));
    assert.deepEqual(d.binding, {
      kind: 'verdict',
      verdict: { kind: 'over', overBudget: false, overCash: true },
    });
    assert.ok(d.chosen!.newPremium <= 150_000);
    assert.ok(d.rejected!.newPremium > 150_000);
  });

  it('no q fits: no condor, and the attempt at q=1 explains why', () => {
    const d = chooseQuantity(input({ hedgeBudgetPct: 0.001 }));
    assert.equal(d.chosen, null);
    assert.equal(d.rejected?.q, 1);
    assert.deepEqual(d.binding, {
      kind: 'verdict',
      verdict: { kind: 'over', overBudget: true, overCash: false },
    });
  });

  it('existing coverage reduces buying; a covering book buys nothing and trades the cap', () => {
    const none = chooseQuantity(input()).chosen!;
    const some = chooseQuantity(input({ existingStressPnl: cents(300_000) })).chosen!;
    assert.ok(covered(some.purchases) < covered(none.purchases));
    const full = chooseQuantity(input({ existingStressPnl: cents(600_000), hedgeBudgetPct: 0 })).chosen!;
    assert.equal(full.q, 4);
    assert.deepEqual(full.purchases, []);
    assert.equal(full.newCarry, 0);
  });
});

describe('trim', () => {
  const layers = [
    { layerId: 'L1', quantity: 10, stressPnlPerContract: cents(10_000), valuePerContract: cents(30_000) },
    { layerId: 'L2', quantity: 10, stressPnlPerContract: cents(10_000), valuePerContract: cents(10_000) },
  ];

  it('sells the highest value per unit of stress P&L first, down to the target but not below', () => {
    const trims = planTrims(layers, cents(200_000), cents(125_000));
    assert.deepEqual(
      trims.map((t) => [t.layerId, t.quantity]),
      [['L1', 7]],
    );
    const left = 200_000 - trims.reduce((s, t) => s + t.stressPnlRemoved, 0);
    assert.ok(left >= 125_000 && left - 10_000 < 125_000);
  });

  it('moves on to the next layer when the first is sold out', () => {
    const trims = planTrims(layers, cents(200_000), cents(50_000));
    assert.deepEqual(
      trims.map((t) => [t.layerId, t.quantity]),
      [
        ['L1', 10],
        ['L2', 5],
      ],
    );
  });
});
