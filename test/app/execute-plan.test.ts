// The driver over the simulator in-process (memory broker, memory journal, the simulator's virtual
// clock): a plan runs to its end, the journal holds the plan before its first order and every
// intent before its send, live condor contracts stay within filled coverage at every event, and
// faults (a silent drop, a rejected condor, a dropped link, a gateway restart, a killed process)
// end the way the machine says, with the journal equal to the broker's reports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brokerReconciler, executePlan, quoteSourceFrom, resumePlan } from '../../src/app/execute-plan.ts';
import type { ExecutePorts, ExecuteRequest, StepObservation } from '../../src/app/execute-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { ExecutionOutcome } from '../../src/domain/execution/types.ts';
import type { DriverRig } from './execute-plan-rig.ts';
import {
  ACCOUNT,
  consistent,
  value,
  driverRig,
  journalMatchesBroker,
  killable,
  planNow,
  request,
  runUntil,
  settings,
  within,
} from './execute-plan-rig.ts';

async function withRig(body: (rig: DriverRig, plan: Plan) => Promise<void>, seed = 7): Promise<void> {
  const rig = await driverRig({ seed });
  try {
    const plan = await planNow(rig);
    assert.equal(plan.outcome.kind, 'trade', 'the simulator day gives a trade');
    await body(rig, plan);
  } finally {
    await rig.stop();
  }
}

/** Runs the plan, doing `act` once right after the first step where `when` holds; checks coverage. */
async function runFaulted(
  rig: DriverRig,
  plan: Plan,
  when: (o: StepObservation) => boolean,
  act: () => void,
  over: Partial<ExecuteRequest> = {},
): Promise<{ readonly outcome: ExecutionOutcome; readonly seen: StepObservation[] }> {
  const seen: StepObservation[] = [];
  let acted = false;
  const observe = (o: StepObservation): void => {
    seen.push(o);
    if (!acted && when(o)) {
      acted = true;
      act();
    }
  };
  const outcome = await runUntil(rig.clock, executePlan(rig.ports, request(plan, { ...over, observe })));
  within(seen);
  consistent(outcome);
  return { outcome, seen };
}

const never = (): boolean => false;
const submitsCondor = (o: StepObservation): boolean =>
  o.commands.some((c) => c.type === 'submit' && c.orderKey === 'condor');

