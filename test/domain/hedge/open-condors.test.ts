// The previous cycle's condor (docs/strategy.md section 3): "The previous cycle's condor, which
// settles minutes after the entry time, counts too until it settles: its stress loss over its own
// remaining time (the same 3 x EM rule, EM over the minutes left) is added to the requirement."
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fillOf } from '../../../src/domain/journal-view.ts';
import type { JournalOrder, JournalView } from '../../../src/domain/journal-view.ts';
import {
  openCondorsFromJournal,
  openCondorsFromPositions,
  valueOpenCondors,
} from '../../../src/domain/hedge/open-condors.ts';
import { requirementCents } from '../../../src/domain/hedge/sizing.ts';
import { cents } from '../../../src/domain/money.ts';
import type { PositionReport } from '../../../src/domain/broker-reports.ts';
import { spxwOption, vixOption } from '../../../src/domain/instruments.ts';
import { buildPlan } from '../../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../../src/domain/plan/check-plan.ts';
import type { Plan } from '../../../src/domain/plan/types.ts';
import type { MarketSnapshot, OpenCondor } from '../../../src/domain/snapshot.ts';
import { parseSnapshot } from '../../../src/config/snapshot-file.ts';
import { serializeSnapshot } from '../../../src/config/snapshot-schema.ts';
import { planSchema } from '../../../src/cli/render/plan-json-schema.ts';
import { renderPlanText } from '../../../src/cli/render/plan-text.ts';
import { defaultStrategy } from '../../support/default-strategy.ts';
import { intentFor, legExecutions, samplePlan } from '../../support/journal-fixtures.ts';
import { makeSnapshot, openCondor, testCalendar } from '../../support/snapshot-factory.ts';

const strategy = defaultStrategy();
const sizing = strategy.sizing;

/** The default snapshot is Tuesday 2026-03-10 15:45, the day this condor expires. */
const previous = openCondor;

function plan(s: MarketSnapshot): Plan {
  const p = buildPlan({ snapshot: s, strategy, calendar: testCalendar(), mode: 'sim' });
  assert.deepEqual(checkPlan(p, strategy), [], 'the plan keeps its invariants');
  return p;
}

/** The stress loss per contract by the sentence itself: 3 x EM over the 15 minutes left. */
function expectedLossPerContract(c: OpenCondor, spot: number, atmIv: number): number {
  const years = 15 / 390 / 252;
  const stressSpx = spot - 3 * spot * atmIv * Math.sqrt(years);
  const put = Math.max(0, c.shortPut - stressSpx) - Math.max(0, c.longPut - stressSpx);
  const loss = Math.round((put * 100 - c.credit) * 100);
  const maxLoss = ((c.shortPut - c.longPut) * 100 - c.credit) * 100;
  return Math.min(maxLoss, Math.max(0, loss));
}

describe('valueOpenCondors: the stress loss over the minutes left', () => {
  const at = { calendar: testCalendar(), asOf: '2026-03-10T15:45:00-04:00', spot: 6000, atmIv: 0.16, sizing };

  it('15 minutes before the close: 3 x EM over 15 minutes, put intrinsic less the credit filled', () => {
    const [r] = valueOpenCondors([previous()], at);
    assert.equal(r?.remainingMinutes, 15);
    assert.ok(r.counts);
    assert.ok(Math.abs(r.stressMovePoints - 3 * 6000 * 0.16 * Math.sqrt(15 / 390 / 252)) < 1e-9);
    const perContract = expectedLossPerContract(previous(), 6000, 0.16);
    assert.ok(perContract > 0, 'SPX 6000 with 15 minutes left can reach the 5975 short put under the stress');
    assert.equal(r.stressLossPerContract, perContract);
    assert.equal(r.stressLoss, perContract * 2);
  });

  it('far from the short put: it counts, with no loss under the stress', () => {
    const [r] = valueOpenCondors([previous({ shortPut: 5900, longPut: 5875 })], at);
    assert.ok(r!.counts);
    assert.equal(r!.stressLoss, 0);
  });

  it('capped at the max loss: (width - credit) x 100', () => {
    const [r] = valueOpenCondors([previous({ shortPut: 6010, longPut: 5985 })], at);
    assert.equal(r!.maxLossPerContract, (25 * 100 - 300) * 100);
    assert.equal(r!.stressLossPerContract, r!.maxLossPerContract);
  });

  it('after the close it has settled: it counts nothing', () => {
    const [r] = valueOpenCondors([previous()], { ...at, asOf: '2026-03-10T16:30:00-04:00' });
    assert.equal(r!.counts, false);
    assert.equal(r!.stressLoss, 0);
    const [y] = valueOpenCondors([previous({ expiry: '2026-03-09', openedOn: '2026-03-06' })], at);
    assert.equal(y!.counts, false);
  });
});

