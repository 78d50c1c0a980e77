// The `replay` provider: serves responses already in the store for `replay:MODEL`, from imported runs, matched by
// the probe's prompt text (not its id, so a run with another suite that asks the same thing gets the same answer).
// An imported run can then be re-analysed or re-collected offline through the ordinary collection path.
import { promptText } from '../core/prompt.js';
import { parseModelRef } from '../core/refs.js';
import type { RunRecord } from '../core/run.js';
import type { Completion, ModelRef, RunName, Sample } from '../core/types.js';
import { ProviderCallError, type CallOptions, type CompletionRequest, type Provider } from './provider.js';

/**
 * Where the replay provider reads recorded runs: handed in by the entry point (the results folder's store satisfies
 * it), so that providers never open the store themselves.
 */
export interface RecordedRuns {
  listRuns(): readonly { readonly name: RunName }[];
  getRun(name: RunName): RunRecord;
  samplesOf(name: RunName, model?: ModelRef): Sample[];
}

interface StoredAnswer {
  readonly completion: Completion;
}

/** prompt text -> sample index -> answer, for one model. */
type ModelIndex = Map<string, Map<number, StoredAnswer>>;

export class ReplayProvider implements Provider {
  readonly kind = 'replay';
  readonly baseURL = '';
  readonly capabilities = {
    chat: true,
    rawCompletion: true,
    logprobs: false,
    seed: false,
    modelListing: true,
    embeddings: false,
  } as const;
  private readonly models = new Map<string, ModelIndex>();

  constructor(
    private readonly store: RecordedRuns,
    readonly name: string = 'replay',
  ) {}

  temperatureRule() {
    return { kind: 'any', max: 2 } as const;
  }

  price() {
    return { inputPerMTok: 0, outputPerMTok: 0 };
  }

  /** Runs that hold recorded answers: imports (a replayed collection would only copy them again). */
  private sourceRuns() {
    return this.store.listRuns().filter((r) => this.store.getRun(r.name).origin.startsWith('import:'));
  }

  async listModels(_options?: CallOptions): Promise<string[]> {
    const names = new Set<string>();
    for (const r of this.sourceRuns()) {
      for (const m of this.store.getRun(r.name).models) {
        const ref = parseModelRef(m);
        if (ref.prefix === 'replay') names.add(ref.model);
      }
    }
    return [...names].sort();
  }

  private indexOf(model: string): ModelIndex {
    let index = this.models.get(model);
    if (index) return index;
    index = new Map();
    const ref = `replay:${model}` as ModelRef;
    for (const r of this.sourceRuns()) {
      const run = this.store.getRun(r.name as RunName);
      if (!run.models.includes(ref)) continue;
      const prompts = new Map(run.suite.probes.map((p) => [String(p.id), promptText(p.prompt)]));
      for (const s of this.store.samplesOf(run.name, ref)) {
        if (s.outcome.status !== 'ok') continue;
        const text = prompts.get(s.probe);
        if (text === undefined) continue;
        let byIndex = index.get(text);
        if (!byIndex) {
          byIndex = new Map();
          index.set(text, byIndex);
        }
        // The first import that has this (prompt, index) wins; later imports of the same model do not overwrite it.
        if (!byIndex.has(s.index)) {
          const { status: _status, ...completion } = s.outcome;
          byIndex.set(s.index, { completion });
        }
      }
    }
    this.models.set(model, index);
    return index;
  }

  async complete(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    if (options.signal.aborted) throw new ProviderCallError('timeout', 'replay aborted');
    const index = this.indexOf(request.model);
    if (index.size === 0) {
      throw new ProviderCallError(
        'not_found',
        `no imported run has answers of replay:${request.model}; import one with phylo import`,
      );
    }
    const text = promptText(request);
    const byIndex = index.get(text);
    const sampleIndex = request.sampleIndex ?? 0;
    const hit = byIndex?.get(sampleIndex);
    if (!hit) {
      const why = byIndex
        ? `sample ${sampleIndex} of this prompt was not recorded (${byIndex.size} recorded)`
        : 'this prompt was not recorded';
      throw new ProviderCallError('bad_request', `replay:${request.model}: ${why}`);
    }
    return hit.completion;
  }
}
