// The code table classifies every code docs/ib-notes.md names and every code the simulator can emit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IB_CODES, classifyIbCode } from '../../../src/adapters/ib/ib-codes.ts';
import { SIM_IB_CODES } from '../../../src/sim/ib-codes.ts';

/** Every IB code docs/ib-notes.md (sections 1–4) names. */
const IB_NOTES_CODES = [
  100, 101, 103, 104, 105, 110, 161, 162, 200, 201, 202, 321, 326, 354, 356, 359, 360, 399, 413, 505, 506,
  1100, 1101, 1102, 2103, 2104, 2106, 2110, 2158, 10058, 10089, 10090, 10091, 10147, 10148, 10167, 10168,
  10186, 10197,
];

test('every code docs/ib-notes.md names is in the table', () => {
  const missing = IB_NOTES_CODES.filter((c) => !IB_CODES.has(c));
  assert.deepEqual(missing, []);
});

test('every code the simulator can emit is in the table', () => {
  const simCodes = Object.keys(SIM_IB_CODES).map(Number);
  assert.ok(simCodes.length > 10);
  assert.deepEqual(
    simCodes.filter((c) => !IB_CODES.has(c)),
    [],
  );
});

test('the classes that decide what an order outcome means', () => {
  for (const c of [103, 110, 200, 201, 354, 360, 10147])
    assert.equal(classifyIbCode(c), 'refused', `code ${c}`);
  for (const c of [1100, 1101, 1102, 2110, 326, 502, 504])
    assert.equal(classifyIbCode(c), 'connectivity', `code ${c}`);
  for (const c of [202, 399, 2104, 2106, 2158]) assert.equal(classifyIbCode(c), 'info', `code ${c}`);
  // A code nobody listed is never read as "refused": the order might be working.
  assert.equal(classifyIbCode(98765), 'unknown');
  assert.equal(classifyIbCode(2199), 'info', "IB's 21xx range is warnings");
});
