import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { preflight } from '../../../src/domain/execution/preflight.ts';
import type { PreflightInput } from '../../../src/domain/execution/preflight.ts';
import { buildPlan } from '../../../src/domain/plan/build-plan.ts';
import { contractKey } from '../../../src/domain/instruments.ts';
import { cents } from '../../../src/domain/money.ts';
import type { Plan } from '../../../src/domain/plan/types.ts';
import { defaultStrategy } from '../../support/default-strategy.ts';
import { makeSnapshot, testCalendar } from '../../support/snapshot-factory.ts';

const AS_OF = '2026-03-10T15:45:00-04:00';
const NOW = Date.parse(AS_OF) + 2_000;

function planAt(asOf = AS_OF, mode: Plan['mode'] = 'paper'): Plan {
  return buildPlan({
    snapshot: makeSnapshot({ asOf }),
    strategy: defaultStrategy(),
    calendar: testCalendar(),
    mode,
  });
}

function goodInput(plan: Plan, nowMs = NOW): PreflightInput {
  const keys = [...new Set(plan.orders.flatMap((o) => o.legs.map((l) => contractKey(l.contract))))];
  return {
    plan,
    strategy: defaultStrategy(),
    calendar: testCalendar(),
    mode: plan.mode,
    accountId: 'DU1234567',
    nowMs,
    gatewayTimeMs: nowMs - 400,
    maxClockSkewMs: 3_000,
    contracts: keys.map((key) => ({ key, resolved: true, detail: 'conId 1' })),
    quotes: plan.orders.map((o) => ({
      orderKey: o.key,
      atMs: nowMs - 1_000,
      legs: o.legs.map(() => ({ bid: 100, ask: 110 })),
    })),
    maxQuoteAgeMs: 5_000,
    margin: { kind: 'what-if', initMarginChange: cents(1_500_000) },
    excessLiquidity: cents(10_000_000),
    planInFlight: null,
    reconcile: { clean: true, problems: [] },
    restartWindow: { start: '23:45', end: '00:15' },
  };
}

const failing = (i: PreflightInput): Record<string, string> =>
  Object.fromEntries(preflight(i).failures.map((f) => [f.id, f.detail]));

