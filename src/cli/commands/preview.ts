// `ironvix preview`: show the exact plan for a snapshot; nothing is sent anywhere. Loaded only when
// preview (or `demo --sample`) runs, and it must not load the simulator (cold start, issue 8).
import type { Command } from 'commander';
import { loadSnapshot } from '../../config/snapshot-file.ts';
import { loadStrategy } from '../../config/strategy-file.ts';
import { loadCalendarData, loadEventCalendar } from '../../config/calendar-file.ts';
import type { EventCalendar } from '../../config/calendar-file.ts';
import { createNyseCalendar } from '../../domain/calendar.ts';
import type { MarketSnapshot } from '../../domain/snapshot.ts';
import { previewPlan } from '../../app/preview.ts';
import { renderPlanText } from '../render/plan-text.ts';
import { renderPlanJson } from '../render/plan-json.ts';
import { loadEnv } from '../../config/env.ts';
import { basename } from 'node:path';
import type { Runtime } from '../runtime.ts';

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
  const calendar = createNyseCalendar(loadCalendarData());
  const eventCalendar = loadEventCalendar(opts.events);
  const snapshot = withEventCoverage(loadSnapshot(opts.snapshot), eventCalendar);
  const { plan, snapshot: decided } = previewPlan({
    snapshot,
    strategy,
    calendar,
    eventFile: eventCalendar.events,
    mode: env.mode,
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

/** The merged event calendar covers through the later of the snapshot's and the event file's dates. */
function withEventCoverage(snapshot: MarketSnapshot, file: EventCalendar): MarketSnapshot {
  const lastEvent = snapshot.events.reduce<string | null>(
    (m, e) => (m === null || e.date > m ? e.date : m),
    null,
  );
  const own = snapshot.eventsCoveredThrough ?? lastEvent;
  const dates = [own, file.coveredThrough].filter((d): d is string => d !== null).sort();
  const through = dates.at(-1);
  return through === undefined ? snapshot : { ...snapshot, eventsCoveredThrough: through };
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .requiredOption('--snapshot <file>', 'market snapshot JSON (see test/fixtures/snapshots/)')
    .option('--strategy <file>', 'strategy file (default: IRONVIX_STRATEGY or strategies/alvh-default.json)')
    .option('--events <file>', 'event calendar file (default: strategies/events.json)')
    .option('--json', 'print the plan as stable JSON instead of text')
    .action((opts: PreviewOptions) => runPreviewCommand(opts, rt.io.out));
}
