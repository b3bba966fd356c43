import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calendarDaysBetween, nyDate, tradingTimeToExpiry } from '../../src/domain/calendar.ts';
import { cents } from '../../src/domain/money.ts';
import { black76 } from '../../src/domain/pricing.ts';
import type { LayerMarket } from '../../src/domain/hedge/layer-market.ts';
import { layerMarket } from '../../src/domain/hedge/layer-market.ts';
import { layerCarryCents } from '../../src/domain/hedge/carry.ts';
import type { CondorRisk } from '../../src/domain/hedge/stress.ts';
import {
  condorStressLossCents,
  layerStressPnlCents,
  stressScenario,
  termBeta,
} from '../../src/domain/hedge/stress.ts';
import { defaultStrategy } from '../support/default-strategy.ts';
import { makeSnapshot, testCalendar } from '../support/snapshot-factory.ts';

const sizing = defaultStrategy().sizing;

function marketFor(spec: { longStrike: number; shortStrike: number | null }): LayerMarket {
  const s = makeSnapshot();
  const chain = s.vixOptions.find((c) => c.tradingClass === 'VIX')!;
  const today = nyDate(s.asOf);
  const m = layerMarket(
    {
      kind: spec.shortStrike === null ? 'call' : 'callSpread',
      tradingClass: 'VIX',
      expiry: chain.expiry,
      ...spec,
    },
    s.vixOptions,
    {
      rate: s.rates.riskFree,
      timeToExpiry: (e) => tradingTimeToExpiry(testCalendar(), s.asOf, e, 'AM'),
      daysToExpiry: (e) => calendarDaysBetween(today, e),
    },
  );
  assert.ok(m.ok, m.ok ? '' : JSON.stringify(m.error));
  return m.value;
}

describe('termBeta', () => {
  it('is 0.6 at 30 days, capped at 1 for short expiries, smaller for long ones', () => {
    assert.equal(termBeta(30, sizing.termBeta), 0.6);
    assert.equal(termBeta(7, sizing.termBeta), 1);
    assert.ok(Math.abs(termBeta(60, sizing.termBeta) - 0.6 * Math.sqrt(0.5)) < 1e-12);
  });
});

describe('stress scenario', () => {
  it('moves SPX down stressSigmas x EM and spot VIX up vixBeta per 1% fall', () => {
    const t = (15 / 390 + 1) / 252;
    const s = stressScenario({ spot: 6000, atmIv: 0.16, horizonYears: t, vixSpot: 16 }, sizing);
    const em = 6000 * 0.16 * Math.sqrt(t);
    assert.ok(Math.abs(s.emPoints - em) < 1e-9);
    assert.ok(Math.abs(s.stressSpx - (6000 - 3 * em)) < 1e-9);
    assert.ok(Math.abs(s.spxFallPct - (300 * em) / 6000) < 1e-9);
    assert.ok(Math.abs(s.stressVixSpot - (16 + 1.2 * s.spxFallPct)) < 1e-9);
  });

  const condor: CondorRisk = {
    shortPut: 5900,
    longPut: 5875,
    shortCall: 6075,
    longCall: 6100,
    credit: 320,
    maxLossPerContract: cents((2500 - 320) * 100),
  };

  it('condor stress loss: put intrinsic less the credit, capped at the max loss, never negative', () => {
    assert.equal(condorStressLossCents(condor, 5800), 218000, 'beyond the long put: max loss');
    assert.equal(condorStressLossCents(condor, 5890), (10 - 3.2) * 10000, 'between the strikes');
    assert.equal(condorStressLossCents(condor, 5898), 0, 'intrinsic below the credit: no loss');
    assert.equal(condorStressLossCents(condor, 5950), 0);
  });
});

describe('layer stress P&L and carry (Black-76)', () => {
  it('docs/strategy.md 3 "Reprice each layer with Black-76 at the condor\'s expiry ... and subtract the layer\'s quote mid now"', () => {
    const m = marketFor({ longStrike: 21, shortStrike: null });
    const horizon = (15 / 390 + 1) / 252;
    const s = stressScenario({ spot: 6000, atmIv: 0.16, horizonYears: horizon, vixSpot: 16 }, sizing);
    const leg = m.legs[0]!;
    const shockedF = m.forward + s.vixSpotRise * Math.min(1, 0.6 * Math.sqrt(30 / m.dte));
    const stressed = black76({
      forward: shockedF,
      strike: 21,
      timeYears: m.timeYears - horizon,
      rate: m.rate,
      vol: leg.vol + 0.2,
      right: 'C',
    }).price;
    const mid = (leg.quote.bid + leg.quote.ask) / 2;
    assert.equal(layerStressPnlCents(m, s, sizing), Math.round((stressed * 100 - mid) * 100));
    assert.ok(layerStressPnlCents(m, s, sizing) > 0);
  });

  it('a call spread gains less than its long call alone', () => {
    const s = stressScenario({ spot: 6000, atmIv: 0.16, horizonYears: 1 / 252, vixSpot: 16 }, sizing);
    const call = layerStressPnlCents(marketFor({ longStrike: 23, shortStrike: null }), s, sizing);
    const spread = layerStressPnlCents(marketFor({ longStrike: 23, shortStrike: 30 }), s, sizing);
    assert.ok(spread > 0 && spread < call, `spread ${spread} call ${call}`);
  });

  it('carry is the Black-76 decay over one session at the same future and vol', () => {
    const m = marketFor({ longStrike: 21, shortStrike: null });
    const leg = m.legs[0]!;
    const at = (t: number): number =>
      black76({ forward: m.forward, strike: 21, timeYears: t, rate: m.rate, vol: leg.vol, right: 'C' }).price;
    const carry = layerCarryCents(m);
    assert.equal(carry, Math.round((at(m.timeYears) - at(m.timeYears - 1 / 252)) * 10000));
    assert.ok(carry > 0);
  });
});
