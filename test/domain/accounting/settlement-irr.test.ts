// Settlement arithmetic and timing (SPXW on the close, VIX on the SOQ at the open), IRR against a
// reference computed elsewhere, and the maximum drawdown.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { irrOf } from '../../../src/domain/accounting/irr.ts';
import { maxDrawdown } from '../../../src/domain/accounting/drawdown.ts';
import { simCalendar } from '../../../src/cli/wiring/simulator.ts';
import { spxwOption, vixOption } from '../../../src/domain/instruments.ts';
import {
  describeSettlementProblem,
  settlementCashCents,
  settlementDueMs,
  settlementLookup,
  settlementPriceCents,
  settlementStyleOf,
} from '../../../src/domain/settlement.ts';

describe('settlement', () => {
  it('pays intrinsic value x multiplier, to the cent, long or short', () => {
    const put = spxwOption('2026-03-17', 5900, 'P');
    const call = spxwOption('2026-03-17', 6100, 'C');
    assert.equal(settlementPriceCents(put, 5887.37), 1263);
    assert.equal(settlementPriceCents(call, 5887.37), 0);
    assert.equal(settlementCashCents(put, -3, 5887.37), -3 * 1263 * 100);
    const vix = vixOption('VIX', '2026-04-15', 21, 'C');
    assert.equal(settlementStyleOf(vix), 'VIX-AM');
    assert.equal(settlementCashCents(vix, 10, 23.45), 10 * 245 * 100);
  });

  it('SPXW settle at the close of expiry (13:00 on an early close), VIX at the open', () => {
    const cal = simCalendar();
    assert.equal(
      settlementDueMs(spxwOption('2026-03-17', 5900, 'P'), cal),
      Date.parse('2026-03-17T16:00:00-04:00'),
    );
    assert.equal(
      settlementDueMs(spxwOption('2026-11-27', 5900, 'P'), cal),
      Date.parse('2026-11-27T13:00:00-05:00'),
    );
    assert.equal(
      settlementDueMs(vixOption('VIX', '2026-04-15', 21, 'C'), cal),
      Date.parse('2026-04-15T09:30:00-04:00'),
    );
    assert.equal(
      settlementDueMs(spxwOption('2026-04-03', 5900, 'P'), cal),
      null,
      'Good Friday has no session',
    );
  });

  it('a lookup returns the last published value, null for a date nobody gave; problems read as sentences', () => {
    const look = settlementLookup([
      { style: 'SPX-PM', date: '2026-03-17', value: 1, source: 'a' },
      { style: 'SPX-PM', date: '2026-03-17', value: 2, source: 'b' },
    ]);
    assert.equal(look('SPX-PM', '2026-03-17'), 2);
    assert.equal(look('VIX-AM', '2026-03-17'), null);
    const text = describeSettlementProblem({
      kind: 'value-unknown',
      key: 'k',
      contract: spxwOption('2026-03-17', 5900, 'P'),
      quantity: -2,
      style: 'SPX-PM',
    });
    assert.match(text, /SPXW 2026-03-17 5900P x-2: the SPX official close of 2026-03-17 is not known/);
  });
});

describe('IRR', () => {
  it("matches the spreadsheet XIRR reference (Excel/LibreOffice documentation's example: 0.373362535)", () => {
    const at = (d: string): number => Date.parse(`${d}T00:00:00Z`);
    const r = irrOf([
      { atMs: at('2008-01-01'), amountCents: -1_000_000 },
      { atMs: at('2008-03-01'), amountCents: 275_000 },
      { atMs: at('2008-10-30'), amountCents: 425_000 },
      { atMs: at('2009-02-15'), amountCents: 325_000 },
      { atMs: at('2009-04-01'), amountCents: 275_000 },
    ]);
    assert.equal(r.kind, 'rate');
    if (r.kind === 'rate') assert.ok(Math.abs(r.annual - 0.373362535) < 1e-8, String(r.annual));
  });

  it('a doubling over exactly one 365-day year is 100%; flows of one sign have no IRR', () => {
    const r = irrOf([
      { atMs: 0, amountCents: -100 },
      { atMs: 365 * 86_400_000, amountCents: 200 },
    ]);
    assert.ok(r.kind === 'rate' && Math.abs(r.annual - 1) < 1e-9);
    assert.equal(
      irrOf([
        { atMs: 0, amountCents: 100 },
        { atMs: 1, amountCents: 5 },
      ]).kind,
      'none',
    );
  });
});

describe('maximum drawdown', () => {
  it('is the largest fall from a running peak, from the start', () => {
    const pts = [10, 30, 5, 25, -20, 40, 35].map((e, i) => ({ label: `d${i}`, equityCents: e }));
    assert.deepEqual(maxDrawdown(pts, { label: 'start', equityCents: 0 }), {
      maxDrawdownCents: 50,
      peak: 'd1',
      trough: 'd4',
    });
    assert.equal(
      maxDrawdown([{ label: 'a', equityCents: -7 }], { label: 'start', equityCents: 0 }).maxDrawdownCents,
      7,
    );
  });
});

describe('IRR where the spreadsheet algorithm gives up', () => {
  it('a layer that expires worthless after 30 days is close to -100% a year; 10% in one day is 1.1^365 - 1', () => {
    const day = 86_400_000;
    const lost = irrOf([
      { atMs: 0, amountCents: -100_000 },
      { atMs: 30 * day, amountCents: 1_000 },
    ]);
    assert.ok(
      lost.kind === 'rate' && Math.abs(lost.annual - (0.01 ** (365 / 30) - 1)) < 1e-9,
      JSON.stringify(lost),
    );
    const fast = irrOf([
      { atMs: 0, amountCents: -100_000 },
      { atMs: day, amountCents: 110_000 },
    ]);
    assert.ok(
      fast.kind === 'rate' && Math.abs(fast.annual / (1.1 ** 365 - 1) - 1) < 1e-6,
      JSON.stringify(fast),
    );
  });
});
