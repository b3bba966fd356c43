// `ironvix preview`: show the exact plan for a market snapshot, read from a file or captured from the
// configured gateway (`--gateway`, with IB's what-if margin and commission per order). Sends no order.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadSnapshot } from '../../config/snapshot-file.ts';
import { loadStrategy } from '../../config/strategy-file.ts';
import { loadCalendarData, loadEventCalendar } from '../../config/calendar-file.ts';
import type { EventCalendar } from '../../config/calendar-file.ts';
import { createNyseCalendar } from '../../domain/calendar.ts';
import type { MarketSnapshot } from '../../domain/snapshot.ts';
import { previewPlan } from '../../app/preview.ts';
import { IronvixError } from '../../errors.ts';
import { renderPlanText } from '../render/plan-text.ts';
import { renderPlanJson } from '../render/plan-json.ts';
import { renderWhatIfText, whatIfJson } from '../render/what-if.ts';
import type { Runtime } from '../runtime.ts';
import { captureError } from '../wiring/capture-error.ts';

export interface PreviewOptions {
  readonly snapshot?: string;
  readonly gateway?: boolean;
  readonly whatIf?: boolean;
  readonly strategy?: string;
  readonly events?: string;
  readonly json?: boolean;
}

export async function runPreviewCommand(rt: Runtime, opts: PreviewOptions): Promise<void> {
  if ((opts.snapshot === undefined) === (opts.gateway !== true))
    throw new IronvixError('E_USAGE', 'give exactly one of --snapshot FILE or --gateway');
  // The environment is validated even when --strategy is given: a broken .env is reported, not ignored.
  const config = rt.config();
  const strategyPath = opts.strategy ?? config.strategyPath;
  const strategy = loadStrategy(strategyPath);
  const calendar = createNyseCalendar(loadCalendarData());
  const eventCalendar = loadEventCalendar(opts.events);
  const names = { strategyName: basename(strategyPath) };
  if (opts.snapshot !== undefined) {
    const snapshot = withEventCoverage(loadSnapshot(opts.snapshot), eventCalendar);
    const { plan, snapshot: decided } = previewPlan({
      snapshot,
      strategy,
      calendar,
      eventFile: eventCalendar.events,
      mode: config.mode,
    });
    rt.io.out(
      opts.json === true
        ? renderPlanJson(plan)
        : renderPlanText(plan, { snapshot: decided, snapshotName: basename(opts.snapshot), ...names }),
    );
    return;
  }
  // Loaded only here: a snapshot preview starts without the IB client (cold start).
  const { gatewayRequest, openGateway } = await import('../wiring/gateway.ts');
  const { planFromGateway, whatIfPlan } = await import('../../app/plan-from-gateway.ts');
  const gateway = await openGateway(gatewayRequest(config, { purpose: 'read', logger: await rt.logger() }));
  try {
    const built = await planFromGateway({
      marketData: gateway.marketData,
      broker: gateway.broker,
      strategy,
      calendar,
      events: eventCalendar.events,
      rates: config.rates,
      mode: config.mode,
    });
    if (!built.ok) throw captureError(built.error, gateway.name);
    const { plan, snapshot } = built.value;
    const whatIf = opts.whatIf === false ? null : await whatIfPlan(gateway.broker, plan, gateway.account);
    if (opts.json === true) {
      rt.io.out(renderPlanJson(plan, whatIf === null ? undefined : whatIfJson(whatIf)));
      return;
    }
    rt.io.out(renderPlanText(plan, { snapshot, snapshotName: gateway.name, ...names }));
    if (whatIf !== null) rt.io.out(`\n${renderWhatIfText(whatIf)}`);
  } finally {
    await gateway.close();
  }
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
    .addOption(
      new Option('--snapshot <file>', 'market snapshot JSON (see test/fixtures/snapshots/)').conflicts(
        'gateway',
      ),
    )
    .option(
      '--gateway',
      "capture the snapshot from the configured gateway (IB_HOST, IB_PORT, IB_CLIENT_ID) and add IB's what-if margin and commission per order",
    )
    .option('--no-what-if', 'with --gateway: skip the what-if requests')
    .option('--strategy <file>', 'strategy file (default: IRONVIX_STRATEGY or strategies/alvh-default.json)')
    .option('--events <file>', 'event calendar file (default: strategies/events.json)')
    .option('--json', 'print the plan as stable JSON instead of text')
    .action(async (opts: PreviewOptions) => {
      rt.quietByDefault();
      await runPreviewCommand(rt, opts);
    });
}
