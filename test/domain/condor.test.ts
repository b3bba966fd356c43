import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CondorChoice, CondorFailure, CondorRules } from '../../src/domain/condor.ts';
import { atmImpliedVol, indexChain, selectCondor, wingWidthPoints } from '../../src/domain/condor.ts';
import { tradingTimeToExpiry } from '../../src/domain/calendar.ts';
import { roundToTick } from '../../src/domain/instruments.ts';
import { priceCents } from '../../src/domain/money.ts';
import { blackScholes } from '../../src/domain/pricing.ts';
import type { Result } from '../../src/domain/result.ts';
import type { MarketSnapshot, OptionQuote } from '../../src/domain/snapshot.ts';
import { defaultStrategy } from '../support/default-strategy.ts';
import { makeSnapshot, testCalendar, withSpxwQuote } from '../support/snapshot-factory.ts';

const rules = (patch: Partial<CondorRules> = {}): CondorRules => ({ ...defaultStrategy().condor, ...patch });

function select(s: MarketSnapshot, r: CondorRules = rules()): Result<CondorChoice, CondorFailure> {
  const ix = indexChain(s.spxw, {
    spot: s.spx.spot,
    rate: s.rates.riskFree,
    dividendYield: s.rates.spxDividendYield,
    timeYears: tradingTimeToExpiry(testCalendar(), s.asOf, s.spxw.expiry, 'PM'),
  });
  const atm = atmImpliedVol(ix);
  assert.ok(atm.ok, 'ATM vol');
  return selectCondor(ix, atm.value, r);
}

function selected(s: MarketSnapshot, r?: CondorRules): CondorChoice {
  const c = select(s, r);
  assert.ok(c.ok, c.ok ? '' : `${c.error.reason}: ${JSON.stringify(c.error.problem)}`);
  return c.value;
}

function failure(s: MarketSnapshot, r?: CondorRules): CondorFailure {
  const c = select(s, r);
  assert.ok(!c.ok, 'expected no condor');
  return c.error;
}

describe('1DTE 10-delta reference table (docs/ib-notes.md §5)', () => {
  // The reference model: S=6000, r=4%, T=1/252, put IV 1.2 x ATM, call IV 0.9 x ATM, put wing 1.03 x.
  const table = [
    { atm: 0.12, put: -70, call: 55, credit25: 2.8 },
    { atm: 0.16, put: -90, call: 70, credit25: 3.4 },
    { atm: 0.2, put: -115, call: 90, credit25: 3.4 },
    { atm: 0.25, put: -140, call: 110, credit25: 3.7 },
    { atm: 0.3, put: -170, call: 135, credit25: 3.6 },
  ];
  const S = 6000;
  const T = 1 / 252;
  for (const row of table) {
    it(`ATM IV ${row.atm * 100}%: shorts at ${row.put}/+${row.call}, 25-wide credit near ${row.credit25}`, () => {
      const quotes: OptionQuote[] = [];
      for (let k = 5400; k <= 6600; k += 5) {
        for (const right of ['P', 'C'] as const) {
          const wing = right === 'P' && k < S + row.put - 12.5 ? 1.03 : 1;
          const vol = (right === 'P' ? 1.2 : 0.9) * row.atm * wing;
          const g = blackScholes({
            spot: S,
            strike: k,
            timeYears: T,
            rate: 0.04,
            dividendYield: 0,
            vol,
            right,
          });
          const c = g.price * 100;
          const bid = priceCents(Math.max(0, roundToTick('SPXW', c - 5, 'down')));
          quotes.push({
            strike: k,
            right,
            bid,
            ask: roundToTick('SPXW', c + 5, 'up'),
            iv: vol,
            delta: g.delta,
            ageSeconds: 1,
          });
        }
      }
      const ix = indexChain(
        { expiry: '2026-03-11', quotes },
        { spot: S, rate: 0.04, dividendYield: 0, timeYears: T },
      );
      const atm = atmImpliedVol(ix);
      assert.ok(atm.ok);
      const c = selectCondor(ix, atm.value, rules({ maxLegSpread: priceCents(100) }));
      assert.ok(c.ok);
      const sel = c.value.selection;
      assert.equal(sel.shortPut - S, row.put);
      assert.equal(sel.shortCall - S, row.call);
      assert.equal(sel.widthPoints, 25);
      assert.ok(Math.abs(sel.credit / 100 - row.credit25) <= 0.2, `credit ${sel.credit} vs ${row.credit25}`);
    });
  }
});

