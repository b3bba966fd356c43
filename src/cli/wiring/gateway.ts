// Opens one IB Gateway session from configuration: the IB adapter (the only code that speaks to
// @stoqey/ib), connected, with the account interlocks passed. Every command that talks to a
// gateway (status, preview --gateway, run, reconcile, daemon, the demo over TCP) comes through here.
import { createGatewayClock } from '../../adapters/clock/gateway-clock.ts';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import { createIbBroker } from '../../adapters/ib/ib-broker.ts';
import type { IbClient } from '../../adapters/ib/ib-client.ts';
import { createIbClient } from '../../adapters/ib/ib-client.ts';
import { createIbMarketData } from '../../adapters/ib/ib-market-data.ts';
import type { IbTimeouts } from '../../adapters/ib/ib-timeouts.ts';
import type { PacingLimits } from '../../adapters/ib/pacing.ts';
import type { AppConfig } from '../../config/env.ts';
import { assertAccountAllowed, assertModeAllowed } from '../../config/env.ts';
import type { Mode, SessionPurpose } from '../../domain/mode.ts';
import { pickSessionAccount } from '../../domain/mode.ts';
import { IronvixError } from '../../errors.ts';
import type { BrokerPort, ConnectFailure, ConnectInfo } from '../../ports/broker.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { MarketDataQuery } from '../../ports/market-data.ts';

export type { SessionPurpose } from '../../domain/mode.ts';

export interface GatewayRequest {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  /** IB_ACCOUNT; null takes the gateway's only managed account. */
  readonly account: string | null;
  readonly mode: Mode;
  /** Reading (status, preview) passes the account checks; trading also needs live arming. */
  readonly purpose: SessionPurpose;
  /** The --live flag (trading in live mode needs it). */
  readonly liveFlag?: boolean;
  /** IRONVIX_LIVE_ARMED=yes. */
  readonly liveArmed?: boolean;
  readonly logger: Logger;
  /** Times timeouts and backoff; default the system clock. */
  readonly clock?: Clock;
  readonly pacing?: Partial<PacingLimits>;
  readonly timeouts?: Partial<IbTimeouts>;
}

export interface Gateway {
  /** "ib 127.0.0.1:4002 client 17" */
  readonly name: string;
  readonly client: IbClient;
  readonly broker: BrokerPort;
  readonly marketData: MarketDataQuery;
  /** The account this session works in, checked against the mode. */
  readonly account: string;
  readonly info: ConnectInfo;
  close(): Promise<void>;
}

/** The gateway request configuration describes (IB_HOST, IB_PORT, IB_CLIENT_ID, IB_ACCOUNT, mode, pacing). */
export function gatewayRequest(
  config: AppConfig,
  opts: { readonly purpose: SessionPurpose; readonly logger: Logger; readonly liveFlag?: boolean },
): GatewayRequest {
  return {
    host: config.ib.host,
    port: config.ib.port,
    clientId: config.ib.clientId,
    account: config.ib.account,
    mode: config.mode,
    purpose: opts.purpose,
    liveFlag: opts.liveFlag ?? false,
    liveArmed: config.liveArmed,
    logger: opts.logger,
    pacing: { orderMessagesPerSecond: config.maxOrdersPerSecond },
  };
}

