import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { liveCondorContracts, allowedCondorContracts } from '../../../src/domain/execution/coverage.ts';
import { sendsBlocked, step } from '../../../src/domain/execution/executor.ts';
import { DEFAULT_EXECUTOR_CONFIG } from '../../../src/domain/execution/types.ts';
import type { ExecCommand } from '../../../src/domain/execution/types.ts';
import { makePlan, startEvent, T0 } from './support/exec-fixture.ts';
import { Runner, one, only, sends } from './support/runner.ts';
import type { Cmd } from './support/runner.ts';
import { fillReports, status } from './support/broker-events.ts';

const SEC = 1000;

describe('executor: hedges first, the condor released by filled coverage', () => {
  // Need per condor: 0.6 x (25.00 - 2.50 floor) x 100 x 100 = $1,350; each hedge contract $500.
  const plan = makePlan({
    hedges: [{ kind: 'hedge-open', id: 'A', quantity: 6, stressPnlPerContract: 50_000 }],
    condorQuantity: 2,
    existingStressPnl: 0,
  });

  it('walks a plan to COMPLETE', () => {
    const r = new Runner(plan, T0);
    const first = r.feed(startEvent(plan));
    const hedge = one(first, 'submit');
    assert.equal(hedge.orderKey, 'hedge:A:open');
    assert.equal(hedge.orderRef, `${plan.planId}:hedge:A:open:1`);
    assert.equal(hedge.quantity, 6);
    assert.equal(hedge.limitPrice, 155);
    assert.deepEqual(sends(r.accept(hedge, 101, T0 + 100)), []);
    const afterHalf = r.fill({
      orderKey: 'hedge:A:open',
      orderId: 101,
      orderRef: hedge.orderRef,
      quantity: 3,
      unitPrice: 155,
      tag: 'e1',
      atMs: T0 + 2 * SEC,
    });
    const condor = one(afterHalf, 'submit');
    assert.equal(condor.orderKey, 'condor');
    assert.equal(condor.quantity, 1, '$1,500 of coverage pays for one condor at $1,350');
    assert.equal(condor.limitPrice, -290);
    r.accept(condor, 102);
    assert.equal(liveCondorContracts(r.state), 1);
    const grow = one(
      r.fill({
        orderKey: 'hedge:A:open',
        orderId: 101,
        orderRef: hedge.orderRef,
        quantity: 3,
        unitPrice: 155,
        tag: 'e2',
        atMs: T0 + 3 * SEC,
      }),
      'modify',
    );
    assert.deepEqual(
      [grow.orderId, grow.orderRef, grow.quantity, grow.limitPrice],
      [102, condor.orderRef, 2, -290],
    );
    r.feed({
      type: 'modify-outcome',
      atMs: T0 + 3 * SEC,
      orderRef: condor.orderRef,
      outcome: { kind: 'sent' },
    });
    r.feed(status(T0 + 3 * SEC, 101, 'Filled', 6, 0));
    assert.equal(allowedCondorContracts(r.state), 2);
    r.fill({
      orderKey: 'condor',
      orderId: 102,
      orderRef: condor.orderRef,
      quantity: 2,
      unitPrice: 290,
      tag: 'c1',
      atMs: T0 + 4 * SEC,
    });
    const end = r.feed(status(T0 + 4 * SEC, 102, 'Filled', 2, 0));
    const fin = one(end, 'finish');
    assert.equal(fin.outcome.kind, 'COMPLETE', fin.outcome.reason);
    assert.deepEqual(
      only(r.all, 'submit').map((c) => c.orderKey),
      ['hedge:A:open', 'condor'],
    );
  });
});

const single = (quantity: number, stress = 50_000) =>
  ({ kind: 'hedge-open', id: 'A', quantity, stressPnlPerContract: stress }) as const;

