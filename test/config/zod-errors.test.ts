import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  formatIssues,
  formatPath,
  formatValue,
  knownKeysOf,
  readableErrorMap,
} from '../../src/config/zod-errors.ts';
import { PROJECT_ROOT, projectPath, resolveFromRoot } from '../../src/config/paths.ts';

describe('formatPath and formatValue', () => {
  it('writes JSON paths with dots and indexes', () => {
    assert.equal(formatPath(['hedge', 'templates', 1, 'share']), 'hedge.templates[1].share');
    assert.equal(formatPath(['a b', 0]), '["a b"][0]');
    assert.equal(formatPath([]), '');
  });

  it('shortens long values', () => {
    assert.equal(formatValue('x'.repeat(200)).length, 80);
    assert.equal(formatValue(undefined), 'nothing');
    assert.equal(formatValue(Number.NaN), 'NaN');
  });
});

describe('formatIssues', () => {
  const schema = z
    .object({ limits: z.object({ maxCount: z.number().int(), label: z.string() }).strict() })
    .strict();
  const lines = (input: unknown): string[] => {
    const r = schema.safeParse(input, { error: readableErrorMap });
    if (r.success) throw new Error('expected the input to be invalid');
    return formatIssues(r.error.issues, input, 'f.json', knownKeysOf(schema));
  };

  it('words type errors as rules and shows the value', () => {
    assert.deepEqual(lines({ limits: { maxCount: 'ten', label: 'x' } }), [
      'f.json: limits.maxCount: must be a number (got "ten")',
    ]);
  });

  it('says missing for an absent required field', () => {
    assert.deepEqual(lines({ limits: { maxCount: 1 } }), [
      'f.json: limits.label: must be a string (missing)',
    ]);
  });

  it('suggests the nearest key for a typo, and none for an unrelated key', () => {
    assert.deepEqual(lines({ limits: { maxCount: 1, label: 'x', maxCuont: 2, zzzzzz: 3 } }), [
      'f.json: limits.maxCuont: unknown key (did you mean "maxCount"?) (got 2)',
      'f.json: limits.zzzzzz: unknown key (got 3)',
    ]);
  });
});

describe('paths', () => {
  it('finds the project root from the module, not the cwd', () => {
    const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { name: string };
    assert.equal(pkg.name, 'ironvix');
    assert.ok(existsSync(projectPath('strategies', 'alvh-default.json')));
    assert.equal(resolveFromRoot('var'), `${PROJECT_ROOT}/var`);
    assert.equal(resolveFromRoot('/abs/dir'), '/abs/dir');
  });
});
