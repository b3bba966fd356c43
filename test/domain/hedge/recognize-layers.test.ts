import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PositionReport } from '../../../src/domain/broker-reports.ts';
import { layerShape, recognizeLayers } from '../../../src/domain/hedge/recognize-layers.ts';
import { spxwOption, vixOption } from '../../../src/domain/instruments.ts';
import { cents } from '../../../src/domain/money.ts';

const pos = (contract: PositionReport['contract'], quantity: number): PositionReport => ({
  account: 'DU1234567',
  contract,
  quantity,
  avgCost: cents(100),
});
const vix = (
  strike: number,
  qty: number,
  expiry = '2026-04-15',
  tc: 'VIX' | 'VIXW' = 'VIX',
): PositionReport => pos({ kind: 'option', contract: vixOption(tc, expiry, strike) }, qty);

describe('recognizeLayers', () => {
  it('reads a default book: calls at one strike, spreads as long below short', () => {
    const book = recognizeLayers([vix(21, 30), vix(23, 53), vix(30, -53)]);
    assert.deepEqual(book.layers.map(layerShape), ['VIX 2026-04-15 21C', 'VIX 2026-04-15 23/30C']);
    assert.deepEqual(
      book.layers.map((l) => [l.kind, l.quantity]),
      [
        ['call', 30],
        ['callSpread', 53],
      ],
    );
    assert.deepEqual(book.other, []);
  });

  it('pairs a short with the nearest long below it, leaving the rest as calls', () => {
    // 10 x 21C and 5 x 23C long, 8 x 30C short: 5 spreads 23/30, 3 spreads 21/30, 7 calls 21C.
    const book = recognizeLayers([vix(21, 10), vix(23, 5), vix(30, -8)]);
    assert.deepEqual(
      book.layers.map((l) => `${l.quantity} x ${layerShape(l)}`),
      ['7 x VIX 2026-04-15 21C', '3 x VIX 2026-04-15 21/30C', '5 x VIX 2026-04-15 23/30C'],
    );
  });

  it('never pairs across expiries or classes, and reports what is not a hedge layer', () => {
    const spx = pos({ kind: 'option', contract: spxwOption('2026-03-17', 5955, 'P') }, -4);
    const book = recognizeLayers([
      vix(21, 2, '2026-04-15', 'VIX'),
      vix(30, -2, '2026-04-08', 'VIXW'),
      spx,
      pos({ kind: 'other', description: 'AAPL STK' }, 100),
    ]);
    assert.deepEqual(book.layers.map(layerShape), ['VIX 2026-04-15 21C']);
    assert.equal(book.other.length, 3);
    const lonelyShort = book.other.find(
      (p) => p.contract.kind === 'option' && p.contract.contract.symbol === 'VIX',
    );
    assert.equal(lonelyShort?.quantity, -2);
    assert.equal(lonelyShort?.account, 'DU1234567');
  });

  it('prints strikes exactly (half-point VIX strikes)', () => {
    assert.equal(layerShape(recognizeLayers([vix(14.5, 1)]).layers[0]!), 'VIX 2026-04-15 14.5C');
  });
});
