// `npm run bench`: runs every benchmark and writes JSON under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { projectPath } from '../src/config/paths.ts';
import { benchBuildPlan } from './plan.bench.ts';
import { benchColdDemo, benchColdPreview } from './cli-cold.bench.ts';
import { benchSimulator } from './sim.bench.ts';

const only = process.argv.slice(2);
const want = (name: string): boolean => only.length === 0 || only.includes(name);

const results: Record<string, unknown> = {
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  },
  when: new Date().toISOString(),
};
if (want('plan')) {
  results['buildPlan'] = benchBuildPlan();
  console.log('buildPlan', JSON.stringify(results['buildPlan']));
}
if (want('cli')) {
  results['coldPreview'] = benchColdPreview();
  console.log('coldPreview', JSON.stringify(results['coldPreview']));
  results['coldDemo'] = benchColdDemo();
  console.log('coldDemo', JSON.stringify(results['coldDemo']));
}
if (want('sim')) {
  results['simulator'] = await benchSimulator();
  console.log('simulator', JSON.stringify(results['simulator']));
}
const dir = projectPath('bench/results');
mkdirSync(dir, { recursive: true });
const file = `${dir}/bench-${new Date().toISOString().slice(0, 10)}.json`;
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
writeFileSync(`${dir}/latest.json`, JSON.stringify(results, null, 2) + '\n');
console.log(`wrote ${file}`);
