// Broker events as IB sends them for the executor's tests: statuses, per-leg executions of a fill
// (legs priced so the net is the fill's unit price), commissions.
import type { ExecutionReport, IbOrderStatus } from '../../../../src/domain/broker-reports.ts';
import { priceCents } from '../../../../src/domain/money.ts';
import type { Plan, PlanOrder } from '../../../../src/domain/plan/types.ts';
import type { ExecEvent } from '../../../../src/domain/execution/types.ts';
import { legQuotes } from './exec-fixture.ts';

export function planOrder(plan: Plan, key: string): PlanOrder {
  const o = plan.orders.find((x) => x.key === key);
  if (o === undefined) throw new Error(`no order ${key}`);
  return o;
}

export const status = (
  atMs: number,
  orderId: number,
  s: IbOrderStatus,
  filled = 0,
  remaining = 0,
  avgFillPrice: number | null = null,
): ExecEvent => ({ type: 'order-status', atMs, orderId, status: s, filled, remaining, avgFillPrice });

export interface FillArgs {
  readonly plan: Plan;
  readonly orderKey: string;
  readonly orderId: number;
  readonly orderRef: string;
  readonly quantity: number;
  /** Net per unit as a positive magnitude on the order's ladder side (credit received / debit paid). */
  readonly unitPrice: number;
  /** Distinguishes fills: execIds are `<tag>.<leg>`. */
  readonly tag: string;
  readonly atMs: number;
  /** Cumulative filled of the order after this fill (IB's cumQty). */
  readonly cumQuantity?: number;
}

/** The per-leg executions of one fill of `quantity` units at `unitPrice`. */
export function fillReports(a: FillArgs): ExecutionReport[] {
  const order = planOrder(a.plan, a.orderKey);
  const mids = legQuotes(a.orderKey).map((q) => ((q.bid ?? 0) + (q.ask ?? 0)) / 2);
  const bought = order.legs.map((l) => (l.action === 'BUY') === (order.action === 'BUY'));
  const paid = order.ladder.side === 'debit' ? a.unitPrice : -a.unitPrice;
  const rest = order.legs.reduce((s, _l, i) => (i === 0 ? s : s + (bought[i] ? 1 : -1) * (mids[i] ?? 0)), 0);
  const first = (paid - rest) / (bought[0] ? 1 : -1);
  return order.legs.map((l, i) => ({
    execId: `${a.tag}.${i + 1}`,
    orderId: a.orderId,
    permId: 1000 + a.orderId,
    clientId: 1,
    orderRef: a.orderRef,
    account: 'DU1234567',
    contract: { kind: 'option', contract: l.contract },
    side: bought[i] ? 'BOT' : 'SLD',
    quantity: a.quantity * l.ratio,
    price: priceCents(Math.round(i === 0 ? first : (mids[i] ?? 0))),
    cumQuantity: a.cumQuantity ?? a.quantity,
    timeMs: a.atMs,
  }));
}

export function fillEvents(a: FillArgs): ExecEvent[] {
  return fillReports(a).map((execution) => ({ type: 'execution', atMs: a.atMs, execution }));
}
