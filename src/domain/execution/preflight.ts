// Pre-flight (docs/strategy.md section 4.1, docs/architecture.md "Executing a plan"): every check a plan must
// pass before its first order, all or nothing. A pure function of explicit inputs that returns every
// check with its numbers (never only the first failure); the executor refuses to start on a failure.
import type { TradingCalendar } from '../calendar.ts';
import { addCalendarDays, nyDate, nyTimestamp, parseHhMm } from '../calendar.ts';
import type { OptionContract } from '../instruments.ts';
import { contractKey } from '../instruments.ts';
import type { Cents } from '../money.ts';
import { formatCents } from '../money.ts';
import type { Mode } from '../mode.ts';
import { accountFitsMode, isPaperAccount } from '../mode.ts';
import { checkPlan } from '../plan/check-plan.ts';
import type { Plan } from '../plan/types.ts';
import type { StrategyConfig } from '../strategy.ts';
import type { StartQuote } from './types.ts';

export type PreflightCheckId =
  | 'mode'
  | 'contracts'
  | 'quotes'
  | 'caps'
  | 'margin'
  | 'in-flight'
  | 'reconcile'
  | 'market-hours'
  | 'restart-window'
  | 'deadline'
  | 'clock';

export interface PreflightCheck {
  readonly id: PreflightCheckId;
  readonly ok: boolean;
  /** What was measured against what (numbers included), pass or fail. */
  readonly detail: string;
}

export interface PreflightReport {
  readonly ok: boolean;
  readonly checks: readonly PreflightCheck[];
  readonly failures: readonly PreflightCheck[];
}

/** The daily gateway restart, New York wall-clock "HH:MM" (may wrap midnight, e.g. 23:40-00:10). */
export interface RestartWindow {
  readonly start: string;
  readonly end: string;
}

export type PreflightMargin =
  /** IB's what-if initial margin change of the whole plan (summed over its orders). */
  | { readonly kind: 'what-if'; readonly initMarginChange: Cents }
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** What-if unavailable (IB may refuse it for SMART combos, 360) and the configuration accepts that. */
  | { readonly kind: 'waived'; readonly reason: string };

export interface PreflightInput {
  readonly plan: Plan;
  readonly strategy: StrategyConfig;
  readonly calendar: TradingCalendar;
  /** The session's mode and the account the gateway trades. */
  readonly mode: Mode;
  readonly accountId: string;
  /** The system clock, and the gateway's (reqCurrentTime; null when it did not answer). */
  readonly nowMs: number;
  readonly gatewayTimeMs: number | null;
  readonly maxClockSkewMs: number;
  /** Each contract of the plan as the broker resolved it (contractKey of src/domain/instruments.ts). */
  readonly contracts: readonly {
    readonly key: string;
    readonly resolved: boolean;
    readonly detail: string;
  }[];
  /** The quotes the first limits are priced from, one per order. */
  readonly quotes: readonly StartQuote[];
  readonly maxQuoteAgeMs: number;
  readonly margin: PreflightMargin;
  /** The account's excess liquidity now, or null when the account report failed. */
  readonly excessLiquidity: Cents | null;
  /** Another plan the journal shows in flight, or null. */
  readonly planInFlight: string | null;
  readonly reconcile: { readonly clean: boolean; readonly problems: readonly string[] };
  /** The gateway's daily restart (IRONVIX_RESTART_WINDOW), or null when none is configured. */
  readonly restartWindow: RestartWindow | null;
}

const check = (id: PreflightCheckId, problems: readonly string[], okDetail: string): PreflightCheck =>
  problems.length === 0 ? { id, ok: true, detail: okDetail } : { id, ok: false, detail: problems.join('; ') };

const isoOf = (ms: number): string => new Date(ms).toISOString();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function modeCheck(i: PreflightInput): PreflightCheck {
  const problems: string[] = [];
  if (i.plan.mode !== i.mode) problems.push(`plan built for ${i.plan.mode}, session mode ${i.mode}`);
  if (!accountFitsMode(i.mode, i.accountId))
    problems.push(
      `${i.mode} mode with ${isPaperAccount(i.accountId) ? 'paper' : 'live'} account ${i.accountId} ` +
        `(${i.mode === 'live' ? 'live needs a live account' : 'paper and sim need a paper account, ids starting with D'})`,
    );
  return check('mode', problems, `${i.mode} mode, account ${i.accountId}`);
}

