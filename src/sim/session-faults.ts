// Scriptable wire-level faults (ib-notes.md §4): drop a connection at the Nth message or at a named
// event, drop or delay order acknowledgements, duplicate events, swallow orders silently. Seeded,
// so a fault plan with probabilities replays identically. Gateway restarts live in server.ts.
import { createRng } from './rng.ts';
import type { Rng } from './rng.ts';

/** Applies to every session unless `clientId` narrows it. */
interface Targeted {
  readonly clientId?: number;
}

export type SessionFault =
  /** Close the connection instead of sending (out) or handling (in) the Nth message after arming. */
  | (Targeted & { readonly kind: 'dropAtMessage'; readonly n: number; readonly direction?: 'out' | 'in' })
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
  | (Targeted & { readonly kind: 'silentDrop'; readonly probability?: number; readonly count?: number });

export type SessionFaultKind = SessionFault['kind'];

export type OutgoingDecision =
  | { readonly action: 'send'; readonly copies: 1 | 2 }
  | { readonly action: 'drop' }
  | { readonly action: 'delay'; readonly delayMs: number }
  | { readonly action: 'disconnect'; readonly reason: string };

/** What a fault needs to know about the session it is looking at. */
export interface FaultSubject {
  readonly sessionId: number;
  readonly clientId: number | null;
}

interface Armed {
  readonly fault: SessionFault;
  /** Matching messages seen per session since arming. */
  readonly seen: Map<number, number>;
  remaining: number;
}

export interface FaultFiring {
  readonly kind: SessionFaultKind;
  readonly sessionId: number;
  readonly clientId: number | null;
  readonly detail: string;
}

export class SessionFaults {
  private armed: Armed[] = [];
  private readonly rng: Rng;
  private readonly fired: FaultFiring[] = [];

  constructor(seed: number) {
    this.rng = createRng(seed).fork('session-faults');
  }

  /** Adds a fault; returns a function that removes it. */
  arm(fault: SessionFault): () => void {
    validate(fault);
    const oneShot = fault.kind === 'dropAtMessage' || fault.kind === 'dropAtEvent';
    const entry: Armed = { fault, seen: new Map(), remaining: oneShot ? 1 : (fault.count ?? Infinity) };
    this.armed.push(entry);
    return () => {
      this.armed = this.armed.filter((a) => a !== entry);
    };
  }

  clear(): void {
    this.armed = [];
  }

  active(): readonly SessionFault[] {
    return this.armed.map((a) => a.fault);
  }

  /** Every fault that took effect, in order (for tests and logs). */
  history(): readonly FaultFiring[] {
    return this.fired;
  }

  /** Before handling an incoming message: true means drop the connection instead. */
  onIncoming(s: FaultSubject): boolean {
    for (const a of this.matching(s, 'dropAtMessage')) {
      if ((a.fault.direction ?? 'out') !== 'in') continue;
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

  /** On placeOrder: true means swallow it silently. */
  onPlaceOrder(s: FaultSubject, orderId: number): boolean {
    for (const a of this.matching(s, 'silentDrop')) {
      if (this.roll(a.fault.probability)) {
        this.consume(a, s, `swallowed order ${orderId}`);
        return true;
      }
    }
    return false;
  }

  private *matching<K extends SessionFaultKind>(
    s: FaultSubject,
    kind: K,
  ): Generator<Armed & { readonly fault: Extract<SessionFault, { kind: K }> }> {
    for (const a of this.armed) {
      if (a.fault.kind !== kind || a.remaining <= 0) continue;
      if (a.fault.clientId !== undefined && a.fault.clientId !== s.clientId) continue;
      yield a as Armed & { readonly fault: Extract<SessionFault, { kind: K }> };
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
    this.fired.push({ kind: a.fault.kind, sessionId: s.sessionId, clientId: s.clientId, detail });
    if (a.remaining <= 0) this.armed = this.armed.filter((x) => x !== a);
  }
}

function validate(f: SessionFault): void {
  const bad = (why: string): never => {
    throw new RangeError(`invalid ${f.kind} fault: ${why}`);
  };
  switch (f.kind) {
    case 'dropAtMessage':
      if (!Number.isInteger(f.n) || f.n < 1) bad('n must be a positive integer');
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
    case 'dropAcks':
    case 'silentDrop':
      break;
  }
  if ('probability' in f && f.probability !== undefined && !(f.probability >= 0 && f.probability <= 1)) {
    bad('probability must be within 0..1');
  }
  if ('count' in f && f.count !== undefined && !(f.count >= 1)) bad('count must be >= 1');
}
