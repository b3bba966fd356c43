// Reads a JSON file for a loader; failures become the loader's "unreadable" error with a line:column.
import { readFileSync } from 'node:fs';
import { IronvixError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';

export function readJsonFile(path: string, unreadable: ErrorCode, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/, \w+ '.*'$/, '') : String(e);
    throw new IronvixError(unreadable, `${path}: cannot read ${what}: ${reason}`);
  }
  return parseJsonText(text, path, unreadable, what);
}

export function parseJsonText(
  text: string,
  sourceName: string,
  unreadable: ErrorCode,
  what: string,
): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    const at = locateJsonError(text);
    const where = at === null ? '' : ` at line ${at.line}, column ${at.column} (position ${at.offset})`;
    throw new IronvixError(unreadable, `${sourceName}: ${what} is not valid JSON${where}: ${reason}`);
  }
}

export interface TextPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Offset of the first JSON syntax error (Node 20's JSON.parse does not always say), or null. */
export function locateJsonError(source: string): TextPosition | null {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text.charAt(i) !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const ch = text.charAt(i);
      if (ch === '"') {
        i++;
        return;
      }
      if (ch < ' ') fail();
      if (ch === '\\') {
        i++;
        const esc = text.charAt(i);
        if (esc === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(text.charAt(i))) fail();
            i++;
          }
        } else if ('"\\/bfnrt'.includes(esc) && esc !== '') i++;
        else fail();
      } else i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m === null || m[0] === '' || m[0] === '-') fail();
    else i += m[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text.charAt(i);
    if (ch === '{') {
      i++;
      ws();
      if (text.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text.charAt(i) !== '"') fail();
        string();
        ws();
        if (text.charAt(i) !== ':') fail();
        i++;
        value();
        ws();
        if (text.charAt(i) === ',') i++;
        else if (text.charAt(i) === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text.charAt(i) === ',') i++;
        else if (text.charAt(i) === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return null;
  } catch (e) {
    if (!(e instanceof JsonSyntaxAt)) throw e;
    return positionOf(text, e.offset);
  }
}

class JsonSyntaxAt extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at ${offset}`);
  }
}

function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charAt(k) === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}
