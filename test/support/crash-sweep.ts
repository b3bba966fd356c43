// The crash/disconnect sweep in-process (issue 9): a full plan through the IB adapter over TCP to the
// simulator, the link dropping right after the bot's message k of the plan (the gateway closes the
// socket instead of reading message k+1). Then either the same bot reconnects, reconciles and
// finishes ('link'), or the bot dies with its link as at a crash and a new bot (new IB client, same
// journal) reconciles and finishes ('crash'). Whatever k: no orderRef placed twice, live condor
// contracts never above the venue's filled hedge coverage at any venue event, the journal equal to
// the broker's reports, nothing of the plan left working, the plan ended in the journal, and the
// outcome the unfaulted run's or a PARTIAL/ABORTED with its reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { launchSimEngine } from '../../src/cli/wiring/simulator.ts';
import { createMemoryMarketData } from '../../src/adapters/memory/memory-market-data.ts';
import type { StepObservation } from '../../src/app/execute-plan.ts';
import { executePlan, resumePlan } from '../../src/app/execute-plan.ts';
import type { ExecutionOutcome } from '../../src/domain/execution/types.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { BrokerPort } from '../../src/ports/broker.ts';
import {
  ACCOUNT,
  ENTRY,
  consistent,
  journalMatchesBroker,
  killable,
  planNow,
  request,
  within,
} from '../app/execute-plan-rig.ts';
import { CLIENT_ID, crashWorld, noOrderRefSentTwice } from './crash-world.ts';
import type { CrashWorld } from './crash-world.ts';

export const SWEEP_SEED = 7;

export type SweepVariant = 'link' | 'crash';

export interface SweepRun {
  /** How the plan ended, as the journal holds it. */
  readonly outcome: { readonly kind: ExecutionOutcome['kind']; readonly reason: string };
  /** Client-to-gateway messages of the (first) bot's run, counted at the relay. */
  readonly messages: number;
  readonly dropped: boolean;
}

/** The plan every sweep run executes (the simulator's state at ENTRY, seed SWEEP_SEED). */
export async function sweepPlan(): Promise<Plan> {
  const engine = launchSimEngine({ virtualTime: true, startAt: ENTRY, seed: SWEEP_SEED });
  try {
    return await planNow({ seed: SWEEP_SEED, startAt: ENTRY, data: createMemoryMarketData(engine) });
  } finally {
    engine.stop();
  }
}

/** What every run must end with, whatever happened on the way. */
async function settled(
  w: CrashWorld,
  plan: Plan,
  outcome: ExecutionOutcome | null,
  seen: readonly StepObservation[],
  broker: BrokerPort,
): Promise<SweepRun['outcome']> {
  w.t.sim.faults.clear();
  within(seen);
  if (outcome !== null) consistent(outcome);
  const end = w.journal.plan(plan.planId)?.end ?? null;
  assert.ok(end !== null, 'the plan ended in the journal');
  assert.ok(end.reason.length > 0, 'the outcome says why');
  assert.deepEqual(w.violations(), [], 'coverage at every venue event');
  noOrderRefSentTwice(w.placed);
  // The broker's reports are read on a live link (a drop at the last message may still be closing it).
  await new Promise((r) => setTimeout(r, 10));
  await w.pump(() => broker.isConnected());
  await journalMatchesBroker({ broker, journal: w.journal }, plan);
  assert.deepEqual(w.journal.plansInFlight(), [], 'no plan left in flight');
  if (outcome !== null) assert.equal(end.result, outcome.kind);
  return { kind: end.result, reason: end.reason };
}

/** Runs the plan; with `dropAt` the gateway drops the link instead of reading the bot's message `dropAt`. */
export async function sweepRun(plan: Plan, dropAt: number | null, variant: SweepVariant): Promise<SweepRun> {
  const w = await crashWorld({ seed: SWEEP_SEED, startAt: ENTRY });
  try {
    w.watchCoverage(plan);
    const first = await w.bot();
    const seen: StepObservation[] = [];
    const observe = (o: StepObservation): void => void seen.push(o);
    const doomed = killable(first.ports);
    let dropped = false;
    const stopWatch = w.t.sim.faults.watch((e) => {
      if (e.type !== 'fired' || e.firing.kind !== 'dropAtMessage') return;
      dropped = true;
      if (variant === 'crash') {
        doomed.kill();
        void first.client.close();
      }
    });
    if (dropAt !== null)
      w.t.sim.faults.arm({ kind: 'dropAtMessage', direction: 'in', n: dropAt, clientId: CLIENT_ID });
    w.proxy.resetStats();
    let done = false;
    const running = executePlan(doomed.ports, request(plan, { observe })).finally(() => {
      done = true;
    });
    running.catch(() => undefined);
    await w.pump(() => done || doomed.dead());
    stopWatch();
    const messages = w.proxy.stats().toServer;
    if (!doomed.dead()) {
      const outcome = await settled(w, plan, await running, seen, first.broker);
      return { outcome, messages, dropped };
    }
    // A new process: its own IB client, the same journal.
    const next = await w.bot();
    const record = w.journal.plan(plan.planId);
    // Killed after the plan ended: there is nothing left to finish (a new run says it already ran).
    if (record?.end != null)
      return { outcome: await settled(w, plan, null, seen, next.broker), messages, dropped };
    const journaled = record !== null;
    if (!journaled) assert.deepEqual(w.placed, [], 'nothing placed before the plan was journaled');
    // Killed in pre-flight, before the plan was journaled: the next run starts it afresh.
    const finishing = journaled
      ? resumePlan(next.ports, { planId: plan.planId, account: ACCOUNT, observe })
      : executePlan(next.ports, request(plan, { observe }));
    let finished = false;
    void finishing.finally(() => {
      finished = true;
    });
    await w.pump(() => finished);
    const outcome = await settled(w, plan, await finishing, seen, next.broker);
    return { outcome, messages, dropped };
  } finally {
    await w.close();
  }
}

/** The faulted run ends as the unfaulted one, or PARTIAL/ABORTED with its reason (checked by `settled`). */
export function endsAsUnfaultedOrReported(run: SweepRun, unfaulted: SweepRun): void {
  assert.ok(
    run.outcome.kind === unfaulted.outcome.kind ||
      run.outcome.kind === 'PARTIAL' ||
      run.outcome.kind === 'ABORTED',
    `${run.outcome.kind}: ${run.outcome.reason}`,
  );
}

/** Declares the sweep of one variant: the unfaulted run, then one test per k. */
export async function defineSweep(variant: SweepVariant, title: string): Promise<void> {
  const plan = await sweepPlan();
  const unfaulted = await sweepRun(plan, null, variant);
  describe(`${variant}: the link drops right after each message k of a plan; ${title}`, () => {
    it(`unfaulted: ${unfaulted.messages} messages to the gateway, ${unfaulted.outcome.kind}`, () => {
      assert.ok(unfaulted.messages > 10, `${unfaulted.messages} messages`);
      assert.notEqual(unfaulted.outcome.kind, 'ABORTED', unfaulted.outcome.reason);
    });
    for (let k = 0; k < unfaulted.messages; k++)
      it(`after message ${k}`, async () => {
        const run = await sweepRun(plan, k + 1, variant);
        // The last messages of a run vary with timing: a run that ends before message k+1 ran unfaulted.
        assert.ok(run.dropped || k >= unfaulted.messages - 3, 'the link dropped');
        endsAsUnfaultedOrReported(run, unfaulted);
      });
  });
}
