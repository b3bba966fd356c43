import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calendarDaysBetween, nyDate } from '../../src/domain/calendar.ts';
import { selectLayer, strikeAtOrAbove } from '../../src/domain/hedge/layer-selection.ts';
import type { SelectionRules } from '../../src/domain/hedge/layer-selection.ts';
import type { LayerSpec } from '../../src/domain/hedge/layer-market.ts';
import type { VixOptionChain } from '../../src/domain/snapshot.ts';
import type { LayerTemplate } from '../../src/domain/strategy.ts';
import { defaultStrategy } from '../support/default-strategy.ts';
import { makeSnapshot } from '../support/snapshot-factory.ts';

const [templateA, templateB] = defaultStrategy().hedge.templates as [LayerTemplate, LayerTemplate];

describe('layer selection', () => {
  const s = makeSnapshot();
  const today = nyDate(s.asOf);
  const rules: SelectionRules = {
    tradingClasses: ['VIX', 'VIXW'],
    minHedgeDte: 7,
    daysToExpiry: (e) => calendarDaysBetween(today, e),
  };
  /** The snapshot chain a selected layer was taken from. */
  const chainOf = (spec: LayerSpec): VixOptionChain =>
    s.vixOptions.find((c) => c.expiry === spec.expiry && c.tradingClass === spec.tradingClass)!;

  it('takes the listed expiry inside the window nearest the target DTE', () => {
    const r = selectLayer(templateA, s.vixOptions, rules);
    assert.ok(r.ok);
    const dtes = s.vixOptions
      .map((c) => calendarDaysBetween(today, c.expiry))
      .filter((d) => d >= 14 && d <= 45);
    const best = Math.min(...dtes.map((d) => Math.abs(d - 30)));
    assert.equal(Math.abs(r.value.dte - 30), best);
  });

  it('call strike: nearest listed at or above F + otmPoints', () => {
    const r = selectLayer(templateA, s.vixOptions, rules);
    assert.ok(r.ok);
    const chain = chainOf(r.value.spec);
    const level = chain.futurePrice + 3;
    assert.ok(r.value.spec.longStrike >= level);
    assert.ok(!chain.quotes.some((q) => q.strike >= level && q.strike < r.value.spec.longStrike));
    assert.equal(r.value.spec.shortStrike, null);
  });

  it('call spread strikes: long at F + a, short at F + b, both rounded up to listed strikes', () => {
    const r = selectLayer(templateB, s.vixOptions, rules);
    assert.ok(r.ok);
    const chain = chainOf(r.value.spec);
    const strikes = chain.quotes.map((q) => q.strike);
    assert.equal(r.value.spec.longStrike, strikeAtOrAbove(strikes, chain.futurePrice + 5));
    assert.equal(r.value.spec.shortStrike, strikeAtOrAbove(strikes, chain.futurePrice + 12));
  });

  it('respects the allowed trading classes', () => {
    const r = selectLayer(templateA, s.vixOptions, { ...rules, tradingClasses: ['VIX'] });
    assert.ok(r.ok);
    assert.equal(r.value.spec.tradingClass, 'VIX');
  });

  it('fails when no listed expiry lies in the window', () => {
    const short = makeSnapshot({ vixHorizonDays: 12 });
    const r = selectLayer(templateA, short.vixOptions, rules);
    assert.ok(!r.ok);
    assert.deepEqual(r.error, {
      kind: 'no-expiry-in-window',
      tradingClasses: ['VIX', 'VIXW'],
      window: [14, 45],
      minHedgeDte: 7,
    });
  });

  it('strikeAtOrAbove tolerates float levels on listed strikes', () => {
    assert.equal(strikeAtOrAbove([14, 14.5, 15, 16], 14.5), 14.5);
    assert.equal(strikeAtOrAbove([14, 14.5, 15, 16], 15.01), 16);
    assert.equal(strikeAtOrAbove([14, 15], 16), null);
  });
});
