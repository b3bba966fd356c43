// The SQLite journal beyond the contract: durability across a reopen and a killed writer, one
// writer per journal (the second refuses with the holder's pid), migrations and versions, and
// every storage failure as a coded error that loses nothing already written.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  chmodSync,
  rmSync,
  writeFileSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  journalPath,
  openSqliteJournal,
  openSqliteJournalReader,
} from '../../../src/adapters/sqlite/sqlite-journal.ts';
import type { ProcessProbe } from '../../../src/adapters/sqlite/writer-lock.ts';
import { BOOTSTRAP_SQL, LATEST_VERSION, MIGRATIONS } from '../../../src/adapters/sqlite/migrations.ts';
import { reconcileScope } from '../../../src/domain/journal-view.ts';
import { IronvixError } from '../../../src/errors.ts';
import type { ErrorCode } from '../../../src/errors.ts';
import type { JournalPort } from '../../../src/ports/journal.ts';
import { intentFor, planAs, samplePlan } from '../../support/journal-fixtures.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ironvix-sqlite-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function open(dataDir: string, extra: { probe?: ProcessProbe; maxPageCount?: number } = {}): JournalPort {
  return openSqliteJournal({ dataDir, mode: 'paper', nowMs: 1000, ...extra });
}

function throwsCode(fn: () => unknown, code: ErrorCode, message?: RegExp): IronvixError {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof IronvixError, `expected IronvixError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (message !== undefined) assert.match(caught.message, message);
  return caught;
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('sqlite journal: files, durability, versions', () => {
  test('one database per mode under the data directory; paper and live never mix', () => {
    const dir = tempDir();
    const paper = openSqliteJournal({ dataDir: dir, mode: 'paper', nowMs: 0 });
    const live = openSqliteJournal({ dataDir: dir, mode: 'live', nowMs: 0 });
    paper.append({ type: 'plan-started', plan: samplePlan(), atMs: 1 });
    assert.equal(paper.location, join(dir, 'journal-paper.sqlite'));
    assert.equal(live.location, journalPath(dir, 'live'));
    assert.equal(live.recentPlans(10).length, 0);
    assert.equal(paper.recentPlans(10).length, 1);
    paper.close();
    live.close();
  });

  test('everything journaled is there after a reopen, the plan byte for byte', () => {
    const dir = tempDir();
    const plan = samplePlan();
    const intent = intentFor(plan, 'hedge:B:open', 12);
    let j = open(dir);
    j.append({ type: 'plan-started', plan, atMs: 1 });
    j.append({ type: 'order-intended', intent, atMs: 2 });
    j.append({
      type: 'order-send-outcome',
      orderRef: intent.orderRef,
      operation: 'submit',
      outcome: { kind: 'unknown', reason: 'timeout' },
      atMs: 3,
    });
    j.append({ type: 'halted', reason: 'why', source: 'executor', atMs: 4 });
    j.append({ type: 'cycle-claimed', cycleDate: plan.cycleDate, atMs: 5 });
    const before = {
      events: j.events(),
      view: j.reconcileView(),
      halt: j.haltState(),
      floor: j.nextOrderIdFloor(),
    };
    j.close();
    j = open(dir);
    assert.equal(JSON.stringify(j.plan(plan.planId)?.plan), JSON.stringify(plan));
    assert.deepEqual(
      { events: j.events(), view: j.reconcileView(), halt: j.haltState(), floor: j.nextOrderIdFloor() },
      before,
    );
    assert.equal(j.append({ type: 'cycle-claimed', cycleDate: plan.cycleDate, atMs: 6 }).kind, 'duplicate');
    j.close();
  });

  test('a reader opens while the writer runs, sees what it committed, and cannot write', () => {
    const dir = tempDir();
    assert.equal(openSqliteJournalReader(dir, 'paper'), null, 'no journal yet');
    const w = open(dir);
    w.append({ type: 'plan-started', plan: samplePlan(), atMs: 1 });
    const r = openSqliteJournalReader(dir, 'paper')!;
    assert.equal(r.recentPlans(5)[0]?.planId, samplePlan().planId);
    w.append({ type: 'halted', reason: 'x', source: 'user', atMs: 2 });
    assert.equal(r.haltState().halted, true);
    assert.equal('append' in r ? typeof (r as Partial<JournalPort>).append : 'none', 'function');
    assert.throws(
      () => (r as JournalPort).append({ type: 'resumed', by: 'user', note: '', atMs: 3 }),
      /read-only/,
    );
    r.close();
    w.close();
  });

  test('migrations are numbered and applied once; schema_version records them', () => {
    const dir = tempDir();
    open(dir).close();
    open(dir).close();
    const db = new Database(journalPath(dir, 'paper'), { readonly: true });
    const rows = db.prepare('SELECT version, description FROM schema_version ORDER BY version').all() as {
      version: number;
    }[];
    db.close();
    assert.deepEqual(
      rows.map((r) => r.version),
      Array.from({ length: LATEST_VERSION }, (_, i) => i + 1),
    );
  });

  test('a version 1 journal is upgraded in place: the final flags and expiries are filled in from what it holds', () => {
    const dir = tempDir();
    const path = journalPath(dir, 'paper');
    const db = new Database(path);
    db.exec(BOOTSTRAP_SQL);
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare("INSERT INTO schema_version VALUES (1, 'initial', 0)").run();
    const plan = planAs('2026-01-05-0000v1v1', '2026-01-05');
    db.prepare('INSERT INTO plans (plan_id, cycle_date, started_at_ms, plan_json) VALUES (?, ?, 0, ?)').run(
      plan.planId,
      plan.cycleDate,
      JSON.stringify(plan),
    );
    const insert = db.prepare(
      `INSERT INTO orders (order_ref, plan_id, order_key, attempt, order_id, account, contract_json, action, quantity,
        limit_price, order_kind, cycle_date, intended_at_ms, submit_json, status, filled, remaining)
       VALUES (?, ?, ?, 1, ?, 'DU1', ?, ?, 1, 5, ?, ?, 0, ?, ?, ?, ?)`,
    );
    const filled = intentFor(plan, 'condor', 1);
    const working = intentFor(plan, 'hedge:A:open', 2);
    insert.run(
      filled.orderRef,
      plan.planId,
      'condor',
      1,
      JSON.stringify(filled.contract),
      'BUY',
      'condor-open',
      plan.cycleDate,
      '{"kind":"sent","atMs":1}',
      'Filled',
      1,
      0,
    );
    insert.run(
      working.orderRef,
      plan.planId,
      'hedge:A:open',
      2,
      JSON.stringify(working.contract),
      'BUY',
      'hedge-open',
      plan.cycleDate,
      '{"kind":"sent","atMs":1}',
      'Submitted',
      0,
      1,
    );
    const leg = working.contract.kind === 'single' ? working.contract.contract : null;
    db.prepare(
      `INSERT INTO executions (exec_id, order_ref, order_id, perm_id, client_id, account, contract_json, side, quantity, price, cum_quantity, time_ms)
       VALUES ('e.01', ?, 2, 5, 1, 'DU1', ?, 'BOT', 1, 5, 1, 0)`,
    ).run(working.orderRef, JSON.stringify({ kind: 'option', contract: leg }));
    db.close();
    const j = open(dir);
    const v = j.reconcileView(reconcileScope('2026-03-10'));
    assert.deepEqual(
      v.orders.map((o) => o.intent.orderRef),
      [working.orderRef],
      'the filled order of January is history',
    );
    assert.deepEqual(
      v.fills.map((f) => f.execId),
      ['e.01'],
    );
    j.close();
  });

  test('a journal from a newer ironvix is refused with a coded error, and left untouched', () => {
    const dir = tempDir();
    open(dir).close();
    const path = journalPath(dir, 'paper');
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version (version, description, applied_at_ms) VALUES (?, ?, ?)').run(
      LATEST_VERSION + 1,
      'future',
      0,
    );
    db.close();
    const digest = sha(path);
    throwsCode(() => open(dir), 'E_JOURNAL_VERSION', new RegExp(`schema version ${LATEST_VERSION + 1}`));
    throwsCode(() => openSqliteJournalReader(dir, 'paper'), 'E_JOURNAL_VERSION');
    assert.equal(sha(path), digest);
    // The refused open released its lock: after a downgrade is undone, the journal opens again.
    const fix = new Database(path);
    fix.prepare('DELETE FROM schema_version WHERE version > ?').run(LATEST_VERSION);
    fix.close();
    open(dir).close();
  });

  test('a reader refuses a journal older than it reads (a writer upgrades it)', () => {
    const dir = tempDir();
    const path = journalPath(dir, 'paper');
    const db = new Database(path);
    db.exec(
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)',
    );
    db.close();
    throwsCode(() => openSqliteJournalReader(dir, 'paper'), 'E_JOURNAL_VERSION', /ironvix reconcile/);
    open(dir).close();
    openSqliteJournalReader(dir, 'paper')!.close();
  });
});

describe('sqlite journal: one writer', () => {
  const probe = (over: Partial<ProcessProbe>): ProcessProbe => ({
    pid: 4242,
    host: 'box',
    startOf: () => 'start-a',
    alive: () => true,
    ...over,
  });

  test('a second writer in the same process is refused with the holder pid; after close it opens', () => {
    const dir = tempDir();
    const first = open(dir);
    throwsCode(() => open(dir), 'E_JOURNAL_LOCKED', new RegExp(`pid ${process.pid}`));
    first.close();
    open(dir).close();
  });

  test('a lock whose process is gone, or whose pid now belongs to a later process, is taken over', () => {
    const dir = tempDir();
    open(dir, { probe: probe({ pid: 111 }) }); // never closed: as if killed
    throwsCode(() => open(dir, { probe: probe({ pid: 222 }) }), 'E_JOURNAL_LOCKED', /pid 111 on box/);
    open(dir, { probe: probe({ pid: 222, alive: (p) => p !== 111 }) }); // 111 is gone
    const reused = probe({ pid: 333, startOf: (p) => (p === 222 ? 'a later process' : 'start-a') });
    open(dir, { probe: reused }).close();
  });

  test("another host's lock is never taken over from here", () => {
    const dir = tempDir();
    open(dir, { probe: probe({ host: 'other-box', pid: 7 }) });
    throwsCode(
      () => open(dir, { probe: probe({ alive: () => false }) }),
      'E_JOURNAL_LOCKED',
      /pid 7 on other-box/,
    );
  });

  test('a live writer process blocks a second one; once SIGKILLed, its lock is lifted and its fsynced writes are there', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/adapters/sqlite/hold-journal.ts', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('ready')) resolve();
        });
        child.stderr.on('data', (b: Buffer) => (err += b.toString()));
        child.on('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
      });
      throwsCode(() => open(dir), 'E_JOURNAL_LOCKED', new RegExp(`pid ${child.pid}`));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const j = open(dir);
      const plan = samplePlan();
      assert.equal(JSON.stringify(j.plan(plan.planId)?.plan), JSON.stringify(plan));
      assert.equal(j.order(intentFor(plan, 'condor', 41).orderRef)?.intent.orderId, 41);
      j.close();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

describe('sqlite journal: storage failures are coded errors that lose nothing', () => {
  test('a full disk: the failing append throws E_JOURNAL_FULL; every append before it is kept', () => {
    const dir = tempDir();
    const j = open(dir, { maxPageCount: 64 });
    const kept: string[] = [];
    let failure: unknown = null;
    for (let i = 0; i < 200 && failure === null; i++) {
      const plan = planAs(`2026-03-10-${String(i).padStart(8, '0')}`);
      try {
        assert.equal(j.append({ type: 'plan-started', plan, atMs: i }).kind, 'appended');
        kept.push(plan.planId);
      } catch (e) {
        failure = e;
      }
    }
    assert.ok(failure instanceof IronvixError && failure.code === 'E_JOURNAL_FULL', String(failure));
    assert.ok(kept.length > 0);
    assert.equal(
      j.append({ type: 'halted', reason: 'small events may still fit', source: 'user', atMs: 1 }).kind,
      'appended',
    );
    j.close();
    const again = open(dir);
    assert.deepEqual(new Set(again.recentPlans(1000).map((p) => p.planId)), new Set(kept));
    assert.equal(again.events().filter((e) => e.event.type === 'plan-started').length, kept.length);
    again.close();
  });

  test('a file that is not a database: E_JOURNAL_CORRUPT, and the file is left as it was', () => {
    const dir = tempDir();
    const path = journalPath(dir, 'paper');
    writeFileSync(path, 'these are my notes, not a journal\n'.repeat(300));
    const digest = sha(path);
    throwsCode(() => open(dir), 'E_JOURNAL_CORRUPT', /journal-paper\.sqlite/);
    assert.equal(sha(path), digest);
  });

  test('a damaged page: E_JOURNAL_CORRUPT at open, before anything is written, and the file is left as it was', () => {
    const dir = tempDir();
    const j = open(dir);
    for (let i = 0; i < 20; i++)
      j.append({ type: 'plan-started', plan: planAs(`2026-03-10-${String(i).padStart(8, '0')}`), atMs: i });
    j.close();
    const path = journalPath(dir, 'paper');
    assert.ok(
      !existsSync(`${path}-wal`) || readFileSync(`${path}-wal`).length === 0,
      'checkpointed on close',
    );
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 3);
    closeSync(fd);
    const digest = sha(path);
    throwsCode(() => open(dir), 'E_JOURNAL_CORRUPT');
    assert.equal(sha(path), digest);
  });

  test('a read-only journal file (another user owns it): E_JOURNAL_READONLY at open, and its content stays', () => {
    const dir = tempDir();
    const j = open(dir);
    j.append({ type: 'plan-started', plan: samplePlan(), atMs: 1 });
    j.close();
    const path = journalPath(dir, 'paper');
    const digest = sha(path);
    chmodSync(path, 0o444);
    chmodSync(dir, 0o777);
    // Root ignores file modes: the opener runs as an unprivileged user, as a misconfigured service would.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/adapters/sqlite/open-journal.ts', dir], {
      ...asUser,
      encoding: 'utf8',
    });
    const outcome = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
      code?: string;
      message?: string;
    };
    assert.equal(outcome.code, 'E_JOURNAL_READONLY', `${r.stdout}${r.stderr}`);
    assert.match(outcome.message ?? '', /journal-paper\.sqlite/);
    assert.equal(sha(path), digest);
    chmodSync(path, 0o644);
    const again = open(dir);
    assert.equal(again.recentPlans(5).length, 1);
    again.close();
  });

  test('a data directory that cannot be made: E_JOURNAL_IO naming the path', () => {
    const dir = tempDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    throwsCode(
      () => openSqliteJournal({ dataDir: join(file, 'sub'), mode: 'sim', nowMs: 0 }),
      'E_JOURNAL_IO',
      /a-file/,
    );
  });
});
