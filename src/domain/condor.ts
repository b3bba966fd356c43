// Condor selection (docs/strategy.md §1): 10-delta shorts no closer than minEmMultiple x EM, wings on
// listed strikes, quote sanity, combo mid credit on the 0.05 tick, minimum credit, max loss.
import type { Action, OptionContract, OptionRight } from './instruments.ts';
import { roundToTick, spxwOption, SPXW_MULTIPLIER } from './instruments.ts';
import type { Cents, PriceCents } from './money.ts';
import { cents, priceCents } from './money.ts';
import type { BsInput } from './pricing.ts';
import { blackScholes, bsImpliedVol } from './pricing.ts';
import type { QuoteProblem } from './quote-problems.ts';
import { basicQuoteProblems } from './quote-problems.ts';
import type { Result } from './result.ts';
import { err, ok } from './result.ts';
import type { OptionQuote, SpxwChain } from './snapshot.ts';
import type { StrategyConfig, WingWidthRule } from './strategy.ts';
import type { CondorSelection, NoTradeReason } from './plan/types.ts';

/** Why no condor can be selected from the chain, as data. */
export type CondorProblem =
  | { readonly kind: 'no-atm-vol' }
  | { readonly kind: 'no-otm-delta'; readonly right: OptionRight }
  | {
      readonly kind: 'no-strike-beyond-em';
      readonly right: OptionRight;
      readonly emMultiple: number;
      readonly emLimit: number;
    }
  | { readonly kind: 'strike-no-delta'; readonly right: OptionRight; readonly strike: number }
  | {
      readonly kind: 'no-wing';
      readonly widthPoints: number;
      readonly shortPut: number;
      readonly shortCall: number;
    }
  | { readonly kind: 'no-quote'; readonly strike: number; readonly right: OptionRight }
  | { readonly kind: 'leg-quotes'; readonly problems: readonly QuoteProblem[] }
  | {
      readonly kind: 'thin-credit';
      readonly creditCents: number;
      readonly minCreditCents: number;
      readonly minCreditPctOfWidth: number;
      readonly widthPoints: number;
    }
  | { readonly kind: 'credit-at-width'; readonly creditCents: number; readonly widthPoints: number };

/** The selection's decisions, in order, as data (the CLI words them). */
export type CondorEntry =
  | {
      readonly kind: 'atm-vol';
      readonly iv: number;
      readonly source: AtmVolSource;
      readonly spot: number;
      readonly timeYears: number;
      readonly emPoints: number;
    }
  | {
      readonly kind: 'short-strike';
      readonly right: OptionRight;
      readonly targetDelta: number;
      /** |delta| nearest the target: the delta found and its strike. */
      readonly deltaNearest: number;
      readonly strike: number;
      readonly emMultiple: number;
      readonly emLimit: number;
      /** True when the nearest-delta strike was inside the EM limit and the short moved out. */
      readonly movedOut: boolean;
      readonly deltaAtStrike: number;
    }
  | {
      readonly kind: 'wings';
      readonly widthPoints: number;
      readonly rule: WingWidthRule;
      readonly spot: number;
      readonly longPut: number;
      readonly longCall: number;
    }
  | {
      readonly kind: 'credit';
      /** Each leg's mid with its sign (+ short, - long), price cents, in leg order. */
      readonly legMidCents: readonly number[];
      readonly rawMidCents: number;
      readonly creditCents: number;
      readonly naturalCents: number;
      readonly minCreditPctOfWidth: number;
      readonly widthPoints: number;
      readonly minCreditCents: number;
    }
  | {
      readonly kind: 'max-loss';
      readonly widthPoints: number;
      readonly creditCents: number;
      readonly maxLossCents: number;
      readonly breakEvenLow: number;
      readonly breakEvenHigh: number;
    };

export type AtmVolSource =
  | {
      readonly kind: 'interpolated';
      readonly lowStrike: number;
      readonly lowIv: number;
      readonly highStrike: number;
      readonly highIv: number;
    }
  | { readonly kind: 'single-strike'; readonly strike: number };

export type CondorRules = StrategyConfig['condor'];

export interface SpxMarket {
  readonly spot: number;
  readonly rate: number;
  readonly dividendYield: number;
  /** Trading time to the condor's PM expiry. */
  readonly timeYears: number;
}

