// Plan orders: the condor BAG (BUY at -credit), hedge layers bought (BUY at +debit) and sold back
// at scheduled rolls and trims (SELL at +credit), each with its limit ladder.
import type { CondorChoice } from '../condor.ts';
import type { TickVenue } from '../instruments.ts';
import type { Cents } from '../money.ts';
import { cents, priceCents } from '../money.ts';
import type { LadderRule } from '../strategy.ts';
import type { LayerMarket } from '../hedge/layer-market.ts';
import type { LayerSale } from '../hedge/rolls.ts';
import type { StrategyConfig } from '../strategy.ts';
import { condorFloor, maxDebitFloor, minCreditFloor, plannedLadder } from './ladder.ts';
import type { LimitLadder, PlanLeg, PlanOrder } from './types.ts';

/** Single VIX options tick by their class; call spreads go as one BAG on the VIX combo tick. */
export function layerVenue(m: LayerMarket): TickVenue {
  return m.legs.length > 1 ? 'VIX-COMBO' : m.spec.tradingClass;
}

/** The venue whose tick rules an order's prices follow. */
export function orderVenue(o: Pick<PlanOrder, 'legs'>): TickVenue {
  const first = o.legs[0];
  if (first === undefined) return 'SPX-COMBO';
  if (o.legs.length > 1) return first.contract.symbol === 'SPX' ? 'SPX-COMBO' : 'VIX-COMBO';
  return first.contract.tradingClass;
}

function layerLegs(m: LayerMarket): PlanLeg[] {
  return m.legs.map((l) => ({ contract: l.contract, action: l.action, ratio: 1 }));
}

/** The condor's ladder at the snapshot's quote: mid credit toward the natural, never below the minimum. */
export function condorLadder(choice: CondorChoice, rule: LadderRule, asOf: string): LimitLadder {
  const s = choice.selection;
  return plannedLadder({
    side: 'credit',
    venue: 'SPX-COMBO',
    mid: choice.rawMidCents,
    natural: s.naturalCredit,
    strategyFloor: condorFloor(choice.minCreditCents),
    rule,
    asOf,
  });
}

export function condorOrder(
  choice: CondorChoice,
  quantity: number,
  rule: LadderRule,
  asOf: string,
): PlanOrder {
  const s = choice.selection;
  const ladder = condorLadder(choice, rule, asOf);
  return {
    key: 'condor',
    kind: 'condor-open',
    action: 'BUY',
    legs: choice.legs.map((l) => ({ contract: l.contract, action: l.action, ratio: 1 })),
    quantity,
    ladder,
    // IB: a combo that pays us is bought at a negative limit.
    ibLimitPriceCents: ladder.prices.map((p) => 0 - p),
    stressPnlPerContract: cents(0),
    templateId: null,
    layerId: null,
    midPrice: ladder.prices[0] ?? s.credit,
    naturalPrice: s.naturalCredit,
  };
}

/** The ladder of buying a layer: mid toward the natural, never above mid + share x (natural - mid). */
export function buyLadder(
  m: LayerMarket,
  maxDebitSpreadShare: number,
  rule: LadderRule,
  asOf: string,
): LimitLadder {
  const venue = layerVenue(m);
  return plannedLadder({
    side: 'debit',
    venue,
    mid: m.midCents,
    natural: m.buyNaturalCents,
    strategyFloor: maxDebitFloor(m.midCents, m.buyNaturalCents, maxDebitSpreadShare, venue),
    rule,
    asOf,
  });
}

/** The ladder of selling a layer back: mid toward the natural, never below mid - share x (mid - natural). */
export function sellLadder(
  m: LayerMarket,
  maxDebitSpreadShare: number,
  rule: LadderRule,
  asOf: string,
): LimitLadder {
  const venue = layerVenue(m);
  return plannedLadder({
    side: 'credit',
    venue,
    mid: m.midCents,
    natural: m.sellNaturalCents,
    strategyFloor: minCreditFloor(m.midCents, m.sellNaturalCents, maxDebitSpreadShare, venue),
    rule,
    asOf,
  });
}

/** What a hedge layer order is built from, whether it buys a new layer or sells a held one. */
export interface HedgeOpenArgs {
  readonly templateId: string;
  readonly layerId: string;
  readonly market: LayerMarket;
  readonly quantity: number;
  readonly stressPnlPerContract: Cents;
  readonly maxDebitSpreadShare: number;
  readonly rule: LadderRule;
  readonly asOf: string;
}

/** The fields a hedge layer order takes from its args, whichever way it trades. */
function layerOrder(
  a: HedgeOpenArgs,
  head: Pick<PlanOrder, 'key' | 'kind' | 'action'>,
  ladder: LimitLadder,
  naturalCents: number,
): PlanOrder {
  return {
    ...head,
    legs: layerLegs(a.market),
    quantity: a.quantity,
    ladder,
    ibLimitPriceCents: [...ladder.prices],
    stressPnlPerContract: a.stressPnlPerContract,
    templateId: a.templateId,
    layerId: a.layerId,
    midPrice: ladder.prices[0] ?? ladder.floor,
    naturalPrice: priceCents(Math.round(naturalCents)),
  };
}

export function hedgeOpenOrder(a: HedgeOpenArgs): PlanOrder {
  const ladder = buyLadder(a.market, a.maxDebitSpreadShare, a.rule, a.asOf);
  // layerId is the id the new layer will carry in the book, so the executor can record it.
  return layerOrder(
    a,
    { key: `hedge:${a.templateId}:open`, kind: 'hedge-open', action: 'BUY' },
    ladder,
    a.market.buyNaturalCents,
  );
}

export interface HedgeSellArgs extends HedgeOpenArgs {
  readonly kind: 'hedge-roll-close' | 'hedge-trim';
}

/** Sells (part of) a held layer: the same legs as held, SELL at +credit. */
export function hedgeSellOrder(a: HedgeSellArgs): PlanOrder {
  const m = a.market;
  const ladder = sellLadder(m, a.maxDebitSpreadShare, a.rule, a.asOf);
  const key = a.kind === 'hedge-roll-close' ? `roll:${a.layerId}:close` : `trim:${a.layerId}`;
  return layerOrder(a, { key, kind: a.kind, action: 'SELL' }, ladder, m.sellNaturalCents);
}

/** The SELL order of a scheduled roll or trim. */
export function saleOrder(sale: LayerSale, strategy: StrategyConfig, asOf: string): PlanOrder {
  const b = sale.layer.book;
  return hedgeSellOrder({
    kind: sale.kind,
    templateId: b.templateId,
    layerId: b.layerId,
    market: sale.market,
    quantity: sale.quantity,
    stressPnlPerContract: b.stressPnlPerContract,
    maxDebitSpreadShare: strategy.execution.hedgeMaxDebitSpreadShare,
    rule: strategy.execution.hedgeLadder,
    asOf,
  });
}
