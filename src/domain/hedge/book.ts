// The hedge book at a cycle point: held layers joined with their quotes and valued under the
// cycle's stress (stress P&L, carry, days to expiry, whether they still count as coverage).
import type { IsoDate } from '../instruments.ts';
import type { Cents } from '../money.ts';
import { cents, priceCents } from '../money.ts';
import type { QuoteRules } from '../quote-problems.ts';
import type { HeldLayer, MarketSnapshot } from '../snapshot.ts';
import type { StrategyConfig } from '../strategy.ts';
import type { BookLayer } from '../plan/types.ts';
import type { LayerRef, RationaleEntry } from '../plan/rationale.ts';
import type { LayerMarket, LayerPricingContext, LayerProblem, LayerSpec } from './layer-market.ts';
import { layerMarket } from './layer-market.ts';
import { layerCarryCents } from './carry.ts';
import type { StressScenario } from './stress.ts';
import { layerStressPnlCents } from './stress.ts';

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
  readonly problem: LayerProblem | null;
}

export function quoteRules(strategy: StrategyConfig): QuoteRules {
  return {
    maxLegSpreadCents: strategy.hedge.maxLegSpread,
    maxQuoteAgeSeconds: strategy.condor.maxQuoteAgeSeconds,
  };
}

export function heldSpec(h: HeldLayer): LayerSpec {
  return {
    kind: h.kind,
    tradingClass: h.tradingClass,
    expiry: h.expiry,
    longStrike: h.longStrike,
    shortStrike: h.kind === 'callSpread' ? h.shortStrike : null,
  };
}

export function layerRef(b: BookLayer): LayerRef {
  return {
    layerId: b.layerId,
    templateId: b.templateId,
    spec: heldSpec(b),
    quantity: b.quantity,
    dte: b.dte,
  };
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
    stressPnlPerContract:
      ctx.stress === null ? cents(0) : layerStressPnlCents(m, ctx.stress, ctx.strategy.sizing),
    markPrice: priceCents(Math.round(m.midCents)),
    carryPerContract: layerCarryCents(m),
    dte,
    counts: dte >= ctx.strategy.hedge.minHedgeDte,
  };
}

/** The held-layer fields of a book row (drops the cycle's valuation): what the journal would hold. */
export function heldLayerOf(l: HeldLayer): HeldLayer {
  const { layerId, templateId, kind, tradingClass, expiry, longStrike, shortStrike, quantity } = l;
  return {
    layerId,
    templateId,
    kind,
    tradingClass,
    expiry,
    longStrike,
    shortStrike,
    quantity,
    entryPrice: l.entryPrice,
    openedOn: l.openedOn,
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

/** The rationale entry of a held layer as valued at the cycle. */
export function heldLayerEntry(v: ValuedLayer): RationaleEntry {
  const b = v.book;
  return {
    kind: 'held-layer',
    layer: layerRef(b),
    valuation:
      v.market === null
        ? null
        : {
            markPriceCents: b.markPrice,
            stressPnlPerContractCents: b.stressPnlPerContract,
            carryPerContractCents: b.carryPerContract,
            counts: b.counts,
          },
    problem: v.problem,
  };
}

/** Sum of stress P&L x quantity over the layers that count. */
export function countedStressPnl(layers: readonly BookLayer[]): Cents {
  return cents(layers.reduce((s, l) => s + (l.counts ? l.stressPnlPerContract * l.quantity : 0), 0));
}
