// Dynamics of the simulated indexes: SPX as a jump-diffusion whose vol follows VIX, VIX mean-reverting
// in log and coupled to SPX surprises (asymmetric, convex on drops), VIX9D/VIX3M as term-structure
// ratios with their own noise, and NYSE breadth driven by the day's SPX return.
// Time unit: trading days (a full session plus the night before it = 1).
import { normCdf } from '../../domain/pricing.ts';
import type { Rng } from '../rng.ts';

export interface PathParams {
  /** SPX drift per year (log, before the jump compensator). */
  readonly spxDriftPerYear: number;
  /** Realised SPX vol as a share of VIX/100 (implied exceeds realised most days). */
  readonly realisedToImplied: number;
  /** Expected jumps per year, and their log size distribution (down-biased). */
  readonly jumpsPerYear: number;
  readonly jumpMean: number;
  readonly jumpStd: number;
  /** Half-life of log VIX toward its level, in trading days. */
  readonly vixHalfLifeDays: number;
  /** Long-run level of log VIX (exp of the mean log; the arithmetic mean is ~1 point higher). */
  readonly vixLogLevel: number;
  /** Vol of log VIX not explained by SPX, per year. */
  readonly vixIdioVolPerYear: number;
  /** VIX points per +1% SPX surprise on up moves and on down moves (negative numbers). */
  readonly vixBetaUp: number;
  readonly vixBetaDown: number;
  /** Extra down-move beta per 1% of drop (big drops lift VIX more than linearly). */
  readonly vixDownConvexity: number;
  readonly vixFloor: number;
  /** Share of a day's variance that falls overnight (the rest is spread over the session). */
  readonly overnightShare: number;
  /** NYSE issues traded, and how strongly the SPX return tilts advancers. */
  readonly nyseIssues: number;
  readonly breadthSensitivity: number;
}

export const DEFAULT_PATH_PARAMS: PathParams = {
  spxDriftPerYear: 0.07,
  realisedToImplied: 0.75,
  jumpsPerYear: 3,
  jumpMean: -0.025,
  jumpStd: 0.015,
  vixHalfLifeDays: 40,
  vixLogLevel: Math.log(18.5),
  vixIdioVolPerYear: 0.45,
  vixBetaUp: -0.9,
  vixBetaDown: -1.25,
  vixDownConvexity: 0.08,
  vixFloor: 9,
  overnightShare: 0.25,
  nyseIssues: 3000,
  breadthSensitivity: 0.6,
};

export const TRADING_DAYS = 252;

export interface PathState {
  spx: number;
  vix: number;
  /** OU noise in log(VIX9D / model VIX9D) and log(VIX3M / model VIX3M). */
  vix9dNoise: number;
  vix3mNoise: number;
  /** SPX surprise since the last close, in percent (reset by closeDay). */
  daySurprisePct: number;
}

/** Ends a trading day: the next night starts a new close-to-close return. */
export function closeDay(s: PathState): void {
  s.daySurprisePct = 0;
}

/**
 * VIX points added by a close-to-close SPX surprise of r percent. Applied to the day's cumulative
 * return (not per step) so the asymmetry does not grow with the number of steps.
 */
export function vixCoupling(rPct: number, p: PathParams): number {
  return rPct >= 0 ? p.vixBetaUp * rPct : p.vixBetaDown * (1 + p.vixDownConvexity * -rPct) * rPct;
}

/** Expected vixCoupling for a normal day return with sd sPct: the drift to take back out. */
export function vixCouplingMean(sPct: number, p: PathParams): number {
  const phi0 = 1 / Math.sqrt(2 * Math.PI);
  return (p.vixBetaUp - p.vixBetaDown) * sPct * phi0 - (p.vixBetaDown * p.vixDownConvexity * sPct * sPct) / 2;
}

/** Something scripted added on top of the model during one step (no VIX coupling). */
export interface ForcedMove {
  readonly spxLog: number;
  readonly vixPoints: number;
}

export interface StepResult {
  /** SPX log return of the step, all components. */
  readonly spxLog: number;
}

/**
 * One model step of dtDays trading days. Draws a fixed number of variates per call (plus jump sizes),
 * so a given grid of steps always consumes the stream the same way.
 */
