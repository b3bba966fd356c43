// What the executor asks reconcile for, and when it needs waking: the follow-ups of its requests.
import { planOrderOf } from './coverage.ts';
import { isLivePhase } from './order-state.ts';
import { missingExecutions } from './tracks.ts';
import type { ExecCommand, ExecState, ReconcileReason } from './types.ts';

const REASON_ORDER: readonly ReconcileReason[] = [
  'reconnect',
  'unknown-outcome',
  'cancel-refused',
  'cancel-unconfirmed',
  'missing-executions',
];

export function reconcileNeeds(s: ExecState): Map<string, ReconcileReason> {
  const needs = new Map<string, ReconcileReason>();
  const note = (ref: string, reason: ReconcileReason): void => {
    const had = needs.get(ref);
    if (had === undefined || REASON_ORDER.indexOf(reason) < REASON_ORDER.indexOf(had)) needs.set(ref, reason);
  };
  for (const slot of s.slots) {
    const order = planOrderOf(s, slot);
    for (const t of slot.tracks) {
      if (s.reconnectPending) note(t.orderRef, 'reconnect');
      if (t.unresolved !== null) note(t.orderRef, 'unknown-outcome');
      if (isLivePhase(t.phase) && t.cancelRefused) note(t.orderRef, 'cancel-refused');
      if (
        isLivePhase(t.phase) &&
        t.pending === null &&
        t.cancelSentAtMs !== null &&
        s.nowMs - t.cancelSentAtMs >= s.config.cancelGraceMs
      )
        note(t.orderRef, 'cancel-unconfirmed');
      if (missingExecutions(order, t) && s.nowMs - (t.finalAtMs ?? s.nowMs) >= s.config.executionsGraceMs)
        note(t.orderRef, 'missing-executions');
    }
  }
  return needs;
}

export function requestReconcile(s: ExecState, out: ExecCommand[]): void {
  if (!s.connected || s.nowMs < s.reconcileRetryAtMs) return;
  if (s.reconcile !== null && s.nowMs - s.reconcile.requestedAtMs < s.config.reconcileTimeoutMs) return;
  const needs = reconcileNeeds(s);
  if (needs.size === 0 && !s.reconnectPending) return;
  const reasons = [...needs.values()];
  const reason = REASON_ORDER.find((r) => reasons.includes(r)) ?? 'reconnect';
  const requestId = s.nextRequestId;
  s.nextRequestId += 1;
  const orderRefs = [...needs.keys()];
  s.reconcile = { requestId, reason, orderRefs, requestedAtMs: s.nowMs };
  out.push({ type: 'reconcile', requestId, reason, orderRefs });
}

export function wakeTimes(s: ExecState): number[] {
  const times: number[] = [s.reconcileRetryAtMs];
  if (s.reconcile !== null) times.push(s.reconcile.requestedAtMs + s.config.reconcileTimeoutMs);
  for (const slot of s.slots) {
    const order = planOrderOf(s, slot);
    times.push(slot.deadlineMs, slot.quoteRetryAtMs);
    if (slot.nextStepAtMs !== null) times.push(slot.nextStepAtMs);
    if (slot.quoteWanted !== null) times.push(slot.quoteWanted.requestedAtMs + s.config.quoteTimeoutMs);
    for (const t of slot.tracks) {
      if (t.cancelSentAtMs !== null) times.push(t.cancelSentAtMs + s.config.cancelGraceMs);
      if (missingExecutions(order, t) && t.finalAtMs !== null)
        times.push(t.finalAtMs + s.config.executionsGraceMs);
    }
  }
  return times;
}

export function scheduleTick(s: ExecState, out: ExecCommand[]): void {
  const future = wakeTimes(s).filter((t) => t > s.nowMs);
  if (future.length === 0) return;
  const wake = Math.min(...future);
  if (s.tickAtMs === null || s.tickAtMs <= s.nowMs || wake < s.tickAtMs) {
    s.tickAtMs = wake;
    out.push({ type: 'schedule-tick', atMs: wake });
  }
}
