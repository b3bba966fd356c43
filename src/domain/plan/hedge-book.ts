// The hedge book at a cycle point: held layers valued under the stress, scheduled rolls, the offers
// of new layers per template, and the over-coverage trim.
import type { IsoDate } from '../instruments.ts';
import type { Cents } from '../money.ts';
import { cents, formatCents, formatPrice, priceCents } from '../money.ts';
import type { HeldLayer, MarketSnapshot } from '../snapshot.ts';
import type { LayerTemplate, StrategyConfig } from '../strategy.ts';
import type { HedgeQuoteRules, LayerMarket, LayerPricingContext, LayerSpec } from '../hedge/layer-market.ts';
import { layerLabel, layerMarket, layerQuoteProblems } from '../hedge/layer-market.ts';
import { layerCarryCents } from '../hedge/carry.ts';
import type { SizingConfig, StressScenario } from '../hedge/stress.ts';
import { layerStressPnlCents } from '../hedge/stress.ts';
import { selectLayer } from '../hedge/layer-selection.ts';
import type { TemplateSupply, Trim, TrimCandidate } from '../hedge/sizing.ts';
import { planTrims } from '../hedge/sizing.ts';
import type { BookLayer, PlanOrder } from './types.ts';
import { buyLadder, hedgeSellOrder } from './orders.ts';
import { lastStep } from './ladder.ts';

export interface BookContext {
  readonly snapshot: MarketSnapshot;
  readonly strategy: StrategyConfig;
  readonly cycleDate: IsoDate;
  readonly asOf: string;
  readonly pricing: LayerPricingContext;
  /** null when the SPXW chain gave no ATM vol: layers then carry no stress P&L. */
  readonly stress: StressScenario | null;
}

export interface ValuedLayer {
  readonly book: BookLayer;
  /** null when the layer could not be priced from the snapshot. */
  readonly market: LayerMarket | null;
  readonly problem: string | null;
}

export function quoteRules(strategy: StrategyConfig): HedgeQuoteRules {
  return {
    maxLegSpreadCents: strategy.hedge.maxLegSpread,
    maxQuoteAgeSeconds: strategy.condor.maxQuoteAgeSeconds,
  };
}

function heldSpec(h: HeldLayer): LayerSpec {
  return {
    kind: h.kind,
    tradingClass: h.tradingClass,
    expiry: h.expiry,
    longStrike: h.longStrike,
    shortStrike: h.kind === 'callSpread' ? h.shortStrike : null,
  };
}

function stressOf(m: LayerMarket, stress: StressScenario | null, sizing: SizingConfig): Cents {
  return stress === null ? cents(0) : layerStressPnlCents(m, stress, sizing);
}

/** A layer's book row: mark, stress P&L, carry, DTE, and whether it counts as coverage. */
export function bookRow(layer: HeldLayer, m: LayerMarket | null, ctx: BookContext): BookLayer {
  const dte = ctx.pricing.daysToExpiry(layer.expiry);
  if (m === null) {
    const zero = cents(0);
    return {
      ...layer,
      stressPnlPerContract: zero,
      markPrice: priceCents(0),
      carryPerContract: zero,
      dte,
      counts: false,
    };
  }
  return {
    ...layer,
    stressPnlPerContract: stressOf(m, ctx.stress, ctx.strategy.sizing),
    markPrice: priceCents(Math.round(m.midCents)),
    carryPerContract: layerCarryCents(m),
    dte,
    counts: dte >= ctx.strategy.hedge.minHedgeDte,
  };
}

export function valueHeldBook(ctx: BookContext): ValuedLayer[] {
  return ctx.snapshot.hedgeBook.map((h) => {
    const m = layerMarket(heldSpec(h), ctx.snapshot.vixOptions, ctx.pricing);
    return {
      book: bookRow(h, m.ok ? m.value : null, ctx),
      market: m.ok ? m.value : null,
      problem: m.ok ? null : m.error,
    };
  });
}

export function describeLayer(v: ValuedLayer): string {
  const b = v.book;
  const head = `${b.layerId} (${b.templateId}) ${layerLabel(heldSpec(b))} x${b.quantity}, ${b.dte}d`;
  if (v.market === null) return `${head}: not priced (${v.problem ?? 'no quote'}), does not count`;
  return (
    `${head}: mark ${formatPrice(b.markPrice)}, stress ${formatCents(b.stressPnlPerContract)}/contract, ` +
    `carry ${formatCents(b.carryPerContract)}/contract/day, ${b.counts ? 'counts' : 'below minHedgeDte: does not count'}`
  );
}

