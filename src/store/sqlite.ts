// The results folder's SQLite store (better-sqlite3, WAL): runs, samples, and the response cache. Writes come in
// batches, one transaction per batch, because one fsync per sample would cap collection at a few hundred per second.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../core/errors.js';
import type { Completion, FailureKind, ModelRef, RunName, Sample, SamplingParams, Suite } from '../core/types.js';
import type { RunData, RunRecord, RunStatus } from '../core/run.js';
import type { EmbeddingCache, EmbeddingEntry, RunStore, RunSummaryRow } from './api.js';
import { migrate } from './migrate.js';
import { AnswerTable, hasAnswerTable } from './answers.js';
import { type CacheEntry, type CacheWrite, ResponseCacheTable } from './response-cache.js';
import {
  type RunRow,
  type SampleRow,
  type SampleWrite,
  sampleParams,
  sampleSelectSql,
  toRecord,
  UPSERT_SAMPLE_SQL,
} from './rows.js';
import { decodeVector, encodeVector } from './vector-blob.js';
import { samplesFrom } from './load-samples.js';
import { RunLeases } from './lease.js';
import { RunBatches } from './batches.js';
import { RunProbeScores } from './probe-scores.js';
import { guardStore } from './store-error.js';

export const DB_FILE = 'phylo.db';
/** A run's updated_at moves with its writes at this granularity (see SqliteStore.touch). */
const TOUCH_INTERVAL_MS = 1000;

/** A run to create. */
export interface NewRun {
  readonly name: RunName;
  readonly suite: Suite;
  readonly models: readonly ModelRef[];
  readonly samples: number;
  readonly sampling?: Partial<SamplingParams>;
  readonly origin: string;
  readonly status?: RunStatus;
}

/** What the planner needs to know about a stored sample. */
export interface StoredSampleState {
  readonly status: 'ok' | 'error';
  readonly kind?: FailureKind;
}

export type { CacheWrite } from './response-cache.js';

/** The key of one (model, probe, index) cell; NUL cannot occur in a model ref or probe id. */
export function sampleCellKey(model: string, probe: string, index: number): string {
  return `${model}\u0000${probe}\u0000${index}`;
}

export class SqliteStore implements RunStore, EmbeddingCache {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly stmt: ReturnType<(typeof SqliteStore)['prepareOn']>;
  /** Prepared on first use: a database older than schema 2, opened read-only, has no embeddings table (null). */
  /** When each run's updated_at was last written by a batch (see touch). */
  private readonly touchedAt = new Map<number, number>();
  private embeddingStmt?: ReturnType<SqliteStore['prepareEmbeddings']> | null;
  private writeStmt?: ReturnType<SqliteStore['prepareWrites']>;