function planContracts(plan: Plan): OptionContract[] {
  const seen = new Map<string, OptionContract>();
  for (const o of plan.orders) for (const l of o.legs) seen.set(contractKey(l.contract), l.contract);
  return [...seen.values()];
}

function contractsCheck(i: PreflightInput): PreflightCheck {
  const problems: string[] = [];
  const keys = planContracts(i.plan).map(contractKey);
  for (const key of keys) {
    const c = i.contracts.find((x) => x.key === key);
    if (c === undefined) problems.push(`${key} not looked up`);
    else if (!c.resolved) problems.push(`${key} not resolved (${c.detail})`);
  }
  return check('contracts', problems, `${keys.length} contracts resolved`);
}

function quotesCheck(i: PreflightInput): PreflightCheck {
  const problems: string[] = [];
  for (const o of i.plan.orders) {
    const q = i.quotes.find((x) => x.orderKey === o.key);
    if (q === undefined) {
      problems.push(`${o.key}: no quote`);
      continue;
    }
    const age = i.nowMs - q.atMs;
    if (age > i.maxQuoteAgeMs)
      problems.push(`${o.key}: quote ${seconds(age)} old > ${seconds(i.maxQuoteAgeMs)}`);
    if (q.legs.length !== o.legs.length)
      problems.push(`${o.key}: ${q.legs.length} leg quotes for ${o.legs.length} legs`);
    q.legs.forEach((l, k) => {
      const name = o.legs[k] === undefined ? `leg ${k}` : contractKey(o.legs[k].contract);
      if (l.bid === null || l.ask === null)
        problems.push(`${o.key}: ${name} has no ${l.bid === null ? 'bid' : 'ask'}`);
      else if (l.bid > l.ask) problems.push(`${o.key}: ${name} crossed (bid ${l.bid} > ask ${l.ask})`);
      else if (l.ask <= 0) problems.push(`${o.key}: ${name} ask ${l.ask} <= 0`);
    });
  }
  return check(
    'quotes',
    problems,
    `${i.plan.orders.length} orders quoted, none older than ${seconds(i.maxQuoteAgeMs)}`,
  );
}

function marginCheck(i: PreflightInput): PreflightCheck {
  if (i.plan.orders.length === 0) return check('margin', [], 'no orders: no margin');
  if (i.margin.kind === 'unavailable')
    return check('margin', [`what-if margin unavailable: ${i.margin.reason}`], '');
  if (i.margin.kind === 'waived')
    return check('margin', [], `what-if margin unavailable (${i.margin.reason}), waived by configuration`);
  if (i.excessLiquidity === null)
    return check('margin', ['excess liquidity unknown (no account report)'], '');
  const change = i.margin.initMarginChange;
  return check(
    'margin',
    change > i.excessLiquidity
      ? [
          `what-if initial margin change ${formatCents(change)} > excess liquidity ${formatCents(i.excessLiquidity)}`,
        ]
      : [],
    `what-if initial margin change ${formatCents(change)} <= excess liquidity ${formatCents(i.excessLiquidity)}`,
  );
}

/** When a contract stops trading on a session day, epoch ms; null when it does not trade that day. */
function contractCloseMs(c: OptionContract, day: string, closeMinutes: number): number | null {
  if (c.symbol === 'VIX') {
    // VIX options stop trading the day before their (AM-settled) expiry.
    if (c.expiry <= day) return null;
    return Date.parse(nyTimestamp(day, closeMinutes + 15));
  }
  if (c.expiry < day) return null;
  // Expiring SPXW stop at the cash close; every other SPX option trades 15 minutes longer.
  return Date.parse(nyTimestamp(day, c.expiry === day ? closeMinutes : closeMinutes + 15));
}

