#!/usr/bin/env node
// Compiles src/ to dist/ with tsc when dist/ is missing or older than any source file, so `npm ci`
// (prepare), `npm test` and the launcher always run the code as it stands, and skip tsc otherwise.
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = join(ROOT, 'dist', 'cli', 'main.js');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtimeMs(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name)));
  return newest;
}

/** True when dist/ is missing or older than src/ or the build configuration. */
export function distIsStale() {
  if (!existsSync(MARKER)) return true;
  const built = statSync(MARKER).mtimeMs;
  return INPUTS.some((p) => existsSync(join(ROOT, p)) && newestMtimeMs(join(ROOT, p)) > built);
}

/** Runs tsc when needed; returns false (with tsc's output on stderr) when the build fails or tsc is absent. */
export function buildIfStale({ quiet = false } = {}) {
  if (!distIsStale()) return true;
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write(
      'ironvix: dist/ is missing or stale and TypeScript is not installed: run `npm ci`.\n',
    );
    return false;
  }
  if (!quiet) process.stderr.write('ironvix: compiling src/ to dist/ ...\n');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) return false;
  // tsc leaves unchanged files' mtimes alone: touch the marker so the next check sees a fresh build.
  const now = new Date();
  utimesSync(MARKER, now, now);
  return true;
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) process.exit(buildIfStale() ? 0 : 1);
