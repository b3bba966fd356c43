import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { locateJsonError, parseJsonText } from '../../src/config/json-file.ts';
import { IronvixError } from '../../src/errors.ts';

describe('locateJsonError', () => {
  const cases: readonly [string, string, number, number][] = [
    ['trailing comma in an object', '{\n  "a": 1,\n}', 3, 1],
    ['trailing comma in an array', '[1, 2,]', 1, 7],
    ['single quotes', "{'a': 1}", 1, 2],
    ['unterminated string', '{"a": "b', 1, 9],
    ['bad literal', '{"a": tru}', 1, 10],
    ['missing colon', '{\n"a" 1}', 2, 5],
    ['text after the value', '{} {}', 1, 4],
    ['empty input', '', 1, 1],
    ['leading zero', '[01]', 1, 3],
    ['bad escape', '["\\x"]', 1, 4],
  ];
  for (const [name, text, line, column] of cases) {
    it(name, () => {
      assert.throws(() => JSON.parse(text) as unknown);
      const at = locateJsonError(text);
      assert.ok(at !== null);
      assert.deepEqual([at.line, at.column], [line, column]);
    });
  }

  it('finds nothing wrong in valid JSON (with a byte order mark)', () => {
    assert.equal(locateJsonError('\ufeff{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}'), null);
  });
});

describe('parseJsonText', () => {
  it('names the source, the position and the parser message', () => {
    assert.throws(
      () => parseJsonText('{"a": 1,}', 'snap.json', 'E_SNAPSHOT_UNREADABLE', 'market snapshot'),
      (e: unknown) => {
        assert.ok(e instanceof IronvixError);
        assert.equal(e.code, 'E_SNAPSHOT_UNREADABLE');
        assert.equal(e.exitCode, 2);
        assert.match(
          e.message,
          /^snap\.json: market snapshot is not valid JSON at line 1, column 9 \(position 8\): /,
        );
        return true;
      },
    );
  });
});
