// Cold start (issue 8): main.ts loads a command's module only when that command runs, so `ironvix
// preview` never loads the simulator, the IB client, SQLite or winston. The time itself is a
// benchmark figure (npm run bench -- cli); this checks the static import graph that decides it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { runCliCaptured } from '../support/cli-harness.ts';

/** Value imports a module loads when it is evaluated (`import type` and `import()` load nothing then). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
    if (m[1] !== undefined) found.push(m[1]);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) if (m[1] !== undefined) found.push(m[1]);
  return found;
}

/** Every project file and package reached from `entry` through static imports. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:'))
        packages.add(
          spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  };
  walk(resolve(entry));
  return { files, packages };
}

const HEAVY_PACKAGES = ['@stoqey/ib', 'better-sqlite3', 'winston', 'winston-daily-rotate-file'];

test('the CLI entry loads no command: each is imported when it runs', () => {
  const { files, packages } = staticGraph('src/cli/main.ts');
  const commands = [...files]
    .map((f) => relative('.', f))
    .filter((f) => f.startsWith(join('src', 'cli', 'commands')));
  assert.deepEqual(commands, []);
  for (const p of HEAVY_PACKAGES) assert.ok(!packages.has(p), `main.ts loads ${p}`);
});

test('ironvix preview loads neither the simulator nor the IB client, SQLite or winston', () => {
  const { files, packages } = staticGraph('src/cli/commands/preview.ts');
  const heavy = [...files]
    .map((f) => relative('.', f))
    .filter((f) => f.startsWith(join('src', 'sim')) || f.startsWith(join('src', 'adapters', 'ib')));
  assert.deepEqual(heavy, []);
  for (const p of HEAVY_PACKAGES) assert.ok(!packages.has(p), `preview loads ${p}`);
});

test('help stays complete: the program lists every command, `help <command>` shows its options', async () => {
  const top = await runCliCaptured(['--help']);
  for (const name of ['preview', 'demo', 'sim', 'config'])
    assert.match(top.stdout, new RegExp(`^  ${name}\\b`, 'm'));
  const demo = await runCliCaptured(['help', 'demo']);
  assert.equal(demo.code, 0);
  assert.match(demo.stdout, /Usage: ironvix demo/);
  assert.match(demo.stdout, /--seed <n>/);
  const preview = await runCliCaptured(['preview', '--help']);
  assert.match(preview.stdout, /--snapshot <file>/);
});
