// `ironvix status`'s use case over a journal the real executor wrote: the plans with their outcome,
// the hedge book the journal holds, agreeing with the account, and its coverage against the plan.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gatherStatus } from '../../src/app/status.ts';
import { renderStatusJson } from '../../src/cli/render/status-json.ts';
import { renderStatusText } from '../../src/cli/render/status-text.ts';
import type { CampaignRun } from '../cli/report-rig.ts';
import { runCycles } from '../cli/report-rig.ts';

describe('status with the journal of two executed cycles', () => {
  let run: CampaignRun;
  before(async () => {
    run = await runCycles(2);
  });
  after(async () => {
    await run.rig.stop();
  });

  it('lists the plans with their outcome and values the journal book with the newest plan', async () => {
    const { rig, plans } = run;
    const s = await gatherStatus({ broker: rig.broker, journal: rig.journal, nowMs: rig.clock.nowMs() });
    const j = s.journal;
    assert.ok(j !== null);
    assert.equal(j.halt.halted, false);
    assert.deepEqual(j.plansInFlight, []);
    const executed = plans.filter((p) => p.orders.length > 0);
    assert.ok(executed.length > 0, 'the rig executed at least one plan');
    assert.deepEqual(
      j.recentPlans.map((p) => p.planId),
      executed.map((p) => p.planId).reverse(),
    );
    for (const p of j.recentPlans) assert.match(p.end?.result ?? '', /^(COMPLETE|PARTIAL)$/);

    // The book the journal holds is what the account holds, and is what the coverage is taken over.
    assert.deepEqual(j.bookDifferences, []);
    assert.ok(j.book.length > 0);
    const c = j.lastCoverage;
    assert.ok(c !== null);
    const newest = executed.at(-1)!;
    assert.equal(c.planId, newest.planId);
    const perContract = new Map(
      newest.hedgeBookAfter.map((l) => [
        `${l.expiry} ${l.longStrike} ${l.shortStrike}`,
        l.stressPnlPerContract,
      ]),
    );
    let expected = 0;
    for (const l of j.book)
      expected += l.quantity * (perContract.get(`${l.expiry} ${l.longStrike} ${l.shortStrike}`) ?? 0);
    assert.equal(c.bookStressPnlCents, expected);
    assert.ok(c.bookStressPnlCents > 0, 'filled hedges have a positive stress value');
    // PARTIAL fills: the ratio is over the condors that filled, never over those planned.
    const filledCondors = Number(
      /condor filled (\d+) of/.exec(j.recentPlans[0]!.end!.reason)?.[1] ?? newest.condorQuantity,
    );
    assert.equal(c.condorFilled, filledCondors);
    assert.equal(c.coverageRatio, expected / (newest.coverage.condorStressLossPerContract * filledCondors));

    const text = renderStatusText(s, 'America/New_York');
    assert.match(text, /== Journal \(memory\) ==/);
    assert.match(text, /trading not halted/);
    assert.match(text, new RegExp(`${newest.planId}.*(COMPLETE|PARTIAL)`));
    assert.match(text, /journal book: \d+ layer\(s\), agrees with the account/);
    assert.match(text, /== Hedge book and coverage \(stress values of plan /);
    assert.match(
      text,
      /book stress P&L \$[\d,.]+ against \$[\d,.]+ required \(target c = \d\.\d\d\): \d+\.\d\dx the stress loss of the \d+ condor\(s\) it filled/,
    );
    const json = JSON.parse(renderStatusJson(s)) as { journal: { coverage: { bookStressPnlCents: number } } };
    assert.equal(json.journal.coverage.bookStressPnlCents, expected);
  });

  it('without a journal the status has no journal section', async () => {
    const s = await gatherStatus({ broker: run.rig.broker, journal: null, nowMs: run.rig.clock.nowMs() });
    assert.equal(s.journal, null);
    assert.doesNotMatch(renderStatusText(s, 'America/New_York'), /== Journal/);
  });
});