describe('executor: pre-flight and start', () => {
  it('a failed pre-flight ends the plan ABORTED with every failing check and sends nothing', () => {
    const plan = makePlan({ hedges: [single(6)], condorQuantity: 2, existingStressPnl: 0 });
    const r = new Runner(plan, T0);
    const cmds = r.feed({
      type: 'start',
      atMs: T0,
      quotes: [],
      preflight: {
        ok: false,
        checks: [],
        failures: [
          { id: 'clock', ok: false, detail: 'system clock ahead of the gateway by 9.0 s > 3.0 s' },
          { id: 'margin', ok: false, detail: 'what-if initial margin change $9.00 > excess liquidity $1.00' },
        ],
      },
    });
    assert.deepEqual(sends(cmds), []);
    const fin = one(cmds, 'finish');
    assert.equal(fin.outcome.kind, 'ABORTED');
    assert.match(fin.outcome.reason, /pre-flight failed.*clock: system clock ahead.*margin: what-if/);
    assert.equal(fin.outcome.failedChecks.length, 2);
    assert.deepEqual(r.feed({ type: 'tick', atMs: T0 + 60 * SEC }), [], 'a finished plan does nothing more');
  });

  it('a plan with no orders is COMPLETE at once', () => {
    const plan = makePlan({ hedges: [], condorQuantity: 0, existingStressPnl: 0 });
    const fin = one(new Runner(plan, T0).feed(startEvent(plan)), 'finish');
    assert.equal(fin.outcome.kind, 'COMPLETE');
  });

  it('a book that already covers the condor sends it with the hedges, hedges first', () => {
    const plan = makePlan({
      hedges: [{ kind: 'hedge-trim', id: 'L1', quantity: 1, stressPnlPerContract: 40_000 }, single(2)],
      condorQuantity: 2,
      existingStressPnl: 300_000,
    });
    const cmds = new Runner(plan, T0).feed(startEvent(plan));
    assert.deepEqual(
      only(cmds, 'submit').map((c) => `${c.orderKey} x${c.quantity}`),
      ['trim:L1 x1', 'hedge:A:open x2', 'condor x2'],
    );
  });

  it('without a fresh start quote, the order is priced from a quote it asks for', () => {
    const plan = makePlan({ hedges: [single(2)], condorQuantity: 0, existingStressPnl: 0 });
    const r = new Runner(plan, T0);
    const cmds = r.feed({ ...startEvent(plan), quotes: [] } as never);
    assert.deepEqual(sends(cmds), []);
    const ask = one(cmds, 'request-quote');
    assert.deepEqual([ask.orderKey, ask.purpose, ask.step], ['hedge:A:open', 'submit', 0]);
    const sent = one(
      r.feed({
        type: 'quote',
        atMs: T0 + 200,
        orderKey: 'hedge:A:open',
        quote: { legs: [{ bid: 140, ask: 150 }] },
      }),
      'submit',
    );
    assert.equal(sent.limitPrice, 145, 'the mid of the moment');
  });
});

describe('executor: coverage invariant', () => {
  it('a working trim counts against coverage until it is cancelled unfilled', () => {
    // Held $300,000 of which the trim sells $100,000: $200,000 certain -> 1 condor; unfilled trim -> 2.
    const plan = makePlan({
      hedges: [{ kind: 'hedge-trim', id: 'L1', quantity: 2, stressPnlPerContract: 50_000 }],
      condorQuantity: 2,
      existingStressPnl: 200_000,
    });
    const r = new Runner(plan, T0, DEFAULT_EXECUTOR_CONFIG);
    const start = r.feed(startEvent(plan));
    const [trim, condor] = only(start, 'submit');
    assert.equal(condor!.quantity, 1);
    r.accept(trim!, 201);
    r.accept(condor!, 202);
    // The trim's deadline (10 min) passes unfilled: cancelled, the coverage comes back, the condor grows.
    const atDeadline = r.tick(T0 + 10 * 60 * SEC);
    const cancel = one(atDeadline, 'cancel');
    assert.deepEqual([cancel.orderKey, cancel.reason], ['trim:L1', 'deadline']);
    r.feed({ type: 'cancel-outcome', atMs: r.now, orderRef: trim!.orderRef, outcome: { kind: 'sent' } });
    const grown = r.feed(status(r.now, 201, 'Cancelled', 0, 2));
    const modify = one(grown, 'modify');
    assert.deepEqual([modify.orderKey, modify.quantity], ['condor', 2]);
  });

  it('the condor filled at a better credit than its floor needs less coverage', () => {
    // Coverage $270,000: at the floor credit 2.50 two condors need exactly $270,000.
    const plan = makePlan({ hedges: [single(9, 30_000)], condorQuantity: 3, existingStressPnl: 0 });
    const r = new Runner(plan, T0);
    const h = one(r.feed(startEvent(plan)), 'submit');
    r.accept(h, 1);
    const c = one(
      r.fill({
        orderKey: 'hedge:A:open',
        orderId: 1,
        orderRef: h.orderRef,
        quantity: 9,
        unitPrice: 155,
        tag: 'h',
      }),
      'submit',
    );
    assert.equal(c.quantity, 2);
    r.accept(c, 2);
    // Two condors fill at 3.40: each needs 0.6 x (25.00 - 3.40) x 10,000 = $1,296; 3 x 1,296 > 2,700.
    r.fill({ orderKey: 'condor', orderId: 2, orderRef: c.orderRef, quantity: 2, unitPrice: 340, tag: 'c' });
    assert.equal(allowedCondorContracts(r.state), 2);
    assert.equal(liveCondorContracts(r.state), 2);
  });
});

