// An IB-plausible broker for the executor's property tests: it carries out the machine's commands
// against its own truth (orders, fills) and hands back events late, reordered, duplicated or lost
// as IB really does: statuses before outcomes, fills racing cancels, fills while the link is down
// never pushed, silent drops behind an unknown outcome, refusals, PreSubmitted orders that never
// fill. Every decision comes from `rand`, so fast-check can shrink a failing run.
import assert from 'node:assert/strict';
import type { ExecutionReport, IbOrderStatus } from '../../../../src/domain/broker-reports.ts';
import {
  condorStressLossAt,
  allowedCondorContracts,
  liveCondorContracts,
} from '../../../../src/domain/execution/coverage.ts';
import { initial, step } from '../../../../src/domain/execution/executor.ts';
import type { JournaledOrder } from '../../../../src/domain/execution/restore.ts';
import { restore } from '../../../../src/domain/execution/restore.ts';
import { isFinalPhase } from '../../../../src/domain/execution/order-state.ts';
import type {
  ExecCommand,
  ExecEvent,
  ExecState,
  ExecutionOutcome,
} from '../../../../src/domain/execution/types.ts';
import { requirementCents } from '../../../../src/domain/hedge/sizing.ts';
import { isOnTick } from '../../../../src/domain/instruments.ts';
import { cents } from '../../../../src/domain/money.ts';
import type { Plan, PlanOrder } from '../../../../src/domain/plan/types.ts';
import { fillReports, planOrder } from './broker-events.ts';
import { legQuotes, startEvent } from './exec-fixture.ts';

interface VenueOrder {
  readonly orderId: number;
  readonly orderRef: string;
  readonly order: PlanOrder;
  quantity: number;
  limit: number;
  filled: number;
  status: IbOrderStatus;
  readonly executions: ExecutionReport[];
}

type Pending =
  | { readonly kind: 'push'; readonly event: () => ExecEvent | null }
  | { readonly kind: 'outcome'; readonly event: ExecEvent }
  | { readonly kind: 'quote'; readonly orderKey: string }
  /** Reconcile takes IB several requests: its answer is ready only some time later. */
  | {
      readonly kind: 'reconcile';
      readonly requestId: number;
      readonly refs: readonly string[];
      readonly readyAtMs: number;
    }
  | { readonly kind: 'cancel-completes'; readonly orderId: number };

const LIVE: ReadonlySet<IbOrderStatus> = new Set([
  'PendingSubmit',
  'PreSubmitted',
  'Submitted',
  'PendingCancel',
]);

export interface RunReport {
  readonly outcome: ExecutionOutcome | null;
  readonly steps: number;
  readonly submits: number;
}

export class FakeVenue {
  state: ExecState;
  now: number;
  private readonly plan: Plan;
  private readonly rand: () => number;
  private readonly orders = new Map<number, VenueOrder>();
  private queue: Pending[] = [];
  private ticks: number[] = [];
  private nextOrderId = 100;
  private execSeq = 0;
  private connected = true;
  private shift = 0;
  // What the test knows independently of the machine, to check its rules.
  private readonly submittedRefs = new Set<string>();
  private link: 'up' | 'down' | 'restored' = 'up';
  private readonly unresolved = new Map<string, number>();
  private requestsSinceRestore = new Set<number>();
  private readonly submitQuoteAsked = new Set<string>();
  private readonly delivered: ExecutionReport[] = [];
  private issuedRequests = 0;
  outcome: ExecutionOutcome | null = null;
  steps = 0;

  constructor(plan: Plan, startMs: number, rand: () => number) {
    this.plan = plan;
    this.rand = rand;
    this.now = startMs;
    this.state = initial(plan);
  }

  private pick<T>(xs: readonly T[]): T | undefined {
    return xs[Math.min(xs.length - 1, Math.floor(this.rand() * xs.length))];
  }

  start(): void {
    this.feed(startEvent(this.plan, this.now));
  }

  // -------------------------------------------------------------------------------------------
  // Feeding the machine and checking its rules at every step

