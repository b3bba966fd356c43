// Estimated commissions and fees of a plan, from the strategy's per-contract schedule: every leg of
// every order pays the fee once (cash-settled expiry costs nothing more). An estimate for the
// preview: the sizing rules of docs/strategy.md count no commission.
import { SPXW_MULTIPLIER } from '../instruments.ts';
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import type { StrategyConfig } from '../strategy.ts';
import type { CondorSelection, PlanOrder } from './types.ts';

export interface CommissionEstimate {
  readonly spxOptionPerContractCents: Cents;
  readonly vixOptionPerContractCents: Cents;
  /** One condor (four SPXW legs). */
  readonly condorPerContractCents: Cents;
  /** The condor order: four legs x quantity. */
  readonly condorCents: Cents;
  /** Every hedge order (new layers, rolls, trims): legs x quantity. */
  readonly hedgeCents: Cents;
  readonly totalCents: Cents;
}

/** The condor's figures after commissions, per contract (credit at the mid). */
export interface CondorNet {
  readonly creditPerContractCents: Cents;
  readonly maxLossPerContractCents: Cents;
  readonly breakEvenLow: number;
  readonly breakEvenHigh: number;
}

function orderCents(o: PlanOrder, fees: StrategyConfig['commissions']): number {
  return o.legs.reduce((s, l) => {
    const fee = l.contract.symbol === 'SPX' ? fees.spxOptionPerContract : fees.vixOptionPerContract;
    return s + fee * l.ratio * o.quantity;
  }, 0);
}

export function commissionEstimate(
  orders: readonly PlanOrder[],
  fees: StrategyConfig['commissions'],
): CommissionEstimate {
  const condorCents = orders
    .filter((o) => o.kind === 'condor-open')
    .reduce((s, o) => s + orderCents(o, fees), 0);
  const hedgeCents = orders
    .filter((o) => o.kind !== 'condor-open')
    .reduce((s, o) => s + orderCents(o, fees), 0);
  return {
    spxOptionPerContractCents: fees.spxOptionPerContract,
    vixOptionPerContractCents: fees.vixOptionPerContract,
    condorPerContractCents: cents(4 * fees.spxOptionPerContract),
    condorCents: cents(condorCents),
    hedgeCents: cents(hedgeCents),
    totalCents: cents(condorCents + hedgeCents),
  };
}

/** Credit, max loss and break-evens of one condor after its four legs' commissions. */
export function condorNet(c: CondorSelection, perContract: Cents): CondorNet {
  const credit = c.credit * SPXW_MULTIPLIER - perContract;
  const netPoints = credit / 100 / SPXW_MULTIPLIER;
  return {
    creditPerContractCents: cents(credit),
    maxLossPerContractCents: cents(c.maxLossPerContract + perContract),
    breakEvenLow: c.shortPut - netPoints,
    breakEvenHigh: c.shortCall + netPoints,
  };
}
