// The plan executor as a pure state machine (docs/strategy.md section 4, docs/architecture.md "Executing a
// plan"): `step(state, event) -> { state, commands }`, no I/O, no clock, no randomness. A thin driver
// (src/app/execute-plan.ts) feeds it broker events, outcomes, quotes, ticks and reconcile results,
// and carries out its commands. The machine, not the driver, enforces: hedges first; live condor
// contracts never above what filled coverage pays for; the ladder (fresh quote each step, never past
// the natural nor the floor); nothing sent while an outcome is unknown or the link is down; filled
// hedges stay; quotes only price orders already decided, they never create or cancel one.
import type { ExecutionReport, IbOrderStatus } from '../broker-reports.ts';
import type { PriceCents } from '../money.ts';
import { priceCents } from '../money.ts';
import { ladderStepPrice, orderMidNatural } from '../plan/ladder.ts';
import type { LegQuote } from '../plan/ladder.ts';
import type { Plan, PlanOrder } from '../plan/types.ts';
import {
  allowedCondorContracts,
  liveCondorContracts,
  maySendMore,
  planOrderOf,
  trackLive,
} from './coverage.ts';
import { addFill, averageUnitPrice, balancedUnits, sideMagnitude } from './fills.ts';
import { requestReconcile, scheduleTick } from './follow-ups.ts';
import { isAcknowledged, isFinalPhase } from './order-state.ts';
import { formatOrderRef } from './order-ref.ts';
import { abortedOutcome, outcomeOf } from './outcome.ts';
import type { Found } from './tracks.ts';
import { byId, byRef, missingExecutions, sendsBlocked, transition } from './tracks.ts';
import type {
  CancelReason,
  ExecCommand,
  ExecEvent,
  ExecState,
  ExecutionOutcome,
  ExecutorConfig,
  LegQuoteNow,
  Slot,
  StepResult,
  Track,
} from './types.ts';
import { DEFAULT_EXECUTOR_CONFIG } from './types.ts';

export { sendsBlocked } from './tracks.ts';

// ---------------------------------------------------------------------------------------------
// Construction and copying

export function newSlot(order: PlanOrder): Slot {
  const deadlineMs = Date.parse(order.ladder.deadline);
  if (!Number.isFinite(deadlineMs))
    throw new Error(`order ${order.key}: bad deadline ${order.ladder.deadline}`);
  return {
    orderKey: order.key,
    kind: order.kind,
    quantity: order.quantity,
    deadlineMs,
    tracks: [],
    step: 0,
    firstSentAtMs: null,
    nextStepAtMs: null,
    quoteWanted: null,
    lastQuote: null,
    quoteRetryAtMs: 0,
    repricePending: false,
  };
}

/** The machine before `start`: nothing sent, nothing decided. */
export function initial(plan: Plan, config: ExecutorConfig = DEFAULT_EXECUTOR_CONFIG): ExecState {
  const keys = new Set(plan.orders.map((o) => o.key));
  if (keys.size !== plan.orders.length) throw new Error(`plan ${plan.planId}: order keys are not unique`);
  return {
    plan,
    planId: plan.planId,
    config,
    slots: plan.orders.map(newSlot),
    started: false,
    startedAtMs: null,
    nowMs: 0,
    connected: true,
    reconnectPending: false,
    reconcile: null,
    nextRequestId: 1,
    reconcileRetryAtMs: 0,
    tickAtMs: null,
    abortReason: null,
    commissions: [],
    sentRefs: [],
    outcome: null,
  };
}

function cloneTrack(t: Track): Track {
  return { ...t, fills: [...t.fills] };
}

function cloneState(s: ExecState): ExecState {
  return {
    ...s,
    slots: s.slots.map((slot) => ({ ...slot, tracks: slot.tracks.map(cloneTrack) })),
    reconcile: s.reconcile === null ? null : { ...s.reconcile, orderRefs: [...s.reconcile.orderRefs] },
    commissions: [...s.commissions],
    sentRefs: [...s.sentRefs],
  };
}

