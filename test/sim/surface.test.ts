import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isOnTick } from '../../src/domain/instruments.ts';
import type { TickVenue } from '../../src/domain/instruments.ts';
import type { OptionQuote } from '../../src/domain/snapshot.ts';
import {
  buildSpxwChain,
  buildVixChain,
  quoteFromModel,
  spxIv,
  spxwStrikes,
  vixOptionIv,
  vixStrikes,
  vxCurve,
} from '../../src/sim/market/surface.ts';

const ONE_DAY = 1 / 252;

function nearestDelta(quotes: readonly OptionQuote[], target: number): OptionQuote {
  let best: OptionQuote | undefined;
  for (const q of quotes) {
    if (q.delta === null) continue;
    if (
      best === undefined ||
      Math.abs(Math.abs(q.delta) - target) < Math.abs(Math.abs(best.delta ?? 0) - target)
    )
      best = q;
  }
  assert.ok(best !== undefined);
  return best;
}

function assertMonotone(values: readonly number[], direction: 'up' | 'down', what: string): void {
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1]!;
    const b = values[i]!;
    assert.ok(
      direction === 'up' ? b >= a : b <= a,
      `${what} not monotone ${direction} at ${i}: ${a} then ${b}`,
    );
  }
}

function assertSaneQuote(q: { bid: number; ask: number }, venue: TickVenue, what: string): void {
  assert.ok(q.bid >= 0, `${what}: negative bid ${q.bid}`);
  assert.ok(q.ask > q.bid, `${what}: crossed or locked ${q.bid}/${q.ask}`);
  assert.ok(isOnTick(venue, q.bid), `${what}: bid ${q.bid} off the ${venue} tick`);
  assert.ok(isOnTick(venue, q.ask), `${what}: ask ${q.ask} off the ${venue} tick`);
}

describe('spxIv: SPX put skew', () => {
  const spot = 6000;
  const atm = 0.16;
  const chain = buildSpxwChain({ spot, atmIv: atm, timeYears: ONE_DAY, rate: 0.04, dividendYield: 0 });
  const puts = chain.filter((q) => q.right === 'P');
  const calls = chain.filter((q) => q.right === 'C');

  it('prices the 10-delta put above ATM and the 10-delta call below it (ib-notes §5: ~1.2x and ~0.9x)', () => {
    const put10 = nearestDelta(puts, 0.1);
    const call10 = nearestDelta(calls, 0.1);
    const putIv = spxIv(spot, put10.strike, ONE_DAY, atm);
    const callIv = spxIv(spot, call10.strike, ONE_DAY, atm);
    assert.ok(putIv > spxIv(spot, spot, ONE_DAY, atm) && spxIv(spot, spot, ONE_DAY, atm) > callIv);
    assert.ok(putIv / atm > 1.1 && putIv / atm < 1.3, `put ratio ${putIv / atm}`);
    assert.ok(callIv / atm > 0.83 && callIv / atm < 0.95, `call ratio ${callIv / atm}`);
  });

  it('puts the 1DTE 10-delta shorts ~90 below and ~70 above spot at ATM IV 16% (ib-notes §5 table, ±20)', () => {
    const put10 = nearestDelta(puts, 0.1);
    const call10 = nearestDelta(calls, 0.1);
    assert.ok(Math.abs(spot - put10.strike - 90) <= 20, `short put ${put10.strike}`);
    assert.ok(Math.abs(call10.strike - spot - 70) <= 20, `short call ${call10.strike}`);
  });

  it('rises steadily below spot and stays within [0.5, 3]x ATM everywhere', () => {
    const below = spxwStrikes(spot).filter((k) => k <= spot);
    assertMonotone(
      below.map((k) => spxIv(spot, k, ONE_DAY, atm)),
      'down',
      'IV below spot',
    );
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        fc.double({ min: 0.5 / 252, max: 2, noNaN: true }),
        fc.double({ min: 0.03, max: 0.9, noNaN: true }),
        (moneyness, t, iv) => {
          const v = spxIv(spot, spot * moneyness, t, iv);
          return v >= 0.5 * iv - 1e-12 && v <= 3 * iv + 1e-12;
        },
      ),
    );
  });
});

describe('vixOptionIv: VIX call skew', () => {
  it('rises with strike from deep in the money to far out of the money', () => {
    for (const [future, dte, base] of [
      [14, 30, 0.9],
      [30, 10, 1.4],
      [18, 55, 0.8],
    ] as const) {
      const ivs = vixStrikes().map((k) => vixOptionIv(future, k, dte / 252, base));
      assertMonotone(ivs, 'up', `VIX IV F=${future}`);
      assert.ok(ivs[ivs.length - 1]! > base * 1.3, 'far calls carry much more vol than ATM');
      for (const v of ivs) assert.ok(v >= 0.5 * base && v <= 2.5 * base);
    }
  });
});

