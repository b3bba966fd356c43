// The simulator's one fault catalogue (docs/ib-notes.md §4), scriptable and seeded so a plan with
// probabilities replays identically. Link faults act on one client's connection (a TCP session, or
// the in-process memory broker's link): drop it at the Nth message or at a named event, drop or delay
// order acknowledgements, duplicate events, swallow orders. Venue faults act on the order book every
// client shares: rejects, refused or margin-less whatIf answers. Gateway restarts live in server.ts.
import { IbCode, isSimIbCode } from './ib-codes.ts';
import type { SimIbCode } from './ib-codes.ts';
import { createRng } from './rng.ts';
import type { Rng } from './rng.ts';

/** Applies to every client unless `clientId` narrows it. */
interface Targeted {
  readonly clientId?: number;
}

export type SimFault =
  // --- link faults: one client's connection --------------------------------------------------
  /**
   * Close the connection instead of sending (out) or handling (in) the Nth message after arming. Incoming
   * messages may be narrowed by TWS message id (ClientMsg): only those in `only`, none of `except`
   * (e.g. the gateway clock's reqCurrentTime polls, whose number depends on real time).
   */
  | (Targeted & {
      readonly kind: 'dropAtMessage';
      readonly n: number;
      readonly direction?: 'out' | 'in';
      readonly only?: readonly number[];
      readonly except?: readonly number[];
    })
  /** Close the connection instead of sending the occurrence-th message of this event (e.g. 'execDetails'). */
  | (Targeted & { readonly kind: 'dropAtEvent'; readonly event: string; readonly occurrence?: number })
  /** Live openOrder/orderStatus messages are not delivered (the order still exists at the venue). */
  | (Targeted & { readonly kind: 'dropAcks'; readonly probability?: number; readonly count?: number })
  /** Live openOrder/orderStatus messages arrive delayMs later on the simulator clock. */
  | (Targeted & { readonly kind: 'delayAcks'; readonly delayMs: number; readonly count?: number })
  /** The named event is sent twice, identically (TWS repeats openOrder/orderStatus; exec duplicates). */
  | (Targeted & {
      readonly kind: 'duplicateEvent';
      readonly event: string;
      readonly probability?: number;
      readonly count?: number;
    })
  /** placeOrder is read and never acted on or answered (the paper-server silent drop, LEAN IB #93). */
  | (Targeted & { readonly kind: 'silentDrop'; readonly probability?: number; readonly count?: number })
  // --- venue faults: the shared order book ----------------------------------------------------
  /** Venue: new orders (not modifications or whatIf) are rejected with this code (default 201). */
  | (Targeted & {
      readonly kind: 'rejectOrders';
      readonly count?: number;
      /** One of the codes in SIM_IB_CODES (src/sim/ib-codes.ts), so the IB adapter knows it. */
      readonly code?: SimIbCode;
      readonly reason?: string;
    })
  /**
   * Venue: the next new orders work and fill, but none of their openOrder/orderStatus events is ever
   * emitted, on any connection (the acknowledgements are lost; reqOpenOrders still lists them).
   */
  | (Targeted & { readonly kind: 'dropOrderAcks'; readonly count?: number })
  /** Venue: whatIf is refused with 360 (every whatIf, or SMART-routed combos only, as IB sometimes does). */
  | (Targeted & {
      readonly kind: 'whatIfRefused';
      readonly smartCombosOnly?: boolean;
      readonly count?: number;
    })
  /** Venue: whatIf answered with a warning and unset margins, as IB sometimes answers first (ib_insync #380). */
  | (Targeted & { readonly kind: 'whatIfNoMargin'; readonly count?: number });

export type SimFaultKind = SimFault['kind'];

/** The venue's answer to a whatIf under the armed faults. */
export type WhatIfFault = 'answer' | 'refuse' | 'no-margin';

/** Default text of a scripted reject. */
export const SIM_REJECT_REASON = 'Order rejected - reason: simulated venue reject';

export type OutgoingDecision =
  | { readonly action: 'send'; readonly copies: 1 | 2 }
  | { readonly action: 'drop' }
  | { readonly action: 'delay'; readonly delayMs: number }
  | { readonly action: 'disconnect'; readonly reason: string };

/** What a fault needs to know about the client it is looking at (sessionId: one connection). */
export interface FaultSubject {
  readonly sessionId: number;
  readonly clientId: number | null;
}

interface Armed {
  readonly fault: SimFault;
  /** Matching messages seen per session since arming. */
  readonly seen: Map<number, number>;
  remaining: number;
}

export interface FaultFiring {
  readonly kind: SimFaultKind;
  readonly sessionId: number;
  readonly clientId: number | null;
  readonly detail: string;
}

