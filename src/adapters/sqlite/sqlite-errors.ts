// SQLite failures as the journal's coded errors. A failed write rolls back its own transaction
// only: everything committed before it stays on disk.
import { IronvixError } from '../../errors.ts';
import type { ErrorCode } from '../../errors.ts';

function sqliteCode(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const code = (e as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/** The journal error code for a SQLite result code, or null for one that means a bug. */
export function journalErrorCode(sqlite: string): ErrorCode | null {
  if (sqlite.startsWith('SQLITE_READONLY')) return 'E_JOURNAL_READONLY';
  if (sqlite === 'SQLITE_FULL') return 'E_JOURNAL_FULL';
  if (sqlite.startsWith('SQLITE_CORRUPT') || sqlite === 'SQLITE_NOTADB') return 'E_JOURNAL_CORRUPT';
  if (sqlite.startsWith('SQLITE_BUSY') || sqlite.startsWith('SQLITE_LOCKED')) return 'E_JOURNAL_LOCKED';
  if (sqlite.startsWith('SQLITE_IOERR') || sqlite.startsWith('SQLITE_CANTOPEN') || sqlite === 'SQLITE_PERM') {
    return 'E_JOURNAL_IO';
  }
  return null;
}

/** Runs fn; a storage failure becomes an IronvixError naming the file and what was being done. */
export function guarded<T>(path: string, doing: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asJournalError(e, path, doing);
  }
}

/** The journal error code for a file-system errno (creating the data directory), or null. */
function errnoCode(e: unknown): { readonly code: ErrorCode; readonly errno: string } | null {
  const errno = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  if (typeof errno !== 'string' || !/^E[A-Z]+$/.test(errno)) return null;
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS')
    return { code: 'E_JOURNAL_READONLY', errno };
  if (errno === 'ENOSPC' || errno === 'EDQUOT') return { code: 'E_JOURNAL_FULL', errno };
  return { code: 'E_JOURNAL_IO', errno };
}

function classify(e: Error): { readonly code: ErrorCode; readonly errno: string } | null {
  const sqlite = sqliteCode(e);
  if (sqlite === null) return errnoCode(e);
  const code = journalErrorCode(sqlite);
  return code === null ? null : { code, errno: sqlite };
}

/** A storage failure as an IronvixError; anything else (a bug) is returned unchanged. */
export function asJournalError(e: unknown, path: string, doing: string): unknown {
  if (e instanceof IronvixError || !(e instanceof Error)) return e;
  const c = classify(e);
  return c === null
    ? e
    : new IronvixError(c.code, `journal ${path}: ${doing} failed: ${e.message} (${c.errno})`);
}
