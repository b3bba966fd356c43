// One gateway connection and what every IB component shares over it: pacing lanes, the request
// registry and the contract resolver. The broker (ib-broker.ts) and the market data query
// (ib-market-data.ts) are built on one client, so a preview and an execution share one socket.
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import { ContractResolver } from './contract-resolver.ts';
import { IbAccount } from './ib-account.ts';
import { IbConnection } from './ib-connection.ts';
import type { IbTimeouts } from './ib-timeouts.ts';
import type { PacingLimits } from './pacing.ts';
import { IB_PACING_LIMITS, Pacing } from './pacing.ts';
import { RequestRegistry } from './request-registry.ts';

export interface IbClientOptions {
  readonly host: string;
  readonly port: number;
  /** Fixed: reconnection reuses it, so IB keeps the orders bound to this client. */
  readonly clientId: number;
  /** The account to trade and report; null: the gateway's only managed account. */
  readonly account?: string | null;
  /** Times timeouts, backoff and probes (wall clock in production; a manual clock in tests). */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeouts?: Partial<IbTimeouts>;
  /** IB's limits with headroom by default; tests against a lifted simulator may lift them too. */
  readonly pacing?: Partial<PacingLimits>;
  /** 1 live (default), 3 delayed: delayed data is accepted only when asked for here. */
  readonly marketDataType?: 1 | 2 | 3 | 4;
}

export class IbClient {
  readonly conn: IbConnection;
  readonly registry: RequestRegistry;
  readonly pacing: Pacing;
  readonly resolver: ContractResolver;
  readonly accountValues: IbAccount;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly marketDataType: 1 | 2 | 3 | 4;
  private readonly configuredAccount: string | null;

  constructor(opts: IbClientOptions) {
    this.clock = opts.clock;
    this.logger = opts.logger;
    this.marketDataType = opts.marketDataType ?? 1;
    this.configuredAccount = opts.account ?? null;
    this.registry = new RequestRegistry(opts.clock);
    this.pacing = new Pacing({ ...IB_PACING_LIMITS, ...opts.pacing });
    this.conn = new IbConnection({
      host: opts.host,
      port: opts.port,
      clientId: opts.clientId,
      clock: opts.clock,
      logger: opts.logger,
      pacing: this.pacing,
      registry: this.registry,
      ...(opts.timeouts !== undefined ? { timeouts: opts.timeouts } : {}),
      marketDataType: this.marketDataType,
    });
    this.resolver = new ContractResolver(this.conn, this.registry, opts.logger);
    this.accountValues = new IbAccount(this.conn, this.registry, () => this.account());
  }

  /** "ib 127.0.0.1:4002 client 17" */
  get name(): string {
    const e = this.conn.endpoint;
    return `ib ${e.host}:${e.port} client ${e.clientId}`;
  }

  /** The account ironvix works in: the configured one, else the gateway's only managed account. */
  account(): string | null {
    if (this.configuredAccount !== null) return this.configuredAccount;
    const accounts = this.conn.info()?.accounts ?? [];
    return accounts.length === 1 ? (accounts[0] ?? null) : null;
  }

  /** Disconnects and stops the pacing lanes' timers. */
  async close(): Promise<void> {
    await this.conn.disconnect();
    await this.pacing.close();
  }
}

export function createIbClient(opts: IbClientOptions): IbClient {
  return new IbClient(opts);
}
