// A connection to IB Gateway (or a simulator) through the IB adapter, with the account interlocks:
// the account must be one the gateway manages and must fit the mode (paper refuses a live account).
import { createIbBroker } from '../../adapters/ib/ib-broker.ts';
import { createIbClient } from '../../adapters/ib/ib-client.ts';
import { createIbMarketData } from '../../adapters/ib/ib-market-data.ts';
import { LIFTED_PACING_LIMITS } from '../../adapters/ib/pacing.ts';
import type { AppConfig } from '../../config/env.ts';
import { assertAccountAllowed } from '../../config/env.ts';
import type { Mode } from '../../domain/mode.ts';
import { IronvixError } from '../../errors.ts';
import type { BrokerPort } from '../../ports/broker.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { MarketDataQuery } from '../../ports/market-data.ts';

export interface IbSession {
  readonly broker: BrokerPort;
  readonly marketData: MarketDataQuery;
  readonly account: string;
  close(): Promise<void>;
}

/** Connects and applies the account interlocks: the account must be the gateway's and fit the mode. */
export async function openIbSession(o: {
  readonly config: AppConfig;
  readonly mode: Mode;
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly unpaced: boolean;
}): Promise<IbSession> {
  const client = createIbClient({
    host: o.host,
    port: o.port,
    clientId: o.config.ib.clientId,
    account: o.config.ib.account,
    clock: o.clock,
    logger: o.logger,
    ...(o.unpaced ? { pacing: LIFTED_PACING_LIMITS } : {}),
  });
  const broker = createIbBroker(client);
  const c = await broker.connect();
  if (!c.ok) {
    await client.close();
    throw new IronvixError('E_GATEWAY_UNAVAILABLE', `cannot connect to ${o.host}:${o.port}: ${c.error.text}`);
  }
  const configured = o.config.ib.account;
  const account = configured ?? (c.value.accounts.length === 1 ? c.value.accounts[0] : undefined);
  try {
    if (account === undefined)
      throw new IronvixError(
        'E_CONFIG_INVALID',
        `the gateway manages ${c.value.accounts.length} accounts (${c.value.accounts.join(', ')}): set IB_ACCOUNT`,
      );
    if (!c.value.accounts.includes(account))
      throw new IronvixError(
        'E_CONFIG_INVALID',
        `IB_ACCOUNT ${account} is not an account of this gateway (it manages ${c.value.accounts.join(', ')})`,
      );
    assertAccountAllowed(o.mode, account);
  } catch (e) {
    await client.close();
    throw e;
  }
  return { broker, marketData: createIbMarketData(client), account, close: () => client.close() };
}
