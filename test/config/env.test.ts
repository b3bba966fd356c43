import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENV_KEYS,
  SECRET_KEYS,
  assertAccountAllowed,
  assertModeAllowed,
  loadEnv,
} from '../../src/config/env.ts';
import type { AppConfig } from '../../src/config/env.ts';
import { projectPath } from '../../src/config/paths.ts';
import { EXIT, IronvixError } from '../../src/errors.ts';
import { badInput } from './bad-input.ts';

let dir: string;
let noFile: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ironvix-env-'));
  noFile = join(dir, 'empty.env');
  writeFileSync(noFile, '');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** loadEnv from an injected environment only (an empty .env file). */
const fromEnv = (env: Record<string, string>): AppConfig => loadEnv({ envFile: noFile, env });

const configInvalid = (...parts: string[]): ((e: unknown) => boolean) =>
  badInput('E_CONFIG_INVALID', ...parts);

/** The settings alone, without the bookkeeping `ironvix config` prints (origins, raw text, warnings). */
const settings = ({
  origins: _o,
  rawValues: _r,
  warnings: _w,
  ...rest
}: AppConfig): Omit<AppConfig, 'origins' | 'rawValues' | 'warnings'> => rest;

describe('loadEnv defaults', () => {
  it('gives the documented defaults with paths from the project root', () => {
    const c = fromEnv({});
    assert.deepEqual(settings(c), {
      ib: { host: '127.0.0.1', port: 4002, clientId: 17, account: null },
      mode: 'sim',
      liveArmed: false,
      dataDir: projectPath('var'),
      logLevel: 'info',
      logFile: null,
      strategyPath: projectPath('strategies', 'alvh-default.json'),
      displayTimeZone: 'America/New_York',
      simSeed: 42,
      maxOrdersPerSecond: 40,
      restartWindow: null,
      notify: null,
      clock: 'system',
      gatewayClockPollMs: 1_000,
      rates: { riskFree: 0.04, spxDividendYield: 0.013 },
    });
  });

  it('reads every variable, converting numbers and resolving relative paths', () => {
    const c = fromEnv({
      IB_HOST: 'gateway.local',
      IB_PORT: '4001',
      IB_CLIENT_ID: '0',
      IB_ACCOUNT: 'U7654321',
      IRONVIX_MODE: 'live',
      IRONVIX_LIVE_ARMED: 'yes',
      IRONVIX_DATA_DIR: '/srv/ironvix',
      IRONVIX_LOG_LEVEL: 'debug',
      IRONVIX_LOG_FILE: 'var/ironvix.log',
      IRONVIX_STRATEGY: 'strategies/mine.json',
      IRONVIX_TZ: 'Europe/Zurich',
      IRONVIX_SIM_SEED: '4294967295',
      IRONVIX_MAX_ORDERS_PER_SECOND: '50',
      IRONVIX_RESTART_WINDOW: '23:45-00:15',
      IRONVIX_NOTIFY_URL: 'https://ntfy.sh/ironvix-alerts',
      IRONVIX_NOTIFY_FORMAT: 'ntfy',
      IRONVIX_CLOCK: 'gateway',
      IRONVIX_CLOCK_POLL_MS: '20',
      IRONVIX_RISK_FREE_RATE: '0.05',
      IRONVIX_SPX_DIVIDEND_YIELD: '0',
    });
    assert.deepEqual(settings(c), {
      ib: { host: 'gateway.local', port: 4001, clientId: 0, account: 'U7654321' },
      mode: 'live',
      liveArmed: true,
      dataDir: '/srv/ironvix',
      logLevel: 'debug',
      logFile: projectPath('var', 'ironvix.log'),
      strategyPath: projectPath('strategies', 'mine.json'),
      displayTimeZone: 'Europe/Zurich',
      simSeed: 4294967295,
      maxOrdersPerSecond: 50,
      restartWindow: { startMinutes: 23 * 60 + 45, endMinutes: 15 },
      notify: { url: 'https://ntfy.sh/ironvix-alerts', format: 'ntfy' },
      clock: 'gateway',
      gatewayClockPollMs: 20,
      rates: { riskFree: 0.05, spxDividendYield: 0 },
    });
  });

  it('treats blank values as unset', () => {
    assert.equal(fromEnv({ IB_ACCOUNT: '', IB_PORT: '  ' }).ib.account, null);
    assert.equal(fromEnv({ IB_PORT: '  ' }).ib.port, 4002);
  });
});

