import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCliCaptured } from '../support/cli-harness.ts';
import { assertGolden } from '../support/golden.ts';

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
