// Golden files: compare output with a committed file; UPDATE_GOLDEN=1 rewrites it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import assert from 'node:assert/strict';

export function assertGolden(path: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it`);
  const expected = readFileSync(path, 'utf8');
  assert.equal(actual, expected, `output differs from ${path} (UPDATE_GOLDEN=1 rewrites it after review)`);
}
