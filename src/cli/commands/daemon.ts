// `ironvix daemon`: the daily service (src/app/daemon.ts) with its adapters: the mode's journal
// (opened at each cycle point), the daemon lock (one per mode), the webhook notifier and a line on
// stdout per notification, the JSON-lines logger of the runtime. SIGINT/SIGTERM stop it at the
// next wait; a cycle in flight finishes first.
//
// The cycle runner: until `ironvix run --once` (issue 9) lands, a cycle in sim mode captures the
// simulator's market at the cycle point and builds the plan (a preview: nothing is sent), and
// paper/live are refused at start. --virtual-time runs the schedule on a virtual clock, as fast as
// it goes, from --start-at to --until: days of cycles in seconds.
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import { createMemoryJournal } from '../../adapters/memory/memory-journal.ts';
import { createWebhookNotifier } from '../../adapters/notify/webhook.ts';
import { createMemoryMarketData } from '../../adapters/memory/memory-market-data.ts';
import { acquireServiceLock } from '../../adapters/sqlite/service-lock.ts';
import { openSqliteJournal } from '../../adapters/sqlite/sqlite-journal.ts';
import type { CycleOutcome, CycleRequest, DaemonSettings } from '../../app/daemon.ts';
import { createDaemon, nyText } from '../../app/daemon.ts';
import { planFromGateway } from '../../app/plan-from-gateway.ts';
import { loadCalendarData, loadEvents } from '../../config/calendar-file.ts';
import type { AppConfig } from '../../config/env.ts';
import { loadStrategy } from '../../config/strategy-file.ts';
import type { TradingCalendar } from '../../domain/calendar.ts';
import { createNyseCalendar } from '../../domain/calendar.ts';
import type { StrategyConfig } from '../../domain/strategy.ts';
import { IronvixError } from '../../errors.ts';
import type { Clock, ManualClock } from '../../ports/clock.ts';
import type { JournalPort } from '../../ports/journal.ts';
import type { Notification, Notifier } from '../../ports/notifier.ts';
import type { RunningSimulator } from '../../sim/simulator.ts';
import type { Runtime } from '../runtime.ts';
import { launchSimulator, parseStartAt } from '../wiring/simulator.ts';

interface DaemonCliOptions {
  readonly virtualTime?: boolean;
  readonly startAt?: string;
  readonly until?: string;
  readonly notifyTest?: boolean;
}

/** Virtual time moves in these steps; each step lets the daemon and the simulator react. */
const VIRTUAL_STEP_MS = 60_000;

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .option(
      '--virtual-time',
      'sim mode: run on a virtual clock as fast as it goes, from --start-at to --until',
    )
    .option('--start-at <time>', 'virtual start: 2026-03-16, 2026-03-16T15:00 (New York) or ISO with offset')
    .option('--until <time>', 'virtual end (same forms as --start-at); required with --virtual-time')
    .option('--notify-test', 'send one test notification to IRONVIX_NOTIFY_URL and exit')
    .action(async (opts: DaemonCliOptions) => {
      await runDaemonCommand(opts, rt);
    });
}

/** A line on stdout per notification: what a user watching the terminal needs. */
function consoleNotifier(write: (t: string) => void, zone: string): Notifier {
  return {
    notify(n) {
      const when = DateTime.fromMillis(n.atMs, { zone }).toFormat('yyyy-MM-dd HH:mm');
      const detail = n.text.split('\n').join(' | ');
      write(`${when} ${n.severity.padEnd(7)} ${n.title}${detail === '' ? '' : ` -- ${detail}`}\n`);
      return Promise.resolve();
    },
  };
}

function fanOut(notifiers: readonly Notifier[]): Notifier {
  return {
    async notify(n) {
      await Promise.all(notifiers.map((x) => x.notify(n)));
    },
  };
}

function settingsOf(config: AppConfig, strategy: StrategyConfig): DaemonSettings {
  const ladders = strategy.execution;
  return {
    mode: config.mode,
    entry: strategy.entry,
    planMinutes: Math.max(ladders.hedgeLadder.deadlineMinutes, ladders.condorLadder.deadlineMinutes),
    restartWindow: config.restartWindow,
  };
}

/** Until `run --once` lands: the cycle's plan built from the simulator's market at the cycle point. */
function previewRunner(
  strategy: StrategyConfig,
  calendar: TradingCalendar,
  rates: AppConfig['rates'],
  sim: () => Promise<{ sim: RunningSimulator; done: () => Promise<void> }>,
): (req: CycleRequest) => Promise<CycleOutcome> {
  const events = loadEvents();
  return async () => {
    const { sim: s, done } = await sim();
    try {
      const built = await planFromGateway({
        marketData: createMemoryMarketData(s),
        hedgeBook: [],
        strategy,
        calendar,
        events,
        rates,
        mode: 'sim',
      });
      if (!built.ok) return { kind: 'unavailable', reason: built.error.detail };
      const { plan } = built.value;
      const what =
        plan.outcome.kind === 'trade'
          ? `${plan.orders.length} orders, condor x${plan.condorQuantity}`
          : `no trade (${plan.outcome.reason})`;
      return {
        kind: 'finished',
        planId: null,
        result: 'NO_TRADE',
        summary: `preview only, nothing sent (execution arrives with run --once): plan ${plan.planId}: ${what}`,
      };
    } finally {
      await done();
    }
  };
}