/** Connects, checks the account against the mode, and returns the session; refuses with a coded error. */
export async function openGateway(req: GatewayRequest): Promise<Gateway> {
  // Refuse what configuration alone rules out before a socket is opened.
  if (req.purpose === 'trade') {
    assertModeAllowed(
      { mode: req.mode, liveArmed: req.liveArmed ?? false, ib: { account: req.account } },
      { liveFlag: req.liveFlag ?? false },
    );
  } else if (req.account !== null) {
    assertAccountAllowed(req.mode, req.account);
  }
  const client = createIbClient({
    host: req.host,
    port: req.port,
    clientId: req.clientId,
    account: req.account,
    clock: req.clock ?? createSystemClock(),
    logger: req.logger,
    ...(req.pacing !== undefined ? { pacing: req.pacing } : {}),
    ...(req.timeouts !== undefined ? { timeouts: req.timeouts } : {}),
  });
  const broker = createIbBroker(client);
  const where = `${req.host}:${req.port}`;
  try {
    const connected = await broker.connect();
    if (!connected.ok) throw connectError(connected.error, where, req.clientId);
    const info = connected.value;
    const choice = pickSessionAccount(req.account, info.accounts);
    if (!choice.ok) {
      const listed = choice.managed.length === 0 ? 'none' : choice.managed.join(', ');
      const why =
        choice.kind === 'account-not-managed'
          ? `IB_ACCOUNT ${req.account ?? ''} is not an account of the gateway at ${where}`
          : choice.kind === 'ambiguous-account'
            ? `the gateway at ${where} manages several accounts and IB_ACCOUNT names none`
            : `the gateway at ${where} reported no managed account`;
      throw new IronvixError('E_GATEWAY_ACCOUNT', `${why} (managed: ${listed})`);
    }
    assertAccountAllowed(req.mode, choice.account);
    req.logger.info('gateway session open', {
      component: 'gateway',
      gateway: client.name,
      serverVersion: info.serverVersion,
      mode: req.mode,
      purpose: req.purpose,
    });
    return {
      name: client.name,
      client,
      broker,
      marketData: createIbMarketData(client),
      account: choice.account,
      info,
      close: () => client.close(),
    };
  } catch (e) {
    await client.close();
    throw e;
  }
}

function connectError(f: ConnectFailure, where: string, clientId: number): IronvixError {
  switch (f.kind) {
    case 'unreachable':
      return new IronvixError('E_GATEWAY_UNREACHABLE', `no gateway answers at ${where}: ${f.text}`);
    case 'handshake':
      return new IronvixError(
        'E_GATEWAY_HANDSHAKE',
        `${where} answered but the TWS API handshake failed: ${f.text}`,
      );
    case 'client-id-in-use':
      return new IronvixError(
        'E_GATEWAY_CLIENT_ID',
        `the gateway at ${where} refused client id ${clientId}: another program is connected with it (${f.text})`,
      );
    case 'timeout':
      return new IronvixError(
        'E_GATEWAY_TIMEOUT',
        `the gateway at ${where} did not answer in time: ${f.text}`,
      );
  }
}

/**
 * The clock the bot runs on: this machine's, or with IRONVIX_CLOCK=gateway the gateway's own
 * (reqCurrentTime polled, monotonic in between). Returns the clock and its stop.
 */
export async function sessionClock(
  gateway: Gateway,
  config: Pick<AppConfig, 'clock' | 'gatewayClockPollMs'>,
  logger: Logger,
  system: Clock = createSystemClock(),
): Promise<{ readonly clock: Clock; stop(): void }> {
  if (config.clock === 'system') return { clock: system, stop: () => undefined };
  const gc = createGatewayClock({
    readGatewayMs: () => gateway.broker.serverTimeMs(),
    timers: system,
    pollMs: config.gatewayClockPollMs,
    logger,
  });
  if (!(await gc.start()))
    throw new IronvixError(
      'E_GATEWAY_TIMEOUT',
      `the gateway ${gateway.name} did not tell its time (IRONVIX_CLOCK=gateway needs reqCurrentTime)`,
    );
  return { clock: gc, stop: () => gc.stop() };
}

/** IRONVIX_RESTART_WINDOW in the form the pre-flight check reads ("23:45"-"00:15"), or null. */
export function preflightRestartWindow(
  w: AppConfig['restartWindow'],
): { readonly start: string; readonly end: string } | null {
  if (w === null) return null;
  const hhmm = (m: number): string =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return { start: hhmm(w.startMinutes), end: hhmm(w.endMinutes) };
}

/** The pre-flight settings every trading command uses (run --once, the daemon, campaigns). */
export function preflightSettings(config: Pick<AppConfig, 'restartWindow'>): {
  readonly restartWindow: { readonly start: string; readonly end: string } | null;
  readonly maxClockSkewMs: number;
  readonly maxQuoteAgeMs: number;
  readonly whatIf: 'required';
} {
  return {
    restartWindow: preflightRestartWindow(config.restartWindow),
    maxClockSkewMs: 3_000,
    maxQuoteAgeMs: 5_000,
    // IB sometimes refuses what-if for SMART combos (360); the simulator answers it.
    whatIf: 'required',
  };
}
