// The stress scenario of docs/strategy.md §3: SPX falls stressSigmas x EM before the condor's expiry;
// spot VIX, each layer's future and the VIX option vols rise; the condor's put side loses.
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import { SPXW_MULTIPLIER } from '../instruments.ts';
import type { StrategyConfig } from '../strategy.ts';
import type { LayerMarket } from './layer-market.ts';
import type { LayerShock } from './carry.ts';
import { layerModelValueCents, perContractCents } from './carry.ts';

export type SizingConfig = StrategyConfig['sizing'];

export interface StressScenario {
  readonly spot: number;
  readonly atmIv: number;
  /** Trading time to the condor's expiry: the stress horizon. */
  readonly horizonYears: number;
  readonly emPoints: number;
  readonly stressSigmas: number;
  readonly stressSpx: number;
  /** SPX fall in percent (positive). */
  readonly spxFallPct: number;
  readonly vixSpot: number;
  /** vixBeta x spxFallPct. */
  readonly vixSpotRise: number;
  readonly stressVixSpot: number;
  readonly volOfVolShock: number;
}

/** EM = S x IV_atm x sqrt(T), T in trading years. */
export function expectedMovePoints(spot: number, atmIv: number, timeYears: number): number {
  return spot * atmIv * Math.sqrt(Math.max(0, timeYears));
}

export function stressScenario(
  input: {
    readonly spot: number;
    readonly atmIv: number;
    readonly horizonYears: number;
    readonly vixSpot: number;
  },
  sizing: SizingConfig,
): StressScenario {
  const emPoints = expectedMovePoints(input.spot, input.atmIv, input.horizonYears);
  const stressSpx = Math.max(0, input.spot - sizing.stressSigmas * emPoints);
  const spxFallPct = ((input.spot - stressSpx) / input.spot) * 100;
  const vixSpotRise = sizing.vixBeta * spxFallPct;
  return {
    spot: input.spot,
    atmIv: input.atmIv,
    horizonYears: input.horizonYears,
    emPoints,
    stressSigmas: sizing.stressSigmas,
    stressSpx,
    spxFallPct,
    vixSpot: input.vixSpot,
    vixSpotRise,
    stressVixSpot: input.vixSpot + vixSpotRise,
    volOfVolShock: sizing.volOfVolShock,
  };
}

/** termBeta(dte) = min(cap, coefficient x sqrt(refDte / dte)); dte below 1 counts as 1. */
export function termBeta(dte: number, cfg: SizingConfig['termBeta']): number {
  return Math.min(cfg.cap, cfg.coefficient * Math.sqrt(cfg.refDte / Math.max(1, dte)));
}

/** How a spot-VIX move and a vol shift reach one layer: its future moves by termBeta(dte) x the spot move. */
export function layerShock(
  m: LayerMarket,
  vixSpotMove: number,
  volShift: number,
  sizing: SizingConfig,
): LayerShock {
  return { forwardShift: vixSpotMove * termBeta(m.dte, sizing.termBeta), volShift };
}

/** Per unit price cents of the layer at the condor's expiry under a spot-VIX move and vol shift. */
export function layerValueAtHorizonCents(
  m: LayerMarket,
  horizonYears: number,
  vixSpotMove: number,
  volShift: number,
  sizing: SizingConfig,
): number {
  return layerModelValueCents(m, m.timeYears - horizonYears, layerShock(m, vixSpotMove, volShift, sizing));
}

/** Stress P&L per contract: stressed Black-76 value at the condor's expiry minus today's mid. */
export function layerStressPnlCents(m: LayerMarket, s: StressScenario, sizing: SizingConfig): Cents {
  const stressed = layerValueAtHorizonCents(m, s.horizonYears, s.vixSpotRise, s.volOfVolShock, sizing);
  return perContractCents(stressed - m.midCents);
}

export interface CondorRisk {
  readonly shortPut: number;
  readonly longPut: number;
  readonly shortCall: number;
  readonly longCall: number;
  /** Mid credit per unit, price cents. */
  readonly credit: number;
  readonly maxLossPerContract: Cents;
}

/** Intrinsic value per unit (points) of the condor's short spreads at an expiry level. */
export function condorIntrinsicPoints(c: CondorRisk, spxAtExpiry: number): number {
  const put = Math.max(0, c.shortPut - spxAtExpiry) - Math.max(0, c.longPut - spxAtExpiry);
  const call = Math.max(0, spxAtExpiry - c.shortCall) - Math.max(0, spxAtExpiry - c.longCall);
  return put + call;
}

/** Condor P&L per contract at expiry: credit minus intrinsic, in cents. */
export function condorPnlAtExpiryCents(c: CondorRisk, spxAtExpiry: number): Cents {
  const intrinsicCents = condorIntrinsicPoints(c, spxAtExpiry) * 100 * SPXW_MULTIPLIER;
  return cents(Math.round(c.credit * SPXW_MULTIPLIER - intrinsicCents));
}

/** Condor loss per contract under the stress (positive = loss): put intrinsic - credit, in [0, max loss]. */
export function condorStressLossCents(c: CondorRisk, stressSpx: number): Cents {
  const loss = 0 - condorPnlAtExpiryCents(c, stressSpx);
  return cents(Math.min(c.maxLossPerContract, Math.max(0, loss)));
}
