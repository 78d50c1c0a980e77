// Databases of an older schema, for migration tests: what the current store wrote, copied into a database built by
// the first `version` migrations alone, the tables as that schema had them (texts inline before schema 7).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/schema.js';
import { DB_FILE } from '../../src/store/sqlite.js';

/** How a column of an older table is filled from the current one (`t` is the current table). */
function source(table: string, column: string): string {
  if (table === 'samples' && column === 'text') return '(SELECT a.text FROM full.answers a WHERE a.id = t.answer_id)';
  if (table === 'cache' && column === 'completion')
    return `CASE WHEN t.answer_id IS NULL THEN t.completion
      ELSE json_set(t.completion, '$.text', (SELECT a.text FROM full.answers a WHERE a.id = t.answer_id)) END`;
  return `t.${column}`;
}

/** Rewrite the results folder's database (written by the current store, closed) as a schema-`version` database. */
export function downgradeStore(dir: string, version: number): void {
  const file = path.join(dir, DB_FILE);
  const full = `${file}.full`;
  fs.renameSync(file, full);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(file + ext)) fs.renameSync(file + ext, full + ext);
  const raw = new Database(file);
  for (let v = 0; v < version; v++) raw.exec(MIGRATIONS[v]!);
  raw.exec(`ATTACH DATABASE '${full}' AS full`);
  const columns = (table: string) =>
    (raw.prepare(`PRAGMA main.table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  for (const table of ['runs', 'samples', 'cache']) {
    const names = columns(table);
    const select = names.map((c) => source(table, c)).join(', ');
    raw.exec(`INSERT INTO main.${table} (${names.join(', ')}) SELECT ${select} FROM full.${table} t`);
  }
  raw.exec('DETACH DATABASE full');
  raw.pragma(`user_version = ${version}`);
  raw.close();
  for (const ext of ['', '-wal', '-shm']) fs.rmSync(full + ext, { force: true });
}