/** A plan with one hedge A (x6, $500 each) and a condor of 2; the hedge accepted as order 1. */
function hedgeWorking(opts: { condor?: number; quantity?: number } = {}): {
  r: Runner;
  hedge: Cmd<'submit'>;
} {
  const plan = makePlan({
    hedges: [single(opts.quantity ?? 6)],
    condorQuantity: opts.condor ?? 2,
    existingStressPnl: 0,
  });
  const r = new Runner(plan, T0);
  const hedge = one(r.feed(startEvent(plan)), 'submit');
  r.accept(hedge, 1, T0 + 100);
  return { r, hedge };
}

describe('executor: the ladder', () => {
  it('each step re-reads the quote and walks from its mid toward its natural, keeping orderId and orderRef', () => {
    const { r, hedge } = hedgeWorking({ condor: 0 });
    assert.deepEqual(sends(r.tick(T0 + 29 * SEC)), []);
    const ask = one(r.tick(T0 + 30 * SEC), 'request-quote');
    assert.deepEqual([ask.orderKey, ask.purpose, ask.step], ['hedge:A:open', 'step', 1]);
    // Mid 1.45, natural 1.50: step 1 of 3 is halfway, 1.48 on the penny tick.
    const m1 = one(
      r.feed({
        type: 'quote',
        atMs: T0 + 30.2 * SEC,
        orderKey: 'hedge:A:open',
        quote: { legs: [{ bid: 140, ask: 150 }] },
      }),
      'modify',
    );
    assert.deepEqual(
      [m1.orderId, m1.orderRef, m1.limitPrice, m1.quantity, m1.ladderStep],
      [1, hedge.orderRef, 148, 6, 1],
    );
    r.feed({
      type: 'modify-outcome',
      atMs: T0 + 30.3 * SEC,
      orderRef: hedge.orderRef,
      outcome: { kind: 'sent' },
    });
    one(r.tick(T0 + 60 * SEC), 'request-quote');
    // The last step is the natural of the moment (1.50), not the floor 1.60: never past the natural.
    const m2 = one(
      r.feed({
        type: 'quote',
        atMs: T0 + 60.1 * SEC,
        orderKey: 'hedge:A:open',
        quote: { legs: [{ bid: 140, ask: 150 }] },
      }),
      'modify',
    );
    assert.equal(m2.limitPrice, 150);
    r.feed({
      type: 'modify-outcome',
      atMs: T0 + 60.2 * SEC,
      orderRef: hedge.orderRef,
      outcome: { kind: 'sent' },
    });
    // The ask jumps to 2.00: the last step stops at the floor 1.60, never past it.
    assert.equal(only(r.tick(T0 + 90 * SEC), 'request-quote').length, 0, 'no step after the last');
  });

  it('the last step is the floor when the natural is worse than the floor', () => {
    const { r } = hedgeWorking({ condor: 0 });
    r.tick(T0 + 30 * SEC);
    r.feed({
      type: 'quote',
      atMs: T0 + 30 * SEC,
      orderKey: 'hedge:A:open',
      quote: { legs: [{ bid: 190, ask: 210 }] },
    });
    const m = one(r.all.slice(-2), 'modify');
    assert.equal(m.limitPrice, 160, 'mid 2.00 and natural 2.10 both beyond the max debit 1.60');
  });

  it('a crossed or missing quote moves nothing; the ladder keeps its time', () => {
    const { r } = hedgeWorking({ condor: 0 });
    r.tick(T0 + 30 * SEC);
    assert.deepEqual(
      sends(
        r.feed({
          type: 'quote',
          atMs: T0 + 30 * SEC,
          orderKey: 'hedge:A:open',
          quote: { legs: [{ bid: 170, ask: 150 }] },
        }),
      ),
      [],
    );
    assert.deepEqual(
      sends(r.feed({ type: 'quote', atMs: T0 + 31 * SEC, orderKey: 'hedge:A:open', quote: null })),
      [],
    );
    const next = one(r.tick(T0 + 60 * SEC), 'request-quote');
    assert.equal(next.step, 2);
  });

  it('an unsolicited quote neither creates, moves nor cancels an order', () => {
    const { r } = hedgeWorking({ condor: 2 });
    const cmds = r.feed({
      type: 'quote',
      atMs: T0 + SEC,
      orderKey: 'condor',
      quote: {
        legs: [
          { bid: 900, ask: 950 },
          { bid: 1, ask: 2 },
          { bid: 900, ask: 950 },
          { bid: 1, ask: 2 },
        ],
      },
    });
    assert.deepEqual(sends(cmds), []);
    assert.deepEqual(
      sends(
        r.feed({
          type: 'quote',
          atMs: T0 + SEC,
          orderKey: 'hedge:A:open',
          quote: { legs: [{ bid: 10, ask: 11 }] },
        }),
      ),
      [],
    );
  });

  it('a step reached while a modify is in flight moves the limit once that modify is answered', () => {
    const { r, hedge } = hedgeWorking({ condor: 0 });
    r.tick(T0 + 30 * SEC);
    r.feed({
      type: 'quote',
      atMs: T0 + 30 * SEC,
      orderKey: 'hedge:A:open',
      quote: { legs: [{ bid: 140, ask: 150 }] },
    });
    r.tick(T0 + 60 * SEC);
    assert.deepEqual(
      sends(
        r.feed({
          type: 'quote',
          atMs: T0 + 60.5 * SEC,
          orderKey: 'hedge:A:open',
          quote: { legs: [{ bid: 140, ask: 150 }] },
        }),
      ),
      [],
    );
    const m = one(
      r.feed({
        type: 'modify-outcome',
        atMs: T0 + 61 * SEC,
        orderRef: hedge.orderRef,
        outcome: { kind: 'sent' },
      }),
      'modify',
    );
    assert.equal(m.limitPrice, 150);
  });
});