/** An order a client sent, as the gateway read it (before any fault or validation). */
export interface PlaceOrderSeen {
  readonly sessionId: number;
  readonly clientId: number | null;
  readonly orderId: number;
  readonly orderRef: string;
  readonly whatIf: boolean;
}

/** What a watcher is told: each fault as it takes effect, and each placeOrder read (the crash suite). */
export type FaultWatchEvent =
  | { readonly type: 'fired'; readonly firing: FaultFiring }
  /** A client message read (before any fault), with its TWS message id. */
  | {
      readonly type: 'incoming';
      readonly sessionId: number;
      readonly clientId: number | null;
      readonly msgId: number;
    }
  | { readonly type: 'placeOrder'; readonly order: PlaceOrderSeen };

export class SimFaults {
  private armed: Armed[] = [];
  private readonly rng: Rng;
  private readonly fired: FaultFiring[] = [];
  private readonly watchers = new Set<(e: FaultWatchEvent) => void>();

  constructor(seed: number) {
    this.rng = createRng(seed).fork('session-faults');
  }

  /** Adds a fault; returns a function that removes it. */
  arm(fault: SimFault): () => void {
    validate(fault);
    const oneShot = fault.kind === 'dropAtMessage' || fault.kind === 'dropAtEvent';
    const count = 'count' in fault ? fault.count : undefined;
    const entry: Armed = { fault, seen: new Map(), remaining: oneShot ? 1 : (count ?? Infinity) };
    this.armed.push(entry);
    return () => {
      this.armed = this.armed.filter((a) => a !== entry);
    };
  }

  clear(): void {
    this.armed = [];
  }

  active(): readonly SimFault[] {
    return this.armed.map((a) => a.fault);
  }

  /** Every fault that took effect, in order (for tests and logs). */
  history(): readonly FaultFiring[] {
    return this.fired;
  }

  /** Told synchronously of every firing and every placeOrder read; returns its removal. */
  watch(listener: (e: FaultWatchEvent) => void): () => void {
    this.watchers.add(listener);
    return () => {
      this.watchers.delete(listener);
    };
  }

  /** Before handling an incoming message (`msgId` its TWS id when known): true means drop the connection instead. */
  onIncoming(s: FaultSubject, msgId?: number): boolean {
    if (msgId !== undefined)
      for (const w of [...this.watchers])
        w({ type: 'incoming', sessionId: s.sessionId, clientId: s.clientId, msgId });
    for (const a of this.matching(s, 'dropAtMessage')) {
      if ((a.fault.direction ?? 'out') !== 'in') continue;
      const { only, except } = a.fault;
      if (only !== undefined && (msgId === undefined || !only.includes(msgId))) continue;
      if (except !== undefined && msgId !== undefined && except.includes(msgId)) continue;
      if (this.count(a, s) === a.fault.n) {
        this.consume(a, s, `incoming message ${a.fault.n}`);
        return true;
      }
    }
    return false;
  }

  /** Before sending a message. `live` marks order events pushed by the venue (acks), not request replies. */
  onOutgoing(s: FaultSubject, event: string, live: boolean): OutgoingDecision {
    for (const a of this.matching(s, 'dropAtMessage')) {
      if ((a.fault.direction ?? 'out') !== 'out') continue;
      if (this.count(a, s) === a.fault.n) {
        this.consume(a, s, `outgoing message ${a.fault.n} (${event})`);
        return { action: 'disconnect', reason: `fault: drop at outgoing message ${a.fault.n}` };
      }
    }
    for (const a of this.matching(s, 'dropAtEvent')) {
      if (a.fault.event !== event) continue;
      if (this.count(a, s) === (a.fault.occurrence ?? 1)) {
        this.consume(a, s, `${event} #${a.fault.occurrence ?? 1}`);
        return { action: 'disconnect', reason: `fault: drop at ${event}` };
      }
    }
    const isAck = live && (event === 'openOrder' || event === 'orderStatus');
    if (isAck) {
      for (const a of this.matching(s, 'dropAcks')) {
        if (this.roll(a.fault.probability)) {
          this.consume(a, s, `dropped ${event}`);
          return { action: 'drop' };
        }
      }
      for (const a of this.matching(s, 'delayAcks')) {
        this.consume(a, s, `delayed ${event} by ${a.fault.delayMs} ms`);
        return { action: 'delay', delayMs: a.fault.delayMs };
      }
    }
    for (const a of this.matching(s, 'duplicateEvent')) {
      if (a.fault.event === event && this.roll(a.fault.probability)) {
        this.consume(a, s, `duplicated ${event}`);
        return { action: 'send', copies: 2 };
      }
    }
    return { action: 'send', copies: 1 };
  }

