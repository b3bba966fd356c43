// Turns zod issues into one readable line each: "<source>: <json.path>: <rule> (got <value>)".
import type { z } from 'zod';

/** Most problem lines one error shows; a broken generator can produce thousands. */
export const MAX_ERROR_LINES = 50;

/** The first MAX_ERROR_LINES lines, then "... and N more". */
export function capLines(lines: readonly string[], max: number = MAX_ERROR_LINES): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `... and ${lines.length - max} more`];
}

/** Per-parse error map: plain rule texts for the issues our schemas do not word themselves. */
export const readableErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    case 'unrecognized_keys':
      return 'unknown key';
    case 'too_small':
    case 'too_big':
      return sizeRule(issue);
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return undefined;
  }
};

function article(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'array':
    case 'object':
      return `an ${expected}`;
    default:
      return `a ${expected}`;
  }
}

function sizeRule(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig>): string {
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const op =
    issue.code === 'too_small'
      ? issue.inclusive === false
        ? '>'
        : '>='
      : issue.inclusive === false
        ? '<'
        : '<=';
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${op} ${String(bound)} items`;
  if (issue.origin === 'string') return `must have ${op} ${String(bound)} characters`;
  return `must be ${op} ${String(bound)}`;
}

/** "condor.targetDelta", "hedge.templates[1].share"; the empty path is the document itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The value at a path of the raw input, or undefined when the path does not exist. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** A short rendering of a user's value for an error line. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Custom issues may carry the value to report (cross-field rules on arrays, sums). */
function reportedValue(issue: z.core.$ZodIssue, input: unknown): unknown {
  if (issue.code === 'custom' && issue.params !== undefined && 'got' in issue.params) {
    return (issue.params as { got: unknown }).got;
  }
  return valueAt(input, issue.path);
}

/** One line per problem; unknown keys name the nearest known key when one is close. */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  sourceName: string,
  knownKeys?: (path: readonly PropertyKey[]) => readonly string[],
): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys?.(issue.path) ?? [];
      for (const key of issue.keys) {
        const hint = nearest(key, known);
        const where = formatPath([...issue.path, key]);
        const rule = hint === undefined ? 'unknown key' : `unknown key (did you mean "${hint}"?)`;
        lines.push(
          `${sourceName}: ${where}: ${rule} (got ${formatValue(valueAt(input, [...issue.path, key]))})`,
        );
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A union branch that got furthest explains the problem better than "no form matched".
      const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
      if (best.length > 0 && depth(best) > issue.path.length) {
        lines.push(...formatIssues(best, input, sourceName, knownKeys));
        continue;
      }
      // Of branches failing at the same depth, the one that accepted the value's type names the rule.
      const typed = issue.errors.filter((e) => e.length > 0 && e.every((i) => i.code !== 'invalid_type'));
      if (typed.length === 1 && typed[0] !== undefined) {
        lines.push(...formatIssues(typed[0], input, sourceName, knownKeys));
        continue;
      }
    }
    const where = formatPath(issue.path);
    const head = where === '' ? `${sourceName}: ` : `${sourceName}: ${where}: `;
    const value = reportedValue(issue, input);
    const got =
      value === undefined && issue.code === 'invalid_type' ? '(missing)' : `(got ${formatValue(value)})`;
    lines.push(`${head}${issue.message} ${got}`);
  }
  return [...new Set(lines)];
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

/** The known key within edit distance 2 of a typo, if exactly one is nearest. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] ?? 0;
      const left = row[j - 1] ?? 0;
      row[j] = Math.min(up + 1, left + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] ?? 0;
}

/** Keys an object schema allows at a path of the input (walks objects, arrays, unions, defaults). */
export function knownKeysOf(schema: z.core.$ZodType): (path: readonly PropertyKey[]) => readonly string[] {
  return (path) => {
    let nodes: z.core.$ZodType[] = [schema];
    for (const key of path) {
      const next: z.core.$ZodType[] = [];
      for (const node of nodes.flatMap(unwrap)) {
        const def = node._zod.def;
        if (def.type === 'object' && typeof key === 'string') {
          const shape = (def as z.core.$ZodObjectDef).shape;
          const child = shape[key];
          if (child !== undefined) next.push(child);
        } else if (def.type === 'array' && typeof key === 'number') {
          next.push((def as z.core.$ZodArrayDef).element);
        }
      }
      nodes = next;
    }
    const keys = new Set<string>();
    for (const node of nodes.flatMap(unwrap)) {
      const def = node._zod.def;
      if (def.type === 'object')
        for (const k of Object.keys((def as z.core.$ZodObjectDef).shape)) keys.add(k);
    }
    return [...keys];
  };
}

/** Look through wrappers (default, optional, nullable, pipe/transform) and union branches. */
function unwrap(node: z.core.$ZodType): z.core.$ZodType[] {
  const def = node._zod.def as z.core.$ZodTypeDef & {
    innerType?: z.core.$ZodType;
    in?: z.core.$ZodType;
    options?: readonly z.core.$ZodType[];
  };
  if (WRAPPERS.has(def.type) && def.innerType !== undefined) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in !== undefined) return unwrap(def.in);
  if (def.type === 'union') return (def.options ?? []).flatMap(unwrap);
  return [node];
}

const WRAPPERS: ReadonlySet<string> = new Set([
  'default',
  'prefault',
  'optional',
  'nullable',
  'readonly',
  'catch',
  'nonoptional',
]);
