// What a simulator scenario is: scripted market shocks. Parsed from a file by src/config/scenario-file.ts.

export interface ScenarioShock {
  /** ISO time as written in the file. */
  readonly at: string;
  readonly atMs: number;
  readonly spxPct: number;
  readonly vixPoints: number;
  readonly overMinutes: number;
}

export interface SimScenario {
  readonly name: string;
  readonly shocks: readonly ScenarioShock[];
}
