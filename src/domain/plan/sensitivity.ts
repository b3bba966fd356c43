// How much of the coverage rests on two modelling assumptions: the hedge's stress P&L and coverage
// with no vol-of-vol shock, and with half the VIX beta (docs/strategy.md section 3).
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import type { LayerMarket } from '../hedge/layer-market.ts';
import type { SizingConfig, StressScenario } from '../hedge/stress.ts';
import { layerStressPnlCents } from '../hedge/stress.ts';

export interface SensitivityCase {
  readonly case: 'as-planned' | 'no-vol-of-vol-shock' | 'half-vix-beta';
  readonly vixBeta: number;
  readonly volOfVolShock: number;
  /** Stress P&L of the layers that count in the book after the plan. */
  readonly hedgeStressPnlCents: Cents;
  /** hedge stress P&L / (condor stress loss x quantity); null without a condor. */
  readonly coverageRatio: number | null;
}

export interface SensitivityInput {
  readonly stress: StressScenario;
  readonly sizing: SizingConfig;
  /** Layers of the book after the plan that count as coverage. */
  readonly book: readonly { readonly market: LayerMarket; readonly quantity: number }[];
  /** Condor stress loss per contract x quantity; 0 without a condor. */
  readonly condorStressLossCents: number;
}

function hedgeStress(book: SensitivityInput['book'], s: StressScenario, sizing: SizingConfig): Cents {
  return cents(book.reduce((t, l) => t + layerStressPnlCents(l.market, s, sizing) * l.quantity, 0));
}

export function sensitivity(i: SensitivityInput): SensitivityCase[] {
  const s = i.stress;
  const halfRise = s.vixSpotRise * 0.5;
  const cases: readonly [SensitivityCase['case'], StressScenario, number][] = [
    ['as-planned', s, i.sizing.vixBeta],
    ['no-vol-of-vol-shock', { ...s, volOfVolShock: 0 }, i.sizing.vixBeta],
    [
      'half-vix-beta',
      { ...s, vixSpotRise: halfRise, stressVixSpot: s.vixSpot + halfRise },
      i.sizing.vixBeta / 2,
    ],
  ];
  return cases.map(([name, scenario, vixBeta]) => {
    const pnl = hedgeStress(i.book, scenario, i.sizing);
    return {
      case: name,
      vixBeta,
      volOfVolShock: scenario.volOfVolShock,
      hedgeStressPnlCents: pnl,
      coverageRatio: i.condorStressLossCents > 0 ? pnl / i.condorStressLossCents : null,
    };
  });
}
