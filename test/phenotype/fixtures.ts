// Small hand-made runs for phenotype and analysis tests.
import type { Answer, ModelRef, Probe, ProbeId, RunName, Sample } from '../../src/core/types.js';
import type { RunData } from '../../src/core/run.js';

export interface CellSpec {
  readonly model: string;
  readonly probe: string;
  readonly texts: readonly (string | { error: string })[];
}

/** A RunData from model/probe/texts cells; an `{ error }` entry is a failed sample. */
export function makeRun(cells: readonly CellSpec[], answers: Readonly<Record<string, Answer>> = {}): RunData {
  const models = [...new Set(cells.map((c) => c.model))] as ModelRef[];
  const probeIds = [...new Set(cells.map((c) => c.probe))];
  const probes: Probe[] = probeIds.map((id) => ({
    id: id as ProbeId,
    tags: [],
    prompt: { kind: 'chat', messages: [{ role: 'user', content: id }] },
    answer: answers[id],
  }));
  const run = 'test' as RunName;
  const samples: Sample[] = cells.flatMap((c) =>
    c.texts.map((t, index) => ({
      run,
      model: c.model as ModelRef,
      probe: c.probe as ProbeId,
      index,
      outcome:
        typeof t === 'string'
          ? {
              status: 'ok' as const,
              text: t,
              finishReason: 'stop',
              usage: { inputTokens: 1, outputTokens: 1 },
              temperatureUsed: 1,
            }
          : { status: 'error' as const, kind: 'server' as const, message: t.error },
      latencyMs: 1,
      attempts: 1,
      costUsd: 0,
      at: '2025-01-01T00:00:00.000Z',
    })),
  );
  return {
    run: {
      name: run,
      suite: {
        name: 'test',
        version: '1',
        description: 'test',
        defaults: { sampling: { temperature: 1, maxTokens: 64 }, samples: 1 },
        probes,
      },
      models,
      samples: 1,
      status: 'finished',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      origin: 'test',
    },
    samples,
  };
}
