// The fault list of issue 9 that the driver tests (execute-plan.test.ts, run-once.test.ts) do not
// already cover, each asserting what a user notices: the outcome, its reason, and what was sent.
// Over TCP through the IB adapter: duplicate execDetails, a gateway restart mid-plan (order ids
// start over), a hedge partly filled at its deadline. In-process: margin over the limit, crossed and
// stale quotes at pre-flight, a missing option chain.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StepObservation } from '../../src/app/execute-plan.ts';
import { executePlan, quoteSourceFrom } from '../../src/app/execute-plan.ts';
import { runOnce } from '../../src/app/run-once.ts';
import { err } from '../../src/domain/result.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { MarketDataQuery } from '../../src/ports/market-data.ts';
import { CLIENT_ID, crashWorld, noOrderRefSentTwice } from '../support/crash-world.ts';
import type { CrashWorld } from '../support/crash-world.ts';
import { SWEEP_SEED, sweepPlan } from '../support/crash-sweep.ts';
import type { DriverRig } from './execute-plan-rig.ts';
import {
  ENTRY,
  consistent,
  driverRig,
  journalMatchesBroker,
  planNow,
  request,
  runOnceRequest,
  runUntil,
  value,
  within,
} from './execute-plan-rig.ts';

const plan = await sweepPlan();

/** One plan over TCP with `arm` applied once the bot is connected; the checks every run must pass. */
async function overTcp(
  arm: (w: CrashWorld, seen: StepObservation[]) => void,
): Promise<{ w: CrashWorld; outcome: Awaited<ReturnType<typeof executePlan>>; seen: StepObservation[] }> {
  const w = await crashWorld({ seed: SWEEP_SEED, startAt: ENTRY });
  try {
    w.watchCoverage(plan);
    const bot = await w.bot();
    const seen: StepObservation[] = [];
    arm(w, seen);
    let done = false;
    const running = executePlan(bot.ports, request(plan, { observe: (o) => seen.push(o) })).finally(() => {
      done = true;
    });
    running.catch(() => undefined);
    await w.pump(() => done);
    const outcome = await running;
    w.t.sim.faults.clear();
    within(seen);
    consistent(outcome);
    assert.deepEqual(w.violations(), [], 'coverage at every venue event');
    noOrderRefSentTwice(w.placed);
    await w.pump(() => bot.broker.isConnected());
    await journalMatchesBroker({ broker: bot.broker, journal: w.journal }, plan);
    return { w, outcome, seen };
  } catch (e) {
    await w.close();
    throw e;
  }
}

describe('faults over TCP (IB adapter, simulator)', () => {
  it('every execDetails twice: each execution counted once, fills and outcome as without the fault', async () => {
    const clean = await overTcp(() => undefined);
    const cleanFills = clean.outcome.orders.map((o) => o.filled);
    await clean.w.close();
    const { w, outcome } = await overTcp((world) =>
      world.t.sim.faults.arm({ kind: 'duplicateEvent', event: 'execDetails', clientId: CLIENT_ID }),
    );
    try {
      assert.ok(
        w.t.sim.faults.history().some((f) => f.kind === 'duplicateEvent'),
        'executions were duplicated',
      );
      assert.deepEqual(
        outcome.orders.map((o) => o.filled),
        cleanFills,
      );
      for (const o of w.journal.ordersOfPlan(plan.planId)) {
        const ids = (w.journal.fillsOf(o.intent.orderRef)?.fills ?? []).map((f) => f.execId);
        assert.equal(new Set(ids).size, ids.length, `${o.intent.orderRef}: an execId journaled once`);
      }
    } finally {
      await w.close();
    }
  });

  it('a gateway restart right after the first fill (ids start over): nothing sent twice, no id reused, the plan ends', async () => {
    const { w, outcome, seen } = await overTcp((world, obs) => {
      let restarted = false;
      const stop = world.t.sim.venue.onEvent((e) => {
        if (restarted || e.type !== 'execution') return;
        restarted = true;
        stop();
        queueMicrotask(() => world.t.sim.restartGateway());
      });
      void obs;
    });
    try {
      assert.ok(
        seen.some((o) => o.event.type === 'connectivity' && o.event.state === 'lost'),
        'the bot saw the link go',
      );
      const ids = w.journal.ordersOfPlan(plan.planId).map((o) => o.intent.orderId);
      assert.equal(new Set(ids).size, ids.length, `order ids ${ids.join(',')}`);
      assert.ok(outcome.reason.length > 0);
    } finally {
      await w.close();
    }
  });

  it('a hedge partly filled at its deadline: the rest is cancelled at the broker, the condor sized by what filled', async () => {
    const { w, outcome } = await overTcp(() => undefined);
    try {
      const partial = outcome.orders.find(
        (o) => o.kind === 'hedge-open' && o.filled > 0 && o.filled < o.quantity,
      );
      assert.ok(partial !== undefined, `a hedge partly filled: ${outcome.reason}`);
      assert.equal(outcome.kind, 'PARTIAL');
      assert.match(
        outcome.reason,
        new RegExp(`${partial.orderKey} filled ${partial.filled} of ${partial.quantity} by its deadline`),
      );
      assert.match(outcome.reason, /condor filled \d+ of \d+: filled coverage \$[\d,.]+ allows \d+/);
      // At the broker: the hedge's last attempt ended cancelled with what filled, nothing of it works.
      const mine = w.t.sim.venue
        .completedOrders({})
        .filter((c) => c.order.request.orderRef.startsWith(`${plan.planId}:${partial.orderKey}:`));
      assert.ok(
        mine.some((c) => c.order.status === 'Cancelled' && c.order.filled > 0),
        'cancelled with its fills',
      );
      assert.equal(
        mine.reduce((n, c) => n + c.order.filled, 0),
        partial.filled,
      );
    } finally {
      await w.close();
    }
  });
});