/** One SPXW chain indexed by right and strike, with lazily solved vols. */
export interface ChainIndex {
  readonly chain: SpxwChain;
  readonly market: SpxMarket;
  readonly puts: ReadonlyMap<number, OptionQuote>;
  readonly calls: ReadonlyMap<number, OptionQuote>;
  /** Ascending. */
  readonly putStrikes: readonly number[];
  readonly callStrikes: readonly number[];
  readonly volCache: Map<OptionQuote, number | null>;
}

export function indexChain(chain: SpxwChain, market: SpxMarket): ChainIndex {
  const puts = new Map<number, OptionQuote>();
  const calls = new Map<number, OptionQuote>();
  for (const q of chain.quotes) {
    const side = q.right === 'P' ? puts : calls;
    if (!side.has(q.strike)) side.set(q.strike, q);
  }
  const asc = (m: Map<number, OptionQuote>): number[] => [...m.keys()].sort((a, b) => a - b);
  return { chain, market, puts, calls, putStrikes: asc(puts), callStrikes: asc(calls), volCache: new Map() };
}

function midCents(q: OptionQuote): number {
  return (q.bid + q.ask) / 2;
}

/** Black-Scholes inputs of a chain quote, all but the vol. */
function quoteBsInput(m: SpxMarket, q: OptionQuote): Omit<BsInput, 'vol'> {
  return {
    spot: m.spot,
    strike: q.strike,
    timeYears: m.timeYears,
    rate: m.rate,
    dividendYield: m.dividendYield,
    right: q.right,
  };
}

/** The quote's IV, else the Black-Scholes vol implied by its mid; null when neither exists. */
export function quoteVol(ix: ChainIndex, q: OptionQuote): number | null {
  if (q.iv !== null && q.iv > 0) return q.iv;
  const cached = ix.volCache.get(q);
  if (cached !== undefined) return cached;
  const m = ix.market;
  const mid = midCents(q) / 100;
  const vol = mid > 0 && m.timeYears > 0 ? bsImpliedVol(mid, quoteBsInput(m, q)) : null;
  ix.volCache.set(q, vol);
  return vol;
}

/** Signed delta: the quote's, else Black-Scholes from its vol; null when neither exists. */
export function quoteDelta(ix: ChainIndex, q: OptionQuote): number | null {
  if (q.delta !== null) return q.delta;
  const vol = quoteVol(ix, q);
  if (vol === null) return null;
  return blackScholes({ ...quoteBsInput(ix.market, q), vol }).delta;
}

function strikeVol(ix: ChainIndex, strike: number): number | null {
  const vols = [ix.puts.get(strike), ix.calls.get(strike)]
    .map((q) => (q === undefined ? null : quoteVol(ix, q)))
    .filter((v): v is number => v !== null);
  return vols.length === 0 ? null : vols.reduce((a, b) => a + b, 0) / vols.length;
}

export interface AtmVol {
  readonly iv: number;
  readonly source: AtmVolSource;
}

/** The first listed strike with a usable vol, walking from index i by step (-1 down, +1 up). */
function walkForVol(
  ix: ChainIndex,
  strikes: readonly number[],
  i: number,
  step: 1 | -1,
): { k: number; v: number } | null {
  for (let j = i; j >= 0 && j < strikes.length; j += step) {
    const k = strikes[j] as number;
    const v = strikeVol(ix, k);
    if (v !== null) return { k, v };
  }
  return null;
}

/** ATM IV: linear in strike between the listed strikes bracketing spot (mean of put and call IV at each). */
export function atmImpliedVol(ix: ChainIndex): Result<AtmVol, CondorProblem> {
  const spot = ix.market.spot;
  const strikes = [...new Set([...ix.putStrikes, ...ix.callStrikes])].sort((a, b) => a - b);
  const firstAbove = strikes.findIndex((k) => k > spot);
  const split = firstAbove === -1 ? strikes.length : firstAbove;
  // Walk outward from spot only as far as the first usable vol on each side: no chain-wide solving.
  const below = walkForVol(ix, strikes, split - 1, -1);
  const above = walkForVol(ix, strikes, split, 1);
  if (below === null && above === null) return err({ kind: 'no-atm-vol' });
  if (below === null || above === null) {
    const only = (below ?? above) as { k: number; v: number };
    return ok({ iv: only.v, source: { kind: 'single-strike', strike: only.k } });
  }
  const w = (spot - below.k) / (above.k - below.k);
  const iv = below.v + w * (above.v - below.v);
  return ok({
    iv,
    source: {
      kind: 'interpolated',
      lowStrike: below.k,
      lowIv: below.v,
      highStrike: above.k,
      highIv: above.v,
    },
  });
}