describe('pre-flight', () => {
  const plan = planAt();

  it('passes a sound plan at a sound moment, every check reported with its numbers', () => {
    assert.equal(plan.outcome.kind, 'trade');
    const r = preflight(goodInput(plan));
    assert.deepEqual(r.failures, []);
    assert.ok(r.ok);
    assert.deepEqual(
      r.checks.map((c) => c.id),
      [
        'mode',
        'contracts',
        'quotes',
        'caps',
        'margin',
        'in-flight',
        'reconcile',
        'market-hours',
        'restart-window',
        'deadline',
        'clock',
      ],
    );
    assert.match(
      r.checks.find((c) => c.id === 'margin')!.detail,
      /\$15,000\.00 <= excess liquidity \$100,000\.00/,
    );
  });

  it('reports every failing check at once, never only the first', () => {
    const good = goodInput(plan);
    const f = failing({
      ...good,
      accountId: 'U7654321',
      gatewayTimeMs: NOW - 9_000,
      margin: { kind: 'what-if', initMarginChange: cents(20_000_000) },
      planInFlight: '2026-03-09-00000001',
      reconcile: { clean: false, problems: ['position VIXW 2026-04-08 21C: journal 4, broker 3'] },
      contracts: good.contracts.map((c, i) =>
        i === 0 ? { ...c, resolved: false, detail: 'error 200 no security definition' } : c,
      ),
      quotes: good.quotes.map((q, i) =>
        i === 0
          ? { ...q, atMs: NOW - 12_000 }
          : i === 1
            ? { ...q, legs: q.legs.map(() => ({ bid: 120, ask: 110 })) }
            : q,
      ),
    });
    assert.deepEqual(Object.keys(f).sort(), [
      'clock',
      'contracts',
      'in-flight',
      'margin',
      'mode',
      'quotes',
      'reconcile',
    ]);
    assert.match(f['mode']!, /paper mode with live account U7654321/);
    assert.match(f['clock']!, /ahead of the gateway's by 9\.0 s > 3\.0 s/);
    assert.match(f['margin']!, /\$200,000\.00 > excess liquidity \$100,000\.00/);
    assert.match(f['contracts']!, /not resolved \(error 200 no security definition\)/);
    assert.match(f['quotes']!, /quote 12\.0 s old > 5\.0 s/);
    assert.match(f['quotes']!, /crossed \(bid 120 > ask 110\)/);
    assert.match(f['in-flight']!, /2026-03-09-00000001 is still in flight/);
    assert.match(f['reconcile']!, /journal 4, broker 3/);
  });

  it('live mode refuses a paper account; a plan built for another mode is refused', () => {
    assert.match(
      failing({ ...goodInput(plan), mode: 'live' })['mode']!,
      /plan built for paper, session mode live.*live mode with paper account DU1234567/,
    );
  });

  it('what-if unavailable or no account report is a failure, not a pass', () => {
    assert.match(
      failing({ ...goodInput(plan), margin: { kind: 'unavailable', reason: 'IB 360' } })['margin']!,
      /unavailable: IB 360/,
    );
    assert.match(
      failing({ ...goodInput(plan), excessLiquidity: null })['margin']!,
      /excess liquidity unknown/,
    );
  });

  it('the gateway clock not answering fails the clock check', () => {
    assert.match(failing({ ...goodInput(plan), gatewayTimeMs: null })['clock']!, /did not answer/);
  });

  it('refuses a plan whose orders would work inside the gateway restart window, wrapping midnight too', () => {
    assert.match(
      failing({ ...goodInput(plan), restartWindow: { start: '15:50', end: '16:05' } })['restart-window']!,
      /inside the gateway restart/,
    );
    assert.match(
      failing({ ...goodInput(plan), restartWindow: { start: '22:00', end: '15:46' } })['restart-window']!,
      /inside the gateway restart/,
    );
    assert.equal(
      failing({ ...goodInput(plan), restartWindow: { start: '16:30', end: '16:45' } })['restart-window'],
      undefined,
    );
    assert.match(
      failing({ ...goodInput(plan), restartWindow: { start: '25:00', end: '00:15' } })['restart-window']!,
      /not HH:MM/,
    );
  });

  it('past an order deadline, the market closed or not yet open: refused with the times', () => {
    const late = failing(goodInput(plan, Date.parse('2026-03-10T15:55:00-04:00')));
    assert.match(late['deadline']!, /hedge:.*deadline 2026-03-10T15:51:00-04:00 passed/);
    const early = failing(goodInput(plan, Date.parse('2026-03-10T09:00:00-04:00')));
    assert.match(early['market-hours']!, /before the open 2026-03-10T09:30:00-04:00/);
    const saturday = failing(goodInput(plan, Date.parse('2026-03-14T15:45:00-04:00')));
    assert.match(saturday['market-hours']!, /NYSE closed on 2026-03-14 \(weekend\)/);
  });

  it("an order working past its contract's close is refused (expiring SPXW stop at the cash close)", () => {
    const withCondor = (deadline: string, expiry?: string): Plan => ({
      ...plan,
      orders: plan.orders.map((o) =>
        o.kind !== 'condor-open'
          ? o
          : {
              ...o,
              ladder: { ...o.ladder, deadline },
              legs: o.legs.map((l) =>
                expiry === undefined ? l : { ...l, contract: { ...l.contract, expiry } },
              ),
            },
      ),
    });
    const f = failing(goodInput(withCondor('2026-03-10T16:20:00-04:00')));
    assert.match(
      f['market-hours']!,
      /condor: deadline 2026-03-10T16:20:00-04:00 after SPXW 2026-03-11 \S+ closes at 2026-03-10T20:15:00/,
    );
    const expiring = failing(goodInput(withCondor('2026-03-10T16:05:00-04:00', '2026-03-10')));
    assert.match(expiring['market-hours']!, /after SPXW 2026-03-10 \S+ closes at 2026-03-10T20:00:00/);
  });

  it('the caps check reuses the plan invariants (a tampered plan fails it)', () => {
    const tampered: Plan = { ...plan, condorQuantity: plan.condorQuantity + 50 };
    assert.match(failing(goodInput(tampered))['caps']!, /condor/);
  });
});
