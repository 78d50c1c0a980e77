// The store's own failures, as the user can act on them: the disk is full, the folder cannot be written, the file is
// not a database. One line naming the results folder and the cause (exit 2), never a stack trace.
import path from 'node:path';
import { InputError } from '../core/errors.js';

/** A results folder that cannot be used as it is; the message names the folder, the cause and what to do. */
export class StoreUnusableError extends InputError {
  constructor(
    readonly folder: string,
    readonly code: string,
    cause: string,
  ) {
    super(`results folder ${folder}: ${cause}`);
  }
}

const CAUSES: Readonly<Record<string, string>> = {
  SQLITE_FULL: 'the disk is full (or the database reached its size limit); free space, then run again to resume',
  SQLITE_READONLY: 'the database cannot be written (read-only folder or file); fix the permissions or pass --results',
  SQLITE_CANTOPEN: 'the database cannot be opened (missing, read-only or not a folder); pass another --results',
  SQLITE_NOTADB: 'phylo.db is not a SQLite database (corrupt or another file); move it away or pass --results',
  SQLITE_CORRUPT: 'phylo.db is corrupt; restore it from a copy or pass another --results',
  SQLITE_IOERR: 'a disk read or write failed',
  SQLITE_PERM: 'permission denied; fix the permissions or pass --results',
  SQLITE_BUSY: 'the database stayed locked by another process; try again when it is done',
  ENOSPC: 'the disk is full; free space, then run again to resume',
  EROFS: 'the file system is read-only; pass another --results',
  EACCES: 'permission denied; fix the permissions or pass --results',
  ENOTDIR: 'a file stands where the folder should be; pass another --results',
};

/** The error code of a SQLite or file-system failure (SQLITE_IOERR_WRITE reads as SQLITE_IOERR). */
function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (CAUSES[code] !== undefined) return code;
  const base = code.match(/^SQLITE_[A-Z]+/)?.[0];
  return base !== undefined && CAUSES[base] !== undefined ? base : undefined;
}

/**
 * A failure of the store file as a StoreUnusableError, or undefined when it is something else (a bug is rethrown
 * as it is). `file` is the database file; the message names its folder.
 */
export function storeFailure(err: unknown, file: string): StoreUnusableError | undefined {
  if (err instanceof StoreUnusableError) return err;
  const code = codeOf(err);
  if (code === undefined) return undefined;
  const said = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new StoreUnusableError(path.dirname(file), code, `${CAUSES[code]} (${code}: ${said})`);
}

/** Run `fn`; a store failure comes out as a StoreUnusableError. */
export function guardStore<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw storeFailure(err, file) ?? err;
  }
}