  feed(e: ExecEvent): void {
    this.observe(e);
    // Blocked as the test sees it once this event is in: the link down or not yet reconciled, or an
    // outcome unknown with no reconcile asked after it that answered for the ref.
    const blockedBefore = this.link !== 'up' || this.unresolved.size > 0;
    const r = step(this.state, e);
    this.state = r.state;
    this.steps += 1;
    this.checkInvariants();
    const sent = r.commands.filter((c) => c.type === 'submit' || c.type === 'modify' || c.type === 'cancel');
    assert.ok(
      !(blockedBefore && sent.length > 0),
      `sent ${sent.map((c) => c.type).join(',')} while blocked (${this.link}, unresolved ${[...this.unresolved.keys()].join(',')}) on ${e.type}`,
    );
    if (e.type === 'quote') {
      assert.ok(!r.commands.some((c) => c.type === 'cancel'), 'a quote cancelled an order');
      for (const c of r.commands)
        if (c.type === 'submit')
          assert.ok(this.submitQuoteAsked.has(c.orderKey), `a quote created ${c.orderKey}`);
    }
    for (const c of r.commands) this.command(c);
  }

  /** What the test tracks from the events it delivers. */
  private observe(e: ExecEvent): void {
    if (e.type === 'connectivity') {
      this.link = e.state === 'lost' ? 'down' : 'restored';
      this.requestsSinceRestore = new Set();
    }
    if (
      (e.type === 'submit-outcome' || e.type === 'modify-outcome' || e.type === 'cancel-outcome') &&
      e.outcome.kind === 'unknown'
    )
      this.unresolved.set(e.orderRef, this.issuedRequests + 1);
    if (e.type === 'reconcile-result' && e.failure === null) {
      for (const o of e.orders) {
        const from = this.unresolved.get(o.orderRef);
        if (from !== undefined && e.requestId >= from) this.unresolved.delete(o.orderRef);
      }
      if (this.link === 'restored' && this.requestsSinceRestore.has(e.requestId)) this.link = 'up';
    }
    if (e.type === 'execution') this.delivered.push(e.execution);
  }

  private checkInvariants(): void {
    const s = this.state;
    assert.ok(
      liveCondorContracts(s) <= allowedCondorContracts(s),
      `machine: live condor ${liveCondorContracts(s)} > allowed ${allowedCondorContracts(s)}`,
    );
    const truth = this.truthLiveCondor();
    const allowed = this.truthAllowedCondor();
    assert.ok(truth <= allowed, `broker: live condor ${truth} > what filled coverage allows ${allowed}`);
  }

  // -------------------------------------------------------------------------------------------
  // The broker's truth and the invariant computed from it alone

  private venueOrdersOf(key: string): VenueOrder[] {
    return [...this.orders.values()].filter((o) => o.order.key === key);
  }

  private truthLiveCondor(): number {
    return this.venueOrdersOf('condor').reduce((n, o) => n + (LIVE.has(o.status) ? o.quantity : o.filled), 0);
  }

  private truthAllowedCondor(): number {
    const p = this.plan;
    const condorOrder = p.orders.find((o) => o.kind === 'condor-open');
    if (condorOrder === undefined || p.condor === null) return 0;
    let coverage: number = p.coverage.existingStressPnl;
    for (const o of p.orders) {
      const vs = this.venueOrdersOf(o.key);
      if (o.kind === 'hedge-trim') {
        const exposure = vs.reduce((n, v) => n + (LIVE.has(v.status) ? v.quantity : v.filled), 0);
        coverage += o.stressPnlPerContract * (o.quantity - exposure);
      }
      if (o.kind === 'hedge-open') coverage += o.stressPnlPerContract * vs.reduce((n, v) => n + v.filled, 0);
    }
    const fills = this.venueOrdersOf('condor').flatMap((v) => v.executions.map((x) => ({ x, v })));
    const filled = this.venueOrdersOf('condor').reduce((n, v) => n + v.filled, 0);
    // Credit per unit from the legs: sold legs pay, bought legs cost.
    const credit =
      filled === 0
        ? null
        : fills.reduce((s, { x }) => s + (x.side === 'SLD' ? 1 : -1) * x.price * x.quantity, 0) / filled;
    const c = p.coverage.coverageTarget;
    const atFloor = condorStressLossAt(p.condor, condorOrder.ladder.floor, p.coverage.stressSpx);
    const atFilled = credit === null ? atFloor : condorStressLossAt(p.condor, credit, p.coverage.stressSpx);
    let q = 0;
    const need = (n: number): number => {
      const known = Math.min(filled, n);
      return requirementCents(c, cents(1), atFilled * known + atFloor * (n - known));
    };
    while (q < condorOrder.quantity && need(q + 1) <= coverage) q++;
    return q;
  }

