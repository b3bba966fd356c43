// Harness: the IB adapter against a real IB paper gateway (opt-in: IRONVIX_PAPER_CONTRACT=1 and the
// gateway settings). Links are cut through a local TCP relay; faults and gateway restarts cannot be
// scripted on a real gateway, so those cases are skipped here. Refuses anything but a paper account.
import type { AppConfig } from '../../src/config/env.ts';
import { isPaperAccount } from '../../src/domain/mode.ts';
import type { BrokerPort } from '../../src/ports/broker.ts';
import type { MarketDataQuery } from '../../src/ports/market-data.ts';
import { createSystemClock } from '../../src/adapters/clock/system-clock.ts';
import { createIbBroker } from '../../src/adapters/ib/ib-broker.ts';
import { createIbClient } from '../../src/adapters/ib/ib-client.ts';
import type { IbClient } from '../../src/adapters/ib/ib-client.ts';
import { createIbMarketData } from '../../src/adapters/ib/ib-market-data.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import type { BrokerHarness, HarnessFactory } from './harness.ts';
import { ORDER_REF_PREFIX } from './broker-contract.ts';

export interface PaperGateway {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  readonly account: string;
}

/**
 * The gateway to use, or why the paper run is skipped (printed once by the test). `flag` is
 * IRONVIX_PAPER_CONTRACT from the shell; the gateway settings come from .env / the environment
 * through src/config (IB_HOST, IB_PORT, IB_CLIENT_ID default as everywhere; IB_ACCOUNT is required).
 */
export function paperGateway(
  flag: string | undefined,
  ib: AppConfig['ib'],
): PaperGateway | { readonly skip: string } {
  if (flag !== '1')
    return { skip: 'opt-in: IRONVIX_PAPER_CONTRACT=1 with a paper gateway in .env (paper/README.md)' };
  if (ib.account === null)
    return { skip: 'IRONVIX_PAPER_CONTRACT=1 but IB_ACCOUNT is unset (paper/README.md)' };
  if (!isPaperAccount(ib.account))
    throw new Error(
      `IB_ACCOUNT ${ib.account} is not a paper account (paper ids start with D): refusing to trade it`,
    );
  return { host: ib.host, port: ib.port, clientId: ib.clientId, account: ib.account };
}

interface Client {
  readonly client: IbClient;
  readonly broker: BrokerPort;
  readonly marketData: MarketDataQuery;
}

export function ibPaperHarness(gw: PaperGateway): HarnessFactory {
  return async (): Promise<BrokerHarness> => {
    const proxy = await startTcpProxy({ host: gw.host, port: gw.port });
    const open = async (): Promise<Client> => {
      const client = createIbClient({
        host: '127.0.0.1',
        port: proxy.port,
        clientId: gw.clientId,
        account: gw.account,
        clock: createSystemClock(),
        logger: silentLogger,
      });
      const c = { client, broker: createIbBroker(client), marketData: createIbMarketData(client) };
      const r = await c.broker.connect();
      if (!r.ok)
        throw new Error(`cannot connect to the paper gateway ${gw.host}:${gw.port}: ${r.error.text}`);
      const live = r.value.accounts.filter((a) => !a.startsWith('D'));
      if (!r.value.accounts.includes(gw.account) || live.length > 0) {
        await client.close();
        throw new Error(
          `the gateway manages ${r.value.accounts.join(', ')}: not the paper account ${gw.account} alone`,
        );
      }
      return c;
    };
    let current = await open();
    return {
      get broker() {
        return current.broker;
      },
      get marketData() {
        return current.marketData;
      },
      account: gw.account,
      knownGaps: new Map(),
      controls: {
        advance: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 2_000))),
        dropLink: () => {
          proxy.dropAll();
          return Promise.resolve();
        },
        restartClient: async () => {
          await current.client.close();
          current = await open();
          return current.broker;
        },
        restartGateway: null,
        rejectNextOrderForMargin: null,
        duplicateExecutions: null,
        dropNextAcks: null,
        whatIfFault: null,
        partialFillQuantity: null,
      },
      async close() {
        // Orders a case left working are cancelled; fills stay in the paper account.
        const open = await current.broker.openOrders();
        if (open.ok)
          for (const o of open.value)
            if (o.orderRef.startsWith(ORDER_REF_PREFIX)) await current.broker.cancel(o.orderId);
        await current.client.close();
        await proxy.close();
      },
    };
  };
}
