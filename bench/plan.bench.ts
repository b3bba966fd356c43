// buildPlan on a full SPXW chain (target: median < 20 ms).
import { loadSnapshot } from '../src/config/snapshot-file.ts';
import { loadStrategy } from '../src/config/strategy-file.ts';
import { loadCalendarData } from '../src/config/calendar-file.ts';
import { createNyseCalendar } from '../src/domain/calendar.ts';
import { buildPlan } from '../src/domain/plan/build-plan.ts';
import { projectPath } from '../src/config/paths.ts';
import { timeSync, type Timing } from './stats.ts';

export interface PlanBench {
  readonly snapshot: string;
  readonly chainQuotes: number;
  readonly vixQuotes: number;
  readonly buildPlan: Timing;
  readonly targetMedianMs: number;
}

export function benchBuildPlan(): PlanBench[] {
  const strategy = loadStrategy(projectPath('strategies/alvh-default.json'));
  const calendar = createNyseCalendar(loadCalendarData());
  const out: PlanBench[] = [];
  for (const name of ['calm', 'backwardation', 'held-book']) {
    const file = projectPath(`test/fixtures/snapshots/${name}.json`);
    const snapshot = loadSnapshot(file);
    const timing = timeSync(() => {
      buildPlan({ snapshot, strategy, calendar, mode: 'sim' });
    }, 200);
    out.push({
      snapshot: name,
      chainQuotes: snapshot.spxw.quotes.length,
      vixQuotes: snapshot.vixOptions.reduce((n, c) => n + c.quotes.length, 0),
      buildPlan: timing,
      targetMedianMs: 20,
    });
  }
  return out;
}