export function wingWidthPoints(rule: WingWidthRule, spot: number): number {
  switch (rule.mode) {
    case 'points':
      return rule.points;
    case 'pctOfSpot':
      return Math.max(
        rule.minPoints,
        Math.round((rule.pct * spot) / rule.roundToPoints) * rule.roundToPoints,
      );
  }
}

interface ShortPick {
  readonly strike: number;
  readonly deltaPick: number;
  readonly deltaStrike: number;
  readonly emLimit: number;
  readonly movedOut: boolean;
}

/**
 * OTM strike of a right with |delta| nearest the target (ties: farther from spot). Walks outward from
 * spot and stops once |delta| is below half the target: farther strikes only get further away.
 */
function nearestDelta(
  ix: ChainIndex,
  right: OptionRight,
  target: number,
): { strike: number; delta: number } | null {
  const spot = ix.market.spot;
  const side = right === 'P' ? ix.puts : ix.calls;
  const outward =
    right === 'P' ? ix.putStrikes.filter((k) => k < spot).reverse() : ix.callStrikes.filter((k) => k > spot);
  let best: { strike: number; delta: number; gap: number } | null = null;
  for (const k of outward) {
    const q = side.get(k);
    const d = q === undefined ? null : quoteDelta(ix, q);
    if (d === null) continue;
    const gap = Math.abs(Math.abs(d) - target);
    // Walking outward, an equal gap is the farther strike: prefer it.
    if (best === null || gap <= best.gap + 1e-12) best = { strike: k, delta: d, gap };
    if (Math.abs(d) < target / 2) break;
  }
  return best === null ? null : { strike: best.strike, delta: best.delta };
}

function pickShort(
  ix: ChainIndex,
  right: OptionRight,
  rules: CondorRules,
  emPoints: number,
): Result<ShortPick, CondorProblem> {
  const found = nearestDelta(ix, right, rules.targetDelta);
  if (found === null) return err({ kind: 'no-otm-delta', right });
  const spot = ix.market.spot;
  const emLimit =
    right === 'P' ? spot - rules.minEmMultiple * emPoints : spot + rules.minEmMultiple * emPoints;
  const tooClose = right === 'P' ? found.strike > emLimit : found.strike < emLimit;
  if (!tooClose) {
    return ok({
      strike: found.strike,
      deltaPick: found.delta,
      deltaStrike: found.delta,
      emLimit,
      movedOut: false,
    });
  }
  const strikes = right === 'P' ? ix.putStrikes : ix.callStrikes;
  const beyond =
    right === 'P' ? strikes.filter((k) => k <= emLimit).at(-1) : strikes.find((k) => k >= emLimit);
  if (beyond === undefined)
    return err({ kind: 'no-strike-beyond-em', right, emMultiple: rules.minEmMultiple, emLimit });
  const q = (right === 'P' ? ix.puts : ix.calls).get(beyond);
  const d = q === undefined ? null : quoteDelta(ix, q);
  if (d === null) return err({ kind: 'strike-no-delta', right, strike: beyond });
  return ok({ strike: beyond, deltaPick: found.delta, deltaStrike: d, emLimit, movedOut: true });
}

/** The nearest listed strike at the wing target or farther out. */
function wingStrike(strikes: readonly number[], target: number, right: OptionRight): number | undefined {
  return right === 'P'
    ? strikes.filter((k) => k <= target + 1e-9).at(-1)
    : strikes.find((k) => k >= target - 1e-9);
}

export interface CondorLeg {
  readonly contract: OptionContract;
  readonly action: Action;
  readonly role: 'short' | 'long';
  readonly quote: OptionQuote;
}

