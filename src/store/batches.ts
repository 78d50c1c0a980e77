// Vendor batches of a run (`phylo run --batch`): one row per batch (provider, the vendor's id, its state) and one per
// request (its custom id -> model, probe, sample index). The row is written BEFORE the vendor is asked, so a process
// killed at any point finds every batch it may have submitted: a live one is polled, never submitted again; one
// whose submit may not have arrived is looked up at the vendor (batch-collector.ts) before anything is resent.
import type Database from 'better-sqlite3';
import type { BatchState } from '../providers/batch.js';

export interface StoredBatch {
  readonly id: number;
  readonly run: string;
  readonly provider: string;
  /** The vendor's id; absent while `submitting`. */
  readonly vendorId?: string;
  /** Stored with the batch at the vendor where the API allows (OpenAI metadata), to find it again. */
  readonly tag: string;
  readonly state: BatchState;
  readonly requests: number;
  readonly succeeded: number;
  readonly errored: number;
  /** Its results are written into the run's samples (an ended batch that is not landed still has to be read). */
  readonly landed: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredBatchRequest {
  readonly customId: string;
  readonly model: string;
  readonly probe: string;
  readonly index: number;
}

interface BatchRow {
  id: number;
  run: string;
  provider: string;
  vendor_id: string | null;
  tag: string;
  state: BatchState;
  requests: number;
  succeeded: number;
  errored: number;
  landed: number;
  created_at: string;
  updated_at: string;
}

const toBatch = (r: BatchRow): StoredBatch => ({
  id: r.id,
  run: r.run,
  provider: r.provider,
  ...(r.vendor_id !== null ? { vendorId: r.vendor_id } : {}),
  tag: r.tag,
  state: r.state,
  requests: r.requests,
  succeeded: r.succeeded,
  errored: r.errored,
  landed: r.landed === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class RunBatches {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO batches (run, provider, tag, state, requests, created_at, updated_at)
         VALUES (?, ?, ?, 'submitting', ?, ?, ?)`,
      ),
      insertRequest: db.prepare(
        'INSERT INTO batch_requests (batch_id, custom_id, model, probe, idx) VALUES (?, ?, ?, ?, ?)',
      ),
      ofRun: db.prepare<[string], BatchRow>('SELECT * FROM batches WHERE run = ? ORDER BY id'),
      one: db.prepare<[number], BatchRow>('SELECT * FROM batches WHERE id = ?'),
      requests: db.prepare<[number], { custom_id: string; model: string; probe: string; idx: number }>(
        'SELECT custom_id, model, probe, idx FROM batch_requests WHERE batch_id = ? ORDER BY rowid',
      ),
      submitted: db.prepare('UPDATE batches SET vendor_id = ?, state = ?, updated_at = ? WHERE id = ?'),
      progress: db.prepare(
        'UPDATE batches SET state = ?, succeeded = ?, errored = ?, updated_at = ? WHERE id = ? AND landed = 0',
      ),
      landed: db.prepare('UPDATE batches SET landed = 1, updated_at = ? WHERE id = ?'),
      forget: db.prepare('DELETE FROM batches WHERE id = ?'),
      vendorIds: db.prepare<[], string>('SELECT vendor_id FROM batches WHERE vendor_id IS NOT NULL').pluck(),
    };
  }

  /**
   * Record a batch about to be submitted, with the cell of every request, in one transaction; its state is
   * `submitting` until `submitted` gives it the vendor's id.
   */
  create(run: string, provider: string, tag: string, requests: readonly StoredBatchRequest[]): StoredBatch {
    const now = new Date().toISOString();
    const id = this.db.transaction(() => {
      const { lastInsertRowid } = this.stmt.insert.run(run, provider, tag, requests.length, now, now);
      const batchId = Number(lastInsertRowid);
      for (const r of requests) this.stmt.insertRequest.run(batchId, r.customId, r.model, r.probe, r.index);
      return batchId;
    })();
    return this.get(id);
  }

  get(id: number): StoredBatch {
    const row = this.stmt.one.get(id);
    if (!row) throw new Error(`no batch ${id} in the store`);
    return toBatch(row);
  }

  ofRun(run: string): StoredBatch[] {
    return this.stmt.ofRun.all(run).map(toBatch);
  }

  requests(id: number): StoredBatchRequest[] {
    return this.stmt.requests
      .all(id)
      .map((r) => ({ customId: r.custom_id, model: r.model, probe: r.probe, index: r.idx }));
  }

  submitted(id: number, vendorId: string, state: BatchState): void {
    this.stmt.submitted.run(vendorId, state, new Date().toISOString(), id);
  }

  progress(id: number, state: BatchState, succeeded: number, errored: number): void {
    this.stmt.progress.run(state, succeeded, errored, new Date().toISOString(), id);
  }

  /** Mark a batch landed; call inside the transaction that writes its samples, so both happen or neither. */
  landed(id: number): void {
    this.stmt.landed.run(new Date().toISOString(), id);
  }

  /** Drop a batch the vendor never received (its requests are free to go into another). */
  forget(id: number): void {
    this.stmt.forget.run(id);
  }

  /** Every vendor id this store knows (to tell our unrecorded batch from another run's). */
  vendorIds(): Set<string> {
    return new Set(this.stmt.vendorIds.all());
  }
}
