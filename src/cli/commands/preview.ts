// `ironvix preview`: show the exact plan for a snapshot; nothing is sent anywhere.
import type { Command } from 'commander';
import { loadSnapshot } from '../../config/snapshot-file.ts';
import { loadStrategy } from '../../config/strategy-file.ts';
import { loadCalendarData, loadEvents } from '../../config/calendar-file.ts';
import { createNyseCalendar } from '../../domain/calendar.ts';
import { previewPlan } from '../../app/preview.ts';
import { renderPlanText } from '../render/plan-text.ts';
import { renderPlanJson } from '../render/plan-json.ts';
import { projectPath } from '../../config/paths.ts';
import { loadEnv } from '../../config/env.ts';
import { basename } from 'node:path';

export interface PreviewOptions {
  readonly snapshot: string;
  readonly strategy?: string;
  readonly events?: string;
  readonly json?: boolean;
}

export function runPreviewCommand(opts: PreviewOptions, write: (text: string) => void): void {
  // The environment is validated even when --strategy is given: a broken .env is reported, not ignored.
  const env = loadEnv();
  const strategyPath = opts.strategy ?? env.strategyPath;
  const strategy = loadStrategy(strategyPath);
  const snapshot = loadSnapshot(opts.snapshot);
  const calendar = createNyseCalendar(loadCalendarData());
  const eventFile = loadEvents(opts.events);
  const { plan, snapshot: decided } = previewPlan({
    snapshot,
    strategy,
    calendar,
    eventFile,
    mode: 'preview',
  });
  if (opts.json === true) {
    write(renderPlanJson(plan));
    return;
  }
  write(
    renderPlanText(plan, {
      snapshot: decided,
      snapshotName: basename(opts.snapshot),
      strategyName: basename(strategyPath),
    }),
  );
}

export function registerPreviewCommand(program: Command, write: (text: string) => void): void {
  program
    .command('preview')
    .description(
      'Build the plan for a market snapshot and print it (order tickets, sizing, signals, scenarios). Sends nothing.',
    )
    .requiredOption('--snapshot <file>', 'market snapshot JSON (see test/fixtures/snapshots/)')
    .option('--strategy <file>', 'strategy file (default: IRONVIX_STRATEGY or strategies/alvh-default.json)')
    .option('--events <file>', 'event calendar file (default: strategies/events.json)')
    .option('--json', 'print the plan as stable JSON instead of text')
    .action((opts: PreviewOptions) => runPreviewCommand(opts, write));
}

export function registerDemoCommand(program: Command, write: (text: string) => void): void {
  program
    .command('demo')
    .description(
      'Preview the bundled sample snapshot (paper/sample-snapshot.json) with the default strategy. Needs no IB account.',
    )
    .option('--json', 'print the plan as stable JSON instead of text')
    .action((opts: { json?: boolean }) =>
      runPreviewCommand(
        {
          snapshot: projectPath('paper/sample-snapshot.json'),
          ...(opts.json === true ? { json: true } : {}),
        },
        write,
      ),
    );
}