export interface CondorChoice {
  readonly selection: CondorSelection;
  /** SELL short put, BUY long put, SELL short call, BUY long call. */
  readonly legs: readonly CondorLeg[];
  /** Combo mid before the tick rounding, price cents. */
  readonly rawMidCents: number;
  /** minCreditPctOfWidth x width, price cents. */
  readonly minCreditCents: number;
  readonly entries: readonly CondorEntry[];
}

export interface CondorFailure {
  readonly reason: NoTradeReason;
  readonly problem: CondorProblem;
  /** Decisions taken before the failure, for the rationale. */
  readonly entries: readonly CondorEntry[];
}

/** Quote problems of a condor leg; a long wing may be bid 0, a short leg may not. */
export function condorLegProblems(leg: CondorLeg, rules: CondorRules): QuoteProblem[] {
  const q = leg.quote;
  const ref = { strike: q.strike, right: q.right, role: leg.role };
  const out = basicQuoteProblems(q, ref, {
    maxLegSpreadCents: rules.maxLegSpread,
    maxQuoteAgeSeconds: rules.maxQuoteAgeSeconds,
  });
  if (leg.role === 'short' && q.bid <= 0) out.push({ kind: 'no-bid', leg: ref });
  if (leg.role === 'long' && q.ask <= 0) out.push({ kind: 'no-offer', leg: ref });
  return out;
}

interface Strikes {
  readonly shortPut: ShortPick;
  readonly shortCall: ShortPick;
  readonly longPut: number;
  readonly longCall: number;
  readonly width: number;
}

function shortEntry(right: OptionRight, p: ShortPick, rules: CondorRules): CondorEntry {
  return {
    kind: 'short-strike',
    right,
    targetDelta: rules.targetDelta,
    deltaNearest: p.deltaPick,
    strike: p.strike,
    emMultiple: rules.minEmMultiple,
    emLimit: p.emLimit,
    movedOut: p.movedOut,
    deltaAtStrike: p.deltaStrike,
  };
}

function pickStrikes(
  ix: ChainIndex,
  rules: CondorRules,
  emPoints: number,
  entries: CondorEntry[],
): Result<Strikes, CondorFailure> {
  const fail = (problem: CondorProblem): Result<Strikes, CondorFailure> =>
    err({ reason: 'no-strikes', problem, entries });
  const sp = pickShort(ix, 'P', rules, emPoints);
  if (!sp.ok) return fail(sp.error);
  entries.push(shortEntry('P', sp.value, rules));
  const sc = pickShort(ix, 'C', rules, emPoints);
  if (!sc.ok) return fail(sc.error);
  entries.push(shortEntry('C', sc.value, rules));
  const width = wingWidthPoints(rules.wingWidth, ix.market.spot);
  const longPut = wingStrike(ix.putStrikes, sp.value.strike - width, 'P');
  const longCall = wingStrike(ix.callStrikes, sc.value.strike + width, 'C');
  if (longPut === undefined || longCall === undefined)
    return fail({
      kind: 'no-wing',
      widthPoints: width,
      shortPut: sp.value.strike,
      shortCall: sc.value.strike,
    });
  entries.push({
    kind: 'wings',
    widthPoints: width,
    rule: rules.wingWidth,
    spot: ix.market.spot,
    longPut,
    longCall,
  });
  return ok({ shortPut: sp.value, shortCall: sc.value, longPut, longCall, width });
}

function legsFor(ix: ChainIndex, s: Strikes): CondorLeg[] | CondorProblem {
  const expiry = ix.chain.expiry;
  const spec: readonly [number, OptionRight, Action, 'short' | 'long'][] = [
    [s.shortPut.strike, 'P', 'SELL', 'short'],
    [s.longPut, 'P', 'BUY', 'long'],
    [s.shortCall.strike, 'C', 'SELL', 'short'],
    [s.longCall, 'C', 'BUY', 'long'],
  ];
  const legs: CondorLeg[] = [];
  for (const [strike, right, action, role] of spec) {
    const quote = (right === 'P' ? ix.puts : ix.calls).get(strike);
    if (quote === undefined) return { kind: 'no-quote', strike, right };
    legs.push({ contract: spxwOption(expiry, strike, right), action, role, quote });
  }
  return legs;
}

