// The list the IB adapter checks its classification table against: complete and well-formed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IbCode, SIM_IB_CODES, SIM_IB_CODE_LIST, isSimIbCode } from '../../src/sim/ib-codes.ts';

test('every IbCode the simulator names is listed once with a meaning, ascending', () => {
  const named = Object.values(IbCode).sort((a, b) => a - b);
  assert.deepEqual([...SIM_IB_CODE_LIST], [...new Set(named)]);
  for (const code of SIM_IB_CODE_LIST) assert.ok(SIM_IB_CODES[code].length > 10, `meaning of ${code}`);
  for (const code of [103, 110, 200, 201, 202, 321, 326, 10147, 10148]) assert.ok(isSimIbCode(code));
  assert.equal(isSimIbCode(1100), false, 'connectivity notices are not emitted by the simulator');
});
