// Loads and validates a market snapshot file; every problem is reported at once, one line per field.
import { IronvixError } from '../errors.ts';
import type { MarketSnapshot } from '../domain/snapshot.ts';
import { readJsonFile } from './json-file.ts';
import { snapshotFileSchema, snapshotSchema } from './snapshot-schema.ts';
import { formatIssues, knownKeysOf, readableErrorMap } from './zod-errors.ts';

export { serializeSnapshot } from './snapshot-schema.ts';

const knownKeys = knownKeysOf(snapshotFileSchema);

/** Most problems listed in one error; a broken generator can produce thousands. */
const MAX_LINES = 50;

/** Validate already-parsed JSON; sourceName prefixes every error line (usually the file path). */
export function parseSnapshot(json: unknown, sourceName: string): MarketSnapshot {
  const result = snapshotSchema.safeParse(json, { error: readableErrorMap });
  if (result.success) return result.data;
  const lines = formatIssues(result.error.issues, json, sourceName, knownKeys);
  const shown = lines.slice(0, MAX_LINES).map((l) => `  ${l}`);
  if (lines.length > MAX_LINES) shown.push(`  ... and ${lines.length - MAX_LINES} more`);
  const head = `${sourceName}: market snapshot is invalid (${lines.length} problem${lines.length === 1 ? '' : 's'})`;
  throw new IronvixError('E_SNAPSHOT_INVALID', [head, ...shown].join('\n'), lines);
}

/** Read, parse and validate a snapshot file (prices in the file are decimals; the result is cents). */
export function loadSnapshot(path: string): MarketSnapshot {
  return parseSnapshot(readJsonFile(path, 'E_SNAPSHOT_UNREADABLE', 'market snapshot'), path);
}
