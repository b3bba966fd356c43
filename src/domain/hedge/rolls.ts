// Scheduled rolls (docs/strategy.md section 2): at every cycle point a layer below minHedgeDte is
// sold back, whatever the price did. A layer nobody bids for is not offered and left to settle.
import { nobodyBids } from '../quote-problems.ts';
import type { RationaleEntry, RollAction } from '../plan/rationale.ts';
import type { BookContext, ValuedLayer } from './book.ts';
import { layerRef, quoteRules } from './book.ts';
import { layerQuoteProblems } from './layer-market.ts';
import type { LayerMarket } from './layer-market.ts';

/** A sale of (part of) a held layer, which the plan turns into a SELL order. */
export interface LayerSale {
  readonly kind: 'hedge-roll-close' | 'hedge-trim';
  readonly layer: ValuedLayer;
  readonly market: LayerMarket;
  readonly quantity: number;
}

export interface RollResult {
  readonly sales: readonly LayerSale[];
  /** Layers sold in full by a roll. */
  readonly rolled: ReadonlySet<string>;
  readonly entries: readonly RationaleEntry[];
}

export const NO_ROLLS: RollResult = { sales: [], rolled: new Set(), entries: [] };

function rollAction(v: ValuedLayer, ctx: BookContext): { action: RollAction; market: LayerMarket | null } {
  const b = v.book;
  if (b.dte <= 0) return { action: { kind: 'expired' }, market: null };
  if (v.market === null) {
    const problem = v.problem ?? { kind: 'no-chain', tradingClass: b.tradingClass, expiry: b.expiry };
    return { action: { kind: 'unpriced', problem }, market: null };
  }
  const problems = layerQuoteProblems(v.market, 'sell', quoteRules(ctx.strategy));
  if (problems.length === 0)
    return { action: { kind: 'sell', quantity: b.quantity, midCents: v.market.midCents }, market: v.market };
  return { action: { kind: nobodyBids(problems) ? 'not-offered' : 'deferred', problems }, market: null };
}

/** Every layer below minHedgeDte: a sale, or the reason there is none. */
export function planRolls(held: readonly ValuedLayer[], ctx: BookContext): RollResult {
  const minHedgeDte = ctx.strategy.hedge.minHedgeDte;
  const sales: LayerSale[] = [];
  const rolled = new Set<string>();
  const entries: RationaleEntry[] = [];
  for (const v of held) {
    const b = v.book;
    if (b.dte >= minHedgeDte || b.quantity <= 0) continue;
    const { action, market } = rollAction(v, ctx);
    entries.push({ kind: 'roll', layer: layerRef(b), minHedgeDte, action });
    if (action.kind === 'sell' && market !== null) {
      sales.push({ kind: 'hedge-roll-close', layer: v, market, quantity: b.quantity });
      rolled.add(b.layerId);
    }
  }
  return { sales, rolled, entries };
}
