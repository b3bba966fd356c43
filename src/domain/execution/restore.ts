// Restore after a crash: the machine rebuilt from what the journal holds once reconcile has brought
// it up to date, so a restarted process finishes the plan without sending anything twice. Every ref
// the journal knows stays spent (a new attempt takes the next number); an order the journal wrote
// but IB never confirmed is 'unknown' and blocks every send until reconcile answers for it.
import type { CommissionReport, IbOrderStatus } from '../broker-reports.ts';
import type { PriceCents } from '../money.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';
import type { Plan } from '../plan/types.ts';
import { planOrderOf } from './coverage.ts';
import { initial } from './executor.ts';
import type { FillSource } from './fills.ts';
import { addFill, averageUnitPrice, balancedUnits } from './fills.ts';
import { isFinalPhase, nextPhase } from './order-state.ts';
import { parseOrderRef } from './order-ref.ts';
import type { ExecState, ExecutorConfig, Track } from './types.ts';
import { DEFAULT_EXECUTOR_CONFIG } from './types.ts';

/** One order as the journal holds it after reconcile. */
export interface JournaledOrder {
  readonly orderRef: string;
  readonly orderId: number | null;
  /** The last intent journaled (a modify's quantity and limit included), IB's signed limit. */
  readonly quantity: number;
  readonly limitPrice: PriceCents;
  /** When the first intent of this ref was journaled. */
  readonly sentAtMs: number;
  /** IB's status as last reported; null when IB never confirmed the order. */
  readonly status: IbOrderStatus | null;
  readonly filled: number;
  /** Reconcile proved that IB does not hold it. */
  readonly absent: boolean;
  /** The submit's refusal as journaled (IB's code and text), or null. */
  readonly refusal: { readonly code: number; readonly text: string } | null;
}

export interface RestoreInput {
  readonly plan: Plan;
  readonly orders: readonly JournaledOrder[];
  /** The orders' executions (an ExecutionReport or a journal's fill; matched by orderRef). */
  readonly executions: readonly (FillSource & { readonly orderRef: string; readonly orderId?: number })[];
  readonly commissions: readonly CommissionReport[];
  readonly nowMs: number;
  readonly config?: ExecutorConfig;
}

function restoredTrack(o: JournaledOrder, attempt: number, nowMs: number): Track {
  const reported = o.status === null ? null : nextPhase('sending', `status:${o.status}`);
  // A refusal is final; a proof of absence beats a status that was not final; no word from IB: unknown.
  const phase =
    o.refusal !== null
      ? 'refused'
      : o.absent && (reported === null || !isFinalPhase(reported))
        ? 'absent'
        : (reported ?? 'unknown');
  return {
    attempt,
    orderRef: o.orderRef,
    orderId: o.orderId,
    phase,
    quantity: o.quantity,
    limit: o.limitPrice,
    pending: null,
    unresolved: phase === 'unknown' ? 'submit' : null,
    unresolvedQuantity: 0,
    unresolvedFromRequestId: 0,
    cancelSentAtMs: null,
    cancelReason: null,
    cancelRefused: false,
    statusFilled: o.filled,
    fills: [],
    avgFill: null,
    finalAtMs: isFinalPhase(phase) ? nowMs : null,
    // Reconcile ran before restore: for an order already final, its executions are all IB has.
    executionsReconciled: isFinalPhase(phase),
    refusal: o.refusal === null ? null : { code: o.refusal.code, text: o.refusal.text },
    lastError: null,
    sentAtMs: o.sentAtMs,
  };
}

/**
 * The state of a plan in flight, from the journal. The plan was journaled before its first order,
 * so it is the plan as built; its pre-flight passed then and is not repeated. Errors name journal
 * rows that do not belong to the plan.
 */
export function restore(input: RestoreInput): Result<ExecState, readonly string[]> {
  const { plan, nowMs } = input;
  const s = initial(plan, input.config ?? DEFAULT_EXECUTOR_CONFIG);
  const problems: string[] = [];
  const rows = input.orders
    .map((o) => ({ o, ref: parseOrderRef(o.orderRef) }))
    .sort((a, b) => (a.ref.ok && b.ref.ok ? a.ref.value.attempt - b.ref.value.attempt : 0));
  for (const { o, ref } of rows) {
    if (!ref.ok) {
      problems.push(ref.error);
      continue;
    }
    if (ref.value.planId !== plan.planId) {
      problems.push(`order ${o.orderRef} belongs to plan ${ref.value.planId}, not ${plan.planId}`);
      continue;
    }
    const slot = s.slots.find((x) => x.orderKey === ref.value.orderKey);
    if (slot === undefined) {
      problems.push(`order ${o.orderRef}: plan ${plan.planId} has no order ${ref.value.orderKey}`);
      continue;
    }
    if (slot.tracks.some((t) => t.attempt === ref.value.attempt)) {
      problems.push(`order ${o.orderRef} appears twice in the journal`);
      continue;
    }
    slot.tracks.push(restoredTrack(o, ref.value.attempt, nowMs));
    s.sentRefs.push(o.orderRef);
  }
  if (problems.length > 0) return err(problems);
  for (const slot of s.slots) {
    const order = planOrderOf(s, slot);
    for (const t of slot.tracks) {
      for (const x of input.executions)
        if (x.orderRef === '' ? t.orderId !== null && x.orderId === t.orderId : x.orderRef === t.orderRef)
          addFill(t.fills, order, x);
      const units = balancedUnits(order, t.fills);
      const price = averageUnitPrice(order, t.fills);
      if (units !== null && units > 0 && price !== null) t.avgFill = { units, price };
    }
  }
  for (const c of input.commissions)
    if (!s.commissions.some((k) => k.execId === c.execId))
      s.commissions.push({ execId: c.execId, commission: c.commission });
  const firstSent = Math.min(nowMs, ...rows.map((r) => r.o.sentAtMs));
  for (const slot of s.slots) {
    if (slot.tracks.length === 0) continue;
    const order = planOrderOf(s, slot);
    const first = Math.min(...slot.tracks.map((t) => t.sentAtMs));
    const intervalMs = order.ladder.intervalSeconds * 1000;
    const due = Math.min(order.ladder.steps - 1, Math.floor((nowMs - first) / Math.max(1, intervalMs)));
    slot.firstSentAtMs = first;
    // The step that is due now is re-priced at once from a fresh quote.
    slot.step = Math.max(0, due - 1);
    slot.nextStepAtMs = due >= 1 ? nowMs : order.ladder.steps > 1 ? first + intervalMs : null;
  }
  return ok({ ...s, started: true, startedAtMs: firstSent, nowMs });
}
