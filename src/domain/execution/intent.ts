// A plan order as the broker is asked for it: one option, or one BAG of its legs, limit signed as
// IB signs it. The executor's commands carry the plan's fields; this is their one translation.
import type { BrokerContract, OrderIntent } from '../broker-reports.ts';
import type { PriceCents } from '../money.ts';
import { priceCents } from '../money.ts';
import type { PlanLeg, PlanOrder } from '../plan/types.ts';

export function brokerContractOf(legs: readonly PlanLeg[]): BrokerContract {
  const [first] = legs;
  if (first === undefined) throw new Error('an order without legs');
  if (legs.length === 1) return { kind: 'single', contract: first.contract };
  return {
    kind: 'combo',
    symbol: first.contract.symbol,
    legs: legs.map((l) => ({ contract: l.contract, action: l.action, ratio: l.ratio })),
  };
}

export interface IntentFields {
  readonly orderId: number;
  readonly orderRef: string;
  readonly account: string;
  readonly legs: readonly PlanLeg[];
  readonly action: OrderIntent['action'];
  readonly quantity: number;
  readonly limitPrice: PriceCents;
}

export function orderIntentOf(f: IntentFields): OrderIntent {
  return {
    orderId: f.orderId,
    orderRef: f.orderRef,
    account: f.account,
    contract: brokerContractOf(f.legs),
    action: f.action,
    quantity: f.quantity,
    limitPrice: f.limitPrice,
  };
}

/** A plan order as IB's what-if is asked for it: its first ladder step, signed as IB signs it, no order id. */
export function whatIfIntentOf(o: PlanOrder, account: string): Omit<OrderIntent, 'orderId'> {
  const magnitude = o.ladder.prices[0] ?? o.ladder.floor;
  const { orderId: _none, ...intent } = orderIntentOf({
    orderId: 0,
    orderRef: '',
    account,
    legs: o.legs,
    action: o.action,
    quantity: o.quantity,
    limitPrice: o.kind === 'condor-open' ? priceCents(0 - magnitude) : magnitude,
  });
  return intent;
}
