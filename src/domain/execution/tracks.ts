// Finding a plan's orders by ref or id, moving an order's phase, and the predicates the executor,
// its outcome and its wake-ups share.
import type { PlanOrder } from '../plan/types.ts';
import { trackUnits } from './coverage.ts';
import type { OrderEventKind } from './order-state.ts';
import { isFinalPhase, nextPhase } from './order-state.ts';
import type { ExecState, Slot, Track } from './types.ts';

export interface Found {
  readonly slot: Slot;
  readonly track: Track;
}

export function byRef(s: ExecState, orderRef: string): Found | null {
  for (const slot of s.slots)
    for (const track of slot.tracks) if (track.orderRef === orderRef) return { slot, track };
  return null;
}

export function byId(s: ExecState, orderId: number): Found | null {
  for (const slot of s.slots)
    for (const track of slot.tracks)
      if (track.orderId !== null && track.orderId === orderId) return { slot, track };
  return null;
}

export function transition(s: ExecState, t: Track, kind: OrderEventKind): void {
  const before = t.phase;
  t.phase = nextPhase(before, kind);
  if (!isFinalPhase(before) && isFinalPhase(t.phase)) t.finalAtMs = s.nowMs;
  if (isFinalPhase(before) && !isFinalPhase(t.phase)) t.finalAtMs = null;
}

/** Sends are blocked: the link is down, a reconnect is not reconciled yet, or an outcome is unknown. */
export function sendsBlocked(s: ExecState): boolean {
  return (
    !s.connected || s.reconnectPending || s.slots.some((sl) => sl.tracks.some((t) => t.unresolved !== null))
  );
}

export function missingExecutions(order: PlanOrder, t: Track): boolean {
  return isFinalPhase(t.phase) && !t.executionsReconciled && t.statusFilled > trackUnits(order, t);
}
