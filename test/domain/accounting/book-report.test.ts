// Accounting over a journal of real cycles against the simulator (memory broker, virtual clock):
// what the report says reached the account equals the venue's cash to the cent, condor + hedge -
// costs equals the net, settlements match the simulator's (SPXW on the SPX close, VIX on the SOQ),
// and a settlement the broker has not booked, or whose value is unknown, is flagged and not booked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildBookReport } from '../../../src/domain/accounting/book-report.ts';
import type { AccountingInput, BookReport } from '../../../src/domain/accounting/book-report.ts';
import { simCalendar } from '../../../src/cli/wiring/simulator.ts';
import { positionsFromFills } from '../../../src/domain/journal-view.ts';
import type { PositionReport } from '../../../src/domain/broker-reports.ts';
import { bookSettlements } from '../../../src/domain/settlement.ts';
import { cents } from '../../../src/domain/money.ts';
import type { CampaignRun, JournalData } from '../../cli/report-rig.ts';
import { journalData, runCycles, runTo, simSettlements } from '../../cli/report-rig.ts';

let run: CampaignRun;
let data: JournalData;

function report(over: Partial<AccountingInput> = {}): BookReport {
  return buildBookReport({
    ...data,
    settlementValues: simSettlements(run.rig),
    calendar: simCalendar(),
    nowMs: run.rig.clock.nowMs(),
    brokerPositions: null,
    ...over,
  });
}

describe('accounting over three simulated cycles', () => {
  before(async () => {
    run = await runCycles(3);
    data = journalData(run.rig.journal);
  });
  after(async () => {
    await run.rig.stop();
  });

  it('the SPXW settlement booked from the journal equals the venue cash change at the close, to the cent', () => {
    // 2026-03-18's condor expires 2026-03-19 at the 16:00 close; nothing else moves cash around it.
    runTo(run.rig, '2026-03-19', 15 * 60 + 59);
    const before = run.rig.engine.venue.state().cashCents;
    runTo(run.rig, '2026-03-19', 16 * 60 + 1);
    const afterClose = run.rig.engine.venue.state().cashCents;
    const condorPlan = data.plans.find((p) => p.cycleDate === '2026-03-18');
    assert.ok(condorPlan !== undefined);
    const refs = new Set(
      data.orders
        .filter((o) => o.intent.planId === condorPlan.planId && o.orderKind === 'condor-open')
        .map((o) => o.intent.orderRef),
    );
    const held = positionsFromFills(data.fills.filter((f) => refs.has(f.orderRef)));
    assert.ok(held.size === 4, 'four condor legs held');
    const booking = bookSettlements({
      positions: held.values(),
      nowMs: run.rig.clock.nowMs(),
      calendar: simCalendar(),
      values: simSettlements(run.rig),
      brokerPositions: run.rig.engine.venue.state().positions.map((p) => ({
        account: p.account,
        contract: { kind: 'other', description: String(p.contract.conId) },
        quantity: p.position,
        avgCost: cents(0),
      })),
    });
    assert.deepEqual(booking.problems, []);
    assert.equal(booking.settled.length, 4);
    assert.equal(booking.totalCashCents, afterClose - before);
  });

  it('before a condor settles it is pending at its mid; the same report then books it', () => {
    const r = report({ nowMs: Date.parse('2026-03-19T15:00:00-04:00') });
    const last = r.cycles[r.cycles.length - 1]!;
    assert.equal(last.condorSettled, false);
    assert.equal(last.condorPnlCents, 0);
    assert.ok(r.pendingSettlements >= 4, `pending ${r.pendingSettlements}`);
    const later = report();
    assert.equal(later.cycles[later.cycles.length - 1]!.condorSettled, true);
  });

  it('once the VIX layers settle on their SOQ, the realized cash equals the venue cash change to the cent', () => {
    const expiries = [
      ...new Set(
        data.fills.flatMap((f) => (f.contract.kind === 'option' ? [f.contract.contract.expiry] : [])),
      ),
    ].sort();
    runTo(run.rig, expiries[expiries.length - 1]!, 10 * 60);
    const venue = run.rig.engine.venue.state();
    assert.deepEqual(venue.positions, [], 'the venue holds nothing once everything expired');
    const r = report({ brokerPositions: [] });
    assert.deepEqual(r.settlementProblems, []);
    assert.equal(r.pendingSettlements, 0);
    assert.ok(
      r.positions.every((p) => p.status === 'settled' || p.status === 'closed'),
      JSON.stringify(r.positions),
    );
    assert.equal(r.totals.realizedCashCents, venue.cashCents - run.startCashCents);
    assert.equal(r.totals.openMarksCents, 0);
    assert.equal(r.totals.netPnlCents, r.totals.realizedCashCents);
  });

  it('condor + hedge - commissions - slippage is the net; positions add up to it; cumulative follows the cycles', () => {
    const r = report();
    const t = r.totals;
    assert.equal(t.netPnlCents, t.condorPnlCents + t.hedgePnlCents - t.commissionsCents - t.slippageCents);
    assert.equal(
      r.positions.reduce((s, p) => s + p.pnlCents, 0),
      t.netPnlCents,
    );
    let cum = 0;
    for (const c of r.cycles) {
      assert.equal(c.netPnlCents, c.condorPnlCents + c.hedgePnlCents - c.commissionsCents - c.slippageCents);
      cum += c.netPnlCents;
      assert.equal(c.cumulativeNetCents, cum);
    }
    assert.ok(t.commissionsCents > 0, 'commissions were charged');
    assert.equal(r.cycles.length, 3);
    assert.ok(r.cycles.every((c) => c.vix !== null && c.coverageTarget > 0));
    assert.ok(r.greeks !== null);
  });

  it('a settlement the broker has not booked is flagged, and that condor is not booked', () => {
    const condor = data.orders.find((o) => o.orderKind === 'condor-open' && o.cycleDate === '2026-03-16');
    assert.ok(condor !== undefined && condor.intent.contract.kind === 'combo');
    const leg = condor.intent.contract.legs[0]!;
    const still: PositionReport = {
      account: 'DU1234567',
      contract: { kind: 'option', contract: leg.contract },
      quantity: leg.action === 'BUY' ? 1 : -1,
      avgCost: cents(100),
    };
    const r = report({ brokerPositions: [still] });
    const p = r.settlementProblems.find((x) => x.kind === 'not-settled-at-broker');
    assert.ok(p !== undefined, JSON.stringify(r.settlementProblems));
    assert.equal(r.cycles[0]!.condorSettled, false);
    assert.equal(
      r.positions.find((x) => x.id === `condor:${condor.intent.planId}`)?.status,
      'pending-settlement',
    );
  });

  it('a settlement value nobody gave is flagged value-unknown, never booked as zero', () => {
    const r = report({ settlementValues: () => null });
    assert.ok(r.settlementProblems.length > 0);
    assert.ok(r.settlementProblems.every((p) => p.kind === 'value-unknown'));
    assert.ok(r.cycles.every((c) => !c.condorSettled && c.condorPnlCents === 0));
  });
});
