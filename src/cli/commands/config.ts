// `ironvix config`: the effective configuration, each variable with its value and where it came
// from (environment, .env file, default), secrets masked. Reads nothing but the configuration.
import type { Command } from 'commander';
import type { AppConfig, EnvKey } from '../../config/env.ts';
import { ENV_KEYS, displayValue } from '../../config/env.ts';
import type { Runtime } from '../runtime.ts';
import { renderTable } from '../render/table.ts';

export interface ConfigEntry {
  readonly name: EnvKey;
  /** The value in effect as text (masked when secret); null when unset and without a default. */
  readonly value: string | null;
  readonly origin: string;
}

/** Defaults as they apply, for variables nobody set (the effective config, not the raw text). */
function effective(config: AppConfig, key: EnvKey): string | null {
  switch (key) {
    case 'IB_HOST':
      return config.ib.host;
    case 'IB_PORT':
      return String(config.ib.port);
    case 'IB_CLIENT_ID':
      return String(config.ib.clientId);
    case 'IB_ACCOUNT':
      return config.ib.account;
    case 'IRONVIX_MODE':
      return config.mode;
    case 'IRONVIX_LIVE_ARMED':
      return config.liveArmed ? 'yes' : 'no';
    case 'IRONVIX_DATA_DIR':
      return config.dataDir;
    case 'IRONVIX_LOG_LEVEL':
      return config.logLevel;
    case 'IRONVIX_LOG_FILE':
      return config.logFile;
    case 'IRONVIX_STRATEGY':
      return config.strategyPath;
    case 'IRONVIX_TZ':
      return config.displayTimeZone;
    case 'IRONVIX_CLOCK':
      return config.clock;
    case 'IRONVIX_CLOCK_POLL_MS':
      return String(config.gatewayClockPollMs);
    case 'IRONVIX_SIM_SEED':
      return String(config.simSeed);
    case 'IRONVIX_MAX_ORDERS_PER_SECOND':
      return String(config.maxOrdersPerSecond);
    case 'IRONVIX_RESTART_WINDOW':
      return config.rawValues.IRONVIX_RESTART_WINDOW ?? null;
    case 'IRONVIX_NOTIFY_URL':
      return config.notify?.url ?? null;
    case 'IRONVIX_NOTIFY_FORMAT':
      return config.notify?.format ?? config.rawValues.IRONVIX_NOTIFY_FORMAT ?? 'json';
    case 'IRONVIX_RISK_FREE_RATE':
      return String(config.rates.riskFree);
    case 'IRONVIX_SPX_DIVIDEND_YIELD':
      return String(config.rates.spxDividendYield);
  }
}

export function configEntries(config: AppConfig): ConfigEntry[] {
  return ENV_KEYS.map((name) => {
    const value = effective(config, name);
    return { name, value: value === null ? null : displayValue(name, value), origin: config.origins[name] };
  });
}

export function register(cmd: Command, rt: Runtime): void {
  cmd.option('--json', 'print it as JSON').action((opts: { json?: boolean }) => {
    const config = rt.config();
    const entries = configEntries(config);
    if (opts.json === true) {
      rt.io.out(
        `${JSON.stringify({ kind: 'ironvix.config', variables: entries, warnings: config.warnings }, null, 2)}\n`,
      );
      return;
    }
    const table = renderTable(
      [{ header: 'variable' }, { header: 'value' }, { header: 'from' }],
      entries.map((e) => [e.name, e.value ?? '(unset)', e.origin]),
    );
    rt.io.out(`${table}\n`);
    for (const w of config.warnings) rt.io.out(`warning: ${w}\n`);
  });
}
