// Loads and validates a strategy file; every problem is reported at once, one line per field.
import { IronvixError } from '../errors.ts';
import type { StrategyConfig } from '../domain/strategy.ts';
import { printable } from '../domain/text.ts';
import { MAX_FILE_BYTES, readJsonFile } from './json-file.ts';
import { strategyFileSchema, strategySchema } from './strategy-schema.ts';
import { capLines, formatIssues, knownKeysOf, readableErrorMap } from './zod-errors.ts';

const knownKeys = knownKeysOf(strategyFileSchema);

/** Validate already-parsed JSON; sourceName prefixes every error line (usually the file path). */
export function parseStrategy(json: unknown, sourceName: string): StrategyConfig {
  const result = strategySchema.safeParse(json, { error: readableErrorMap });
  if (result.success) return result.data;
  const lines = formatIssues(result.error.issues, json, sourceName, knownKeys);
  const shown = capLines(lines);
  const head = `${sourceName}: strategy file is invalid (${lines.length} problem${lines.length === 1 ? '' : 's'})`;
  throw new IronvixError('E_STRATEGY_INVALID', [head, ...shown.map((l) => `  ${l}`)].join('\n'), shown);
}

/** Read, parse and validate a strategy file (money in the file is dollars; the result is cents). */
export function loadStrategy(path: string): StrategyConfig {
  return parseStrategy(
    readJsonFile(path, 'E_STRATEGY_UNREADABLE', 'strategy file', MAX_FILE_BYTES.strategy),
    printable(path),
  );
}