// ---------------------------------------------------------------------------------------------
// Small predicates

function quoteIdle(s: ExecState, slot: Slot): boolean {
  return slot.quoteWanted === null || s.nowMs - slot.quoteWanted.requestedAtMs >= s.config.quoteTimeoutMs;
}

const signedLimit = (order: PlanOrder, magnitude: PriceCents): PriceCents =>
  // IB: a combo that pays us (the credit condor) is bought at a negative limit.
  order.kind === 'condor-open' ? priceCents(0 - magnitude) : magnitude;

/** The limit of a ladder step at a quote of the moment, a positive magnitude; null when unusable. */
export function stepPrice(order: PlanOrder, step: number, legs: readonly LegQuoteNow[]): PriceCents | null {
  if (legs.length !== order.legs.length) return null;
  const quoted: LegQuote[] = [];
  for (let i = 0; i < legs.length; i++) {
    const q = legs[i];
    const leg = order.legs[i];
    if (
      q === undefined ||
      leg === undefined ||
      q.bid === null ||
      q.ask === null ||
      q.bid > q.ask ||
      q.bid < 0
    )
      return null;
    quoted.push({ action: leg.action, ratio: leg.ratio, bid: q.bid, ask: q.ask });
  }
  const { mid, natural } = orderMidNatural(order.action, order.ladder.side, quoted);
  return ladderStepPrice({
    side: order.ladder.side,
    step,
    steps: order.ladder.steps,
    mid,
    natural,
    floor: order.ladder.floor,
    venue: order.ladder.venue,
  });
}

function freshQuote(s: ExecState, slot: Slot, use: 'submit' | 'step'): readonly LegQuoteNow[] | null {
  const q = slot.lastQuote;
  if (q === null || s.nowMs - q.atMs > s.config.quoteMaxAgeMs) return null;
  return use === 'submit' && q.purpose === 'step' ? null : q.legs;
}

// ---------------------------------------------------------------------------------------------
// Emitting commands

function emitSubmit(s: ExecState, slot: Slot, quantity: number, price: PriceCents, out: ExecCommand[]): void {
  const order = planOrderOf(s, slot);
  const attempt = slot.tracks.reduce((m, t) => Math.max(m, t.attempt), 0) + 1;
  const orderRef = formatOrderRef({ planId: s.planId, orderKey: slot.orderKey, attempt });
  if (s.sentRefs.includes(orderRef)) throw new Error(`orderRef ${orderRef} would be sent twice`);
  const limit = signedLimit(order, price);
  slot.tracks.push({
    attempt,
    orderRef,
    orderId: null,
    phase: 'sending',
    quantity,
    limit,
    pending: { kind: 'submit', quantity, limit },
    unresolved: null,
    unresolvedQuantity: 0,
    unresolvedFromRequestId: 0,
    cancelSentAtMs: null,
    cancelReason: null,
    cancelRefused: false,
    statusFilled: 0,
    fills: [],
    avgFill: null,
    finalAtMs: null,
    executionsReconciled: false,
    refusal: null,
    lastError: null,
    sentAtMs: s.nowMs,
  });
  s.sentRefs.push(orderRef);
  if (slot.firstSentAtMs === null) {
    slot.firstSentAtMs = s.nowMs;
    slot.nextStepAtMs = order.ladder.steps > 1 ? s.nowMs + order.ladder.intervalSeconds * 1000 : null;
  }
  slot.lastQuote = null;
  slot.repricePending = false;
  out.push({
    type: 'submit',
    orderKey: slot.orderKey,
    kind: slot.kind,
    attempt,
    orderRef,
    action: order.action,
    legs: order.legs,
    quantity,
    limitPrice: limit,
    ladderStep: slot.step,
  });
}

