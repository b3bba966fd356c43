// Fills counted from executions only: each execId once (IB repeats and corrects them), each
// execution matched to the plan leg it traded, combo units complete only when every leg filled.
import type { ExecutionReport } from '../broker-reports.ts';
import type { PlanOrder } from '../plan/types.ts';
import type { FillRecord } from './types.ts';

/** The plan leg an execution traded: its index, 'combo' for a BAG-level execution, null for none. */
export function matchLeg(order: PlanOrder, e: FillSource): number | 'combo' | null {
  const c = e.contract;
  if (c.kind === 'combo') return 'combo';
  if (order.legs.length === 1) return 0;
  if (c.kind !== 'option') return null;
  const i = order.legs.findIndex(
    (l) =>
      l.contract.symbol === c.contract.symbol &&
      l.contract.expiry === c.contract.expiry &&
      l.contract.strike === c.contract.strike &&
      l.contract.right === c.contract.right,
  );
  return i < 0 ? null : i;
}

/** What counting a fill needs of an execution (an ExecutionReport, or a journal's fill). */
export type FillSource = Pick<
  ExecutionReport,
  'execId' | 'contract' | 'side' | 'quantity' | 'price' | 'timeMs'
>;

export function fillRecord(order: PlanOrder, e: FillSource): FillRecord {
  return {
    execId: e.execId,
    leg: matchLeg(order, e),
    side: e.side,
    quantity: e.quantity,
    price: e.price,
    timeMs: e.timeMs,
  };
}

/** Adds the execution unless its execId is already counted; returns whether it was new. */
export function addFill(fills: FillRecord[], order: PlanOrder, e: FillSource): boolean {
  if (fills.some((f) => f.execId === e.execId)) return false;
  fills.push(fillRecord(order, e));
  return true;
}

/** Whole units of the order filled: a combo counts a unit once every leg has its ratio filled. */
export function filledUnits(order: PlanOrder, fills: readonly FillRecord[]): number {
  const legTotals = order.legs.map(() => 0);
  let combo = 0;
  let anyLeg = false;
  for (const f of fills) {
    if (f.leg === 'combo') combo += f.quantity;
    else if (f.leg !== null) {
      legTotals[f.leg] = (legTotals[f.leg] ?? 0) + f.quantity;
      anyLeg = true;
    }
  }
  if (!anyLeg) return order.legs.length > 1 ? Math.floor(combo) : 0;
  return Math.min(...order.legs.map((l, i) => Math.floor((legTotals[i] ?? 0) / l.ratio)));
}

/** Units filled when every leg has filled exactly its ratio per unit (no leg ahead of another); else null. */
export function balancedUnits(order: PlanOrder, fills: readonly FillRecord[]): number | null {
  const totals = order.legs.map((_l, i) =>
    fills.filter((f) => f.leg === i).reduce((s, f) => s + f.quantity, 0),
  );
  const units = filledUnits(order, fills);
  if (totals.every((t, i) => t === units * (order.legs[i]?.ratio ?? 1))) return units;
  return fills.some((f) => typeof f.leg === 'number') ? null : units;
}

/** IB's avgFillPrice (decimal, signed as IB signs the limit) as a positive magnitude on the ladder side. */
export function sideMagnitude(order: PlanOrder, ibAvgFillPrice: number): number {
  const paid = (order.action === 'BUY' ? 1 : -1) * ibAvgFillPrice * 100;
  return order.ladder.side === 'credit' ? -paid : paid;
}

/**
 * Average price per unit of the fills as a positive magnitude on the order's ladder side (what a
 * debit paid, what a credit received), price cents; null without fills.
 */
export function averageUnitPrice(order: PlanOrder, fills: readonly FillRecord[]): number | null {
  const credit = order.ladder.side === 'credit';
  const legFills = fills.filter((f) => typeof f.leg === 'number');
  if (legFills.length > 0) {
    let paid = 0;
    for (let i = 0; i < order.legs.length; i++) {
      const own = legFills.filter((f) => f.leg === i);
      const qty = own.reduce((s, f) => s + f.quantity, 0);
      if (qty === 0) return null;
      // A leg's price per unit of the order, signed as paid: bought legs cost, sold legs pay.
      const signedValue = own.reduce((s, f) => s + (f.side === 'BOT' ? 1 : -1) * f.price * f.quantity, 0);
      paid += (signedValue / qty) * (order.legs[i]?.ratio ?? 1);
    }
    return credit ? -paid : paid;
  }
  const combo = fills.filter((f) => f.leg === 'combo');
  const qty = combo.reduce((s, f) => s + f.quantity, 0);
  if (qty === 0) return null;
  // A BAG-level execution carries the net as IB signs the order's limit (BUY at -credit).
  const net = combo.reduce((s, f) => s + f.price * f.quantity, 0) / qty;
  const paidNet = order.action === 'BUY' ? net : -net;
  return credit ? -paidNet : paidNet;
}
