// `ironvix campaign` from the compiled build: two trading days against the in-process simulator
// through the real executor over TCP, the report as JSON and as an HTML page, the fresh sim journal
// that `ironvix report` reads afterwards, no progress bar when stderr is not a terminal, and a
// replay range outside the shipped history refused with the data's range.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const dataDir = mkdtempSync(join(tmpdir(), 'ironvix-campaign-'));
const env = { ...process.env, IRONVIX_DATA_DIR: dataDir, IRONVIX_MODE: 'sim', IRONVIX_NOTIFY_URL: '' };
after(() => rmSync(dataDir, { recursive: true, force: true }));

const ironvix = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/ironvix.js', ...args], { encoding: 'utf8', timeout: 120_000, env });

interface CampaignJson {
  kind: string;
  from: string;
  to: string;
  seed: number;
  cycles: { cycleDate: string; traded: boolean; condorSettled: boolean }[];
  positions: { group: string; status: string }[];
  settlementProblems: unknown[];
}

describe('ironvix campaign (compiled build)', () => {
  it('runs N trading days through the real executor and prints the report; ironvix report reads the same journal', () => {
    const html = join(dataDir, 'campaign.html');
    const r = ironvix('campaign', '--days', '2', '--seed', '42', '--json', '--html', html);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'no progress bar and no notes on a pipe with --json');
    const c = JSON.parse(r.stdout) as CampaignJson;
    assert.equal(c.kind, 'ironvix.campaign');
    assert.deepEqual([c.from, c.to, c.seed], ['2026-03-16', '2026-03-17', 42]);
    assert.deepEqual(
      c.cycles.map((x) => x.cycleDate),
      ['2026-03-16', '2026-03-17'],
    );
    assert.ok(c.cycles.every((x) => x.traded));
    // Both condors settled: the campaign ran on to the settlement point after the last one's expiry.
    assert.ok(c.cycles.every((x) => x.condorSettled));
    assert.deepEqual(c.settlementProblems, []);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /^<!doctype html>/i);
    assert.match(page, /<svg/);
    assert.ok(existsSync(join(dataDir, 'journal-sim.sqlite')));
    const report = ironvix('report', '--json');
    assert.equal(report.status, 0, report.stderr);
    const rep = JSON.parse(report.stdout) as CampaignJson;
    assert.deepEqual(
      rep.cycles.map((x) => [x.cycleDate, x.condorSettled]),
      [
        ['2026-03-16', true],
        ['2026-03-17', true],
      ],
    );
  });

  it('a replay range past the shipped history is E_SIM_REPLAY_INVALID naming the range; nothing runs', () => {
    const r = ironvix('campaign', '--days', '30', '--replay-from', '2019-12-02');
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /E_SIM_REPLAY_INVALID: a replay of 31 sessions from 2019-12-02 runs past the replay data's range 1990-01-\d\d\.\.2019-12-31: only \d+ sessions from 2019-12-02/,
    );
    assert.equal(r.stdout, '');
  });

  it('--days is required and a whole number', () => {
    const none = ironvix('campaign');
    assert.equal(none.status, 2);
    assert.match(none.stderr, /E_USAGE: required option '--days <n>'/);
    const bad = ironvix('campaign', '--days', '0');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /must be a whole number in 1\.\.5000/);
  });
});