describe('condor selection', () => {
  it('picks the |delta| nearest 0.10 on each side, outside 1 x EM, with wings 0.4% of spot beyond', () => {
    const s = makeSnapshot();
    const c = selected(s);
    const sel = c.selection;
    const spot = s.spx.spot;
    // Brute force over the chain: the OTM put and call whose |delta| is nearest 0.10.
    const nearest = (right: 'P' | 'C'): number => {
      const otm = s.spxw.quotes.filter(
        (q) => q.right === right && (right === 'P' ? q.strike < spot : q.strike > spot),
      );
      const best = otm.reduce((b, q) =>
        Math.abs(Math.abs(q.delta!) - 0.1) < Math.abs(Math.abs(b.delta!) - 0.1) ? q : b,
      );
      return best.strike;
    };
    assert.equal(sel.shortPut, nearest('P'));
    assert.equal(sel.shortCall, nearest('C'));
    assert.ok(sel.shortPut <= spot - sel.expectedMovePoints);
    assert.ok(sel.shortCall >= spot + sel.expectedMovePoints);
    assert.equal(sel.longPut, sel.shortPut - 25);
    assert.equal(sel.longCall, sel.shortCall + 25);
    assert.deepEqual(
      c.legs.map((l) => `${l.action} ${l.contract.strike}${l.contract.right}`),
      [`SELL ${sel.shortPut}P`, `BUY ${sel.longPut}P`, `SELL ${sel.shortCall}C`, `BUY ${sel.longCall}C`],
    );
  });

  it('EM uses the interpolated ATM vol and trading time', () => {
    const s = makeSnapshot({ spot: 6002.5, atmIv: 0.2 });
    const sel = selected(s).selection;
    const t = tradingTimeToExpiry(testCalendar(), s.asOf, s.spxw.expiry, 'PM');
    // A Tuesday 15:45 cycle for Wednesday: 15 minutes of today plus one session.
    assert.ok(Math.abs(t - (15 / 390 + 1) / 252) < 1e-12);
    assert.ok(Math.abs(sel.expectedMovePoints - 6002.5 * sel.atmIv * Math.sqrt(t)) < 1e-9);
    assert.ok(Math.abs(sel.atmIv - 0.2) < 0.01, `atm ${sel.atmIv}`);
  });

  it('moves a short strike out to the first listed strike beyond minEmMultiple x EM', () => {
    const s = makeSnapshot();
    const sel = selected(s, rules({ minEmMultiple: 1.8, minCreditPctOfWidth: 0.01 })).selection;
    const em2 = 1.8 * sel.expectedMovePoints;
    assert.ok(sel.shortPut <= s.spx.spot - em2);
    assert.ok(sel.shortPut + 5 > s.spx.spot - em2, 'the first listed strike beyond, not farther');
    assert.ok(sel.shortCall >= s.spx.spot + em2);
    assert.ok(sel.shortCall - 5 < s.spx.spot + em2);
    assert.ok(Math.abs(sel.shortPutDelta) < 0.1, 'moved out: smaller delta than the target');
  });

  it('takes the nearest listed wing farther out when the exact wing strike is not listed', () => {
    const s = makeSnapshot();
    const base = selected(s).selection;
    const missing = base.shortPut - 25;
    const thinned: MarketSnapshot = {
      ...s,
      spxw: { ...s.spxw, quotes: s.spxw.quotes.filter((q) => !(q.right === 'P' && q.strike === missing)) },
    };
    const sel = selected(thinned).selection;
    assert.equal(sel.shortPut, base.shortPut);
    assert.equal(sel.longPut, missing - 5);
    assert.equal(sel.widthPoints, 30);
  });

  it('prices at the combo mid rounded down to the 0.05 tick; max loss and break-evens follow', () => {
    const c = selected(makeSnapshot({ atmIv: 0.22 }));
    const sel = c.selection;
    const mids = c.legs.map((l) => ((l.role === 'short' ? 1 : -1) * (l.quote.bid + l.quote.ask)) / 2);
    const raw = mids.reduce((a, b) => a + b, 0);
    assert.equal(sel.credit % 5, 0);
    assert.ok(sel.credit <= raw && sel.credit > raw - 5, `credit ${sel.credit} from mid ${raw}`);
    const natural = c.legs.reduce((a, l) => a + (l.role === 'short' ? l.quote.bid : 0 - l.quote.ask), 0);
    assert.equal(sel.naturalCredit, natural);
    assert.equal(sel.maxLossPerContract, (sel.widthPoints * 100 - sel.credit) * 100);
    assert.equal(sel.breakEvenLow, sel.shortPut - sel.credit / 100);
    assert.equal(sel.breakEvenHigh, sel.shortCall + sel.credit / 100);
  });

  it('solves vols and deltas from the mids when quotes carry no greeks', () => {
    const withGreeks = selected(makeSnapshot()).selection;
    const without = selected(makeSnapshot({ withGreeks: false })).selection;
    assert.ok(Math.abs(without.shortPut - withGreeks.shortPut) <= 5);
    assert.ok(Math.abs(without.shortCall - withGreeks.shortCall) <= 5);
    assert.ok(Math.abs(without.atmIv - withGreeks.atmIv) < 0.005);
  });

  it('wing width: 0.4% of spot rounded to 5, at least 5', () => {
    const rule = defaultStrategy().condor.wingWidth;
    assert.equal(wingWidthPoints(rule, 6000), 25);
    assert.equal(wingWidthPoints(rule, 2500), 10);
    assert.equal(wingWidthPoints(rule, 500), 5);
    assert.equal(wingWidthPoints({ mode: 'points', points: 50 }, 6000), 50);
  });
});