  constructor(file: string, options: { readonly readonly?: boolean } = {}) {
    this.file = file;
    // A full disk, a read-only folder or a file that is not a database: one line naming the folder (store-error.ts).
    const { db, stmt } = guardStore(file, () => {
      const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
      db.pragma('busy_timeout = 10000');
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        // NORMAL in WAL mode: a killed process loses nothing committed; only a power cut can drop the last commits.
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        migrate(db, file);
      }
      return { db, stmt: SqliteStore.prepareOn(db, hasAnswerTable(db)) };
    });
    this.db = db;
    this.stmt = stmt;
  }

  /** The run leases of this store (lease.ts): who is collecting which run. */
  leases(): RunLeases {
    return new RunLeases(this.db);
  }

  /** The vendor batches of this store's runs (batches.ts). */
  batches(): RunBatches {
    return new RunBatches(this.db);
  }

  /** The adaptive plans and pilot scores of this store's runs (probe-scores.ts). */
  readonly probeScores = (): RunProbeScores => new RunProbeScores(this.db);

  /** Set a connection pragma (tests simulate a full disk with `max_page_count`). */
  pragma(text: string): unknown {
    return this.db.pragma(text);
  }

  /** `answers`: the texts are in the answers table (schema 7); else inline (an older database opened read-only). */
  private static prepareOn(db: Database.Database, answers: boolean) {
    const samples = sampleSelectSql(answers);
    return {
      runByName: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE name = ?'),
      // Only the id: a run row carries its whole suite as JSON, too much to read again for every write batch.
      runIdByName: db.prepare<[string], number>('SELECT id FROM runs WHERE name = ?').pluck(),
      insertRun: db.prepare(
        `INSERT INTO runs (name, suite_name, suite, models, samples, sampling, status, origin, created_at, updated_at)
         VALUES (@name, @suite_name, @suite, @models, @samples, @sampling, @status, @origin, @now, @now)`,
      ),
      setStatus: db.prepare('UPDATE runs SET status = ?, updated_at = ? WHERE name = ?'),
      setSamples: db.prepare('UPDATE runs SET samples = ?, updated_at = ? WHERE name = ?'),
      touch: db.prepare('UPDATE runs SET updated_at = ? WHERE id = ?'),
      deleteRun: db.prepare('DELETE FROM runs WHERE name = ?'),
      listRuns: db.prepare<[], RunRow & { n_samples: number; n_errors: number; n_probes: number }>(
        `SELECT r.*,
                (SELECT COUNT(*) FROM samples s WHERE s.run_id = r.id) AS n_samples,
                (SELECT COUNT(*) FROM samples s WHERE s.run_id = r.id AND s.status = 'error') AS n_errors,
                json_array_length(json_extract(r.suite, '$.probes')) AS n_probes
         FROM runs r ORDER BY r.created_at, r.id`,
      ),
      samplesOfRun: db.prepare<[number], SampleRow>(`${samples} WHERE s.run_id = ? ORDER BY s.model, s.probe, s.idx`),
      samplesOfModel: db.prepare<[number, string], SampleRow>(
        `${samples} WHERE s.run_id = ? AND s.model = ? ORDER BY s.probe, s.idx`,
      ),
      states: db.prepare<
        [number],
        { model: string; probe: string; idx: number; status: 'ok' | 'error'; error_kind: string | null }
      >('SELECT model, probe, idx, status, error_kind FROM samples WHERE run_id = ?'),
      cache: new ResponseCacheTable(db, answers),
    };
  }

  /**
   * Prepared on first write: a database of an older schema opened read-only (no provenance columns, no answers
   * table) stays readable.
   */
  private writes(): ReturnType<SqliteStore['prepareWrites']> {
    this.writeStmt ??= this.prepareWrites();
    return this.writeStmt;
  }

  private prepareWrites() {
    return { upsert: this.db.prepare(UPSERT_SAMPLE_SQL), answers: new AnswerTable(this.db) };
  }

  private prepareEmbeddings() {
    return {
      get: this.db.prepare<[string], { dim: number; vector: Buffer }>(
        'SELECT dim, vector FROM embeddings WHERE key = ?',
      ),
      put: this.db.prepare('INSERT OR REPLACE INTO embeddings (key, dim, vector, created_at) VALUES (?, ?, ?, ?)'),
    };
  }

  private embeddingStatements(): ReturnType<SqliteStore['prepareEmbeddings']> | null {
    if (this.embeddingStmt === undefined) {
      const exists =
        this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'embeddings'").get() !== undefined;
      this.embeddingStmt = exists ? this.prepareEmbeddings() : null;
    }
    return this.embeddingStmt;
  }

  // ---- RunStore ----

  listRuns(): RunSummaryRow[] {
    // A run left `running` by a process that died (killed, crashed, disk full) is interrupted: nobody collects it.
    const live = this.hasLeases() ? this.leases().liveRuns() : new Set<string>();
    return this.stmt.listRuns.all().map((r) => ({
      name: r.name as RunName,
      suite: r.suite_name,
      models: (JSON.parse(r.models) as string[]).length,
      probes: r.n_probes,
      samples: r.n_samples,
      errors: r.n_errors,
      status: r.status === 'running' && !live.has(r.name) ? 'interrupted' : r.status,
      updatedAt: r.updated_at,
    }));
  }

  /** A database older than schema 4, opened read-only, has no lease table. */
  private hasLeases(): boolean {
    return (
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_leases'").get() !== undefined
    );
  }

  hasRun(name: RunName): boolean {
    return this.stmt.runByName.get(name) !== undefined;
  }

  getRun(name: RunName): RunRecord {
    return toRecord(this.row(name));
  }

  loadRun(name: RunName): RunData {
    const row = this.row(name);
    return { run: toRecord(row), samples: samplesFrom(row.name as RunName, this.stmt.samplesOfRun.iterate(row.id)) };
  }

  samplesOf(name: RunName, model?: ModelRef): Sample[] {
    const row = this.row(name);
    const rows =
      model === undefined ? this.stmt.samplesOfRun.iterate(row.id) : this.stmt.samplesOfModel.iterate(row.id, model);
    return samplesFrom(row.name as RunName, rows);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- writes ----

  createRun(run: NewRun): RunRecord {
    if (this.hasRun(run.name))
      throw new InputError(`run "${run.name}" already exists in ${this.file}; choose another --name`);
    this.stmt.insertRun.run({
      name: run.name,
      suite_name: run.suite.name,
      suite: JSON.stringify(run.suite),
      models: JSON.stringify(run.models),
      samples: run.samples,
      sampling: JSON.stringify(run.sampling ?? {}),
      status: run.status ?? 'running',
      origin: run.origin,
      now: new Date().toISOString(),
    });
    return this.getRun(run.name);
  }

  setStatus(name: RunName, status: RunStatus): void {
    guardStore(this.file, () => this.stmt.setStatus.run(status, new Date().toISOString(), name));
  }

  setSamples(name: RunName, samples: number): void {
    this.stmt.setSamples.run(samples, new Date().toISOString(), name);
  }

  deleteRun(name: RunName): void {
    this.stmt.deleteRun.run(name);
  }

  /** What is stored per (model, probe, index), keyed by sampleCellKey. */
  sampleStates(name: RunName): Map<string, StoredSampleState> {
    const row = this.row(name);
    const out = new Map<string, StoredSampleState>();
    for (const s of this.stmt.states.iterate(row.id)) {
      out.set(
        sampleCellKey(s.model, s.probe, s.idx),
        s.status === 'ok' ? { status: 'ok' } : { status: 'error', kind: (s.error_kind ?? 'server') as FailureKind },
      );
    }
    return out;
  }

  /**
   * Write samples and cache entries in one transaction: a sample and the cache entry it came with land together or
   * not at all. A sample for an existing (run, model, probe, index) replaces it (a retried error), never duplicates.
   */
  writeBatch(samples: readonly SampleWrite[], cache: readonly CacheWrite[] = []): void {
    if (samples.length === 0 && cache.length === 0) return;
    const ids = new Map<string, number>();
    const runId = (name: string): number => {
      let id = ids.get(name);
      if (id === undefined) {
        id = this.stmt.runIdByName.get(name);
        if (id === undefined)
          throw new InputError(`run "${name}" not found in ${this.file}; list runs with: phylo runs`);
        ids.set(name, id);
      }
      return id;
    };
    const w = this.writes();
    const write = this.db.transaction(() => {
      const now = new Date().toISOString();
      // The text goes to the answers table once; the cache row and the sample row point at it.
      const answerIdOf = w.answers.forTransaction();
      for (const c of cache) this.stmt.cache.put(c, answerIdOf, now);
      for (const s of samples) {
        const answerId = s.outcome.status === 'ok' ? answerIdOf(s.outcome.text) : null;
        w.upsert.run(sampleParams(runId(s.run), s, answerId));
      }
      for (const id of ids.values()) this.touch(id, now);
    });
    guardStore(this.file, () => write.immediate());
  }

  /**
   * Refresh a run's updated_at, at most once a second while writes stream in: SQLite rewrites the whole row on
   * update, and a run's row carries its suite as JSON (hundreds of kilobytes for a large suite), which made this
   * one timestamp most of the bytes a collection wrote. setStatus at the end of a collection sets the final time.
   */
  private touch(runId: number, now: string): void {
    const ms = Date.parse(now);
    const last = this.touchedAt.get(runId);
    if (last !== undefined && ms - last < TOUCH_INTERVAL_MS && ms >= last) return;
    this.touchedAt.set(runId, ms);
    this.stmt.touch.run(now, runId);
  }

  cacheGet(key: string): Completion | undefined {
    return this.cacheEntry(key)?.completion;
  }

  /** A cached answer with the time it was collected (a fresh collection overwrites it with the new answer). */
  cacheEntry(key: string): CacheEntry | undefined {
    return this.stmt.cache.get(key);
  }

  // ---- EmbeddingCache ----

  getEmbeddings(keys: readonly string[]): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    const stmt = this.embeddingStatements();
    if (!stmt) return out; // an older database opened read-only: nothing is cached yet
    for (const key of keys) {
      const row = stmt.get.get(key);
      if (row !== undefined) out.set(key, decodeVector(row.vector, row.dim));
    }
    return out;
  }

  putEmbeddings(entries: readonly EmbeddingEntry[]): void {
    if (entries.length === 0) return;
    const stmt = this.embeddingStatements();
    if (!stmt) throw new Error(`${this.file}: no embeddings table; open the store writable (openStore) to migrate it`);
    this.db
      .transaction(() => {
        const now = new Date().toISOString();
        for (const e of entries) stmt.put.run(e.key, e.vector.length, encodeVector(e.vector), now);
      })
      .immediate();
  }

  /** Run `fn` inside one transaction (bulk imports). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** SQLite's own consistency check: 'ok' when the file is sound. */
  integrityCheck(): string {
    const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  }

  /** Fold the WAL into the main file (tests that read the bytes, exports of the folder). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private row(name: RunName | string): RunRow {
    const row = this.stmt.runByName.get(name);
    if (row === undefined) throw new InputError(`run "${name}" not found in ${this.file}; list runs with: phylo runs`);
    return row;
  }
}

/** Open (creating if missing) the store of a results folder: `<resultsDir>/phylo.db`. */
export function openStore(resultsDir: string): SqliteStore {
  try {
    fs.mkdirSync(resultsDir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new InputError(
        `results folder ${resultsDir}: a file stands where the folder should be; pass another --results`,
      );
    throw new InputError(
      `results folder ${resultsDir}: cannot create it (${(err as Error).message}); pass another --results`,
    );
  }
  return new SqliteStore(path.join(resultsDir, DB_FILE));
}

/** Open an existing store read-only; throws InputError when the folder has none. */
export function openStoreReadonly(resultsDir: string): SqliteStore {
  const file = path.join(resultsDir, DB_FILE);
  if (!fs.existsSync(file))
    throw new InputError(
      `results folder ${resultsDir} has no ${DB_FILE}; collect a run first (phylo run) or pass --results`,
    );
  return new SqliteStore(file, { readonly: true });
}