  /** On placeOrder (`order` what the client wrote, when known): true means swallow it silently. */
  onPlaceOrder(s: FaultSubject, orderId: number, order?: { orderRef: string; whatIf: boolean }): boolean {
    if (order !== undefined && this.watchers.size > 0) {
      // The subject may be a session object: its fields are read, never spread (getters).
      const seen: PlaceOrderSeen = {
        sessionId: s.sessionId,
        clientId: s.clientId,
        orderId,
        orderRef: order.orderRef,
        whatIf: order.whatIf,
      };
      for (const w of [...this.watchers]) w({ type: 'placeOrder', order: seen });
    }
    for (const a of this.matching(s, 'silentDrop')) {
      if (this.roll(a.fault.probability)) {
        this.consume(a, s, `swallowed order ${orderId}`);
        return true;
      }
    }
    return false;
  }

  /** Venue, on a new order: the reject to answer with, or null. */
  onNewOrder(s: FaultSubject, orderId: number): { readonly code: SimIbCode; readonly reason: string } | null {
    for (const a of this.matching(s, 'rejectOrders')) {
      this.consume(a, s, `rejected order ${orderId}`);
      return { code: a.fault.code ?? IbCode.ORDER_REJECTED, reason: a.fault.reason ?? SIM_REJECT_REASON };
    }
    return null;
  }

  /** Venue, on a new order that will work: true when its acknowledgements are to be lost. */
  onOrderAcks(s: FaultSubject, orderId: number): boolean {
    for (const a of this.matching(s, 'dropOrderAcks')) {
      this.consume(a, s, `lost the acknowledgements of order ${orderId}`);
      return true;
    }
    return false;
  }

  /** Venue, on a whatIf: answer it, refuse it (360) or answer without margin numbers. */
  onWhatIf(s: FaultSubject, smartCombo: boolean): WhatIfFault {
    for (const a of this.matching(s, 'whatIfRefused')) {
      if (a.fault.smartCombosOnly === true && !smartCombo) continue;
      this.consume(a, s, 'refused whatIf');
      return 'refuse';
    }
    for (const a of this.matching(s, 'whatIfNoMargin')) {
      this.consume(a, s, 'whatIf without margin');
      return 'no-margin';
    }
    return 'answer';
  }

  private *matching<K extends SimFaultKind>(
    s: FaultSubject,
    kind: K,
  ): Generator<Armed & { readonly fault: Extract<SimFault, { kind: K }> }> {
    for (const a of this.armed) {
      if (a.fault.kind !== kind || a.remaining <= 0) continue;
      if (a.fault.clientId !== undefined && a.fault.clientId !== s.clientId) continue;
      yield a as Armed & { readonly fault: Extract<SimFault, { kind: K }> };
    }
  }

  private count(a: Armed, s: FaultSubject): number {
    const n = (a.seen.get(s.sessionId) ?? 0) + 1;
    a.seen.set(s.sessionId, n);
    return n;
  }

  private roll(probability: number | undefined): boolean {
    const p = probability ?? 1;
    return p >= 1 || this.rng.next() < p;
  }

  private consume(a: Armed, s: FaultSubject, detail: string): void {
    a.remaining--;
    const firing: FaultFiring = { kind: a.fault.kind, sessionId: s.sessionId, clientId: s.clientId, detail };
    this.fired.push(firing);
    if (a.remaining <= 0) this.armed = this.armed.filter((x) => x !== a);
    for (const w of [...this.watchers]) w({ type: 'fired', firing });
  }
}

function validate(f: SimFault): void {
  const bad = (why: string): never => {
    throw new RangeError(`invalid ${f.kind} fault: ${why}`);
  };
  switch (f.kind) {
    case 'dropAtMessage':
      if (!Number.isInteger(f.n) || f.n < 1) bad('n must be a positive integer');
      if ((f.only !== undefined || f.except !== undefined) && f.direction !== 'in')
        bad('only/except narrow incoming messages (direction in)');
      break;
    case 'dropAtEvent':
      if (f.event === '') bad('event is required');
      if (f.occurrence !== undefined && (!Number.isInteger(f.occurrence) || f.occurrence < 1)) {
        bad('occurrence must be a positive integer');
      }
      break;
    case 'delayAcks':
      if (!(f.delayMs >= 0)) bad('delayMs must be >= 0');
      break;
    case 'duplicateEvent':
      if (f.event === '') bad('event is required');
      break;
    case 'rejectOrders':
      if (f.code !== undefined && !isSimIbCode(f.code)) bad('code must be one of SIM_IB_CODES');
      break;
    case 'dropAcks':
    case 'silentDrop':
    case 'dropOrderAcks':
    case 'whatIfRefused':
    case 'whatIfNoMargin':
      break;
  }
  if ('probability' in f && f.probability !== undefined && !(f.probability >= 0 && f.probability <= 1)) {
    bad('probability must be within 0..1');
  }
  if ('count' in f && f.count !== undefined && !(f.count >= 1)) bad('count must be >= 1');
}