function emitModify(
  s: ExecState,
  slot: Slot,
  t: Track,
  quantity: number,
  limit: PriceCents,
  out: ExecCommand[],
): void {
  if (t.orderId === null) return;
  const order = planOrderOf(s, slot);
  t.pending = { kind: 'modify', quantity, limit };
  out.push({
    type: 'modify',
    orderKey: slot.orderKey,
    kind: slot.kind,
    orderRef: t.orderRef,
    orderId: t.orderId,
    action: order.action,
    legs: order.legs,
    quantity,
    limitPrice: limit,
    ladderStep: slot.step,
  });
}

function emitCancel(s: ExecState, slot: Slot, t: Track, reason: CancelReason, out: ExecCommand[]): void {
  if (t.orderId === null) return;
  t.pending = { kind: 'cancel', quantity: t.quantity, limit: t.limit };
  t.cancelReason = reason;
  transition(s, t, 'cancel-requested');
  out.push({ type: 'cancel', orderKey: slot.orderKey, orderRef: t.orderRef, orderId: t.orderId, reason });
}

function emitQuoteRequest(
  s: ExecState,
  slot: Slot,
  purpose: 'submit' | 'step',
  step: number,
  out: ExecCommand[],
): void {
  slot.quoteWanted = { purpose, step, requestedAtMs: s.nowMs };
  out.push({ type: 'request-quote', orderKey: slot.orderKey, purpose, step });
}

// ---------------------------------------------------------------------------------------------
// Applying one event

function applyOutcome(s: ExecState, e: Extract<ExecEvent, { type: `${string}-outcome` }>): void {
  const f = byRef(s, e.orderRef);
  const want = e.type === 'submit-outcome' ? 'submit' : e.type === 'modify-outcome' ? 'modify' : 'cancel';
  const asked = f?.track.pending ?? null;
  if (f === null || asked === null || asked.kind !== want) return; // a duplicate or stray outcome
  const t = f.track;
  t.pending = null;
  const o = e.outcome;
  switch (o.kind) {
    case 'sent':
      if (want === 'modify') {
        t.quantity = asked.quantity;
        t.limit = asked.limit;
      }
      if (want === 'cancel') t.cancelSentAtMs = s.nowMs;
      break;
    case 'refused':
      if (want === 'submit') t.refusal = { code: o.code, text: o.text };
      else t.lastError = { code: o.code, text: o.text, codeClass: 'refused' };
      if (want === 'cancel') t.cancelRefused = true;
      break;
    case 'unknown':
      if (want === 'modify') t.unresolvedQuantity = Math.max(t.unresolvedQuantity, asked.quantity);
      if (want === 'cancel') t.cancelSentAtMs = s.nowMs;
      break;
  }
  transition(s, t, `${want}-${o.kind}`);
  // Unknown is never a refusal: nothing more is sent until reconcile answers for this ref.
  if (o.kind === 'unknown') {
    t.unresolved = want;
    t.unresolvedFromRequestId = s.nextRequestId;
  }
}

function applyStatus(
  s: ExecState,
  f: Found,
  status: IbOrderStatus,
  filled: number,
  avgFillPrice: number | null = null,
): void {
  const t = f.track;
  transition(s, t, `status:${status}`);
  t.statusFilled = Math.max(t.statusFilled, filled);
  // The status with the most filled carries the latest average (IB repeats and reorders statuses).
  if (avgFillPrice !== null && filled > 0 && filled > (t.avgFill?.units ?? 0))
    t.avgFill = { units: filled, price: sideMagnitude(planOrderOf(s, f.slot), avgFillPrice) };
}

/** Adds executions (each execId once) and takes their exact average when the legs balance. */
function applyFills(s: ExecState, f: Found, executions: readonly ExecutionReport[]): void {
  const order = planOrderOf(s, f.slot);
  const t = f.track;
  for (const x of executions) addFill(t.fills, order, x);
  const units = balancedUnits(order, t.fills);
  const price = averageUnitPrice(order, t.fills);
  if (units !== null && units > (t.avgFill?.units ?? 0) && price !== null) t.avgFill = { units, price };
}

