// `run --once` as a use case over the simulator in-process: reconcile, capture, build, execute and
// report each fill with the coverage after it; a second run the same day sends nothing; a plan left
// in flight is finished, not rebuilt; a halted journal and a paper account in live mode send nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunOnceRequest, RunOnceResult } from '../../src/app/run-once.ts';
import { runOnce } from '../../src/app/run-once.ts';
import { priceCents } from '../../src/domain/money.ts';
import { intent, vixCalls } from '../adapters/memory/memory-support.ts';
import type { DriverRig } from './execute-plan-rig.ts';
import { driverRig, killable, runOnceRequest, runUntil } from './execute-plan-rig.ts';

const request = runOnceRequest;

async function run(rig: DriverRig, over: Partial<RunOnceRequest> = {}): Promise<RunOnceResult> {
  return runUntil(
    rig.clock,
    runOnce(
      {
        broker: rig.broker,
        marketData: rig.data,
        journal: rig.journal,
        clock: rig.clock,
        logger: rig.ports.logger,
      },
      request(over),
    ),
  );
}

async function withRig(body: (rig: DriverRig) => Promise<void>): Promise<void> {
  const rig = await driverRig();
  try {
    await body(rig);
  } finally {
    await rig.stop();
  }
}

describe('runOnce', () => {
  it('executes the plan and reports every fill with the coverage after it; the same day again sends nothing', () =>
    withRig(async (rig) => {
      const r = await run(rig);
      assert.equal(r.kind, 'executed');
      if (r.kind !== 'executed') return;
      assert.equal(r.resumed, false);
      assert.notEqual(r.outcome.kind, 'ABORTED', r.outcome.reason);
      assert.ok(r.fills.length > 0, 'fills reported');
      for (const f of r.fills) assert.ok(f.coverage.liveCondor <= f.coverage.allowedCondor, `${f.execId}`);
      const hedgeFirst = r.fills.findIndex((f) => f.orderKey !== 'condor');
      const condorFirst = r.fills.findIndex((f) => f.orderKey === 'condor');
      if (condorFirst !== -1) assert.ok(hedgeFirst !== -1 && hedgeFirst < condorFirst, 'a hedge fills first');
      assert.equal(rig.journal.plan(r.plan.planId)?.end?.result, r.outcome.kind);
      const sent = rig.journal.ordersOfPlan(r.plan.planId).length;

      const again = await run(rig);
      assert.equal(again.kind, 'already-ran');
      assert.equal(rig.journal.ordersOfPlan(r.plan.planId).length, sent, 'nothing sent by the second run');
    }));

  it('a plan a killed run left in flight is finished from the journal, not rebuilt', () =>
    withRig(async (rig) => {
      const k = killable(rig.ports, 12);
      const first = runOnce(
        {
          broker: k.ports.broker,
          marketData: rig.data,
          journal: k.ports.journal,
          clock: k.ports.clock,
          logger: rig.ports.logger,
        },
        request(),
      );
      first.catch(() => undefined);
      for (let i = 0; i < 600 && !k.dead(); i++) {
        for (let j = 0; j < 3; j++) await new Promise((res) => setImmediate(res));
        rig.clock.advance(1_000);
      }
      assert.ok(k.dead(), 'the first run was killed');
      const [inFlight] = rig.journal.plansInFlight();
      assert.ok(inFlight !== undefined, 'a plan is in flight');
      const r = await run(rig);
      assert.equal(r.kind, 'executed');
      if (r.kind !== 'executed') return;
      assert.equal(r.resumed, true);
      assert.equal(r.plan.planId, inFlight.planId);
      const refs = rig.journal.ordersOfPlan(inFlight.planId).map((o) => o.intent.orderRef);
      assert.equal(new Set(refs).size, refs.length);
      assert.deepEqual(rig.journal.plansInFlight(), []);
    }));

  it('an order the journal never sent (another tool in the account) halts trading: nothing is sent', () =>
    withRig(async (rig) => {
      const foreign = rig.gateway.broker({ clientId: 3 });
      assert.ok((await foreign.connect()).ok);
      const [call] = await vixCalls({ ...rig, events: [] });
      assert.ok(call !== undefined, 'a quoted VIX call');
      const placed = await foreign.submit(
        intent(foreign, 'other-tool', { kind: 'single', contract: call.contract }, 'BUY', 1, priceCents(5)),
      );
      assert.equal(placed.kind, 'sent');
      const r = await run(rig);
      assert.equal(r.kind, 'halted');
      if (r.kind !== 'halted') return;
      assert.match(r.reconcile.message, /other-tool|never sent|not in the journal/i);
      assert.deepEqual(rig.journal.recentPlans(5), [], 'no plan started');
      assert.equal(rig.journal.haltState().halted, true);
      await foreign.disconnect();
    }));

  it('pre-flight refuses a paper account in live mode: nothing is sent', () =>
    withRig(async (rig) => {
      const r = await run(rig, { mode: 'live' });
      assert.equal(r.kind, 'executed');
      if (r.kind !== 'executed') return;
      assert.equal(r.outcome.kind, 'ABORTED');
      assert.ok(
        r.outcome.failedChecks.some((c) => /account/i.test(`${c.id} ${c.detail}`)),
        JSON.stringify(r.outcome.failedChecks),
      );
      assert.equal(rig.journal.ordersOfPlan(r.plan.planId).length, 0);
    }));
});
