// reqId -> pending answer. Every request ends exactly once: with its answer, with the error IB routed
// to its id, as `disconnected` when the link drops, or as `timeout` (never a hang). Requests IB gives
// no id (current time, positions, open and completed orders) are keyed by name and shared by callers.
import type { BrokerFailure, BrokerResult, IbCodeClass } from '../../ports/broker.ts';
import type { Clock } from '../../ports/clock.ts';
import { err, ok } from '../../domain/result.ts';

/** Request ids live in [REQUEST_ID_MIN, REQUEST_ID_MAX] and wrap. */
export const REQUEST_ID_MIN = 1;
export const REQUEST_ID_MAX = 999_999;
/** Order ids never go below this, so an error's id can name a request or an order, never both. */
export const ORDER_ID_MIN = 1_000_000;

/** What an IB error does to a request: end it with this failure, or leave it running. */
export type ErrorDecision = { readonly fail: BrokerFailure } | 'ignore';

export interface RequestSpec {
  /** Names the request in failures: "contract details for SPXW 2025-01-13". */
  readonly what: string;
  readonly timeoutMs: number;
  /** Default: `info` codes are ignored, anything else ends the request with IB's code and text. */
  readonly onError?: (code: number, text: string, cls: IbCodeClass) => ErrorDecision;
  /** Runs once when the request ends, however it ends (release per-request state). */
  readonly onSettled?: () => void;
  /** Runs when the request ends by timeout (cancel the subscription at IB). */
  readonly onTimeout?: () => void;
}

export interface PendingRequest<T> {
  /** IB's request id; -1 for a keyed request. */
  readonly reqId: number;
  readonly what: string;
  readonly promise: Promise<BrokerResult<T>>;
  isOpen(): boolean;
  finish(value: T): void;
  fail(failure: BrokerFailure): void;
}

interface Entry {
  readonly reqId: number;
  readonly key: string | null;
  readonly spec: RequestSpec;
  readonly request: PendingRequest<unknown>;
}

export function defaultErrorDecision(code: number, text: string, cls: IbCodeClass): ErrorDecision {
  return cls === 'info' ? 'ignore' : { fail: { kind: 'error', code, text } };
}

export class RequestRegistry {
  private readonly byId = new Map<number, Entry>();
  private readonly byKey = new Map<string, Entry>();
  private lastId = REQUEST_ID_MIN - 1;

  constructor(
    private readonly clock: Clock,
    /** Highest request id before wrapping (tests use a small one). */
    private readonly maxId: number = REQUEST_ID_MAX,
  ) {}

  /** Opens a request with a fresh id. */
  open<T>(spec: RequestSpec): PendingRequest<T> {
    return this.create<T>(this.allocateId(), null, spec);
  }

  /** The open request under `key`, or a new one (callers asking at the same time share one answer). */
  openKeyed<T>(
    key: string,
    spec: RequestSpec,
  ): { readonly request: PendingRequest<T>; readonly joined: boolean } {
    const existing = this.byKey.get(key);
    if (existing !== undefined) return { request: existing.request as PendingRequest<T>, joined: true };
    return { request: this.create<T>(-1, key, spec), joined: false };
  }

  get<T>(reqId: number): PendingRequest<T> | undefined {
    return this.byId.get(reqId)?.request as PendingRequest<T> | undefined;
  }

  keyed<T>(key: string): PendingRequest<T> | undefined {
    return this.byKey.get(key)?.request as PendingRequest<T> | undefined;
  }

  /** Routes an IB error to the request with that id; false when no open request has it. */
  routeError(reqId: number, code: number, text: string, cls: IbCodeClass): boolean {
    const e = this.byId.get(reqId);
    if (e === undefined) return false;
    const decision = (e.spec.onError ?? defaultErrorDecision)(code, text, cls);
    if (decision !== 'ignore') e.request.fail(decision.fail);
    return true;
  }

  /** Ends every open request (the link dropped, or the adapter is closing). */
  failAll(failure: BrokerFailure): void {
    for (const e of [...this.byId.values(), ...this.byKey.values()]) e.request.fail(failure);
  }

  openCount(): number {
    return this.byId.size + this.byKey.size;
  }

  private allocateId(): number {
    const span = this.maxId - REQUEST_ID_MIN + 1;
    for (let i = 0; i < span; i++) {
      this.lastId = this.lastId >= this.maxId ? REQUEST_ID_MIN : this.lastId + 1;
      if (!this.byId.has(this.lastId)) return this.lastId;
    }
    throw new Error(`all ${span} request ids are in use: requests are leaking`);
  }

  private create<T>(reqId: number, key: string | null, spec: RequestSpec): PendingRequest<T> {
    let settle: (r: BrokerResult<T>) => void = () => undefined;
    const promise = new Promise<BrokerResult<T>>((resolve) => {
      settle = resolve;
    });
    let open = true;
    let cancelTimer = (): void => undefined;
    const end = (r: BrokerResult<T>, timedOut: boolean): void => {
      if (!open) return;
      open = false;
      cancelTimer();
      if (reqId >= 0) this.byId.delete(reqId);
      if (key !== null && this.byKey.get(key)?.request === request) this.byKey.delete(key);
      if (timedOut) spec.onTimeout?.();
      spec.onSettled?.();
      settle(r);
    };
    const request: PendingRequest<T> = {
      reqId,
      what: spec.what,
      promise,
      isOpen: () => open,
      finish: (value) => end(ok(value), false),
      fail: (failure) => end(err(failure), false),
    };
    cancelTimer = this.clock.schedule(this.clock.nowMs() + spec.timeoutMs, () =>
      end(err({ kind: 'timeout', text: `${spec.what}: no answer within ${spec.timeoutMs} ms` }), true),
    );
    const entry: Entry = { reqId, key, spec, request: request };
    if (reqId >= 0) this.byId.set(reqId, entry);
    if (key !== null) this.byKey.set(key, entry);
    return request;
  }
}