describe('loadEnv with a .env file', () => {
  it('reads the file; the process environment wins; the injected env is not mutated', () => {
    const file = join(dir, 'a.env');
    writeFileSync(file, '# comment\nIB_PORT=7497\nIRONVIX_MODE=paper\nIB_ACCOUNT=DU111\n');
    const env: Record<string, string> = { IRONVIX_MODE: 'sim' };
    const c = loadEnv({ envFile: file, env });
    assert.equal(c.ib.port, 7497);
    assert.equal(c.ib.account, 'DU111');
    assert.equal(c.mode, 'sim');
    assert.deepEqual(env, { IRONVIX_MODE: 'sim' });
  });

  it('names the .env file as the source of a bad value read from it', () => {
    const file = join(dir, 'bad.env');
    writeFileSync(file, 'IB_PORT=70000\n');
    assert.throws(
      () => loadEnv({ envFile: file, env: {} }),
      configInvalid(`${file}: IB_PORT: must be an integer from 1 to 65535 (got "70000")`),
    );
  });

  it('an explicit .env file that does not exist is an error', () => {
    assert.throws(
      () => loadEnv({ envFile: join(dir, 'missing.env'), env: {} }),
      configInvalid('missing.env'),
    );
  });
});

describe('loadEnv rejects each invalid variable, naming it, its value and the rule', () => {
  const cases: readonly [string, string, string][] = [
    ['IB_HOST', 'bad host!', 'must be a host name or IP address'],
    ['IB_PORT', 'abc', 'must be an integer from 1 to 65535'],
    ['IB_PORT', '0', 'must be an integer from 1 to 65535'],
    ['IB_PORT', '4002.5', 'must be an integer from 1 to 65535'],
    ['IB_CLIENT_ID', '-1', 'must be an integer from 0 to 2147483647'],
    ['IB_CLIENT_ID', '2147483648', 'must be an integer from 0 to 2147483647'],
    ['IB_ACCOUNT', 'du123', 'must be an IB account id: U1234567 (live), DU1234567 or DF1234567 (paper)'],
    ['IRONVIX_MODE', 'production', 'must be sim, paper or live'],
    ['IRONVIX_LIVE_ARMED', 'true', 'must be yes (arms live trading) or no; leave it unset to stay disarmed'],
    ['IRONVIX_LOG_LEVEL', 'verbose', 'must be error, warn, info, debug or silent'],
    ['IRONVIX_TZ', 'Mars/Olympus', 'must be an IANA time zone such as America/New_York'],
    ['IRONVIX_SIM_SEED', 'seed', 'must be an integer from 0 to 4294967295'],
    ['IRONVIX_MAX_ORDERS_PER_SECOND', '51', 'must be an integer from 1 to 50'],
    ['IRONVIX_MAX_ORDERS_PER_SECOND', '0', 'must be an integer from 1 to 50'],
    ['IRONVIX_CLOCK_POLL_MS', '5', 'must be an integer from 20 to 60000'],
    ['IRONVIX_CLOCK', 'ntp', "must be system (this machine's clock) or gateway (the gateway's)"],
    ['IRONVIX_RISK_FREE_RATE', '4', 'must be a decimal rate from 0 to 0.2 (0.04 = 4%)'],
    ['IRONVIX_SPX_DIVIDEND_YIELD', '-0.01', 'must be a decimal rate from 0 to 0.2 (0.04 = 4%)'],
  ];
  for (const [key, value, rule] of cases) {
    it(`${key}=${value}`, () => {
      assert.throws(
        () => fromEnv({ [key]: value }),
        configInvalid(`environment: ${key}: ${rule} (got "${value}")`),
      );
    });
  }

  it('lists every bad variable at once', () => {
    assert.throws(
      () => fromEnv({ IB_PORT: 'x', IRONVIX_MODE: 'y' }),
      (e: unknown) => e instanceof IronvixError && e.details.length === 2,
    );
  });
});

describe('.env.example', () => {
  const example = readFileSync(projectPath('.env.example'), 'utf8');
  it('documents every variable of the env schema, each with a comment above it', () => {
    const lines = example.split('\n');
    for (const key of ENV_KEYS) {
      const at = lines.findIndex((l) => l.startsWith(`${key}=`));
      assert.ok(at > 0, `.env.example lacks ${key}`);
      assert.ok(lines[at - 1]!.startsWith('#'), `.env.example: ${key} has no comment above it`);
    }
  });

  it('names no variable the product does not read', () => {
    for (const line of example.split('\n')) {
      const m = /^([A-Z_][A-Z0-9_]*)=/.exec(line);
      if (m !== null)
        assert.ok((ENV_KEYS as readonly string[]).includes(m[1]!), `${m[1]} is not read by env.ts`);
    }
  });

  it('is itself a valid configuration', () => {
    const c = loadEnv({ envFile: projectPath('.env.example'), env: {} });
    assert.equal(c.mode, 'sim');
    assert.equal(c.liveArmed, false);
  });
});

