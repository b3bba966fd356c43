// `ironvix report` over a SQLite journal of three simulated cycles (copied from the in-process rig,
// with the simulator's settlement values journaled as the daily service does): text, JSON, a
// cycle range, a self-contained HTML page with its four charts, and clear refusals.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBookReport } from '../../src/domain/accounting/book-report.ts';
import { simCalendar } from '../../src/cli/wiring/simulator.ts';
import { formatCents } from '../../src/domain/money.ts';
import { runCliCaptured } from '../support/cli-harness.ts';
import type { CampaignRun } from './report-rig.ts';
import { journalData, runCycles, runTo, simSettlements, writeSqliteJournal } from './report-rig.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ironvix-report-'));
const env = { IRONVIX_DATA_DIR: tmp, IRONVIX_MODE: 'sim', IRONVIX_LOG_LEVEL: 'silent' };
const emptyEnvFile = join(tmp, 'none.env');
writeFileSync(emptyEnvFile, '');
let run: CampaignRun;

const cli = (args: readonly string[]) => runCliCaptured(args, { env, envFile: emptyEnvFile });

describe('ironvix report', () => {
  before(async () => {
    run = await runCycles(3);
    runTo(run.rig, '2026-04-16', 12 * 60);
    writeSqliteJournal(run, tmp);
  });
  after(async () => {
    await run.rig.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints the P&L split, IRR, drawdown, one line per cycle and per position', async () => {
    const r = await cli(['report']);
    assert.equal(r.code, 0, r.stderr);
    const expected = buildBookReport({
      ...journalData(run.rig.journal),
      settlementValues: simSettlements(run.rig),
      calendar: simCalendar(),
      nowMs: Date.now(),
      brokerPositions: null,
    });
    assert.match(r.stdout, /condor \(at decision mid\)/);
    assert.match(
      r.stdout,
      new RegExp(`net\\s+${formatCents(expected.totals.netPnlCents).replace('$', '\\$')}`),
    );
    assert.match(r.stdout, /Book IRR \(annual\): /);
    assert.match(r.stdout, /Max drawdown: /);
    for (const d of ['2026-03-16', '2026-03-17', '2026-03-18'])
      assert.match(r.stdout, new RegExp(`^${d} `, 'm'));
    assert.match(r.stdout, /SPXW 2026-03-17 \d+\/\d+P \d+\/\d+C\s+settled/);
    assert.doesNotMatch(r.stdout, /Settlement problems/);
  });

  it('--json carries the same numbers; --from/--to select cycles', async () => {
    const all = await cli(['report', '--json']);
    assert.equal(all.code, 0, all.stderr);
    const j = JSON.parse(all.stdout) as {
      cycles: { cycleDate: string }[];
      totals: { netPnlCents: number; realizedCashCents: number };
    };
    assert.equal(j.cycles.length, 3);
    assert.equal(j.totals.realizedCashCents, run.rig.engine.venue.state().cashCents - run.startCashCents);
    const one = await cli(['report', '--json', '--from', '2026-03-17', '--to', '2026-03-17']);
    const k = JSON.parse(one.stdout) as { cycles: { cycleDate: string }[] };
    assert.deepEqual(
      k.cycles.map((c) => c.cycleDate),
      ['2026-03-17'],
    );
  });

  it('--html writes one self-contained page with the four charts', async () => {
    const file = join(tmp, 'report.html');
    const r = await cli(['report', '--html', file]);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(file, 'utf8');
    for (const id of ['equity', 'condor-vs-hedge', 'coverage', 'vix-signals'])
      assert.match(html, new RegExp(`<svg [^>]*data-chart="${id}"`));
    assert.doesNotMatch(html, /<script|<link|src=|@import|url\(/i, 'nothing fetched at view time');
    assert.match(html, /data-signal="/, 'signal days are marked');
  });

  it('a settlement value missing from the journal is listed with its code, not booked', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ironvix-report-nosettle-'));
    try {
      const { openSqliteJournal } = await import('../../src/adapters/sqlite/sqlite-journal.ts');
      const j = openSqliteJournal({ dataDir: other, mode: 'sim', nowMs: run.rig.clock.nowMs() });
      for (const e of run.rig.journal.events()) j.append(e.event);
      j.close();
      const r = await runCliCaptured(['report'], {
        env: { ...env, IRONVIX_DATA_DIR: other },
        envFile: emptyEnvFile,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Settlement problems \(not booked\)/);
      assert.match(
        r.stdout,
        /E_SETTLEMENT_MISSING: SPXW 2026-03-17 \d+P x-?\d+: the SPX official close of 2026-03-17 is not known/,
      );
      assert.match(r.stdout, /pending/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses a bad date with E_USAGE; without a journal says so', async () => {
    const bad = await cli(['report', '--from', '2026-13-01']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /E_USAGE: --from 2026-13-01 is not a date/);
    const reversed = await cli(['report', '--from', '2026-03-18', '--to', '2026-03-17']);
    assert.equal(reversed.code, 2);
    const none = await runCliCaptured(['report'], {
      env: { ...env, IRONVIX_DATA_DIR: join(tmp, 'empty') },
      envFile: emptyEnvFile,
    });
    assert.equal(none.code, 0);
    assert.match(none.stdout, /No sim journal at .* nothing to report/);
  });
});
