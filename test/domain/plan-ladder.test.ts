import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isOnTick } from '../../src/domain/instruments.ts';
import { priceCents } from '../../src/domain/money.ts';
import {
  condorBounds,
  deadlineAfter,
  debitBounds,
  ladderPrices,
  makeLadder,
  sellBounds,
} from '../../src/domain/plan/ladder.ts';

const rule = { steps: 5, intervalSeconds: 20, deadlineMinutes: 8 };

describe('limit ladders', () => {
  it('condor: from the mid credit down to the minimum credit rounded up to 0.05', () => {
    const b = condorBounds(priceCents(315), 101);
    assert.deepEqual(b, { start: 315, floor: 105 });
    const l = makeLadder('credit', b, 'SPX-COMBO', rule, '2026-03-10T15:45:00-04:00');
    assert.deepEqual(l.prices, [315, 265, 210, 160, 105]);
    assert.equal(l.deadline, '2026-03-10T15:53:00-04:00');
    assert.equal(l.intervalSeconds, 20);
  });

  it('hedge buy: from mid up to mid + share x (natural - mid), on the VIX tick', () => {
    // Bid 0.80, ask 0.90: mid 0.85; share 0.5 -> max debit 0.875 -> 0.87.
    const b = debitBounds(85, 90, 0.5, 'VIX');
    assert.deepEqual(b, { start: 85, floor: 87 });
    assert.deepEqual(ladderPrices(b.start, b.floor, 5, 'VIX'), [85, 86, 87]);
  });

  it('hedge sell: from mid down to mid - share x (mid - natural)', () => {
    assert.deepEqual(sellBounds(85, 80, 1, 'VIX'), { start: 85, floor: 80 });
  });

  it('crossing 3.00 on a single VIX option keeps every price on its tick (0.01 below, 0.05 from 3.00)', () => {
    const b = debitBounds(285, 330, 1, 'VIX');
    const prices = ladderPrices(b.start, b.floor, 6, 'VIX');
    assert.equal(prices[0], 285);
    assert.equal(prices.at(-1), 330);
    for (const p of prices) assert.ok(isOnTick('VIX', p), `${p} on tick`);
    for (let i = 1; i < prices.length; i++) assert.ok(prices[i]! > prices[i - 1]!);
  });

  it('deduplicates steps that round to the same tick and keeps both ends', () => {
    const prices = ladderPrices(priceCents(100), priceCents(102), 10, 'VIX-COMBO');
    assert.deepEqual(prices, [100, 101, 102]);
    assert.deepEqual(ladderPrices(priceCents(100), priceCents(100), 5, 'VIX-COMBO'), [100]);
  });

  it('deadlines keep the offset of asOf across a date change', () => {
    assert.equal(deadlineAfter('2026-03-10T23:55:00-04:00', 10), '2026-03-11T00:05:00-04:00');
  });
});
