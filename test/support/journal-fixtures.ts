// Plans, intents and executions for journal and reconciliation tests (and the journal benchmark):
// a real plan from the planner, orders built from its orders as the executor sends them, and
// per-leg executions as IB reports a combo fill.
import type { BrokerContract, ExecutionReport, OrderReport } from '../../src/domain/broker-reports.ts';
import { formatOrderRef } from '../../src/domain/execution/order-ref.ts';
import type { JournalIntent } from '../../src/domain/journal-view.ts';
import { priceCents } from '../../src/domain/money.ts';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import type { Plan, PlanOrder } from '../../src/domain/plan/types.ts';
import { defaultStrategy } from './default-strategy.ts';
import { makeSnapshot, testCalendar } from './snapshot-factory.ts';

export const ACCOUNT = 'DU1234567';

let cached: Plan | null = null;

/** A trade plan from the planner: two hedge layers (a VIX call, a VIX call spread) and the condor. */
export function samplePlan(): Plan {
  cached ??= buildPlan({
    snapshot: makeSnapshot(),
    strategy: defaultStrategy(),
    calendar: testCalendar(),
    mode: 'sim',
  });
  return cached;
}

/** The sample plan under another id and cycle date (its orders unchanged). */
export function planAs(planId: string, cycleDate: string = samplePlan().cycleDate): Plan {
  return { ...samplePlan(), planId, cycleDate };
}

export function orderOf(plan: Plan, key: string): PlanOrder {
  const o = plan.orders.find((x) => x.key === key);
  if (o === undefined) throw new Error(`plan has no order ${key}`);
  return o;
}

export function contractOf(o: PlanOrder): BrokerContract {
  const first = o.legs[0]!;
  if (o.legs.length === 1) return { kind: 'single', contract: first.contract };
  return { kind: 'combo', symbol: first.contract.symbol, legs: o.legs };
}

/** The intent the executor journals for an order of the plan. */
export function intentFor(
  plan: Plan,
  orderKey: string,
  orderId: number,
  opts: { readonly attempt?: number; readonly quantity?: number } = {},
): JournalIntent {
  const o = orderOf(plan, orderKey);
  const attempt = opts.attempt ?? 1;
  return {
    orderId,
    orderRef: formatOrderRef({ planId: plan.planId, orderKey, attempt }),
    account: ACCOUNT,
    contract: contractOf(o),
    action: o.action,
    quantity: opts.quantity ?? o.quantity,
    limitPrice: priceCents(o.ibLimitPriceCents[0] ?? 0),
    planId: plan.planId,
    orderKey,
    attempt,
  };
}

/**
 * IB's executions of `quantity` units of the order: one per leg (leg side from the order action and
 * the leg action), each at its own price, all carrying the order's id, permId and orderRef.
 */
export function legExecutions(
  intent: JournalIntent,
  quantity: number,
  opts: {
    readonly permId: number;
    readonly execPrefix: string;
    readonly timeMs: number;
    readonly cumQuantity?: number;
  },
): ExecutionReport[] {
  const legs =
    intent.contract.kind === 'single'
      ? [{ contract: intent.contract.contract, action: 'BUY' as const, ratio: 1 }]
      : intent.contract.legs;
  return legs.map((leg, i) => {
    const buys = (intent.action === 'BUY') === (leg.action === 'BUY');
    return {
      execId: `${opts.execPrefix}.${String(i + 1).padStart(2, '0')}.01`,
      orderId: intent.orderId,
      permId: opts.permId,
      clientId: 17,
      orderRef: intent.orderRef,
      account: intent.account,
      contract: { kind: 'option', contract: leg.contract },
      side: buys ? 'BOT' : 'SLD',
      quantity: quantity * leg.ratio,
      price: priceCents(Math.max(5, Math.abs(intent.limitPrice) - 10 * i)),
      cumQuantity: (opts.cumQuantity ?? quantity) * leg.ratio,
      timeMs: opts.timeMs,
    };
  });
}

/** IB's report of the order (open or completed) in a given state. */
export function orderReport(
  intent: JournalIntent,
  s: { readonly permId: number; readonly status: OrderReport['status']; readonly filled: number },
): OrderReport {
  return {
    orderId: intent.orderId,
    permId: s.permId,
    clientId: 17,
    orderRef: intent.orderRef,
    account: intent.account,
    contract: intent.contract,
    action: intent.action,
    quantity: intent.quantity,
    limitPrice: intent.limitPrice,
    status: s.status,
    filled: s.filled,
    remaining: intent.quantity - s.filled,
  };
}