describe('assertModeAllowed', () => {
  const base = fromEnv;
  const armedLive = { IRONVIX_MODE: 'live', IRONVIX_LIVE_ARMED: 'yes', IB_ACCOUNT: 'U1234567' };

  function refused(code: 'E_LIVE_NOT_ARMED' | 'E_PAPER_LIVE_ACCOUNT', text: string): (e: unknown) => boolean {
    return (e: unknown) => {
      assert.ok(e instanceof IronvixError, String(e));
      assert.equal(e.code, code);
      assert.equal(e.exitCode, EXIT.safety);
      assert.ok(e.message.includes(text), `expected "${text}" in "${e.message}"`);
      return true;
    };
  }

  it('allows live only with the flag, IRONVIX_LIVE_ARMED=yes and a live account', () => {
    assert.doesNotThrow(() => assertModeAllowed(base(armedLive), { liveFlag: true }));
  });

  it('refuses live without the --live flag', () => {
    assert.throws(
      () => assertModeAllowed(base(armedLive), { liveFlag: false }),
      refused('E_LIVE_NOT_ARMED', '--live'),
    );
  });

  it('refuses live when not armed', () => {
    const { IRONVIX_LIVE_ARMED: _, ...unarmed } = armedLive;
    assert.throws(
      () => assertModeAllowed(base(unarmed), { liveFlag: true }),
      refused('E_LIVE_NOT_ARMED', 'IRONVIX_LIVE_ARMED=yes'),
    );
    assert.throws(
      () => assertModeAllowed(base({ ...armedLive, IRONVIX_LIVE_ARMED: 'no' }), { liveFlag: true }),
      refused('E_LIVE_NOT_ARMED', 'IRONVIX_LIVE_ARMED=yes'),
    );
  });

  it('refuses live without an account or with a paper account', () => {
    const { IB_ACCOUNT: _, ...noAccount } = armedLive;
    assert.throws(
      () => assertModeAllowed(base(noAccount), { liveFlag: true }),
      refused('E_LIVE_NOT_ARMED', 'IB_ACCOUNT'),
    );
    assert.throws(
      () => assertModeAllowed(base({ ...armedLive, IB_ACCOUNT: 'DU1234567' }), { liveFlag: true }),
      refused('E_LIVE_NOT_ARMED', 'DU1234567 is a paper account'),
    );
  });

  it('refuses --live in paper or sim mode', () => {
    for (const mode of ['paper', 'sim']) {
      assert.throws(
        () => assertModeAllowed(base({ IRONVIX_MODE: mode }), { liveFlag: true }),
        refused('E_LIVE_NOT_ARMED', `IRONVIX_MODE is ${mode}`),
      );
    }
  });

  it('refuses paper mode with a live account and allows it with a paper one or none', () => {
    assert.throws(
      () => assertModeAllowed(base({ IRONVIX_MODE: 'paper', IB_ACCOUNT: 'U1234567' }), { liveFlag: false }),
      refused('E_PAPER_LIVE_ACCOUNT', 'U1234567 is a live account'),
    );
    for (const account of ['DU1234567', 'DF1234567']) {
      assert.doesNotThrow(() =>
        assertModeAllowed(base({ IRONVIX_MODE: 'paper', IB_ACCOUNT: account }), { liveFlag: false }),
      );
    }
    assert.doesNotThrow(() => assertModeAllowed(base({ IRONVIX_MODE: 'paper' }), { liveFlag: false }));
  });

  it('checks the account a gateway reports against the mode', () => {
    assert.throws(() => assertAccountAllowed('paper', 'U999'), refused('E_PAPER_LIVE_ACCOUNT', 'U999'));
    assert.throws(() => assertAccountAllowed('live', 'DU999'), refused('E_LIVE_NOT_ARMED', 'DU999'));
    assert.throws(() => assertAccountAllowed('sim', 'U999'), refused('E_PAPER_LIVE_ACCOUNT', 'U999'));
    assert.doesNotThrow(() => assertAccountAllowed('sim', 'DU1234567'));
  });
});

describe('daemon variables', () => {
  it('IRONVIX_RESTART_WINDOW must be HH:MM-HH:MM with two different times', () => {
    for (const bad of ['23:45', '24:00-00:15', '23:45-23:45', '9:00-9:30'])
      assert.throws(
        () => fromEnv({ IRONVIX_RESTART_WINDOW: bad }),
        configInvalid('IRONVIX_RESTART_WINDOW', 'HH:MM-HH:MM'),
      );
    assert.deepEqual(fromEnv({ IRONVIX_RESTART_WINDOW: '01:00-01:30' }).restartWindow, {
      startMinutes: 60,
      endMinutes: 90,
    });
  });

  it('IRONVIX_NOTIFY_URL must be http(s); the format defaults to json; the URL is masked', () => {
    assert.throws(() => fromEnv({ IRONVIX_NOTIFY_URL: 'ftp://x/y' }), configInvalid('IRONVIX_NOTIFY_URL'));
    assert.deepEqual(fromEnv({ IRONVIX_NOTIFY_URL: 'https://hooks.slack.com/services/T/B/x' }).notify, {
      url: 'https://hooks.slack.com/services/T/B/x',
      format: 'json',
    });
    assert.ok(SECRET_KEYS.has('IRONVIX_NOTIFY_URL'));
  });
});
