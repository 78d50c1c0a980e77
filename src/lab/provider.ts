// The `lab` provider: zoo models served in process through the Provider interface. Prefix probes continue the raw
// text; chat probes are the messages' text joined as a prefix (lab models have no chat template).
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { fnv1a } from './recipe.js';
import type { ChatMessage, Completion } from '../core/types.js';
import {
  ProviderCallError,
  type CallOptions,
  type Capabilities,
  type CompletionRequest,
  type Provider,
} from '../providers/provider.js';
import { loadCheckpoint } from './checkpoint.js';
import { Decoder, generate, sampleSeed } from './decode.js';
import type { Model } from './model.js';
import { listZoo } from './zoo.js';

/** The zoo shipped with the package (lab/zoo beside src/ and dist/). */
export function defaultZooDir(): string {
  return fileURLToPath(new URL('../../lab/zoo', import.meta.url));
}

/** The zoo a process uses: PHYLO_LAB_ZOO, else the shipped one. */
export function zooDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.PHYLO_LAB_ZOO ? path.resolve(env.PHYLO_LAB_ZOO) : defaultZooDir();
}

/**
 * A fingerprint of a zoo's checkpoints (their recipe fingerprints, read from the safetensors headers), so that the
 * response cache, keyed on the provider's base URL, never serves answers of a zoo that was retrained in place.
 */
export function zooFingerprint(dir: string): string {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.safetensors'))
      .sort();
  } catch {
    return 'missing';
  }
  const parts: string[] = [];
  for (const f of files) {
    const fd = openSync(path.join(dir, f), 'r');
    try {
      const head = Buffer.alloc(8);
      readSync(fd, head, 0, 8, 0);
      const n = Number(head.readBigUInt64LE(0));
      if (n <= 0 || n > 1_000_000) continue;
      const json = Buffer.alloc(n);
      readSync(fd, json, 0, n, 8);
      const meta = (JSON.parse(json.toString('utf8')) as { __metadata__?: { name?: string; fingerprint?: string } })
        .__metadata__;
      parts.push(`${meta?.name ?? f}=${meta?.fingerprint ?? ''}`);
    } catch {
      parts.push(`${f}=?`);
    } finally {
      closeSync(fd);
    }
  }
  return fnv1a(parts.join(',')).toString(16).padStart(8, '0');
}

export const LAB_CAPABILITIES: Capabilities = {
  chat: true,
  rawCompletion: true,
  logprobs: true,
  seed: true,
  modelListing: true,
  embeddings: false,
};

/** Chat as a prefix: the messages' contents, one paragraph each, then a paragraph break for the reply. */
export function chatPrefix(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => m.content.trim()).join('\n\n')}\n\n`;
}

/** Loads zoo checkpoints on first use and keeps them (a lab model is a few hundred kilobytes). */
export class ZooModels {
  private readonly loaded = new Map<string, Promise<{ model: Model; decoder: Decoder }>>();
  private names: Promise<Map<string, string>> | undefined;

  constructor(readonly dir: string) {}

  async list(): Promise<string[]> {
    return [...(await this.files()).keys()];
  }

  private files(): Promise<Map<string, string>> {
    this.names ??= listZoo(this.dir).then((zoo) => new Map([...zoo].map(([name, z]) => [name, z.file])));
    return this.names;
  }

  async get(name: string): Promise<{ model: Model; decoder: Decoder }> {
    let hit = this.loaded.get(name);
    if (!hit) {
      hit = this.files().then(async (files) => {
        const file = files.get(name);
        if (!file)
          throw new ProviderCallError(
            'not_found',
            `lab model ${name} is not in the zoo ${this.dir} (models: ${[...files.keys()].join(', ')})`,
            undefined,
            404,
          );
        const { model } = await loadCheckpoint(file);
        return { model, decoder: new Decoder(model) };
      });
      hit.catch(() => this.loaded.delete(name));
      this.loaded.set(name, hit);
    }
    return hit;
  }
}

export interface LabCompletionInput {
  readonly prefix: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly seed?: number;
  readonly logprobs?: boolean;
  readonly topLogprobs?: number;
  readonly stop?: readonly string[];
}

/** One generation by a zoo model; yields to the event loop first so that servers stay responsive between requests. */
export async function labComplete(zoo: ZooModels, name: string, input: LabCompletionInput, signal?: AbortSignal) {
  const { model, decoder } = await zoo.get(name);
  await new Promise((r) => setImmediate(r));
  if (signal?.aborted) throw new ProviderCallError('connection', `lab:${name}: cancelled`);
  return generate(
    model,
    input.prefix,
    {
      maxTokens: input.maxTokens,
      temperature: input.temperature,
      ...(input.topP !== undefined ? { topP: input.topP } : {}),
      ...(input.topK !== undefined ? { topK: input.topK } : {}),
      ...(input.seed !== undefined ? { seed: input.seed } : {}),
      ...(input.logprobs ? { logprobs: true, topLogprobs: input.topLogprobs ?? 0 } : {}),
      ...(input.stop ? { stop: input.stop } : {}),
    },
    decoder,
  );
}

export function createLabProvider(options: { zooDir?: string; name?: string } = {}): Provider {
  const dir = options.zooDir ?? zooDirFrom();
  const zoo = new ZooModels(dir);
  const name = options.name ?? 'lab';
  const fingerprint = `zoo-${zooFingerprint(dir)}`;
  return {
    name,
    kind: 'lab',
    // In process, no URL; the zoo's fingerprint stands in for it in cache keys.
    baseURL: `lab://${fingerprint}`,
    capabilities: LAB_CAPABILITIES,
    temperatureRule: () => ({ kind: 'any', max: 2 }),
    async complete(request: CompletionRequest, options: CallOptions): Promise<Completion> {
      const s = request.sampling;
      const prefix = request.kind === 'chat' ? chatPrefix(request.messages) : request.prefix;
      const g = await labComplete(
        zoo,
        request.model,
        {
          prefix,
          maxTokens: s.maxTokens,
          temperature: s.temperature,
          ...(s.topP !== undefined ? { topP: s.topP } : {}),
          // An explicit seed is honoured as given (as `phylo lab serve` does); without one the sample is still seeded,
          // from (model, prompt, sample index), so that the same request draws the same sample.
          seed: s.seed ?? sampleSeed(0, request.model, prefix, request.sampleIndex ?? 0),
          ...(s.topLogprobs !== undefined ? { logprobs: true, topLogprobs: s.topLogprobs } : {}),
        },
        options.signal,
      );
      return {
        text: g.text,
        finishReason: g.finishReason,
        usage: { inputTokens: g.promptTokens, outputTokens: g.completionTokens },
        ...(g.logprobs ? { logprobs: g.logprobs } : {}),
        temperatureUsed: s.temperature,
        servedModel: request.model,
        fingerprint,
        client: 'llm-phylo lab',
      };
    },
    listModels: () => zoo.list(),
    price: () => ({ inputPerMTok: 0, outputPerMTok: 0 }),
  };
}

/**
 * The registry's factory for kind `lab`: the zoo is the profile's file:// baseURL, else PHYLO_LAB_ZOO, else the
 * shipped one.
 */
export function labProviderFactory(context: {
  readonly profile: { readonly name: string; readonly baseURL?: string };
  readonly env: NodeJS.ProcessEnv;
}): Provider {
  const url = context.profile.baseURL;
  const zooDir = url?.startsWith('file:') ? fileURLToPath(url) : zooDirFrom(context.env);
  return createLabProvider({ zooDir, name: context.profile.name });
}