function applyReconcile(s: ExecState, e: Extract<ExecEvent, { type: 'reconcile-result' }>): void {
  const asked = s.reconcile;
  if (asked === null || e.requestId !== asked.requestId) return; // stale: a newer request is out
  s.reconcile = null;
  if (e.failure !== null) {
    s.reconcileRetryAtMs = s.nowMs + s.config.reconcileRetryMs;
    return;
  }
  const answered = new Set<string>();
  for (const r of e.orders) {
    const f = byRef(s, r.orderRef);
    if (f === null || !asked.orderRefs.includes(r.orderRef)) continue;
    const t = f.track;
    answered.add(r.orderRef);
    // A reconcile asked before an outcome turned unknown may predate the send: it proves nothing.
    const current = asked.requestId >= t.unresolvedFromRequestId;
    if (r.found !== null) {
      if (t.orderId === null && r.found.orderId > 0) t.orderId = r.found.orderId;
      applyStatus(s, f, r.found.status, r.found.filled);
      // IB's quantity is the truth once no request of ours is in flight or unresolved.
      if (t.pending === null && (t.unresolved === null || current)) t.quantity = r.found.quantity;
      applyFills(s, f, r.found.executions);
    } else if (current) {
      transition(s, t, 'reconcile-absent');
    }
    if (!current) continue;
    t.unresolved = null;
    t.unresolvedQuantity = 0;
    t.cancelRefused = false;
    if (t.cancelSentAtMs !== null && s.nowMs - t.cancelSentAtMs >= s.config.cancelGraceMs)
      t.cancelSentAtMs = null;
    if (isFinalPhase(t.phase)) t.executionsReconciled = true;
  }
  if (asked.orderRefs.some((ref) => !answered.has(ref)))
    s.reconcileRetryAtMs = s.nowMs + s.config.reconcileRetryMs;
  else if (asked.reason === 'reconnect') s.reconnectPending = false;
}

function applyQuote(s: ExecState, e: Extract<ExecEvent, { type: 'quote' }>): void {
  const slot = s.slots.find((x) => x.orderKey === e.orderKey);
  // Quotes only answer our own requests: an unsolicited quote moves nothing.
  if (slot === undefined || slot.quoteWanted === null) return;
  const want = slot.quoteWanted;
  slot.quoteWanted = null;
  const order = planOrderOf(s, slot);
  const usable = e.quote !== null && stepPrice(order, want.step, e.quote.legs) !== null;
  if (e.quote !== null && usable)
    slot.lastQuote = { legs: e.quote.legs, atMs: s.nowMs, purpose: want.purpose };
  else slot.quoteRetryAtMs = s.nowMs + Math.min(s.config.quoteTimeoutMs, order.ladder.intervalSeconds * 1000);
  if (want.purpose === 'step') {
    slot.step = Math.max(slot.step, want.step);
    const first = slot.firstSentAtMs ?? s.nowMs;
    slot.nextStepAtMs =
      slot.step < order.ladder.steps - 1
        ? first + (slot.step + 1) * order.ladder.intervalSeconds * 1000
        : null;
    slot.repricePending = usable;
  }
}

