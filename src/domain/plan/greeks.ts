// The book's Greeks in dollars from the project's own pricing (Black-Scholes for the SPXW condor,
// Black-76 on each layer's own VX future for the hedge), in trading time.
import type { ChainIndex } from '../condor.ts';
import { quoteVol } from '../condor.ts';
import { SPXW_MULTIPLIER, VIX_OPTION_MULTIPLIER } from '../instruments.ts';
import { TRADING_DAYS_PER_YEAR } from '../calendar.ts';
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import type { Greeks } from '../pricing.ts';
import { black76, blackScholes } from '../pricing.ts';
import type { CondorLeg } from '../condor.ts';
import type { LayerMarket } from '../hedge/layer-market.ts';

/** Position Greeks in cents, each per one unit of its own move. */
export interface DollarGreeks {
  /** P&L for +1 point of the underlying (SPX for the condor; each layer's VX future for the hedge). */
  readonly deltaCentsPerPoint: Cents;
  /** Change of that delta for +1 point. */
  readonly gammaCentsPerPointSquared: Cents;
  /** P&L for +1 vol point (0.01) of implied vol. */
  readonly vegaCentsPerVolPoint: Cents;
  /** P&L of one session's decay (1/252 of a trading year). */
  readonly thetaCentsPerSession: Cents;
}

export interface BookGreeks {
  /** The SPX iron condor (zero before the plan: the previous condor is not in the snapshot). */
  readonly condor: DollarGreeks;
  /** The VIX hedge layers. */
  readonly hedge: DollarGreeks;
  readonly thetaTotalCentsPerSession: Cents;
}

export const ZERO_GREEKS: DollarGreeks = {
  deltaCentsPerPoint: cents(0),
  gammaCentsPerPointSquared: cents(0),
  vegaCentsPerVolPoint: cents(0),
  thetaCentsPerSession: cents(0),
};

/** Sums per-unit Greeks x (units x multiplier), then rounds to cents. */
function dollars(parts: readonly { readonly g: Greeks; readonly units: number }[]): DollarGreeks {
  let delta = 0;
  let gamma = 0;
  let vega = 0;
  let theta = 0;
  for (const { g, units } of parts) {
    delta += g.delta * units;
    gamma += g.gamma * units;
    vega += g.vega * units;
    theta += g.theta * units;
  }
  const c = (x: number): Cents => cents(Math.round(x * 100));
  return {
    deltaCentsPerPoint: c(delta),
    gammaCentsPerPointSquared: c(gamma),
    vegaCentsPerVolPoint: c(vega / 100),
    thetaCentsPerSession: c(theta / TRADING_DAYS_PER_YEAR),
  };
}

/** The condor x quantity: SELL legs count negative. */
export function condorGreeks(ix: ChainIndex, legs: readonly CondorLeg[], quantity: number): DollarGreeks {
  if (quantity <= 0) return ZERO_GREEKS;
  const m = ix.market;
  const parts = legs.flatMap((l) => {
    const vol = quoteVol(ix, l.quote);
    if (vol === null) return [];
    const g = blackScholes({
      spot: m.spot,
      strike: l.quote.strike,
      timeYears: m.timeYears,
      rate: m.rate,
      dividendYield: m.dividendYield,
      vol,
      right: l.quote.right,
    });
    return [{ g, units: (l.action === 'BUY' ? 1 : -1) * quantity * SPXW_MULTIPLIER }];
  });
  return dollars(parts);
}

/** Hedge layers x quantity: the long leg positive, a spread's short leg negative. */
export function hedgeGreeks(
  book: readonly { readonly market: LayerMarket; readonly quantity: number }[],
): DollarGreeks {
  const parts = book.flatMap(({ market: m, quantity }) =>
    m.legs.map((leg) => ({
      g: black76({
        forward: m.forward,
        strike: leg.contract.strike,
        timeYears: m.timeYears,
        rate: m.rate,
        vol: leg.vol,
        right: 'C',
      }),
      units: leg.sign * quantity * VIX_OPTION_MULTIPLIER,
    })),
  );
  return dollars(parts);
}

export function bookGreeks(condor: DollarGreeks, hedge: DollarGreeks): BookGreeks {
  return {
    condor,
    hedge,
    thetaTotalCentsPerSession: cents(condor.thetaCentsPerSession + hedge.thetaCentsPerSession),
  };
}
