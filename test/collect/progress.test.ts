import { describe, expect, it } from 'vitest';
import { ProgressTracker, median } from '../../src/collect/progress.js';
import type { RunEvent } from '../../src/core/events.js';
import type { ModelRef, ProbeId } from '../../src/core/types.js';

const A = 'lab:a' as ModelRef;
const B = 'lab:b' as ModelRef;
const P = 'p1' as ProbeId;

function clock() {
  let t = 1_000;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('median', () => {
  it('takes the middle of odd and the mean of the two middles of even lengths', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe('ProgressTracker', () => {
  it('counts samples, errors by kind, tokens, cost and p50 latency per model', () => {
    const c = clock();
    const t = new ProgressTracker(c.now);
    const events: RunEvent[] = [
      { type: 'run-start', run: 'r', total: 6, cached: 0, models: [A, B], perModel: { [A]: 3, [B]: 3 } },
      { type: 'sample', model: A, probe: P, index: 0, status: 'ok', latencyMs: 100, tokens: 10, costUsd: 0.5 },
      { type: 'sample', model: A, probe: P, index: 1, status: 'ok', latencyMs: 300, tokens: 20, costUsd: 0.25 },
      {
        type: 'sample',
        model: A,
        probe: P,
        index: 2,
        status: 'error',
        kind: 'rate_limit',
        latencyMs: 50,
        tokens: 0,
        costUsd: 0,
      },
      { type: 'sample', model: B, probe: P, index: 0, status: 'cached', latencyMs: 0, tokens: 7, costUsd: 0 },
      {
        type: 'retry',
        model: B,
        probe: P,
        attempt: 1,
        kind: 'rate_limit',
        waitMs: 1200,
        message: 'slow down\u001b[31m',
      },
    ];
    for (const e of events) t.apply(e);
    const s = t.snapshot();
    expect(s.total).toBe(6);
    expect(s.done).toBe(4);
    expect(s.errors).toBe(1);
    expect(s.tokens).toBe(37);
    expect(s.costUsd).toBeCloseTo(0.75);
    const a = s.models.find((m) => m.model === A)!;
    expect(a.errors.rate_limit).toBe(1);
    expect(a.p50LatencyMs).toBe(200);
    expect(a.etaMs).toBe(0);
    const b = s.models.find((m) => m.model === B)!;
    expect(b.cached).toBe(1);
    // Only cached samples so far: no pace to estimate from.
    expect(b.etaMs).toBeUndefined();
    expect(s.log.some((l) => l.text.includes('retry 1') && !l.text.includes('\u001b'))).toBe(true);
  });

  it('counts a second run from zero when one tracker follows two runs in turn', () => {
    const t = new ProgressTracker(clock().now);
    const sample = (index: number): RunEvent => ({
      type: 'sample',
      model: A,
      probe: P,
      index,
      status: 'ok',
      latencyMs: 10,
      tokens: 1,
      costUsd: 0,
    });
    t.apply({ type: 'run-start', run: 'first', total: 2, cached: 0, models: [A], perModel: { [A]: 2 } });
    t.apply(sample(0));
    t.apply(sample(1));
    t.apply({ type: 'run-end', run: 'first', ok: 2, errors: 0, cancelled: false });
    t.apply({ type: 'run-start', run: 'second', total: 3, cached: 0, models: [A], perModel: { [A]: 3 } });
    t.apply(sample(0));
    const s = t.snapshot();
    expect(s.total).toBe(3);
    expect(s.done).toBe(1);
  });

  it('estimates the ETA from the pace of fresh samples and stops the clock while paused', () => {
    const c = clock();
    const t = new ProgressTracker(c.now);
    t.apply({ type: 'run-start', run: 'r', total: 10, cached: 0, models: [A], perModel: { [A]: 10 } });
    for (let i = 0; i < 4; i++) {
      c.advance(100);
      t.apply({ type: 'sample', model: A, probe: P, index: i, status: 'ok', latencyMs: 100, tokens: 1, costUsd: 0 });
    }
    const s1 = t.snapshot();
    // 4 samples in 400 ms, 6 to go: 600 ms.
    expect(s1.etaMs).toBeCloseTo(600, 0);
    expect(s1.elapsedMs).toBe(400);
    t.apply({ type: 'paused' });
    c.advance(5_000);
    const s2 = t.snapshot();
    expect(s2.phase).toBe('paused');
    expect(s2.elapsedMs).toBe(400);
    t.apply({ type: 'resumed' });
    t.apply({ type: 'run-end', run: 'r', ok: 4, errors: 0, cancelled: true });
    const s3 = t.snapshot();
    expect(s3.phase).toBe('cancelled');
    expect(s3.done).toBe(4);
  });
});
