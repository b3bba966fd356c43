// The daily service (issue 10): fires the cycle at the strategy's entry time on every NYSE trading
// day (New York time; holidays, early closes and DST from the calendar), around an injected cycle
// runner. All time comes from the Clock port, so two years of schedule run in virtual time.
//
// Rules it keeps (docs/strategy.md 4-5, docs/architecture.md "Executing a plan"):
// - one cycle per date: the journal's cycle row is claimed before anything runs, so neither a
//   restart nor a backwards clock step fires a date twice;
// - a cycle starts between its entry time and its last start time (the entry plus at most
//   maxLateMinutes, and never so late that the plan's orders would work past the close). A daemon
//   (re)started inside that span runs the cycle late; after it, the cycle is not run;
// - before a cycle: kill switch (journal halt), the gateway's daily restart window, the reconcile
//   hook. Each of them, and a gateway that is down, makes the cycle wait and retry until its last
//   start time; then the cycle is recorded as skipped with its reason, and notified;
// - nothing runs between cycle points: the runner is called only inside a cycle's span;
// - the clock is re-read at least every heartbeat, so a suspend or a clock step is noticed: a
//   cycle whose whole span was jumped over is recorded as missed, and notified.
// - settlement points: with a settle hook, each trading day at its close plus settleDelayMinutes
//   (after the SPXW PM settlement and the morning's VIX AM settlement) the hook journals the
//   settlement values from the broker's reports; it sends no order, and a problem is notified.
// The journal is opened for each cycle point and closed after it, so `ironvix halt` / `resume`
// can write it between cycles.
import { DateTime } from 'luxon';
import type { EntryRule, TradingCalendar } from '../domain/calendar.ts';
import { NY_ZONE, entryTime, nyDate } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type { PlanResult } from '../domain/journal-view.ts';
import type { Mode } from '../domain/mode.ts';
import { assertNever } from '../domain/result.ts';
import { EXIT, IronvixError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { CycleState, JournalPort } from '../ports/journal.ts';
import type { Logger } from '../ports/logger.ts';
import type { Notification, Notifier } from '../ports/notifier.ts';

/** The gateway's daily restart, in minutes after New York midnight; end < start crosses midnight. */
export interface RestartWindow {
  readonly startMinutes: number;
  readonly endMinutes: number;
}

/** One trading day's cycle point. */
export interface CycleSlot {
  readonly cycleDate: IsoDate;
  readonly entryAtMs: number;
  /** The latest start: later than this, the cycle is not run. */
  readonly lastStartAtMs: number;
}

export interface CycleRequest extends CycleSlot {
  /** Open for the cycle, with the cycle already claimed by the daemon: the runner must not claim it. */
  readonly journal: JournalPort;
  /** 1 for the first attempt of this cycle date in this process. */
  readonly attempt: number;
  /**
   * The cycle may have sent orders already (claimed by a process that stopped, or an earlier attempt
   * ended with an error): resume a plan in flight for this date, never build a second one.
   */
  readonly recovering: boolean;
}

/**
 * What a cycle came to. A runner may also throw: an IronvixError with a journal code stops the
 * daemon; E_TRADING_HALTED / E_RECONCILE_MISMATCH wait for a resume; E_RECONCILE_UNAVAILABLE and
 * other broker codes are retried; other bad-input or safety codes fail the cycle and stop the
 * daemon (the configuration must be fixed); anything else fails the cycle and halts trading.
 */
export type CycleOutcome =
  /** A plan was built and ran to its end, or the cycle decided not to trade (planId null). */
  | {
      readonly kind: 'finished';
      readonly planId: string | null;
      readonly result: PlanResult | 'NO_TRADE';
      readonly summary: string;
    }
  /** The gateway could not be reached and nothing was sent: retried until the last start time. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** Nothing was sent and retrying would not help (pre-flight refused, market closed): skipped. */
  | { readonly kind: 'refused'; readonly reason: string };

export type CycleRunner = (req: CycleRequest) => Promise<CycleOutcome>;

export type ReconcileGate =
  | { readonly kind: 'clean' }
  /** Reconciliation found a difference and halted trading (it journaled the halt). */
  | { readonly kind: 'halted'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface ReconcileHookRequest {
  readonly journal: JournalPort;
  readonly trigger: 'startup' | 'before-cycle';
  readonly cycleDate: IsoDate | null;
}

/** What a settlement point came to (app/daemon-settlement.ts journals the values). */
export interface SettlementPass {
  /** Settlement values journaled by this pass ("SPX-PM 2026-03-17 5978.12"). */
  readonly journaled: readonly string[];
  /** Expired positions that could not be booked, one line each (E_SETTLEMENT_MISSING). */
  readonly problems: readonly string[];
}

export interface SettleRequest {
  readonly journal: JournalPort;
  /** The trading day whose close this point follows. */
  readonly date: IsoDate;
}

export interface DaemonDeps {
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  readonly logger: Logger;
  readonly notifier: Notifier;
  /** Opens the mode's journal for writing (throws E_JOURNAL_* when it cannot be used). */
  readonly openJournal: () => JournalPort;
  readonly runCycle: CycleRunner;
  /** Reconciliation with the broker, at startup and before each cycle; absent when the runner does it. */
  readonly reconcile?: (req: ReconcileHookRequest) => Promise<ReconcileGate>;
  /** Settlement points (after each close); absent: no settlement is journaled by the daemon. */
  readonly settle?: (req: SettleRequest) => Promise<SettlementPass>;
}

export interface DaemonSettings {
  readonly mode: Mode;
  readonly entry: EntryRule;
  /** How long the plan's orders may work after it starts (its longest ladder deadline), in minutes. */
  readonly planMinutes: number;
  /** A cycle starts at most this many minutes after its entry time. Default 30. */
  readonly maxLateMinutes?: number;
  readonly restartWindow: RestartWindow | null;
  /** Wait between attempts while halted or the gateway is down. Default 60 s. */
  readonly retryMs?: number;
  /** The longest single wait on the clock, so that a clock jump is noticed. Default 60 s. */
  readonly heartbeatMs?: number;
  /** Settlement points fall this many minutes after each session's close. Default 15. */
  readonly settleDelayMinutes?: number;
  /** A campaign's last cycle date: no cycle after it runs; settlement points go on until stop(). */
  readonly lastCycleDate?: IsoDate;
}

export interface Daemon {
  /** Runs until stop(); rejects when the journal cannot be used or the configuration is refused. */
  run(): Promise<void>;
  /** Stops at the next wait; a cycle in flight runs to its end first. */
  stop(): void;
}

const MINUTE_MS = 60_000;
const DEFAULT_MAX_LATE_MINUTES = 30;
const DEFAULT_RETRY_MS = 60_000;
const DEFAULT_HEARTBEAT_MS = 60_000;
const DEFAULT_SETTLE_DELAY_MINUTES = 15;
/** A jump over more cycles than this is reported in one line, not one record per day. */
const MAX_MISSED_RECORDS = 10;

/** The cycle point of a trading day under the entry rule. */
export function cycleSlot(
  calendar: TradingCalendar,
  cycleDate: IsoDate,
  s: Pick<DaemonSettings, 'entry' | 'planMinutes' | 'maxLateMinutes'>,
): CycleSlot {
  const session = calendar.session(cycleDate);
  if (session === null) throw new Error(`${cycleDate} is not a trading day`);
  const entryAtMs = Date.parse(entryTime(calendar, cycleDate, s.entry));
  const byLateness = entryAtMs + (s.maxLateMinutes ?? DEFAULT_MAX_LATE_MINUTES) * MINUTE_MS;
  const byClose = Date.parse(session.close) - s.planMinutes * MINUTE_MS;
  return { cycleDate, entryAtMs, lastStartAtMs: Math.max(entryAtMs, Math.min(byLateness, byClose)) };
}

/** The first cycle point whose last start time is not past at nowMs. */
export function nextCycleSlot(
  calendar: TradingCalendar,
  nowMs: number,
  s: Pick<DaemonSettings, 'entry' | 'planMinutes' | 'maxLateMinutes'>,
): CycleSlot {
  let d = nyDateOf(nowMs);
  if (!calendar.isTradingDay(d)) d = calendar.nextTradingDay(d);
  for (;;) {
    const slot = cycleSlot(calendar, d, s);
    if (slot.lastStartAtMs >= nowMs) return slot;
    d = calendar.nextTradingDay(d);
  }
}

/** A settlement point: the trading day it follows and when it falls. */
export interface SettlePoint {
  readonly date: IsoDate;
  readonly atMs: number;
}

/** The first settlement point (a session's close plus the delay) at or after nowMs. */
export function nextSettlePoint(calendar: TradingCalendar, nowMs: number, delayMinutes: number): SettlePoint {
  let d = nyDateOf(nowMs);
  if (!calendar.isTradingDay(d)) d = calendar.nextTradingDay(d);
  for (;;) {
    const session = calendar.session(d);
    if (session === null) throw new Error(`${d} is not a trading day`);
    const atMs = Date.parse(session.close) + delayMinutes * MINUTE_MS;
    if (atMs >= nowMs) return { date: d, atMs };
    d = calendar.nextTradingDay(d);
  }
}

/** Whether atMs lies inside the restart window, and when that window ends. */
export function restartWindowAt(
  w: RestartWindow | null,
  atMs: number,
): { readonly inside: false } | { readonly inside: true; readonly endsAtMs: number } {
  if (w === null) return { inside: false };
  const t = DateTime.fromMillis(atMs, { zone: NY_ZONE });
  const m = t.hour * 60 + t.minute;
  const crosses = w.endMinutes < w.startMinutes;
  const inside = crosses ? m >= w.startMinutes || m < w.endMinutes : m >= w.startMinutes && m < w.endMinutes;
  if (!inside) return { inside: false };
  const endDay = crosses && m >= w.startMinutes ? t.plus({ days: 1 }) : t;
  const end = endDay.set({
    hour: Math.floor(w.endMinutes / 60),
    minute: w.endMinutes % 60,
    second: 0,
    millisecond: 0,
  });
  return { inside: true, endsAtMs: end.toMillis() };
}

function nyDateOf(ms: number): IsoDate {
  return nyDate(new Date(ms).toISOString());
}

/** "2026-03-17 15:52 New York". */
export function nyText(ms: number): string {
  return `${DateTime.fromMillis(ms, { zone: NY_ZONE }).toFormat('yyyy-MM-dd HH:mm')} New York`;
}

type Attempt =
  | { readonly kind: 'settled' }
  /** Try again at retryAtMs (or after the retry interval); reason is what the skip would say. */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAtMs?: number };

function isJournalFailure(e: unknown): e is IronvixError {
  return e instanceof IronvixError && e.code.startsWith('E_JOURNAL_');
}

function errorText(e: unknown): string {
  if (e instanceof IronvixError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

export function createDaemon(deps: DaemonDeps, settings: DaemonSettings): Daemon {
  const { clock, calendar, notifier } = deps;
  const log = deps.logger.child({ component: 'daemon', mode: settings.mode });
  const retryMs = settings.retryMs ?? DEFAULT_RETRY_MS;
  const heartbeatMs = settings.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  let stopped = false;
  let interrupt: (() => void) | null = null;
  let startedAtMs = 0;
  /** The clock's reading before the last wait: where a jump started. */
  let lastSeenMs = 0;
  /** Cycle dates this process claimed (its own retries are not recoveries). */
  const claimedHere = new Set<IsoDate>();
  const pending = new Set<Promise<void>>();
  /** The halt last notified, so a halt is announced once, not at every retry. */
  let notifiedHaltAtMs: number | null = null;

  const notify = (n: Omit<Notification, 'mode' | 'atMs'>): void => {
    const p = notifier
      .notify({ ...n, mode: settings.mode, atMs: clock.nowMs() })
      .catch(() => undefined)
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  /** Waits on the clock until atMs, re-reading it at least every heartbeat; false when stopped. */
  const waitUntil = async (atMs: number): Promise<boolean> => {
    while (!stopped) {
      const now = clock.nowMs();
      if (now >= atMs) return true;
      lastSeenMs = now;
      const wakeAt = Math.min(atMs, now + heartbeatMs);
      await new Promise<void>((resolve) => {
        const cancel = clock.schedule(wakeAt, resolve);
        interrupt = () => {
          cancel();
          resolve();
        };
      });
      interrupt = null;
      const woke = clock.nowMs();
      if (woke - wakeAt > heartbeatMs)
        log.warn('the clock jumped forward (suspend, or a clock step)', {
          expectedAt: new Date(wakeAt).toISOString(),
          now: new Date(woke).toISOString(),
          jumpMs: woke - wakeAt,
        });
    }
    return false;
  };

  const withJournal = async <T>(fn: (j: JournalPort) => Promise<T>): Promise<T> => {
    const journal = deps.openJournal();
    try {
      return await fn(journal);
    } finally {
      journal.close();
    }
  };

  const update = (
    journal: JournalPort,
    slot: CycleSlot,
    state: CycleState,
    outcome: string,
    planId: string | null = null,
  ): void => {
    const r = journal.append({
      type: 'cycle-updated',
      cycleDate: slot.cycleDate,
      state,
      planId,
      outcome,
      atMs: clock.nowMs(),
    });
    if (r.kind === 'rejected') throw new Error(`cycle ${slot.cycleDate}: ${r.reason}`);
  };

  const skip = async (slot: CycleSlot, reason: string): Promise<void> => {
    const recorded = await withJournal((journal) => {
      const rec = journal.cycle(slot.cycleDate);
      if (rec === null) {
        journal.append({ type: 'cycle-claimed', cycleDate: slot.cycleDate, atMs: clock.nowMs() });
      } else if (rec.state !== 'running') {
        return Promise.resolve(false);
      }
      update(journal, slot, 'skipped', reason);
      return Promise.resolve(true);
    });
    if (!recorded) return;
    log.warn('cycle skipped', { cycleDate: slot.cycleDate, reason });
    notify({
      kind: 'cycle-skipped',
      severity: 'warning',
      title: `ironvix ${settings.mode} ${slot.cycleDate}: cycle skipped`,
      text: reason,
      cycleDate: slot.cycleDate,
    });
  };

  const halted = (journal: JournalPort, slot: CycleSlot): Attempt | null => {
    const h = journal.haltState();
    if (!h.halted) {
      notifiedHaltAtMs = null;
      return null;
    }
    const reason = `trading is halted (set by ${h.source} at ${nyText(h.atMs)}): ${h.reason}`;
    if (notifiedHaltAtMs !== h.atMs) {
      notifiedHaltAtMs = h.atMs;
      log.warn('cycle waits: trading is halted', { cycleDate: slot.cycleDate, reason: h.reason });
      notify({
        kind: 'halt',
        severity: 'warning',
        title: `ironvix ${settings.mode}: trading is halted`,
        text: `${reason}\nThe ${slot.cycleDate} cycle waits until ${nyText(slot.lastStartAtMs)} for \`ironvix resume\`.`,
        cycleDate: slot.cycleDate,
      });
    }
    return { kind: 'retry', reason };
  };

  /** Maps an error thrown by the runner or the reconcile hook to what the daemon does next. */
  const onThrown = (journal: JournalPort, slot: CycleSlot, e: unknown, state: SlotState): Attempt => {
    if (isJournalFailure(e)) throw e;
    if (e instanceof IronvixError) {
      if (e.code === 'E_TRADING_HALTED' || e.code === 'E_RECONCILE_MISMATCH')
        return halted(journal, slot) ?? { kind: 'retry', reason: errorText(e) };
      // A broker failure: whether anything was sent is unknown, so later attempts resume.
      if (e.exitCode === EXIT.broker) {
        state.recovering = true;
        return { kind: 'retry', reason: errorText(e) };
      }
      if (e.exitCode === EXIT.badInput || e.exitCode === EXIT.safety) {
        update(journal, slot, 'failed', errorText(e));
        throw e;
      }
    }
    // A bug, or a failure whose effect on the broker is unknown: stop trading until a person looks.
    const text = errorText(e);
    update(journal, slot, 'failed', text);
    journal.append({
      type: 'halted',
      reason: `the ${slot.cycleDate} cycle failed: ${text}`,
      source: 'service',
      atMs: clock.nowMs(),
    });
    log.error('cycle failed; trading halted', { cycleDate: slot.cycleDate, error: text });
    notify({
      kind: 'error',
      severity: 'error',
      title: `ironvix ${settings.mode} ${slot.cycleDate}: cycle failed, trading halted`,
      text: `${text}\nRun \`ironvix reconcile\`, check the account, then \`ironvix resume\`.`,
      cycleDate: slot.cycleDate,
    });
    return { kind: 'settled' };
  };

  interface SlotState {
    attempt: number;
    recovering: boolean;
    announcedUnavailable: boolean;
  }

  const attemptCycle = (slot: CycleSlot, state: SlotState): Promise<Attempt> =>
    withJournal(async (journal): Promise<Attempt> => {
      const rec = journal.cycle(slot.cycleDate);
      if (rec === null) {
        const claim = journal.append({
          type: 'cycle-claimed',
          cycleDate: slot.cycleDate,
          atMs: clock.nowMs(),
        });
        if (claim.kind !== 'appended') return { kind: 'settled' };
        claimedHere.add(slot.cycleDate);
      } else if (rec.state !== 'running') {
        log.info('cycle already recorded', {
          cycleDate: slot.cycleDate,
          state: rec.state,
          outcome: rec.outcome,
        });
        return { kind: 'settled' };
      } else if (!claimedHere.has(slot.cycleDate)) {
        claimedHere.add(slot.cycleDate);
        state.recovering = true;
        log.warn('cycle claimed by a process that stopped: resuming it', { cycleDate: slot.cycleDate });
      }
      const halt = halted(journal, slot);
      if (halt !== null) return halt;
      const now = clock.nowMs();
      const window = restartWindowAt(settings.restartWindow, now);
      if (window.inside)
        return {
          kind: 'retry',
          reason: `inside the gateway's daily restart window (until ${nyText(window.endsAtMs)})`,
          retryAtMs: window.endsAtMs,
        };
      try {
        if (deps.reconcile !== undefined) {
          const gate = await deps.reconcile({ journal, trigger: 'before-cycle', cycleDate: slot.cycleDate });
          switch (gate.kind) {
            case 'clean':
              break;
            case 'halted':
              return halted(journal, slot) ?? { kind: 'retry', reason: gate.message };
            case 'unavailable':
              return unavailable(slot, state, `reconciliation could not read the broker: ${gate.reason}`);
            default:
              return assertNever(gate, 'reconcile gate');
          }
        }
        state.attempt += 1;
        log.info('cycle starts', {
          cycleDate: slot.cycleDate,
          attempt: state.attempt,
          recovering: state.recovering,
          lateMs: clock.nowMs() - slot.entryAtMs,
        });
        const outcome = await deps.runCycle({
          ...slot,
          journal,
          attempt: state.attempt,
          recovering: state.recovering,
        });
        switch (outcome.kind) {
          case 'finished': {
            const text = `${outcome.result}: ${outcome.summary}`;
            update(journal, slot, 'done', text, outcome.planId);
            log.info('cycle done', {
              cycleDate: slot.cycleDate,
              planId: outcome.planId,
              result: outcome.result,
            });
            notify({
              kind: 'plan-outcome',
              severity: outcome.result === 'ABORTED' ? 'warning' : 'info',
              title: `ironvix ${settings.mode} ${slot.cycleDate}: ${outcome.result}`,
              text: outcome.planId === null ? outcome.summary : `plan ${outcome.planId}\n${outcome.summary}`,
              cycleDate: slot.cycleDate,
            });
            return { kind: 'settled' };
          }
          case 'unavailable':
            return unavailable(slot, state, outcome.reason);
          case 'refused':
            update(journal, slot, 'skipped', outcome.reason);
            log.warn('cycle refused', { cycleDate: slot.cycleDate, reason: outcome.reason });
            notify({
              kind: 'cycle-skipped',
              severity: 'warning',
              title: `ironvix ${settings.mode} ${slot.cycleDate}: no plan`,
              text: outcome.reason,
              cycleDate: slot.cycleDate,
            });
            return { kind: 'settled' };
          default:
            return assertNever(outcome, 'cycle outcome');
        }
      } catch (e) {
        return onThrown(journal, slot, e, state);
      }
    });

  const unavailable = (slot: CycleSlot, state: SlotState, reason: string): Attempt => {
    if (!state.announcedUnavailable) {
      state.announcedUnavailable = true;
      log.warn('gateway unavailable at the cycle point: retrying', { cycleDate: slot.cycleDate, reason });
      notify({
        kind: 'service',
        severity: 'warning',
        title: `ironvix ${settings.mode} ${slot.cycleDate}: gateway unavailable, retrying`,
        text: `${reason}\nRetrying every ${Math.round(retryMs / 1000)} s until ${nyText(slot.lastStartAtMs)}.`,
        cycleDate: slot.cycleDate,
      });
    }
    return { kind: 'retry', reason: `gateway unavailable: ${reason}` };
  };

  /** Runs one cycle point: attempts until it settles, or skips it at its last start time. */
  const runSlot = async (slot: CycleSlot): Promise<void> => {
    const state: SlotState = { attempt: 0, recovering: false, announcedUnavailable: false };
    for (;;) {
      if (stopped) return;
      const step = await attemptCycle(slot, state);
      if (step.kind === 'settled') return;
      const now = clock.nowMs();
      const retryAt = step.retryAtMs ?? Math.min(now + retryMs, slot.lastStartAtMs);
      if (now >= slot.lastStartAtMs || retryAt > slot.lastStartAtMs) {
        await skip(slot, `not run by its last start time ${nyText(slot.lastStartAtMs)}: ${step.reason}`);
        return;
      }
      if (!(await waitUntil(retryAt))) return;
      if (clock.nowMs() > slot.lastStartAtMs) {
        await skip(slot, `not run by its last start time ${nyText(slot.lastStartAtMs)}: ${step.reason}`);
        return;
      }
    }
  };

  /** Cycles whose whole span passed while the daemon waited (suspend, clock step) are recorded. */
  const recordMissed = async (from: CycleSlot, nowMs: number): Promise<void> => {
    const missed: CycleSlot[] = [];
    for (let s = from; s.lastStartAtMs < nowMs;) {
      missed.push(s);
      s = cycleSlot(calendar, calendar.nextTradingDay(s.cycleDate), settings);
    }
    const jump = `the clock went from ${nyText(lastSeenMs)} to ${nyText(nowMs)} while the daemon waited (machine suspended, or the clock was set)`;
    for (const s of missed.slice(0, MAX_MISSED_RECORDS)) await skip(s, `missed: ${jump}`);
    if (missed.length > MAX_MISSED_RECORDS)
      log.warn('more cycles missed than recorded', { missed: missed.length, recorded: MAX_MISSED_RECORDS });
  };

  /** Cycles left 'running' by a process that stopped, whose span is over: failed, and said so. */
  const settleInterrupted = async (): Promise<void> => {
    await withJournal((journal) => {
      for (const c of journal.recentCycles(10)) {
        if (c.state !== 'running') continue;
        const slot = cycleSlot(calendar, c.cycleDate, settings);
        if (slot.lastStartAtMs >= clock.nowMs()) continue;
        const text =
          'interrupted: the process stopped during the cycle; reconciliation settles its orders (`ironvix reconcile`)';
        update(journal, slot, 'failed', text, c.planId);
        log.error('cycle left unfinished by a process that stopped', { cycleDate: c.cycleDate });
        notify({
          kind: 'error',
          severity: 'error',
          title: `ironvix ${settings.mode} ${c.cycleDate}: cycle interrupted`,
          text,
          cycleDate: c.cycleDate,
        });
      }
      return Promise.resolve();
    });
  };

  const startupReconcile = async (): Promise<void> => {
    const hook = deps.reconcile;
    if (hook === undefined) return;
    await withJournal(async (journal) => {
      try {
        const gate = await hook({ journal, trigger: 'startup', cycleDate: null });
        if (gate.kind !== 'clean') log.warn('startup reconciliation', { result: gate.kind });
      } catch (e) {
        if (isJournalFailure(e)) throw e;
        log.warn('startup reconciliation failed', { error: errorText(e) });
      }
    });
  };

  const settleDelay = settings.settleDelayMinutes ?? DEFAULT_SETTLE_DELAY_MINUTES;
  /** The next settlement point; null without a settle hook. */
  let settleNext: SettlePoint | null = null;

  /** Runs one settlement point: values journaled, problems logged and notified; never sends an order. */
  const runSettle = async (point: SettlePoint): Promise<void> => {
    const hook = deps.settle;
    if (hook === undefined) return;
    await withJournal(async (journal) => {
      try {
        const pass = await hook({ journal, date: point.date });
        if (pass.journaled.length > 0)
          log.info('settlement values journaled', { date: point.date, values: pass.journaled });
        if (pass.problems.length > 0) {
          log.warn('settlement not booked', { date: point.date, problems: pass.problems });
          notify({
            kind: 'error',
            severity: 'warning',
            title: `ironvix ${settings.mode} ${point.date}: E_SETTLEMENT_MISSING`,
            text: pass.problems.join('\n'),
            cycleDate: point.date,
          });
        }
      } catch (e) {
        if (isJournalFailure(e)) throw e;
        log.warn('settlement point failed; the next one tries again', {
          date: point.date,
          error: errorText(e),
        });
      }
    });
  };

  /** Waits until atMs, running the settlement points that fall before it; false when stopped. */
  const waitRunningSettlements = async (atMs: number): Promise<boolean> => {
    while (settleNext !== null && settleNext.atMs <= atMs) {
      if (!(await waitUntil(settleNext.atMs))) return false;
      const point = settleNext;
      await runSettle(point);
      // A clock jump may have passed several points: the next pass books them all.
      settleNext = nextSettlePoint(calendar, Math.max(clock.nowMs(), point.atMs) + 1, settleDelay);
    }
    return waitUntil(atMs);
  };

  const loop = async (): Promise<void> => {
    startedAtMs = clock.nowMs();
    if (deps.settle !== undefined) settleNext = nextSettlePoint(calendar, startedAtMs, settleDelay);
    await settleInterrupted();
    await startupReconcile();
    const first = nextCycleSlot(calendar, clock.nowMs(), settings);
    log.info('daemon started', {
      nextCycle: first.cycleDate,
      entry: nyText(first.entryAtMs),
      lastStart: nyText(first.lastStartAtMs),
      startedAt: new Date(startedAtMs).toISOString(),
    });
    notify({
      kind: 'service',
      severity: 'info',
      title: `ironvix ${settings.mode}: daemon started`,
      text: `Next cycle ${first.cycleDate} at ${nyText(first.entryAtMs)} (last start ${nyText(first.lastStartAtMs)}).`,
      cycleDate: null,
    });
    let armed: CycleSlot | null = null;
    while (!stopped) {
      const now = clock.nowMs();
      if (armed !== null && now > armed.lastStartAtMs) await recordMissed(armed, now);
      armed = null;
      const slot = nextCycleSlot(calendar, now, settings);
      if (settings.lastCycleDate !== undefined && slot.cycleDate > settings.lastCycleDate) {
        // Past the campaign's last cycle: only settlement points remain.
        await waitRunningSettlements(settleNext === null ? Number.POSITIVE_INFINITY : settleNext.atMs);
        continue;
      }
      if (now < slot.entryAtMs) {
        armed = slot;
        await waitRunningSettlements(slot.entryAtMs);
        continue;
      }
      await runSlot(slot);
      // Past this slot: the next iteration looks at the next trading day.
      if (!stopped && clock.nowMs() <= slot.lastStartAtMs) {
        const after = cycleSlot(calendar, calendar.nextTradingDay(slot.cycleDate), settings);
        armed = after;
        await waitRunningSettlements(after.entryAtMs);
      }
    }
  };

  return {
    async run() {
      try {
        await loop();
        log.info('daemon stopped');
      } catch (e) {
        log.error('daemon stops on an error', { error: errorText(e) });
        notify({
          kind: 'error',
          severity: 'error',
          title: `ironvix ${settings.mode}: daemon stopped on an error`,
          text: e instanceof IronvixError ? `${errorText(e)}\naction: ${e.action}` : errorText(e),
          cycleDate: null,
        });
        throw e;
      } finally {
        await Promise.all([...pending]);
      }
    },
    stop() {
      stopped = true;
      interrupt?.();
    },
  };
}