describe('executor: unknown outcomes and the link', () => {
  it('an unknown submit blocks every send until reconcile proves the order absent; the retry takes a new orderRef', () => {
    const plan = makePlan({
      hedges: [
        single(6),
        { kind: 'hedge-open', id: 'B', quantity: 2, stressPnlPerContract: 20_000, legs: 2 },
      ],
      condorQuantity: 2,
      existingStressPnl: 0,
    });
    const r = new Runner(plan, T0);
    const [a, b] = only(r.feed(startEvent(plan)), 'submit');
    r.accept(b!, 2);
    r.feed({ type: 'order-id', atMs: T0, orderRef: a!.orderRef, orderId: 1 });
    const unknown = r.feed({
      type: 'submit-outcome',
      atMs: T0 + SEC,
      orderRef: a!.orderRef,
      outcome: { kind: 'unknown', reason: 'no answer in 5 s' },
    });
    const rec = one(unknown, 'reconcile');
    assert.deepEqual([rec.reason, rec.orderRefs], ['unknown-outcome', [a!.orderRef]]);
    assert.ok(sendsBlocked(r.state));
    // B fills meanwhile (coverage for a condor), and the ladder's time comes: still nothing is sent.
    const meanwhile = [
      ...r.feedAll(
        fillReports({
          plan,
          orderKey: 'hedge:B:open',
          orderId: 2,
          orderRef: b!.orderRef,
          quantity: 2,
          unitPrice: 51,
          tag: 'b',
          atMs: T0 + 2 * SEC,
        }).map((execution) => ({ type: 'execution' as const, atMs: T0 + 2 * SEC, execution })),
      ),
      ...r.tick(T0 + 30 * SEC),
    ];
    assert.deepEqual(sends(meanwhile), []);
    const resumed = r.feed({
      type: 'reconcile-result',
      atMs: T0 + 31 * SEC,
      requestId: rec.requestId,
      failure: null,
      orders: [{ orderRef: a!.orderRef, found: null }],
    });
    assert.ok(!sendsBlocked(r.state));
    const retry = only(resumed, 'submit').concat(
      only(
        r.feed({
          type: 'quote',
          atMs: T0 + 31.1 * SEC,
          orderKey: 'hedge:A:open',
          quote: { legs: [{ bid: 150, ask: 160 }] },
        }),
        'submit',
      ),
    );
    assert.equal(retry.length, 1);
    assert.equal(retry[0]!.orderRef, `${plan.planId}:hedge:A:open:2`);
    assert.equal(retry[0]!.quantity, 6);
  });

  it('an unknown submit that reconcile finds is adopted, not sent again', () => {
    const { r } = (() => {
      const plan = makePlan({ hedges: [single(6)], condorQuantity: 2, existingStressPnl: 0 });
      const runner = new Runner(plan, T0);
      return { r: runner };
    })();
    const h = one(r.feed(startEvent(r.plan)), 'submit');
    r.feed({ type: 'order-id', atMs: T0, orderRef: h.orderRef, orderId: 7 });
    const rec = one(
      r.feed({
        type: 'submit-outcome',
        atMs: T0 + SEC,
        orderRef: h.orderRef,
        outcome: { kind: 'unknown', reason: 'link dropped mid-send' },
      }),
      'reconcile',
    );
    const execs = fillReports({
      plan: r.plan,
      orderKey: 'hedge:A:open',
      orderId: 7,
      orderRef: h.orderRef,
      quantity: 6,
      unitPrice: 155,
      tag: 'x',
      atMs: T0 + SEC,
    });
    const after = r.feed({
      type: 'reconcile-result',
      atMs: T0 + 2 * SEC,
      requestId: rec.requestId,
      failure: null,
      orders: [
        {
          orderRef: h.orderRef,
          found: { orderId: 7, status: 'Filled', filled: 6, quantity: 6, executions: execs },
        },
      ],
    });
    const submits = only(after, 'submit').concat(
      only(r.all, 'submit').filter((c) => c.orderKey === 'hedge:A:open' && c !== h),
    );
    assert.deepEqual(
      submits.map((c) => c.orderKey),
      ['condor'],
      'the hedge is never sent again; its fills release the condor',
    );
  });

  it('an unknown modify keeps counting the larger quantity until reconcile says', () => {
    const { r, hedge } = hedgeWorking({ condor: 2 });
    const c = one(
      r.fill({
        orderKey: 'hedge:A:open',
        orderId: 1,
        orderRef: hedge.orderRef,
        quantity: 3,
        unitPrice: 155,
        tag: 'h1',
      }),
      'submit',
    );
    r.accept(c, 2);
    const m = one(
      r.fill({
        orderKey: 'hedge:A:open',
        orderId: 1,
        orderRef: hedge.orderRef,
        quantity: 3,
        unitPrice: 155,
        tag: 'h2',
      }),
      'modify',
    );
    assert.equal(m.quantity, 2);
    const rec = one(
      r.feed({
        type: 'modify-outcome',
        atMs: r.now,
        orderRef: c.orderRef,
        outcome: { kind: 'unknown', reason: 'timeout' },
      }),
      'reconcile',
    );
    assert.equal(liveCondorContracts(r.state), 2);
    const answered = r.feed({
      type: 'reconcile-result',
      atMs: r.now + SEC,
      requestId: rec.requestId,
      failure: null,
      orders: [
        {
          orderRef: c.orderRef,
          found: { orderId: 2, status: 'Submitted', filled: 0, quantity: 1, executions: [] },
        },
      ],
    });
    // IB kept 1: the machine grows it again (the modify is sent anew, same orderId and orderRef).
    const again = one(answered, 'modify');
    assert.deepEqual([again.orderId, again.orderRef, again.quantity], [2, c.orderRef, 2]);
  });

  it('a lost link stops every send until it is restored and reconciled', () => {
    const { r, hedge } = hedgeWorking({ condor: 2 });
    r.feed({ type: 'connectivity', atMs: T0 + 10 * SEC, state: 'lost' });
    assert.deepEqual(sends([...r.tick(T0 + 30 * SEC), ...r.tick(T0 + 60 * SEC)]), []);
    const restored = r.feed({ type: 'connectivity', atMs: T0 + 70 * SEC, state: 'restored' });
    const rec = one(restored, 'reconcile');
    assert.deepEqual([rec.reason, rec.orderRefs], ['reconnect', [hedge.orderRef]]);
    assert.deepEqual(sends(restored), []);
    // IB filled 3 while the link was down: only reconcile tells; then the condor is released.
    const execs = fillReports({
      plan: r.plan,
      orderKey: 'hedge:A:open',
      orderId: 1,
      orderRef: hedge.orderRef,
      quantity: 3,
      unitPrice: 155,
      tag: 'down',
      atMs: T0 + 40 * SEC,
    });
    r.feed({
      type: 'reconcile-result',
      atMs: T0 + 71 * SEC,
      requestId: rec.requestId,
      failure: null,
      orders: [
        {
          orderRef: hedge.orderRef,
          found: { orderId: 1, status: 'Submitted', filled: 3, quantity: 6, executions: execs },
        },
      ],
    });
    const wants = r.all.slice(-4).map((c) => c.type);
    assert.ok(wants.includes('request-quote') || wants.includes('submit'), wants.join(','));
  });

  it('a reconcile that fails is asked again after the retry delay', () => {
    const { r, hedge } = hedgeWorking({ condor: 2 });
    r.feed({ type: 'connectivity', atMs: T0 + SEC, state: 'lost' });
    const rec = one(r.feed({ type: 'connectivity', atMs: T0 + 2 * SEC, state: 'restored' }), 'reconcile');
    assert.deepEqual(
      only(
        r.feed({
          type: 'reconcile-result',
          atMs: T0 + 3 * SEC,
          requestId: rec.requestId,
          failure: 'timeout',
          orders: [],
        }),
        'reconcile',
      ),
      [],
    );
    const again = one(r.tick(T0 + 8 * SEC), 'reconcile');
    assert.deepEqual(again.orderRefs, [hedge.orderRef]);
    assert.ok(again.requestId > rec.requestId);
  });
});

