import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliCaptured } from '../support/cli-harness.ts';
import { assertGolden } from '../support/golden.ts';
import { PLAN_SCHEMA_PATH, renderPlanSchemaJson } from '../../scripts/make-strategy-schema.ts';
import { planJsonSchema, planJsonSchemaDocument } from '../../src/cli/render/plan-json-schema.ts';

const FIXTURES = 'test/fixtures/snapshots';
const names = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

test('there are at least five sample snapshots', () => {
  assert.ok(names.length >= 5, `found ${names.join(', ')}`);
});

for (const name of names) {
  test(`preview ${name}: text output matches the golden file`, async () => {
    const r = await runCliCaptured(['preview', '--snapshot', join(FIXTURES, `${name}.json`)]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assertGolden(`test/golden/cli/preview-${name}.txt`, r.stdout);
  });

  test(`preview ${name} --json: stable JSON matches the golden file`, async () => {
    const r = await runCliCaptured(['preview', '--snapshot', join(FIXTURES, `${name}.json`), '--json']);
    assert.equal(r.code, 0);
    const parsed = JSON.parse(r.stdout) as { kind: string; plan: { orders: unknown[] } };
    assert.equal(parsed.kind, 'ironvix.plan');
    assertGolden(`test/golden/cli/preview-${name}.json`, r.stdout);
  });
}

test('the calm day trades: hedge tickets come before the condor ticket', async () => {
  const r = await runCliCaptured(['preview', '--snapshot', join(FIXTURES, 'calm.json'), '--json']);
  const { plan } = JSON.parse(r.stdout) as {
    plan: { outcome: { kind: string }; orders: { kind: string }[] };
  };
  assert.equal(plan.outcome.kind, 'trade');
  const kinds = plan.orders.map((o) => o.kind);
  assert.equal(kinds[kinds.length - 1], 'condor-open');
  assert.ok(kinds.slice(0, -1).every((k) => k.startsWith('hedge-')));
});

test('the thin-credit day is a normal "no trade" result with its reason', async () => {
  const r = await runCliCaptured(['preview', '--snapshot', join(FIXTURES, 'thin-credit.json')]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /OUTCOME: NO TRADE \(thin-credit\)/);
  assert.doesNotMatch(r.stdout, /\[condor-open\]/);
});

test('the correction sample (SPX below its 50-session average) is "no trade: trend gate" with its roll still planned', async () => {
  for (const file of [join(FIXTURES, 'correction.json'), 'paper/sample-correction.json']) {
    const r = await runCliCaptured(['preview', '--snapshot', file, '--json']);
    assert.equal(r.code, 0);
    const { plan } = JSON.parse(r.stdout) as {
      plan: {
        outcome: { kind: string; reason?: string };
        trendGate: { status: string; price: number; average: number };
        orders: { kind: string; layerId: string | null }[];
      };
    };
    assert.deepEqual([plan.outcome.kind, plan.outcome.reason], ['no-trade', 'trend-gate']);
    assert.equal(plan.trendGate.status, 'shut');
    assert.ok(plan.trendGate.price < plan.trendGate.average);
    assert.deepEqual(
      plan.orders.map((o) => [o.kind, o.layerId]),
      [['hedge-roll-close', 'L-20260212-A']],
    );
  }
  const text = await runCliCaptured(['preview', '--snapshot', 'paper/sample-correction.json']);
  assert.match(
    text.stdout,
    /OUTCOME: NO TRADE \(trend-gate\): trend gate: SPX 6000\.00 vs 50-session average [\d.]+ \(-[\d.]+%\): SHUT/,
  );
  assert.match(text.stdout, /#1 SELL 12 VIX 2026-03-18 \d+C calls \(scheduled roll of L-20260212-A\)/);
});

test('the text preview shows every section a user checks before risking money', async () => {
  const r = await runCliCaptured(['preview', '--snapshot', join(FIXTURES, 'calm.json')]);
  for (const heading of [
    'Order tickets',
    'Condor',
    'Hedge book before',
    'Hedge book after',
    'Coverage',
    'Hedge carry vs budget',
    'Regime signals',
    'Scenarios at expiry',
    'Payoff at expiry',
    'Rationale',
  ]) {
    assert.ok(r.stdout.includes(`== ${heading}`), `missing section ${heading}`);
  }
  assert.match(r.stdout, /break-evens \d+\.\d\d \/ \d+\.\d\d/);
  assert.match(r.stdout, /IB lmtPrice -\d+\.\d\d/, 'the credit condor is a BUY BAG at a negative limit');
});

test('schemas/plan.schema.json is what the zod schema of the --json output generates', () => {
  assert.ok(
    readFileSync(PLAN_SCHEMA_PATH, 'utf8') === renderPlanSchemaJson(),
    'schemas/plan.schema.json is stale: run `npm run schema`',
  );
});

test('every --json golden validates against the published plan schema', () => {
  const goldens = readdirSync('test/golden/cli').filter((f) => f.endsWith('.json'));
  assert.ok(goldens.length >= 6, goldens.join(', '));
  for (const f of goldens) {
    const json: unknown = JSON.parse(readFileSync(join('test/golden/cli', f), 'utf8'));
    const r = planJsonSchema.safeParse(json);
    assert.ok(r.success, `${f}: ${r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3))}`);
  }
});

test('the schema names a unit for every money field: *Cents in the name or cents in the description', () => {
  // Every integer field of the schema that holds money or a price says so.
  const doc = planJsonSchemaDocument();
  const unitless: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    const props = n['properties'] as Record<string, unknown> | undefined;
    if (props !== undefined)
      for (const [k, v] of Object.entries(props)) {
        const d = (v as { description?: string }).description ?? '';
        const moneyName = /cents|pnl|credit|premium|carry|price|loss|budget/i.test(k);
        const says = /Cents$|CentsPer|Cents$/.test(k) || /cents/.test(d);
        if (moneyName && (v as { type?: string }).type === 'integer' && !says) unitless.push(`${path}.${k}`);
        visit(v, `${path}.${k}`);
      }
    for (const key of ['items', 'anyOf', 'oneOf', '$defs', 'prefixItems'])
      if (n[key] !== undefined) visit(n[key], `${path}/${key}`);
    if (Array.isArray(node)) node.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (props === undefined)
      for (const [k, v] of Object.entries(n)) if (k !== 'properties') visit(v, `${path}.${k}`);
  };
  visit(doc, '');
  assert.deepEqual(unitless, []);
});
