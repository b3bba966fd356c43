// The shipped default strategy (strategies/alvh-default.json, every number at its docs/strategy.md default),
// plus a helper to derive variants for tests.
import { fileURLToPath } from 'node:url';
import { loadStrategy } from '../../src/config/strategy-file.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';

const DEFAULT_PATH = fileURLToPath(new URL('../../strategies/alvh-default.json', import.meta.url));

let cached: StrategyConfig | null = null;

export function defaultStrategy(): StrategyConfig {
  cached ??= loadStrategy(DEFAULT_PATH);
  return cached;
}

type Section = 'condor' | 'hedge' | 'sizing' | 'execution';

/** A copy of the default strategy with some fields of one or more sections replaced. */
export function strategyWith(patch: {
  readonly [K in Section]?: Partial<StrategyConfig[K]>;
}): StrategyConfig {
  const base = defaultStrategy();
  return {
    ...base,
    condor: { ...base.condor, ...patch.condor },
    hedge: { ...base.hedge, ...patch.hedge },
    sizing: { ...base.sizing, ...patch.sizing },
    execution: { ...base.execution, ...patch.execution },
  };
}