describe('buildPlan: the previous condor is counted in the requirement until it settles', () => {
  const base = makeSnapshot();
  const without = plan(base);
  const withOpen = plan({ ...base, openCondors: [previous()] });
  const openLoss = withOpen.coverage.openCondorsStressLoss ?? 0;

  it('adds exactly its stress loss to the requirement, on top of c x loss x q', () => {
    const expected = expectedLossPerContract(previous(), 6000, withOpen.condor!.atmIv) * 2;
    assert.equal(openLoss, expected);
    const c = withOpen.coverage;
    assert.equal(
      c.requiredStressPnl,
      requirementCents(c.coverageTarget, c.condorStressLossPerContract, withOpen.condorQuantity) + openLoss,
    );
    assert.ok(c.existingStressPnl + c.newStressPnl >= c.requiredStressPnl, 'the book after covers it');
  });

  it('the hedge bought covers both condors: more new stress P&L than without it, or a smaller condor', () => {
    const more = withOpen.coverage.newStressPnl > without.coverage.newStressPnl;
    const smaller = withOpen.condorQuantity < without.condorQuantity;
    assert.ok(more || smaller);
  });

  it('the trim threshold counts it too (the requirement at the cap includes it)', () => {
    const check = withOpen.rationale.find((e) => e.kind === 'trim-check');
    const plain = without.rationale.find((e) => e.kind === 'trim-check');
    assert.ok(check?.kind === 'trim-check' && plain?.kind === 'trim-check');
    assert.equal(check.requirementAtCapCents, plain.requirementAtCapCents + openLoss);
  });

  it('is shown in the plan text and JSON', () => {
    const ctx = { snapshot: base, snapshotName: 'x.json', strategyName: 'alvh-default' };
    const text = renderPlanText(withOpen, ctx);
    assert.match(text, /== Open condors of earlier cycles/);
    assert.match(
      text,
      /open condor SPXW 2026-03-10 5950\/5975p 6100\/6125c x2 \(plan 2026-03-09-abcdef01, credit 3\.00\): settles at the close, 15 min left/,
    );
    assert.match(text, /open condors of earlier cycles add \$[\d,.]+ of stress loss to the requirement/);
    const doc = planSchema.parse(JSON.parse(JSON.stringify(withOpen)));
    assert.equal(doc.openCondors?.[0]?.condor.planId, '2026-03-09-abcdef01');
    assert.ok(!/Open condors/.test(renderPlanText(without, ctx)), 'nothing is shown without one');
  });

  it('a settled condor changes nothing in the sizing', () => {
    const settled = plan({
      ...base,
      openCondors: [previous({ expiry: '2026-03-09', openedOn: '2026-03-06' })],
    });
    assert.equal(settled.coverage.openCondorsStressLoss, 0);
    assert.equal(settled.condorQuantity, without.condorQuantity);
    assert.deepEqual(settled.orders, without.orders);
  });
});

