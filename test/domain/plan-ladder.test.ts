// The ladder rule of docs/strategy.md section 4, one function for planner and executor.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TickVenue } from '../../src/domain/instruments.ts';
import { isOnTick, roundToTick } from '../../src/domain/instruments.ts';
import { priceCents } from '../../src/domain/money.ts';
import type { LadderSide } from '../../src/domain/plan/ladder.ts';
import {
  condorFloor,
  deadlineAfter,
  ladderStepPrice,
  maxDebitFloor,
  minCreditFloor,
  orderMidNatural,
  plannedLadder,
} from '../../src/domain/plan/ladder.ts';

interface Case {
  readonly side: LadderSide;
  readonly steps: number;
  readonly mid: number;
  readonly natural: number;
  readonly floor: number;
  readonly venue: TickVenue;
}

/** Every step of a ladder at one quote. */
function walk(c: Case): number[] {
  return Array.from({ length: c.steps }, (_, step) =>
    ladderStepPrice({ ...c, step, floor: priceCents(c.floor) }),
  );
}

describe('ladderStepPrice: reference values', () => {
  it('the demo condor walks 2.95 toward its natural 2.65, not past it toward the 1.00 minimum', () => {
    // The old ladder stepped 2.95 > 2.45 > 2.00 > 1.50 > 1.00, past the natural price of 2.65.
    const c: Case = { side: 'credit', steps: 5, mid: 295, natural: 265, floor: 100, venue: 'SPX-COMBO' };
    assert.deepEqual(walk(c), [295, 290, 280, 275, 265]);
  });

  it('natural worse than the floor: the last step is the floor', () => {
    // Mid 1.12 (on the 0.05 tick 1.10), natural 0.60, minimum credit 1.00.
    const c: Case = { side: 'credit', steps: 5, mid: 112, natural: 60, floor: 100, venue: 'SPX-COMBO' };
    assert.deepEqual(walk(c), [110, 110, 105, 105, 100]);
  });

  it('a mid already worse than the floor: every step is the floor', () => {
    const c: Case = { side: 'credit', steps: 4, mid: 95, natural: 60, floor: 100, venue: 'SPX-COMBO' };
    assert.deepEqual(walk(c), [100, 100, 100, 100]);
    const d: Case = { side: 'debit', steps: 3, mid: 95, natural: 120, floor: 90, venue: 'VIX' };
    assert.deepEqual(walk(d), [90, 90, 90]);
  });

  it('natural == mid: every step is the mid', () => {
    assert.deepEqual(
      walk({ side: 'debit', steps: 3, mid: 85, natural: 85, floor: 95, venue: 'VIX' }),
      [85, 85, 85],
    );
    assert.deepEqual(
      walk({ side: 'credit', steps: 3, mid: 85, natural: 85, floor: 10, venue: 'VIX' }),
      [85, 85, 85],
    );
  });

  it('one-tick spreads: the mid rounds toward the natural, so the walk is one price', () => {
    // VIX 0.80 x 0.81: mid 0.805.
    assert.deepEqual(
      walk({ side: 'debit', steps: 4, mid: 80.5, natural: 81, floor: 81, venue: 'VIX' }),
      [81, 81, 81, 81],
    );
    assert.deepEqual(
      walk({ side: 'credit', steps: 4, mid: 80.5, natural: 80, floor: 1, venue: 'VIX' }),
      [80, 80, 80, 80],
    );
    // An SPX combo with mid 2.775 and natural 2.70: one 0.05 tick between the ends.
    assert.deepEqual(
      walk({ side: 'credit', steps: 4, mid: 277.5, natural: 270, floor: 100, venue: 'SPX-COMBO' }),
      [275, 275, 270, 270],
    );
  });

  it('a floor tighter than the natural stops the walk at the floor', () => {
    assert.deepEqual(
      walk({ side: 'debit', steps: 5, mid: 85, natural: 90, floor: 87, venue: 'VIX' }),
      [85, 86, 86, 87, 87],
    );
  });

  it('SPXW across 3.00: 0.05 below, 0.10 from 3.00, and a natural off the coarser grid rounds toward the mid', () => {
    assert.deepEqual(
      walk({ side: 'debit', steps: 5, mid: 290, natural: 330, floor: 330, venue: 'SPXW' }),
      [290, 300, 310, 320, 330],
    );
    assert.deepEqual(
      walk({ side: 'debit', steps: 6, mid: 290, natural: 330, floor: 330, venue: 'SPXW' }),
      [290, 300, 310, 310, 320, 330],
    );
    // A natural of 3.03 is not a 0.10 price: the last step is 3.00, never above the natural.
    assert.deepEqual(
      walk({ side: 'debit', steps: 3, mid: 285, natural: 303, floor: 400, venue: 'SPXW' }),
      [285, 295, 300],
    );
  });

  it('VIX across 3.00: 0.01 below, 0.05 from 3.00', () => {
    // Buying 2.92 x 3.00: mid 2.96.
    assert.deepEqual(
      walk({ side: 'debit', steps: 4, mid: 296, natural: 300, floor: 300, venue: 'VIX' }),
      [296, 297, 299, 300],
    );
    assert.deepEqual(
      walk({ side: 'debit', steps: 3, mid: 297.5, natural: 310, floor: 310, venue: 'VIX' }),
      [298, 305, 310],
    );
    // Selling 2.99 x 3.05: mid 3.02 rounds down onto the 0.05 grid (3.00), the bid 2.99 is the end.
    assert.deepEqual(
      walk({ side: 'credit', steps: 3, mid: 302, natural: 299, floor: 299, venue: 'VIX' }),
      [300, 300, 299],
    );
  });

  it('a one-step ladder is its mid on tick; steps out of range clamp to the ends', () => {
    assert.deepEqual(
      walk({ side: 'credit', steps: 1, mid: 297, natural: 265, floor: 100, venue: 'SPX-COMBO' }),
      [295],
    );
    const c = {
      side: 'credit' as const,
      steps: 5,
      mid: 295,
      natural: 265,
      floor: priceCents(100),
      venue: 'SPX-COMBO' as const,
    };
    assert.equal(ladderStepPrice({ ...c, step: -3 }), 295);
    assert.equal(ladderStepPrice({ ...c, step: 99 }), 265);
  });
});