export async function runDaemonCommand(opts: DaemonCliOptions, rt: Runtime): Promise<void> {
  const config = rt.config();
  const logger = await rt.logger();
  const out = (t: string): void => rt.io.out(t);
  const webhook =
    config.notify === null
      ? null
      : createWebhookNotifier({ url: config.notify.url, format: config.notify.format, logger });

  if (opts.notifyTest === true) {
    if (webhook === null)
      throw new IronvixError('E_USAGE', '--notify-test needs IRONVIX_NOTIFY_URL set (see .env.example)');
    const n: Notification = {
      kind: 'service',
      severity: 'info',
      title: `ironvix ${config.mode}: test notification`,
      text: 'If you read this, ironvix can reach you.',
      mode: config.mode,
      cycleDate: null,
      atMs: Date.now(),
    };
    await webhook.notify(n);
    out(`test notification posted (format ${config.notify?.format ?? 'json'}); failures are in the log\n`);
    return;
  }

  if (config.mode !== 'sim')
    throw new IronvixError(
      'E_USAGE',
      `ironvix daemon runs in sim mode only until \`ironvix run --once\` (issue 9) is wired in; IRONVIX_MODE is ${config.mode}`,
    );
  const virtual = opts.virtualTime === true;
  if (virtual && (opts.startAt === undefined || opts.until === undefined))
    throw new IronvixError('E_USAGE', '--virtual-time needs --start-at and --until');
  if (!virtual && (opts.startAt !== undefined || opts.until !== undefined))
    throw new IronvixError('E_USAGE', '--start-at and --until go with --virtual-time');

  const strategy = loadStrategy(config.strategyPath);
  const calendar = createNyseCalendar(loadCalendarData());
  const notifier = fanOut([
    consoleNotifier(out, config.displayTimeZone),
    ...(webhook === null ? [] : [webhook]),
  ]);
  const lock = acquireServiceLock({ dataDir: config.dataDir, mode: config.mode, nowMs: Date.now() });
  let simulator: RunningSimulator<ManualClock> | null = null;
  try {
    let clock: Clock;
    let openJournal: () => JournalPort;
    let sim: () => Promise<{ sim: RunningSimulator; done: () => Promise<void> }>;
    if (virtual) {
      // One simulator for the whole run; its clock is the daemon's. The journal lives in memory:
      // a virtual run is a rehearsal and must not claim real dates in the sim journal.
      const running = await launchSimulator({
        virtualTime: true,
        startAt: opts.startAt!,
        port: 0,
        calendar,
        seed: config.simSeed,
      });
      simulator = running;
      clock = running.clock;
      const journal = createMemoryJournal(config.mode);
      openJournal = () => ({ ...journal, close: () => undefined });
      sim = () => Promise.resolve({ sim: running, done: () => Promise.resolve() });
    } else {
      clock = createSystemClock();
      openJournal = () =>
        openSqliteJournal({ dataDir: config.dataDir, mode: config.mode, nowMs: clock.nowMs() });
      // A simulator started at the cycle point, in the cycle's own time.
      sim = async () => {
        const s = await launchSimulator({
          virtualTime: true,
          startAt: new Date(clock.nowMs()).toISOString(),
          port: 0,
          calendar,
          seed: config.simSeed,
        });
        return { sim: s, done: () => s.close() };
      };
    }
    const daemon = createDaemon(
      {
        clock,
        calendar,
        logger,
        notifier,
        openJournal,
        runCycle: previewRunner(strategy, calendar, config.rates, sim),
      },
      settingsOf(config, strategy),
    );
    const stop = (): void => daemon.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // The system clock's timers are unref'd: this keeps the process alive while the daemon waits.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    try {
      const running = daemon.run();
      if (simulator !== null) {
        const end = parseStartAt(opts.until!);
        await driveVirtualClock(simulator.clock, end, running);
        daemon.stop();
        out(`virtual run ended at ${nyText(simulator.clock.nowMs())}\n`);
      }
      await running;
    } finally {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  } finally {
    await simulator?.close();
    lock.release();
  }
}

/** Advances a virtual clock in steps up to endMs, yielding to I/O between steps; stops if the daemon ends. */
async function driveVirtualClock(clock: ManualClock, endMs: number, running: Promise<void>): Promise<void> {
  let ended = false;
  running.then(
    () => (ended = true),
    () => (ended = true),
  );
  while (!ended && clock.nowMs() < endMs) {
    clock.advanceTo(Math.min(endMs, clock.nowMs() + VIRTUAL_STEP_MS));
    await new Promise<void>((r) => setImmediate(r));
  }
}
