// The SQLite schema of a results folder's `phylo.db`. Bump SCHEMA_VERSION and add a step to MIGRATIONS when it
// changes; a database newer than this code is refused rather than misread.

export const SCHEMA_VERSION = 7;

/**
 * A trigger that deletes an answer text once no sample and no cache entry points at it any more (schema 7): after a
 * row pointing at it is deleted, or is pointed at another text.
 */
function releaseAnswerTrigger(name: string, event: string, onUpdate: boolean): string {
  const when = onUpdate
    ? 'old.answer_id IS NOT NULL AND old.answer_id IS NOT new.answer_id'
    : 'old.answer_id IS NOT NULL';
  return `CREATE TRIGGER ${name} ${event} WHEN ${when}
    BEGIN
      DELETE FROM answers WHERE id = old.answer_id
        AND NOT EXISTS (SELECT 1 FROM samples WHERE answer_id = old.answer_id)
        AND NOT EXISTS (SELECT 1 FROM cache WHERE answer_id = old.answer_id);
    END;`;
}

export const MIGRATIONS: readonly string[] = [
  // 0 -> 1
  `
  CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    suite_name  TEXT NOT NULL,
    suite       TEXT NOT NULL,            -- the Suite as JSON, so a run is re-analysable without the probes folder
    models      TEXT NOT NULL,            -- JSON array of model refs, in the run's order
    samples     INTEGER NOT NULL,         -- default samples per probe
    sampling    TEXT NOT NULL DEFAULT '{}', -- run-level sampling overrides (CLI flags) as JSON
    status      TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
    origin      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );
  CREATE TABLE samples (
    run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    model           TEXT NOT NULL,
    probe           TEXT NOT NULL,
    idx             INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    text            TEXT,
    finish_reason   TEXT,
    error_kind      TEXT,
    error_message   TEXT,
    input_tokens    INTEGER NOT NULL DEFAULT 0,
    output_tokens   INTEGER NOT NULL DEFAULT 0,
    latency_ms      REAL NOT NULL DEFAULT 0,
    cost_usd        REAL NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    logprobs        TEXT,                 -- JSON array of TokenLogprob
    temperature_used REAL,
    served_model    TEXT,
    note            TEXT,
    cached          INTEGER NOT NULL DEFAULT 0,
    at              TEXT NOT NULL,
    UNIQUE (run_id, model, probe, idx)
  );
  CREATE TABLE cache (
    key         TEXT PRIMARY KEY,         -- SHA-256 of the canonical request (cache-key.ts); never a secret
    completion  TEXT NOT NULL,            -- the Completion as JSON; only successes are cached
    created_at  TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 1 -> 2: provider embeddings of response texts (src/collect/embeddings.ts), cached like samples.
  `
  CREATE TABLE embeddings (
    key         TEXT PRIMARY KEY,         -- SHA-256 of (provider kind, base URL, model, text); never a secret
    dim         INTEGER NOT NULL,
    vector      BLOB NOT NULL,            -- dim little-endian float32 values (the precision the APIs serve)
    created_at  TEXT NOT NULL
  );                                    -- a rowid table: WITHOUT ROWID suits small rows, and a vector is kilobytes
  `,
  // 2 -> 3: provenance of each sample (issue 16): its seed, when it was collected, what the endpoint said it was.
  // Older databases opened read-only lack these columns; rows.ts reads them as absent.
  `
  ALTER TABLE samples ADD COLUMN seed INTEGER;          -- the per-sample seed sent (derived from the run's seed)
  ALTER TABLE samples ADD COLUMN collected_at TEXT;     -- when the answer was produced (a cached one: its cache time)
  ALTER TABLE samples ADD COLUMN fingerprint TEXT;      -- system_fingerprint, Ollama digest or lab zoo fingerprint
  ALTER TABLE samples ADD COLUMN base_url TEXT;         -- the provider's base URL, credentials and query stripped
  ALTER TABLE samples ADD COLUMN client TEXT;           -- the client library and version that asked
  `,
  // 3 -> 4: who is collecting a run (issue 15): one process holds a run's lease, so two `phylo run --name X` at once
  // cannot both request its samples. A lease whose holder is gone (pid dead on this host, or no heartbeat) is stolen.
  `
  CREATE TABLE run_leases (
    run          TEXT PRIMARY KEY,        -- the run name (a lease may precede the run row)
    pid          INTEGER NOT NULL,
    host         TEXT NOT NULL,
    token        TEXT NOT NULL,           -- random per holder: a pid reused after a crash is not the same holder
    acquired_at  TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL            -- refreshed every few seconds while the holder lives
  ) WITHOUT ROWID;
  `,
  // 4 -> 5: vendor batches (issue 13, `phylo run --batch`): each batch, written before it is submitted, and which
  // (model, probe, sample) each of its requests is, so a killed process polls what it submitted instead of resending.
  `
  CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    run         TEXT NOT NULL,            -- the run name
    provider    TEXT NOT NULL,            -- the model-ref prefix (profile) whose batch API took it
    vendor_id   TEXT,                     -- NULL until the vendor has answered the submit
    tag         TEXT NOT NULL,            -- stored at the vendor with the batch where it can be, to find it again
    state       TEXT NOT NULL,            -- submitting, validating, in_progress, finalizing, cancelling, completed...
    requests    INTEGER NOT NULL,
    succeeded   INTEGER NOT NULL DEFAULT 0,
    errored     INTEGER NOT NULL DEFAULT 0,
    landed      INTEGER NOT NULL DEFAULT 0, -- 1 once its results are written into the run's samples
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );
  CREATE INDEX batches_by_run ON batches (run);
  CREATE TABLE batch_requests (
    batch_id    INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    custom_id   TEXT NOT NULL,
    model       TEXT NOT NULL,
    probe       TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    PRIMARY KEY (batch_id, custom_id)
  );
  `,
  // 5 -> 6: active probing (issue 12, `phylo run --adaptive --budget N`): how the budget was split (pilot, follow-up)
  // and every candidate probe's pilot score, so the choice is re-readable and re-analysable with the run.
  `
  ALTER TABLE runs ADD COLUMN adaptive TEXT;          -- the adaptive plan as JSON (budget, pilot, divergence, seed)
  CREATE TABLE probe_scores (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    probe       TEXT NOT NULL,
    between_models REAL NOT NULL,         -- mean divergence of two answers from different models
    within_model REAL,                    -- mean divergence of two answers of one model; NULL when never repeated
    f           REAL NOT NULL,            -- between / max(within, floor): the separation a query of it buys
    chosen      INTEGER NOT NULL,         -- 1 when the follow-up samples went to it
    PRIMARY KEY (run_id, probe)
  ) WITHOUT ROWID;
  `,
  // 6 -> 7: each answer stored once (issue 15). Texts move from samples.text and the cache's completion JSON into a
  // content-addressed table that both point at (answers.ts); identical answers share a row. A text is deleted when
  // the last row pointing at it goes (the triggers), so replaced answers and deleted runs leave no orphan.
  // sha256() is registered on the connection before migrating (migrate.ts). Older databases opened read-only keep
  // their texts inline and are read as they are (rows.ts).
  `
  CREATE TABLE answers (
    id          INTEGER PRIMARY KEY,
    hash        BLOB NOT NULL UNIQUE,     -- SHA-256 of the text's UTF-8 bytes
    text        TEXT NOT NULL
  );                                    -- a rowid table: an answer can be a megabyte, and only the hash is indexed
  INSERT OR IGNORE INTO answers (hash, text) SELECT sha256(text), text FROM samples WHERE text IS NOT NULL;
  INSERT OR IGNORE INTO answers (hash, text)
    SELECT sha256(completion ->> '$.text'), completion ->> '$.text' FROM cache
    WHERE json_type(completion, '$.text') = 'text';
  ALTER TABLE samples ADD COLUMN answer_id INTEGER REFERENCES answers(id);  -- NULL for an error
  UPDATE samples SET answer_id = (SELECT id FROM answers WHERE hash = sha256(samples.text)) WHERE text IS NOT NULL;
  ALTER TABLE samples DROP COLUMN text;
  ALTER TABLE cache ADD COLUMN answer_id INTEGER REFERENCES answers(id);    -- the completion JSON keeps the rest
  UPDATE cache SET answer_id = (SELECT id FROM answers WHERE hash = sha256(cache.completion ->> '$.text')),
    completion = json_remove(completion, '$.text')
    WHERE json_type(completion, '$.text') = 'text';
  CREATE INDEX samples_by_answer ON samples (answer_id) WHERE answer_id IS NOT NULL;
  CREATE INDEX cache_by_answer ON cache (answer_id) WHERE answer_id IS NOT NULL;
  ${releaseAnswerTrigger('samples_answer_replaced', 'AFTER UPDATE OF answer_id ON samples', true)}
  ${releaseAnswerTrigger('samples_answer_deleted', 'AFTER DELETE ON samples', false)}
  ${releaseAnswerTrigger('cache_answer_replaced', 'AFTER UPDATE OF answer_id ON cache', true)}
  ${releaseAnswerTrigger('cache_answer_deleted', 'AFTER DELETE ON cache', false)}
  `,
];
