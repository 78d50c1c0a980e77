// The `replay` provider: serves responses already in the store for `replay:MODEL`, from imported runs, matched by
// the probe's prompt text (not its id, so a run with another suite that asks the same thing gets the same answer).
// An imported run can then be re-analysed or re-collected offline through the ordinary collection path.
import fs from 'node:fs';
import path from 'node:path';
import { ProviderUnavailableError } from '../core/errors.js';
import { resultsDir } from '../core/options.js';
import { parseModelRef } from '../core/refs.js';
import type { ProviderContext } from '../providers/factory.js';
import type { Completion, ModelRef, RunName } from '../core/types.js';
import { ProviderCallError, type CallOptions, type CompletionRequest, type Provider } from '../providers/provider.js';
import type { RunStore } from './api.js';
import { promptText } from './cache-key.js';
import { DB_FILE, openStoreReadonly } from './sqlite.js';

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
    private readonly store: RunStore,
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
        if (!byIndex) index.set(text, (byIndex = new Map()));
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
    const text = request.kind === 'chat' ? request.messages.map((m) => m.content).join('\n\n') : request.prefix;
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

/** The registry's factory: a replay provider over the results folder's store. */
export function createReplayProvider(resultsDir: string, name = 'replay'): ReplayProvider {
  // Read-only: asking for replay must never create an empty store where there was none.
  if (!fs.existsSync(path.join(resultsDir, DB_FILE))) {
    throw new ProviderUnavailableError(
      name,
      `no store in ${resultsDir}; import responses first (phylo import) or pass --results`,
    );
  }
  return new ReplayProvider(openStoreReadonly(resultsDir), name);
}

/** The registry's factory for kind `replay` (src/providers/registry.ts): reads the results folder it is given. */
export function replayProviderFactory(context: ProviderContext): Provider {
  return createReplayProvider(context.resultsDir ?? resultsDir(undefined, context.env), context.profile.name);
}
