// Internal rate of return of dated cash flows (XIRR, 365-day years as in spreadsheets), by
// @webcarrot/xirr (LibreOffice Calc's algorithm). An IRR that does not exist (flows of one sign)
// or that the solver cannot reach (a one-day position annualised to an astronomic rate) is null.
import { xirr } from '@webcarrot/xirr';

export interface DatedFlow {
  readonly atMs: number;
  /** Cents: money in positive, money out negative. */
  readonly amountCents: number;
}

export type Irr =
  { readonly kind: 'rate'; readonly annual: number } | { readonly kind: 'none'; readonly reason: string };

export function irrOf(flows: readonly DatedFlow[]): Irr {
  const nonZero = flows.filter((f) => f.amountCents !== 0);
  if (!nonZero.some((f) => f.amountCents > 0) || !nonZero.some((f) => f.amountCents < 0))
    return { kind: 'none', reason: 'the cash flows do not change sign' };
  const first = Math.min(...nonZero.map((f) => f.atMs));
  const last = Math.max(...nonZero.map((f) => f.atMs));
  if (last === first) return { kind: 'none', reason: 'every cash flow is at one time' };
  try {
    const annual = xirr(
      nonZero.map((f) => ({ amount: f.amountCents / 100, date: new Date(f.atMs) })),
      0.1,
      1e-9,
    );
    if (!Number.isFinite(annual)) return { kind: 'none', reason: 'the rate is not finite' };
    return { kind: 'rate', annual };
  } catch {
    return bracketed(nonZero, first);
  }
}

const YEAR_MS = 365 * 86_400_000;

/**
 * Where the spreadsheet algorithm gives up (a rate near -100% or far above it), a sign change of
 * the NPV over g = ln(1 + rate) in [-100, 60] is searched by bisection, the NPV being continuous in g.
 */
function bracketed(flows: readonly DatedFlow[], firstMs: number): Irr {
  const npv = (g: number): number =>
    flows.reduce((s, f) => s + f.amountCents * Math.exp((-g * (f.atMs - firstMs)) / YEAR_MS), 0);
  let lo = -100;
  let hi = 60;
  let fLo = npv(lo);
  if (!Number.isFinite(fLo) || !Number.isFinite(npv(hi)) || Math.sign(fLo) === Math.sign(npv(hi)))
    return {
      kind: 'none',
      reason: 'no annual rate within -100%..e^60 (a short holding period annualises too far)',
    };
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    const fMid = npv(mid);
    if (Math.sign(fMid) === Math.sign(fLo)) {
      lo = mid;
      fLo = fMid;
    } else hi = mid;
  }
  return { kind: 'rate', annual: Math.expm1((lo + hi) / 2) };
}
