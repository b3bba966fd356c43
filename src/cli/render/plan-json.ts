// Stable JSON for `preview --json`: the Plan as built (insertion order is deterministic) in an
// envelope; its JSON Schema is schemas/plan.schema.json (src/cli/render/plan-json-schema.ts).
import type { Plan } from '../../domain/plan/types.ts';
import { PLAN_JSON_SCHEMA_VERSION } from './plan-json-schema.ts';

export { PLAN_JSON_SCHEMA_VERSION };

export function renderPlanJson(plan: Plan): string {
  return (
    JSON.stringify({ kind: 'ironvix.plan', schemaVersion: PLAN_JSON_SCHEMA_VERSION, plan }, null, 2) + '\n'
  );
}