  // -------------------------------------------------------------------------------------------
  // Carrying out the machine's commands

  private command(c: ExecCommand): void {
    switch (c.type) {
      case 'submit':
        this.submit(c);
        return;
      case 'modify':
        this.modify(c);
        return;
      case 'cancel':
        this.cancel(c.orderId, c.orderRef);
        return;
      case 'request-quote':
        if (c.purpose === 'submit') this.submitQuoteAsked.add(c.orderKey);
        this.queue.push({ kind: 'quote', orderKey: c.orderKey });
        return;
      case 'schedule-tick':
        this.ticks.push(c.atMs);
        return;
      case 'reconcile':
        this.issuedRequests = Math.max(this.issuedRequests, c.requestId);
        if (this.link === 'restored') this.requestsSinceRestore.add(c.requestId);
        this.queue.push({
          kind: 'reconcile',
          requestId: c.requestId,
          refs: c.orderRefs,
          readyAtMs: this.now + Math.floor(this.rand() * 30_000),
        });
        return;
      case 'finish':
        this.outcome = c.outcome;
        return;
    }
  }

  private checkIntent(c: Extract<ExecCommand, { type: 'submit' | 'modify' }>): PlanOrder {
    const o = planOrder(this.plan, c.orderKey);
    assert.equal(c.action, o.action, `${c.orderKey}: action differs from the plan`);
    assert.deepEqual(c.legs, o.legs, `${c.orderKey}: legs differ from the plan`);
    assert.ok(
      c.quantity >= 1 && c.quantity <= o.quantity,
      `${c.orderKey}: quantity ${c.quantity} of ${o.quantity}`,
    );
    const p = Math.abs(c.limitPrice);
    assert.ok(isOnTick(o.ladder.venue, p), `${c.orderKey}: limit ${p} off the tick`);
    assert.ok(
      o.ladder.side === 'debit' ? p <= o.ladder.floor : p >= o.ladder.floor,
      `${c.orderKey}: limit ${p} past the floor ${o.ladder.floor}`,
    );
    assert.equal(Math.sign(c.limitPrice), o.kind === 'condor-open' ? -1 : 1);
    return o;
  }

  private submit(c: Extract<ExecCommand, { type: 'submit' }>): void {
    assert.ok(!this.submittedRefs.has(c.orderRef), `orderRef ${c.orderRef} submitted twice`);
    this.submittedRefs.add(c.orderRef);
    this.submitQuoteAsked.delete(c.orderKey);
    const order = this.checkIntent(c);
    const orderId = this.nextOrderId++;
    this.feed({ type: 'order-id', atMs: this.now, orderRef: c.orderRef, orderId });
    const create = (status: IbOrderStatus): VenueOrder => {
      const v: VenueOrder = {
        orderId,
        orderRef: c.orderRef,
        order,
        quantity: c.quantity,
        limit: c.limitPrice,
        filled: 0,
        status,
        executions: [],
      };
      this.orders.set(orderId, v);
      return v;
    };
    const r = this.rand();
    const outcome = (kind: 'sent' | 'unknown' | 'refused'): void => {
      const o =
        kind === 'refused'
          ? { kind, code: 201, text: 'Order rejected' }
          : kind === 'unknown'
            ? { kind, reason: 'no answer' }
            : { kind };
      this.queue.push({
        kind: 'outcome',
        event: { type: 'submit-outcome', atMs: this.now, orderRef: c.orderRef, outcome: o },
      });
    };
    if (r < 0.78) {
      const v = create(this.rand() < 0.15 ? 'PreSubmitted' : 'Submitted');
      this.pushStatus(v);
      this.pushOpenOrder(v);
      outcome('sent');
    } else if (r < 0.84) {
      const v = create('Inactive');
      outcome('sent');
      this.pushStatus(v);
    } else if (r < 0.88) {
      outcome('refused');
    } else {
      // Unknown: the paper server may have dropped it silently, or it is there and working.
      if (this.rand() < 0.5) {
        const v = create('Submitted');
        if (this.rand() < 0.5) this.pushStatus(v);
      }
      outcome('unknown');
    }
  }