describe('snapshot files and the journal', () => {
  it('a snapshot file without openCondors stays valid; with them it round-trips', () => {
    const s = makeSnapshot();
    const json = serializeSnapshot(s) as Record<string, unknown>;
    assert.ok(!('openCondors' in json));
    assert.equal(parseSnapshot(json, 'x.json').openCondors, undefined);
    const withOpen = { ...s, openCondors: [previous()] };
    assert.deepEqual(parseSnapshot(serializeSnapshot(withOpen), 'x.json').openCondors, [previous()]);
  });

  it('a snapshot file with an open condor whose strikes do not rise is refused', () => {
    const json = serializeSnapshot({ ...makeSnapshot(), openCondors: [previous({ longPut: 5980 })] });
    assert.throws(() => parseSnapshot(json, 'x.json'), /openCondors\[0\]\.shortPut: strikes must rise/);
  });

  it("openCondorsFromJournal: the condor order's fills give its strikes, quantity and credit", () => {
    const p = samplePlan();
    const intent = intentFor(p, 'condor', 7);
    const order: JournalOrder = {
      intent,
      intendedAtMs: 0,
      cycleDate: p.cycleDate,
      orderKind: 'condor-open',
      layerId: null,
      templateId: null,
      submit: { kind: 'sent', atMs: 1 },
      permId: 99,
      reported: null,
      resolution: null,
      cancelRequestedAtMs: null,
    };
    const fills = legExecutions(intent, 3, { permId: 99, execPrefix: 'e1', timeMs: 2 }).map((e) =>
      fillOf(e, intent.orderRef),
    );
    const view: JournalView = { orders: [order], fills, commissionExecIds: [] };
    const sel = p.condor!;
    const net = fills.reduce((s, f) => s + (f.side === 'BOT' ? 1 : -1) * f.price * f.quantity, 0) / 3;
    assert.deepEqual(openCondorsFromJournal(view, p.cycleDate), [
      {
        planId: p.planId,
        expiry: sel.expiry,
        shortPut: sel.shortPut,
        longPut: sel.longPut,
        shortCall: sel.shortCall,
        longCall: sel.longCall,
        quantity: 3,
        credit: Math.round(-net),
        openedOn: p.cycleDate,
      },
    ]);
    assert.deepEqual(openCondorsFromJournal(view, '2026-03-12'), [], 'settled after its expiry');
    assert.deepEqual(openCondorsFromJournal({ ...view, fills: [] }, p.cycleDate), [], 'nothing filled');
  });

  it("openCondorsFromPositions: the account's four SPXW legs of one expiry, credit from IB's average costs", () => {
    const pos = (
      strike: number,
      right: 'P' | 'C',
      quantity: number,
      avgCost: number,
      expiry = '2026-03-10',
    ): PositionReport => ({
      account: 'DU1234567',
      contract: { kind: 'option', contract: spxwOption(expiry, strike, right) },
      quantity,
      avgCost: cents(avgCost),
    });
    const vixLayer: PositionReport = {
      account: 'DU1234567',
      contract: { kind: 'option', contract: vixOption('VIXW', '2026-04-08', 21, 'C') },
      quantity: 5,
      avgCost: cents(9_000),
    };
    // Credit per unit: (350 + 250 - 200 - 100) = 3.00. A VIX layer and an expired SPXW leg are not condors.
    const positions = [
      pos(5975, 'P', -2, 35_000),
      pos(5950, 'P', 2, 20_000),
      pos(6100, 'C', -2, 25_000),
      pos(6125, 'C', 2, 10_000),
      vixLayer,
      pos(5900, 'P', -1, 100, '2026-03-09'),
    ];
    assert.deepEqual(openCondorsFromPositions(positions, '2026-03-10'), [
      { ...previous(), planId: 'positions:2026-03-10', openedOn: '2026-03-10' },
    ]);
    assert.deepEqual(
      openCondorsFromPositions(positions.slice(1), '2026-03-10'),
      [],
      'three legs are no condor',
    );
  });
});
