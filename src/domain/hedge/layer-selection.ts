// Where a new layer of a template goes: the listed VIX expiry inside the template's window nearest its
// target DTE, and for each strike the nearest listed strike at or above the rule's level.
import type { IsoDate } from '../instruments.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';
import type { VixOptionChain } from '../snapshot.ts';
import type { LayerTemplate } from '../strategy.ts';
import type { LayerProblem, LayerSpec } from './layer-market.ts';

export interface ExpiryChoice {
  readonly chain: VixOptionChain;
  readonly dte: number;
}

export interface LayerChoice {
  readonly spec: LayerSpec;
  readonly dte: number;
  /** The VIX future of the chosen expiry, which the strike rule adds its points to. */
  readonly future: number;
  /** The rule's strike levels (future + otm points), before rounding up to listed strikes. */
  readonly levels: readonly number[];
}

export interface SelectionRules {
  readonly tradingClasses: readonly ('VIX' | 'VIXW')[];
  readonly minHedgeDte: number;
  readonly daysToExpiry: (expiry: IsoDate) => number;
}

/** Nearest targetDte inside [lo, hi] (and >= minHedgeDte); ties go to the later expiry, then monthly VIX. */
export function chooseExpiry(
  template: LayerTemplate,
  chains: readonly VixOptionChain[],
  rules: SelectionRules,
): ExpiryChoice | null {
  const [lo, hi] = template.dteWindow;
  let best: ExpiryChoice | null = null;
  for (const chain of chains) {
    if (!rules.tradingClasses.includes(chain.tradingClass)) continue;
    const dte = rules.daysToExpiry(chain.expiry);
    if (dte < lo || dte > hi || dte < rules.minHedgeDte) continue;
    if (!chain.quotes.some((q) => q.right === 'C')) continue;
    if (best === null || better({ chain, dte }, best, template.targetDte)) best = { chain, dte };
  }
  return best;
}

function better(a: ExpiryChoice, b: ExpiryChoice, target: number): boolean {
  const da = Math.abs(a.dte - target);
  const db = Math.abs(b.dte - target);
  if (da !== db) return da < db;
  if (a.dte !== b.dte) return a.dte > b.dte;
  return a.chain.tradingClass === 'VIX' && b.chain.tradingClass !== 'VIX';
}

/** Listed call strikes of a chain, ascending, each once. */
export function listedCallStrikes(chain: VixOptionChain): number[] {
  const set = new Set<number>();
  for (const q of chain.quotes) if (q.right === 'C') set.add(q.strike);
  return [...set].sort((a, b) => a - b);
}

/** The nearest listed strike at or above a level (with a hair of float tolerance), or null. */
export function strikeAtOrAbove(strikes: readonly number[], level: number): number | null {
  for (const k of strikes) if (k >= level - 1e-9) return k;
  return null;
}

function strikesFor(
  template: LayerTemplate,
  chain: VixOptionChain,
): Result<{ long: number; short: number | null; levels: number[] }, LayerProblem> {
  const strikes = listedCallStrikes(chain);
  const f = chain.futurePrice;
  if (template.kind === 'call') {
    const level = f + template.otmPoints;
    const long = strikeAtOrAbove(strikes, level);
    if (long === null) return err({ kind: 'no-strike', future: f, otmPoints: [template.otmPoints] });
    return ok({ long, short: null, levels: [level] });
  }
  const longLevel = f + template.longOtmPoints;
  const shortLevel = f + template.shortOtmPoints;
  const long = strikeAtOrAbove(strikes, longLevel);
  // The short strike must sit above the long one even where listed strikes are sparse.
  const short = strikeAtOrAbove(
    strikes.filter((k) => long !== null && k > long),
    shortLevel,
  );
  if (long === null || short === null)
    return err({
      kind: 'no-strike',
      future: f,
      otmPoints: [template.longOtmPoints, template.shortOtmPoints],
    });
  return ok({ long, short, levels: [longLevel, shortLevel] });
}

/** Chooses expiry and strikes for a new layer of the template; an error says why there is none. */
export function selectLayer(
  template: LayerTemplate,
  chains: readonly VixOptionChain[],
  rules: SelectionRules,
): Result<LayerChoice, LayerProblem> {
  const expiry = chooseExpiry(template, chains, rules);
  if (expiry === null) {
    return err({
      kind: 'no-expiry-in-window',
      tradingClasses: rules.tradingClasses,
      window: template.dteWindow,
      minHedgeDte: rules.minHedgeDte,
    });
  }
  const strikes = strikesFor(template, expiry.chain);
  if (!strikes.ok) return strikes;
  const { long, short, levels } = strikes.value;
  const spec: LayerSpec = {
    kind: template.kind,
    tradingClass: expiry.chain.tradingClass,
    expiry: expiry.chain.expiry,
    longStrike: long,
    shortStrike: short,
  };
  return ok({ spec, dte: expiry.dte, future: expiry.chain.futurePrice, levels });
}
