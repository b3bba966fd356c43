import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatOrderRef, isRefOfPlan, parseOrderRef } from '../../../src/domain/execution/order-ref.ts';
import { planIdFor } from '../../../src/domain/plan/plan-id.ts';

describe('orderRef', () => {
  it('reads as planId:orderKey:attempt for the keys plans use', () => {
    const planId = planIdFor('2026-03-10', 'alvh-default', 1, '2026-03-10T15:45:00-04:00');
    assert.equal(
      formatOrderRef({ planId, orderKey: 'hedge:A:open', attempt: 1 }),
      `${planId}:hedge:A:open:1`,
    );
    assert.deepEqual(parseOrderRef(`${planId}:roll:L-x:y:close:12`), {
      ok: true,
      value: { planId, orderKey: 'roll:L-x:y:close', attempt: 12 },
    });
    assert.deepEqual(parseOrderRef(`${planId}:condor:3`), {
      ok: true,
      value: { planId, orderKey: 'condor', attempt: 3 },
    });
  });

  it('round-trips any plan id and order key (fast-check, 1,000 runs)', () => {
    const tricky = fc.constantFrom(':', '%', '3', 'A', '2', '5', 'x', 'é', '\u{1F600}');
    const part = fc
      .oneof(
        fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
        fc.string({ minLength: 1, maxLength: 30, unit: tricky }),
      )
      .filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(part, part, fc.integer({ min: 1, max: 999_999 }), (planId, orderKey, attempt) => {
        const ref = formatOrderRef({ planId, orderKey, attempt });
        assert.deepEqual(parseOrderRef(ref), { ok: true, value: { planId, orderKey, attempt } });
        assert.ok(isRefOfPlan(ref, planId));
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('two different parts never give the same ref (fast-check)', () => {
    const part = fc.constantFrom('a', ':', '%', '%3A', 'a:b', '1', 'hedge:A:open', '%25', ':1');
    fc.assert(
      fc.property(
        part,
        part,
        part,
        part,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (p1, k1, p2, k2, a1, a2) => {
          const same = p1 === p2 && k1 === k2 && a1 === a2;
          const r1 = formatOrderRef({ planId: p1, orderKey: k1, attempt: a1 });
          const r2 = formatOrderRef({ planId: p2, orderKey: k2, attempt: a2 });
          assert.equal(r1 === r2, same);
        },
      ),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('refuses refs it did not write, as values', () => {
    for (const bad of [
      '',
      'abc',
      'p:1',
      ':k:1',
      'p::1',
      'p:k:0',
      'p:k:01',
      'p:k:x',
      'p:k:',
      'p%zz:k:1',
      'p:k:1234567',
    ]) {
      assert.equal(parseOrderRef(bad).ok, false, bad);
    }
    assert.equal(isRefOfPlan('other-program-ref', 'p'), false);
  });

  it('throws on parts no plan can produce', () => {
    assert.throws(() => formatOrderRef({ planId: '', orderKey: 'k', attempt: 1 }));
    assert.throws(() => formatOrderRef({ planId: 'p', orderKey: 'k\0', attempt: 1 }));
    assert.throws(() => formatOrderRef({ planId: 'p', orderKey: 'k', attempt: 0 }));
    assert.throws(() => formatOrderRef({ planId: 'p', orderKey: 'k', attempt: 1.5 }));
  });
});
