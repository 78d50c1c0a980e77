// Active probing's record of a run (`phylo run --adaptive --budget N`, schema 6): the plan (runs.adaptive, JSON) and
// every candidate probe's pilot score (probe_scores). The scores and the plan's choice are written in one transaction
// once the pilot is scored, so a resumed run reads its choice back instead of scoring again.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { InputError } from '../core/errors.js';

const count = z.number().int().min(0);

const AdaptivePlanSchema = z.object({
  /** Queries per model: every sample of the run, answered by the provider or the cache. */
  budget: z.number().int().min(1),
  pilotSamples: z.number().int().min(1),
  /** Samples of a chosen probe in all (pilot included). */
  samples: z.number().int().min(1),
  candidates: count,
  pilotQueries: count,
  /** Probes the follow-up goes to, and how many more samples each gets. */
  selected: count,
  followUpSamples: count,
  seed: z.number().int().min(0).optional(),
  /** How two pilot observations were compared; set when the pilot is scored. */
  divergence: z.string().min(1).optional(),
  /** Probes chosen (the `selected` best, fewer when fewer candidates were scored); set with divergence. */
  chosen: count.optional(),
});

export type AdaptivePlanRecord = z.output<typeof AdaptivePlanSchema>;

export interface StoredProbeScore {
  readonly probe: string;
  /** Mean divergence of two answers from different models. */
  readonly between: number;
  /** Mean divergence of two answers of one model; absent when no model answered it twice. */
  readonly within?: number;
  readonly f: number;
  /** The follow-up samples went to it. */
  readonly chosen: boolean;
}

interface ScoreRow {
  probe: string;
  between_models: number;
  within_model: number | null;
  f: number;
  chosen: number;
}

/** The adaptive plans and pilot scores of one store's runs (SqliteStore.probeScores()). */
export class RunProbeScores {
  /** A database older than schema 6 opened read-only has neither the column nor the table: nothing is adaptive. */
  private readonly present: boolean;

  constructor(private readonly db: Database.Database) {
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(runs)').all();
    this.present = columns.some((c) => c.name === 'adaptive');
  }

  /** The run's adaptive plan, or undefined for a run collected without --adaptive. */
  plan(run: string): AdaptivePlanRecord | undefined {
    if (!this.present) return undefined;
    const row = this.db.prepare<[string], { adaptive: string | null }>('SELECT adaptive FROM runs WHERE name = ?');
    const text = row.get(run)?.adaptive;
    if (text === null || text === undefined) return undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = AdaptivePlanSchema.safeParse(raw);
    if (!parsed.success) throw new InputError(`run "${run}": its stored adaptive plan is not readable (runs.adaptive)`);
    return parsed.data;
  }

  /** Store the run's plan (the run must exist). */
  setPlan(run: string, plan: AdaptivePlanRecord): void {
    const changed = this.db
      .prepare('UPDATE runs SET adaptive = ? WHERE name = ?')
      .run(JSON.stringify(AdaptivePlanSchema.parse(plan)), run).changes;
    if (changed !== 1) throw new InputError(`run "${run}" not found; list runs with: phylo runs`);
  }

  /** Every candidate's score, best first (descending F, ties by probe id: the order the choice was made in). */
  scores(run: string): StoredProbeScore[] {
    if (!this.present) return [];
    return this.db
      .prepare<[string], ScoreRow>(
        `SELECT s.probe, s.between_models, s.within_model, s.f, s.chosen FROM probe_scores s
         JOIN runs r ON r.id = s.run_id WHERE r.name = ? ORDER BY s.f DESC, s.probe`,
      )
      .all(run)
      .map((r) => ({
        probe: r.probe,
        between: r.between_models,
        ...(r.within_model !== null ? { within: r.within_model } : {}),
        f: r.f,
        chosen: r.chosen === 1,
      }));
  }

  /** The pilot's scores and the plan that records its choice, together or not at all (replacing earlier scores). */
  recordPilot(run: string, plan: AdaptivePlanRecord, scores: readonly StoredProbeScore[]): void {
    const insert = this.db.prepare(
      `INSERT INTO probe_scores (run_id, probe, between_models, within_model, f, chosen)
       VALUES ((SELECT id FROM runs WHERE name = @run), @probe, @between, @within, @f, @chosen)`,
    );
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM probe_scores WHERE run_id = (SELECT id FROM runs WHERE name = ?)').run(run);
        for (const s of scores)
          insert.run({
            run,
            probe: s.probe,
            between: s.between,
            within: s.within ?? null,
            f: s.f,
            chosen: s.chosen ? 1 : 0,
          });
        this.setPlan(run, plan);
      })
      .immediate();
  }
}
