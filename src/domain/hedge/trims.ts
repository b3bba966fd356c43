// The scheduled trim of an over-covering book (docs/strategy.md section 3): sizing at a cycle
// point, not a reaction to price.
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import type { RationaleEntry } from '../plan/rationale.ts';
import type { BookContext, ValuedLayer } from './book.ts';
import { quoteRules } from './book.ts';
import { layerQuoteProblems } from './layer-market.ts';
import type { LayerSale } from './rolls.ts';
import type { Trim, TrimCandidate } from './sizing.ts';
import { planTrims } from './sizing.ts';

export interface TrimResult {
  readonly sales: readonly LayerSale[];
  readonly trims: readonly Trim[];
  readonly entries: readonly RationaleEntry[];
}

export const NO_TRIMS: TrimResult = { sales: [], trims: [], entries: [] };

/**
 * When the book's stress P&L exceeds trimAbove x the requirement at the quantity cap, sell held
 * layers down to max(trimTo x that requirement, the requirement at the chosen q).
 */
export function planTrimSales(
  retained: readonly ValuedLayer[],
  bookStressPnl: Cents,
  requirementAtCap: Cents,
  requirementAtQ: Cents,
  ctx: BookContext,
): TrimResult {
  const t = ctx.strategy.sizing.trim;
  if (!t.enabled) return { sales: [], trims: [], entries: [{ kind: 'trim-disabled' }] };
  const threshold = cents(Math.round(t.trimAbove * requirementAtCap));
  const check = {
    kind: 'trim-check' as const,
    bookStressPnlCents: bookStressPnl,
    trimAbove: t.trimAbove,
    requirementAtCapCents: requirementAtCap,
    thresholdCents: threshold,
  };
  if (requirementAtCap <= 0 || bookStressPnl <= t.trimAbove * requirementAtCap)
    return { sales: [], trims: [], entries: [{ ...check, targetCents: null }] };
  const target = cents(Math.max(Math.ceil(t.trimTo * requirementAtCap), requirementAtQ));
  const rules = quoteRules(ctx.strategy);
  const entries: RationaleEntry[] = [{ ...check, targetCents: target }];
  const sellable = retained.filter((v) => {
    if (!v.book.counts || v.market === null) return false;
    const problems = layerQuoteProblems(v.market, 'sell', rules);
    if (problems.length > 0) entries.push({ kind: 'trim-blocked', layerId: v.book.layerId, problems });
    return problems.length === 0;
  });
  const candidates: TrimCandidate[] = sellable.map((v) => ({
    layerId: v.book.layerId,
    quantity: v.book.quantity,
    stressPnlPerContract: v.book.stressPnlPerContract,
    valuePerContract: cents(v.book.markPrice * 100),
  }));
  const trims = planTrims(candidates, bookStressPnl, target);
  const sales: LayerSale[] = [];
  for (const trim of trims) {
    const v = sellable.find((x) => x.book.layerId === trim.layerId);
    if (v === undefined || v.market === null) continue;
    sales.push({ kind: 'hedge-trim', layer: v, market: v.market, quantity: trim.quantity });
    entries.push({
      kind: 'trim-sell',
      layerId: trim.layerId,
      quantity: trim.quantity,
      heldQuantity: v.book.quantity,
      stressReleasedCents: trim.stressPnlRemoved,
    });
  }
  if (sellable.length === 0) entries.push({ kind: 'trim-none', why: 'nothing-sellable' });
  else if (trims.length === 0) entries.push({ kind: 'trim-none', why: 'would-go-below-target' });
  return { sales, trims, entries };
}
