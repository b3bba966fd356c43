// A campaign as the CLI runs it (cli/wiring/sim-campaign.ts): the simulator in-process on a virtual
// clock, the daemon with the trading cycle runner and the settlement hook, every cycle a fresh IB
// adapter session over TCP and the real executor. Records what the tests look at: every executor
// step, every cycle's result, every settlement pass, every journal write with its virtual time, and
// the simulator's own settlement values.
import { createMemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import type { MemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import type { CycleReport } from '../../src/app/daemon-cycle.ts';
import type { SettlementPass } from '../../src/app/daemon.ts';
import type { StepObservation } from '../../src/app/execute-plan.ts';
import { loadEnv } from '../../src/config/env.ts';
import { simCalendar } from '../../src/cli/wiring/simulator.ts';
import { runSimCampaign } from '../../src/cli/wiring/sim-campaign.ts';
import type { SimCampaignResult } from '../../src/cli/wiring/sim-campaign.ts';
import type { IsoDate } from '../../src/domain/instruments.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';
import type { JournalEvent } from '../../src/ports/journal.ts';
import { silentNotifier } from '../../src/ports/notifier.ts';
import { strategyWith } from '../support/default-strategy.ts';

/** The default strategy without the trend gate: the campaign trades every day whatever the trend. */
export const CAMPAIGN_STRATEGY: StrategyConfig = strategyWith({ sizing: { trendGateSma: 0 } });

export interface CampaignRecord {
  readonly result: SimCampaignResult;
  readonly steps: StepObservation[];
  readonly cycles: CycleReport[];
  readonly settlements: { readonly date: IsoDate; readonly pass: SettlementPass }[];
  /** Every journal write and the virtual time it was made at. */
  readonly writes: { readonly atMs: number; readonly event: JournalEvent }[];
  readonly journal: MemoryJournal;
  /** The simulator's own SPX closes (SPXW PM settlement values) of the campaign's dates. */
  readonly simSpxCloses: Map<IsoDate, number | null>;
  readonly startCashCents: number;
  readonly endCashCents: number;
}

export async function runCampaignRig(opts: {
  readonly days: number;
  readonly seed: number;
  readonly startAt?: string;
  readonly strategy?: StrategyConfig;
}): Promise<CampaignRecord> {
  const config = loadEnv({ env: { IRONVIX_MODE: 'sim' }, envFile: '/dev/null' });
  const calendar = simCalendar();
  const steps: StepObservation[] = [];
  const cycles: CycleReport[] = [];
  const settlements: { date: IsoDate; pass: SettlementPass }[] = [];
  const writes: { atMs: number; event: JournalEvent }[] = [];
  const journal = createMemoryJournal('sim');
  let clockMs = (): number => 0;
  let startCashCents = 0;
  const recorded = new Proxy(journal, {
    get(t, key) {
      const v: unknown = Reflect.get(t, key, t);
      if (key === 'append')
        return (e: JournalEvent) => {
          writes.push({ atMs: clockMs(), event: e });
          return t.append(e);
        };
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return runSimCampaign(
    {
      config,
      strategy: opts.strategy ?? CAMPAIGN_STRATEGY,
      calendar,
      events: [],
      logger: silentLogger,
      notifier: silentNotifier,
      sim: { startAt: opts.startAt ?? '2026-03-16T15:45', seed: opts.seed },
      openJournal: () => recorded,
      span: { days: opts.days },
      onStart: (sim) => {
        clockMs = () => sim.clock.nowMs();
        startCashCents = sim.venue.state().cashCents;
      },
      onCycle: (r) => cycles.push(r),
      onSettle: (date, pass) => settlements.push({ date, pass }),
      observe: (o) => steps.push(o),
    },
    (sim, _journal, result) => {
      const simSpxCloses = new Map<IsoDate, number | null>();
      for (const s of settlements) simSpxCloses.set(s.date, sim.market.settlementValue('SPX-PM', s.date));
      return {
        result,
        steps,
        cycles,
        settlements,
        writes,
        journal,
        simSpxCloses,
        startCashCents,
        endCashCents: sim.venue.state().cashCents,
      };
    },
  );
}
