// Condor selection (strategy.md §1): 10-delta shorts no closer than minEmMultiple x EM, wings on
// listed strikes, quote sanity, combo mid credit on the 0.05 tick, minimum credit, max loss.
import type { Action, OptionContract, OptionRight } from './instruments.ts';
import { formatStrike, roundToTick, spxwOption, SPXW_MULTIPLIER } from './instruments.ts';
import type { Cents, PriceCents } from './money.ts';
import { cents, formatCents, formatPrice, priceCents } from './money.ts';
import type { BsInput } from './pricing.ts';
import { blackScholes, bsImpliedVol } from './pricing.ts';
import type { Result } from './result.ts';
import { err, ok } from './result.ts';
import type { OptionQuote, SpxwChain } from './snapshot.ts';
import type { StrategyConfig, WingWidthRule } from './strategy.ts';
import type { CondorSelection, NoTradeReason } from './plan/types.ts';

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
  readonly detail: string;
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
export function atmImpliedVol(ix: ChainIndex): Result<AtmVol, string> {
  const spot = ix.market.spot;
  const strikes = [...new Set([...ix.putStrikes, ...ix.callStrikes])].sort((a, b) => a - b);
  const firstAbove = strikes.findIndex((k) => k > spot);
  const split = firstAbove === -1 ? strikes.length : firstAbove;
  // Walk outward from spot only as far as the first usable vol on each side: no chain-wide solving.
  const below = walkForVol(ix, strikes, split - 1, -1);
  const above = walkForVol(ix, strikes, split, 1);
  if (below === null && above === null) return err('no strike near spot has an implied vol');
  if (below === null || above === null) {
    const only = (below ?? above) as { k: number; v: number };
    return ok({ iv: only.v, detail: `IV of strike ${formatStrike(only.k)}` });
  }
  const w = (spot - below.k) / (above.k - below.k);
  const iv = below.v + w * (above.v - below.v);
  return ok({
    iv,
    detail: `interpolated between ${formatStrike(below.k)} (${pct(below.v)}) and ${formatStrike(above.k)} (${pct(above.v)})`,
  });
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
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
): Result<ShortPick, string> {
  const found = nearestDelta(ix, right, rules.targetDelta);
  const name = right === 'P' ? 'put' : 'call';
  if (found === null) return err(`no OTM ${name} with a usable delta`);
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
    return err(`no listed ${name} strike beyond ${rules.minEmMultiple} x EM (${emLimit.toFixed(2)})`);
  const q = (right === 'P' ? ix.puts : ix.calls).get(beyond);
  const d = q === undefined ? null : quoteDelta(ix, q);
  if (d === null) return err(`${name} ${formatStrike(beyond)} has no usable delta`);
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
  readonly lines: readonly string[];
}

export interface CondorFailure {
  readonly reason: NoTradeReason;
  readonly detail: string;
  /** Decisions taken before the failure, for the rationale. */
  readonly lines: readonly string[];
}

/** Quote problems of a condor leg; a long wing may be bid 0, a short leg may not. */
export function condorLegProblems(leg: CondorLeg, rules: CondorRules): string[] {
  const q = leg.quote;
  const name = `${leg.role} ${formatStrike(q.strike)}${q.right}`;
  const out: string[] = [];
  if (q.bid > q.ask) out.push(`${name} crossed (${formatPrice(q.bid)} x ${formatPrice(q.ask)})`);
  if (q.ageSeconds > rules.maxQuoteAgeSeconds)
    out.push(`${name} stale (${q.ageSeconds}s > ${rules.maxQuoteAgeSeconds}s)`);
  if (q.ask - q.bid > rules.maxLegSpread) {
    out.push(`${name} spread ${formatPrice(q.ask - q.bid)} > ${formatPrice(rules.maxLegSpread)}`);
  }
  if (leg.role === 'short' && q.bid <= 0) out.push(`${name} bid 0`);
  if (leg.role === 'long' && q.ask <= 0) out.push(`${name} has no offer`);
  return out;
}

interface Strikes {
  readonly shortPut: ShortPick;
  readonly shortCall: ShortPick;
  readonly longPut: number;
  readonly longCall: number;
  readonly width: number;
}

function shortLine(name: string, p: ShortPick, rules: CondorRules): string {
  const base = `short ${name}: |delta| nearest ${rules.targetDelta} is ${p.deltaPick.toFixed(4)}`;
  if (!p.movedOut)
    return `${base} at ${formatStrike(p.strike)}, outside ${rules.minEmMultiple} x EM (${p.emLimit.toFixed(2)})`;
  return `${base} but inside ${rules.minEmMultiple} x EM (${p.emLimit.toFixed(2)}): moved out to ${formatStrike(p.strike)} (delta ${p.deltaStrike.toFixed(4)})`;
}

