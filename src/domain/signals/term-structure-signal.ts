// Term structure: fires on backwardation, VIX9D/VIX or VIX/VIX3M above its threshold.
import type { MarketSnapshot } from '../snapshot.ts';
import type { StrategyConfig } from '../strategy.ts';
import { toSignalResult, unavailable } from './outcome.ts';
import type { SignalResult } from './signal.ts';

export type TermStructureConfig = StrategyConfig['signals']['termStructure'];

const LABEL = 'Term structure';

function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null) return null;
  const r = numerator / denominator;
  return Number.isFinite(r) && r > 0 ? r : null;
}

/** value = the larger of the available ratios; a missing index just drops its ratio. */
export function termStructureSignal(vix: MarketSnapshot['vix'], cfg: TermStructureConfig): SignalResult {
  const short = ratio(vix.vix9d, vix.spot);
  const long = ratio(vix.spot, vix.vix3m);
  if (short === null && long === null)
    return toSignalResult('termStructure', LABEL, cfg, unavailable({ kind: 'no-term-quotes' }));
  const shortFires = short !== null && short > cfg.vix9dOverVixAbove;
  const longFires = long !== null && long > cfg.vixOverVix3mAbove;
  return toSignalResult('termStructure', LABEL, cfg, {
    available: true,
    value: Math.max(short ?? -Infinity, long ?? -Infinity),
    triggered: shortFires || longFires,
    reading: {
      id: 'termStructure',
      vix9dOverVix: short,
      vixOverVix3m: long,
      vix9dOverVixAbove: cfg.vix9dOverVixAbove,
      vixOverVix3mAbove: cfg.vixOverVix3mAbove,
    },
  });
}