async function withRig(
  body: (rig: DriverRig, plan: Plan) => Promise<void>,
  startingCash?: number,
): Promise<void> {
  const rig = await driverRig(startingCash !== undefined ? { startingCash } : {});
  try {
    await body(rig, await planNow(rig));
  } finally {
    await rig.stop();
  }
}

async function sentNothing(rig: DriverRig, p: Plan): Promise<void> {
  assert.deepEqual(value(await rig.broker.openOrders()), []);
  assert.deepEqual(value(await rig.broker.completedOrders()), []);
  assert.deepEqual(rig.journal.ordersOfPlan(p.planId), []);
}

describe('pre-flight faults (in-process): ABORTED with the failing check, nothing sent', () => {
  it('margin over the limit: the what-if margin of the plan exceeds the excess liquidity', () =>
    withRig(async (rig, p) => {
      const outcome = await runUntil(rig.clock, executePlan(rig.ports, request(p)));
      assert.equal(outcome.kind, 'ABORTED');
      assert.match(
        outcome.reason,
        /margin: what-if initial margin change \$[\d,.]+ > excess liquidity \$[\d,.]+/,
      );
      await sentNothing(rig, p);
    }, 500));

  it('a crossed quote at pre-flight names the leg', () =>
    withRig(async (rig, p) => {
      const real = quoteSourceFrom(rig.data);
      const crossed: typeof real = async (o) => {
        const r = await real(o);
        return r.ok ? { ...r, value: r.value.map((l) => ({ ...l, bid: (l.ask ?? 0) + 10 })) } : r;
      };
      const outcome = await runUntil(rig.clock, executePlan({ ...rig.ports, quotes: crossed }, request(p)));
      assert.equal(outcome.kind, 'ABORTED');
      assert.match(outcome.reason, /quotes: hedge:A:open: VIX [^;]* crossed \(bid \d+ > ask \d+\)/);
      await sentNothing(rig, p);
    }));

  it('a stale quote at pre-flight (the source says it is a minute old)', () =>
    withRig(async (rig, p) => {
      const real = quoteSourceFrom(rig.data);
      const stale: typeof real = async (o) => {
        const r = await real(o);
        return r.ok ? { ...r, value: r.value.map((l) => ({ ...l, timeMs: rig.clock.nowMs() - 60_000 })) } : r;
      };
      const outcome = await runUntil(rig.clock, executePlan({ ...rig.ports, quotes: stale }, request(p)));
      assert.equal(outcome.kind, 'ABORTED');
      assert.match(outcome.reason, /quotes: \S+: quote 60(\.0)? ?s old > 5(\.0)? ?s/);
      await sentNothing(rig, p);
    }));

  it('a missing option chain: run --once reports the capture failure naming it, and sends nothing', () =>
    withRig(async (rig, p) => {
      const noVixChain: MarketDataQuery = new Proxy(rig.data, {
        get(t, prop, receiver) {
          if (prop === 'optionChains')
            return (symbol: 'SPX' | 'VIX') =>
              symbol === 'VIX'
                ? Promise.resolve(err({ kind: 'not-found', text: 'no security definition has been found' }))
                : t.optionChains(symbol);
          return Reflect.get(t, prop, receiver) as unknown;
        },
      });
      const r = await runUntil(
        rig.clock,
        runOnce(
          {
            broker: rig.broker,
            marketData: noVixChain,
            journal: rig.journal,
            clock: rig.clock,
            logger: rig.ports.logger,
          },
          runOnceRequest(),
        ),
      );
      assert.equal(r.kind, 'capture-failed');
      if (r.kind !== 'capture-failed') return;
      assert.match(r.detail, /VIX option chains/);
      await sentNothing(rig, p);
      assert.deepEqual(rig.journal.recentPlans(5), []);
    }));
});
