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

describe('RunScreen batches', () => {
  // Events as the batch collector sends them: a store number while submitting, then the vendor's id.
  function batchRun(t0: number) {
    let t = t0;
    const tracker = new ProgressTracker(() => t);
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    tracker.apply({ type: 'run-start', run: 'big', total: 8, cached: 0, models: [B], perModel: { [B]: 8 } });
    const event = (batch: string, state: string, counts: [number, number], landed: boolean, created: number) =>
      tracker.apply({
        type: 'batch',
        provider: 'openai',
        batch,
        state,
        requests: 4,
        succeeded: counts[0],
        errored: counts[1],
        landed,
        createdAt: at(created),
      });
    event('#1', 'submitting', [0, 0], false, 0);
    event('batch_one', 'in_progress', [0, 0], false, 0);
    event('#2', 'submitting', [0, 0], false, 60_000);
    event('batch_two', 'validating', [0, 0], false, 60_000);
    t += 30_000;
    event('batch_one', 'completed', [3, 1], false, 0);
    event('batch_one', 'completed', [3, 1], true, 0);
    return tracker.snapshot();
  }

  const draw = (height: number) => {
    const t0 = Date.parse('2026-03-01T12:00:00Z');
    const noop = () => {};
    return render(
      <RunScreen
        width={120}
        height={height}
        name="big"
        progress={batchRun(t0)}
        active
        now={() => t0 + 185_000}
        onPause={noop}
        onResume={noop}
        onCancel={noop}
        onResults={noop}
        onHome={noop}
      />,
    );
  };

  it('draws one line per vendor batch: provider, state, succeeded/errored/requests and age, live ones first', () => {
    const frame = draw(30).lastFrame()!;
    expect(frame).toContain('Batches  2 batches: 1 live, 1 landed');
    expect(frame).toMatch(/provider\s+batch\s+state\s+ok\/err\/requests\s+age/);
    const lines = frame.split('\n');
    const two = lines.findIndex((l) => /openai\s+batch_two\s+validating\s+0\/0\/4\s+2m05s/.test(l));
    const one = lines.findIndex((l) => /openai\s+batch_one\s+completed, landed\s+3\/1\/4\s+3m05s/.test(l));
    expect(two, frame).toBeGreaterThan(0);
    expect(one).toBe(two + 1);
    // The store numbers they were known by while submitting are gone; the log keeps each change of state.
    expect(frame).not.toMatch(/openai\s+#[12]\s/);
    expect(frame).toContain('openai batch batch_one: completed, landed');
    // No line wider than the terminal (ink would re-wrap it on every frame).
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(120);
  });

  it('keeps to a short terminal: the batches it cannot show are counted', () => {
    const tracker = new ProgressTracker(() => 0);
    tracker.apply({ type: 'run-start', run: 'big', total: 24, cached: 0, models: [B], perModel: { [B]: 24 } });
    for (let i = 1; i <= 6; i++)
      tracker.apply({
        type: 'batch',
        provider: 'openai',
        batch: `batch_${i}`,
        state: i <= 4 ? 'completed' : 'in_progress',
        requests: 4,
        succeeded: i <= 4 ? 4 : 0,
        errored: 0,
        landed: i <= 4,
      });
    const noop = () => {};
    const ui = render(
      <RunScreen
        width={100}
        height={14}
        name="big"
        progress={tracker.snapshot()}
        active
        onPause={noop}
        onResume={noop}
        onCancel={noop}
        onResults={noop}
        onHome={noop}
      />,
    );
    const frame = ui.lastFrame()!;
    expect(frame).toContain('6 batches: 2 live, 4 landed');
    // The two live ones are shown first; the landed ones are counted.
    expect(frame).toMatch(/batch_5\s+in_progress\s+0\/0\/4\s+--/);
    expect(frame).toMatch(/batch_6\s+in_progress/);
    const shown = (frame.match(/^openai\s+batch_\d/gm) ?? []).length;
    expect(frame).toContain(`… ${6 - shown} more`);
    expect(shown).toBe(2);
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
