// Simulator scenario files: scripted market shocks (SPX % and VIX points spread over minutes),
// validated with zod at load time. The simulator takes the parsed SimScenario.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IronvixError } from '../errors.ts';
import type { ScenarioShock, SimScenario } from '../sim/market/scenario.ts';
import { formatIssues, knownKeysOf, readableErrorMap } from './zod-errors.ts';

const shockSchema = z.strictObject({
  /** ISO timestamp with an offset, e.g. 2026-03-17T14:00:00-04:00. */
  at: z.iso.datetime({
    offset: true,
    error: 'must be an ISO time with an offset (2026-03-17T14:00:00-04:00)',
  }),
  spxPct: z.number().gt(-60).lt(60).default(0),
  vixPoints: z.number().gt(-60).lt(150).default(0),
  overMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .default(0),
});

export const scenarioFileSchema = z.strictObject({
  $comment: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  shocks: z.array(shockSchema),
});

export function parseScenario(json: unknown, sourceName: string): SimScenario {
  const r = scenarioFileSchema.safeParse(json, { error: readableErrorMap });
  if (!r.success) {
    const lines = formatIssues(r.error.issues, json, sourceName, knownKeysOf(scenarioFileSchema));
    const first = lines[0] ?? `${sourceName}: invalid`;
    const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : '';
    throw new IronvixError('E_SIM_SCENARIO_INVALID', `${first}${more}`, lines);
  }
  const shocks = r.data.shocks
    .map((s): ScenarioShock => ({
      at: s.at,
      atMs: Date.parse(s.at),
      spxPct: s.spxPct,
      vixPoints: s.vixPoints,
      overMinutes: s.overMinutes,
    }))
    .sort((a, b) => a.atMs - b.atMs);
  return { name: r.data.name, shocks };
}

/** Reads and validates a scenario file; any problem is E_SIM_SCENARIO_INVALID naming the field. */
export function loadScenario(path: string): SimScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new IronvixError(
      'E_SIM_SCENARIO_INVALID',
      `${path}: cannot read the file (${(e as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    throw new IronvixError('E_SIM_SCENARIO_INVALID', `${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseScenario(json, path);
}
