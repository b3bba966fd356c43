// The strategy's money caps resolved to cents for one cycle (docs/strategy.md section 3, risk caps):
// a fixed amount as written, a share of net liquidation against the snapshot's account.
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';
import type { AccountState } from '../snapshot.ts';
import type { MoneyCap, StrategyConfig } from '../strategy.ts';

export type RiskCapName = 'maxRiskPerCycle' | 'maxHedgePremiumPerCycle';

export type CapSource =
  | { readonly kind: 'fixed' }
  | { readonly kind: 'pctOfNetLiq'; readonly pct: number; readonly netLiquidationCents: Cents };

export interface ResolvedCap {
  readonly name: RiskCapName;
  readonly cents: Cents;
  readonly source: CapSource;
}

export interface RiskCaps {
  readonly maxRiskPerCycle: ResolvedCap;
  readonly maxHedgePremiumPerCycle: ResolvedCap;
}

/** Why a share-of-net-liquidation cap has no dollar figure this cycle. */
export interface UnresolvedCaps {
  readonly caps: readonly RiskCapName[];
  /** The snapshot's net liquidation; null when the snapshot carries no account. */
  readonly netLiquidationCents: Cents | null;
}

/** True when the cap is a share of net liquidation. */
export function isPctCap(cap: MoneyCap): cap is { readonly pctOfNetLiq: number } {
  return typeof cap !== 'number';
}

/** Whole cents, rounded down: a cap never resolves above its share. */
function capCents(pct: number, netLiquidation: Cents): Cents {
  return cents(Math.floor(pct * netLiquidation + 1e-9));
}

/** Resolves both caps; a share cap without a positive net liquidation fails, naming the caps. */
export function resolveRiskCaps(
  strategy: StrategyConfig,
  account: AccountState | null,
): Result<RiskCaps, UnresolvedCaps> {
  const netLiq = account?.netLiquidation ?? null;
  const missing: RiskCapName[] = [];
  const resolve = (name: RiskCapName, cap: MoneyCap): ResolvedCap => {
    if (!isPctCap(cap)) return { name, cents: cap, source: { kind: 'fixed' } };
    if (netLiq === null || netLiq <= 0) {
      missing.push(name);
      return { name, cents: cents(0), source: { kind: 'fixed' } };
    }
    const source: CapSource = { kind: 'pctOfNetLiq', pct: cap.pctOfNetLiq, netLiquidationCents: netLiq };
    return { name, cents: capCents(cap.pctOfNetLiq, netLiq), source };
  };
  const caps: RiskCaps = {
    maxRiskPerCycle: resolve('maxRiskPerCycle', strategy.condor.maxRiskPerCycle),
    maxHedgePremiumPerCycle: resolve('maxHedgePremiumPerCycle', strategy.sizing.maxHedgePremiumPerCycle),
  };
  return missing.length === 0 ? ok(caps) : err({ caps: missing, netLiquidationCents: netLiq });
}
