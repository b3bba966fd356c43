#!/usr/bin/env node
// Node 20's test runner takes paths, not globs: collect every *.test.ts under test/ and run them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildIfStale } from './build-if-stale.mjs';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const filters = process.argv.slice(2);
const files = collect('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// End-to-end tests run the launcher, which runs dist/: build it first when the sources changed.
if (!buildIfStale()) process.exit(1);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TZ: 'UTC', IRONVIX_LOG_LEVEL: process.env.IRONVIX_LOG_LEVEL ?? 'silent' },
});
process.exit(r.status ?? 1);
