// Use case: decide the day's plan from a snapshot and the strategy, without touching a broker.
import type { TradingCalendar } from '../domain/calendar.ts';
import type { Plan, PlanMode } from '../domain/plan/types.ts';
import type { MarketEvent, MarketSnapshot } from '../domain/snapshot.ts';
import type { StrategyConfig } from '../domain/strategy.ts';
import { buildPlan } from '../domain/plan/build-plan.ts';
import { checkPlan } from '../domain/plan/check-plan.ts';

export interface PreviewRequest {
  readonly snapshot: MarketSnapshot;
  readonly strategy: StrategyConfig;
  readonly calendar: TradingCalendar;
  /** Events from the editable event file, merged with the snapshot's own. */
  readonly eventFile: readonly MarketEvent[];
  readonly mode: PlanMode;
}

export interface PreviewResult {
  readonly plan: Plan;
  /** The snapshot as decided on (events merged). */
  readonly snapshot: MarketSnapshot;
}

export function mergeEvents(a: readonly MarketEvent[], b: readonly MarketEvent[]): MarketEvent[] {
  const seen = new Map<string, MarketEvent>();
  for (const e of [...a, ...b]) {
    const key = `${e.date}:${e.kind}`;
    if (!seen.has(key)) seen.set(key, e);
  }
  return [...seen.values()].sort((x, y) =>
    x.date === y.date ? x.kind.localeCompare(y.kind) : x.date.localeCompare(y.date),
  );
}

export function previewPlan(req: PreviewRequest): PreviewResult {
  const snapshot: MarketSnapshot = {
    ...req.snapshot,
    events: mergeEvents(req.snapshot.events, req.eventFile),
  };
  const plan = buildPlan({ snapshot, strategy: req.strategy, calendar: req.calendar, mode: req.mode });
  const violations = checkPlan(plan, req.strategy);
  // A plan that breaks its own invariants is a bug in the planner: never show or run it.
  if (violations.length > 0) {
    throw new Error(`plan ${plan.planId} violates its invariants: ${violations.join('; ')}`);
  }
  return { plan, snapshot };
}