function marketHoursCheck(i: PreflightInput): PreflightCheck {
  const day = nyDate(isoOf(i.nowMs));
  const session = i.calendar.session(day);
  if (session === null)
    return check(
      'market-hours',
      [`NYSE closed on ${day} (${i.calendar.closureReason(day) ?? 'closed'})`],
      '',
    );
  const problems: string[] = [];
  const openMs = Date.parse(session.open);
  if (i.nowMs < openMs) problems.push(`before the open ${session.open}`);
  for (const o of i.plan.orders) {
    const deadlineMs = Date.parse(o.ladder.deadline);
    for (const l of o.legs) {
      const key = contractKey(l.contract);
      const close = contractCloseMs(l.contract, day, session.closeMinutes);
      if (close === null) problems.push(`${o.key}: ${key} does not trade on ${day}`);
      else if (i.nowMs >= close) problems.push(`${o.key}: ${key} closed at ${isoOf(close)}`);
      else if (deadlineMs > close)
        problems.push(`${o.key}: deadline ${o.ladder.deadline} after ${key} closes at ${isoOf(close)}`);
    }
  }
  return check('market-hours', [...new Set(problems)], `session ${session.open} to ${session.close}`);
}

function restartWindowCheck(i: PreflightInput): PreflightCheck {
  const w = i.restartWindow;
  if (w === null) return check('restart-window', [], 'no gateway restart window configured');
  const start = parseHhMm(w.start);
  const end = parseHhMm(w.end);
  if (start === null || end === null)
    return check('restart-window', [`restart window ${w.start}-${w.end} is not HH:MM`], '');
  const lastMs = Math.max(i.nowMs, ...i.plan.orders.map((o) => Date.parse(o.ladder.deadline)));
  const problems: string[] = [];
  // Every New York day the working interval [now, last deadline] touches, and the day before (wrap).
  let day = addCalendarDays(nyDate(isoOf(i.nowMs)), -1);
  const lastDay = nyDate(isoOf(lastMs));
  while (day <= lastDay) {
    const from = Date.parse(nyTimestamp(day, start));
    const to = Date.parse(nyTimestamp(end > start ? day : addCalendarDays(day, 1), end));
    if (from < lastMs && to > i.nowMs)
      problems.push(
        `orders would work from ${isoOf(i.nowMs)} to ${isoOf(lastMs)}, inside the gateway restart ${isoOf(from)} to ${isoOf(to)}`,
      );
    day = addCalendarDays(day, 1);
  }
  return check('restart-window', problems, `outside the gateway restart window ${w.start}-${w.end} New York`);
}

function deadlineCheck(i: PreflightInput): PreflightCheck {
  const late = i.plan.orders
    .filter((o) => Date.parse(o.ladder.deadline) <= i.nowMs)
    .map((o) => `${o.key}: deadline ${o.ladder.deadline} passed (now ${isoOf(i.nowMs)})`);
  return check('deadline', late, `every order's deadline is ahead`);
}

function clockCheck(i: PreflightInput): PreflightCheck {
  if (i.gatewayTimeMs === null) return check('clock', ["the gateway's clock did not answer"], '');
  const skew = i.nowMs - i.gatewayTimeMs;
  return check(
    'clock',
    Math.abs(skew) > i.maxClockSkewMs
      ? [
          `system clock ${skew > 0 ? 'ahead of' : 'behind'} the gateway's by ${seconds(Math.abs(skew))} > ${seconds(i.maxClockSkewMs)}`,
        ]
      : [],
    `system clock within ${seconds(Math.abs(skew))} of the gateway's`,
  );
}

/** Runs every check; ok only when all pass. */
export function preflight(i: PreflightInput): PreflightReport {
  const caps = checkPlan(i.plan, i.strategy);
  const checks: PreflightCheck[] = [
    modeCheck(i),
    contractsCheck(i),
    quotesCheck(i),
    check('caps', caps, 'the plan keeps its caps and invariants'),
    marginCheck(i),
    check(
      'in-flight',
      i.planInFlight === null ? [] : [`plan ${i.planInFlight} is still in flight`],
      'no other plan in flight',
    ),
    check(
      'reconcile',
      i.reconcile.clean
        ? []
        : i.reconcile.problems.length > 0
          ? [...i.reconcile.problems]
          : ['reconcile not clean'],
      'journal and broker agree',
    ),
    marketHoursCheck(i),
    restartWindowCheck(i),
    deadlineCheck(i),
    clockCheck(i),
  ];
  const failures = checks.filter((c) => !c.ok);
  return { ok: failures.length === 0, checks, failures };
}
