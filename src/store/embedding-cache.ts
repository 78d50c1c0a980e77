// The embedding cache of a results folder, opened as lightly as the work needs: lookups read the database
// read-only (as `phylo tree` does), and only a write (something was missing) opens it writable, which also migrates
// an older database to the schema that has the embeddings table.
import fs from 'node:fs';
import path from 'node:path';
import type { EmbeddingCache, EmbeddingEntry } from './api.js';
import { DB_FILE, openStore, openStoreReadonly, type SqliteStore } from './sqlite.js';

export class ResultsEmbeddingCache implements EmbeddingCache {
  private writer?: SqliteStore;

  constructor(readonly resultsDir: string) {}

  getEmbeddings(keys: readonly string[]): Map<string, Float64Array> {
    if (this.writer) return this.writer.getEmbeddings(keys);
    if (!fs.existsSync(path.join(this.resultsDir, DB_FILE))) return new Map();
    const reader = openStoreReadonly(this.resultsDir);
    try {
      return reader.getEmbeddings(keys);
    } finally {
      reader.close();
    }
  }

  putEmbeddings(entries: readonly EmbeddingEntry[]): void {
    if (entries.length === 0) return;
    this.writer ??= openStore(this.resultsDir);
    this.writer.putEmbeddings(entries);
  }

  /** Whether anything was written (the store was opened writable). */
  get wrote(): boolean {
    return this.writer !== undefined;
  }

  close(): void {
    this.writer?.close();
  }
}
