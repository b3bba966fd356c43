// The only reader of process.env: .env file + environment -> a typed AppConfig, and the mode interlocks.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { IronvixError } from '../errors.ts';
import { defaultEnvFile, resolveFromRoot } from './paths.ts';
import { formatIssues, readableErrorMap } from './zod-errors.ts';

import type { Mode } from '../domain/mode.ts';
import { isPaperAccount } from '../domain/mode.ts';
export type { Mode } from '../domain/mode.ts';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';

export interface AppConfig {
  readonly ib: {
    readonly host: string;
    readonly port: number;
    readonly clientId: number;
    /** null: take the gateway's only managed account. */
    readonly account: string | null;
  };
  readonly mode: Mode;
  /** IRONVIX_LIVE_ARMED=yes: one of the three keys live trading needs. */
  readonly liveArmed: boolean;
  /** Absolute; journals, logs and run state. */
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** Absolute, or null for no log file. */
  readonly logFile: string | null;
  /** Absolute path of the strategy file. */
  readonly strategyPath: string;
  /** IANA zone for displayed times (trading logic always uses America/New_York). */
  readonly displayTimeZone: string;
  readonly simSeed: number;
  readonly maxOrdersPerSecond: number;
  /** The gateway's daily restart (New York minutes after midnight; end < start crosses midnight), or null. */
  readonly restartWindow: { readonly startMinutes: number; readonly endMinutes: number } | null;
  /** Webhook for notifications (issue 10), or null for none. */
  readonly notify: { readonly url: string; readonly format: 'json' | 'ntfy' } | null;
  /** IRONVIX_CLOCK: the bot's time from this machine (system) or from the gateway's reqCurrentTime (gateway). */
  readonly clock: 'system' | 'gateway';
  /** IRONVIX_CLOCK_POLL_MS: real milliseconds between the gateway clock's readings. */
  readonly gatewayClockPollMs: number;
  /** Annual rates for pricing a captured snapshot (IB publishes none). */
  readonly rates: { readonly riskFree: number; readonly spxDividendYield: number };
  /** Where each variable's value came from: 'environment', the .env file's path, or 'default'. */
  readonly origins: Readonly<Record<EnvKey, string>>;
  /** The raw text of every variable that was set (for `ironvix config`; mask secrets before printing). */
  readonly rawValues: Readonly<Partial<Record<EnvKey, string>>>;
  /** Variables that look like ours but are not (misspellings), each with the name it probably meant. */
  readonly warnings: readonly string[];
}

function intVar(min: number, max: number, def: number) {
  const rule = `must be an integer from ${min} to ${max}`;
  return z
    .string()
    .optional()
    .transform((s, ctx): number => {
      if (s === undefined) return def;
      const n = /^-?\d+$/.test(s) ? Number(s) : Number.NaN;
      if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message: rule });
      return z.NEVER;
    });
}

function rateVar(def: number) {
  return z
    .string()
    .optional()
    .transform((s, ctx): number => {
      if (s === undefined) return def;
      const n = /^\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : Number.NaN;
      if (n >= 0 && n <= 0.2) return n;
      ctx.addIssue({ code: 'custom', message: 'must be a decimal rate from 0 to 0.2 (0.04 = 4%)' });
      return z.NEVER;
    });
}

function pathVar(def: string | null) {
  return z
    .string()
    .optional()
    .transform((s): string | null => {
      const p = s ?? def;
      return p === null ? null : resolveFromRoot(p);
    });
}

const ACCOUNT_RULE = 'must be an IB account id: U1234567 (live), DU1234567 or DF1234567 (paper)';

