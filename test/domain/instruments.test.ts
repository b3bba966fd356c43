import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  contractKey,
  formatStrike,
  isOnStrikeGrid,
  isOnTick,
  roundToTick,
  spxwOption,
  tickSizeCents,
  vixOption,
} from '../../src/domain/instruments.ts';
import { dollarsToCents, formatCents, formatPrice, toPriceCents } from '../../src/domain/money.ts';

test('IB tick tables (docs/ib-notes.md §3): SPXW 0.05 below 3.00 then 0.10; VIX 0.01 then 0.05; combos', () => {
  assert.equal(tickSizeCents('SPXW', 295), 5);
  assert.equal(tickSizeCents('SPXW', 300), 10);
  assert.equal(tickSizeCents('VIX', 299), 1);
  assert.equal(tickSizeCents('VIXW', 300), 5);
  assert.equal(tickSizeCents('SPX-COMBO', 1250), 5);
  assert.equal(tickSizeCents('VIX-COMBO', 455), 1);
  assert.equal(tickSizeCents('VX', 1855), 5);
  assert.ok(isOnTick('SPXW', 295));
  assert.ok(!isOnTick('SPXW', 305), '3.05 is off the 0.10 grid');
  assert.ok(isOnTick('SPX-COMBO', -145), 'negative combo limits are checked by magnitude');
  assert.ok(!isOnTick('VIX', 301));
  assert.ok(!isOnTick('VIX', 1.5), 'fractional cents are never on tick');
});

test('roundToTick rounds onto the grid in the asked direction', () => {
  assert.equal(roundToTick('SPXW', 297, 'down'), 295);
  assert.equal(roundToTick('SPXW', 297, 'up'), 300);
  assert.equal(roundToTick('SPXW', 312, 'nearest'), 310);
  assert.equal(roundToTick('SPX-COMBO', 143.3, 'down'), 140);
  assert.equal(roundToTick('VIX', 123.4, 'up'), 124);
  assert.equal(roundToTick('VIX', 302, 'up'), 305);
  assert.equal(roundToTick('SPX-COMBO', -143, 'down'), -140);
});

test('roundToTick always lands on tick (property)', () => {
  const venues = ['SPXW', 'VIX', 'VIXW', 'SPX-COMBO', 'VIX-COMBO', 'VX'] as const;
  fc.assert(
    fc.property(
      fc.constantFrom(...venues),
      fc.double({ min: 0, max: 5000, noNaN: true }),
      fc.constantFrom('down', 'up', 'nearest'),
      (venue, price, mode) => {
        const r = roundToTick(venue, price, mode);
        assert.ok(isOnTick(venue, r), `${venue} ${price} ${mode} -> ${r}`);
        // roundToTick forgives float noise of 1e-9 of a tick (at most 1e-8 cents): 1e-9 cents rounds up to 0.
        if (mode === 'down') assert.ok(r <= price + 1e-8);
        if (mode === 'up') assert.ok(r >= price - 1e-8, `${venue} ${price} up -> ${r}`);
      },
    ),
    { seed: 93, numRuns: 300 },
  );
});

test('money converts dollars to integer cents without float drift', () => {
  assert.equal(dollarsToCents(10000), 1_000_000);
  assert.equal(dollarsToCents(0.29 + 0.01), 30);
  assert.equal(toPriceCents(3.45), 345);
  assert.equal(toPriceCents(1.005), 101);
  assert.equal(formatCents(123456), '$1,234.56');
  assert.equal(formatCents(-5), '-$0.05');
  assert.equal(formatPrice(345), '3.45');
  assert.equal(formatPrice(-140), '-1.40');
});

test('contract keys are stable and readable', () => {
  assert.equal(contractKey(spxwOption('2026-03-18', 5900, 'P')), 'SPXW 2026-03-18 5900P');
  assert.equal(contractKey(vixOption('VIX', '2026-04-15', 17.5)), 'VIX 2026-04-15 17.5C');
});

describe('strikes: the listed grid and exact printing', () => {
  it('prints a strike exactly: 19.37 never as 19.4', () => {
    assert.equal(formatStrike(19.37), '19.37');
    assert.equal(formatStrike(19.5), '19.5');
    assert.equal(formatStrike(5900), '5900');
    assert.equal(formatStrike(0.1 + 0.2), '0.3', 'float noise is not printed');
  });

  it('SPXW strikes lie on the 5-point grid; VIX on 0.50 below 15, 1 from 15 to 200, 5 above', () => {
    assert.ok(isOnStrikeGrid('SPXW', 5905));
    assert.ok(!isOnStrikeGrid('SPXW', 5902));
    assert.ok(isOnStrikeGrid('VIX', 14.5) && isOnStrikeGrid('VIXW', 12));
    assert.ok(!isOnStrikeGrid('VIX', 14.25));
    assert.ok(isOnStrikeGrid('VIX', 19) && !isOnStrikeGrid('VIX', 19.5) && !isOnStrikeGrid('VIX', 18.37));
    assert.ok(isOnStrikeGrid('VIX', 205) && !isOnStrikeGrid('VIX', 201));
    assert.ok(!isOnStrikeGrid('VIX', 0) && !isOnStrikeGrid('SPXW', -5));
  });
});
