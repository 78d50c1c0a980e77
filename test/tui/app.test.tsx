// The whole app over a fake backend: home -> new run -> run screen (events throttled) -> results, help on `?`.
import { afterEach, describe, expect, it } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { useEffect } from 'react';
import { Text } from 'ink';
import { App } from '../../src/tui/app-view.js';
import { ThemeContext, themeFromEnv } from '../../src/tui/theme.js';
import { EventLog } from '../../src/tui/event-log.js';
import { useRunProgress } from '../../src/tui/hooks/use-run-progress.js';
import type { NewRunRequest, RunHandle, TuiBackend } from '../../src/tui/backend.js';
import type { RunName, ModelRef, ProbeId } from '../../src/core/types.js';
import { fakeResults } from './fixtures.js';
import { KEYS, tick, waitForFrame } from './helpers.js';

afterEach(cleanup);

function fakeBackend() {
  const started: NewRunRequest[] = [];
  const log = new EventLog();
  let finish: () => void = () => undefined;
  const backend: TuiBackend = {
    resultsDir: '/tmp/fake-results',
    providers: async () => [
      { name: 'lab', kind: 'lab', state: 'ready', detail: 'in process', models: ['a', 'b', 'c'] },
    ],
    labModels: async () => ['lab:a', 'lab:b', 'lab:c'],
    recentRuns: () => [
      {
        name: 'older' as RunName,
        suite: 'core',
        models: 3,
        probes: 2,
        samples: 6,
        errors: 0,
        status: 'finished',
        updatedAt: '2026-11-01T00:00:00Z',
      },
    ],
    suites: async () => [
      {
        name: 'core',
        version: '1',
        description: 'core suite',
        file: 'probes/core.yaml',
        probes: 2,
        tags: ['identity'],
        samples: 1,
        temperature: 0.7,
      },
    ],
    estimate: async (r) => ({
      requests: r.models.length * 2 * r.samples,
      inputTokens: 10,
      outputTokens: { typical: 5, max: 10 },
      costUsd: { low: 0, high: 0 },
      perModel: [],
      unpriced: [],
    }),
    startRun: async (request) => {
      started.push(request);
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const handle: RunHandle = {
        name: request.name,
        subscribe: (l) => log.subscribe(l),
        pause: () => log.push({ type: 'paused' }),
        resume: () => log.push({ type: 'resumed' }),
        cancel: () => undefined,
        done,
      };
      return handle;
    },
    analyse: async (run) => fakeResults(run),
    writeExport: async (name, format) => ({ file: `/tmp/fake-results/exports/${name}`, format }),
    close: () => undefined,
  };
  return { backend, started, log, finish: () => finish() };
}

async function press(ui: ReturnType<typeof render>, ...keys: string[]) {
  for (const k of keys) {
    ui.stdin.write(k);
    await tick();
  }
}

