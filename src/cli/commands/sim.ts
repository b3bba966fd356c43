// `ironvix sim`: run the IB Gateway simulator on 127.0.0.1 until SIGINT/SIGTERM, or until the process
// that started it exits (npm/npx do not pass SIGTERM on to their child: without this the simulator
// would outlive `kill <npx pid>` as an orphan).
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { IronvixError } from '../../errors.ts';
import { createLogger } from '../../adapters/log/winston-logger.ts';
import type { LogLevelSetting } from '../../adapters/log/winston-logger.ts';
import type { ManualClock } from '../../ports/clock.ts';
import { DEFAULT_SIM_ACCOUNT, DEFAULT_SIM_SEED } from '../../sim/simulator.ts';
import { IN_PROCESS_SIM_LIMITS, launchSimulator } from '../wiring/simulator.ts';

interface SimCliOptions {
  readonly port: number;
  readonly seed: number;
  readonly virtualTime?: boolean;
  readonly startAt?: string;
  readonly speed: number;
  readonly scenario?: string;
  readonly replayFrom?: string;
  readonly replayDir?: string;
  readonly serverVersion: 178 | 193;
  readonly account: string;
  readonly logLevel: LogLevelSetting;
  readonly exitWithParent: boolean;
  readonly unpaced?: boolean;
}

/**
 * Real milliseconds between virtual-clock advances in --virtual-time mode: at most 100, and short
 * enough that one advance is at most a virtual second, so that a bot following the gateway's clock
 * (IRONVIX_CLOCK=gateway) stays within its pre-flight clock tolerance (3 s).
 */
export function virtualTickMs(speed: number): number {
  return Math.max(2, Math.min(100, Math.floor(1000 / speed)));
}
/** How often the simulator checks that the process that started it is still there. */
const PARENT_CHECK_MS = 1_000;

export function register(cmd: Command): void {
  cmd
    .option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one)', parseIntIn(0, 65535, 'port'), 4002)
    .option(
      '--seed <n>',
      'seed of the market model, fills and faults',
      parseIntIn(0, 2 ** 31 - 1, 'seed'),
      DEFAULT_SIM_SEED,
    )
    .option('--virtual-time', 'run on a virtual clock, accelerated by --speed')
    .option(
      '--start-at <time>',
      'virtual start: 2025-01-10, 2025-01-10T10:00 (New York) or an ISO time with offset',
    )
    .option('--speed <x>', 'virtual seconds per real second with --virtual-time', parseSpeed, 60)
    .option('--scenario <file>', 'scenario file with scripted market shocks')
    .option(
      '--replay-from <date>',
      'replay real daily closes (data/history, 1990-2019) from this source date (YYYY-MM-DD) on',
      parseIsoDate,
    )
    .option('--replay-dir <dir>', 'directory of spx.csv, vix.csv (and vix9d.csv, vix3m.csv) to replay')
    .addOption(
      new Option('--server-version <v>', 'highest TWS server version offered: 178 or 193')
        .default(178)
        .argParser((v: string) => {
          if (v !== '178' && v !== '193') throw new InvalidArgumentError('must be 178 or 193');
          return Number(v) as 178 | 193;
        }),
    )
    .option('--account <id>', 'paper account id the simulator reports', DEFAULT_SIM_ACCOUNT)
    .option(
      '--unpaced',
      'no IB pacing limits (messages per second, market data lines): for a bot run with --sim-unpaced, and tests',
    )
    .addOption(
      new Option('--log-level <level>', 'log level (JSON lines on stderr)')
        .choices(['error', 'warn', 'info', 'debug', 'silent'])
        .default('info'),
    )
    .option(
      '--no-exit-with-parent',
      'keep running when the process that started it exits (nohup, daemons); by default the simulator stops with it',
    )
    .action(async (opts: SimCliOptions) => {
      await runSim(opts);
    });
}

async function runSim(opts: SimCliOptions): Promise<void> {
  if (opts.replayDir !== undefined && opts.replayFrom === undefined) {
    throw new IronvixError('E_USAGE', '--replay-dir needs --replay-from <date>');
  }
  const logger = createLogger({ level: opts.logLevel, console: true });
  const common = {
    port: opts.port,
    seed: opts.seed,
    serverVersion: opts.serverVersion,
    account: opts.account,
    logger,
    ...(opts.unpaced === true ? { limits: IN_PROCESS_SIM_LIMITS } : {}),
    ...(opts.startAt !== undefined ? { startAt: opts.startAt } : {}),
    ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
    ...(opts.replayFrom !== undefined
      ? {
          replay: { from: opts.replayFrom, ...(opts.replayDir !== undefined ? { dir: opts.replayDir } : {}) },
        }
      : {}),
  };
  let stopAccelerator = (): void => undefined;
  const sim =
    opts.virtualTime === true
      ? await launchSimulator({ ...common, virtualTime: true }).then((s) => {
          stopAccelerator = accelerate(s.clock, opts.speed);
          return s;
        })
      : await launchSimulator(common);
  process.stdout.write(
    `ironvix sim listening on ${sim.host}:${sim.port} (server version ${sim.serverVersion}, seed ${sim.seed})\n`,
  );
  await new Promise<void>((resolve) => {
    const parentPid = process.ppid;
    let stopping = false;
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      clearInterval(watchdog);
      logger.info('stopping', { why });
      stopAccelerator();
      void sim
        .close()
        .catch((e: unknown) =>
          logger.error('close failed', { error: e instanceof Error ? e.message : String(e) }),
        )
        .finally(() => resolve());
    };
    const onSignal = (signal: NodeJS.Signals): void => stop(`signal ${signal}`);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // process.ppid changes (to 1 or a subreaper) once the starting process is gone.
    const watchdog = setInterval(() => {
      if (opts.exitWithParent && process.ppid !== parentPid) stop(`parent process ${parentPid} exited`);
    }, PARENT_CHECK_MS);
    watchdog.unref();
  });
  await logger.close();
}

/** Moves the virtual clock forward speed × real time, in small steps. */
function accelerate(clock: ManualClock, speed: number): () => void {
  const tickMs = virtualTickMs(speed);
  const timer = setInterval(() => clock.advance(tickMs * speed), tickMs);
  return () => clearInterval(timer);
}

function parseIntIn(min: number, max: number, what: string): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`${what} must be a whole number`);
    const n = Number.parseInt(v, 10);
    if (n < min || n > max) throw new InvalidArgumentError(`${what} must be within ${min}..${max}`);
    return n;
  };
}

function parseIsoDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  return v;
}

function parseSpeed(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000)
    throw new InvalidArgumentError('speed must be a number in (0, 100000]');
  return n;
}
