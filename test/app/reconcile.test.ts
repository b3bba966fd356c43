// The reconcile use case over a BrokerPort and a real journal: the safe actions land in the
// journal (and a second run finds nothing to do), a difference halts trading with a message that
// names it exactly, a clean run lifts only a halt that reconciliation set, and a broker that cannot
// answer changes nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import { createVirtualClock } from '../../src/adapters/clock/virtual-clock.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { applyReconcileActions } from '../../src/domain/reconcile.ts';
import { contractKey } from '../../src/domain/instruments.ts';
import type { JournalPort } from '../../src/ports/journal.ts';
import type { ReconcileOptions, ReconcileResult } from '../../src/app/reconcile.ts';
import { reconcileWithBroker } from '../../src/app/reconcile.ts';
import { createFakeBroker } from '../support/fake-broker.ts';
import { ACCOUNT } from '../support/journal-fixtures.ts';
import type { OrderSpec, World, WorldSpec } from '../support/reconcile-world.ts';
import { ABSENCE_AFTER_MS, NOW_MS, TODAY, buildWorld, knows } from '../support/reconcile-world.ts';

function journalOf(w: World): JournalPort {
  const j = createMemoryJournal('paper');
  for (const e of w.events) {
    const r = j.append(e);
    assert.notEqual(r.kind, 'rejected', JSON.stringify(r));
  }
  return j;
}

function setup(orders: readonly OrderSpec[], extra: Partial<WorldSpec> = {}) {
  const w = buildWorld({ plans: [{ day: 'today', orders }], foreign: [], positionOffset: 0, ...extra });
  const journal = journalOf(w);
  const broker = createFakeBroker(w.reports);
  const clock = createVirtualClock(NOW_MS);
  return { w, journal, broker, clock, deps: { broker, journal, clock, logger: silentLogger } };
}

const opts = (over: Partial<ReconcileOptions> = {}): ReconcileOptions => ({
  trigger: 'command',
  account: ACCOUNT,
  tradingDate: TODAY,
  absenceAfterMs: ABSENCE_AFTER_MS,
  positionSettleMs: 0,
  waitForAbsence: false,
  ...over,
});

function clean(r: ReconcileResult): Extract<ReconcileResult, { kind: 'clean' }> {
  assert.equal(r.kind, 'clean', r.message);
  if (r.kind !== 'clean') throw new Error('unreachable');
  return r;
}

function halted(r: ReconcileResult): Extract<ReconcileResult, { kind: 'halted' }> {
  assert.equal(r.kind, 'halted', r.message);
  if (r.kind !== 'halted') throw new Error('unreachable');
  return r;
}

