// assert.throws matcher for a rejected input file or variable: an IronvixError with the given code,
// the bad-input exit code, and every expected part somewhere in its message.
import assert from 'node:assert/strict';
import type { ErrorCode } from '../../src/errors.ts';
import { EXIT, IronvixError } from '../../src/errors.ts';

export function badInput(code: ErrorCode, ...parts: string[]): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof IronvixError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.exitCode, EXIT.badInput);
    for (const p of parts) assert.ok(e.message.includes(p), `expected "${p}" in:\n${e.message}`);
    return true;
  };
}