export function stepPath(
  s: PathState,
  dtDays: number,
  rng: Rng,
  p: PathParams = DEFAULT_PATH_PARAMS,
  forced: ForcedMove = { spxLog: 0, vixPoints: 0 },
): StepResult {
  const epsS = rng.normal();
  const epsV = rng.normal();
  const epsN9 = rng.normal();
  const epsN3 = rng.normal();
  const nJumps = rng.poisson((p.jumpsPerYear / TRADING_DAYS) * dtDays);
  let jump = 0;
  for (let i = 0; i < nJumps; i++) jump += p.jumpMean + p.jumpStd * rng.normal();

  const sigmaDay = (p.realisedToImplied * s.vix) / 100 / Math.sqrt(TRADING_DAYS);
  const lambdaDay = p.jumpsPerYear / TRADING_DAYS;
  const jumpComp = Math.exp(p.jumpMean + 0.5 * p.jumpStd * p.jumpStd) - 1;
  const drift =
    (p.spxDriftPerYear / TRADING_DAYS - 0.5 * sigmaDay * sigmaDay - lambdaDay * jumpComp) * dtDays;
  const diffusive = sigmaDay * Math.sqrt(dtDays) * epsS;
  // The VIX reacts to the surprise, not to the expected drift or the jump compensator.
  const surprise = diffusive + jump - lambdaDay * p.jumpMean * dtDays;
  const spxLog = drift + diffusive + jump + forced.spxLog;
  s.spx *= Math.exp(spxLog);

  const kappa = Math.LN2 / p.vixHalfLifeDays;
  const sigmaV = p.vixIdioVolPerYear / Math.sqrt(TRADING_DAYS);
  const logV = Math.log(s.vix);
  const logNext = logV + kappa * (p.vixLogLevel - logV) * dtDays + sigmaV * Math.sqrt(dtDays) * epsV;
  const before = Math.exp(logNext);
  const dayBefore = s.daySurprisePct;
  s.daySurprisePct += 100 * surprise;
  const coupling =
    vixCoupling(s.daySurprisePct, p) -
    vixCoupling(dayBefore, p) -
    vixCouplingMean(100 * sigmaDay, p) * dtDays;
  let next = before + coupling;
  // A huge rally cannot take VIX through zero: at most halve it in one step.
  if (next < 0.5 * before) next = 0.5 * before;
  next += forced.vixPoints;
  s.vix = Math.max(p.vixFloor, next);

  const kN = 0.2 * dtDays;
  const sN = 0.03 * Math.sqrt(dtDays);
  s.vix9dNoise += -kN * s.vix9dNoise + sN * epsN9;
  s.vix3mNoise += -kN * s.vix3mNoise + 0.5 * sN * epsN3;
  return { spxLog };
}

/** VIX9D: above VIX when VIX is high (front-end premium), below in calm markets. */
export function vix9dFrom(vix: number, noise: number): number {
  return vix * 0.97 * Math.pow(vix / 19, 0.25) * Math.exp(noise);
}

/** VIX3M: contango (~1.2x VIX) in calm markets, inverted above VIX ~25. */
export function vix3mFrom(vix: number, noise: number): number {
  return vix * 1.1 * Math.pow(vix / 19, -0.33) * Math.exp(noise);
}

/** VVIX-like level (points) used for VIX option vols: rises with VIX. */
export function volOfVolFrom(vix: number): number {
  return Math.min(180, Math.max(70, 85 + 1.5 * (vix - 17)));
}

export interface Breadth {
  readonly advancers: number;
  readonly decliners: number;
  readonly unchanged: number;
}

/**
 * Advancing/declining NYSE issues for the day so far: the share advancing is Φ(sensitivity × the day's
 * SPX return in daily sigmas + the day's own tilt).
 */
export function breadthFrom(
  dayLogReturn: number,
  vix: number,
  dayTilt: number,
  issues: number,
  p: PathParams = DEFAULT_PATH_PARAMS,
): Breadth {
  const sigmaDay = (p.realisedToImplied * vix) / 100 / Math.sqrt(TRADING_DAYS);
  const z = (p.breadthSensitivity * dayLogReturn) / sigmaDay + dayTilt;
  const unchanged = Math.round(issues * 0.03);
  const moving = issues - unchanged;
  const advancers = Math.round(moving * normCdf(z));
  return { advancers, decliners: moving - advancers, unchanged };
}

/**
 * One step of a Brownian bridge in log space toward `target` with `stepsLeft` steps to go (including
 * this one): lands exactly on target at the last step.
 */
export function bridgeStep(
  x: number,
  target: number,
  stepsLeft: number,
  sigmaPerStep: number,
  eps: number,
): number {
  if (stepsLeft <= 1) return target;
  const lx = Math.log(x);
  const lt = Math.log(target);
  const next = lx + (lt - lx) / stepsLeft + sigmaPerStep * Math.sqrt((stepsLeft - 1) / stepsLeft) * eps;
  return Math.exp(next);
}
