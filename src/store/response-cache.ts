// The response cache's table: a Completion per cache key (cache-key.ts). Its text is a row of the answers table
// (schema 7, answers.ts) shared with the samples that hold the same answer; the rest of the Completion is JSON.
import type Database from 'better-sqlite3';
import type { Completion } from '../core/types.js';

export interface CacheWrite {
  readonly key: string;
  readonly completion: Completion;
  /** When the answer was collected (default: the write's time); a cached sample reports it as its collectedAt. */
  readonly at?: string;
}

export interface CacheEntry {
  readonly completion: Completion;
  /** When the answer was collected. */
  readonly createdAt: string;
}

export class ResponseCacheTable {
  private readonly read: Database.Statement<[string], { completion: string; created_at: string; text: string | null }>;
  private putStmt?: Database.Statement;

  /** `answers`: the texts are in the answers table; else in the completion JSON (an older database, read-only). */
  constructor(
    private readonly db: Database.Database,
    answers: boolean,
  ) {
    this.read = db.prepare(
      answers
        ? `SELECT c.completion, c.created_at, a.text FROM cache c LEFT JOIN answers a ON a.id = c.answer_id
           WHERE c.key = ?`
        : 'SELECT completion, created_at, NULL AS text FROM cache WHERE key = ?',
    );
  }

  get(key: string): CacheEntry | undefined {
    const row = this.read.get(key);
    if (row === undefined) return undefined;
    const completion = JSON.parse(row.completion) as Completion;
    return {
      completion: row.text === null ? completion : { ...completion, text: row.text },
      createdAt: row.created_at,
    };
  }

  /** Inside the caller's transaction: the text to `answers` (`answerId`), the rest of the Completion to the row. */
  put(c: CacheWrite, answerId: (text: string) => number, now: string): void {
    // An upsert, not INSERT OR REPLACE: the answer it replaces is released by the update trigger (schema 7).
    this.putStmt ??= this.db.prepare(
      `INSERT INTO cache (key, completion, answer_id, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET
         completion = excluded.completion, answer_id = excluded.answer_id, created_at = excluded.created_at`,
    );
    const { text, ...rest } = c.completion;
    this.putStmt.run(c.key, JSON.stringify(rest), answerId(text), c.at ?? now);
  }
}
