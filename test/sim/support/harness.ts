// Conformance harness: the unmodified @stoqey/ib IBApi client over TCP to the simulator on
// 127.0.0.1 (port 0). Waits are event-driven; a short wall-clock guard only turns a hang into a
// failure. Every client records stoqey's own decode errors (505) so each test can assert none.
import { EventName, IBApi } from '@stoqey/ib';

/** Fails a wait that never sees its event; generous because the machine is shared. */
export const SAFETY_TIMEOUT_MS = 8000;

export interface Recorded {
  readonly name: string;
  readonly args: readonly unknown[];
}

export interface ErrorEvent {
  readonly message: string;
  readonly code: number;
  readonly reqId: number;
  readonly advancedOrderReject: unknown;
}

export class TestClient {
  readonly ib: IBApi;
  readonly events: Recorded[] = [];
  readonly errors: ErrorEvent[] = [];
  readonly infos: { readonly message: string; readonly code: number }[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly port: number,
    readonly clientId: number,
    opts: { readonly maxReqPerSec?: number } = {},
  ) {
    this.ib = new IBApi({
      host: '127.0.0.1',
      port,
      ...(opts.maxReqPerSec !== undefined ? { maxReqPerSec: opts.maxReqPerSec } : {}),
    });
    this.ib.on(EventName.all, (name: string, args: unknown[]) => {
      this.events.push({ name, args });
      for (const w of [...this.waiters]) w();
    });
    this.ib.on(EventName.error, (err: Error, code: number, reqId: number, advancedOrderReject: unknown) => {
      this.errors.push({ message: err.message, code, reqId, advancedOrderReject });
    });
    this.ib.on(EventName.info, (message: string, code: number) => {
      this.infos.push({ message, code });
    });
  }

  /** Index to pass as `since` so a wait ignores what already arrived. */
  mark(): number {
    return this.events.length;
  }

  /** Resolves with the args of the first `name` event at or after `since` matching `pred`. */
  waitFor(
    name: string,
    pred: (args: readonly unknown[]) => boolean = () => true,
    since = 0,
  ): Promise<readonly unknown[]> {
    return this.waitUntil(() => {
      for (let i = since; i < this.events.length; i++) {
        const e = this.events[i];
        if (e !== undefined && e.name === name && pred(e.args)) return e.args;
      }
      return undefined;
    }, `event ${name}`);
  }

  /** Resolves when `check` returns a value; re-checked on every event. */
  waitUntil<T>(check: () => T | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = check();
      if (first !== undefined) {
        resolve(first);
        return;
      }
      const timer = setTimeout(() => {
        this.waiters.delete(probe);
        const recent = this.events
          .slice(-8)
          .map((e) => `${e.name}(${JSON.stringify(e.args).slice(0, 120)})`)
          .join('\n  ');
        reject(new Error(`timed out waiting for ${what}; last events:\n  ${recent}`));
      }, SAFETY_TIMEOUT_MS);
      const probe = (): void => {
        const v = check();
        if (v !== undefined) {
          clearTimeout(timer);
          this.waiters.delete(probe);
          resolve(v);
        }
      };
      this.waiters.add(probe);
    });
  }

  count(name: string, since = 0): number {
    let n = 0;
    for (let i = since; i < this.events.length; i++) if (this.events[i]?.name === name) n++;
    return n;
  }

  all(name: string, since = 0): (readonly unknown[])[] {
    return this.events
      .slice(since)
      .filter((e) => e.name === name)
      .map((e) => e.args);
  }

  /**
   * Round-trip barrier: the server answers requests in order, so once this reqCurrentTime is
   * answered every message it sent before has arrived.
   */
  async sync(): Promise<void> {
    const since = this.mark();
    this.ib.reqCurrentTime();
    await this.waitFor('currentTime', () => true, since);
  }

  /** Connects and resolves with the first nextValidId. */
  async connect(): Promise<number> {
    const since = this.mark();
    this.ib.connect(this.clientId);
    const [id] = await this.waitFor('nextValidId', () => true, since);
    return id as number;
  }

  /** Disconnects (if connected) and waits for the socket to close. */
  async disconnect(): Promise<void> {
    if (!this.ib.isConnected) return;
    const since = this.mark();
    this.ib.disconnect();
    await this.waitFor('disconnected', () => true, since);
  }

  /** stoqey's decoder errors: underrun / unprocessed data (505) or no parser (also 505). */
  decodeErrors(): ErrorEvent[] {
    return this.errors.filter((e) => e.code === 505);
  }

  errorsWithCode(code: number): ErrorEvent[] {
    return this.errors.filter((e) => e.code === code);
  }
}
