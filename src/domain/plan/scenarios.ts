// Scenario table and payoff curve: SPX at the condor's expiry from -6% to +6%, the modelled VIX
// response, the condor's P&L at expiry and the hedge book's Black-76 P&L at that time.
//
// VIX response: spot VIX rises vixBeta points per 1% SPX fall (as in the stress) and falls
// UP_MOVE_BETA_SHARE x vixBeta points per 1% rise (VIX falls less on up days: -1.02 vs -1.39 pt per
// 1% in 1990-2026 closes, docs/ib-notes.md §5), never below VIX_FLOOR_SHARE of today's level.
// A layer's future moves by termBeta(dte) x the spot move; VIX option vols rise by volOfVolShock
// scaled by the spot move relative to the stress move (0 on up moves, at most the full shock).
// Estimated commissions of the plan's orders are paid in every row: the condor's in its column,
// the hedge orders' in the hedge column.
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import type { LayerMarket } from '../hedge/layer-market.ts';
import type { CondorRisk, SizingConfig } from '../hedge/stress.ts';
import { condorPnlAtExpiryCents, layerValueAtHorizonCents } from '../hedge/stress.ts';
import { perContractCents } from '../hedge/carry.ts';
import type { ScenarioRow } from './types.ts';

export const UP_MOVE_BETA_SHARE = 0.5;
export const VIX_FLOOR_SHARE = 0.5;
/** The table's moves in percent: -6..+6 step 1. */
export const TABLE_MOVES_PCT: readonly number[] = Array.from({ length: 13 }, (_, i) => i - 6);
/** The payoff curve's moves: -6..+6 step 0.25. */
export const CURVE_MOVES_PCT: readonly number[] = Array.from({ length: 49 }, (_, i) => -6 + i * 0.25);

export interface ScenarioLayer {
  readonly market: LayerMarket;
  readonly quantity: number;
}

export interface ScenarioModel {
  readonly spot: number;
  readonly vixSpot: number;
  /** Trading time to the condor's expiry: layers are valued then. */
  readonly horizonYears: number;
  readonly condor: CondorRisk | null;
  readonly condorQuantity: number;
  /** The hedge book after the plan. */
  readonly book: readonly ScenarioLayer[];
  /** Spot VIX rise of the stress scenario, scaling the vol shock; null = no vol shock. */
  readonly stressVixRise: number | null;
  readonly sizing: SizingConfig;
  /** Commissions of the condor order and of the hedge orders, cents (0 without them). */
  readonly condorCommissionCents: number;
  readonly hedgeCommissionCents: number;
}

/** Extra rows at SPX levels that matter: the condor's break-evens and the stress level. */
export interface LevelRow {
  readonly label: Exclude<ScenarioRow['label'], 'move'>;
  readonly spxAtExpiry: number;
}

/** Spot VIX change for an SPX move in percent. */
export function vixSpotMove(movePct: number, vixSpot: number, vixBeta: number): number {
  const raw = movePct <= 0 ? -movePct * vixBeta : -movePct * vixBeta * UP_MOVE_BETA_SHARE;
  return Math.max(raw, -vixSpot * (1 - VIX_FLOOR_SHARE));
}

function volShift(model: ScenarioModel, vixMove: number): number {
  if (model.stressVixRise === null || model.stressVixRise <= 0 || vixMove <= 0) return 0;
  return model.sizing.volOfVolShock * Math.min(1, vixMove / model.stressVixRise);
}

export function hedgePnlCents(model: ScenarioModel, vixMove: number): Cents {
  const shift = volShift(model, vixMove);
  let total = 0;
  for (const l of model.book) {
    const value = layerValueAtHorizonCents(l.market, model.horizonYears, vixMove, shift, model.sizing);
    total += perContractCents(value - l.market.midCents) * l.quantity;
  }
  return cents(total);
}

export function scenarioRow(
  model: ScenarioModel,
  movePct: number,
  label: ScenarioRow['label'] = 'move',
): ScenarioRow {
  const spxAtExpiry = model.spot * (1 + movePct / 100);
  const vixMove = vixSpotMove(movePct, model.vixSpot, model.sizing.vixBeta);
  const condorPnl =
    model.condor === null
      ? cents(0)
      : cents(
          condorPnlAtExpiryCents(model.condor, spxAtExpiry) * model.condorQuantity -
            model.condorCommissionCents,
        );
  const hedgePnl = cents(hedgePnlCents(model, vixMove) - model.hedgeCommissionCents);
  return {
    label,
    spxMovePct: movePct,
    spxAtExpiry: Math.round(spxAtExpiry * 100) / 100,
    vixSpot: Math.round((model.vixSpot + vixMove) * 100) / 100,
    condorPnl,
    hedgePnl,
    netPnl: cents(condorPnl + hedgePnl),
  };
}

export function scenarioTable(
  model: ScenarioModel,
  movesPct: readonly number[] = TABLE_MOVES_PCT,
  levels: readonly LevelRow[] = [],
): ScenarioRow[] {
  const rows = [
    ...movesPct.map((m) => scenarioRow(model, m)),
    ...levels.map((l) => scenarioRow(model, (l.spxAtExpiry / model.spot - 1) * 100, l.label)),
  ];
  return rows.sort((a, b) => a.spxMovePct - b.spxMovePct);
}

export function payoffCurve(model: ScenarioModel): ScenarioRow[] {
  return scenarioTable(model, CURVE_MOVES_PCT);
}
