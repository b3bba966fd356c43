// The daemon's idle cost between cycles (issue 10): (1) the compiled `ironvix daemon` as a real
// process on the system clock, CPU share over a 60 s wall window (one heartbeat) with no cycle in it; (2) in-process on a
// virtual clock, the CPU one idle day of heartbeats (a clock read every minute) costs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualClock } from '../src/adapters/clock/virtual-clock.ts';
import { silentLogger } from '../src/adapters/log/silent-logger.ts';
import { createMemoryJournal } from '../src/adapters/memory/memory-journal.ts';
import { createDaemon } from '../src/app/daemon.ts';
import { loadCalendarData } from '../src/config/calendar-file.ts';
import { projectPath } from '../src/config/paths.ts';
import { createNyseCalendar } from '../src/domain/calendar.ts';
import { silentNotifier } from '../src/ports/notifier.ts';

export interface DaemonBench {
  /** The real process: CPU share of one core while it waits, in percent. */
  readonly processIdleCpuPct: number;
  readonly processWindowMs: number;
  readonly processRssMiB: number;
  /** In-process: CPU ms per idle virtual day (1,440 heartbeats). */
  readonly virtualIdleDayCpuMs: number;
  readonly heartbeatsPerDay: number;
}

const TICKS_PER_SECOND = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU in these
const WINDOW_MS = 60_000;
const SETTLE_MS = 35_000;

function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND;
}

function procRssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) / 1024;
}

async function realProcess(): Promise<{ pct: number; rssMiB: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ironvix-bench-daemon-'));
  const child = spawn(process.execPath, [projectPath('dist/cli/main.js'), 'daemon'], {
    env: {
      ...process.env,
      IRONVIX_DATA_DIR: dataDir,
      IRONVIX_MODE: 'sim',
      IRONVIX_LOG_LEVEL: 'warn',
      IRONVIX_NOTIFY_URL: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (t: string) => {
        out += t;
        if (out.includes('daemon started')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`ironvix daemon exited ${code}`)));
    });
    const pid = child.pid!;
    // Start-up work settles first (module loading, JIT, and V8 shrinking the heap some 30 s after start).
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const cpu0 = procCpuMs(pid);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const pct = ((procCpuMs(pid) - cpu0) / (Date.now() - t0)) * 100;
    return { pct, rssMiB: procRssMiB(pid) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function virtualIdleDay(): Promise<{ cpuMs: number; beats: number }> {
  // Tuesday 16:00 to Wednesday 15:40 New York: no cycle point inside.
  const start = Date.parse('2026-03-17T16:00:00-04:00');
  const end = start + 23 * 3_600_000 + 40 * 60_000;
  const clock = createVirtualClock(start);
  const journal = createMemoryJournal('sim');
  const daemon = createDaemon(
    {
      clock,
      calendar: createNyseCalendar(loadCalendarData()),
      logger: silentLogger,
      notifier: silentNotifier,
      openJournal: () => ({ ...journal, close: () => undefined }),
      runCycle: () => Promise.reject(new Error('no cycle may run in the idle window')),
    },
    {
      mode: 'sim',
      entry: { time: '15:45', earlyCloseMinutesBefore: 15 },
      planMinutes: 8,
      restartWindow: null,
    },
  );
  const done = daemon.run();
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
  await tick();
  const c0 = process.cpuUsage();
  let beats = 0;
  while (clock.nowMs() < end) {
    clock.advance(60_000);
    beats++;
    await tick();
  }
  const c = process.cpuUsage(c0);
  daemon.stop();
  await done;
  return { cpuMs: (c.user + c.system) / 1000, beats };
}

export async function benchDaemon(): Promise<DaemonBench> {
  const v = await virtualIdleDay();
  const p = await realProcess();
  return {
    processIdleCpuPct: p.pct,
    processWindowMs: WINDOW_MS,
    processRssMiB: p.rssMiB,
    virtualIdleDayCpuMs: v.cpuMs,
    heartbeatsPerDay: v.beats,
  };
}
