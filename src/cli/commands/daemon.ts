// `ironvix daemon`: the daily service (src/app/daemon.ts) with its adapters: the mode's journal
// (opened at each cycle point), the daemon lock (one per mode), the webhook notifier and a line on
// stdout per notification, the JSON-lines logger of the runtime. SIGINT/SIGTERM stop it at the
// next wait; a cycle in flight finishes first.
//
// Each cycle point runs one `run --once` cycle (app/daemon-cycle.ts) over a fresh gateway session:
// paper and live through IB Gateway (openGateway, purpose trade; live needs its three keys), sim
// through a simulator started in-process on the wall clock, or the one at IB_HOST:IB_PORT with
// --connect. Each settlement point journals the settlement values from the broker's reports.
// --virtual-time runs the same daemon against an in-process simulator on a virtual clock, as fast
// as it goes, from --start-at to --until (app/campaign.ts drives the time).
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import { LIFTED_PACING_LIMITS } from '../../adapters/ib/pacing.ts';
import { createWebhookNotifier } from '../../adapters/notify/webhook.ts';
import { acquireServiceLock } from '../../adapters/sqlite/service-lock.ts';
import { createDaemon, nyText } from '../../app/daemon.ts';
import type { CycleSession } from '../../app/daemon-cycle.ts';
import { gatewaySettlement, tradingCycleRunner } from '../../app/daemon-cycle.ts';
import { vixDteWindow } from '../../app/plan-from-gateway.ts';
import { loadCalendarData, loadEvents } from '../../config/calendar-file.ts';
import type { AppConfig } from '../../config/env.ts';
import { assertModeAllowed } from '../../config/env.ts';
import { loadStrategy } from '../../config/strategy-file.ts';
import { createNyseCalendar } from '../../domain/calendar.ts';
import { IronvixError } from '../../errors.ts';
import type { JournalPort } from '../../ports/journal.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Notification, Notifier } from '../../ports/notifier.ts';
import type { RunningSimulator } from '../../sim/simulator.ts';
import type { Runtime } from '../runtime.ts';
import { gatewayRequest, openGateway, preflightSettings, sessionClock } from '../wiring/gateway.ts';
import { openFreshSimJournal, openJournal } from '../wiring/journal.ts';
import { daemonSettings, runSimCampaign } from '../wiring/sim-campaign.ts';
import { launchSimulator, parseStartAt } from '../wiring/simulator.ts';

