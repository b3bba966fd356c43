// `ironvix run --once`: one cycle now. Reconcile, then finish a plan left in flight or capture,
// build, pre-flight and execute today's plan, and report each order's fills with the coverage at
// each fill and the outcome. `--mode sim` starts the simulator in-process on virtual time and
// talks to it over TCP through the IB adapter, exactly as to IB Gateway.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import { loadCalendarData, loadEvents } from '../../config/calendar-file.ts';
import { loadStrategy } from '../../config/strategy-file.ts';
import { assertModeAllowed } from '../../config/env.ts';
import { DEMO_DEFAULT_DATE, demoEntryTime } from '../../app/demo.ts';
import type { RunOnceResult } from '../../app/run-once.ts';
import { runOnce } from '../../app/run-once.ts';
import { commandMode } from '../wiring/command-mode.ts';
import { createNyseCalendar } from '../../domain/calendar.ts';
import type { Mode } from '../../domain/mode.ts';
import { MODES } from '../../domain/mode.ts';
import { IronvixError } from '../../errors.ts';
import type { Clock, ManualClock } from '../../ports/clock.ts';
import type { JournalPort } from '../../ports/journal.ts';
import type { Runtime } from '../runtime.ts';
import { renderRunJson, renderRunText } from '../render/run-text.ts';
import { openFreshSimJournal, openJournal } from '../wiring/journal.ts';
import { captureError } from '../wiring/capture-error.ts';
import { IN_PROCESS_SIM_LIMITS, launchSimulator } from '../wiring/simulator.ts';
import { gatewayRequest, openGateway, preflightSettings, sessionClock } from '../wiring/gateway.ts';
import { LIFTED_PACING_LIMITS } from '../../adapters/ib/pacing.ts';
import { vixDteWindow } from '../../app/plan-from-gateway.ts';

export interface RunCommandOptions {
  readonly once?: boolean;
  readonly mode?: Mode;
  readonly live?: boolean;
  /** sim: use the simulator at IB_HOST:IB_PORT (e.g. `ironvix sim`) instead of starting one. */
  readonly connect?: boolean;
  readonly at?: string;
  readonly seed?: number;
  readonly speed: number;
  readonly json?: boolean;
  /** sim --connect: the simulator enforces no pacing (tests), so neither does the client. */
  readonly simUnpaced?: boolean;
}

/** Virtual milliseconds per real millisecond of the in-process simulator (a plan takes ~6 virtual minutes). */
const DEFAULT_SPEED = 120;
const TICK_MS = 10;

