// A hedge layer (VIX call or call vertical) joined with its quotes and Black-76 inputs.
import type { Action, IsoDate, OptionContract } from '../instruments.ts';
import { formatStrike, vixOption } from '../instruments.ts';
import { b76ImpliedVol } from '../pricing.ts';
import type { QuoteProblem, QuoteRules } from '../quote-problems.ts';
import { basicQuoteProblems } from '../quote-problems.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';
import type { OptionQuote, VixOptionChain } from '../snapshot.ts';

/** Why a layer cannot be priced, selected or traded, as data. */
export type LayerProblem =
  | { readonly kind: 'no-chain'; readonly tradingClass: 'VIX' | 'VIXW'; readonly expiry: IsoDate }
  | {
      readonly kind: 'no-quote' | 'no-vol';
      readonly tradingClass: 'VIX' | 'VIXW';
      readonly expiry: IsoDate;
      readonly strike: number;
    }
  | {
      readonly kind: 'no-expiry-in-window';
      readonly tradingClasses: readonly ('VIX' | 'VIXW')[];
      readonly window: readonly [number, number];
      readonly minHedgeDte: number;
    }
  | {
      readonly kind: 'no-strike';
      readonly future: number;
      /** The strike rule's offsets above the future (one for a call, two for a spread). */
      readonly otmPoints: readonly number[];
    }
  | { readonly kind: 'quotes'; readonly layer: LayerSpec; readonly problems: readonly QuoteProblem[] }
  | { readonly kind: 'no-stress-scenario' }
  | {
      readonly kind: 'no-stress-gain';
      readonly layer: LayerSpec;
      readonly stressPnlPerContractCents: number;
    };

export interface LayerSpec {
  readonly kind: 'call' | 'callSpread';
  readonly tradingClass: 'VIX' | 'VIXW';
  readonly expiry: IsoDate;
  readonly longStrike: number;
  /** Only for call spreads. */
  readonly shortStrike: number | null;
}

export interface LayerLeg {
  readonly contract: OptionContract;
  /** The leg as held: BUY the long call, SELL the short call. */
  readonly action: Action;
  /** +1 long, -1 short. */
  readonly sign: 1 | -1;
  readonly quote: OptionQuote;
  /** Black-76 implied vol on the future of the expiry (trading time). */
  readonly vol: number;
}

export interface LayerMarket {
  readonly spec: LayerSpec;
  /** The VX future of the layer's expiry. */
  readonly forward: number;
  /** Trading time to the AM settlement. */
  readonly timeYears: number;
  readonly rate: number;
  /** Calendar days from the cycle date to expiry. */
  readonly dte: number;
  /** Long leg first. */
  readonly legs: readonly LayerLeg[];
  /** Per unit, price cents (may be fractional). */
  readonly midCents: number;
  /** Buying the layer at the touch: long ask - short bid. */
  readonly buyNaturalCents: number;
  /** Selling the layer at the touch: long bid - short ask. */
  readonly sellNaturalCents: number;
}

export interface LayerPricingContext {
  readonly rate: number;
  /** Trading time (years) to a VIX option's AM expiry. */
  readonly timeToExpiry: (expiry: IsoDate) => number;
  /** Calendar days from the cycle date. */
  readonly daysToExpiry: (expiry: IsoDate) => number;
}

/** "VIX 2026-03-18 19C" / "VIXW 2026-04-01 21/28C". */
export function layerLabel(spec: LayerSpec): string {
  const strikes =
    spec.shortStrike === null
      ? `${formatStrike(spec.longStrike)}C`
      : `${formatStrike(spec.longStrike)}/${formatStrike(spec.shortStrike)}C`;
  return `${spec.tradingClass} ${spec.expiry} ${strikes}`;
}

export function findVixChain(
  chains: readonly VixOptionChain[],
  tradingClass: 'VIX' | 'VIXW',
  expiry: IsoDate,
): VixOptionChain | undefined {
  return chains.find((c) => c.expiry === expiry && c.tradingClass === tradingClass);
}

export function callQuote(chain: VixOptionChain, strike: number): OptionQuote | undefined {
  return chain.quotes.find((q) => q.right === 'C' && q.strike === strike);
}

