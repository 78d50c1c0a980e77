import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { RunScreen, errorSummary } from '../../src/tui/screens/run.js';
import { ProgressTracker } from '../../src/collect/progress.js';
import type { ModelRef, ProbeId } from '../../src/core/types.js';
import { KEYS, tick } from './helpers.js';

afterEach(cleanup);

const A = 'lab:base' as ModelRef;
const B = 'openai:gpt-4o-mini' as ModelRef;
const P = 'p' as ProbeId;

function progress(finish: boolean) {
  let t = 0;
  const tracker = new ProgressTracker(() => t);
  tracker.apply({
    type: 'run-start',
    run: 'demo',
    total: 20,
    cached: 0,
    models: [A, B],
    perModel: { [A]: 10, [B]: 10 },
  });
  for (let i = 0; i < 10; i++) {
    t += 50;
    tracker.apply({
      type: 'sample',
      model: A,
      probe: P,
      index: i,
      status: 'ok',
      latencyMs: 40 + i,
      tokens: 12,
      costUsd: 0,
    });
  }
  for (let i = 0; i < 4; i++) {
    t += 50;
    tracker.apply({
      type: 'sample',
      model: B,
      probe: P,
      index: i,
      status: i === 3 ? 'error' : 'ok',
      kind: i === 3 ? 'rate_limit' : undefined,
      latencyMs: 900,
      tokens: 30,
      costUsd: 0.002,
    });
  }
  tracker.apply({
    type: 'retry',
    model: B,
    probe: P,
    attempt: 2,
    kind: 'rate_limit',
    waitMs: 2000,
    message: '429 Too Many Requests',
  });
  if (finish) tracker.apply({ type: 'run-end', run: 'demo', ok: 13, errors: 1, cancelled: false });
  return tracker.snapshot();
}

function setup(finish: boolean) {
  const calls = { onPause: vi.fn(), onResume: vi.fn(), onCancel: vi.fn(), onResults: vi.fn(), onHome: vi.fn() };
  const ui = render(<RunScreen width={120} height={30} name="demo" progress={progress(finish)} active {...calls} />);
  return { ui, calls };
}

describe('errorSummary', () => {
  it('lists kinds by count', () => {
    expect(errorSummary({ timeout: 1, rate_limit: 3 })).toBe('rate 3 tmo 1');
    expect(errorSummary({})).toBe('-');
  });
});

describe('RunScreen', () => {
  it('shows one row per model with done/total, errors by kind, tokens, cost and p50 latency, plus the log', () => {
    const { ui } = setup(false);
    const frame = ui.lastFrame()!;
    expect(frame).toContain('RUNNING');
    expect(frame).toContain('14/20 samples');
    expect(frame).toMatch(/lab:base\s+10\/10\s+-\s+120\s+\$0\s+45ms\s+done/);
    expect(frame).toMatch(/openai:gpt-4o-mini\s+4\/10\s+rate 1\s+120\s+\$0.0080\s+900ms/);
    expect(frame).toContain('rate limit, retry 2 in 2000ms (429 Too Many Requests)');
  });

  it('pauses and cancels while running, and opens the results only when finished', async () => {
    const running = setup(false);
    running.ui.stdin.write('p');
    await tick();
    running.ui.stdin.write('x');
    await tick();
    running.ui.stdin.write(KEYS.enter);
    await tick();
    expect(running.calls.onPause).toHaveBeenCalledTimes(1);
    expect(running.calls.onCancel).toHaveBeenCalledTimes(1);
    expect(running.calls.onResults).not.toHaveBeenCalled();
    cleanup();
    const finished = setup(true);
    expect(finished.ui.lastFrame()).toContain('FINISHED');
    expect(finished.ui.lastFrame()).toContain('press enter for the results');
    finished.ui.stdin.write(KEYS.enter);
    await tick();
    expect(finished.calls.onResults).toHaveBeenCalledTimes(1);
  });
});

describe('ProgressBar', () => {
  it('fills in proportion, in ASCII under NO_COLOR', async () => {
    const { ThemeContext } = await import('../../src/tui/theme.js');
    const { ProgressBar, barCells } = await import('../../src/tui/components/progress-bar.js');
    expect(barCells(5, 10, 20)).toBe(10);
    expect(barCells(10, 10, 20)).toBe(20);
    expect(barCells(1, 0, 20)).toBe(0);
    const ui = render(
      <ThemeContext.Provider value={{ color: false }}>
        <ProgressBar done={3} total={4} width={8} />
      </ThemeContext.Provider>,
    );
    expect(ui.lastFrame()).toBe('######..');
  });
});