/** Sum of stress P&L x quantity over the layers that count. */
export function countedStressPnl(layers: readonly BookLayer[]): Cents {
  return cents(layers.reduce((s, l) => s + (l.counts ? l.stressPnlPerContract * l.quantity : 0), 0));
}

export interface RollResult {
  readonly orders: readonly PlanOrder[];
  /** Layers sold in full by a roll order. */
  readonly rolled: ReadonlySet<string>;
  readonly lines: readonly string[];
}

/** Scheduled rolls: every layer below minHedgeDte is sold back, whatever the price did. */
export function planRolls(held: readonly ValuedLayer[], ctx: BookContext): RollResult {
  const minDte = ctx.strategy.hedge.minHedgeDte;
  const orders: PlanOrder[] = [];
  const rolled = new Set<string>();
  const lines: string[] = [];
  for (const v of held) {
    const b = v.book;
    if (b.dte >= minDte || b.quantity <= 0) continue;
    const head = `roll ${b.layerId}: ${b.dte}d < minHedgeDte ${minDte}d`;
    if (b.dte <= 0) {
      lines.push(`${head}, but it has expired (AM settlement): no order, it settles`);
      continue;
    }
    if (v.market === null) {
      lines.push(`${head}, but it cannot be priced (${v.problem ?? 'no quote'}): roll deferred`);
      continue;
    }
    const problems = layerQuoteProblems(v.market, 'sell', quoteRules(ctx.strategy));
    if (problems.length > 0) {
      lines.push(`${head}, but its quotes forbid a sale (${problems.join('; ')}): roll deferred`);
      continue;
    }
    orders.push(sellOrder('hedge-roll-close', v, v.market, b.quantity, ctx));
    rolled.add(b.layerId);
    lines.push(`${head}: sell ${b.quantity} from mid ${formatPrice(Math.round(v.market.midCents))}`);
  }
  return { orders, rolled, lines };
}

function sellOrder(
  kind: 'hedge-roll-close' | 'hedge-trim',
  v: ValuedLayer,
  m: LayerMarket,
  quantity: number,
  ctx: BookContext,
): PlanOrder {
  const b = v.book;
  return hedgeSellOrder({
    kind,
    templateId: b.templateId,
    layerId: b.layerId,
    market: m,
    quantity,
    stressPnlPerContract: b.stressPnlPerContract,
    maxDebitSpreadShare: ctx.strategy.execution.hedgeMaxDebitSpreadShare,
    rule: ctx.strategy.execution.hedgeLadder,
    asOf: ctx.asOf,
    note:
      kind === 'hedge-roll-close'
        ? `scheduled roll: ${b.layerId} is ${b.dte}d from expiry`
        : `scheduled trim of over-coverage: ${b.layerId}`,
  });
}

export interface TemplateOffer {
  readonly template: LayerTemplate;
  readonly supply: TemplateSupply;
  /** The layer's market when it is available. */
  readonly market: LayerMarket | null;
  readonly line: string;
}

/** What a new layer of each template would be, cost and cover; shares normalised to sum 1. */
export function templateOffers(ctx: BookContext): TemplateOffer[] {
  const templates = ctx.strategy.hedge.templates;
  const shareSum = templates.reduce((s, t) => s + Math.max(0, t.share), 0);
  return templates.map((t) => templateOffer(t, shareSum > 0 ? Math.max(0, t.share) / shareSum : 0, ctx));
}