function pickStrikes(
  ix: ChainIndex,
  rules: CondorRules,
  emPoints: number,
  lines: string[],
): Result<Strikes, CondorFailure> {
  const fail = (detail: string): Result<Strikes, CondorFailure> =>
    err({ reason: 'no-strikes', detail, lines });
  const sp = pickShort(ix, 'P', rules, emPoints);
  if (!sp.ok) return fail(sp.error);
  lines.push(shortLine('put', sp.value, rules));
  const sc = pickShort(ix, 'C', rules, emPoints);
  if (!sc.ok) return fail(sc.error);
  lines.push(shortLine('call', sc.value, rules));
  const width = wingWidthPoints(rules.wingWidth, ix.market.spot);
  const longPut = wingStrike(ix.putStrikes, sp.value.strike - width, 'P');
  const longCall = wingStrike(ix.callStrikes, sc.value.strike + width, 'C');
  if (longPut === undefined || longCall === undefined) {
    return fail(
      `no listed wing ${width} points beyond the shorts ${formatStrike(sp.value.strike)}P/${formatStrike(sc.value.strike)}C`,
    );
  }
  lines.push(
    `wings: width ${width} pts (${widthRuleText(rules.wingWidth, ix.market.spot)}) -> long put ${formatStrike(longPut)}, long call ${formatStrike(longCall)}`,
  );
  return ok({ shortPut: sp.value, shortCall: sc.value, longPut, longCall, width });
}

function widthRuleText(rule: WingWidthRule, spot: number): string {
  switch (rule.mode) {
    case 'points':
      return 'fixed';
    case 'pctOfSpot':
      return `${(rule.pct * 100).toFixed(2)}% of ${spot.toFixed(2)} rounded to ${rule.roundToPoints}, at least ${rule.minPoints}`;
  }
}

function legsFor(ix: ChainIndex, s: Strikes): CondorLeg[] | string {
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
    if (quote === undefined) return `no quote for ${formatStrike(strike)}${right}`;
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
  const lines: string[] = [
    `ATM IV ${pct(atm.iv)} (${atm.detail}); EM = ${m.spot.toFixed(2)} x ${atm.iv.toFixed(4)} x sqrt(${m.timeYears.toFixed(6)}) = ${emPoints.toFixed(2)} pts`,
  ];
  const strikes = pickStrikes(ix, rules, emPoints, lines);
  if (!strikes.ok) return strikes;
  const s = strikes.value;
  const legs = legsFor(ix, s);
  if (typeof legs === 'string') return err({ reason: 'no-strikes', detail: legs, lines });
  const problems = legs.flatMap((l) => condorLegProblems(l, rules));
  if (problems.length > 0) return err({ reason: 'bad-quotes', detail: problems.join('; '), lines });
  return priceCondor(ix, atm, s, legs, emPoints, rules, lines);
}

function priceCondor(
  ix: ChainIndex,
  atm: AtmVol,
  s: Strikes,
  legs: readonly CondorLeg[],
  emPoints: number,
  rules: CondorRules,
  lines: string[],
): Result<CondorChoice, CondorFailure> {
  const sign = (l: CondorLeg): number => (l.role === 'short' ? 1 : -1);
  const rawMid = legs.reduce((acc, l) => acc + sign(l) * midCents(l.quote), 0);
  const natural = legs.reduce((acc, l) => acc + (l.role === 'short' ? l.quote.bid : 0 - l.quote.ask), 0);
  const widthPoints = Math.max(s.shortPut.strike - s.longPut, s.longCall - s.shortCall.strike);
  const minCreditCents = rules.minCreditPctOfWidth * widthPoints * 100;
  const credit = rawMid > 0 ? roundToTick('SPX-COMBO', rawMid, 'down') : priceCents(0);
  lines.push(
    `credit: leg mids ${legs.map((l) => `${sign(l) > 0 ? '+' : '-'}${formatPrice(Math.round(midCents(l.quote)))}`).join(' ')} = ` +
      `${(rawMid / 100).toFixed(3)} -> ${formatPrice(credit)} on the 0.05 tick (natural ${formatPrice(natural)}); ` +
      `minimum ${(rules.minCreditPctOfWidth * 100).toFixed(1)}% x ${widthPoints} = ${(minCreditCents / 100).toFixed(3)}`,
  );
  if (credit <= 0 || credit < minCreditCents - 1e-9) {
    const detail = `credit ${formatPrice(credit)} < minimum ${(minCreditCents / 100).toFixed(3)} (${(rules.minCreditPctOfWidth * 100).toFixed(1)}% of ${widthPoints})`;
    return err({ reason: 'thin-credit', detail, lines });
  }
  if (credit >= widthPoints * 100) {
    return err({
      reason: 'bad-quotes',
      detail: `credit ${formatPrice(credit)} >= width ${widthPoints}`,
      lines,
    });
  }
  const maxLoss: Cents = cents((widthPoints * 100 - credit) * SPXW_MULTIPLIER);
  const selection = buildSelection(ix, atm, s, widthPoints, credit, priceCents(natural), maxLoss, emPoints);
  lines.push(
    `max loss = (${widthPoints} - ${formatPrice(credit)}) x 100 = ${formatCents(maxLoss)} per contract; ` +
      `break-evens ${selection.breakEvenLow.toFixed(2)} / ${selection.breakEvenHigh.toFixed(2)}`,
  );
  return ok({ selection, legs, rawMidCents: rawMid, minCreditCents, lines });
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
