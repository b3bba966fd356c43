// Stable JSON for `preview --json`: the Plan as built (insertion order is deterministic) in an
// envelope; its JSON Schema is schemas/plan.schema.json (src/cli/render/plan-json-schema.ts).
import type { Plan } from '../../domain/plan/types.ts';
import type { WhatIfJson } from './what-if.ts';

/** Bump when the output's shape changes (consumers check it; plan-json-schema.ts pins it). */
export const PLAN_JSON_SCHEMA_VERSION = 2;

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
