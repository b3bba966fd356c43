// Reconciliation properties (fast-check, fixed seeds), over worlds where each order of up to three
// plans (today's or yesterday's) never reached IB, works, filled or was cancelled, with partial
// fills, a journal that recorded any prefix of it, orders of other tools, and a position offset:
// - the scoped view reconciliation reads gives the same result as the whole journal;
// - idempotent: applying the actions and reconciling again gives no action and the same flags;
// - the same result whatever the order of the reports and with any entry reported twice;
// - the same result when redundant entries are dropped. "Dropped" is precisely: a Filled order's
//   completed-order entry missing while all its executions are reported, or a working order's
//   open-order entry missing while at least one of its executions is reported. (An entry that is
//   an order's only trace is not redundant: without it the order is indistinguishable from one
//   that never reached IB, and the absence check waits, then proves it.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BrokerReports } from '../../src/domain/reconcile.ts';
import { applyReconcileActions } from '../../src/domain/reconcile.ts';
import { reconcileScope, scopeView } from '../../src/domain/journal-view.ts';
import type { Fate, OrderSpec, WorldSpec } from '../support/reconcile-world.ts';
import {
  NOW_MS,
  ORDER_KEYS,
  TODAY,
  buildWorld,
  dropEntries,
  reconcileAt,
} from '../support/reconcile-world.ts';

const RUNS = { numRuns: 150, seed: 20260310 };

const orderSpec: fc.Arbitrary<OrderSpec> = fc
  .record({
    key: fc.constantFrom(...ORDER_KEYS),
    quantity: fc.integer({ min: 1, max: 4 }),
    fate: fc.constantFrom('never-sent', 'working', 'filled', 'cancelled'),
    chunks: fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 3 }),
    knowledge: fc.record({
      submit: fc.constantFrom('pending' as const, 'unknown' as const, 'sent' as const),
      fillsKnown: fc.integer({ min: 0, max: 3 }),
      commissionsKnown: fc.boolean(),
      status: fc.constantFrom('none' as const, 'working' as const, 'final' as const),
      ageMs: fc.constantFrom(5_000, 60_000, 600_000),
    }),
  })
  .map(({ key, quantity, fate, chunks, knowledge }): OrderSpec => {
    const upTo = (limit: number): number[] => {
      const out: number[] = [];
      let sum = 0;
      for (const c of chunks) {
        if (sum + c > limit) break;
        out.push(c);
        sum += c;
      }
      return out;
    };
    let f: Fate;
    switch (fate) {
      case 'never-sent':
        f = { kind: 'never-sent' };
        break;
      case 'filled': {
        const fills = upTo(quantity);
        const rest = quantity - fills.reduce((a, b) => a + b, 0);
        f = { kind: 'filled', fills: rest > 0 ? [...fills, rest] : fills };
        break;
      }
      case 'working':
      case 'cancelled':
        f = { kind: fate, fills: upTo(quantity - 1) };
        break;
    }
    return { key, quantity, fate: f, knowledge };
  });

const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
  plans: fc.array(
    fc.record({
      day: fc.constantFrom('today' as const, 'today' as const, 'yesterday' as const, 'last-month' as const),
      orders: fc.array(orderSpec, { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
  foreign: fc.array(
    fc.record({ ours: fc.boolean(), ironvixRef: fc.boolean(), filled: fc.integer({ min: 0, max: 2 }) }),
    {
      maxLength: 2,
    },
  ),
  positionOffset: fc.constantFrom(0, 0, 0, 1, -2),
});

/** A small seeded generator, so a perturbation is reproducible from fast-check's integer. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffledWithDuplicates<T>(xs: readonly T[], next: () => number): T[] {
  const out = [...xs];
  for (const x of xs) if (next() < 0.3) out.push(x);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function perturb(r: BrokerReports, seed: number): BrokerReports {
  const next = rng(seed);
  return {
    openOrders: shuffledWithDuplicates(r.openOrders, next),
    completedOrders: shuffledWithDuplicates(r.completedOrders, next),
    executions: shuffledWithDuplicates(r.executions, next),
    commissions: shuffledWithDuplicates(r.commissions, next),
    positions: shuffledWithDuplicates(r.positions, next),
  };
}

const run = reconcileAt;

describe('reconcile properties', () => {
  test('idempotent: after its actions are applied, reconciling again gives no action and the same flags', () => {
    fc.assert(
      fc.property(worldSpec, (spec) => {
        const w = buildWorld(spec);
        const first = run(w.view, w.reports);
        const again = run(applyReconcileActions(w.view, first.actions, NOW_MS), w.reports);
        assert.deepEqual(again.actions, []);
        assert.deepEqual(again.flags, first.flags);
        assert.deepEqual(again.waiting, first.waiting);
      }),
      RUNS,
    );
  });

  test('the same result under shuffled and duplicated reports', () => {
    fc.assert(
      fc.property(worldSpec, fc.integer(), (spec, seed) => {
        const w = buildWorld(spec);
        assert.deepEqual(run(w.view, perturb(w.reports, seed)), run(w.view, w.reports));
      }),
      RUNS,
    );
  });

  test('the same result when redundant entries are dropped (and the rest shuffled and duplicated)', () => {
    fc.assert(
      fc.property(worldSpec, fc.integer(), (spec, seed) => {
        const w = buildWorld(spec);
        const next = rng(seed ^ 0x5bd1e995);
        const dropped = w.droppable.filter(() => next() < 0.6);
        const reports = perturb(dropEntries(w.reports, dropped), seed);
        assert.deepEqual(run(w.view, reports), run(w.view, w.reports));
      }),
      RUNS,
    );
  });

  test("the scoped view (recent orders, open orders, fills of live contracts) gives the whole journal's result", () => {
    fc.assert(
      fc.property(worldSpec, (spec) => {
        const w = buildWorld(spec);
        assert.deepEqual(run(scopeView(w.view, reconcileScope(TODAY)), w.reports), run(w.view, w.reports));
      }),
      RUNS,
    );
  });

  test('safety: nothing with a trace is proved absent, nothing is adopted twice, nothing foreign is adopted', () => {
    fc.assert(
      fc.property(worldSpec, (spec) => {
        const w = buildWorld(spec);
        const out = run(w.view, w.reports);
        const traced = new Set([
          ...w.reports.openOrders.map((r) => r.orderRef),
          ...w.reports.completedOrders.map((r) => r.orderRef),
          ...w.reports.executions.map((e) => e.orderRef),
        ]);
        const known = new Set(w.view.orders.map((o) => o.intent.orderRef));
        const journalExecs = new Set(w.view.fills.map((f) => f.execId));
        const adopted = out.actions.flatMap((a) => (a.kind === 'adopt-fill' ? [a] : []));
        for (const a of out.actions) {
          if (a.kind === 'prove-absent') assert.ok(!traced.has(a.orderRef), `${a.orderRef} has a trace`);
        }
        assert.equal(new Set(adopted.map((a) => a.execution.execId)).size, adopted.length);
        for (const a of adopted) {
          assert.ok(known.has(a.orderRef) && !journalExecs.has(a.execution.execId));
        }
      }),
      RUNS,
    );
  });
});
