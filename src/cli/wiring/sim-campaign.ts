// A campaign's composition: the simulator in-process on a virtual clock, the daemon (the same code
// as `ironvix daemon`) with the trading cycle runner and the settlement hook, each cycle point a
// fresh gateway session over TCP through the IB adapter, and the discrete-event driver of virtual
// time (app/campaign.ts). Used by `ironvix campaign`, `ironvix demo` and `ironvix daemon --virtual-time`.
import { LIFTED_PACING_LIMITS } from '../../adapters/ib/pacing.ts';
import type { CampaignProgress } from '../../app/campaign.ts';
import { campaignSlots, runCampaign, slotsUntil } from '../../app/campaign.ts';
import type { DaemonSettings, SettleRequest, SettlementPass } from '../../app/daemon.ts';
import { createDaemon } from '../../app/daemon.ts';
import type { CycleReport, CyclePhase, CycleSession } from '../../app/daemon-cycle.ts';
import { gatewaySettlement, tradingCycleRunner } from '../../app/daemon-cycle.ts';
import { vixDteWindow } from '../../app/plan-from-gateway.ts';
import type { StepObservation } from '../../app/execute-plan.ts';
import type { AppConfig } from '../../config/env.ts';
import type { TradingCalendar } from '../../domain/calendar.ts';
import type { IsoDate } from '../../domain/instruments.ts';
import type { MarketEvent } from '../../domain/snapshot.ts';
import type { StrategyConfig } from '../../domain/strategy.ts';
import type { Clock, ManualClock } from '../../ports/clock.ts';
import type { JournalPort } from '../../ports/journal.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { RunningSimulator } from '../../sim/simulator.ts';
import type { Gateway } from './gateway.ts';
import { openGateway, preflightSettings } from './gateway.ts';
import type { SimulatorSetup } from './simulator.ts';
import { IN_PROCESS_SIM_LIMITS, launchSimulator } from './simulator.ts';

/** The daemon's schedule settings from configuration and the strategy (entry, plan length, restart window). */
export function daemonSettings(config: AppConfig, strategy: StrategyConfig): DaemonSettings {
  const ladders = strategy.execution;
  return {
    mode: config.mode,
    entry: strategy.entry,
    planMinutes: Math.max(ladders.hedgeLadder.deadlineMinutes, ladders.condorLadder.deadlineMinutes),
    restartWindow: config.restartWindow,
  };
}