export function quoteMidCents(q: OptionQuote): number {
  return (q.bid + q.ask) / 2;
}

/** The quote's IV, else the Black-76 vol implied by its mid; null when neither exists. */
function legVol(q: OptionQuote, forward: number, timeYears: number, rate: number): number | null {
  if (q.iv !== null && q.iv > 0) return q.iv;
  const mid = quoteMidCents(q) / 100;
  if (mid <= 0 || timeYears <= 0) return null;
  return b76ImpliedVol(mid, { forward, strike: q.strike, timeYears, rate, right: 'C' });
}

function makeLeg(
  chain: VixOptionChain,
  strike: number,
  sign: 1 | -1,
  timeYears: number,
  rate: number,
): Result<LayerLeg, LayerProblem> {
  const where = { tradingClass: chain.tradingClass, expiry: chain.expiry, strike };
  const quote = callQuote(chain, strike);
  if (quote === undefined) return err({ kind: 'no-quote', ...where });
  const vol = legVol(quote, chain.futurePrice, timeYears, rate);
  if (vol === null) return err({ kind: 'no-vol', ...where });
  return ok({
    contract: vixOption(chain.tradingClass, chain.expiry, strike, 'C'),
    action: sign === 1 ? 'BUY' : 'SELL',
    sign,
    quote,
    vol,
  });
}

/** Joins a layer with its chain; an error says what is missing (chain, quote, or a usable vol). */
export function layerMarket(
  spec: LayerSpec,
  chains: readonly VixOptionChain[],
  ctx: LayerPricingContext,
): Result<LayerMarket, LayerProblem> {
  const chain = findVixChain(chains, spec.tradingClass, spec.expiry);
  if (chain === undefined)
    return err({ kind: 'no-chain', tradingClass: spec.tradingClass, expiry: spec.expiry });
  const timeYears = ctx.timeToExpiry(spec.expiry);
  const long = makeLeg(chain, spec.longStrike, 1, timeYears, ctx.rate);
  if (!long.ok) return long;
  const legs: LayerLeg[] = [long.value];
  if (spec.shortStrike !== null) {
    const short = makeLeg(chain, spec.shortStrike, -1, timeYears, ctx.rate);
    if (!short.ok) return short;
    legs.push(short.value);
  }
  const sum = (f: (l: LayerLeg) => number): number => legs.reduce((s, l) => s + f(l), 0);
  return ok({
    spec,
    forward: chain.futurePrice,
    timeYears,
    rate: ctx.rate,
    dte: ctx.daysToExpiry(spec.expiry),
    legs,
    midCents: sum((l) => l.sign * quoteMidCents(l.quote)),
    buyNaturalCents: sum((l) => l.sign * (l.sign === 1 ? l.quote.ask : l.quote.bid)),
    sellNaturalCents: sum((l) => l.sign * (l.sign === 1 ? l.quote.bid : l.quote.ask)),
  });
}

/** Quote problems that forbid trading the layer in the given direction (empty = tradeable). */
export function layerQuoteProblems(m: LayerMarket, side: 'buy' | 'sell', rules: QuoteRules): QuoteProblem[] {
  const out: QuoteProblem[] = [];
  for (const leg of m.legs) {
    const q = leg.quote;
    const ref = { strike: q.strike, right: q.right, role: null };
    out.push(...basicQuoteProblems(q, ref, rules));
    // The leg we pay for needs an offer; the long leg we sell needs a bid.
    const paying = (side === 'buy') === (leg.sign === 1);
    if (paying && q.ask <= 0) out.push({ kind: 'no-offer', leg: ref });
    if (!paying && leg.sign === 1 && q.bid <= 0) out.push({ kind: 'no-bid', leg: ref });
  }
  if (side === 'buy' && m.buyNaturalCents <= 0)
    out.push({ kind: 'natural-not-debit', naturalCents: m.buyNaturalCents });
  if (side === 'sell' && m.sellNaturalCents <= 0)
    out.push({ kind: 'natural-not-credit', naturalCents: m.sellNaturalCents });
  return out;
}
