// Each answer's text is stored once (issue 15): a content-addressed table of texts keyed by their SHA-256, which
// sample rows and response-cache rows point at. Identical answers (temperature 0, a cache hit copied into a sample,
// a re-run) share one copy; before, a sample and its cache entry each held the text (two copies of every answer).
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';

/** The SHA-256 of an answer's UTF-8 bytes (32 bytes): its address in the answers table. */
export function answerHash(text: string): Buffer {
  // crypto.hash (Node 20.12+) is the one-shot form: half the CPU of a Hash object for a few hundred bytes.
  return typeof crypto.hash === 'function'
    ? crypto.hash('sha256', text, 'buffer')
    : crypto.createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Register `sha256(text)` on a connection, the same hash as answerHash: the 6 -> 7 migration addresses the texts
 * already stored with it, inside SQL, without reading them into JavaScript one statement at a time.
 */
export function registerAnswerHash(db: Database.Database): void {
  db.function('sha256', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? answerHash(text) : null,
  );
}

/** Schema 7 or later: texts live in `answers`. An older database opened read-only keeps them inline. */
export function hasAnswerTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'answers'").get() !== undefined;
}

/** The answers table of a writable store: the id of a text, its row added when the text is new. */
export class AnswerTable {
  private readonly find: Database.Statement<[Buffer], number>;
  private readonly insert: Database.Statement<[Buffer, string]>;

  constructor(db: Database.Database) {
    this.find = db.prepare<[Buffer], number>('SELECT id FROM answers WHERE hash = ?').pluck();
    this.insert = db.prepare<[Buffer, string]>('INSERT INTO answers (hash, text) VALUES (?, ?)');
  }

  /**
   * An `idOf(text)` for one write transaction: the row found or added stays until nothing points at it (schema.ts).
   * A sample and its cache entry carry the same text: it is hashed and looked up once per transaction.
   */
  forTransaction(): (text: string) => number {
    const seen = new Map<string, number>();
    return (text) => {
      let id = seen.get(text);
      if (id === undefined) {
        const hash = answerHash(text);
        id = this.find.get(hash) ?? Number(this.insert.run(hash, text).lastInsertRowid);
        seen.set(text, id);
      }
      return id;
    };
  }
}