/** Selects the condor from an indexed chain, the ATM vol, and the rules. */
export function selectCondor(
  ix: ChainIndex,
  atm: AtmVol,
  rules: CondorRules,
): Result<CondorChoice, CondorFailure> {
  const m = ix.market;
  const emPoints = m.spot * atm.iv * Math.sqrt(m.timeYears);
  const entries: CondorEntry[] = [
    { kind: 'atm-vol', iv: atm.iv, source: atm.source, spot: m.spot, timeYears: m.timeYears, emPoints },
  ];
  const strikes = pickStrikes(ix, rules, emPoints, entries);
  if (!strikes.ok) return strikes;
  const s = strikes.value;
  const legs = legsFor(ix, s);
  if (!Array.isArray(legs)) return err({ reason: 'no-strikes', problem: legs, entries });
  const problems = legs.flatMap((l) => condorLegProblems(l, rules));
  if (problems.length > 0)
    return err({ reason: 'bad-quotes', problem: { kind: 'leg-quotes', problems }, entries });
  return priceCondor(ix, atm, s, legs, emPoints, rules, entries);
}

function priceCondor(
  ix: ChainIndex,
  atm: AtmVol,
  s: Strikes,
  legs: readonly CondorLeg[],
  emPoints: number,
  rules: CondorRules,
  entries: CondorEntry[],
): Result<CondorChoice, CondorFailure> {
  const sign = (l: CondorLeg): number => (l.role === 'short' ? 1 : -1);
  const rawMid = legs.reduce((acc, l) => acc + sign(l) * midCents(l.quote), 0);
  const natural = legs.reduce((acc, l) => acc + (l.role === 'short' ? l.quote.bid : 0 - l.quote.ask), 0);
  const widthPoints = Math.max(s.shortPut.strike - s.longPut, s.longCall - s.shortCall.strike);
  const minCreditCents = rules.minCreditPctOfWidth * widthPoints * 100;
  const credit = rawMid > 0 ? roundToTick('SPX-COMBO', rawMid, 'down') : priceCents(0);
  entries.push({
    kind: 'credit',
    legMidCents: legs.map((l) => sign(l) * midCents(l.quote)),
    rawMidCents: rawMid,
    creditCents: credit,
    naturalCents: natural,
    minCreditPctOfWidth: rules.minCreditPctOfWidth,
    widthPoints,
    minCreditCents,
  });
  if (credit <= 0 || credit < minCreditCents - 1e-9) {
    const problem: CondorProblem = {
      kind: 'thin-credit',
      creditCents: credit,
      minCreditCents,
      minCreditPctOfWidth: rules.minCreditPctOfWidth,
      widthPoints,
    };
    return err({ reason: 'thin-credit', problem, entries });
  }
  if (credit >= widthPoints * 100) {
    return err({
      reason: 'bad-quotes',
      problem: { kind: 'credit-at-width', creditCents: credit, widthPoints },
      entries,
    });
  }
  const maxLoss: Cents = cents((widthPoints * 100 - credit) * SPXW_MULTIPLIER);
  const selection = buildSelection(ix, atm, s, widthPoints, credit, priceCents(natural), maxLoss, emPoints);
  entries.push({
    kind: 'max-loss',
    widthPoints,
    creditCents: credit,
    maxLossCents: maxLoss,
    breakEvenLow: selection.breakEvenLow,
    breakEvenHigh: selection.breakEvenHigh,
  });
  return ok({ selection, legs, rawMidCents: rawMid, minCreditCents, entries });
}

function buildSelection(
  ix: ChainIndex,
  atm: AtmVol,
  s: Strikes,
  widthPoints: number,
  credit: PriceCents,
  naturalCredit: PriceCents,
  maxLoss: Cents,
  emPoints: number,
): CondorSelection {
  return {
    expiry: ix.chain.expiry,
    shortPut: s.shortPut.strike,
    longPut: s.longPut,
    shortCall: s.shortCall.strike,
    longCall: s.longCall,
    widthPoints,
    credit,
    naturalCredit,
    maxLossPerContract: maxLoss,
    breakEvenLow: s.shortPut.strike - credit / 100,
    breakEvenHigh: s.shortCall.strike + credit / 100,
    shortPutDelta: s.shortPut.deltaStrike,
    shortCallDelta: s.shortCall.deltaStrike,
    expectedMovePoints: emPoints,
    atmIv: atm.iv,
    timeToExpiryYears: ix.market.timeYears,
    spot: ix.market.spot,
  };
}