/** Every variable ironvix reads; .env.example documents each of them (a test checks). */
export const envSchema = z.object({
  IB_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address')
    .default('127.0.0.1'),
  IB_PORT: intVar(1, 65535, 4002),
  IB_CLIENT_ID: intVar(0, 2 ** 31 - 1, 17),
  IB_ACCOUNT: z
    .string()
    .regex(/^[A-Z]{1,3}\d{3,12}$/, ACCOUNT_RULE)
    .optional()
    .transform((s) => s ?? null),
  IRONVIX_MODE: z.enum(['sim', 'paper', 'live'], { error: 'must be sim, paper or live' }).default('sim'),
  IRONVIX_LIVE_ARMED: z
    .enum(['yes', 'no'], { error: 'must be yes (arms live trading) or no; leave it unset to stay disarmed' })
    .optional()
    .transform((s) => s === 'yes'),
  IRONVIX_DATA_DIR: pathVar('./var'),
  IRONVIX_LOG_LEVEL: z
    .enum(['error', 'warn', 'info', 'debug', 'silent'], {
      error: 'must be error, warn, info, debug or silent',
    })
    .default('info'),
  IRONVIX_LOG_FILE: pathVar(null),
  IRONVIX_STRATEGY: pathVar('strategies/alvh-default.json'),
  IRONVIX_TZ: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as America/New_York')
    .default('America/New_York'),
  IRONVIX_SIM_SEED: intVar(0, 2 ** 32 - 1, 42),
  IRONVIX_MAX_ORDERS_PER_SECOND: intVar(1, 50, 40),
  IRONVIX_RESTART_WINDOW: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return null;
      const w = parseRestartWindow(s);
      if (w === null) ctx.addIssue({ code: 'custom', message: RESTART_WINDOW_RULE });
      return w;
    }),
  IRONVIX_NOTIFY_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional()
    .transform((s) => s ?? null),
  IRONVIX_NOTIFY_FORMAT: z
    .enum(['json', 'ntfy'], { error: 'must be json (Slack, Discord, generic) or ntfy' })
    .default('json'),
  IRONVIX_CLOCK: z
    .enum(['system', 'gateway'], {
      error: "must be system (this machine's clock) or gateway (the gateway's)",
    })
    .default('system'),
  IRONVIX_CLOCK_POLL_MS: intVar(20, 60_000, 1_000),
  IRONVIX_RISK_FREE_RATE: rateVar(0.04),
  IRONVIX_SPX_DIVIDEND_YIELD: rateVar(0.013),
});

const RESTART_WINDOW_RULE = 'must be "HH:MM-HH:MM" (New York time, 24h), e.g. 23:45-00:15';

/** "23:45-00:15" -> minutes after New York midnight; null when malformed or empty. */
export function parseRestartWindow(s: string): { startMinutes: number; endMinutes: number } | null {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(s);
  if (m === null) return null;
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return null;
  const startMinutes = h1 * 60 + m1;
  const endMinutes = h2 * 60 + m2;
  return startMinutes === endMinutes ? null : { startMinutes, endMinutes };
}

export type EnvKey = keyof typeof envSchema.shape;
export const ENV_KEYS = Object.keys(envSchema.shape) as readonly EnvKey[];

/** Variables whose value is masked wherever configuration is printed. */
export const SECRET_KEYS: ReadonlySet<EnvKey> = new Set<EnvKey>(['IB_ACCOUNT', 'IRONVIX_NOTIFY_URL']);

export interface LoadEnvOptions {
  /** Default: <project root>/.env, skipped when absent. An explicit file must exist. */
  readonly envFile?: string;
  /** Default: process.env. Never mutated. */
  readonly env?: NodeJS.ProcessEnv;
}

/** .env values under the process environment (the environment wins); blank values count as unset. */
export function loadEnv(opts: LoadEnvOptions = {}): AppConfig {
  const envFile = opts.envFile ?? defaultEnvFile();
  const fromFile = readEnvFile(envFile, opts.envFile !== undefined);
  const processEnv = opts.env ?? process.env;
  const raw: Record<string, string> = {};
  const origin = new Map<string, string>();
  for (const key of ENV_KEYS) {
    const fromProcess = processEnv[key]?.trim();
    const fileValue = fromFile[key]?.trim();
    if (fromProcess !== undefined && fromProcess !== '') {
      raw[key] = fromProcess;
      origin.set(key, 'environment');
    } else if (fileValue !== undefined && fileValue !== '') {
      raw[key] = fileValue;
      origin.set(key, envFile);
    }
  }
  const result = envSchema.safeParse(raw, { error: readableErrorMap });
  if (!result.success) {
    const lines = result.error.issues.flatMap((issue) =>
      formatIssues([issue], raw, origin.get(String(issue.path[0])) ?? 'environment'),
    );
    throw new IronvixError(
      'E_CONFIG_INVALID',
      ['configuration is invalid:', ...lines.map((l) => `  ${l}`)].join('\n'),
      lines,
    );
  }
  const e = result.data;
  const origins = Object.fromEntries(ENV_KEYS.map((k) => [k, origin.get(k) ?? 'default'])) as Record<
    EnvKey,
    string
  >;
  return {
    origins,
    rawValues: raw,
    warnings: unknownVariableWarnings([...Object.keys(processEnv), ...Object.keys(fromFile)]),
    ib: { host: e.IB_HOST, port: e.IB_PORT, clientId: e.IB_CLIENT_ID, account: e.IB_ACCOUNT },
    mode: e.IRONVIX_MODE,
    liveArmed: e.IRONVIX_LIVE_ARMED,
    dataDir: e.IRONVIX_DATA_DIR ?? resolveFromRoot('./var'),
    logLevel: e.IRONVIX_LOG_LEVEL,
    logFile: e.IRONVIX_LOG_FILE,
    strategyPath: e.IRONVIX_STRATEGY ?? resolveFromRoot('strategies/alvh-default.json'),
    displayTimeZone: e.IRONVIX_TZ,
    simSeed: e.IRONVIX_SIM_SEED,
    maxOrdersPerSecond: e.IRONVIX_MAX_ORDERS_PER_SECOND,
    restartWindow: e.IRONVIX_RESTART_WINDOW,
    notify:
      e.IRONVIX_NOTIFY_URL === null ? null : { url: e.IRONVIX_NOTIFY_URL, format: e.IRONVIX_NOTIFY_FORMAT },
    clock: e.IRONVIX_CLOCK,
    gatewayClockPollMs: e.IRONVIX_CLOCK_POLL_MS,
    rates: { riskFree: e.IRONVIX_RISK_FREE_RATE, spxDividendYield: e.IRONVIX_SPX_DIVIDEND_YIELD },
  };
}