describe('executePlan against the simulator', () => {
  it('runs a plan to its end: the plan journaled first, each intent before its send, coverage at every event', async () => {
    await withRig(async (rig, plan) => {
      const { outcome, seen } = await runFaulted(rig, plan, never, () => undefined);
      assert.ok(
        outcome.orders.some((o) => o.filled > 0),
        outcome.reason,
      );
      const events = rig.journal.events({ planId: plan.planId });
      assert.equal(events[0]?.event.type, 'plan-started');
      assert.equal(events.at(-1)?.event.type, 'plan-finished');
      // Every order's intent is journaled before anything IB said about it.
      const firstOf = new Map<string, string>();
      for (const { event: ev } of events) {
        const ref =
          ev.type === 'order-intended'
            ? ev.intent.orderRef
            : ev.type === 'execution'
              ? ev.execution.orderRef
              : 'orderRef' in ev
                ? ev.orderRef
                : null;
        if (ref !== null && !firstOf.has(ref)) firstOf.set(ref, ev.type);
      }
      assert.ok(firstOf.size >= plan.orders.length);
      for (const [ref, type] of firstOf)
        assert.equal(type, 'order-intended', `${ref} first journaled as ${type}`);
      // Hedges first: the condor's submit comes after every hedge order's.
      const submits = seen.flatMap((o) =>
        o.commands.flatMap((c) => (c.type === 'submit' ? [c.orderKey] : [])),
      );
      assert.equal(submits.indexOf('condor'), plan.orders.length - 1, submits.join(' '));
      await journalMatchesBroker(rig, plan);
    });
  });

  it('a failed pre-flight sends nothing and journals the plan ABORTED with its checks', async () => {
    await withRig(async (rig, plan) => {
      rig.engine.faults.arm({ kind: 'whatIfRefused' });
      const outcome = await runUntil(rig.clock, executePlan(rig.ports, request(plan)));
      assert.equal(outcome.kind, 'ABORTED');
      assert.match(outcome.reason, /margin: what-if margin unavailable: IB 360/);
      assert.deepEqual(value(await rig.broker.openOrders()), []);
      assert.deepEqual(value(await rig.broker.completedOrders()), []);
      assert.equal(rig.journal.plan(plan.planId)?.end?.result, 'ABORTED');
      assert.deepEqual(rig.journal.ordersOfPlan(plan.planId), []);
    });
  });

  it('what-if refused but waived by configuration: the plan runs', async () => {
    await withRig(async (rig, plan) => {
      rig.engine.faults.arm({ kind: 'whatIfRefused', smartCombosOnly: true });
      const { outcome } = await runFaulted(rig, plan, never, () => undefined, {
        preflight: settings({ whatIf: 'waive' }),
      });
      assert.deepEqual(outcome.failedChecks, []);
      assert.ok(
        outcome.orders.some((o) => o.filled > 0),
        outcome.reason,
      );
    });
  });

  it("the paper server's silent drop: unknown, reconciled absent, sent again under a new orderRef", async () => {
    await withRig(async (rig, plan) => {
      rig.engine.faults.arm({ kind: 'silentDrop', count: 1 });
      const { seen } = await runFaulted(rig, plan, never, () => undefined);
      const first = `${plan.planId}:${plan.orders[0]!.key}`;
      const refs = rig.journal.ordersOfPlan(plan.planId).map((o) => o.intent.orderRef);
      assert.ok(refs.includes(`${first}:1`) && refs.includes(`${first}:2`), refs.join(' '));
      assert.equal(rig.journal.order(`${first}:1`)?.resolution?.kind, 'absent');
      assert.ok(
        seen.some((o) => o.commands.some((c) => c.type === 'reconcile' && c.reason === 'unknown-outcome')),
      );
      await journalMatchesBroker(rig, plan);
    });
  });

  it("the condor refused after the hedges: PARTIAL with IB's reason, the hedges stay", async () => {
    await withRig(async (rig, plan) => {
      const arm = (): void => void rig.engine.faults.arm({ kind: 'rejectOrders', count: 1 });
      const { outcome, seen } = await runFaulted(rig, plan, submitsCondor, arm);
      assert.equal(outcome.kind, 'PARTIAL', outcome.reason);
      assert.match(outcome.reason, /condor filled 0 of \d+: refused by IB \(201/);
      assert.ok(outcome.orders.filter((o) => o.kind === 'hedge-open').some((o) => o.filled > 0));
      const sells = seen.flatMap((o) => o.commands).filter((c) => c.type === 'submit' && c.action === 'SELL');
      assert.deepEqual(sells, [], 'no hedge is sold because the condor did not fill');
      await journalMatchesBroker(rig, plan);
    });
  });

  it('a dropped link mid-plan: nothing sent until it is back and reconciled, fills while down adopted', async () => {
    await withRig(async (rig, plan) => {
      const firstFill = (o: StepObservation): boolean => o.event.type === 'execution';
      const { seen } = await runFaulted(rig, plan, firstFill, () =>
        rig.broker.dropLink('test: network failure'),
      );
      const lost = seen.findIndex((o) => o.event.type === 'connectivity' && o.event.state === 'lost');
      const back = seen.findIndex(
        (o, i) =>
          i > lost && o.event.type === 'reconcile-result' && o.state.connected && !o.state.reconnectPending,
      );
      assert.ok(lost >= 0 && back > lost, 'lost, then restored and reconciled');
      const sent = seen
        .slice(lost, back)
        .flatMap((o) =>
          o.commands.filter((c) => c.type === 'submit' || c.type === 'modify' || c.type === 'cancel'),
        );
      assert.deepEqual(sent, []);
      await journalMatchesBroker(rig, plan);
    });
  });

  it('a gateway restart mid-plan (IB ids start over): no id reused, the plan ends', async () => {
    await withRig(async (rig, plan) => {
      await runFaulted(rig, plan, submitsCondor, () => queueMicrotask(() => rig.gateway.restart()));
      const ids = rig.journal.ordersOfPlan(plan.planId).map((o) => o.intent.orderId);
      assert.equal(new Set(ids).size, ids.length, `order ids ${ids.join(',')}`);
    });
  });

  it('a reconcile that halts trading mid-plan winds the plan down with its message', async () => {
    await withRig(async (rig, plan) => {
      rig.engine.faults.arm({ kind: 'silentDrop', count: 1 });
      const reconcile = brokerReconciler({
        broker: rig.broker,
        journal: rig.journal,
        clock: rig.clock,
        absenceAfterMs: 5_000,
        before: () =>
          Promise.resolve({ kind: 'halted', message: 'position VIX 2026-04-15 21C: journal 0, broker 3' }),
      });
      const ports = { ...rig.ports, reconcile };
      const outcome = await runUntil(rig.clock, executePlan(ports, request(plan)));
      assert.match(outcome.reason, /aborted \(reconcile halted trading: position VIX/);
      assert.deepEqual(value(await rig.broker.openOrders()), []);
      const refs = rig.journal.ordersOfPlan(plan.planId).map((o) => o.intent.orderRef);
      assert.ok(!refs.some((r) => r.endsWith(':2')), `no new attempt once halted: ${refs.join(' ')}`);
    });
  });

  it('stopping the run cancels what works and ends it with its reason', async () => {
    await withRig(async (rig, plan) => {
      const stop = new AbortController();
      const firstFill = (o: StepObservation): boolean => o.event.type === 'execution';
      const { outcome } = await runFaulted(rig, plan, firstFill, () => stop.abort(), { signal: stop.signal });
      assert.match(outcome.reason, /aborted \(stopped by the caller\)/);
      assert.deepEqual(value(await rig.broker.openOrders()), []);
    });
  });
});

describe('resumePlan after a killed process', () => {
  /** A new process: the dead one's link is gone; the same client id, journal and clock. */
  async function newProcess(rig: DriverRig): Promise<ExecutePorts> {
    await rig.broker.disconnect();
    const broker = rig.gateway.broker({ clientId: 9 });
    value(await broker.connect());
    return {
      ...rig.ports,
      broker,
      quotes: quoteSourceFrom(rig.data),
      reconcile: brokerReconciler({ broker, journal: rig.journal, clock: rig.clock, absenceAfterMs: 5_000 }),
    };
  }

  // Killed just before its k-th journal write: before the plan, between an intent and its send,
  // after fills, while cancelling; the restarted process finishes without sending any ref twice.
  for (const k of [2, 3, 5, 9, 16, 30, 60]) {
    it(`killed before journal write ${k}: resumed, nothing sent twice, the journal equals the broker`, async () => {
      await withRig(async (rig, plan) => {
        const seen: StepObservation[] = [];
        const doomed = killable(rig.ports, k);
        // The killed run's promise rejects at its first write after the kill ("process killed").
        const first = executePlan(doomed.ports, request(plan, { observe: (o) => seen.push(o) }));
        await runUntil(
          rig.clock,
          first.then(
            () => 'ended',
            (e: unknown) => String(e),
          ),
        );
        assert.ok(doomed.dead(), `the run made fewer than ${k} journal writes`);
        const ports = await newProcess(rig);
        assert.deepEqual(
          rig.journal.plansInFlight().map((p) => p.planId),
          [plan.planId],
        );
        const outcome = await runUntil(
          rig.clock,
          resumePlan(ports, { planId: plan.planId, account: ACCOUNT, observe: (o) => seen.push(o) }),
        );
        within(seen);
        consistent(outcome);
        const refs = rig.journal.ordersOfPlan(plan.planId).map((o) => o.intent.orderRef);
        assert.equal(new Set(refs).size, refs.length);
        await journalMatchesBroker({ ...rig, broker: ports.broker }, plan);
      });
    });
  }
});
