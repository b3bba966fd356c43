// Issue 9's end to end in fresh processes, as a user runs it in two terminals: `ironvix sim` on virtual
// time, then `run --once --mode sim --connect` (following the simulator's clock) executes the day's
// plan, `reconcile` finds journal and broker equal, `status` shows the plan and the book with its
// coverage, and a second `run --once` the same day sends nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ironvix, spawnSim } from '../support/fresh-process.ts';

interface RunJson {
  readonly result: {
    readonly kind: string;
    readonly planId?: string;
    readonly outcome?: {
      readonly kind: string;
      readonly condorFilled: number;
      readonly coverageCents: number;
    };
    readonly fills?: readonly { readonly orderKey: string; readonly coverage: unknown }[];
  };
}

describe('run --once, reconcile and status in fresh processes against `ironvix sim`', () => {
  let sim: ChildProcess;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironvix-run-e2e-'));
    const envFile = join(dir, 'empty.env');
    writeFileSync(envFile, '');
    const s = await spawnSim([
      '--virtual-time',
      // Slow enough that the bot's gateway clock stays within the pre-flight's 3 s on a loaded machine.
      '--speed',
      '20',
      '--start-at',
      '2026-03-16T15:44',
      '--unpaced',
      '--log-level',
      'silent',
    ]);
    sim = s.child;
    env = {
      IB_PORT: String(s.port),
      IB_CLIENT_ID: '23',
      IRONVIX_MODE: 'sim',
      IRONVIX_CLOCK: 'gateway',
      IRONVIX_CLOCK_POLL_MS: '20',
      IRONVIX_LOG_LEVEL: 'silent',
      IRONVIX_DATA_DIR: dir,
      IRONVIX_ENV_FILE: envFile,
    };
  });
  after(() => {
    sim.kill('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });
  const args = (...a: string[]): string[] => ['--env-file', env['IRONVIX_ENV_FILE'] ?? '', ...a];

  test('executes the plan, reconciles clean, shows it in status, and runs once per day', async () => {
    const run = await ironvix(args('run', '--once', '--connect', '--sim-unpaced', '--json'), env);
    assert.equal(run.code, 0, run.stderr);
    const r = (JSON.parse(run.stdout) as RunJson).result;
    assert.equal(r.kind, 'executed', run.stdout);
    assert.match(r.outcome?.kind ?? '', /^(COMPLETE|PARTIAL)$/, run.stdout);
    assert.ok((r.fills ?? []).length > 0, 'fills reported');
    // Hedges first: the first fill is a hedge's, and every fill carries the coverage after it.
    assert.match(r.fills?.[0]?.orderKey ?? '', /^hedge:/);
    for (const f of r.fills ?? []) assert.ok(f.coverage !== undefined);
    assert.ok((r.outcome?.coverageCents ?? 0) > 0);

    const rec = await ironvix(args('reconcile', '--sim-unpaced', '--json'), env);
    assert.equal(rec.code, 0, rec.stderr);
    assert.equal((JSON.parse(rec.stdout) as { result: { kind: string } }).result.kind, 'clean');

    const st = await ironvix(args('status', '--json'), env);
    assert.equal(st.code, 0, st.stderr);
    const status = JSON.parse(st.stdout) as {
      journal: {
        recentPlans: { planId: string; end: { result: string } | null }[];
        bookDifferences: string[];
        coverage: { planId: string; condorFilled: number; bookStressPnlCents: number } | null;
      };
    };
    assert.equal(status.journal.recentPlans[0]?.planId, r.planId);
    assert.equal(status.journal.recentPlans[0]?.end?.result, r.outcome?.kind);
    assert.deepEqual(status.journal.bookDifferences, []);
    assert.equal(status.journal.coverage?.planId, r.planId);
    assert.equal(status.journal.coverage?.condorFilled, r.outcome?.condorFilled);

    const again = await ironvix(args('run', '--once', '--connect', '--sim-unpaced', '--json'), env);
    assert.equal(again.code, 0, again.stderr);
    const second = (JSON.parse(again.stdout) as RunJson).result;
    assert.equal(second.kind, 'already-ran');
    assert.equal(second.planId, r.planId);
  });
});
