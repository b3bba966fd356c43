// A 252-day campaign (issue 10): the daemon against the in-process simulator on a virtual clock,
// every cycle through the IB adapter over TCP and the real executor, the SQLite sim journal in a
// temporary directory. Wall time and CPU of the whole run; RSS after day 20 and after day 252 (the
// memory must stay flat between them) and the process's peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/adapters/log/silent-logger.ts';
import { loadCalendarData } from '../src/config/calendar-file.ts';
import { loadEnv } from '../src/config/env.ts';
import { projectPath } from '../src/config/paths.ts';
import { loadStrategy } from '../src/config/strategy-file.ts';
import { openFreshSimJournal } from '../src/cli/wiring/journal.ts';
import { runSimCampaign } from '../src/cli/wiring/sim-campaign.ts';
import { createNyseCalendar } from '../src/domain/calendar.ts';
import { silentNotifier } from '../src/ports/notifier.ts';

export interface CampaignBench {
  readonly days: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMiBAtDay20: number;
  readonly rssMiBAtEnd: number;
  /** The JS heap in use (after a collection when --expose-gc is given): what a leak would grow. */
  readonly heapMiBAtDay20: number;
  readonly heapMiBAtEnd: number;
  readonly peakRssMiB: number;
  /** Plans the journal holds at the end (no-trade days journal none). */
  readonly plans: number;
}

const MIB = 1024 * 1024;

export async function benchCampaign(days = 252): Promise<CampaignBench> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ironvix-bench-campaign-'));
  const config = loadEnv({ env: { IRONVIX_MODE: 'sim', IRONVIX_DATA_DIR: dataDir }, envFile: '/dev/null' });
  const calendar = createNyseCalendar(loadCalendarData());
  const strategy = loadStrategy(projectPath('strategies/alvh-default.json'));
  let rssAt20 = 0;
  let heapAt20 = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    return await runSimCampaign(
      {
        config,
        strategy,
        calendar,
        events: [],
        logger: silentLogger,
        notifier: silentNotifier,
        sim: { startAt: '2026-03-16T15:45', seed: 42 },
        openJournal: (nowMs) => openFreshSimJournal({ dataDir, nowMs }).journal,
        span: { days },
        onProgress: (p) => {
          // Day 21's entry: day 20 has run and settled its previous condor.
          if (p.day === 21 && rssAt20 === 0) {
            globalThis.gc?.();
            rssAt20 = process.memoryUsage().rss / MIB;
            heapAt20 = process.memoryUsage().heapUsed / MIB;
          }
        },
      },
      (_sim, journal) => {
        globalThis.gc?.();
        const cpu = process.cpuUsage(cpu0);
        return {
          days,
          wallMs: performance.now() - t0,
          cpuMs: (cpu.user + cpu.system) / 1000,
          rssMiBAtDay20: rssAt20,
          rssMiBAtEnd: process.memoryUsage().rss / MIB,
          heapMiBAtDay20: heapAt20,
          heapMiBAtEnd: process.memoryUsage().heapUsed / MIB,
          peakRssMiB: process.resourceUsage().maxRSS / 1024,
          plans: journal.recentPlans(Number.MAX_SAFE_INTEGER).length,
        };
      },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
