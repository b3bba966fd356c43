// `ironvix campaign --days N [--seed S] [--start DATE] [--scenario FILE] [--replay-from DATE]
// [--replay-dir DIR] [--html FILE] [--json]`: the daily service against the simulator in virtual
// time for N trading days, through the real executor over TCP, with a progress bar and ETA on
// stderr (a TTY only, never with --json), then the report of its fresh sim journal.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DEMO_DEFAULT_DATE, demoEntryTime } from '../../app/demo.ts';
import type { CampaignProgress } from '../../app/campaign.ts';
import { readReportData, reportFromData } from '../../app/report.ts';
import { loadCalendarData, loadEvents } from '../../config/calendar-file.ts';
import { loadStrategy } from '../../config/strategy-file.ts';
import { createNyseCalendar, isValidIsoDate } from '../../domain/calendar.ts';
import type { IsoDate } from '../../domain/instruments.ts';
import { describeSettlementProblem } from '../../domain/settlement.ts';
import { IronvixError } from '../../errors.ts';
import type { JournalPort } from '../../ports/journal.ts';
import { silentNotifier } from '../../ports/notifier.ts';
import type { ReportHeader } from '../render/report-text.ts';
import { renderReportText } from '../render/report-text.ts';
import { renderReportHtml } from '../render/report-html.ts';
import type { Runtime } from '../runtime.ts';
import { openFreshSimJournal } from '../wiring/journal.ts';
import type { SimCampaignResult } from '../wiring/sim-campaign.ts';
import { runSimCampaign } from '../wiring/sim-campaign.ts';

export interface CampaignOptions {
  readonly days: number;
  readonly seed?: number;
  readonly start?: string;
  readonly scenario?: string;
  readonly replayFrom?: string;
  readonly replayDir?: string;
  readonly html?: string;
  readonly json?: boolean;
}

/** The report of a campaign's journal as of its end: text or JSON, and the HTML page when asked. */
export function campaignReport(
  journal: JournalPort,
  r: SimCampaignResult,
  opts: { readonly json: boolean; readonly html: string | null },
  rt: Runtime,
): string {
  const calendar = createNyseCalendar(loadCalendarData());
  const report = reportFromData(readReportData(journal, { from: null, to: null }), {
    calendar,
    nowMs: r.endMs,
    brokerPositions: null,
  });
  const header: ReportHeader = {
    mode: 'sim',
    journal: r.journalLocation,
    from: r.firstDate,
    to: r.lastDate,
    asOf: new Date(r.endMs).toISOString(),
  };
  if (opts.html !== null) {
    const file = resolve(opts.html);
    writeFileSync(file, renderReportHtml(report, header));
    if (!opts.json) rt.io.err(`HTML report written to ${file}\n`);
  }
  if (!opts.json) return renderReportText(report, header);
  const problems = report.settlementProblems.map((p) => ({
    code: 'E_SETTLEMENT_MISSING',
    message: describeSettlementProblem(p),
    ...p,
  }));
  return `${JSON.stringify({ kind: 'ironvix.campaign', ...header, seed: r.sim.seed, ...report, settlementProblems: problems }, null, 2)}\n`;
}

function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A progress bar with ETA on stderr when it is a terminal; nothing otherwise. */
function progressBar(enabled: boolean): { update(p: CampaignProgress): void; stop(): void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: 'campaign [{bar}] {value}/{total} days | {date} | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 20,
    },
    { format: '', barCompleteChar: '#', barIncompleteChar: '.' },
  );
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(p.total, p.day, { date: dayText(p.nowMs) });
        started = true;
      } else bar.update(p.day, { date: dayText(p.nowMs) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function startOf(opts: CampaignOptions): IsoDate {
  if (opts.replayFrom !== undefined && opts.start !== undefined)
    throw new IronvixError('E_USAGE', '--start and --replay-from both set the first day: give one');
  const d = opts.replayFrom ?? opts.start ?? DEMO_DEFAULT_DATE;
  if (!isValidIsoDate(d))
    throw new IronvixError(
      'E_USAGE',
      `${opts.replayFrom !== undefined ? '--replay-from' : '--start'} ${d} is not a date (YYYY-MM-DD)`,
    );
  return d;
}

export async function runCampaignCommand(rt: Runtime, opts: CampaignOptions): Promise<void> {
  if (opts.replayDir !== undefined && opts.replayFrom === undefined)
    throw new IronvixError('E_USAGE', '--replay-dir needs --replay-from <date>');
  const config = rt.config();
  const logger = await rt.logger();
  const strategy = loadStrategy(config.strategyPath);
  const calendar = createNyseCalendar(loadCalendarData());
  const first = startOf(opts);
  const json = opts.json === true;
  const bar = progressBar(!json && process.stderr.isTTY);
  try {
    const text = await runSimCampaign(
      {
        config,
        strategy,
        calendar,
        events: loadEvents(),
        logger,
        notifier: silentNotifier,
        sim: {
          startAt: demoEntryTime(calendar, strategy, first),
          seed: opts.seed ?? config.simSeed,
          ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
          ...(opts.replayFrom !== undefined
            ? {
                replay: {
                  from: opts.replayFrom,
                  // The cycles and the settlement of the last condor the day after.
                  sessions: opts.days + 1,
                  ...(opts.replayDir !== undefined ? { dir: opts.replayDir } : {}),
                },
              }
            : {}),
        },
        openJournal: (nowMs) => {
          const fresh = openFreshSimJournal({ dataDir: config.dataDir, nowMs });
          if (fresh.archivedTo !== null)
            logger.info('the earlier sim journal was moved aside (a campaign starts empty)', {
              archivedTo: fresh.archivedTo,
            });
          return fresh.journal;
        },
        span: { days: opts.days },
        onProgress: (p) => bar.update(p),
      },
      (_sim, journal, r) => {
        bar.stop();
        return campaignReport(journal, r, { json, html: opts.html ?? null }, rt);
      },
    );
    rt.io.out(text);
  } finally {
    bar.stop();
  }
}

export function parseDays(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > 5_000)
    throw new InvalidArgumentError('must be a whole number in 1..5000');
  return n;
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) > 2 ** 31 - 1)
    throw new InvalidArgumentError('must be a whole number within 0..2147483647');
  return Number(v);
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .requiredOption('--days <n>', 'trading days to run', parseDays)
    .option('--seed <n>', 'seed of the simulated market (default IRONVIX_SIM_SEED)', parseSeed)
    .option(
      '--start <date>',
      `first day (default ${DEMO_DEFAULT_DATE}; the scenario files are dated from it)`,
    )
    .option('--scenario <file>', 'scenario file with scripted market shocks (scenarios/)')
    .option(
      '--replay-from <date>',
      'replay the real daily closes (data/history, 1990-2019) from this date on; the run must fit in the data',
    )
    .option('--replay-dir <dir>', 'replay your own spx.csv, vix.csv (and vix9d.csv, vix3m.csv) instead')
    .option('--html <file>', 'also write the self-contained HTML report to FILE')
    .option('--json', 'print the report as JSON (no progress bar)')
    .action(async (opts: CampaignOptions) => {
      rt.quietByDefault();
      await runCampaignCommand(rt, opts);
    });
}
