// A daemon on a virtual clock with a memory journal, a recording runner and a recording notifier.
// The clock can also jump (a suspend or a clock step): its reading moves while timers keep their
// place on the underlying (monotonic) time line, as Node's timers do after a suspend.
import { createVirtualClock } from '../../src/adapters/clock/virtual-clock.ts';
import { createMemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import type { MemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import type {
  CycleOutcome,
  CycleRequest,
  Daemon,
  DaemonSettings,
  ReconcileGate,
  ReconcileHookRequest,
  SettleRequest,
  SettlementPass,
} from '../../src/app/daemon.ts';
import { createDaemon } from '../../src/app/daemon.ts';
import { loadCalendarData } from '../../src/config/calendar-file.ts';
import type { TradingCalendar } from '../../src/domain/calendar.ts';
import { createNyseCalendar } from '../../src/domain/calendar.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { JournalPort } from '../../src/ports/journal.ts';
import type { Notification } from '../../src/ports/notifier.ts';

export const calendar: TradingCalendar = createNyseCalendar(loadCalendarData());

/** Lets every promise chain the last clock step started run to its next wait. */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface JumpClock extends Clock {
  /** Runs timers in order up to reading endMs, letting the daemon react after each. */
  runUntil(endMs: number): Promise<void>;
  /** Moves the reading by ms without running timers (suspend: forward; clock step: either way). */
  jump(ms: number): void;
}

export function jumpClock(startMs: number): JumpClock {
  const inner = createVirtualClock(startMs);
  let offset = 0;
  const live: { atMs: number; on: boolean }[] = [];
  return {
    isVirtual: true,
    nowMs: () => inner.nowMs() + offset,
    schedule(atMs, fn) {
      const t = { atMs: atMs - offset, on: true };
      live.push(t);
      const cancel = inner.schedule(t.atMs, () => {
        t.on = false;
        fn();
      });
      return () => {
        t.on = false;
        cancel();
      };
    },
    jump(ms) {
      offset += ms;
    },
    async runUntil(endMs) {
      for (;;) {
        await settle();
        let next = Number.POSITIVE_INFINITY;
        for (let i = live.length - 1; i >= 0; i--) {
          const t = live[i]!;
          if (!t.on) live.splice(i, 1);
          else next = Math.min(next, t.atMs);
        }
        const end = endMs - offset;
        if (next > end) {
          inner.advanceTo(end);
          await settle();
          return;
        }
        inner.advanceTo(next);
      }
    },
  };
}

export interface Call {
  readonly req: Omit<CycleRequest, 'journal'>;
  readonly atMs: number;
}

export type Script = (req: CycleRequest, clock: Clock) => Promise<CycleOutcome> | CycleOutcome;

export const finished: Script = (req) => ({
  kind: 'finished',
  planId: `plan-${req.cycleDate}`,
  result: 'COMPLETE',
  summary: 'hedge 2, condor 3',
});

export interface Rig {
  readonly clock: JumpClock;
  readonly journal: MemoryJournal;
  readonly calls: Call[];
  readonly notes: Notification[];
  readonly reconciles: ReconcileHookRequest[];
  /** Journal opens minus closes: 0 whenever the daemon waits. */
  openJournals(): number;
  /** Starts a daemon; done settles with run()'s rejection, or undefined. */
  start(settings?: Partial<DaemonSettings>): { readonly daemon: Daemon; readonly done: Promise<unknown> };
  /** Stops every daemon started and waits for them. */
  stopAll(): Promise<void>;
  script: Script;
  reconcile: ((req: ReconcileHookRequest) => ReconcileGate) | null;
  /** The settlement hook (null: none); each call is recorded in settles with its time. */
  settle: ((req: SettleRequest) => Promise<SettlementPass>) | null;
  readonly settles: { readonly date: string; readonly atMs: number }[];
  openJournal: (() => JournalPort) | null;
  /** How a notification is delivered (default: at once). */
  deliver: (n: Notification) => Promise<void>;
}

export const BASE_SETTINGS: DaemonSettings = {
  mode: 'sim',
  entry: { time: '15:45', earlyCloseMinutesBefore: 15 },
  planMinutes: 8,
  restartWindow: null,
};

export function rig(startIso: string, journal: MemoryJournal = createMemoryJournal('sim')): Rig {
  const clock = jumpClock(Date.parse(startIso));
  const calls: Call[] = [];
  const notes: Notification[] = [];
  const reconciles: ReconcileHookRequest[] = [];
  const settles: { date: string; atMs: number }[] = [];
  const running: { daemon: Daemon; done: Promise<unknown> }[] = [];
  let open = 0;
  const r: Rig = {
    clock,
    journal,
    calls,
    notes,
    reconciles,
    openJournals: () => open,
    script: finished,
    reconcile: null,
    settle: null,
    settles,
    openJournal: null,
    deliver: () => Promise.resolve(),
    start(settings = {}) {
      const daemon = createDaemon(
        {
          clock,
          calendar,
          logger: silentLogger,
          notifier: {
            notify: (n) => {
              notes.push(n);
              return r.deliver(n);
            },
          },
          openJournal: () => {
            if (r.openJournal !== null) return r.openJournal();
            open++;
            // The memory journal outlives the daemon's close: one object stands for the database file.
            return {
              ...journal,
              close: () => {
                open--;
              },
            };
          },
          runCycle: async (req) => {
            const { journal: _j, ...rest } = req;
            calls.push({ req: rest, atMs: clock.nowMs() });
            return r.script(req, clock);
          },
          ...(r.reconcile !== null
            ? {
                reconcile: (q: ReconcileHookRequest) => {
                  reconciles.push(q);
                  return Promise.resolve(r.reconcile!(q));
                },
              }
            : {}),
          ...(r.settle !== null
            ? {
                settle: (q: SettleRequest) => {
                  settles.push({ date: q.date, atMs: clock.nowMs() });
                  return r.settle!(q);
                },
              }
            : {}),
        },
        { ...BASE_SETTINGS, ...settings },
      );
      const started = { daemon, done: daemon.run().catch((e: unknown) => e) };
      running.push(started);
      return started;
    },
    async stopAll() {
      for (const d of running) d.daemon.stop();
      await settle();
      await Promise.all(running.map((d) => d.done));
    },
  };
  return r;
}