describe('App', () => {
  it('goes from home through a new run and its progress to the results tree', async () => {
    const f = fakeBackend();
    const ui = render(<App backend={f.backend} />);
    await waitForFrame(ui.lastFrame, (s) => s.includes('lab zoo 3 models'), 'the lab zoo on home');
    expect(ui.lastFrame()).toContain('older');
    await press(ui, 'n');
    await waitForFrame(ui.lastFrame, (s) => s.includes('3 available'), 'the model list');
    await press(ui, KEYS.ctrlA, KEYS.enter, KEYS.enter, KEYS.enter);
    expect(ui.lastFrame()).toContain('press enter to start');
    await press(ui, KEYS.enter);
    await tick(100);
    expect(f.started).toHaveLength(1);
    expect(f.started[0]).toMatchObject({ models: ['lab:a', 'lab:b', 'lab:c'], suite: 'core', samples: 1 });
    const models = ['lab:a', 'lab:b', 'lab:c'] as ModelRef[];
    f.log.push({
      type: 'run-start',
      run: f.started[0]!.name,
      total: 6,
      cached: 0,
      models,
      perModel: { 'lab:a': 2, 'lab:b': 2, 'lab:c': 2 },
    });
    for (const m of models)
      for (let i = 0; i < 2; i++)
        f.log.push({
          type: 'sample',
          model: m,
          probe: `p${i}` as ProbeId,
          index: 0,
          status: 'ok',
          latencyMs: 5,
          tokens: 3,
          costUsd: 0,
        });
    f.log.push({ type: 'run-end', run: f.started[0]!.name, ok: 6, errors: 0, cancelled: false });
    f.finish();
    await waitForFrame(ui.lastFrame, (s) => s.includes('FINISHED'), 'the finished run');
    expect(ui.lastFrame()).toContain('6/6 samples');
    await press(ui, KEYS.enter);
    const results = await waitForFrame(ui.lastFrame, (s) => s.includes('1 tree'), 'the results');
    expect(results).toContain(`results ${f.started[0]!.name}`);
    expect(results).toMatch(/[┌└]─+/);
  });

  it('shows the keys of the current screen on ? and hides them again', async () => {
    const f = fakeBackend();
    const ui = render(<App backend={f.backend} />);
    await waitForFrame(ui.lastFrame, (s) => s.includes('Recent runs'), 'home');
    await press(ui, '?');
    expect(ui.lastFrame()).toContain('Keys: home');
    expect(ui.lastFrame()).toContain('mark run for compare');
    // Keys meant for the screen do nothing while the help is open.
    await press(ui, 'n');
    expect(ui.lastFrame()).toContain('Keys: home');
    await press(ui, '?');
    expect(ui.lastFrame()).toContain('Recent runs');
  });

  it('opens a run from home and compares two marked runs', async () => {
    const f = fakeBackend();
    f.backend.recentRuns = () =>
      ['jan', 'feb'].map((name) => ({
        name: name as RunName,
        suite: 'core',
        models: 5,
        probes: 2,
        samples: 10,
        errors: 0,
        status: 'finished' as const,
        updatedAt: '2026-11-01T00:00:00Z',
      }));
    const ui = render(<App backend={f.backend} />);
    await waitForFrame(ui.lastFrame, (s) => s.includes('Recent runs (2)'), 'home');
    await press(ui, ' ', KEYS.down, ' ', 'c');
    await waitForFrame(ui.lastFrame, (s) => s.includes('Robinson-Foulds: 0 of 4'), 'the comparison');
    await press(ui, KEYS.escape);
    await waitForFrame(ui.lastFrame, (s) => s.includes('Recent runs (2)'), 'home again');
    await press(ui, KEYS.enter);
    await waitForFrame(ui.lastFrame, (s) => s.includes('results jan'), 'the results of jan');
  });
});

describe('useRunProgress', () => {
  it('absorbs a burst of events into a handful of renders', async () => {
    const log = new EventLog();
    let renders = 0;
    let last = '';
    function Probe() {
      const p = useRunProgress(log, 50);
      useEffect(() => {
        renders++;
      });
      last = p ? `${p.done}/${p.total}` : 'none';
      return <Text>{last}</Text>;
    }
    const ui = render(<Probe />);
    const m = 'lab:a' as ModelRef;
    log.push({ type: 'run-start', run: 'r', total: 2000, cached: 0, models: [m], perModel: { [m]: 2000 } });
    for (let i = 0; i < 2000; i++)
      log.push({
        type: 'sample',
        model: m,
        probe: 'p' as ProbeId,
        index: i,
        status: 'ok',
        latencyMs: 1,
        tokens: 1,
        costUsd: 0,
      });
    await tick(200);
    expect(ui.lastFrame()).toContain('2000/2000');
    // 2,001 events, a few renders: the run-start flush and the timer ticks.
    expect(renders).toBeLessThan(20);
  });
});

describe('themeFromEnv', () => {
  it('turns colour off when NO_COLOR is set to anything non-empty', () => {
    expect(themeFromEnv({ NO_COLOR: '1' }).color).toBe(false);
    expect(themeFromEnv({ NO_COLOR: '' }).color).toBe(true);
    expect(themeFromEnv({}).color).toBe(true);
  });

  it('draws the heatmap with shade characters instead of colours under NO_COLOR', async () => {
    const f = fakeBackend();
    const ui = render(
      <ThemeContext.Provider value={{ color: false }}>
        <App backend={f.backend} initialRoute={{ name: 'results', run: 'demo', tab: 'heatmap' }} />
      </ThemeContext.Provider>,
    );
    const frame = await waitForFrame(ui.lastFrame, (s) => s.includes('near'), 'the heatmap');
    expect(frame).toMatch(/[░▒▓█]/);
  });
});