describe('executor: what IB really sends', () => {
  it('a duplicated execution is counted once', () => {
    const { r, hedge } = hedgeWorking({ condor: 2 });
    const execs = fillReports({
      plan: r.plan,
      orderKey: 'hedge:A:open',
      orderId: 1,
      orderRef: hedge.orderRef,
      quantity: 3,
      unitPrice: 155,
      tag: 'd',
      atMs: T0 + SEC,
    });
    const twice = [...execs, ...execs, ...execs].map((execution) => ({
      type: 'execution' as const,
      atMs: T0 + SEC,
      execution,
    }));
    const c = one(r.feedAll(twice), 'submit');
    assert.equal(c.quantity, 1, 'three fills of $500, not nine');
    assert.equal(allowedCondorContracts(r.state), 1);
  });

  it('statuses before the submit outcome and before openOrder are applied, and the late outcome changes nothing', () => {
    const plan = makePlan({ hedges: [single(2)], condorQuantity: 0, existingStressPnl: 0 });
    const r = new Runner(plan, T0);
    const h = one(r.feed(startEvent(plan)), 'submit');
    r.feed({ type: 'order-id', atMs: T0, orderRef: h.orderRef, orderId: 5 });
    r.feed(status(T0 + 10, 5, 'Submitted', 0, 2));
    r.feed({
      type: 'open-order',
      atMs: T0 + 20,
      orderId: 5,
      orderRef: h.orderRef,
      status: 'PreSubmitted',
      quantity: 2,
      filled: 0,
    });
    assert.equal(
      r.state.slots[0]!.tracks[0]!.phase,
      'submitted',
      'an older PreSubmitted does not move it back',
    );
    r.feed({ type: 'submit-outcome', atMs: T0 + 30, orderRef: h.orderRef, outcome: { kind: 'sent' } });
    assert.equal(r.state.slots[0]!.tracks[0]!.phase, 'submitted');
  });

  it('a Filled status before its executions waits for them; missing ones are reconciled after the grace', () => {
    const plan = makePlan({ hedges: [single(2)], condorQuantity: 0, existingStressPnl: 0 });
    const r = new Runner(plan, T0);
    const h = one(r.feed(startEvent(plan)), 'submit');
    r.accept(h, 5);
    assert.deepEqual(
      only(r.feed(status(T0 + SEC, 5, 'Filled', 2, 0)), 'finish'),
      [],
      'the fills are not counted yet',
    );
    const rec = one(r.tick(T0 + 6 * SEC), 'reconcile');
    assert.deepEqual([rec.reason, rec.orderRefs], ['missing-executions', [h.orderRef]]);
    const execs = fillReports({
      plan,
      orderKey: 'hedge:A:open',
      orderId: 5,
      orderRef: h.orderRef,
      quantity: 2,
      unitPrice: 156,
      tag: 'm',
      atMs: T0 + SEC,
    });
    const end = r.feed({
      type: 'reconcile-result',
      atMs: T0 + 7 * SEC,
      requestId: rec.requestId,
      failure: null,
      orders: [
        {
          orderRef: h.orderRef,
          found: { orderId: 5, status: 'Filled', filled: 2, quantity: 2, executions: execs },
        },
      ],
    });
    const fin = one(end, 'finish');
    assert.equal(fin.outcome.kind, 'COMPLETE');
    assert.equal(fin.outcome.orders[0]!.averagePrice, 156);
  });

  it('a fill after the cancel request counts; the order ends filled', () => {
    const { r, hedge } = hedgeWorking({ condor: 0, quantity: 2 });
    const cancel = one(r.tick(T0 + 10 * 60 * SEC), 'cancel');
    assert.equal(cancel.orderId, 1);
    r.feed({ type: 'cancel-outcome', atMs: r.now, orderRef: hedge.orderRef, outcome: { kind: 'sent' } });
    r.feed(status(r.now, 1, 'PendingCancel', 0, 2));
    r.fill({
      orderKey: 'hedge:A:open',
      orderId: 1,
      orderRef: hedge.orderRef,
      quantity: 2,
      unitPrice: 160,
      tag: 'late',
    });
    const fin = one(r.feed(status(r.now, 1, 'Filled', 2, 0)), 'finish');
    assert.equal(fin.outcome.kind, 'COMPLETE');
    assert.equal(fin.outcome.orders[0]!.phase, 'filled');
  });

  it('a Cancelled that races a fill: Filled arriving after Cancelled wins', () => {
    const { r, hedge } = hedgeWorking({ condor: 0, quantity: 2 });
    r.tick(T0 + 10 * 60 * SEC);
    r.feed({ type: 'cancel-outcome', atMs: r.now, orderRef: hedge.orderRef, outcome: { kind: 'sent' } });
    r.feed(status(r.now, 1, 'Cancelled', 1, 1));
    r.fill({
      orderKey: 'hedge:A:open',
      orderId: 1,
      orderRef: hedge.orderRef,
      quantity: 1,
      unitPrice: 160,
      tag: 'x',
    });
    const fin = one(r.all, 'finish');
    assert.equal(fin.outcome.kind, 'PARTIAL');
    assert.match(fin.outcome.reason, /hedge:A:open filled 1 of 2 by its deadline/);
  });

  it('PreSubmitted forever counts as live and is cancelled at its deadline', () => {
    const plan = makePlan({ hedges: [], condorQuantity: 2, existingStressPnl: 400_000 });
    const r = new Runner(plan, T0);
    const c = one(r.feed(startEvent(plan)), 'submit');
    r.accept(c, 9, T0, 'PreSubmitted');
    assert.equal(liveCondorContracts(r.state), 2);
    const cancel = one(r.tick(T0 + 15 * 60 * SEC), 'cancel');
    assert.equal(cancel.reason, 'deadline');
    r.feed({ type: 'cancel-outcome', atMs: r.now, orderRef: c.orderRef, outcome: { kind: 'sent' } });
    const fin = one(r.feed(status(r.now, 9, 'Cancelled', 0, 2)), 'finish');
    assert.equal(fin.outcome.kind, 'ABORTED');
    assert.match(fin.outcome.reason, /nothing filled/);
  });

  it('a status after a final state changes nothing and sends nothing', () => {
    const { r } = hedgeWorking({ condor: 0, quantity: 2 });
    r.feed(status(T0 + SEC, 1, 'Cancelled', 0, 2));
    const late = r.feedAll([
      status(T0 + 2 * SEC, 1, 'Submitted', 0, 2),
      status(T0 + 2 * SEC, 1, 'PendingCancel', 0, 2),
    ]);
    assert.deepEqual(sends(late), []);
    assert.equal(r.state.slots[0]!.tracks[0]!.phase, 'cancelled');
  });

  it('IB cancelling or deactivating an order on its own is final and never retried', () => {
    const { r } = hedgeWorking({ condor: 0, quantity: 2 });
    r.feed({
      type: 'error',
      atMs: T0 + SEC,
      id: 1,
      code: 201,
      text: 'Order rejected - reason: margin',
      codeClass: 'refused',
    });
    const fin = one(r.feed(status(T0 + SEC, 1, 'Inactive', 0, 2)), 'finish');
    assert.match(fin.outcome.reason, /IB made it inactive \(201 Order rejected/);
    assert.equal(only(r.all, 'submit').length, 1);
  });

  it('a cancel refused while the order still works is reconciled before anything else', () => {
    const { r, hedge } = hedgeWorking({ condor: 0, quantity: 2 });
    r.tick(T0 + 10 * 60 * SEC);
    const refused = r.feed({
      type: 'cancel-outcome',
      atMs: r.now,
      orderRef: hedge.orderRef,
      outcome: { kind: 'refused', code: 10148, text: 'cannot be cancelled' },
    });
    const rec = one(refused, 'reconcile');
    assert.equal(rec.reason, 'cancel-refused');
    const again = r.feed({
      type: 'reconcile-result',
      atMs: r.now + SEC,
      requestId: rec.requestId,
      failure: null,
      orders: [
        {
          orderRef: hedge.orderRef,
          found: { orderId: 1, status: 'Submitted', filled: 0, quantity: 2, executions: [] },
        },
      ],
    });
    assert.equal(one(again, 'cancel').orderId, 1, 'still working past its deadline: cancelled again');
  });

  it('a cancel IB never confirms is reconciled after the grace', () => {
    const { r, hedge } = hedgeWorking({ condor: 0, quantity: 2 });
    r.tick(T0 + 10 * 60 * SEC);
    r.feed({ type: 'cancel-outcome', atMs: r.now, orderRef: hedge.orderRef, outcome: { kind: 'sent' } });
    const rec = one(r.tick(r.now + 10 * SEC), 'reconcile');
    assert.equal(rec.reason, 'cancel-unconfirmed');
    const end = r.feed({
      type: 'reconcile-result',
      atMs: r.now + SEC,
      requestId: rec.requestId,
      failure: null,
      orders: [{ orderRef: hedge.orderRef, found: null }],
    });
    assert.equal(one(end, 'finish').outcome.kind, 'ABORTED');
  });
});

describe('executor: how a plan ends', () => {
  it('the condor refused after the hedges filled: PARTIAL, the hedges stay, nothing is sold', () => {
    const { r, hedge } = hedgeWorking({ condor: 2 });
    r.fill({
      orderKey: 'hedge:A:open',
      orderId: 1,
      orderRef: hedge.orderRef,
      quantity: 6,
      unitPrice: 155,
      tag: 'h',
    });
    r.feed(status(r.now, 1, 'Filled', 6, 0));
    const c = only(r.all, 'submit')[1]!;
    r.feed({ type: 'order-id', atMs: r.now, orderRef: c.orderRef, orderId: 2 });
    const end = r.feed({
      type: 'submit-outcome',
      atMs: r.now,
      orderRef: c.orderRef,
      outcome: { kind: 'refused', code: 201, text: 'Order rejected - reason: riskless combination' },
    });
    const fin = one(end, 'finish');
    assert.equal(fin.outcome.kind, 'PARTIAL');
    assert.match(fin.outcome.reason, /condor filled 0 of 2: refused by IB \(201 Order rejected/);
    assert.match(fin.outcome.reason, /filled hedges stay in the book/);
    assert.deepEqual(
      only(r.all, 'submit').map((x) => `${x.action} ${x.orderKey}`),
      ['BUY hedge:A:open', 'BUY condor'],
    );
    assert.equal(fin.outcome.orders[0]!.filled, 6);
  });

  it('a hedge partly filled at its deadline: the rest is cancelled, the condor sized by what filled', () => {
    const plan = makePlan({
      hedges: [single(6)],
      condorQuantity: 2,
      existingStressPnl: 0,
      condorDeadlineMinutes: 20,
    });
    const r = new Runner(plan, T0);
    const h = one(r.feed(startEvent(plan)), 'submit');
    r.accept(h, 1);
    const c = one(
      r.fill({
        orderKey: 'hedge:A:open',
        orderId: 1,
        orderRef: h.orderRef,
        quantity: 4,
        unitPrice: 155,
        tag: 'h',
        atMs: T0 + SEC,
      }),
      'submit',
    );
    assert.equal(c.quantity, 1);
    r.accept(c, 2);
    const atDeadline = r.tick(T0 + 10 * 60 * SEC);
    assert.deepEqual(
      only(atDeadline, 'cancel').map((x) => x.orderKey),
      ['hedge:A:open'],
    );
    r.feed({ type: 'cancel-outcome', atMs: r.now, orderRef: h.orderRef, outcome: { kind: 'sent' } });
    r.feed(status(r.now, 1, 'Cancelled', 4, 2));
    r.fill({ orderKey: 'condor', orderId: 2, orderRef: c.orderRef, quantity: 1, unitPrice: 280, tag: 'c' });
    const fin = one(r.feed(status(r.now, 2, 'Filled', 1, 0)), 'finish');
    assert.equal(fin.outcome.kind, 'PARTIAL');
    assert.equal(fin.outcome.condorFilled, 1);
    assert.match(fin.outcome.reason, /hedge:A:open filled 4 of 6 by its deadline/);
  });

  it('abort cancels what works and reports why', () => {
    const { r, hedge } = hedgeWorking({ condor: 2 });
    r.fill({
      orderKey: 'hedge:A:open',
      orderId: 1,
      orderRef: hedge.orderRef,
      quantity: 1,
      unitPrice: 155,
      tag: 'h',
    });
    const cancel = one(r.feed({ type: 'abort', atMs: r.now, reason: 'SIGTERM' }), 'cancel');
    assert.equal(cancel.reason, 'abort');
    r.feed({ type: 'cancel-outcome', atMs: r.now, orderRef: hedge.orderRef, outcome: { kind: 'sent' } });
    const fin = one(r.feed(status(r.now, 1, 'Cancelled', 1, 5)), 'finish');
    assert.equal(fin.outcome.kind, 'PARTIAL');
    assert.match(fin.outcome.reason, /^aborted \(SIGTERM\)/);
  });

  it('commissions are summed per order, each execId once', () => {
    const plan = makePlan({ hedges: [single(1)], condorQuantity: 0, existingStressPnl: 0 });
    const r = new Runner(plan, T0);
    const h = one(r.feed(startEvent(plan)), 'submit');
    r.accept(h, 1);
    r.feed({
      type: 'commission',
      atMs: r.now,
      report: { execId: 'k.1', commission: 145 as never, realizedPnl: null },
    });
    r.feed({
      type: 'commission',
      atMs: r.now,
      report: { execId: 'k.1', commission: 145 as never, realizedPnl: null },
    });
    r.fill({
      orderKey: 'hedge:A:open',
      orderId: 1,
      orderRef: h.orderRef,
      quantity: 1,
      unitPrice: 155,
      tag: 'k',
    });
    const fin = one(r.feed(status(r.now, 1, 'Filled', 1, 0)), 'finish');
    assert.equal(fin.outcome.orders[0]!.commissionCents, 145);
  });

  it('step never changes the state it is given', () => {
    const { r, hedge } = hedgeWorking({ condor: 2 });
    const before = structuredClone(r.state);
    const events = fillReports({
      plan: r.plan,
      orderKey: 'hedge:A:open',
      orderId: 1,
      orderRef: hedge.orderRef,
      quantity: 6,
      unitPrice: 155,
      tag: 'p',
      atMs: T0 + SEC,
    });
    const out: ExecCommand[] = [];
    for (const execution of events)
      out.push(...step(r.state, { type: 'execution', atMs: T0 + SEC, execution }).commands);
    assert.deepEqual(r.state, before);
    assert.ok(out.length > 0);
  });
});