/** The journal as the daemon opens it at each point: the campaign's one journal, closed only at the end. */
export function unclosable(journal: JournalPort): JournalPort {
  return new Proxy(journal, {
    get(target, key) {
      if (key === 'close') return () => undefined;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Virtual time steps: at most a second while a plan runs, up to an hour between cycles. */
const EXECUTE_STEP_MS = 60_000;
const IDLE_STEP_MS = 3_600_000;

export interface SimCampaignSetup {
  readonly config: AppConfig;
  readonly strategy: StrategyConfig;
  readonly calendar: TradingCalendar;
  readonly events: readonly MarketEvent[];
  readonly logger: Logger;
  readonly notifier: Notifier;
  /** The simulator: virtual start, seed, scenario, replay. */
  readonly sim: Omit<SimulatorSetup, 'virtualTime' | 'port' | 'calendar' | 'logger' | 'limits'> & {
    readonly startAt: string;
  };
  /** Opens the campaign's journal once the simulator's clock is known. */
  readonly openJournal: (nowMs: number) => JournalPort;
  /** Cycle points to run: the first N trading days whose cycle point is not past at the start, or
   * every cycle point before a virtual end time (then the run ends at that time). */
  readonly span: { readonly days: number } | { readonly untilMs: number };
  readonly onCycle?: (r: CycleReport) => void;
  readonly onSettle?: (date: IsoDate, pass: SettlementPass) => void;
  readonly onProgress?: (p: CampaignProgress) => void;
  readonly observe?: (o: StepObservation) => void;
  /** Told once the simulator runs (before the first cycle). */
  readonly onStart?: (sim: RunningSimulator<ManualClock>, journal: JournalPort) => void;
}

export interface SimCampaignResult {
  readonly sim: { readonly seed: number; readonly host: string; readonly port: number };
  readonly journalLocation: string;
  /** The first and last cycle dates (null when the span held none). */
  readonly firstDate: IsoDate | null;
  readonly lastDate: IsoDate | null;
  /** The virtual time the campaign ended at (after the last condor settled). */
  readonly endMs: number;
}

/**
 * Runs a campaign; `finish` is called with the simulator and the journal still open (to read the
 * report and the broker's state), then everything is closed.
 */
export async function runSimCampaign<T>(
  s: SimCampaignSetup,
  finish: (sim: RunningSimulator<ManualClock>, journal: JournalPort, r: SimCampaignResult) => Promise<T> | T,
): Promise<T> {
  const sim = await launchSimulator({
    ...s.sim,
    virtualTime: true,
    port: 0,
    calendar: s.calendar,
    // Ours and on this machine: IB's pacing would make each capture take real seconds.
    limits: IN_PROCESS_SIM_LIMITS,
  });
  let journal: JournalPort | null = null;
  try {
    journal = s.openJournal(sim.clock.nowMs());
    const shared = unclosable(journal);
    s.onStart?.(sim, journal);
    const base = daemonSettings({ ...s.config, mode: 'sim' }, s.strategy);
    const startMs = sim.clock.nowMs();
    const slots =
      'days' in s.span
        ? campaignSlots(s.calendar, startMs, s.span.days, base)
        : slotsUntil(s.calendar, startMs, s.span.untilMs, base);
    const lastSlot = slots[slots.length - 1];
    const settings: DaemonSettings = {
      ...base,
      // Virtual time: no suspend to notice, and a long heartbeat keeps the nights short.
      heartbeatMs: IDLE_STEP_MS,
      ...(lastSlot !== undefined && 'days' in s.span ? { lastCycleDate: lastSlot.cycleDate } : {}),
    };
    const gateways = new Set<Gateway>();
    let phase: CyclePhase = 'idle';
    // The bot's own waits on virtual time (the executor's ladder steps, reconciliation's settling).
    let botTimers = 0;
    const botClock: Clock = {
      isVirtual: true,
      nowMs: () => sim.clock.nowMs(),
      schedule(atMs, fn) {
        let live = true;
        botTimers++;
        const done = (): void => {
          if (live) botTimers--;
          live = false;
        };
        const cancel = sim.clock.schedule(atMs, () => {
          done();
          fn();
        });
        return () => {
          done();
          cancel();
        };
      },
    };
    const openSession = async (): Promise<CycleSession> => {
      const g = await openGateway({
        host: sim.host,
        port: sim.port,
        clientId: s.config.ib.clientId,
        // The simulator's one paper account.
        account: null,
        mode: 'sim',
        purpose: 'trade',
        logger: s.logger,
        pacing: LIFTED_PACING_LIMITS,
      });
      gateways.add(g);
      return {
        broker: tracked(g.broker),
        marketData: tracked(g.marketData),
        account: g.account,
        clock: botClock,
        close: async () => {
          gateways.delete(g);
          await g.close();
        },
      };
    };
    // Requests the bot awaits (sends, reports, quotes): time stands still until they are answered.
    let inFlight = 0;
    const tracked = <T extends object>(target: T): T =>
      new Proxy(target, {
        get(t, key) {
          const v: unknown = Reflect.get(t, key, t);
          if (typeof v !== 'function') return v;
          return (...args: unknown[]): unknown => {
            const r: unknown = (v as (...a: unknown[]) => unknown).apply(t, args);
            if (r instanceof Promise) {
              inFlight++;
              const done = (): void => {
                inFlight--;
              };
              r.then(done, done);
            }
            return r;
          };
        },
      });
    const onPhase = (p: CyclePhase): void => {
      phase = p;
    };
    let settledThrough: IsoDate | null = null;
    const settle = gatewaySettlement({ openSession, calendar: s.calendar, onPhase });
    const daemon = createDaemon(
      {
        clock: sim.clock,
        calendar: s.calendar,
        logger: s.logger,
        notifier: s.notifier,
        openJournal: () => shared,
        runCycle: tradingCycleRunner({
          openSession,
          logger: s.logger,
          calendar: s.calendar,
          request: {
            mode: 'sim',
            strategy: s.strategy,
            calendar: s.calendar,
            events: s.events,
            capture: { rates: s.config.rates, vixDteWindow: vixDteWindow(s.strategy) },
            preflight: preflightSettings(s.config),
          },
          onPhase,
          ...(s.onCycle !== undefined ? { onCycle: s.onCycle } : {}),
          ...(s.observe !== undefined ? { observe: s.observe } : {}),
        }),
        settle: async (req: SettleRequest) => {
          try {
            const pass = await settle(req);
            s.onSettle?.(req.date, pass);
            return pass;
          } finally {
            settledThrough = req.date;
          }
        },
      },
      settings,
    );

    await runCampaign({
      clock: sim.clock,
      calendar: s.calendar,
      daemon,
      slots,
      wire: {
        connected: () => gateways.size > 0 || sim.server.stats().connections > 0,
        busy: () => inFlight > 0,
        signature: () => {
          const parts: number[] = [];
          for (const x of sim.server.sessions())
            parts.push(x.messagesIn, x.messagesOut, x.pendingOutputBytes);
          for (const g of gateways) parts.push(g.client.registry.openCount(), g.client.pacing.waiting());
          parts.push(inFlight);
          return parts.join(',');
        },
      },
      // Inside a cycle time moves only while the bot waits on it: never while connecting (a
      // real-time handshake), capturing a snapshot or reading reports; in small steps while a plan runs.
      holdTime: () =>
        phase === 'connect' || phase === 'capture' || (phase === 'reconcile' && botTimers === 0),
      maxJumpMs: () => (phase === 'execute' ? EXECUTE_STEP_MS : IDLE_STEP_MS),
      settledThrough: () => settledThrough,
      ...(s.onProgress !== undefined ? { onProgress: s.onProgress } : {}),
      ...('untilMs' in s.span ? { untilMs: s.span.untilMs } : {}),
    });
    return await finish(sim, journal, {
      sim: { seed: sim.seed, host: sim.host, port: sim.port },
      journalLocation: journal.location,
      firstDate: slots[0]?.cycleDate ?? null,
      lastDate: lastSlot?.cycleDate ?? null,
      endMs: sim.clock.nowMs(),
    });
  } finally {
    journal?.close();
    await sim.close();
  }
}
