// An IB client (broker + market data on one connection) for adapter tests, with every event recorded.
import net from 'node:net';
import type { Clock } from '../../../../src/ports/clock.ts';
import type { BrokerEvent, BrokerPort, OrderIntent } from '../../../../src/ports/broker.ts';
import type { OptionContract } from '../../../../src/domain/instruments.ts';
import { spxwOption, vixOption } from '../../../../src/domain/instruments.ts';
import { priceCents } from '../../../../src/domain/money.ts';
import type { TestSim } from '../../../support/sim-server.ts';
import { SCRIPTED_ACCOUNT } from './scripted-gateway.ts';
import { IbBroker } from '../../../../src/adapters/ib/ib-broker.ts';
import { createIbClient } from '../../../../src/adapters/ib/ib-client.ts';
import type { IbClient } from '../../../../src/adapters/ib/ib-client.ts';
import { IbMarketData } from '../../../../src/adapters/ib/ib-market-data.ts';
import type { IbTimeouts } from '../../../../src/adapters/ib/ib-timeouts.ts';
import type { PacingLimits } from '../../../../src/adapters/ib/pacing.ts';
import { LIFTED_PACING_LIMITS } from '../../../../src/adapters/ib/pacing.ts';
import { captureLogger } from '../../../../src/adapters/log/silent-logger.ts';
import type { LogRecord } from '../../../../src/adapters/log/silent-logger.ts';
import { createSystemClock } from '../../../../src/adapters/clock/system-clock.ts';

export interface TestClientOptions {
  readonly clock?: Clock;
  readonly clientId?: number;
  readonly timeouts?: Partial<IbTimeouts>;
  readonly pacing?: Partial<PacingLimits>;
  readonly marketDataType?: 1 | 2 | 3 | 4;
}

export interface IbTestClient {
  readonly client: IbClient;
  readonly broker: IbBroker;
  readonly md: IbMarketData;
  readonly events: BrokerEvent[];
  readonly logs: LogRecord[];
  close(): Promise<void>;
}

export function ibTestClient(port: number, opts: TestClientOptions = {}): IbTestClient {
  const { logger, records } = captureLogger();
  const client = createIbClient({
    host: '127.0.0.1',
    port,
    clientId: opts.clientId ?? 17,
    clock: opts.clock ?? createSystemClock(),
    logger,
    pacing: opts.pacing ?? LIFTED_PACING_LIMITS,
    timeouts: { backoffInitialMs: 10, backoffMaxMs: 50, ...opts.timeouts },
    ...(opts.marketDataType !== undefined ? { marketDataType: opts.marketDataType } : {}),
  });
  const broker = new IbBroker(client);
  const md = new IbMarketData(client);
  const events: BrokerEvent[] = [];
  broker.onEvent((e) => events.push(e));
  return { client, broker, md, events, logs: records, close: () => client.close() };
}

/** Polls `cond` (a wall-clock guard turns a hang into a failure; it is not a sleep the test relies on). */
export async function waitUntil(cond: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A port nothing listens on (taken from the OS, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A listener that is not an IB gateway: it answers every connection with `reply` (or stays silent). */
export async function foreignServer(reply: Buffer | null): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    if (reply !== null) s.once('data', () => s.end(reply));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The first `n` listed VIX monthly calls of a simulator. */
export function listedVixCalls(t: TestSim, n: number): OptionContract[] {
  return t.sim.market
    .findContracts({ symbol: 'VIX', secType: 'OPT', tradingClass: 'VIX', right: 'C' })
    .slice(0, n)
    .map((x) => vixOption('VIX', x.expiry ?? '', x.strike ?? 0, 'C'));
}

/** A 1-lot BUY limit order (default: the SPXW 2025-01-13 5900 call at 1.00). */
export function testOrder(
  broker: BrokerPort,
  orderRef: string,
  over: Partial<Omit<OrderIntent, 'orderRef'>> = {},
): OrderIntent {
  return {
    orderId: broker.nextOrderId(),
    orderRef,
    account: SCRIPTED_ACCOUNT,
    contract: { kind: 'single', contract: spxwOption('2025-01-13', 5900, 'C') },
    action: 'BUY',
    quantity: 1,
    limitPrice: priceCents(100),
    ...over,
  };
}
