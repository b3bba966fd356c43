// Property: driven by an IB-plausible broker that delivers late, reordered, duplicated and lost
// messages, refuses, drops orders silently and loses the link, the executor keeps its rules at
// every step (FakeVenue checks them on each event) and always ends with an outcome that matches
// the broker's own fills. Seeded, so a failure reproduces and shrinks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FixtureSpec, HedgeSpec } from './support/exec-fixture.ts';
import { makePlan, T0 } from './support/exec-fixture.ts';
import { FakeVenue } from './support/fake-venue.ts';

const hedgeOpen = fc.record({
  quantity: fc.integer({ min: 1, max: 8 }),
  stress: fc.integer({ min: 10_000, max: 120_000 }),
  legs: fc.constantFrom<1 | 2>(1, 2),
});

const specArb: fc.Arbitrary<FixtureSpec> = fc
  .record({
    opens: fc.array(hedgeOpen, { minLength: 0, maxLength: 3 }),
    trim: fc.option(
      fc.record({
        quantity: fc.integer({ min: 1, max: 3 }),
        stress: fc.integer({ min: 10_000, max: 80_000 }),
      }),
      { nil: null },
    ),
    roll: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    condorQuantity: fc.integer({ min: 0, max: 6 }),
    existing: fc.integer({ min: 0, max: 600_000 }),
    coverageTarget: fc.double({ min: 0.3, max: 1.5, noNaN: true }),
    steps: fc.integer({ min: 1, max: 5 }),
    intervalSeconds: fc.integer({ min: 5, max: 60 }),
    hedgeDeadlineMinutes: fc.integer({ min: 3, max: 12 }),
    condorDeadlineMinutes: fc.integer({ min: 5, max: 15 }),
  })
  .map((r) => {
    const hedges: HedgeSpec[] = r.opens.map((o, i) => ({
      kind: 'hedge-open',
      id: String.fromCharCode(65 + i),
      quantity: o.quantity,
      stressPnlPerContract: o.stress,
      legs: o.legs,
    }));
    if (r.trim !== null)
      hedges.push({
        kind: 'hedge-trim',
        id: 'L-T',
        quantity: r.trim.quantity,
        stressPnlPerContract: r.trim.stress,
      });
    if (r.roll !== null)
      hedges.push({ kind: 'hedge-roll-close', id: 'L-R', quantity: r.roll, stressPnlPerContract: 0 });
    return {
      hedges,
      condorQuantity: r.condorQuantity,
      existingStressPnl: r.existing,
      coverageTarget: r.coverageTarget,
      steps: r.steps,
      intervalSeconds: r.intervalSeconds,
      hedgeDeadlineMinutes: r.hedgeDeadlineMinutes,
      condorDeadlineMinutes: r.condorDeadlineMinutes,
    };
  });

/** Random numbers from fast-check's list, then a fixed generator once the list is spent. */
function randFrom(values: readonly number[]): () => number {
  let i = 0;
  let x = values.length * 2654435761 + 1;
  return () => {
    if (i < values.length) return (values[i++] ?? 0) / 1000;
    x = (Math.imul(x ^ (x >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    return (x % 1000) / 1000;
  };
}

function runOnce(spec: FixtureSpec, choices: readonly number[], actions: number, crashAt = -1): FakeVenue {
  const plan = makePlan(spec);
  const rand = randFrom(choices);
  const v = new FakeVenue(plan, T0, rand);
  v.start();
  for (let k = 0; k < actions && v.outcome === null; k++) {
    if (k === crashAt) v.crashAndRestore();
    const a = Math.floor(rand() * 100);
    if (a < 45) v.deliver();
    else if (a < 62) v.fillSomething();
    else if (a < 78) v.advance();
    else if (a < 84) v.duplicateExecution();
    else if (a < 87) v.disconnect();
    else if (a < 92) v.reconnect();
    else v.deliver(true);
  }
  v.drain(5_000);
  return v;
}

/** What every run must end with, whatever happened on the way (FakeVenue checked each step). */
function checkEnd(spec: FixtureSpec, v: FakeVenue): void {
  assert.ok(v.outcome !== null, `no outcome after ${v.steps} steps`);
  assert.deepEqual(v.liveTracks(), [], 'nothing is left working');
  for (const o of v.outcome.orders) {
    assert.equal(o.filled, v.truthFilled(o.orderKey), `${o.orderKey}: outcome filled vs broker`);
  }
  const planned = makePlan(spec).orders.length;
  const full = v.outcome.orders.filter((o) => o.filled >= o.quantity).length;
  const none = v.outcome.orders.every((o) => o.filled === 0);
  const expected = planned === 0 || full === planned ? 'COMPLETE' : none ? 'ABORTED' : 'PARTIAL';
  assert.equal(v.outcome.kind, expected, v.outcome.reason);
}

/** A plan with work to interleave: two or three hedges, a trim, a condor, a fast ladder. */
const busyArb: fc.Arbitrary<FixtureSpec> = fc
  .record({
    opens: fc.array(hedgeOpen, { minLength: 2, maxLength: 3 }),
    trim: fc.boolean(),
    condorQuantity: fc.integer({ min: 1, max: 6 }),
    existing: fc.integer({ min: 0, max: 200_000 }),
  })
  .map((r) => ({
    hedges: [
      ...r.opens.map((o, i): HedgeSpec => ({
        kind: 'hedge-open',
        id: String.fromCharCode(65 + i),
        quantity: o.quantity,
        stressPnlPerContract: o.stress,
        legs: o.legs,
      })),
      ...(r.trim
        ? [{ kind: 'hedge-trim', id: 'L-T', quantity: 2, stressPnlPerContract: 30_000 } as const]
        : []),
    ],
    condorQuantity: r.condorQuantity,
    existingStressPnl: r.existing,
    steps: 5,
    intervalSeconds: 8,
    hedgeDeadlineMinutes: 6,
    condorDeadlineMinutes: 10,
  }));

const choicesArb = fc.array(fc.noBias(fc.integer({ min: 0, max: 999 })), { maxLength: 400 });

describe('executor property: IB-plausible event sequences', () => {
  it('keeps coverage, never sends a ref twice or while blocked, and always ends matching the broker (300 runs)', () => {
    fc.assert(
      fc.property(specArb, choicesArb, fc.integer({ min: 30, max: 400 }), (spec, choices, actions) => {
        checkEnd(spec, runOnce(spec, choices, actions));
      }),
      { numRuns: 300, seed: 20260310 },
    );
  });

  it('the same on busy plans: several hedges, a trim, a condor and a fast ladder (200 runs)', () => {
    fc.assert(
      fc.property(busyArb, choicesArb, fc.integer({ min: 100, max: 400 }), (spec, choices, actions) => {
        checkEnd(spec, runOnce(spec, choices, actions));
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it('a crash at any point, then restore from the journal: nothing sent twice, the plan still ends right (200 runs)', () => {
    fc.assert(
      fc.property(
        busyArb,
        choicesArb,
        fc.integer({ min: 100, max: 300 }),
        fc.nat(300),
        (spec, choices, actions, crashAt) => {
          checkEnd(spec, runOnce(spec, choices, actions, crashAt % actions));
        },
      ),
      { numRuns: 200, seed: 99 },
    );
  });
});