  private modify(c: Extract<ExecCommand, { type: 'modify' }>): void {
    this.checkIntent(c);
    const v = this.orders.get(c.orderId);
    const out = (
      o:
        | { kind: 'sent' }
        | { kind: 'refused'; code: number; text: string }
        | { kind: 'unknown'; reason: string },
    ): void => {
      this.queue.push({
        kind: 'outcome',
        event: { type: 'modify-outcome', atMs: this.now, orderRef: c.orderRef, outcome: o },
      });
    };
    if (v === undefined) return out({ kind: 'refused', code: 10147, text: 'not found' });
    assert.equal(v.orderRef, c.orderRef, 'a modify keeps the orderRef of its orderId');
    if (!LIVE.has(v.status)) return out({ kind: 'refused', code: 10148, text: 'cannot be modified' });
    const r = this.rand();
    const applyIt = (): void => {
      v.quantity = Math.max(v.filled, c.quantity);
      v.limit = c.limitPrice;
    };
    if (r < 0.85) {
      applyIt();
      out({ kind: 'sent' });
      this.pushOpenOrder(v);
    } else if (r < 0.93) out({ kind: 'refused', code: 110, text: 'price does not conform' });
    else {
      if (this.rand() < 0.5) applyIt();
      out({ kind: 'unknown', reason: 'no answer' });
    }
  }

  private cancel(orderId: number, orderRef: string): void {
    const v = this.orders.get(orderId);
    const out = (
      o:
        | { kind: 'sent' }
        | { kind: 'refused'; code: number; text: string }
        | { kind: 'unknown'; reason: string },
    ): void => {
      this.queue.push({
        kind: 'outcome',
        event: { type: 'cancel-outcome', atMs: this.now, orderRef, outcome: o },
      });
    };
    if (v === undefined) return out({ kind: 'refused', code: 10147, text: 'not found' });
    assert.equal(v.orderRef, orderRef);
    if (!LIVE.has(v.status)) return out({ kind: 'refused', code: 10148, text: 'cannot be cancelled' });
    const r = this.rand();
    if (r < 0.93) {
      v.status = 'PendingCancel';
      this.pushStatus(v);
      out({ kind: 'sent' });
      this.queue.push({ kind: 'cancel-completes', orderId });
    } else {
      if (this.rand() < 0.5) {
        v.status = 'PendingCancel';
        this.queue.push({ kind: 'cancel-completes', orderId });
      }
      out({ kind: 'unknown', reason: 'link' });
    }
  }

  /** IB's avgFillPrice: the net per unit, signed as the order's limit (a credit condor: negative). */
  private avgFillPrice(v: VenueOrder): number | null {
    if (v.filled === 0) return null;
    const paid =
      v.executions.reduce((s, x) => s + (x.side === 'BOT' ? 1 : -1) * x.price * x.quantity, 0) / v.filled;
    return (v.order.action === 'BUY' ? paid : -paid) / 100;
  }

  private pushStatus(v: VenueOrder): void {
    const snapshot = {
      status: v.status,
      filled: v.filled,
      remaining: v.quantity - v.filled,
      avgFillPrice: this.avgFillPrice(v),
    };
    this.queue.push({
      kind: 'push',
      event: () => ({ type: 'order-status', atMs: this.now, orderId: v.orderId, ...snapshot }),
    });
  }