describe('quoteFromModel', () => {
  const venues: TickVenue[] = ['SPXW', 'VIX', 'VIXW'];

  it('quotes on the IB tick, never crossed, bid <= theo <= ask, for any price', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...venues),
        fc.double({ min: 0, max: 400, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 300, noNaN: true }),
        (venue, theo, widthScale, vega) => {
          const q = quoteFromModel(theo, venue, { widthScale, vega });
          assertSaneQuote(q, venue, `${venue} ${theo}`);
          assert.ok(
            q.bid <= theo * 100 + 1e-6 && q.ask >= theo * 100 - 1e-6,
            `${venue} ${theo}: ${q.bid}/${q.ask}`,
          );
        },
      ),
    );
  });

  it('shows far out-of-the-money options as 0.00 x 0.05', () => {
    for (const venue of venues) {
      const q = quoteFromModel(0.01, venue);
      assert.equal(q.bid, 0);
      assert.equal(q.ask, 5);
    }
  });

  it('keeps SPXW widths at 0.05-0.10 for cheap options and 1-3% of price for expensive ones', () => {
    for (let theo = 0.1; theo < 2.8; theo += 0.07) {
      const q = quoteFromModel(theo, 'SPXW');
      assert.ok(q.ask - q.bid <= 10, `SPXW ${theo}: ${q.bid}/${q.ask}`);
    }
    for (let theo = 5; theo < 200; theo *= 1.3) {
      const q = quoteFromModel(theo, 'SPXW');
      const pct = (q.ask - q.bid) / (theo * 100);
      assert.ok(pct >= 0.01 && pct <= 0.03, `SPXW ${theo}: ${q.bid}/${q.ask}`);
    }
  });

  it('keeps VIX option widths at 0.01-0.05 below 3.00 and 0.05-0.15 above', () => {
    for (let theo = 0.05; theo < 2.9; theo += 0.05) {
      const q = quoteFromModel(theo, 'VIX');
      assert.ok(q.ask - q.bid >= 1 && q.ask - q.bid <= 5, `VIX ${theo}: ${q.bid}/${q.ask}`);
    }
    for (let theo = 3.1; theo < 20; theo += 0.3) {
      const q = quoteFromModel(theo, 'VIXW');
      assert.ok(q.ask - q.bid >= 5 && q.ask - q.bid <= 15, `VIXW ${theo}: ${q.bid}/${q.ask}`);
    }
  });
});

describe('chains', () => {
  it('SPXW: 5-point strikes within ±15%, 25-point out to ±30%; sane quotes; deltas monotone in strike', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 2000, max: 8000, noNaN: true }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.double({ min: 0.1 / 252, max: 3 / 252, noNaN: true }),
        (spot, atmIv, t) => {
          const chain = buildSpxwChain({ spot, atmIv, timeYears: t, rate: 0.04, dividendYield: 0.013 });
          const strikes = [...new Set(chain.map((q) => q.strike))];
          assertMonotone(strikes, 'up', 'strikes');
          for (const k of strikes) {
            assert.ok(k >= spot * 0.7 && k <= spot * 1.3);
            const near = Math.abs(k / spot - 1) <= 0.15;
            assert.equal(k % (near ? 5 : 25), 0, `strike ${k}`);
          }
          assert.ok(strikes.includes(Math.round(spot / 5) * 5));
          for (const q of chain) assertSaneQuote(q, 'SPXW', `${q.strike}${q.right}`);
          for (const right of ['P', 'C'] as const) {
            assertMonotone(
              chain.filter((q) => q.right === right).map((q) => q.delta ?? NaN),
              'down',
              `${right} delta`,
            );
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('VIX: strikes 0.5 apart to 15 then 1 apart to 50; call deltas fall with strike; sane quotes', () => {
    const strikes = vixStrikes();
    assert.deepEqual(
      strikes.filter((k) => k < 15),
      [9, 9.5, 10, 10.5, 11, 11.5, 12, 12.5, 13, 13.5, 14, 14.5],
    );
    assert.equal(strikes[strikes.length - 1], 50);
    for (const [future, t, base] of [
      [13.5, 8 / 252, 1.3],
      [16, 30 / 252, 0.9],
      [35, 20 / 252, 1.2],
    ] as const) {
      const chain = buildVixChain({ future, timeYears: t, baseVol: base, rate: 0.04, venue: 'VIX' });
      assert.ok(chain.every((q) => q.right === 'C'));
      for (const q of chain) assertSaneQuote(q, 'VIX', `VIX ${q.strike}C`);
      assertMonotone(
        chain.map((q) => q.delta ?? NaN),
        'down',
        'VIX call delta',
      );
      assertMonotone(
        chain.map((q) => q.ask),
        'down',
        'VIX call ask',
      );
    }
  });
});

describe('vxCurve', () => {
  const expiries = [8, 36, 64, 92, 127, 155].map((dte, i) => ({ expiry: `2026-0${i + 1}-15`, dte }));

  it('slopes up in contango (VIX3M above VIX) and down in backwardation, on the 0.05 tick', () => {
    const calm = vxCurve(13, 15.5, expiries).map((f) => f.price);
    const stressed = vxCurve(33.5, 27.3, expiries).map((f) => f.price);
    assertMonotone(calm, 'up', 'contango');
    assertMonotone(stressed, 'down', 'backwardation');
    assert.ok(calm[0]! > 13 && calm[0]! < 15.5);
    assert.ok(stressed[0]! < 33.5 && stressed[0]! > 27.3);
    for (const p of [...calm, ...stressed])
      assert.ok(isOnTick('VX', Math.round(p * 100)) && Math.abs(p * 20 - Math.round(p * 20)) < 1e-9);
  });
});