describe('ladderStepPrice: properties', () => {
  const venues: readonly TickVenue[] = ['SPXW', 'VIX', 'VIXW', 'SPX-COMBO', 'VIX-COMBO'];
  it('on tick, monotone, never past the natural price nor the floor', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...venues),
        fc.constantFrom<LadderSide>('debit', 'credit'),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 1, max: 2000, noNaN: true }),
        fc.double({ min: -0.6, max: 0.6, noNaN: true }),
        fc.double({ min: -0.8, max: 0.8, noNaN: true }),
        (venue, side, steps, mid, naturalShift, floorShift) => {
          const credit = side === 'credit';
          // A sane quote: the natural is on the far side of the mid (credit below, debit above).
          const natural = Math.max(0, mid * (1 + (credit ? -1 : 1) * Math.abs(naturalShift)));
          const floor = roundToTick(venue, Math.max(10, mid * (1 + floorShift)), credit ? 'up' : 'down');
          const prices = walk({ side, steps, mid, natural, floor, venue });
          const tick = roundToTick(venue, 0.0001, 'up');
          prices.forEach((p, i) => {
            assert.ok(isOnTick(venue, p), `${p} on the ${venue} tick`);
            const prev = prices[i - 1];
            if (prev !== undefined)
              assert.ok(credit ? p <= prev : p >= prev, `monotone at ${i}: ${prices.join(',')}`);
            if (credit) assert.ok(p >= floor, `credit ${p} >= floor ${floor}`);
            else assert.ok(p <= Math.max(floor, tick), `debit ${p} <= floor ${floor}`);
            // Never past the natural, unless the floor itself is (then the floor is the last step).
            if (credit) assert.ok(p >= Math.min(natural, floor) - 1e-9 || p === floor);
            else assert.ok(p <= Math.max(natural, floor, tick) + 1e-9);
          });
          const last = prices.at(-1)!;
          const pastFloor = credit ? natural < floor : natural > floor;
          if (pastFloor && steps > 1)
            assert.equal(last, floor, `natural ${natural} worse than floor ${floor}`);
        },
      ),
      { seed: 7, numRuns: 400 },
    );
  });
});

describe('the planned ladder', () => {
  const rule = { steps: 5, intervalSeconds: 20, deadlineMinutes: 8 };

  it('carries what the executor needs, and its floor is the planned last step', () => {
    const l = plannedLadder({
      side: 'credit',
      venue: 'SPX-COMBO',
      mid: 297,
      natural: 265,
      strategyFloor: condorFloor(101),
      rule,
      asOf: '2026-03-10T15:45:00-04:00',
    });
    assert.deepEqual(l, {
      side: 'credit',
      venue: 'SPX-COMBO',
      steps: 5,
      prices: [295, 290, 280, 275, 265],
      floor: 265,
      intervalSeconds: 20,
      deadline: '2026-03-10T15:53:00-04:00',
    });
  });

  it('strategy floors: minimum credit up on tick, maximum debit down on tick, minimum resale credit up', () => {
    assert.equal(condorFloor(101), 105);
    assert.equal(condorFloor(0), 5);
    // Bid 0.80, ask 0.90: mid 0.85; share 0.5 -> max debit 0.875 -> 0.87.
    assert.equal(maxDebitFloor(85, 90, 0.5, 'VIX'), 87);
    assert.equal(minCreditFloor(85, 80, 1, 'VIX'), 80);
    assert.equal(minCreditFloor(85, 80, 0.5, 'VIX'), 83);
  });

  it('deadlines keep the offset of asOf across a date change', () => {
    assert.equal(deadlineAfter('2026-03-10T23:55:00-04:00', 10), '2026-03-11T00:05:00-04:00');
  });
});

describe('orderMidNatural: mid and natural of an order as the ladder reads them', () => {
  const q = (action: 'BUY' | 'SELL', bid: number, ask: number) => ({ action, ratio: 1, bid, ask });

  it('a credit condor (BUY BAG, SELL shorts, BUY wings): natural = short bids - wing asks', () => {
    const legs = [q('SELL', 230, 240), q('BUY', 90, 100), q('SELL', 150, 155), q('BUY', 15, 20)];
    assert.deepEqual(orderMidNatural('BUY', 'credit', legs), { mid: 275, natural: 260 });
  });

  it('a call spread bought, then sold back (SELL on the same legs)', () => {
    const legs = [q('BUY', 120, 125), q('SELL', 40, 44)];
    assert.deepEqual(orderMidNatural('BUY', 'debit', legs), { mid: 80.5, natural: 85 });
    assert.deepEqual(orderMidNatural('SELL', 'credit', legs), { mid: 80.5, natural: 76 });
  });

  it('a single call', () => {
    assert.deepEqual(orderMidNatural('BUY', 'debit', [q('BUY', 76, 78)]), { mid: 77, natural: 78 });
  });
});