describe('reconcile use case', () => {
  test('missed fills, an unacknowledged order and a lost one are repaired in the journal; a second run has nothing to do', async () => {
    const s = setup([
      {
        key: 'condor',
        quantity: 2,
        fate: { kind: 'filled', fills: [1, 1] },
        knowledge: knows({ submit: 'unknown', fillsKnown: 0, status: 'none', commissionsKnown: false }),
      },
      {
        key: 'hedge:A:open',
        quantity: 3,
        fate: { kind: 'never-sent' },
        knowledge: knows({ submit: 'unknown', status: 'none' }),
      },
    ]);
    const [condor, hedge] = s.w.view.orders;
    const first = clean(await reconcileWithBroker(s.deps, opts()));
    assert.deepEqual(first.resolved, [
      { orderRef: condor!.intent.orderRef, outcome: 'found' },
      { orderRef: hedge!.intent.orderRef, outcome: 'absent' },
    ]);
    assert.match(
      first.message,
      /8 missed execution\(s\) adopted, 8 commission\(s\) adopted, 1 unacknowledged order\(s\) found by orderRef, 1 order\(s\) marked final as IB reports them, 1 order\(s\) proved never to have reached IB/,
    );
    const c = s.journal.order(condor!.intent.orderRef)!;
    assert.deepEqual(
      [c.submit.kind, c.reported?.status, c.reported?.filled, c.permId],
      ['sent', 'Filled', 2, condor!.intent.orderId * 10 + 7],
    );
    assert.equal(s.journal.fillsOf(condor!.intent.orderRef)!.fills.length, 8);
    assert.equal(s.journal.order(hedge!.intent.orderRef)!.resolution?.kind, 'absent');
    assert.deepEqual(s.journal.haltState(), { halted: false });
    const second = clean(await reconcileWithBroker(s.deps, opts()));
    assert.deepEqual(second.applied, []);
    assert.equal(second.message, 'the journal agrees with IB');
    const types = s.journal.events({ afterId: s.w.events.length }).map((e) => e.event.type);
    assert.equal(types.filter((t) => t === 'reconciled').length, 2);
    assert.equal(types.filter((t) => t === 'positions').length, 2, 'a positions snapshot per run');
  });

  test("the journal's projection of the applied actions equals the pure reconcile's (sampled worlds)", async () => {
    const specs = fc.sample(
      fc.record({
        plans: fc.array(
          fc.record({
            day: fc.constantFrom('today' as const, 'yesterday' as const),
            orders: fc.array(
              fc.record({
                key: fc.constantFrom('hedge:A:open' as const, 'hedge:B:open' as const, 'condor' as const),
                quantity: fc.constant(2),
                fate: fc.constantFrom(
                  { kind: 'never-sent' as const },
                  { kind: 'working' as const, fills: [1] },
                  { kind: 'filled' as const, fills: [1, 1] },
                  { kind: 'cancelled' as const, fills: [] },
                ),
                knowledge: fc.record({
                  submit: fc.constantFrom('pending' as const, 'unknown' as const, 'sent' as const),
                  fillsKnown: fc.integer({ min: 0, max: 2 }),
                  commissionsKnown: fc.boolean(),
                  status: fc.constantFrom('none' as const, 'working' as const, 'final' as const),
                  ageMs: fc.constant(600_000),
                }),
              }),
              { minLength: 1, maxLength: 3 },
            ),
          }),
          { maxLength: 2 },
        ),
        foreign: fc.constant([]),
        positionOffset: fc.constant(0),
      }),
      { numRuns: 25, seed: 7 },
    );
    for (const spec of specs) {
      const w = buildWorld(spec);
      const journal = journalOf(w);
      const sortView = (v: ReturnType<JournalPort['reconcileView']>) => ({
        orders: [...v.orders].sort((a, b) => (a.intent.orderRef < b.intent.orderRef ? -1 : 1)),
        fills: [...v.fills].sort((a, b) => (a.execId < b.execId ? -1 : 1)),
        commissionExecIds: [...v.commissionExecIds].sort(),
      });
      assert.deepEqual(
        sortView(journal.reconcileView()),
        sortView(w.view),
        'the journal holds what the world says it saw',
      );
      const r = await reconcileWithBroker(
        {
          broker: createFakeBroker(w.reports),
          journal,
          clock: createVirtualClock(NOW_MS),
          logger: silentLogger,
        },
        opts(),
      );
      assert.notEqual(r.kind, 'unavailable');
      if (r.kind === 'unavailable') return;
      assert.deepEqual(
        sortView(journal.reconcileView()),
        sortView(applyReconcileActions(w.view, r.applied, NOW_MS)),
      );
    }
  });

  test('a position that differs halts trading; the message says which contract, by how much, and what to do', async () => {
    const s = setup(
      [{ key: 'hedge:A:open', quantity: 3, fate: { kind: 'filled', fills: [3] }, knowledge: knows() }],
      { positionOffset: -1 },
    );
    const r = halted(await reconcileWithBroker(s.deps, opts()));
    const leg = s.w.view.orders[0]!.intent.contract;
    assert.ok(leg.kind === 'single');
    const key = contractKey(leg.contract);
    assert.equal(r.code, 'E_RECONCILE_MISMATCH');
    assert.match(
      r.message,
      new RegExp(
        `position ${key}: the journal expects \\+3 from its fills, IB holds \\+2 \\(difference -1\\)`,
      ),
    );
    assert.match(r.message, /bring the position back to \+3 in TWS/);
    const halt = s.journal.haltState();
    assert.ok(halt.halted);
    assert.equal(halt.source, 'reconcile');
    assert.equal(halt.reason, r.message);
  });

  test('a position mismatch is read twice, a settle delay apart: one that was only IB catching up does not halt', async () => {
    const s = setup([
      { key: 'hedge:A:open', quantity: 3, fate: { kind: 'filled', fills: [3] }, knowledge: knows() },
    ]);
    const truth = s.broker.reports;
    s.broker.reports = {
      ...truth,
      positions: truth.positions.map((p) => ({ ...p, quantity: p.quantity - 3 })),
    };
    const running = reconcileWithBroker(s.deps, opts({ positionSettleMs: 2_000 }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(s.broker.reads.positions, 1);
    s.broker.reports = truth;
    s.clock.advance(2_000);
    const r = clean(await running);
    assert.equal(s.broker.reads.positions, 2);
    assert.deepEqual(r.flags, []);
  });

  test("another tool's order on SPX options halts trading and is never touched; one on other instruments is left alone", async () => {
    const s = setup([], {
      foreign: [
        { ours: true, ironvixRef: false, filled: 0 },
        { ours: false, ironvixRef: false, filled: 0 },
      ],
    });
    const r = halted(await reconcileWithBroker(s.deps, opts()));
    assert.equal(r.ignoredForeignOrders, 1);
    assert.deepEqual(r.applied, []);
    assert.match(
      r.message,
      /order orderRef other-tool-0 \(permId 7000000: BUY 1 SPX combo .*\) was not placed by ironvix .* ironvix never touches it/,
    );
  });

  test('a clean run lifts a halt that reconciliation set, never one a person set', async () => {
    const s = setup([
      { key: 'hedge:A:open', quantity: 3, fate: { kind: 'filled', fills: [3] }, knowledge: knows() },
    ]);
    s.journal.append({ type: 'halted', reason: 'earlier mismatch', source: 'reconcile', atMs: NOW_MS - 1 });
    const r = clean(await reconcileWithBroker(s.deps, opts()));
    assert.equal(r.liftedHalt, true);
    assert.match(r.message, /the halt set by an earlier reconciliation is lifted/);
    assert.deepEqual(s.journal.haltState(), { halted: false });
    s.journal.append({ type: 'halted', reason: 'kill switch', source: 'user', atMs: NOW_MS });
    const again = clean(await reconcileWithBroker(s.deps, opts()));
    assert.equal(again.liftedHalt, false);
    assert.equal(s.journal.haltState().halted, true);
  });

  test('a broker that cannot answer: unavailable, with the reason, and the journal is not touched', async () => {
    const s = setup([
      {
        key: 'condor',
        quantity: 1,
        fate: { kind: 'filled', fills: [1] },
        knowledge: knows({ fillsKnown: 0 }),
      },
    ]);
    s.broker.failure = { kind: 'disconnected', text: 'socket closed' };
    const before = s.journal.events().length;
    const r = await reconcileWithBroker(s.deps, opts());
    assert.equal(r.kind, 'unavailable');
    assert.equal(r.kind === 'unavailable' ? r.code : '', 'E_RECONCILE_UNAVAILABLE');
    assert.match(r.message, /disconnected: socket closed/);
    assert.equal(s.journal.events().length, before);
    assert.deepEqual(s.journal.haltState(), { halted: false });
  });

  test('fills arriving during the read: the reports are read again until executions and the rest agree', async () => {
    const s = setup([
      {
        key: 'hedge:A:open',
        quantity: 2,
        fate: { kind: 'filled', fills: [1, 1] },
        knowledge: knows({ fillsKnown: 0, status: 'working' }),
      },
    ]);
    const full = s.broker.reports;
    const firstFill = full.executions.slice(0, 1);
    s.broker.reports = { ...full, executions: [], commissions: [] };
    s.broker.onExecutionsRead = (n) => {
      if (n === 2) s.broker.reports = { ...full, executions: firstFill }; // a fill lands mid-read
      if (n === 4) s.broker.reports = full;
    };
    const r = clean(await reconcileWithBroker(s.deps, opts()));
    assert.equal(s.broker.reads.executions, 6, 'three reads of two executions() each');
    assert.equal(r.applied.filter((a) => a.kind === 'adopt-fill').length, 2);
  });

  test('an unacknowledged order too young to be proved absent is waited for on the clock, then proved absent', async () => {
    const s = setup([
      {
        key: 'condor',
        quantity: 2,
        fate: { kind: 'never-sent' },
        knowledge: knows({ submit: 'unknown', status: 'none', ageMs: 10_000 }),
      },
    ]);
    const ref = s.w.view.orders[0]!.intent.orderRef;
    const noWait = clean(await reconcileWithBroker(s.deps, opts()));
    assert.deepEqual(noWait.waiting, [{ orderRef: ref, untilMs: NOW_MS - 10_000 + 1 + ABSENCE_AFTER_MS }]);
    assert.match(noWait.message, /1 unacknowledged order\(s\) not yet provable absent/);
    const running = reconcileWithBroker(s.deps, opts({ waitForAbsence: true }));
    await new Promise((resolve) => setImmediate(resolve));
    s.clock.advance(ABSENCE_AFTER_MS);
    const r = clean(await running);
    assert.deepEqual(r.resolved, [{ orderRef: ref, outcome: 'absent' }]);
    assert.equal(s.journal.order(ref)!.resolution?.kind, 'absent');
  });
});
