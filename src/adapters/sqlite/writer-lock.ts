// One writer per journal. The holder's pid, host and process start time live in the journal's own
// journal_writer row; a process takes it inside a BEGIN IMMEDIATE transaction (SQLite's write lock,
// which the kernel drops with the process), so two starters can never both win, and a row left by
// a process that is gone (pid absent, or reused by another process started later) is taken over.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { BOOTSTRAP_SQL } from './migrations.ts';

export interface ProcessProbe {
  readonly pid: number;
  readonly host: string;
  /** An opaque start time of the process, to tell a reused pid apart; null when unknown. */
  startOf(pid: number): string | null;
  alive(pid: number): boolean;
}

/** Linux: the start time in clock ticks from /proc/<pid>/stat (field 22); elsewhere null. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function systemProbe(): ProcessProbe {
  return { pid: process.pid, host: hostname(), startOf: procStart, alive: pidAlive };
}

const writerRow = z.object({
  pid: z.number().int(),
  host: z.string(),
  process_start: z.string().nullable(),
  acquired_at_ms: z.number().int(),
});

export type LockOutcome =
  | { readonly kind: 'acquired'; readonly tookOverPid: number | null }
  | { readonly kind: 'held'; readonly pid: number; readonly host: string; readonly sinceMs: number };

/** Takes the writer lock, or says who holds it. */
export function acquireWriterLock(db: Database.Database, probe: ProcessProbe, atMs: number): LockOutcome {
  const take = db.transaction((): LockOutcome => {
    db.exec(BOOTSTRAP_SQL);
    const raw: unknown = db
      .prepare('SELECT pid, host, process_start, acquired_at_ms FROM journal_writer WHERE id = 1')
      .get();
    const row = raw === undefined ? null : writerRow.parse(raw);
    if (row !== null) {
      const held: LockOutcome = { kind: 'held', pid: row.pid, host: row.host, sinceMs: row.acquired_at_ms };
      // Another host's process cannot be checked from here: it holds the lock until it releases it.
      if (row.host !== probe.host) return held;
      const nowStart = probe.alive(row.pid) ? probe.startOf(row.pid) : null;
      const sameProcess =
        probe.alive(row.pid) &&
        (row.process_start === null || nowStart === null || nowStart === row.process_start);
      if (sameProcess) return held;
    }
    db.prepare(
      `INSERT INTO journal_writer (id, pid, host, process_start, acquired_at_ms) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host,
         process_start = excluded.process_start, acquired_at_ms = excluded.acquired_at_ms`,
    ).run(probe.pid, probe.host, probe.startOf(probe.pid), atMs);
    return { kind: 'acquired', tookOverPid: row?.pid ?? null };
  });
  return take.immediate();
}

/** Releases the lock if this process holds it. */
export function releaseWriterLock(db: Database.Database, probe: ProcessProbe): void {
  db.prepare('DELETE FROM journal_writer WHERE id = 1 AND pid = ? AND host = ?').run(probe.pid, probe.host);
}
