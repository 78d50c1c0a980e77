// Bringing a writable database to the current schema (schema.ts), safely under concurrency.
import type Database from 'better-sqlite3';
import { InputError } from '../core/errors.js';
import { registerAnswerHash } from './answers.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

/**
 * Bring a writable database to SCHEMA_VERSION in one exclusive transaction: the version is read and every step applied
 * under one lock, so two processes opening a new folder at once cannot both create the tables (the second used to
 * fail with "table runs already exists"); the busy timeout makes the second wait, then find the schema in place.
 * The SQL functions the steps use (sha256 for 6 -> 7) are registered on the connection first.
 */
export function migrate(db: Database.Database, file: string): void {
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  registerAnswerHash(db);
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      throw new InputError(
        `${file}: database schema ${version} is newer than this phylo (${SCHEMA_VERSION}); upgrade phylo`,
      );
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).exclusive();
}
