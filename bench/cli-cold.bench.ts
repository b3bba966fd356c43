// A cold `ironvix preview` process, as a user runs it (target: < 1.5 s on 2 cores).
import { spawnSync } from 'node:child_process';
import { projectPath } from '../src/config/paths.ts';
import { summarize, type Timing } from './stats.ts';

export interface ColdBench {
  readonly command: string;
  readonly wall: Timing;
  readonly targetMs: number;
}

export function benchColdPreview(runs = 7): ColdBench {
  const args = [
    projectPath('bin/ironvix.js'),
    'preview',
    '--snapshot',
    projectPath('paper/sample-snapshot.json'),
  ];
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`preview failed: ${r.stderr}`);
  }
  return {
    command: 'ironvix preview --snapshot paper/sample-snapshot.json',
    wall: summarize(samples),
    targetMs: 1500,
  };
}
