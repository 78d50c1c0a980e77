import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { HomeScreen } from '../../src/tui/screens/home.js';
import type { ProviderStatus } from '../../src/tui/backend.js';
import type { RunSummaryRow } from '../../src/store/api.js';
import type { RunName } from '../../src/core/types.js';
import { KEYS, tick } from './helpers.js';

afterEach(cleanup);

const providers: ProviderStatus[] = [
  { name: 'lab', kind: 'lab', state: 'ready', detail: 'in-process zoo', models: ['base', 'child'] },
  { name: 'openai', kind: 'openai', state: 'no-key', detail: 'set OPENAI_API_KEY', models: [] },
  { name: 'ollama', kind: 'ollama', state: 'unreachable', detail: 'http://127.0.0.1:11434 refused', models: [] },
];
const run = (name: string, samples: number): RunSummaryRow => ({
  name: name as RunName,
  suite: 'smoke',
  models: 3,
  probes: 4,
  samples,
  errors: 1,
  status: 'finished',
  updatedAt: '2026-11-01T10:00:00Z',
});
const runs = [run('first-run', 12), run('second-run', 24), run('third-run', 36)];

function setup(overrides: Partial<Parameters<typeof HomeScreen>[0]> = {}) {
  const calls = { onNewRun: vi.fn(), onOpen: vi.fn(), onCompare: vi.fn(), onQuit: vi.fn() };
  const ui = render(
    <HomeScreen
      width={110}
      height={30}
      resultsDir="/tmp/results"
      providers={providers}
      labModels={['lab:base', 'lab:child']}
      runs={runs}
      active
      {...calls}
      {...overrides}
    />,
  );
  return { ui, calls };
}

describe('HomeScreen', () => {
  it('shows each provider with its state, the lab zoo and the recent runs', () => {
    const { ui } = setup();
    const frame = ui.lastFrame()!;
    expect(frame).toMatch(/lab\s+ready\s+2 models/);
    expect(frame).toMatch(/openai\s+no key/);
    expect(frame).toContain('set OPENAI_API_KEY');
    expect(frame).toMatch(/ollama\s+unreachable/);
    expect(frame).toContain('lab zoo 2 models: lab:base, lab:child');
    expect(frame).toContain('Recent runs (3)');
    for (const r of runs) expect(frame).toContain(r.name);
  });

  it('says discovery is running while providers are unknown, and how to start when there are no runs', () => {
    const { ui } = setup({ providers: undefined, runs: [] });
    expect(ui.lastFrame()).toContain('discovering providers');
    expect(ui.lastFrame()).toContain('no runs yet');
  });

  it('moves the selection with the arrows and opens the selected run', async () => {
    const { ui, calls } = setup();
    expect(ui.lastFrame()).toMatch(/› \[ \] first-run/);
    ui.stdin.write(KEYS.down);
    await tick();
    expect(ui.lastFrame()).toMatch(/› \[ \] second-run/);
    ui.stdin.write(KEYS.enter);
    await tick();
    expect(calls.onOpen).toHaveBeenCalledWith('second-run');
  });

  it('marks two runs with space and compares them with c', async () => {
    const { ui, calls } = setup();
    ui.stdin.write('c');
    await tick();
    expect(ui.lastFrame()).toContain('mark two runs');
    ui.stdin.write(' ');
    await tick();
    ui.stdin.write(KEYS.down);
    await tick();
    ui.stdin.write(KEYS.down);
    await tick();
    ui.stdin.write(' ');
    await tick();
    expect(ui.lastFrame()).toMatch(/\[x\] third-run/);
    ui.stdin.write('c');
    await tick();
    expect(calls.onCompare).toHaveBeenCalledWith('first-run', 'third-run');
  });

  it('starts a new run with n and quits with q', async () => {
    const { ui, calls } = setup();
    ui.stdin.write('n');
    await tick();
    ui.stdin.write('q');
    await tick();
    expect(calls.onNewRun).toHaveBeenCalledTimes(1);
    expect(calls.onQuit).toHaveBeenCalledTimes(1);
  });
});
