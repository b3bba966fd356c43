// Stable JSON for `preview --json`: the Plan as built (insertion order is deterministic) in an
// envelope; its JSON Schema is schemas/plan.schema.json (src/cli/render/plan-json-schema.ts).
import type { Plan } from '../../domain/plan/types.ts';
import { PLAN_JSON_SCHEMA_VERSION } from './plan-json-schema.ts';
import type { WhatIfJson } from './what-if.ts';

export { PLAN_JSON_SCHEMA_VERSION };

/** `whatIf` is added by `preview --gateway` (IB's margin and commission per order). */
export function renderPlanJson(plan: Plan, whatIf?: WhatIfJson): string {
  const doc = {
    kind: 'ironvix.plan',
    schemaVersion: PLAN_JSON_SCHEMA_VERSION,
    plan,
    ...(whatIf ? { whatIf } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
