import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldReader, FieldWriter, UNSET_DOUBLE_TEXT } from '../../../src/sim/protocol/fields.ts';

describe('field writer', () => {
  it('writes ints, doubles, bools, unset sentinels and infinity as the clients parse them', () => {
    const f = new FieldWriter()
      .int(5)
      .int(null)
      .intOrUnset(null)
      .double(-1.25)
      .double(null)
      .doubleOrUnset(null)
      .double(Infinity)
      .bool(true)
      .bool(false)
      .double(-0)
      .fields();
    assert.deepEqual(f, ['5', '', '2147483647', '-1.25', '', UNSET_DOUBLE_TEXT, 'Infinity', '1', '0', '0']);
  });

  it('refuses a fractional int', () => {
    assert.throws(() => new FieldWriter().int(1.5));
  });
});

describe('field reader', () => {
  it('reads typed values and treats empty and the unset sentinel as null', () => {
    const r = new FieldReader([
      '7',
      '',
      '1.5',
      '1.7976931348623157e+308',
      'Infinite',
      'Infinity',
      '-inf',
      '1',
      '',
      '0.0',
    ]);
    assert.equal(r.int('a'), 7);
    assert.equal(r.int('b'), null);
    assert.equal(r.double('c'), 1.5);
    assert.equal(r.double('d'), null);
    assert.equal(r.double('e'), Infinity);
    assert.equal(r.double('f'), Infinity);
    assert.equal(r.double('g'), -Infinity);
    assert.equal(r.bool('h'), true);
    assert.equal(r.bool('i'), false);
    assert.equal(r.int('j'), 0);
    assert.equal(r.ok(), true);
  });

  it('never throws past the end: records one underrun and returns empty values', () => {
    const r = new FieldReader(['1']);
    assert.equal(r.int('a'), 1);
    assert.equal(r.str('b'), '');
    assert.equal(r.int('c'), null);
    assert.equal(r.underrun, true);
    assert.equal(r.problems.length, 1);
  });

  it('records unparsable numbers and absurd counts', () => {
    const r = new FieldReader(['x1', '1e400x', '99999999', 'a', 'b']);
    assert.equal(r.int('n'), null);
    assert.equal(r.double('d'), null);
    assert.equal(r.count('legs', 8), 0);
    assert.equal(r.problems.length, 3);
    assert.equal(r.remaining, 0);
  });
});
