// Stable JSON for `preview --json`: the Plan as built (insertion order is deterministic) in an envelope.
import type { Plan } from '../../domain/plan/types.ts';

export const PLAN_JSON_SCHEMA_VERSION = 1;

export function renderPlanJson(plan: Plan): string {
  return (
    JSON.stringify({ kind: 'ironvix.plan', schemaVersion: PLAN_JSON_SCHEMA_VERSION, plan }, null, 2) + '\n'
  );
}
