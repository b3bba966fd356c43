// The plan's invariant (docs/strategy.md section 4.3): live condor contracts (working + filled) never
// exceed what filled hedge coverage pays for. Coverage counts only what is certain: the held layers
// that count, less every trim that works, filled or may still be sent, plus the new hedge contracts
// filled (by execution). The need counts the credit actually filled for filled condors and the
// ladder's floor credit for the rest, because the working rest may fill at its floor at any moment.
import { condorStressLossCents } from '../hedge/stress.ts';
import { SPXW_MULTIPLIER } from '../instruments.ts';
import type { Cents } from '../money.ts';
import { cents } from '../money.ts';
import { requirementCents } from '../hedge/sizing.ts';
import type { CondorSelection, PlanOrder } from '../plan/types.ts';
import { filledUnits } from './fills.ts';
import { isLivePhase } from './order-state.ts';
import type { ExecState, Slot, Track } from './types.ts';

/** The stress loss of one condor contract filled at `creditCents` (the planner's rule, at that credit). */
export function condorStressLossAt(condor: CondorSelection, creditCents: number, stressSpx: number): Cents {
  const maxLoss = cents(Math.round((condor.widthPoints * 100 - creditCents) * SPXW_MULTIPLIER));
  return condorStressLossCents({ ...condor, credit: creditCents, maxLossPerContract: maxLoss }, stressSpx);
}

export function planOrderOf(state: ExecState, slot: Slot): PlanOrder {
  const o = state.plan.orders.find((x) => x.key === slot.orderKey);
  if (o === undefined) throw new Error(`slot ${slot.orderKey} has no plan order`);
  return o;
}

/** Whole units the track filled, from unique executions. */
export function trackUnits(order: PlanOrder, t: Track): number {
  return filledUnits(order, t.fills);
}

/**
 * Contracts a track may hold at IB: while it may work, the most it was ever sent for (a modify in
 * flight or unresolved included); once final, what filled (the larger of executions and statuses).
 */
export function trackLive(order: PlanOrder, t: Track): number {
  const filled = Math.max(t.statusFilled, trackUnits(order, t));
  if (!isLivePhase(t.phase)) return filled;
  return Math.max(t.quantity, t.pending?.quantity ?? 0, t.unresolvedQuantity, filled);
}

/** The slot may still send a new attempt: before its deadline, not aborted, never sent or proved absent. */
export function maySendMore(state: ExecState, slot: Slot): boolean {
  if (state.abortReason !== null || state.nowMs >= slot.deadlineMs) return false;
  const last = slot.tracks.at(-1);
  return last === undefined || last.phase === 'absent';
}

function slotsOf(state: ExecState, kind: PlanOrder['kind']): Slot[] {
  return state.slots.filter((s) => s.kind === kind);
}

function slotLive(state: ExecState, slot: Slot): number {
  const order = planOrderOf(state, slot);
  return slot.tracks.reduce((s, t) => s + trackLive(order, t), 0);
}

function slotUnits(state: ExecState, slot: Slot): number {
  const order = planOrderOf(state, slot);
  return slot.tracks.reduce((s, t) => s + trackUnits(order, t), 0);
}

/** Stress P&L the hedge book is certain to hold now, cents. */
export function coverageCents(state: ExecState): number {
  const plan = state.plan;
  let total = plan.coverage.existingStressPnl as number;
  for (const slot of slotsOf(state, 'hedge-trim')) {
    const order = planOrderOf(state, slot);
    // existingStressPnl is the book after the planned trims: add the trimmed layers back, then
    // take off every trimmed contract that is sold, may be sold, or may still be sent.
    const exposure = maySendMore(state, slot)
      ? Math.max(order.quantity, slotLive(state, slot))
      : slotLive(state, slot);
    total += order.stressPnlPerContract * (order.quantity - exposure);
  }
  for (const slot of slotsOf(state, 'hedge-open')) {
    total += planOrderOf(state, slot).stressPnlPerContract * slotUnits(state, slot);
  }
  return total;
}

/** Live condor contracts: working plus filled, over every attempt. */
export function liveCondorContracts(state: ExecState): number {
  return slotsOf(state, 'condor-open').reduce((s, slot) => s + slotLive(state, slot), 0);
}

/** Condor contracts filled, from executions. */
export function condorFilled(state: ExecState): number {
  return slotsOf(state, 'condor-open').reduce((s, slot) => s + slotUnits(state, slot), 0);
}

interface CondorNeed {
  /** Stress P&L the hedge must cover for q live condor contracts, cents. */
  (q: number): number;
}

function condorNeed(state: ExecState, slot: Slot): CondorNeed {
  const plan = state.plan;
  const order = planOrderOf(state, slot);
  const condor = plan.condor;
  if (condor === null) throw new Error('a condor order without a condor selection');
  const stressSpx = plan.coverage.stressSpx;
  const c = plan.coverage.coverageTarget;
  const atFloor = condorStressLossAt(condor, order.ladder.floor, stressSpx);
  // Filled contracts whose credit is known exactly count at that credit; the rest at the floor.
  let knownUnits = 0;
  let knownLoss = 0;
  for (const t of slot.tracks) {
    if (t.avgFill === null) continue;
    knownUnits += t.avgFill.units;
    knownLoss += t.avgFill.units * condorStressLossAt(condor, t.avgFill.price, stressSpx);
  }
  return (q) => {
    const loss =
      q <= knownUnits ? (knownLoss * q) / Math.max(1, knownUnits) : knownLoss + atFloor * (q - knownUnits);
    return requirementCents(c, cents(1), loss);
  };
}

/** The most condor contracts that may be live now: the largest q (up to the plan's) the coverage covers. */
export function allowedCondorContracts(state: ExecState): number {
  const slot = slotsOf(state, 'condor-open')[0];
  if (slot === undefined) return 0;
  const need = condorNeed(state, slot);
  // Condors of earlier cycles not yet settled take their share of the coverage first (docs/strategy.md section 3).
  const coverage = coverageCents(state) - (state.plan.coverage.openCondorsStressLoss ?? 0);
  let q = 0;
  while (q < slot.quantity && need(q + 1) <= coverage) q++;
  return q;
}

/** Coverage and the condor it allows, for logs, the outcome and the crash suite. */
export interface CoverageView {
  readonly coverageCents: number;
  readonly liveCondor: number;
  readonly allowedCondor: number;
  readonly condorFilled: number;
}

export function coverageView(state: ExecState): CoverageView {
  return {
    coverageCents: coverageCents(state),
    liveCondor: liveCondorContracts(state),
    allowedCondor: allowedCondorContracts(state),
    condorFilled: condorFilled(state),
  };
}
