// A benchmark figure: one measured number, its unit, and the target it is held to (if any). The
// runner prints every figure beside its target with a verdict and compares it with the baseline.
export type Target = { readonly atMost: number } | { readonly atLeast: number };

export interface Figure {
  /** Stable key, e.g. "plan.buildPlan.calm.medianMs"; the baseline is matched on it. */
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly target: Target | null;
  /** Where the target comes from (an issue, a doc), shown beside the verdict. */
  readonly why?: string;
}

export type Verdict = 'PASS' | 'FAIL' | 'info';

export function verdict(f: Figure): Verdict {
  if (f.target === null) return 'info';
  if ('atMost' in f.target) return f.value <= f.target.atMost ? 'PASS' : 'FAIL';
  return f.value >= f.target.atLeast ? 'PASS' : 'FAIL';
}

export function targetText(t: Target | null): string {
  if (t === null) return '';
  return 'atMost' in t ? `<= ${t.atMost}` : `>= ${t.atLeast}`;
}

export const figure = (
  id: string,
  label: string,
  value: number,
  unit: string,
  target: Target | null = null,
  why?: string,
): Figure => ({
  id,
  label,
  value: Math.round(value * 1000) / 1000,
  unit,
  target,
  ...(why !== undefined ? { why } : {}),
});
