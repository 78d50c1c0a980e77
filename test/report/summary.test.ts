// The summary figures of a run: counts, errors by kind, tokens, cost, latency percentiles (nearest rank), dates.
import { describe, expect, it } from 'vitest';
import type { RunData } from '../../src/core/run.js';
import type { FailureKind, ModelRef, ProbeId, RunName, Sample } from '../../src/core/types.js';
import { quantile, runSummary } from '../../src/report/summary.js';

const run = 'r' as RunName;

function ok(model: string, probe: string, latencyMs: number, at: string): Sample {
  return {
    run,
    model: model as ModelRef,
    probe: probe as ProbeId,
    index: 0,
    outcome: {
      status: 'ok',
      text: 'x',
      finishReason: 'stop',
      usage: { inputTokens: 10, outputTokens: 5 },
      temperatureUsed: 0,
    },
    latencyMs,
    attempts: 1,
    costUsd: 0.001,
    at,
  };
}

function failed(model: string, probe: string, kind: FailureKind, at: string): Sample {
  return {
    run,
    model: model as ModelRef,
    probe: probe as ProbeId,
    index: 0,
    outcome: { status: 'error', kind, message: 'no' },
    latencyMs: 0,
    attempts: 3,
    costUsd: 0,
    at,
  };
}

describe('runSummary', () => {
  it('counts what was asked and what came back', () => {
    const samples = [
      ...Array.from({ length: 10 }, (_, i) => ok('p:a', `q${i}`, (i + 1) * 100, `2025-01-0${1 + (i % 3)}T00:00:00Z`)),
      ok('p:b', 'q0', 0, '2025-01-05T00:00:00Z'),
      failed('p:b', 'q1', 'rate_limit', '2025-01-04T00:00:00Z'),
      failed('p:b', 'q2', 'rate_limit', '2025-01-04T00:00:00Z'),
      failed('p:c', 'q1', 'auth', '2025-01-04T00:00:00Z'),
    ];
    const data: RunData = {
      run: {
        name: run,
        suite: {
          name: 'core',
          version: '3',
          description: '',
          defaults: { sampling: { temperature: 0, maxTokens: 10 }, samples: 1 },
          probes: Array.from({ length: 10 }, (_, i) => ({
            id: `q${i}` as ProbeId,
            tags: [],
            prompt: { kind: 'prefix', prefix: 'x' },
          })),
        },
        models: ['p:a', 'p:b', 'p:c'] as ModelRef[],
        samples: 1,
        status: 'interrupted',
        createdAt: '2025-01-01T00:00:00Z',
        updatedAt: '2025-01-05T00:00:00Z',
        origin: 'run',
      },
      samples,
    };
    const s = runSummary(data);
    expect(s).toMatchObject({
      run: 'r',
      suite: 'core',
      suiteVersion: '3',
      status: 'interrupted',
      models: 3,
      answeringModels: 2,
      probes: 10,
      samples: 14,
      ok: 11,
      errorsByKind: [
        { kind: 'rate_limit', count: 2 },
        { kind: 'auth', count: 1 },
      ],
      inputTokens: 110,
      outputTokens: 55,
      firstSample: '2025-01-01T00:00:00Z',
      lastSample: '2025-01-05T00:00:00Z',
    });
    expect(s.costUsd).toBeCloseTo(0.011, 12);
    // Latencies 100..1000 (the import with 0 ms is not a measurement): nearest-rank percentiles.
    expect(s.latencyMs).toEqual({ p50: 500, p90: 900, p99: 1000, max: 1000 });
  });

  it('says nothing about latency when no sample measured one', () => {
    const s = runSummary({
      run: {
        name: run,
        suite: {
          name: 's',
          version: '1',
          description: '',
          defaults: { sampling: { temperature: 0, maxTokens: 1 }, samples: 1 },
          probes: [],
        },
        models: [],
        samples: 1,
        status: 'running',
        createdAt: 'c',
        updatedAt: 'u',
        origin: 'import:jsonl',
      },
      samples: [],
    });
    expect(s.latencyMs).toBeUndefined();
    expect(s.firstSample).toBeUndefined();
    expect(s.samples).toBe(0);
  });
});

describe('quantile', () => {
  it('takes the nearest rank', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.51)).toBe(3);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
