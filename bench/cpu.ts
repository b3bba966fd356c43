// CPU time of a child process (user + system), measured inside the child at exit through a preload,
// since Node gives a parent no rusage of its children. Used for the cold-start ratio to `node -e 0`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRELOAD =
  'data:text/javascript,' +
  encodeURIComponent(
    'import { writeFileSync } from "node:fs";' +
      'process.on("exit", () => { const u = process.cpuUsage();' +
      ' writeFileSync(process.env.IRONVIX_BENCH_CPU_FILE, String((u.user + u.system) / 1000)); });',
  );

export interface ChildCpu {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** Runs `node <args>` once and returns its CPU time in ms (preload included) and the wall time. */
export function childCpu(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildCpu {
  const dir = mkdtempSync(join(tmpdir(), 'ironvix-cpu-'));
  const file = join(dir, 'cpu');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', PRELOAD, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env, IRONVIX_BENCH_CPU_FILE: file },
    });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return { cpuMs: Number(readFileSync(file, 'utf8')), wallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
