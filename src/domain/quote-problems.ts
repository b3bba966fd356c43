// Why a quote forbids an order, as data (the CLI words it). Shared by the condor's legs and the
// hedge layers' legs.
import type { OptionRight } from './instruments.ts';
import type { OptionQuote } from './snapshot.ts';

/** Which leg a problem is about; role is null for a hedge leg. */
export interface LegRef {
  readonly strike: number;
  readonly right: OptionRight;
  readonly role: 'short' | 'long' | null;
}

export type QuoteProblem =
  | { readonly kind: 'crossed'; readonly leg: LegRef; readonly bidCents: number; readonly askCents: number }
  | {
      readonly kind: 'stale';
      readonly leg: LegRef;
      readonly ageSeconds: number;
      readonly maxAgeSeconds: number;
    }
  | {
      readonly kind: 'wide';
      readonly leg: LegRef;
      readonly spreadCents: number;
      readonly maxSpreadCents: number;
    }
  /** A leg we must sell to has no bid. */
  | { readonly kind: 'no-bid'; readonly leg: LegRef }
  /** A leg we must buy has no offer. */
  | { readonly kind: 'no-offer'; readonly leg: LegRef }
  /** Buying the whole layer at the touch would not cost anything (a broken quote). */
  | { readonly kind: 'natural-not-debit'; readonly naturalCents: number }
  /** Selling the whole layer at the touch would not pay anything: nobody bids for it. */
  | { readonly kind: 'natural-not-credit'; readonly naturalCents: number };

export interface QuoteRules {
  readonly maxLegSpreadCents: number;
  readonly maxQuoteAgeSeconds: number;
}

/** Crossed, stale and wide: the checks every leg of every order gets, whichever way it trades. */
export function basicQuoteProblems(q: OptionQuote, leg: LegRef, rules: QuoteRules): QuoteProblem[] {
  const out: QuoteProblem[] = [];
  if (q.bid > q.ask) out.push({ kind: 'crossed', leg, bidCents: q.bid, askCents: q.ask });
  if (q.ageSeconds > rules.maxQuoteAgeSeconds)
    out.push({ kind: 'stale', leg, ageSeconds: q.ageSeconds, maxAgeSeconds: rules.maxQuoteAgeSeconds });
  if (q.ask - q.bid > rules.maxLegSpreadCents)
    out.push({ kind: 'wide', leg, spreadCents: q.ask - q.bid, maxSpreadCents: rules.maxLegSpreadCents });
  return out;
}

/** True when the only reason a sale is refused is that nobody bids (strategy: not offered, it settles). */
export function nobodyBids(problems: readonly QuoteProblem[]): boolean {
  return (
    problems.length > 0 &&
    problems.some((p) => p.kind === 'no-bid' || p.kind === 'natural-not-credit') &&
    problems.every((p) => p.kind === 'no-bid' || p.kind === 'natural-not-credit' || p.kind === 'wide')
  );
}