interface DaemonCliOptions {
  readonly virtualTime?: boolean;
  readonly startAt?: string;
  readonly until?: string;
  readonly notifyTest?: boolean;
  readonly live?: boolean;
  readonly connect?: boolean;
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

/** Opens a trading session at IB_HOST:IB_PORT (or the given simulator), with the mode's clock. */
function gatewaySessions(
  config: AppConfig,
  logger: Logger,
  opts: { readonly liveFlag: boolean; readonly sim: RunningSimulator | null; readonly unpaced: boolean },
): () => Promise<CycleSession> {
  return async () => {
    const gateway = await openGateway({
      ...gatewayRequest(config, { purpose: 'trade', logger, liveFlag: opts.liveFlag }),
      ...(opts.sim !== null ? { host: opts.sim.host, port: opts.sim.port, account: null } : {}),
      ...(opts.unpaced ? { pacing: LIFTED_PACING_LIMITS } : {}),
    });
    try {
      const timed = await sessionClock(gateway, config, logger);
      return {
        broker: gateway.broker,
        marketData: gateway.marketData,
        account: gateway.account,
        clock: timed.clock,
        close: async () => {
          timed.stop();
          await gateway.close();
        },
      };
    } catch (e) {
      await gateway.close();
      throw e;
    }
  };
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .option(
      '--virtual-time',
      'sim mode: run on a virtual clock as fast as it goes, from --start-at to --until',
    )
    .option('--start-at <time>', 'virtual start: 2026-03-16, 2026-03-16T15:00 (New York) or ISO with offset')
    .option('--until <time>', 'virtual end (same forms as --start-at); required with --virtual-time')
    .option('--connect', 'sim: trade the simulator at IB_HOST:IB_PORT (ironvix sim) instead of starting one')
    .option(
      '--live',
      'one of the three keys live trading needs (with IRONVIX_MODE=live and IRONVIX_LIVE_ARMED=yes)',
    )
    .option('--notify-test', 'send one test notification to IRONVIX_NOTIFY_URL and exit')
    .action(async (opts: DaemonCliOptions) => {
      await runDaemonCommand(opts, rt);
    });
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

  const virtual = opts.virtualTime === true;
  if (virtual && (opts.startAt === undefined || opts.until === undefined))
    throw new IronvixError('E_USAGE', '--virtual-time needs --start-at and --until');
  if (!virtual && (opts.startAt !== undefined || opts.until !== undefined))
    throw new IronvixError('E_USAGE', '--start-at and --until go with --virtual-time');
  if (config.mode !== 'sim' && (virtual || opts.connect === true))
    throw new IronvixError(
      'E_USAGE',
      `--virtual-time and --connect are for sim mode (a simulator); IRONVIX_MODE is ${config.mode}`,
    );
  // The three keys of live trading (and a paper IB_ACCOUNT outside live), before anything connects.
  assertModeAllowed(config, { liveFlag: opts.live === true });

  const strategy = loadStrategy(config.strategyPath);
  const calendar = createNyseCalendar(loadCalendarData());
  const events = loadEvents();
  const notifier = fanOut([
    consoleNotifier(out, config.displayTimeZone),
    ...(webhook === null ? [] : [webhook]),
  ]);
  const lock = acquireServiceLock({ dataDir: config.dataDir, mode: config.mode, nowMs: Date.now() });
  try {
    if (virtual) {
      // The same daemon against a simulator on a virtual clock; a fresh sim journal (the earlier
      // one moved aside), as the simulator starts with an empty account.
      const untilMs = parseStartAt(opts.until!);
      await runSimCampaign(
        {
          config,
          strategy,
          calendar,
          events,
          logger,
          notifier,
          sim: { startAt: opts.startAt!, seed: config.simSeed },
          openJournal: (nowMs) => openFreshSimJournal({ dataDir: config.dataDir, nowMs }).journal,
          span: { untilMs },
        },
        (sim) => {
          out(`virtual run ended at ${nyText(sim.clock.nowMs())}\n`);
        },
      );
      return;
    }
    await runWallClockDaemon({ config, logger, notifier, strategy, calendar, events, opts });
  } finally {
    lock.release();
  }
}

async function runWallClockDaemon(a: {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly notifier: Notifier;
  readonly strategy: ReturnType<typeof loadStrategy>;
  readonly calendar: ReturnType<typeof createNyseCalendar>;
  readonly events: ReturnType<typeof loadEvents>;
  readonly opts: DaemonCliOptions;
}): Promise<void> {
  const { config, logger, strategy, calendar } = a;
  const clock = createSystemClock();
  // sim without --connect: one simulator in-process on the wall clock for the daemon's life.
  const inProcess = config.mode === 'sim' && a.opts.connect !== true;
  const sim = inProcess ? await launchSimulator({ port: 0, calendar, seed: config.simSeed }) : null;
  try {
    if (inProcess) {
      // The in-process simulator starts with an empty account: its journal starts empty too.
      openFreshSimJournal({ dataDir: config.dataDir, nowMs: clock.nowMs() }).journal.close();
    }
    const openDaemonJournal = (): JournalPort =>
      openJournal({ dataDir: config.dataDir, mode: config.mode, nowMs: clock.nowMs() });
    const openSession = gatewaySessions(config, logger, {
      liveFlag: a.opts.live === true,
      sim,
      unpaced: inProcess,
    });
    const daemon = createDaemon(
      {
        clock,
        calendar,
        logger,
        notifier: a.notifier,
        openJournal: openDaemonJournal,
        runCycle: tradingCycleRunner({
          openSession,
          logger,
          calendar,
          request: {
            mode: config.mode,
            strategy,
            calendar,
            events: a.events,
            capture: { rates: config.rates, vixDteWindow: vixDteWindow(strategy) },
            preflight: preflightSettings(config),
          },
        }),
        settle: gatewaySettlement({ openSession, calendar }),
      },
      daemonSettings(config, strategy),
    );
    const stop = (): void => daemon.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // The system clock's timers are unref'd: this keeps the process alive while the daemon waits.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    try {
      await daemon.run();
    } finally {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  } finally {
    await sim?.close();
  }
}
