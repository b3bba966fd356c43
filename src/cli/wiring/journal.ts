// The journal a command uses: one SQLite database per mode under IRONVIX_DATA_DIR
// (journal-sim.sqlite, journal-paper.sqlite, journal-live.sqlite). Writers take the journal's writer
// lock (a second writer refuses with E_JOURNAL_LOCKED naming the holder's pid); readers take none.
import { existsSync, renameSync } from 'node:fs';
import {
  journalPath,
  openSqliteJournal,
  openSqliteJournalReader,
} from '../../adapters/sqlite/sqlite-journal.ts';
import type { Mode } from '../../domain/mode.ts';
import { IronvixError } from '../../errors.ts';
import type { JournalPort, JournalReader } from '../../ports/journal.ts';

export interface JournalSetup {
  readonly dataDir: string;
  readonly mode: Mode;
  /** Epoch ms (the command's clock) for the lock and migration records. */
  readonly nowMs: number;
}

/** Opens the mode's journal for writing (creating and migrating it), holding its writer lock. */
export function openJournal(s: JournalSetup): JournalPort {
  return openSqliteJournal({ dataDir: s.dataDir, mode: s.mode, nowMs: s.nowMs });
}

/** The mode's journal for reading (status); null when none was ever written. */
export function openJournalReader(dataDir: string, mode: Mode): JournalReader | null {
  return openSqliteJournalReader(dataDir, mode);
}

/**
 * A simulator started in-process begins with an empty account, so the sim journal of an earlier
 * run would not match it: that journal is moved aside (journal-sim.<stamp>.sqlite, never deleted)
 * and a fresh one opened. Refuses like openJournal while another process writes it.
 */
export function openFreshSimJournal(s: Omit<JournalSetup, 'mode'>): {
  readonly journal: JournalPort;
  readonly archivedTo: string | null;
} {
  const first = openJournal({ ...s, mode: 'sim' });
  if (first.recentPlans(1).length === 0 && first.events({ limit: 1 }).length === 0)
    return { journal: first, archivedTo: null };
  first.close();
  const path = journalPath(s.dataDir, 'sim');
  const stamp = new Date(s.nowMs).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  let archivedTo = path.replace(/\.sqlite$/, `.${stamp}.sqlite`);
  for (let i = 1; existsSync(archivedTo); i++)
    archivedTo = path.replace(/\.sqlite$/, `.${stamp}-${i}.sqlite`);
  try {
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(path + suffix)) renameSync(path + suffix, archivedTo + suffix);
  } catch (e) {
    throw new IronvixError(
      'E_JOURNAL_IO',
      `cannot move the earlier sim journal ${path} aside: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return { journal: openJournal({ ...s, mode: 'sim' }), archivedTo };
}
