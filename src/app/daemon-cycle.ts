// The daemon's cycle runner and settlement hook over a gateway session: each cycle point opens a
// session (IB Gateway, or the simulator over TCP), runs one cycle of `run --once` (reconcile, finish
// a plan left in flight or capture, build, pre-flight, execute) and closes it; each settlement point
// opens one to read the broker's positions and the settlement values. A gateway that cannot be
// reached is `unavailable` (the daemon retries until the cycle's last start time).
import { EXIT, IronvixError } from '../errors.ts';
import type { TradingCalendar } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type { BrokerPort } from '../ports/broker.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { MarketDataQuery } from '../ports/market-data.ts';
import type { CycleOutcome, CycleRunner, SettleRequest, SettlementPass } from './daemon.ts';
import { journalSettlements } from './daemon-settlement.ts';
import type { RunOnceRequest, RunOnceResult } from './run-once.ts';
import { runOnce } from './run-once.ts';

/** One connected gateway session, closed after the cycle or settlement point that opened it. */
export interface CycleSession {
  readonly broker: BrokerPort;
  readonly marketData: MarketDataQuery;
  /** The account orders go to (checked against the mode when the session opened). */
  readonly account: string;
  /** The clock of the cycle (the gateway's with IRONVIX_CLOCK=gateway, the simulator's in virtual time). */
  readonly clock: Clock;
  close(): Promise<void>;
}

/** Where a cycle is: the campaign driver holds virtual time still while a snapshot is captured. */
export type CyclePhase = 'connect' | 'reconcile' | 'capture' | 'execute' | 'idle';

export interface CycleReport {
  readonly cycleDate: IsoDate;
  readonly result: RunOnceResult;
}

export interface TradingCycleDeps {
  readonly openSession: () => Promise<CycleSession>;
  readonly logger: Logger;
  readonly calendar: TradingCalendar;
  /** run --once's request without the account (the session's) and the per-run hooks. */
  readonly request: Omit<RunOnceRequest, 'account' | 'signal' | 'onPhase' | 'observe'>;
  readonly observe?: RunOnceRequest['observe'];
  readonly onPhase?: (phase: CyclePhase) => void;
  /** Told every cycle's result (the campaign prints it). */
  readonly onCycle?: (report: CycleReport) => void;
  readonly signal?: AbortSignal;
}

/** A connect failure sent nothing: the cycle is retried; any other error is the daemon's to judge. */
async function connect(
  deps: Pick<TradingCycleDeps, 'openSession' | 'onPhase'>,
): Promise<CycleSession | { readonly unavailable: string }> {
  deps.onPhase?.('connect');
  try {
    const session = await deps.openSession();
    deps.onPhase?.('reconcile');
    return session;
  } catch (e) {
    if (e instanceof IronvixError && e.code.startsWith('E_GATEWAY_') && e.exitCode === EXIT.broker)
      return { unavailable: `${e.code}: ${e.message}` };
    throw e;
  }
}

function outcomeOf(r: RunOnceResult): CycleOutcome {
  switch (r.kind) {
    case 'halted':
      // Reconciliation journaled the halt: the daemon waits for `ironvix resume`.
      throw new IronvixError('E_RECONCILE_MISMATCH', r.reconcile.message);
    case 'unavailable':
      return {
        kind: 'unavailable',
        reason: `reconciliation could not read the broker: ${r.reconcile.message}`,
      };
    case 'capture-failed':
      return { kind: 'unavailable', reason: `market snapshot failed: ${r.detail}` };
    case 'no-trade': {
      const o = r.plan.outcome;
      return {
        kind: 'finished',
        planId: null,
        result: 'NO_TRADE',
        summary: `no trade (${o.kind === 'no-trade' ? o.reason : o.kind}); nothing sent`,
      };
    }
    case 'already-ran':
      return {
        kind: 'finished',
        planId: r.planId,
        result: 'NO_TRADE',
        summary: `plan ${r.planId} already ran for ${r.cycleDate}; nothing sent`,
      };
    case 'executed': {
      const o = r.outcome;
      return {
        kind: 'finished',
        planId: r.plan.planId,
        result: o.kind,
        summary: `${r.resumed ? 'finished a plan left in flight; ' : ''}condor ${o.condorFilled} of ${o.condorPlanned}, ${r.fills.length} fills: ${o.reason}`,
      };
    }
  }
}

/** The daemon's cycle runner: one `run --once` cycle over a fresh gateway session. */
export function tradingCycleRunner(deps: TradingCycleDeps): CycleRunner {
  return async (req) => {
    const session = await connect(deps);
    if ('unavailable' in session) {
      deps.onPhase?.('idle');
      return { kind: 'unavailable', reason: session.unavailable };
    }
    try {
      const result = await runOnce(
        {
          broker: session.broker,
          marketData: session.marketData,
          journal: req.journal,
          clock: session.clock,
          logger: deps.logger,
        },
        {
          ...deps.request,
          account: session.account,
          ...(deps.signal !== undefined ? { signal: deps.signal } : {}),
          ...(deps.observe !== undefined ? { observe: deps.observe } : {}),
          onPhase: (phase) => deps.onPhase?.(phase),
        },
      );
      deps.onCycle?.({ cycleDate: req.cycleDate, result });
      return outcomeOf(result);
    } finally {
      await session.close();
      deps.onPhase?.('idle');
    }
  };
}

/** The daemon's settlement hook: one settlement pass over a fresh gateway session. */
export function gatewaySettlement(
  deps: Pick<TradingCycleDeps, 'openSession' | 'calendar' | 'onPhase'>,
): (req: SettleRequest) => Promise<SettlementPass> {
  return async (req) => {
    const session = await connect(deps);
    if ('unavailable' in session) {
      deps.onPhase?.('idle');
      // The daemon logs it; the next settlement point books whatever is still due.
      throw new Error(`gateway unavailable: ${session.unavailable}`);
    }
    try {
      return await journalSettlements({
        journal: req.journal,
        broker: session.broker,
        marketData: session.marketData,
        clock: session.clock,
        calendar: deps.calendar,
      });
    } finally {
      await session.close();
      deps.onPhase?.('idle');
    }
  };
}