  private pushOpenOrder(v: VenueOrder): void {
    const snapshot = { status: v.status, filled: v.filled, quantity: v.quantity };
    this.queue.push({
      kind: 'push',
      event: () => ({
        type: 'open-order',
        atMs: this.now,
        orderId: v.orderId,
        orderRef: v.orderRef,
        ...snapshot,
      }),
    });
  }

  // -------------------------------------------------------------------------------------------
  // What the world does on its own

  /** IB fills part of a working order at its limit (a fill may race a cancel in PendingCancel). */
  fillSomething(): void {
    const working = [...this.orders.values()].filter(
      (v) => LIVE.has(v.status) && v.status !== 'PendingSubmit' && v.filled < v.quantity,
    );
    const v = this.pick(working);
    if (v === undefined) return;
    const qty = 1 + Math.floor(this.rand() * (v.quantity - v.filled));
    this.execSeq += 1;
    const reports = fillReports({
      plan: this.plan,
      orderKey: v.order.key,
      orderId: v.orderId,
      orderRef: v.orderRef,
      quantity: qty,
      unitPrice: Math.abs(v.limit),
      tag: `x${this.execSeq}`,
      atMs: this.now,
      cumQuantity: v.filled + qty,
    });
    v.filled += qty;
    v.executions.push(...reports);
    if (v.filled >= v.quantity) v.status = 'Filled';
    for (const x of reports) {
      this.queue.push({ kind: 'push', event: () => ({ type: 'execution', atMs: this.now, execution: x }) });
      this.queue.push({
        kind: 'push',
        event: () => ({
          type: 'commission',
          atMs: this.now,
          report: { execId: x.execId, commission: cents(65), realizedPnl: null },
        }),
      });
    }
    this.pushStatus(v);
  }

  /** IB repeats an execution it already sent. */
  duplicateExecution(): void {
    const x = this.pick(this.delivered);
    if (x !== undefined)
      this.queue.push({ kind: 'push', event: () => ({ type: 'execution', atMs: this.now, execution: x }) });
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.feed({ type: 'connectivity', atMs: this.now, state: 'lost' });
  }

  reconnect(): void {
    if (this.connected) return;
    this.connected = true;
    this.feed({ type: 'connectivity', atMs: this.now, state: 'restored' });
  }

  /** Time moves to the next tick the machine asked for (or a little), and the machine is woken. */
  advance(): void {
    const readyAt = this.queue.flatMap((p) => (p.kind === 'reconcile' ? [p.readyAtMs] : []));
    const future = [...this.ticks, ...readyAt].filter((t) => t > this.now);
    const to = future.length > 0 ? Math.min(...future) : this.now + 1000 + Math.floor(this.rand() * 20_000);
    this.now = to;
    this.ticks = this.ticks.filter((t) => t > this.now);
    this.shift = Math.max(-40, Math.min(40, this.shift + Math.floor(this.rand() * 11) - 5));
    this.feed({ type: 'tick', atMs: this.now });
  }

  /** Delivers one pending message: one of the first three, so messages arrive reordered. */
  deliver(inOrder = false): boolean {
    const ready = this.queue.filter((p) => p.kind !== 'reconcile' || p.readyAtMs <= this.now);
    if (ready.length === 0) return false;
    const pickFrom = ready[inOrder ? 0 : Math.floor(this.rand() * Math.min(3, ready.length))];
    const i = this.queue.findIndex((p) => p === pickFrom);
    const [p] = this.queue.splice(i, 1);
    if (p === undefined) return false;
    const e = this.materialise(p);
    if (e !== null) this.feed(e);
    return true;
  }

