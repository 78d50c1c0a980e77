import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { NewRunScreen } from '../../src/tui/screens/new-run.js';
import { availableModels } from '../../src/tui/hooks/new-run-state.js';
import { defaultRunName } from '../../src/core/run-name.js';
import type { ProviderStatus, RunEstimate, SuiteInfo } from '../../src/tui/backend.js';
import { KEYS, tick } from './helpers.js';

afterEach(cleanup);

const providers: ProviderStatus[] = [
  { name: 'openai', kind: 'openai', state: 'ready', detail: 'api.openai.com', models: ['gpt-4o-mini', 'gpt-4o'] },
  { name: 'ollama', kind: 'ollama', state: 'unreachable', detail: 'down', models: ['llama3.2'] },
];
const suites: SuiteInfo[] = [
  {
    name: 'smoke',
    version: '1',
    description: 'A handful of quick probes',
    file: 'probes/smoke.yaml',
    probes: 4,
    tags: ['identity', 'style'],
    samples: 1,
    temperature: 0.7,
  },
  {
    name: 'phylolm',
    version: '2',
    description: 'PhyloLM genes',
    file: 'probes/phylolm.yaml',
    probes: 32,
    tags: ['alleles'],
    samples: 2,
    temperature: 1,
  },
];

function setup() {
  const estimate = vi.fn(
    async (r: { models: readonly string[]; samples: number }): Promise<RunEstimate> => ({
      requests: r.models.length * 4 * r.samples,
      inputTokens: 1000,
      outputTokens: { typical: 1200, max: 2000 },
      costUsd: { low: 0.0123, high: 0.02 },
      unpriced: [],
      perModel: [],
    }),
  );
  const onStart = vi.fn();
  const onBack = vi.fn();
  const ui = render(
    <NewRunScreen
      width={100}
      height={30}
      providers={providers}
      labModels={['lab:base', 'lab:sotu-1900s']}
      suites={suites}
      active
      estimate={estimate}
      onStart={onStart}
      onBack={onBack}
      now={new Date('2026-11-26T05:00:00Z')}
    />,
  );
  return { ui, estimate, onStart, onBack };
}

async function type(ui: ReturnType<typeof render>, text: string) {
  for (const ch of text) {
    ui.stdin.write(ch);
    await tick(15);
  }
  await tick();
}

describe('availableModels', () => {
  it('lists lab models and the models of reachable providers only', () => {
    expect(availableModels(providers, ['lab:base'])).toEqual(['lab:base', 'openai:gpt-4o-mini', 'openai:gpt-4o']);
  });
  it('names runs after the suite and the time, as phylo run does', () => {
    expect(defaultRunName('smoke', new Date('2026-11-26T05:00:00Z'))).toBe('smoke-20261126-050000');
  });
});

describe('NewRunScreen', () => {
  it('filters models by typing, selects with space and adds a model by id with tab', async () => {
    const { ui } = setup();
    expect(ui.lastFrame()).toContain('0 selected of 4 available');
    await type(ui, 'sotu');
    const filtered = ui.lastFrame()!;
    expect(filtered).toContain('lab:sotu-1900s');
    expect(filtered).not.toContain('openai:gpt-4o-mini');
    ui.stdin.write(' ');
    await tick();
    expect(ui.lastFrame()).toMatch(/\[x\] lab:sotu-1900s/);
    // A burst of backspaces (one read) removes as many characters.
    ui.stdin.write(KEYS.backspace.repeat(2));
    await tick();
    expect(ui.lastFrame()).toMatch(/filter: so\s/);
    ui.stdin.write(KEYS.escape);
    await tick();
    await type(ui, 'openai:gpt-5');
    ui.stdin.write(KEYS.tab);
    await tick();
    expect(ui.lastFrame()).toContain('added openai:gpt-5');
    expect(ui.lastFrame()).toContain('2 selected of 5 available');
  });

  it('walks through suite and settings to confirm, showing the estimate, and starts the run', async () => {
    const { ui, estimate, onStart } = setup();
    ui.stdin.write(KEYS.enter);
    await tick();
    expect(ui.lastFrame()).toContain('select at least one model');
    ui.stdin.write(' ');
    await tick();
    ui.stdin.write(KEYS.down);
    await tick();
    ui.stdin.write(' ');
    await tick();
    ui.stdin.write(KEYS.enter);
    await tick();
    expect(ui.lastFrame()).toContain('A handful of quick probes');
    ui.stdin.write(KEYS.down);
    await tick();
    const suiteFrame = ui.lastFrame()!;
    expect(suiteFrame).toContain('PhyloLM genes');
    expect(suiteFrame).toContain('32 probes');
    expect(suiteFrame).toMatch(/estimate: 8 requests/);
    ui.stdin.write(KEYS.enter);
    await tick();
    // From the suite's defaults: samples 2 -> 4, temperature 1.0 -> 0.8
    ui.stdin.write(KEYS.right);
    await tick();
    ui.stdin.write(KEYS.right);
    await tick();
    ui.stdin.write(KEYS.down);
    await tick();
    ui.stdin.write(KEYS.left);
    await tick();
    ui.stdin.write(KEYS.left);
    await tick();
    const settings = ui.lastFrame()!;
    expect(settings).toMatch(/samples per probe\s+◂ 4 ▸/);
    expect(settings).toMatch(/temperature\s+◂ 0.8 ▸/);
    expect(settings).toMatch(/vendor batch API\s+◂ off ▸/);
    expect(settings).toMatch(/estimate: 32 requests/);
    ui.stdin.write(KEYS.enter);
    await tick();
    expect(ui.lastFrame()).toContain('press enter to start');
    ui.stdin.write(KEYS.enter);
    await tick();
    expect(onStart).toHaveBeenCalledWith({
      name: 'phylolm-20261126-050000',
      models: ['lab:base', 'lab:sotu-1900s'],
      suite: 'phylolm',
      samples: 4,
      temperature: 0.8,
    });
    expect(estimate).toHaveBeenCalled();
  });

  it('reads a burst of keys (faster than it renders) against the state each key leaves', async () => {
    const { ui } = setup();
    await tick();
    // Space selects, so the first enter moves on and the second opens the settings.
    ui.stdin.write(' ');
    ui.stdin.write(KEYS.enter);
    ui.stdin.write(KEYS.enter);
    await tick();
    expect(ui.lastFrame()).toMatch(/samples per probe\s+◂ 1 ▸/);
  });

  it('goes back with escape from the model list', async () => {
    const { ui, onBack } = setup();
    ui.stdin.write(KEYS.escape);
    await tick();
    expect(onBack).toHaveBeenCalled();
  });
});
