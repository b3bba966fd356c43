// Cold CLI processes, as a user runs them: wall time, and CPU time as a ratio to a bare `node -e 0`
// measured in the same run (so the figure means the same on a faster or slower machine).
import { projectPath } from '../src/config/paths.ts';
import { childCpu } from './cpu.ts';
import { summarize, type Timing } from './stats.ts';

export interface ColdBench {
  readonly command: string;
  readonly wall: Timing;
  readonly cpu: Timing;
  /** Median CPU of the command over the median CPU of `node -e 0`. */
  readonly cpuRatioToBareNode: number;
}

function cold(command: string, args: readonly string[], runs: number, bareCpuMs: number): ColdBench {
  const samples = Array.from({ length: runs }, () => childCpu(args));
  const cpu = summarize(samples.map((s) => s.cpuMs));
  return {
    command,
    wall: summarize(samples.map((s) => s.wallMs)),
    cpu,
    cpuRatioToBareNode: Math.round((cpu.medianMs / bareCpuMs) * 100) / 100,
  };
}

export interface ColdBenches {
  readonly bareNode: Timing;
  readonly preview: ColdBench;
  readonly demo: ColdBench;
}

export function benchColdCli(runs = 7): ColdBenches {
  const bareNode = summarize(Array.from({ length: runs }, () => childCpu(['-e', '0']).cpuMs));
  const bin = projectPath('bin/ironvix.js');
  return {
    bareNode,
    preview: cold(
      'ironvix preview --snapshot paper/sample-snapshot.json',
      [bin, 'preview', '--snapshot', projectPath('paper/sample-snapshot.json')],
      runs,
      bareNode.medianMs,
    ),
    // The demo is a 20-day campaign; one day measures its cold start.
    demo: cold(
      'ironvix demo --days 1',
      [bin, 'demo', '--days', '1'],
      Math.max(3, Math.floor(runs / 2)),
      bareNode.medianMs,
    ),
  };
}