function templateOffer(template: LayerTemplate, share: number, ctx: BookContext): TemplateOffer {
  const unavailable = (reason: 'no-hedge-instrument' | 'bad-quotes', detail: string): TemplateOffer => ({
    template,
    supply: { kind: 'unavailable', templateId: template.id, share, reason, detail },
    market: null,
    line: `template ${template.id} (${template.kind}, share ${share.toFixed(2)}): unavailable (${reason}): ${detail}`,
  });
  const choice = selectLayer(template, ctx.snapshot.vixOptions, {
    tradingClasses: ctx.strategy.hedge.tradingClasses,
    minHedgeDte: ctx.strategy.hedge.minHedgeDte,
    daysToExpiry: ctx.pricing.daysToExpiry,
  });
  if (!choice.ok) return unavailable('no-hedge-instrument', choice.error);
  const m = layerMarket(choice.value.spec, ctx.snapshot.vixOptions, ctx.pricing);
  if (!m.ok) return unavailable('bad-quotes', m.error);
  const problems = layerQuoteProblems(m.value, 'buy', quoteRules(ctx.strategy));
  if (problems.length > 0)
    return unavailable('bad-quotes', `${layerLabel(m.value.spec)}: ${problems.join('; ')}`);
  if (ctx.stress === null) return unavailable('no-hedge-instrument', 'no stress scenario (no ATM vol)');
  const stress = layerStressPnlCents(m.value, ctx.stress, ctx.strategy.sizing);
  if (stress <= 0) {
    return unavailable(
      'no-hedge-instrument',
      `${layerLabel(m.value.spec)} gains ${formatCents(stress)} under the stress`,
    );
  }
  const carry = layerCarryCents(m.value);
  const exec = ctx.strategy.execution;
  // The cash guard counts the most the order may pay: its ladder's last step.
  const maxPaid = lastStep(buyLadder(m.value, exec.hedgeMaxDebitSpreadShare, exec.hedgeLadder, ctx.asOf));
  const premium = cents(maxPaid * 100);
  return {
    template,
    supply: {
      kind: 'offer',
      offer: {
        templateId: template.id,
        share,
        stressPnlPerContract: stress,
        carryPerContract: carry,
        premiumPerContract: premium,
      },
    },
    market: m.value,
    line:
      `template ${template.id} (${template.kind}, share ${share.toFixed(2)}): ${choice.value.detail}; ` +
      `F ${m.value.forward.toFixed(2)}, mid ${(m.value.midCents / 100).toFixed(3)}, last step ${formatPrice(maxPaid)}; ` +
      `per contract: stress ${formatCents(stress)}, carry ${formatCents(carry)}/day, premium up to ${formatCents(premium)}`,
  };
}

export interface TrimResult {
  readonly orders: readonly PlanOrder[];
  readonly trims: readonly Trim[];
  readonly lines: readonly string[];
}

/**
 * Over-coverage trim: when the book's stress P&L exceeds trimAbove x the requirement at the quantity
 * cap, sell held layers down to max(trimTo x that requirement, the requirement at the chosen q).
 */
export function planTrimOrders(
  retained: readonly ValuedLayer[],
  bookStressPnl: Cents,
  requirementAtCap: Cents,
  requirementAtQ: Cents,
  ctx: BookContext,
): TrimResult {
  const t = ctx.strategy.sizing.trim;
  const threshold = t.trimAbove * requirementAtCap;
  const head = `trim check: book stress ${formatCents(bookStressPnl)} vs ${t.trimAbove} x ${formatCents(requirementAtCap)} = ${formatCents(threshold)}`;
  if (!t.enabled) return { orders: [], trims: [], lines: ['trim disabled in the strategy'] };
  if (requirementAtCap <= 0 || bookStressPnl <= threshold)
    return { orders: [], trims: [], lines: [`${head}: no trim`] };
  const target = cents(Math.max(Math.ceil(t.trimTo * requirementAtCap), requirementAtQ));
  const rules = quoteRules(ctx.strategy);
  const blocked: string[] = [];
  const sellable = retained.filter((v) => {
    if (!v.book.counts || v.market === null) return false;
    const problems = layerQuoteProblems(v.market, 'sell', rules);
    if (problems.length > 0) blocked.push(`${v.book.layerId} not sellable (${problems.join('; ')})`);
    return problems.length === 0;
  });
  const candidates: TrimCandidate[] = sellable.map((v) => ({
    layerId: v.book.layerId,
    quantity: v.book.quantity,
    stressPnlPerContract: v.book.stressPnlPerContract,
    valuePerContract: cents(v.book.markPrice * 100),
  }));
  const trims = planTrims(candidates, bookStressPnl, target);
  const lines = [
    `${head}: trim toward ${formatCents(target)} (highest value per unit of stress P&L first)`,
    ...blocked.map((b) => `trim skips ${b}`),
  ];
  const orders: PlanOrder[] = [];
  for (const trim of trims) {
    const v = sellable.find((x) => x.book.layerId === trim.layerId);
    if (v === undefined || v.market === null) continue;
    orders.push(sellOrder('hedge-trim', v, v.market, trim.quantity, ctx));
    lines.push(
      `trim ${trim.layerId}: sell ${trim.quantity} of ${v.book.quantity}, stress ${formatCents(trim.stressPnlRemoved)} released`,
    );
  }
  if (trims.length === 0 && sellable.length > 0)
    lines.push('no layer can be sold without going below the target');
  if (sellable.length === 0) lines.push('no layer is sellable at this cycle point: no trim');
  return { orders, trims, lines };
}
