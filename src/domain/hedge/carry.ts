// Carry: a layer's modelled decay over one session (Black-76, same future and vols), per contract.
import { black76 } from '../pricing.ts';
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import { VIX_OPTION_MULTIPLIER } from '../instruments.ts';
import type { LayerMarket } from './layer-market.ts';

/** One NYSE session in trading-time years. */
export const SESSION_YEARS = 1 / 252;

export interface LayerShock {
  /** Points added to the layer's future. */
  readonly forwardShift: number;
  /** Added to every leg's implied vol (0.20 = +20 vol points). */
  readonly volShift: number;
}

export const NO_SHOCK: LayerShock = { forwardShift: 0, volShift: 0 };

/** Model value per unit in price cents at `timeYears` to expiry under a shock. */
export function layerModelValueCents(
  m: LayerMarket,
  timeYears: number,
  shock: LayerShock = NO_SHOCK,
): number {
  // Floors keep a shock that pushes the future or a vol through zero inside the model's domain.
  const forward = Math.max(0.01, m.forward + shock.forwardShift);
  const t = Math.max(0, timeYears);
  let points = 0;
  for (const leg of m.legs) {
    const vol = Math.max(0.01, leg.vol + shock.volShift);
    const price = black76({
      forward,
      strike: leg.contract.strike,
      timeYears: t,
      rate: m.rate,
      vol,
      right: 'C',
    }).price;
    points += leg.sign * price;
  }
  return points * 100;
}

/** Per unit price cents to per contract cents (x100 multiplier), rounded to a cent. */
export function perContractCents(priceCents: number): Cents {
  return cents(Math.round(priceCents * VIX_OPTION_MULTIPLIER));
}

/** Carry per contract: value now minus value one session later, same future and vols. */
export function layerCarryCents(m: LayerMarket): Cents {
  const now = layerModelValueCents(m, m.timeYears);
  const later = layerModelValueCents(m, m.timeYears - SESSION_YEARS);
  return perContractCents(now - later);
}
