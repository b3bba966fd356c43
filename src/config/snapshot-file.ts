// Loads and validates a market snapshot file; every problem is reported at once, one line per field.
import { IronvixError } from '../errors.ts';
import { printable } from '../domain/text.ts';
import type { MarketSnapshot } from '../domain/snapshot.ts';
import { MAX_FILE_BYTES, readJsonFile } from './json-file.ts';
import { snapshotFileSchema, snapshotSchema } from './snapshot-schema.ts';
import { capLines, formatIssues, knownKeysOf, readableErrorMap } from './zod-errors.ts';

export { serializeSnapshot } from './snapshot-schema.ts';

const knownKeys = knownKeysOf(snapshotFileSchema);

/** Validate already-parsed JSON; sourceName prefixes every error line (usually the file path). */
export function parseSnapshot(json: unknown, sourceName: string): MarketSnapshot {
  const result = snapshotSchema.safeParse(json, { error: readableErrorMap });
  if (result.success) return result.data;
  const lines = formatIssues(result.error.issues, json, sourceName, knownKeys);
  const shown = capLines(lines);
  const head = `${sourceName}: market snapshot is invalid (${lines.length} problem${lines.length === 1 ? '' : 's'})`;
  throw new IronvixError('E_SNAPSHOT_INVALID', [head, ...shown.map((l) => `  ${l}`)].join('\n'), shown);
}

/** Read, parse and validate a snapshot file (prices in the file are decimals; the result is cents). */
export function loadSnapshot(path: string): MarketSnapshot {
  return parseSnapshot(
    readJsonFile(path, 'E_SNAPSHOT_UNREADABLE', 'market snapshot', MAX_FILE_BYTES.snapshot),
    printable(path),
  );
}
