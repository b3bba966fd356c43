// What-if: the margin and commission an order would add to the account, never booked. The venue
// answers it as IB does, with one openOrder carrying the numbers (or a refusal under a fault).
import type { SimMargin } from '../engine-api.ts';
import type { FeeSchedule, LegMarket } from './fill-model.ts';
import { allocateLegPrices, comboMarket, commissionFor } from './fill-model.ts';
import type { Ledger } from './ledger.ts';
import type { MarginLine } from './margin.ts';
import { portfolioRequirement } from './margin.ts';
import type { CheckedOrder } from './validation.ts';

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** The margin before, the change and after, if this order filled at its limit (or the mid). */
export function whatIfMargin(
  o: CheckedOrder,
  ledger: Ledger,
  lm: readonly LegMarket[] | null,
  fees: FeeSchedule,
): SimMargin {
  const req = o.request;
  const before = ledger.marginLines();
  const dir = req.action === 'BUY' ? 1 : -1;
  let netCents: number;
  if (req.lmtPrice !== null && req.orderType === 'LMT') netCents = Math.round(req.lmtPrice * 100);
  else netCents = lm === null ? 0 : Math.round(comboMarket(lm, req.action).mid);
  const legPrices =
    lm === null ? o.legs.map(() => 0) : o.isBag ? allocateLegPrices(netCents, lm, req.action) : [netCents];
  const added: MarginLine[] = o.legs.map((l, i) => ({
    contract: l.contract,
    position: dir * l.sign * l.ratio * req.totalQuantity,
    mark: legPrices[i]! / 100,
  }));
  const reqBefore = portfolioRequirement(before, ledger.underlyingOf);
  const reqAfter = portfolioRequirement([...before, ...added], ledger.underlyingOf);
  const commission = o.legs.reduce(
    (s, l) => s + commissionFor(l.contract, l.ratio * req.totalQuantity, fees),
    0,
  );
  const equity = ledger.accountNumbers()['EquityWithLoanValue'] ?? 0;
  return {
    initMarginBefore: r2(reqBefore),
    maintMarginBefore: r2(reqBefore),
    equityWithLoanBefore: r2(equity),
    initMarginChange: r2(reqAfter - reqBefore),
    maintMarginChange: r2(reqAfter - reqBefore),
    equityWithLoanChange: r2(-commission),
    initMarginAfter: r2(reqAfter),
    maintMarginAfter: r2(reqAfter),
    equityWithLoanAfter: r2(equity - commission),
    commission: r2(commission),
  };
}