function apply(s: ExecState, e: ExecEvent, out: ExecCommand[]): void {
  switch (e.type) {
    case 'start': {
      if (s.started) return;
      s.started = true;
      s.startedAtMs = s.nowMs;
      if (!e.preflight.ok) {
        finish(s, out, abortedOutcome(s, e.preflight.failures));
        return;
      }
      for (const q of e.quotes) {
        const slot = s.slots.find((x) => x.orderKey === q.orderKey);
        if (slot !== undefined) slot.lastQuote = { legs: q.legs, atMs: q.atMs, purpose: 'start' };
      }
      return;
    }
    case 'order-id': {
      const f = byRef(s, e.orderRef);
      if (f !== null && f.track.orderId === null) f.track.orderId = e.orderId;
      return;
    }
    case 'submit-outcome':
    case 'modify-outcome':
    case 'cancel-outcome':
      applyOutcome(s, e);
      return;
    case 'order-status': {
      const f = byId(s, e.orderId);
      if (f !== null) applyStatus(s, f, e.status, e.filled, e.avgFillPrice);
      return;
    }
    case 'open-order': {
      const f = e.orderRef === '' ? byId(s, e.orderId) : byRef(s, e.orderRef);
      if (f === null) return;
      if (f.track.orderId === null) f.track.orderId = e.orderId;
      applyStatus(s, f, e.status, e.filled);
      return;
    }
    case 'execution': {
      const x = e.execution;
      // By orderRef when IB gives one (order ids repeat after a gateway restart), else by order id.
      const f = x.orderRef === '' ? byId(s, x.orderId) : byRef(s, x.orderRef);
      if (f === null) return;
      applyFills(s, f, [x]);
      transition(s, f.track, 'execution');
      return;
    }
    case 'commission':
      if (!s.commissions.some((c) => c.execId === e.report.execId))
        s.commissions.push({ execId: e.report.execId, commission: e.report.commission });
      return;
    case 'error': {
      const f = e.id >= 0 ? byId(s, e.id) : null;
      if (f === null) return;
      f.track.lastError = { code: e.code, text: e.text, codeClass: e.codeClass };
      transition(s, f.track, `error:${e.codeClass}`);
      return;
    }
    case 'connectivity':
      // Whatever reconcile was asked before the change answers for a link that no longer is.
      s.reconcile = null;
      s.connected = e.state === 'restored';
      s.reconnectPending = e.state === 'restored';
      return;
    case 'tick':
      if (s.tickAtMs !== null && s.nowMs >= s.tickAtMs) s.tickAtMs = null;
      return;
    case 'quote':
      applyQuote(s, e);
      return;
    case 'reconcile-result':
      applyReconcile(s, e);
      return;
    case 'abort':
      s.abortReason ??= e.reason;
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Deciding what to send

/** Contracts the slot should submit now (a first attempt, one after a proved absence, a condor top-up). */
function submitQuantity(s: ExecState, slot: Slot): number {
  const last = slot.tracks.at(-1);
  if (slot.kind !== 'condor-open') {
    if (!maySendMore(s, slot)) return 0;
    // A trim takes coverage away: never sent when the condor already live would lose its cover.
    if (slot.kind === 'hedge-trim' && allowedCondorContracts(s) < liveCondorContracts(s)) return 0;
    const order = planOrderOf(s, slot);
    return Math.max(0, slot.quantity - slot.tracks.reduce((n, t) => n + trackLive(order, t), 0));
  }
  if (s.abortReason !== null || s.nowMs >= slot.deadlineMs) return 0;
  // Grow by a new attempt only when nothing works: the first release, after a proved absence,
  // or after the previous attempt filled completely (a working order grows by modify instead).
  if (last !== undefined && last.phase !== 'absent' && last.phase !== 'filled') return 0;
  const target = Math.min(slot.quantity, allowedCondorContracts(s));
  return Math.max(0, target - liveCondorContracts(s));
}

/** The quantity the working condor order should have: grown to what coverage allows now. */
function condorQuantity(s: ExecState, slot: Slot, t: Track): number {
  const target = Math.min(slot.quantity, allowedCondorContracts(s));
  return t.quantity + Math.max(0, target - liveCondorContracts(s));
}

function driveSlot(s: ExecState, slot: Slot, out: ExecCommand[]): void {
  const order = planOrderOf(s, slot);
  const current = slot.tracks.at(-1);
  const pastDeadline = s.nowMs >= slot.deadlineMs;
  for (const t of slot.tracks) {
    const reason: CancelReason | null =
      s.abortReason !== null ? 'abort' : pastDeadline ? 'deadline' : t !== current ? 'superseded' : null;
    if (
      reason !== null &&
      isAcknowledged(t.phase) &&
      t.pending === null &&
      t.cancelSentAtMs === null &&
      !t.cancelRefused
    )
      emitCancel(s, slot, t, reason, out);
  }
  if (s.abortReason !== null || pastDeadline) return;

  const quantity = submitQuantity(s, slot);
  if (quantity > 0) {
    const legs = freshQuote(s, slot, 'submit');
    const price = legs === null ? null : stepPrice(order, slot.step, legs);
    if (price !== null) emitSubmit(s, slot, quantity, price, out);
    else if (quoteIdle(s, slot) && s.nowMs >= slot.quoteRetryAtMs)
      emitQuoteRequest(s, slot, 'submit', slot.step, out);
    return;
  }
  if (current === undefined || !isAcknowledged(current.phase)) return;
  const modifiable = current.pending === null && current.cancelSentAtMs === null && !current.cancelRefused;
  if (modifiable) {
    const wantQuantity = slot.kind === 'condor-open' ? condorQuantity(s, slot, current) : current.quantity;
    let limit = current.limit;
    if (slot.repricePending) {
      const legs = freshQuote(s, slot, 'step');
      const price = legs === null ? null : stepPrice(order, slot.step, legs);
      if (price !== null) limit = signedLimit(order, price);
      slot.repricePending = false;
    }
    if (wantQuantity !== current.quantity || limit !== current.limit)
      emitModify(s, slot, current, wantQuantity, limit, out);
  }
  if (
    slot.nextStepAtMs !== null &&
    s.nowMs >= slot.nextStepAtMs &&
    slot.step < order.ladder.steps - 1 &&
    quoteIdle(s, slot)
  )
    emitQuoteRequest(s, slot, 'step', slot.step + 1, out);
}

// ---------------------------------------------------------------------------------------------
// Finishing

function tracksSettled(s: ExecState, slot: Slot): boolean {
  const order = planOrderOf(s, slot);
  return slot.tracks.every(
    (t) =>
      t.pending === null && t.unresolved === null && isFinalPhase(t.phase) && !missingExecutions(order, t),
  );
}

function slotDone(s: ExecState, slot: Slot, othersDone: boolean): boolean {
  if (!tracksSettled(s, slot)) return false;
  if (s.abortReason !== null || s.nowMs >= slot.deadlineMs) return true;
  if (slot.kind !== 'condor-open') return !maySendMore(s, slot);
  const last = slot.tracks.at(-1);
  // Refused, cancelled or made inactive by IB: never retried.
  if (last !== undefined && last.phase !== 'absent' && last.phase !== 'filled') return true;
  const live = liveCondorContracts(s);
  const target = Math.min(slot.quantity, allowedCondorContracts(s));
  return live >= slot.quantity || (target <= live && othersDone);
}

function allDone(s: ExecState): boolean {
  const others = s.slots.filter((x) => x.kind !== 'condor-open');
  const othersDone = others.every((x) => slotDone(s, x, true));
  return (
    othersDone && s.slots.filter((x) => x.kind === 'condor-open').every((x) => slotDone(s, x, othersDone))
  );
}

function finish(s: ExecState, out: ExecCommand[], outcome: ExecutionOutcome): void {
  s.outcome = outcome;
  s.tickAtMs = null;
  out.push({ type: 'finish', outcome });
}

// ---------------------------------------------------------------------------------------------
// The step

/** One event in, the next state and the commands to carry out, in order. Never mutates `prev`. */
export function step(prev: ExecState, event: ExecEvent): StepResult {
  const s = cloneState(prev);
  if (s.outcome !== null) return { state: s, commands: [] };
  s.nowMs = Math.max(s.nowMs, event.atMs);
  const out: ExecCommand[] = [];
  apply(s, event, out);
  if (s.started && s.outcome === null) {
    requestReconcile(s, out);
    if (!sendsBlocked(s)) for (const slot of s.slots) driveSlot(s, slot, out);
    // A restored link is reconciled before the plan may end: IB may hold news of it.
    if (!s.reconnectPending && s.reconcile === null && allDone(s)) finish(s, out, outcomeOf(s));
  }
  if (s.outcome === null && s.started) scheduleTick(s, out);
  return { state: s, commands: out };
}