  private materialise(p: Pending): ExecEvent | null {
    switch (p.kind) {
      case 'push':
        // Pushed while the link is down: never arrives (IB does not replay it).
        return this.connected ? p.event() : null;
      case 'outcome':
        if (this.connected || p.event.type === 'order-id') return p.event;
        return { ...p.event, outcome: { kind: 'unknown', reason: 'link lost mid-send' } } as ExecEvent;
      case 'quote': {
        const r = this.rand();
        const legs = legQuotes(p.orderKey, this.shift);
        const quote =
          !this.connected || r < 0.08
            ? null
            : r < 0.12
              ? { legs: legs.map((l) => ({ bid: (l.ask ?? 0) + 5, ask: l.bid })) }
              : { legs };
        return { type: 'quote', atMs: this.now, orderKey: p.orderKey, quote };
      }
      case 'reconcile':
        if (!this.connected)
          return {
            type: 'reconcile-result',
            atMs: this.now,
            requestId: p.requestId,
            failure: 'disconnected',
            orders: [],
          };
        return {
          type: 'reconcile-result',
          atMs: this.now,
          requestId: p.requestId,
          failure: null,
          orders: p.refs.map((orderRef) => {
            const v = [...this.orders.values()].find((o) => o.orderRef === orderRef);
            return {
              orderRef,
              found:
                v === undefined
                  ? null
                  : {
                      orderId: v.orderId,
                      status: v.status,
                      filled: v.filled,
                      quantity: v.quantity,
                      executions: [...v.executions],
                    },
            };
          }),
        };
      case 'cancel-completes': {
        const v = this.orders.get(p.orderId);
        if (v === undefined || !LIVE.has(v.status)) return null;
        v.status = 'Cancelled';
        return this.connected
          ? {
              type: 'order-status',
              atMs: this.now,
              orderId: v.orderId,
              status: 'Cancelled',
              filled: v.filled,
              remaining: v.quantity - v.filled,
              avgFillPrice: this.avgFillPrice(v),
            }
          : null;
      }
    }
  }

  /** After the random part: the link comes back, everything is delivered in order, time runs on. */
  drain(maxSteps: number): void {
    for (let i = 0; i < maxSteps && this.outcome === null; i++) {
      this.reconnect();
      if (!this.deliver(true)) this.advance();
    }
  }

  /**
   * The process dies: whatever was on its way to it is lost. A new process reconciles and rebuilds
   * the machine from the journal (every intent with its ref and order id was journaled before it
   * was sent; reconcile brought IB's status, fills and executions in), then carries on.
   */
  crashAndRestore(): void {
    if (this.outcome !== null) return;
    this.queue = this.queue.filter((p) => p.kind === 'cancel-completes');
    this.ticks = [];
    const rows: JournaledOrder[] = this.state.slots.flatMap((slot) =>
      slot.tracks.map((t) => {
        const v = [...this.orders.values()].find((o) => o.orderRef === t.orderRef);
        const intent = t.pending !== null && t.pending.kind !== 'cancel' ? t.pending : t;
        return {
          orderRef: t.orderRef,
          orderId: t.orderId,
          quantity: intent.quantity,
          limitPrice: intent.limit,
          sentAtMs: t.sentAtMs,
          status: v?.status ?? null,
          filled: v?.filled ?? 0,
          absent: v === undefined,
          refusal: t.refusal,
        };
      }),
    );
    const refs = new Set(rows.map((r) => r.orderRef));
    const executions = [...this.orders.values()]
      .filter((v) => refs.has(v.orderRef))
      .flatMap((v) => v.executions);
    const r = restore({ plan: this.plan, orders: rows, executions, commissions: [], nowMs: this.now });
    assert.ok(r.ok, r.ok ? '' : r.error.join('; '));
    this.state = r.value;
    this.connected = true;
    this.link = 'up';
    this.unresolved.clear();
    // A new process numbers its reconcile requests anew.
    this.issuedRequests = 0;
    this.submitQuoteAsked.clear();
    this.checkInvariants();
    this.feed({ type: 'tick', atMs: this.now });
  }

  /** Filled units per order key at the broker, to compare with the outcome. */
  truthFilled(key: string): number {
    return this.venueOrdersOf(key).reduce((n, v) => n + v.filled, 0);
  }

  /** Orders the machine still counts live at the end (must be none). */
  liveTracks(): string[] {
    return this.state.slots.flatMap((s) =>
      s.tracks.filter((t) => !isFinalPhase(t.phase)).map((t) => t.orderRef),
    );
  }
}
