// Field-level value conventions of the TWS API (docs/ib-notes.md §1 "Values"): unset is "", or the
// int/double sentinels real TWS writes; bools are 1/0; +∞ is "Infinity" (stoqey) or "Infinite" (ib_async).

/** Real TWS's "unset" int (Integer.MAX_VALUE). */
export const UNSET_INT = 2147483647;
/** Real TWS's "unset" double (Double.MAX_VALUE, Java spelling). */
export const UNSET_DOUBLE_TEXT = '1.7976931348623157E308';

/** Formats a finite or infinite number the way both clients parse it back. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) throw new Error('cannot encode NaN');
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '0';
  return String(v);
}

/** Builds the field list of one outgoing message. */
export class FieldWriter {
  private readonly out: string[] = [];

  str(v: string | null | undefined): this {
    this.out.push(v ?? '');
    return this;
  }

  /** Integer; null → "". */
  int(v: number | null | undefined): this {
    if (v === null || v === undefined) return this.str('');
    if (!Number.isInteger(v)) throw new Error(`not an integer: ${v}`);
    this.out.push(formatNumber(v));
    return this;
  }

  /** Integer; null → 2147483647, as real TWS writes an unset int. */
  intOrUnset(v: number | null | undefined): this {
    return this.int(v ?? UNSET_INT);
  }

  /** Double; null → "". */
  double(v: number | null | undefined): this {
    if (v === null || v === undefined || Number.isNaN(v)) return this.str('');
    this.out.push(formatNumber(v));
    return this;
  }

  /** Double; null → 1.7976931348623157E308, as real TWS writes an unset double. */
  doubleOrUnset(v: number | null | undefined): this {
    if (v === null || v === undefined || Number.isNaN(v)) return this.str(UNSET_DOUBLE_TEXT);
    return this.double(v);
  }

  /** Sizes are decimal strings from server version 163 on; we only ever send whole or plain decimals. */
  decimal(v: number | null | undefined): this {
    return this.double(v);
  }

  bool(v: boolean): this {
    this.out.push(v ? '1' : '0');
    return this;
  }

  /** Writes a shared run of fields (e.g. a contract's head) without breaking the chain. */
  apply(write: (w: this) => this): this {
    return write(this);
  }

  fields(): string[] {
    return this.out.slice();
  }
}

const INT_RE = /^[+-]?\d+(\.0*)?$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INF_RE = /^([+-]?)inf/i;

/**
 * Reads one incoming message. Getters never throw: past the end they return the empty value, and
 * both underruns and unparsable values are recorded in `problems`, so a decoder can finish reading
 * and then decide whether the message is usable.
 */
export class FieldReader {
  private pos: number;
  readonly problems: string[] = [];
  private underran = false;

  constructor(
    private readonly fields: readonly string[],
    start = 0,
  ) {
    this.pos = start;
  }

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return Math.max(0, this.fields.length - this.pos);
  }

  get underrun(): boolean {
    return this.underran;
  }

  ok(): boolean {
    return this.problems.length === 0;
  }

  str(name: string): string {
    if (this.pos >= this.fields.length) {
      if (!this.underran) this.problems.push(`message ends before field ${this.pos} (${name})`);
      this.underran = true;
      this.pos++;
      return '';
    }
    return this.fields[this.pos++] ?? '';
  }

  /** Integer, or null when empty; records a problem for text that is not an integer. */
  int(name: string): number | null {
    const at = this.pos;
    const s = this.str(name).trim();
    if (s === '') return null;
    if (!INT_RE.test(s)) {
      this.problems.push(`field ${at} (${name}) is not an integer: ${JSON.stringify(clip(s))}`);
      return null;
    }
    const v = Number.parseInt(s, 10);
    if (!Number.isSafeInteger(v)) {
      this.problems.push(`field ${at} (${name}) is out of range: ${JSON.stringify(clip(s))}`);
      return null;
    }
    return v;
  }

  /** Integer with a default for empty (and for the unset sentinel when `unsetIsEmpty`). */
  intOr(name: string, dflt: number, unsetIsEmpty = true): number {
    const v = this.int(name);
    if (v === null || (unsetIsEmpty && v === UNSET_INT)) return dflt;
    return v;
  }

  /** Double, or null when empty or the unset sentinel; "Infinity"/"Infinite"/"inf" → ±Infinity. */
  double(name: string): number | null {
    const at = this.pos;
    const s = this.str(name).trim();
    if (s === '') return null;
    const inf = INF_RE.exec(s);
    if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity;
    if (!FLOAT_RE.test(s)) {
      this.problems.push(`field ${at} (${name}) is not a number: ${JSON.stringify(clip(s))}`);
      return null;
    }
    const v = Number.parseFloat(s);
    if (v === Number.MAX_VALUE) return null;
    return v;
  }

  /** "1"/"true" → true; "", "0", "false" → false; other integers: non-zero. */
  bool(name: string): boolean {
    const at = this.pos;
    const s = this.str(name).trim().toLowerCase();
    if (s === '' || s === '0' || s === 'false') return false;
    if (s === '1' || s === 'true') return true;
    if (INT_RE.test(s)) return Number.parseInt(s, 10) !== 0;
    this.problems.push(`field ${at} (${name}) is not a bool: ${JSON.stringify(clip(s))}`);
    return false;
  }

  skip(n: number, name: string): void {
    for (let i = 0; i < n; i++) this.str(name);
  }

  /** A count that drives a repeated group: must be a small non-negative integer that fits the message. */
  count(name: string, fieldsPerItem: number, max = 1000): number {
    const at = this.pos;
    const v = this.int(name);
    if (v === null) return 0;
    if (v < 0 || v > max || v * fieldsPerItem > this.remaining) {
      this.problems.push(`field ${at} (${name}) is not a usable count: ${v}`);
      // Stop reading the group: the rest of the message cannot be trusted.
      this.pos = this.fields.length;
      return 0;
    }
    return v;
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
