// One daemon per mode: `<dataDir>/daemon-<mode>.lock.sqlite` holds the running daemon's pid, taken
// with the journal's writer-lock logic (SQLite's write lock, stale pids taken over). The journal
// itself is opened only at cycle points, so `ironvix halt` can write it while a daemon waits.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Mode } from '../../domain/mode.ts';
import { IronvixError } from '../../errors.ts';
import { guarded } from './sqlite-errors.ts';
import type { ProcessProbe } from './writer-lock.ts';
import { acquireWriterLock, releaseWriterLock, systemProbe } from './writer-lock.ts';

export function serviceLockPath(dataDir: string, mode: Mode): string {
  return join(dataDir, `daemon-${mode}.lock.sqlite`);
}

export interface ServiceLock {
  readonly path: string;
  /** The pid of a daemon whose stale lock this one took over, or null. */
  readonly tookOverPid: number | null;
  release(): void;
}

/** Takes the mode's daemon lock, or throws E_DAEMON_RUNNING naming the holder's pid and host. */
export function acquireServiceLock(o: {
  readonly dataDir: string;
  readonly mode: Mode;
  readonly nowMs: number;
  readonly probe?: ProcessProbe;
}): ServiceLock {
  const path = serviceLockPath(o.dataDir, o.mode);
  const probe = o.probe ?? systemProbe();
  guarded(path, 'creating the data directory', () => mkdirSync(o.dataDir, { recursive: true }));
  const db = guarded(path, 'opening', () => new Database(path));
  try {
    db.pragma('busy_timeout = 5000');
    const lock = guarded(path, 'taking the daemon lock', () => acquireWriterLock(db, probe, o.nowMs));
    if (lock.kind === 'held') {
      throw new IronvixError(
        'E_DAEMON_RUNNING',
        `an ironvix ${o.mode} daemon already runs: pid ${lock.pid} on ${lock.host} (since ${new Date(lock.sinceMs).toISOString()}; lock ${path})`,
      );
    }
    let released = false;
    return {
      path,
      tookOverPid: lock.tookOverPid,
      release() {
        if (released) return;
        released = true;
        try {
          releaseWriterLock(db, probe);
        } finally {
          db.close();
        }
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