export async function runRunCommand(rt: Runtime, opts: RunCommandOptions): Promise<void> {
  if (opts.once !== true)
    throw new IronvixError(
      'E_USAGE',
      'run needs --once (one cycle now); the daily service that runs every entry is `ironvix daemon`',
    );
  const config = rt.config();
  const mode = commandMode(config, opts.mode);
  // The three keys of live trading (and a paper IB_ACCOUNT outside live), before anything connects.
  assertModeAllowed({ ...config, mode }, { liveFlag: opts.live === true });
  const logger = (await rt.logger()).child({ command: 'run', mode });
  const strategy = loadStrategy(config.strategyPath);
  const calendar = createNyseCalendar(loadCalendarData());
  const events = loadEvents();
  const inProcess = mode === 'sim' && opts.connect !== true;
  if (opts.simUnpaced === true && mode !== 'sim')
    throw new IronvixError(
      'E_USAGE',
      '--sim-unpaced is for a simulator only (IB Gateway enforces its pacing)',
    );

  const closers: (() => Promise<void> | void)[] = [];
  try {
    let clock: Clock;
    let host = config.ib.host;
    let port = config.ib.port;
    let where: string;
    let journal: JournalPort;
    let startClock = (): void => undefined;
    if (inProcess) {
      const startAt = opts.at ?? demoEntryTime(calendar, strategy, DEMO_DEFAULT_DATE);
      const sim = await launchSimulator({
        virtualTime: true,
        startAt: /^\d{4}-\d{2}-\d{2}$/.test(startAt) ? demoEntryTime(calendar, strategy, startAt) : startAt,
        seed: opts.seed ?? config.simSeed,
        port: 0,
        calendar,
        limits: IN_PROCESS_SIM_LIMITS,
      });
      closers.push(() => sim.close());
      // Time stands still while the snapshot is captured (IB's pacing makes that take real seconds).
      startClock = () => {
        closers.push(accelerate(sim.clock, opts.speed));
      };
      clock = sim.clock;
      host = sim.host;
      port = sim.port;
      where = `simulator ${sim.host}:${sim.port} (seed ${sim.seed}, virtual time x${opts.speed})`;
      const fresh = openFreshSimJournal({ dataDir: config.dataDir, nowMs: clock.nowMs() });
      journal = fresh.journal;
      if (fresh.archivedTo !== null)
        logger.info('the earlier sim journal was moved aside (a new simulator starts empty)', {
          archivedTo: fresh.archivedTo,
        });
    } else {
      clock = createSystemClock();
      where = `gateway ${host}:${port}`;
      journal = openJournal({ dataDir: config.dataDir, mode, nowMs: clock.nowMs() });
    }
    closers.push(() => journal.close());

    const gateway = await openGateway({
      ...gatewayRequest({ ...config, mode }, { purpose: 'trade', logger, liveFlag: opts.live === true }),
      host,
      port,
      ...(inProcess || opts.simUnpaced === true ? { pacing: LIFTED_PACING_LIMITS } : {}),
    });
    closers.push(() => gateway.close());
    if (!inProcess) {
      const timed = await sessionClock(gateway, config, logger);
      closers.push(() => timed.stop());
      clock = timed.clock;
    }

    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    closers.push(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });

    const result: RunOnceResult = await runOnce(
      { broker: gateway.broker, marketData: gateway.marketData, journal, clock, logger },
      {
        account: gateway.account,
        mode,
        strategy,
        calendar,
        events,
        capture: {
          rates: config.rates,
          vixDteWindow: vixDteWindow(strategy),
        },
        preflight: preflightSettings(config),
        signal: controller.signal,
        onPhase: (phase) => {
          if (phase === 'execute') startClock();
        },
      },
    );
    const header = {
      mode,
      where,
      account: gateway.account,
      journal: journal.location,
      strategy: basename(config.strategyPath),
    };
    rt.io.out(opts.json === true ? renderRunJson(header, result) : renderRunText(header, result));
    failOn(result, where);
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/** Halts and missing reports are errors with their codes; every plan outcome is a normal exit. */
function failOn(result: RunOnceResult, where: string): void {
  switch (result.kind) {
    case 'halted':
      throw new IronvixError('E_RECONCILE_MISMATCH', result.reconcile.message);
    case 'unavailable':
      throw new IronvixError('E_RECONCILE_UNAVAILABLE', result.reconcile.message);
    case 'capture-failed':
      throw captureError(result.failure, where);
    case 'no-trade':
    case 'already-ran':
    case 'executed':
      return;
  }
}

/** Moves a virtual clock forward `speed` x real time in small steps; returns its stop. */
function accelerate(clock: ManualClock, speed: number): () => void {
  const timer = setInterval(() => clock.advance(TICK_MS * speed), TICK_MS);
  return () => clearInterval(timer);
}

function parseSpeed(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 10_000)
    throw new InvalidArgumentError('must be a number in (0, 10000]');
  return n;
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .option('--once', 'one cycle, then exit (required)')
    .addOption(new Option('--mode <mode>', 'sim | paper | live (default IRONVIX_MODE)').choices([...MODES]))
    .option(
      '--live',
      'one of the three keys live trading needs (with IRONVIX_MODE=live and IRONVIX_LIVE_ARMED=yes)',
    )
    .option('--connect', 'sim: trade the simulator at IB_HOST:IB_PORT (ironvix sim) instead of starting one')
    .option('--at <date|time>', 'sim: the simulated entry (a date: its entry time; default 2026-03-16)')
    .option('--seed <n>', 'sim: market seed (default IRONVIX_SIM_SEED)', (v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('must be a whole number');
      return Number(v);
    })
    .option('--speed <x>', 'sim: virtual seconds per real second', parseSpeed, DEFAULT_SPEED)
    .option('--sim-unpaced', 'sim --connect: the simulator runs without IB pacing limits (tests)')
    .option('--json', 'print the report as JSON')
    .action((opts: RunCommandOptions) => runRunCommand(rt, opts));
}
