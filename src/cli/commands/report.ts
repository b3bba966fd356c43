// `ironvix report [--from DATE] [--to DATE] [--json] [--html FILE]`: what the strategy did and
// cost, read from the mode's journal (read-only: it takes no lock and works beside a running
// daemon). Text by default, stable JSON with --json, a self-contained HTML page with --html.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openSqliteJournalReader, journalPath } from '../../adapters/sqlite/sqlite-journal.ts';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import { readReportData, reportFromData } from '../../app/report.ts';
import { loadCalendarData } from '../../config/calendar-file.ts';
import { createNyseCalendar, isValidIsoDate } from '../../domain/calendar.ts';
import { describeSettlementProblem } from '../../domain/settlement.ts';
import { IronvixError } from '../../errors.ts';
import type { Runtime } from '../runtime.ts';
import { renderReportHtml } from '../render/report-html.ts';
import type { ReportHeader } from '../render/report-text.ts';
import { renderReportText } from '../render/report-text.ts';

interface ReportOptions {
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
  readonly html?: string;
}

function dateOption(name: string, v: string | undefined): string | null {
  if (v === undefined) return null;
  if (!isValidIsoDate(v)) throw new IronvixError('E_USAGE', `--${name} ${v} is not a date (YYYY-MM-DD)`);
  return v;
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .option('--from <date>', 'first cycle date (YYYY-MM-DD)')
    .option('--to <date>', 'last cycle date (YYYY-MM-DD)')
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write a self-contained HTML report with charts to FILE')
    .action((opts: ReportOptions) => {
      const from = dateOption('from', opts.from);
      const to = dateOption('to', opts.to);
      if (from !== null && to !== null && from > to)
        throw new IronvixError('E_USAGE', `--from ${from} is after --to ${to}`);
      const config = rt.config();
      const reader = openSqliteJournalReader(config.dataDir, config.mode);
      const path = journalPath(config.dataDir, config.mode);
      if (reader === null) {
        rt.io.out(
          `No ${config.mode} journal at ${path} yet: nothing has run in this mode, nothing to report.\n`,
        );
        return;
      }
      try {
        const nowMs = createSystemClock().nowMs();
        const data = readReportData(reader, { from, to });
        const report = reportFromData(data, {
          calendar: createNyseCalendar(loadCalendarData()),
          nowMs,
          brokerPositions: null,
        });
        const header: ReportHeader = {
          mode: config.mode,
          journal: path,
          from,
          to,
          asOf: new Date(nowMs).toISOString(),
        };
        if (opts.html !== undefined) {
          const file = resolve(opts.html);
          writeFileSync(file, renderReportHtml(report, header));
          if (opts.json !== true) rt.io.err(`HTML report written to ${file}\n`);
        }
        if (opts.json === true) {
          const problems = report.settlementProblems.map((p) => ({
            code: 'E_SETTLEMENT_MISSING',
            message: describeSettlementProblem(p),
            ...p,
          }));
          rt.io.out(`${JSON.stringify({ ...header, ...report, settlementProblems: problems }, null, 2)}\n`);
        } else {
          rt.io.out(renderReportText(report, header));
        }
      } finally {
        reader.close();
      }
    });
}
