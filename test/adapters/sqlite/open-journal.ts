// Child process for the read-only test: tries to open the journal of argv[2] (mode paper) and
// write to it, and prints the outcome as one JSON line.
import { openSqliteJournal } from '../../../src/adapters/sqlite/sqlite-journal.ts';
import { IronvixError } from '../../../src/errors.ts';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: open-journal.ts <dataDir>');
try {
  const j = openSqliteJournal({ dataDir, mode: 'paper', nowMs: 1 });
  j.append({ type: 'halted', reason: 'x', source: 'user', atMs: 2 });
  j.close();
  process.stdout.write(`${JSON.stringify({ code: 'opened' })}\n`);
} catch (e) {
  const code = e instanceof IronvixError ? e.code : 'other';
  process.stdout.write(`${JSON.stringify({ code, message: e instanceof Error ? e.message : String(e) })}\n`);
}
