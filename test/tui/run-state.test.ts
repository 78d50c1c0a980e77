// The run screen's logic without ink: keys in, actions out in each phase of a run; a `--batch` run's batches in,
// the lines the screen draws out (provider, state, succeeded/errored/requests, age; live first; vendor text made
// safe for the terminal).
import { describe, expect, it } from 'vitest';
import { type BatchProgress, ProgressTracker } from '../../src/collect/progress.js';
import type { ModelRef } from '../../src/core/types.js';
import { batchLines, runKeyAction } from '../../src/tui/hooks/run-state.js';
import { press } from './key-presses.js';

const A = 'openai:gpt-4o-mini' as ModelRef;

function snapshotIn(phase: 'running' | 'paused' | 'finished' | 'cancelled') {
  const tracker = new ProgressTracker(() => 0);
  tracker.apply({ type: 'run-start', run: 'r', total: 2, cached: 0, models: [A], perModel: { [A]: 2 } });
  if (phase === 'paused') tracker.apply({ type: 'paused' });
  if (phase === 'finished' || phase === 'cancelled')
    tracker.apply({ type: 'run-end', run: 'r', ok: 0, errors: 0, cancelled: phase === 'cancelled' });
  return tracker.snapshot();
}

const keys = (phase: Parameters<typeof snapshotIn>[0]) =>
  ['p', 'x', 'enter', 'escape', 'q'].map((k) => runKeyAction(snapshotIn(phase), ...press(k)));

describe('runKeyAction', () => {
  it('pauses, resumes and cancels while the run collects; opens the results or goes home once it is over', () => {
    expect(keys('running')).toEqual(['pause', 'cancel', undefined, undefined, undefined]);
    expect(keys('paused')).toEqual(['resume', 'cancel', undefined, undefined, undefined]);
    expect(keys('finished')).toEqual([undefined, undefined, 'results', 'home', undefined]);
    expect(keys('cancelled')).toEqual([undefined, undefined, 'results', 'home', undefined]);
    expect(runKeyAction(undefined, ...press('p'))).toBeUndefined();
  });
});

const NOW = Date.parse('2026-03-01T12:00:00Z');
const batch = (b: Partial<BatchProgress> & Pick<BatchProgress, 'batch' | 'state'>): BatchProgress => ({
  provider: 'openai',
  requests: 400,
  succeeded: 0,
  errored: 0,
  landed: false,
  createdAt: new Date(NOW - 65_000).toISOString(),
  ...b,
});

describe('batchLines', () => {
  it('gives one line per batch: provider, state, succeeded/errored/requests and age since it was stored', () => {
    const r = batchLines(
      [
        batch({ batch: 'batch_a', state: 'in_progress', succeeded: 120, errored: 3 }),
        batch({ batch: 'msgbatch_b', provider: 'anthropic', state: 'validating', requests: 10, createdAt: undefined }),
      ],
      NOW,
    );
    expect(r.lines).toEqual([
      { provider: 'openai', batch: 'batch_a', state: 'in_progress', tone: 'live', counts: '120/3/400', age: '1m05s' },
      { provider: 'anthropic', batch: 'msgbatch_b', state: 'validating', tone: 'live', counts: '0/0/10', age: '--' },
    ]);
    expect(r.summary).toBe('2 batches: 2 live, 0 landed');
    expect(r.hidden).toBe(0);
    expect(batchLines([], NOW)).toEqual({ summary: '', lines: [], hidden: 0 });
  });

  it('puts live batches first in submit order, then landed and ended ones newest first, and cuts to fit', () => {
    const all = [
      batch({ batch: 'b1', state: 'completed', succeeded: 400, landed: true }),
      batch({ batch: 'b2', state: 'expired', succeeded: 200, landed: true }),
      batch({ batch: 'b3', state: 'finalizing', succeeded: 399, errored: 1 }),
      batch({ batch: 'b4', state: 'failed' }),
      batch({ batch: '#5', state: 'submitting' }),
    ];
    const r = batchLines(all, NOW);
    expect(r.lines.map((l) => `${l.batch} ${l.state} ${l.tone}`)).toEqual([
      'b3 finalizing live',
      '#5 submitting live',
      'b4 failed failed',
      'b2 expired, landed failed',
      'b1 completed, landed landed',
    ]);
    expect(r.summary).toBe('5 batches: 2 live, 2 landed, 1 ended unlanded');
    const cut = batchLines(all, NOW, 3);
    expect(cut.lines.map((l) => l.batch)).toEqual(['b3', '#5', 'b4']);
    expect(cut.hidden).toBe(2);
  });

  it('strips control sequences from what the vendor sent before it reaches the terminal', () => {
    const [line] = batchLines(
      [batch({ batch: 'batch_\u001b]0;owned\u0007x', state: 'in_\u001b[2Jprogress' })],
      NOW,
    ).lines;
    expect(line!.batch).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line!.state).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
