// Cold CLI processes, as a user runs them (target: < 1.5 s on 2 cores).
import { spawnSync } from 'node:child_process';
import { projectPath } from '../src/config/paths.ts';
import { summarize, type Timing } from './stats.ts';

export interface ColdBench {
  readonly command: string;
  readonly wall: Timing;
  readonly targetMs: number;
}

export function benchColdPreview(runs = 7): ColdBench {
  return coldRun(
    'ironvix preview --snapshot paper/sample-snapshot.json',
    ['preview', '--snapshot', projectPath('paper/sample-snapshot.json')],
    runs,
  );
}

/** `ironvix demo`: starts the simulator in-process, captures a snapshot from it and previews the plan. */
export function benchColdDemo(runs = 5): ColdBench {
  return coldRun('ironvix demo', ['demo'], runs);
}

function coldRun(command: string, cliArgs: readonly string[], runs: number): ColdBench {
  const args = [projectPath('bin/ironvix.js'), ...cliArgs];
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  }
  return { command, wall: summarize(samples), targetMs: 1500 };
}
