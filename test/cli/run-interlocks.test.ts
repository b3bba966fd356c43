// Every path of `run --once` (and `reconcile`) that could send an order refuses a mode the account
// or the keys do not allow, with exit 4 and a stable code, and sends nothing: live without any one of
// its three keys, --mode live when IRONVIX_MODE is not live, paper (and sim) with a live account
// (configured, or the gateway's own), live with a paper account. Also halt and resume.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteJournalReader } from '../../src/adapters/sqlite/sqlite-journal.ts';
import { runCliCaptured } from '../support/cli-harness.ts';
import { startTestSim } from '../support/sim-server.ts';
import type { TestSim } from '../support/sim-server.ts';

let dir: string;
let envFile: string;
let liveSim: TestSim;
let paperSim: TestSim;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ironvix-run-'));
  envFile = join(dir, 'empty.env');
  writeFileSync(envFile, '');
  liveSim = await startTestSim({ account: 'U7654321', limits: 'lifted' });
  paperSim = await startTestSim({ limits: 'lifted' });
});
after(async () => {
  await liveSim.close();
  await paperSim.close();
  rmSync(dir, { recursive: true, force: true });
});

function cli(argv: string[], env: Record<string, string>) {
  return runCliCaptured(argv, {
    envFile,
    env: { IRONVIX_DATA_DIR: dir, IRONVIX_LOG_LEVEL: 'silent', IB_CLIENT_ID: '41', ...env },
  });
}

function sentNothing(t: TestSim): void {
  assert.deepEqual(t.sim.venue.openOrders({}), []);
  assert.deepEqual(t.sim.venue.completedOrders({}), []);
}

const refusals: readonly { name: string; argv: string[]; env: Record<string, string>; code: string }[] = [
  {
    name: 'live without --live',
    argv: [],
    env: { IRONVIX_MODE: 'live', IRONVIX_LIVE_ARMED: 'yes', IB_ACCOUNT: 'U7654321' },
    code: 'E_LIVE_NOT_ARMED',
  },
  {
    name: 'live without IRONVIX_LIVE_ARMED=yes',
    argv: ['--live'],
    env: { IRONVIX_MODE: 'live', IB_ACCOUNT: 'U7654321' },
    code: 'E_LIVE_NOT_ARMED',
  },
  {
    name: 'live without IB_ACCOUNT',
    argv: ['--live'],
    env: { IRONVIX_MODE: 'live', IRONVIX_LIVE_ARMED: 'yes' },
    code: 'E_LIVE_NOT_ARMED',
  },
  {
    name: 'live with a paper IB_ACCOUNT',
    argv: ['--live'],
    env: { IRONVIX_MODE: 'live', IRONVIX_LIVE_ARMED: 'yes', IB_ACCOUNT: 'DU1234567' },
    code: 'E_LIVE_NOT_ARMED',
  },
  {
    name: '--mode live while IRONVIX_MODE=paper',
    argv: ['--mode', 'live', '--live'],
    env: { IRONVIX_MODE: 'paper', IRONVIX_LIVE_ARMED: 'yes', IB_ACCOUNT: 'U7654321' },
    code: 'E_LIVE_NOT_ARMED',
  },
  {
    name: '--live in paper mode',
    argv: ['--live'],
    env: { IRONVIX_MODE: 'paper' },
    code: 'E_LIVE_NOT_ARMED',
  },
  {
    name: 'paper with a live IB_ACCOUNT',
    argv: [],
    env: { IRONVIX_MODE: 'paper', IB_ACCOUNT: 'U7654321' },
    code: 'E_PAPER_LIVE_ACCOUNT',
  },
  {
    name: 'sim --connect with a live IB_ACCOUNT',
    argv: ['--mode', 'sim', '--connect'],
    env: { IB_ACCOUNT: 'U7654321' },
    code: 'E_PAPER_LIVE_ACCOUNT',
  },
];

describe('run --once refuses before it connects', () => {
  for (const r of refusals)
    it(`${r.name}: exit 4 ${r.code}`, async () => {
      const out = await cli(['run', '--once', ...r.argv], { IB_PORT: String(liveSim.port), ...r.env });
      assert.equal(out.code, 4, out.stderr);
      assert.match(out.stderr, new RegExp(`error ${r.code}`));
      assert.equal(liveSim.sim.server.sessions().length, 0, 'never connected');
    });

  it('without --once it is a usage error', async () => {
    const out = await cli(['run'], {});
    assert.equal(out.code, 2);
    assert.match(out.stderr, /E_USAGE.*--once/);
  });
});

describe('the gateway account decides once connected', () => {
  it('paper mode on a gateway whose account is live: exit 4, nothing sent, no journal entry', async () => {
    const out = await cli(['run', '--once'], {
      IRONVIX_MODE: 'paper',
      IB_PORT: String(liveSim.port),
    });
    assert.equal(out.code, 4, out.stderr);
    assert.match(out.stderr, /E_PAPER_LIVE_ACCOUNT: paper mode refused: account U7654321 is a live account/);
    sentNothing(liveSim);
    assert.equal(openSqliteJournalReader(dir, 'paper')?.recentPlans(1).length ?? 0, 0);
  });

  it('live mode, armed, on a gateway whose account is paper: exit 4, nothing sent', async () => {
    const out = await cli(['run', '--once', '--live'], {
      IRONVIX_MODE: 'live',
      IRONVIX_LIVE_ARMED: 'yes',
      IB_ACCOUNT: 'U7654321',
      IB_PORT: String(paperSim.port),
    });
    assert.equal(out.code, 4, out.stderr);
    assert.match(out.stderr, /E_GATEWAY_ACCOUNT: IB_ACCOUNT U7654321 is not an account of the gateway/);
    sentNothing(paperSim);
  });

  it('reconcile in paper mode on a live account: exit 4', async () => {
    const out = await cli(['reconcile'], {
      IRONVIX_MODE: 'paper',
      IB_PORT: String(liveSim.port),
    });
    assert.equal(out.code, 4, out.stderr);
    assert.match(out.stderr, /E_PAPER_LIVE_ACCOUNT/);
  });
});

describe('halt and resume', () => {
  it('halt sets the kill switch with its reason, resume lifts it; both only journal', async () => {
    const h = await cli(['halt', '--mode', 'paper', '--reason', 'FOMC surprise'], {});
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /trading halted \(paper\): FOMC surprise/);
    const reader = () => openSqliteJournalReader(dir, 'paper');
    const state = reader()?.haltState();
    assert.deepEqual(state && state.halted ? [state.reason, state.source] : null, ['FOMC surprise', 'user']);
    const r = await cli(['resume', '--mode', 'paper', '--note', 'checked'], {});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /trading resumed \(paper\); the halt was set by user: FOMC surprise/);
    assert.equal(reader()?.haltState().halted, false);
    const again = await cli(['resume', '--mode', 'paper'], {});
    assert.match(again.stdout, /not halted/);
  });
});
