// Term structure: fires on backwardation, VIX9D/VIX or VIX/VIX3M above its threshold.
import type { MarketSnapshot } from '../snapshot.ts';
import type { StrategyConfig } from '../strategy.ts';
import { fmt, toSignalResult, unavailable } from './outcome.ts';
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
  if (short === null && long === null) {
    return toSignalResult('termStructure', LABEL, cfg, unavailable('no VIX9D or VIX3M quote'));
  }
  const shortFires = short !== null && short > cfg.vix9dOverVixAbove;
  const longFires = long !== null && long > cfg.vixOverVix3mAbove;
  const describe = (name: string, r: number | null, above: number, fires: boolean): string =>
    r === null ? `${name} n/a` : `${name} ${fmt(r, 3)} ${fires ? '>' : '<='} ${fmt(above, 2)}`;
  return toSignalResult('termStructure', LABEL, cfg, {
    value: Math.max(short ?? -Infinity, long ?? -Infinity),
    available: true,
    triggered: shortFires || longFires,
    detail:
      `${describe('VIX9D/VIX', short, cfg.vix9dOverVixAbove, shortFires)}, ` +
      `${describe('VIX/VIX3M', long, cfg.vixOverVix3mAbove, longFires)}`,
  });
}