/** Our prefixes: a variable with one of them that ironvix does not read is most likely a typo. */
const OUR_PREFIXES = ['IRONVIX_', 'IB_'];

export function unknownVariableWarnings(names: readonly string[]): string[] {
  const known = new Set<string>(ENV_KEYS);
  const unknown = [...new Set(names)].filter(
    (n) => OUR_PREFIXES.some((p) => n.startsWith(p)) && !known.has(n),
  );
  return unknown.sort().map((n) => {
    const guess = closestKey(n);
    return `${n} is not an ironvix variable${guess === null ? '' : ` (did you mean ${guess}?)`}; it is ignored`;
  });
}

function closestKey(name: string): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of ENV_KEYS) {
    const d = editDistance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : null;
}

/** Levenshtein distance (names are short: the quadratic table is fine). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** A value fit to print: secrets keep only their first two and last two characters. */
export function displayValue(key: EnvKey, value: string): string {
  if (!SECRET_KEYS.has(key)) return value;
  return value.length <= 4 ? '****' : `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}`;
}

function readEnvFile(path: string, required: boolean): Record<string, string> {
  if (!required && !existsSync(path)) return {};
  try {
    return parseDotenv(readFileSync(path, 'utf8'));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new IronvixError('E_CONFIG_INVALID', `${path}: cannot read the env file: ${reason}`);
  }
}

/** IB paper accounts start with D; the rule lives in the domain (pre-flight checks it too). */
export { isPaperAccount };

/**
 * The account a session will trade must agree with the mode. Called with IB_ACCOUNT at startup
 * and again with the gateway's managed account once connected.
 */
export function assertAccountAllowed(mode: Mode, accountId: string): void {
  switch (mode) {
    case 'paper':
      if (!isPaperAccount(accountId))
        throw new IronvixError(
          'E_PAPER_LIVE_ACCOUNT',
          `paper mode refused: account ${accountId} is a live account (paper accounts start with D)`,
        );
      return;
    case 'live':
      if (isPaperAccount(accountId))
        throw new IronvixError(
          'E_LIVE_NOT_ARMED',
          `live mode refused: account ${accountId} is a paper account; live needs a live account (U...)`,
        );
      return;
    case 'sim':
      // The simulator's accounts are paper-style (DU...): a live id here is a configuration mix-up.
      if (!isPaperAccount(accountId))
        throw new IronvixError(
          'E_PAPER_LIVE_ACCOUNT',
          `sim mode refused: account ${accountId} is a live account (the simulator's accounts start with D)`,
        );
      return;
  }
}

/** Safety interlock: live needs the flag, IRONVIX_LIVE_ARMED=yes and a live IB_ACCOUNT; paper refuses a live account. */
export function assertModeAllowed(
  config: Pick<AppConfig, 'mode' | 'liveArmed'> & { readonly ib: Pick<AppConfig['ib'], 'account'> },
  opts: { readonly liveFlag: boolean },
): void {
  const account = config.ib.account;
  switch (config.mode) {
    case 'live': {
      const missing: string[] = [];
      if (!opts.liveFlag) missing.push('the --live flag');
      if (!config.liveArmed) missing.push('IRONVIX_LIVE_ARMED=yes');
      if (account === null) missing.push('IB_ACCOUNT set to the live account (U...)');
      else if (isPaperAccount(account)) missing.push(`a live IB_ACCOUNT (${account} is a paper account)`);
      if (missing.length > 0)
        throw new IronvixError(
          'E_LIVE_NOT_ARMED',
          `live trading refused: it also needs ${missing.join(', ')}`,
        );
      return;
    }
    case 'paper':
    case 'sim':
      if (opts.liveFlag)
        throw new IronvixError(
          'E_LIVE_NOT_ARMED',
          `--live refused: IRONVIX_MODE is ${config.mode}; live trading needs IRONVIX_MODE=live as well`,
        );
      if (account !== null) assertAccountAllowed(config.mode, account);
      return;
  }
}
