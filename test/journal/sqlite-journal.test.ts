// The journal contract against the SQLite journal, each case on a fresh database file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteJournal } from '../../src/adapters/sqlite/sqlite-journal.ts';
import { journalContract } from './journal-contract.ts';

journalContract('sqlite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ironvix-journal-'));
  return {
    open: () => openSqliteJournal({ dataDir, mode: 'paper', nowMs: 0 }),
    dispose: () => rmSync(dataDir, { recursive: true, force: true }),
  };
});
