// The in-process crash/disconnect sweep, 'crash' variant (test/support/crash-sweep.ts): the link drops
// right after every message k the bot sends during a full plan; the bot dies with its link; a new bot (new IB client, same journal) reconciles and finishes.
// Every k: nothing placed twice, coverage at every venue event, the journal equal to the broker's reports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endsAsUnfaultedOrReported, sweepPlan, sweepRun } from '../support/crash-sweep.ts';

const plan = await sweepPlan();
const unfaulted = await sweepRun(plan, null, 'crash');

describe('crash: the link drops right after each message k of a plan', () => {
  it(`unfaulted: ${unfaulted.messages} messages to the gateway, ${unfaulted.outcome.kind}`, () => {
    assert.ok(unfaulted.messages > 10, `${unfaulted.messages} messages`);
    assert.notEqual(unfaulted.outcome.kind, 'ABORTED', unfaulted.outcome.reason);
  });
  for (let k = 0; k < unfaulted.messages; k++)
    it(`after message ${k}`, async () => {
      const run = await sweepRun(plan, k + 1, 'crash');
      // The last messages of a run vary with timing: a run that ends before message k+1 ran unfaulted.
      assert.ok(run.dropped || k >= unfaulted.messages - 3, 'the link dropped');
      endsAsUnfaultedOrReported(run, unfaulted);
    });
});
