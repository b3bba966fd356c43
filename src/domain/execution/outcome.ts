// How a plan ended, per order and as a whole: COMPLETE, PARTIAL or ABORTED with its reason.
import { formatCents } from '../money.ts';
import { allowedCondorContracts, coverageCents, planOrderOf, trackUnits } from './coverage.ts';
import { averageUnitPrice } from './fills.ts';
import type { ExecState, ExecutionOutcome, OrderResult, Slot, Track } from './types.ts';

export function orderResult(s: ExecState, slot: Slot): OrderResult {
  const order = planOrderOf(s, slot);
  const fills = slot.tracks.flatMap((t) => t.fills);
  const filled = slot.tracks.reduce((n, t) => n + trackUnits(order, t), 0);
  const reportedFilled = slot.tracks.reduce((n, t) => n + Math.max(t.statusFilled, trackUnits(order, t)), 0);
  const last = slot.tracks.at(-1);
  const execIds = new Set(fills.map((f) => f.execId));
  const commissionCents = s.commissions
    .filter((c) => execIds.has(c.execId))
    .reduce((n, c) => n + c.commission, 0);
  const average = averageUnitPrice(order, fills);
  return {
    orderKey: slot.orderKey,
    kind: slot.kind,
    quantity: slot.quantity,
    filled,
    reportedFilled,
    attempts: slot.tracks.length,
    phase: last?.phase ?? 'not-sent',
    averagePrice: average === null ? null : Math.round(average * 100) / 100,
    commissionCents,
    note: orderNote(s, slot, filled, last),
  };
}

export function orderNote(s: ExecState, slot: Slot, filled: number, last: Track | undefined): string {
  if (filled >= slot.quantity) return `filled ${filled}`;
  if (last === undefined) {
    if (slot.kind === 'condor-open')
      return `not released: filled coverage ${formatCents(coverageCents(s))} allows ${allowedCondorContracts(s)} of ${slot.quantity}`;
    return s.abortReason !== null ? 'not sent: aborted' : 'not sent before its deadline';
  }
  const head = `filled ${filled} of ${slot.quantity}`;
  if (last.refusal !== null) return `${head}: refused by IB (${last.refusal.code} ${last.refusal.text})`;
  if (last.phase === 'inactive')
    return `${head}: IB made it inactive${last.lastError === null ? '' : ` (${last.lastError.code} ${last.lastError.text})`}`;
  if (last.phase === 'absent') return `${head}: IB does not hold it`;
  if (last.phase === 'cancelled' && last.cancelReason === null)
    return `${head}: cancelled by IB${last.lastError === null ? '' : ` (${last.lastError.code} ${last.lastError.text})`}`;
  if (s.abortReason !== null) return `${head}: aborted`;
  if (slot.kind === 'condor-open' && s.nowMs < slot.deadlineMs)
    return `${head}: filled coverage ${formatCents(coverageCents(s))} allows ${allowedCondorContracts(s)}`;
  return `${head} by its deadline`;
}

export function outcomeOf(s: ExecState): ExecutionOutcome {
  const orders = s.slots.map((slot) => orderResult(s, slot));
  const condor = orders.find((o) => o.kind === 'condor-open');
  const base = {
    planId: s.planId,
    orders,
    coverageCents: coverageCents(s),
    condorFilled: condor?.filled ?? 0,
    condorPlanned: condor?.quantity ?? 0,
    failedChecks: [],
  };
  const short = orders.filter((o) => o.filled < o.quantity);
  const shortText = short.map((o) => `${o.orderKey} ${o.note}`).join('; ');
  const aborted = s.abortReason === null ? '' : `aborted (${s.abortReason}): `;
  if (orders.length === 0)
    return { ...base, kind: 'COMPLETE', reason: 'the plan has no orders: nothing to send' };
  if (short.length === 0) return { ...base, kind: 'COMPLETE', reason: `all ${orders.length} orders filled` };
  if (orders.every((o) => o.filled === 0))
    return { ...base, kind: 'ABORTED', reason: `${aborted}nothing filled: ${shortText}` };
  return { ...base, kind: 'PARTIAL', reason: `${aborted}${shortText}; filled hedges stay in the book` };
}

export function abortedOutcome(
  s: ExecState,
  failures: readonly { id: string; detail: string }[],
): ExecutionOutcome {
  return {
    kind: 'ABORTED',
    reason: `pre-flight failed, nothing sent: ${failures.map((f) => `${f.id}: ${f.detail}`).join('; ')}`,
    planId: s.planId,
    orders: s.slots.map((slot) => orderResult(s, slot)),
    coverageCents: coverageCents(s),
    condorFilled: 0,
    condorPlanned: s.slots.find((x) => x.kind === 'condor-open')?.quantity ?? 0,
    failedChecks: failures.map((f) => ({ id: f.id, detail: f.detail })),
  };
}
