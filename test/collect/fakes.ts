// In-test doubles: a Provider whose behaviour each test scripts, a clock that never really waits, a tiny suite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Completion, ModelRef, Probe, ProbeId, RunName, RunSpec, Suite } from '../../src/core/types.js';
import type { CompletionRequest, CallOptions, Provider } from '../../src/providers/provider.js';
import type { Clock } from '../../src/collect/clock.js';

export interface FakeCall {
  readonly model: string;
  readonly prompt: string;
  readonly index: number | undefined;
}

export type Script = (call: FakeCall, n: number, options: CallOptions) => Promise<Completion> | Completion;

export class FakeProvider implements Provider {
  readonly kind = 'fake';
  readonly baseURL = 'http://fake.invalid/v1';
  readonly capabilities = {
    chat: true,
    rawCompletion: false,
    logprobs: false,
    seed: false,
    modelListing: false,
    embeddings: false,
  };
  readonly calls: FakeCall[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly name: string,
    private readonly script: Script = (call) => answer(`${call.model} says ${call.prompt}`),
  ) {}

  temperatureRule() {
    return { kind: 'any', max: 2 } as const;
  }

  async complete(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    const prompt = request.kind === 'chat' ? request.messages.map((m) => m.content).join('\n') : request.prefix;
    const call = { model: request.model, prompt, index: (request as { sampleIndex?: number }).sampleIndex };
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Let other requests start, so concurrency is real.
      await new Promise((r) => setImmediate(r));
      return await this.script(call, this.calls.length, options);
    } finally {
      this.inFlight--;
    }
  }

  async listModels(): Promise<string[]> {
    return [];
  }

  price() {
    return { inputPerMTok: 1, outputPerMTok: 2 };
  }
}

export function answer(text: string): Completion {
  return { text, finishReason: 'stop', usage: { inputTokens: 10, outputTokens: text.length }, temperatureUsed: 0.7 };
}

export class FakeClock implements Clock {
  t = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t++;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.t += ms;
  }
}

export function suiteOf(n: number, name = 'fake-suite'): Suite {
  const probes: Probe[] = [];
  for (let i = 0; i < n; i++) {
    probes.push({
      id: `p${i}` as ProbeId,
      tags: ['t'],
      prompt: { kind: 'chat', messages: [{ role: 'user', content: `question ${i}` }] },
    });
  }
  return {
    name,
    version: '1',
    description: 'test suite',
    defaults: { sampling: { temperature: 0.7, maxTokens: 64 }, samples: 1 },
    probes,
  };
}

export function specOf(name: string, suite: Suite, models: string[], samples = 1): RunSpec {
  return { name: name as RunName, suite, models: models as ModelRef[], samples };
}

export function tempDir(prefix = 'phylo-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
