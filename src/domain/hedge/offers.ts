// What a new layer of each template would be at this cycle point: its instrument, stress P&L,
// carry and the most its order may pay (docs/strategy.md sections 2 and 3).
import { cents } from '../money.ts';
import type { LayerTemplate } from '../strategy.ts';
import type { RationaleEntry } from '../plan/rationale.ts';
import { lastStep } from '../plan/ladder.ts';
import { buyLadder } from '../plan/orders.ts';
import type { BookContext } from './book.ts';
import { quoteRules } from './book.ts';
import { layerCarryCents } from './carry.ts';
import type { LayerMarket, LayerProblem } from './layer-market.ts';
import { layerMarket, layerQuoteProblems } from './layer-market.ts';
import { selectLayer } from './layer-selection.ts';
import type { TemplateSupply, UnavailableReason } from './sizing.ts';
import { layerStressPnlCents } from './stress.ts';

export interface TemplateOffer {
  readonly template: LayerTemplate;
  readonly supply: TemplateSupply;
  /** The layer's market when it is available. */
  readonly market: LayerMarket | null;
  readonly entry: RationaleEntry;
}

/** One offer per template; shares normalised to sum 1. */
export function templateOffers(ctx: BookContext): TemplateOffer[] {
  const templates = ctx.strategy.hedge.templates;
  const shareSum = templates.reduce((s, t) => s + Math.max(0, t.share), 0);
  return templates.map((t) => templateOffer(t, shareSum > 0 ? Math.max(0, t.share) / shareSum : 0, ctx));
}

function templateOffer(template: LayerTemplate, share: number, ctx: BookContext): TemplateOffer {
  const unavailable = (reason: UnavailableReason, problem: LayerProblem): TemplateOffer => ({
    template,
    supply: { kind: 'unavailable', templateId: template.id, share, reason, problem },
    market: null,
    entry: {
      kind: 'template-unavailable',
      templateId: template.id,
      templateKind: template.kind,
      share,
      reason,
      problem,
    },
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
    return unavailable('bad-quotes', { kind: 'quotes', layer: m.value.spec, problems });
  if (ctx.stress === null) return unavailable('no-hedge-instrument', { kind: 'no-stress-scenario' });
  const stress = layerStressPnlCents(m.value, ctx.stress, ctx.strategy.sizing);
  if (stress <= 0)
    return unavailable('no-hedge-instrument', {
      kind: 'no-stress-gain',
      layer: m.value.spec,
      stressPnlPerContractCents: stress,
    });
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
    entry: {
      kind: 'template-offer',
      templateId: template.id,
      share,
      spec: choice.value.spec,
      dte: choice.value.dte,
      targetDte: template.targetDte,
      window: template.dteWindow,
      future: choice.value.future,
      levels: choice.value.levels,
      midCents: m.value.midCents,
      lastStepCents: maxPaid,
      stressPnlPerContractCents: stress,
      carryPerContractCents: carry,
      premiumPerContractCents: premium,
    },
  };
}
