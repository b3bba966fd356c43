#!/usr/bin/env node
// Launcher: runs the compiled CLI from dist/ (built by `npm ci` through prepare). In a checkout
// whose sources changed since the last build it recompiles first, so it never runs stale code.
import { buildIfStale } from '../scripts/build-if-stale.mjs';

if (!buildIfStale({ quiet: true })) {
  process.exitCode = 1;
} else {
  const { main } = await import('../dist/cli/main.js');
  await main();
}
