import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERRORS } from '../src/errors.ts';

const readme = readFileSync('README.md', 'utf8');

test('README shows the newcomer commands', () => {
  for (const cmd of ['npm ci', 'npm run demo', 'npm test']) assert.ok(readme.includes(cmd), cmd);
});

test('README lists every error code of the registry with its exit code', () => {
  for (const [code, spec] of Object.entries(ERRORS)) {
    const row = readme.split('\n').find((l) => l.startsWith(`| ${code} |`));
    assert.ok(row, `README error table lacks ${code}`);
    assert.ok(row.includes(`| ${spec.exitCode} |`), `README gives the wrong exit code for ${code}`);
  }
});
