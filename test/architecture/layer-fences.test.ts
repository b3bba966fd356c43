// The dependency rule is enforced by ESLint (eslint.config.js); this checks the fences themselves,
// at several folder depths, so a pattern that silently stops matching fails here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function restricted(filePath: string, importLine: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${importLine}\nexport const x = 1;\n`, { filePath });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

// Existing files, so the type-aware parser finds them in the project.
const DEEP_DOMAIN = 'src/domain/plan/build-plan.ts';
const DOMAIN = 'src/domain/money.ts';
const APP = 'src/app/preview.ts';
const SIM = 'src/sim/server.ts';
const PORTS = 'src/ports/broker.ts';
const CLI = 'src/cli/main.ts';

describe('layer fences', () => {
  it('keep the domain free of every outer layer at any depth', async () => {
    assert.ok(await restricted(DEEP_DOMAIN, "import '../../adapters/log/silent-logger.ts';"));
    assert.ok(await restricted(DEEP_DOMAIN, "import '../../errors.ts';"));
    assert.ok(await restricted(DEEP_DOMAIN, "import '../../ports/broker.ts';"));
    assert.ok(await restricted(DOMAIN, "import '../config/env.ts';"));
    assert.ok(await restricted(DOMAIN, "import 'node:fs';"));
    assert.ok(!(await restricted(DEEP_DOMAIN, "import '../money.ts';")));
  });

  it('keep app away from adapters, sim and config; sim away from adapters, config and app', async () => {
    assert.ok(await restricted(APP, "import '../adapters/memory/memory-broker.ts';"));
    assert.ok(await restricted(APP, "import '../sim/simulator.ts';"));
    assert.ok(await restricted(APP, "import '../config/env.ts';"));
    assert.ok(!(await restricted(APP, "import '../ports/broker.ts';")));
    assert.ok(await restricted(SIM, "import '../adapters/clock/virtual-clock.ts';"));
    assert.ok(await restricted(SIM, "import '../config/calendar-file.ts';"));
    assert.ok(await restricted(PORTS, "import '../adapters/ib/ib-broker.ts';"));
  });

  it('let only src/adapters/ib import @stoqey/ib', async () => {
    assert.ok(await restricted(CLI, "import '@stoqey/ib';"));
    assert.ok(await restricted(SIM, "import '@stoqey/ib';"));
    assert.ok(await restricted(APP, "import '@stoqey/ib';"));
  });

  it('ban reading the clock in the domain', async () => {
    const [r] = await eslint.lintText('export const t = new Date();\nexport const u = Date.now();\n', {
      filePath: DOMAIN,
    });
    const rules = (r?.messages ?? []).map((m) => m.ruleId);
    assert.ok(rules.includes('no-restricted-syntax'), 'new Date() without arguments');
    assert.ok(rules.includes('no-restricted-properties'), 'Date.now()');
  });
});