describe('condor refusals', () => {
  const s = makeSnapshot();
  const base = selected(s).selection;

  it('bad quotes: short leg bid 0', () => {
    const f = failure(withSpxwQuote(s, base.shortPut, 'P', (q) => ({ ...q, bid: priceCents(0) })));
    assert.equal(f.reason, 'bad-quotes');
    assert.equal(f.problem.kind, 'leg-quotes');
    assert.ok(
      f.problem.kind === 'leg-quotes' &&
        f.problem.problems.some(
          (q) => q.kind === 'no-bid' && q.leg.strike === base.shortPut && q.leg.role === 'short',
        ),
    );
  });

  it('bad quotes: a crossed, stale or too wide leg', () => {
    const crossed = withSpxwQuote(s, base.longCall, 'C', (q) => ({ ...q, bid: priceCents(q.ask + 10) }));
    assert.equal(failure(crossed).reason, 'bad-quotes');
    const stale = withSpxwQuote(s, base.shortCall, 'C', (q) => ({ ...q, ageSeconds: 121 }));
    assert.equal(failure(stale).reason, 'bad-quotes');
    const wide = withSpxwQuote(s, base.longPut, 'P', (q) => ({ ...q, ask: priceCents(q.bid + 55) }));
    assert.equal(failure(wide).reason, 'bad-quotes');
  });

  it('a long wing bid 0 is accepted', () => {
    const zeroWing = withSpxwQuote(s, base.longCall, 'C', (q) => ({
      ...q,
      bid: priceCents(0),
      ask: priceCents(5),
    }));
    assert.ok(select(zeroWing).ok);
  });

  it('thin credit: below minCreditPctOfWidth x width', () => {
    const f = failure(s, rules({ minCreditPctOfWidth: base.credit / 2500 + 0.01 }));
    assert.equal(f.reason, 'thin-credit');
    assert.ok(
      select(s, rules({ minCreditPctOfWidth: base.credit / 2500 })).ok,
      'exactly at the minimum trades',
    );
  });
});
