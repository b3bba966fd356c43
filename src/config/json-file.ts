// Reads a JSON file for a loader; failures become the loader's "unreadable" error with a line:column.
// A size cap and a nesting limit keep a wrong path (/dev/zero, a 200 MB dump) or a hostile file
// from eating memory or overflowing the stack.
import { closeSync, openSync, readSync } from 'node:fs';
import { printable } from '../domain/text.ts';
import { IronvixError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';

/** Deepest array/object nesting accepted; real files of ironvix nest 6 levels at most. */
export const MAX_JSON_DEPTH = 64;

const MIB = 1024 * 1024;

/** Size caps per kind of file (a snapshot is ~0.3 MB; the strategy and event files a few KB). */
export const MAX_FILE_BYTES = {
  snapshot: 16 * MIB,
  strategy: 1 * MIB,
  calendar: 4 * MIB,
} as const;

function errorReason(e: unknown): string {
  return e instanceof Error ? e.message.replace(/, \w+ '.*'$/, '') : String(e);
}

/** The file's bytes, reading at most maxBytes + 1 so an endless or huge file stops early. */
function readCapped(path: string, maxBytes: number, unreadable: ErrorCode, what: string): Buffer {
  const where = printable(path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new IronvixError(unreadable, `${where}: cannot read ${what}: ${errorReason(e)}`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1));
    for (;;) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, maxBytes + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
      if (total > maxBytes)
        throw new IronvixError(
          unreadable,
          `${where}: ${what} is larger than the ${formatBytes(maxBytes)} limit: is this the right file?`,
        );
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof IronvixError) throw e;
    throw new IronvixError(unreadable, `${where}: cannot read ${what}: ${errorReason(e)}`);
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n % MIB === 0 ? `${n / MIB} MiB` : `${n} bytes`;
}

export function readJsonFile(path: string, unreadable: ErrorCode, what: string, maxBytes: number): unknown {
  const text = readCapped(path, maxBytes, unreadable, what).toString('utf8');
  return parseJsonText(text, printable(path), unreadable, what);
}

/** The deepest nesting of arrays and objects in JSON text, stopping once it passes limit. */
export function jsonDepth(text: string, limit: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export function parseJsonText(
  text: string,
  sourceName: string,
  unreadable: ErrorCode,
  what: string,
): unknown {
  // JSON.parse, our error locator and zod all recurse: refuse absurd nesting before any of them.
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw new IronvixError(
      unreadable,
      `${sourceName}: ${what} nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels`,
    );
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
