import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  README_PATH,
  SCHEMA_PATH,
  leafFields,
  renderReadme,
  renderSchemaJson,
} from '../../scripts/make-strategy-schema.ts';
import { strategyJsonSchema } from '../../src/config/strategy-schema.ts';
import { get } from './json-edit.ts';

describe('strategies/schema.json and strategies/README.md', () => {
  it('schema.json is what the zod schema generates', () => {
    assert.ok(
      readFileSync(SCHEMA_PATH, 'utf8') === renderSchemaJson(),
      'strategies/schema.json is stale: run `npm run schema`',
    );
  });

  it("the README's field table is what the zod schema generates", () => {
    const readme = readFileSync(README_PATH, 'utf8');
    assert.ok(
      readme === renderReadme(readme),
      'the field table of strategies/README.md is stale: run `npm run schema`',
    );
  });

  it('the README mentions every leaf field of the schema', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    const paths = leafFields().map((f) => f.path);
    assert.ok(paths.length > 70, `expected every strategy number as a field, found ${paths.length}`);
    for (const p of paths)
      assert.ok(readme.includes(`\`${p}\``), `strategies/README.md does not mention ${p}`);
  });

  it('every leaf field carries a description', () => {
    for (const f of leafFields()) assert.ok(f.description.length > 10, `${f.path} has no describe() text`);
  });

  it('the schema is for the file as written: money fields are dollars and unknown keys are refused', () => {
    const schema = strategyJsonSchema();
    assert.equal(schema['additionalProperties'], false);
    assert.equal(get(schema, 'properties.condor.properties.maxRiskPerCycle.default'), 10000);
    assert.equal(get(schema, 'properties.condor.properties.maxLegSpread.default'), 0.5);
    assert.equal(get(schema, 'properties.condor.properties.targetDelta.exclusiveMaximum'), 0.5);
  });
});
