// The new-run state machine without ink: keys in, state (and the screen's exits) out.
import { describe, expect, it } from 'vitest';
import {
  estimateRequest,
  initialNewRunState,
  type NewRunContext,
  type NewRunExit,
  newRunKeyAction,
  newRunView,
  type NewRunState,
  reduceNewRun,
} from '../../src/tui/hooks/new-run-state.js';
import type { RunEstimate } from '../../src/tui/backend.js';
import { press, typed } from './key-presses.js';

const context: NewRunContext = {
  providers: [
    { name: 'openai', kind: 'openai', state: 'ready', detail: 'api', models: ['gpt-4o-mini', 'gpt-4o'] },
    { name: 'ollama', kind: 'ollama', state: 'unreachable', detail: 'down', models: ['llama3.2'] },
  ],
  labModels: ['lab:base', 'lab:sotu-1900s'],
  suites: [
    { name: 'smoke', version: '1', description: '', file: 's.yaml', probes: 4, tags: [], samples: 1, temperature: 0.7 },
    { name: 'genes', version: '2', description: '', file: 'g.yaml', probes: 32, tags: [], samples: 8, temperature: 1 },
  ],
  now: new Date('2026-11-26T05:00:00Z'),
};

/** Feed keys one by one; collect the exits (back, start) the screen would act on. */
function run(keys: readonly string[], state: NewRunState = initialNewRunState(), ctx = context) {
  const exits: NewRunExit[] = [];
  for (const name of keys) {
    const [input, key] = press(name);
    const action = newRunKeyAction(state, ctx, input, key);
    if (!action) continue;
    if (action.type === 'back' || action.type === 'start') exits.push(action);
    else state = reduceNewRun(state, action);
  }
  return { state, exits, view: newRunView(state, ctx) };
}

describe('new-run state: models', () => {
  it('lists lab models and ready providers, filters by typing and selects the model under the cursor', () => {
    expect(newRunView(initialNewRunState(), context).all).toEqual([
      'lab:base',
      'lab:sotu-1900s',
      'openai:gpt-4o-mini',
      'openai:gpt-4o',
    ]);
    const { state, view } = run([...typed('gpt'), 'down', ' ']);
    expect(view.shown).toEqual(['openai:gpt-4o-mini', 'openai:gpt-4o']);
    expect(state.selected).toEqual(['openai:gpt-4o']);
  });

  it('erases as many characters as a burst of backspaces holds, and escape clears the filter before leaving', () => {
    let r = run([...typed('sotu'), '\u007f\u007f']);
    expect(r.state.filter).toBe('so');
    r = run(['backspace', 'escape'], r.state);
    expect(r.state.filter).toBe('');
    expect(r.exits).toEqual([]);
    expect(run(['escape'], r.state).exits).toEqual([{ type: 'back' }]);
  });

  it('adds a typed model id with tab, selected, and says so; a partial id only gets a hint', () => {
    const added = run([...typed('openai:gpt-5'), 'tab']);
    expect(added.state.selected).toEqual(['openai:gpt-5']);
    expect(added.view.all).toHaveLength(5);
    expect(added.state.filter).toBe('');
    expect(added.state.note).toBe('added openai:gpt-5');
    // Adding a model that is listed already does not list it twice.
    expect(run([...typed('lab:base'), 'tab']).view.all).toHaveLength(4);
    expect(run([...typed('gpt'), 'tab']).state.note).toMatch(/type a full model id/);
  });

  it('selects every shown model with ctrl+a, and unselects them with a second ctrl+a', () => {
    const one = run([...typed('lab'), 'ctrl+a']);
    expect(one.state.selected).toEqual(['lab:base', 'lab:sotu-1900s']);
    expect(run(['ctrl+a'], one.state).state.selected).toEqual([]);
  });

  it('does not leave the model step without a model, and keeps the cursor inside the list', () => {
    const empty = run(['enter']);
    expect(empty.state.step).toBe('models');
    expect(empty.state.note).toMatch(/select at least one model/);
    expect(run(['up', 'down', 'down', 'down', 'down', 'down', 'down']).view.cursor).toBe(3);
    // `?` belongs to the help overlay, not the filter.
    expect(run(['?']).state.filter).toBe('');
  });
});

describe('new-run state: suite, settings, confirm', () => {
  it('starts the settings from the suite defaults and keeps edits while the suite stays the same', () => {
    const picked = run([' ', 'enter', 'j', 'j', 'enter']);
    expect(picked.state.step).toBe('settings');
    expect(picked.view.suite?.name).toBe('genes');
    expect(picked.state).toMatchObject({ samples: 8, temperature: 1 });
    const edited = run(['right', 'escape', 'enter'], picked.state);
    expect(edited.state.samples).toBe(9);
    const other = run(['escape', 'k', 'enter'], edited.state);
    expect(other.state).toMatchObject({ samples: 1, temperature: 0.7, settingsFor: 'smoke' });
  });

  it('bounds samples to 1..100 and temperature to 0..2 in steps of 0.1', () => {
    const start = run([' ', 'enter', 'enter']).state;
    expect(run(['left', 'left'], start).state.samples).toBe(1);
    const hot = run(['down', ...Array(20).fill('right')], start).state;
    expect(hot.temperature).toBe(2);
    expect(run(['-', '-', '-'], hot).state.temperature).toBe(1.7);
  });

  it('edits the run name from its default and refuses a name the store would reject', () => {
    const start = run([' ', 'enter', 'enter', 'down', 'down']);
    expect(start.view.runName).toBe('smoke-20261126-050000');
    const renamed = run(['backspace', 'backspace', ...typed('xy')], start.state);
    expect(renamed.view.runName).toBe('smoke-20261126-0500xy');
    const bad = reduceNewRun(renamed.state, { type: 'rename', name: '-bad' });
    expect(run(['enter'], bad).state).toMatchObject({ step: 'settings', note: expect.stringMatching(/run name/) });
  });

  it('confirms and starts the run with what was chosen; escape walks back one step at a time', () => {
    const confirm = run([' ', 'down', ' ', 'enter', 'down', 'enter', 'right', 'enter']);
    expect(confirm.state.step).toBe('confirm');
    expect(run(['enter'], confirm.state).exits).toEqual([
      {
        type: 'start',
        request: {
          name: 'genes-20261126-050000',
          models: ['lab:base', 'lab:sotu-1900s'],
          suite: 'genes',
          samples: 9,
          temperature: 1,
        },
      },
    ]);
    const steps = ['escape', 'escape', 'escape'].map((_, k) => run(Array(k + 1).fill('escape'), confirm.state));
    expect(steps.map((r) => r.state.step)).toEqual(['settings', 'suite', 'models']);
  });

  it('collects through the vendor batch APIs when batch is on, for providers that have one', () => {
    const batchContext: NewRunContext = {
      ...context,
      providers: [
        { ...context.providers[0]!, batch: true },
        { name: 'ollama', kind: 'ollama', state: 'ready', detail: 'local', models: ['llama3.2'], batch: false },
      ],
    };
    // openai:gpt-4o-mini is the third model listed; batch is the last settings field.
    const settings = run(['down', 'down', ' ', 'enter', 'enter', 'down', 'down', 'down'], undefined, batchContext);
    expect(settings.state).toMatchObject({ field: 'batch', batch: false });
    const on = run(['right'], settings.state, batchContext);
    expect(on.state.batch).toBe(true);
    expect(run(['left'], on.state, batchContext).state.batch).toBe(false);
    const started = run(['enter', 'enter'], on.state, batchContext);
    expect(started.exits).toEqual([
      {
        type: 'start',
        request: {
          name: 'smoke-20261126-050000',
          models: ['openai:gpt-4o-mini'],
          suite: 'smoke',
          samples: 1,
          temperature: 0.7,
          batch: true,
        },
      },
    ]);
    // A lab model, or a provider without a batch API, is refused on the settings step, as phylo run --batch would.
    for (const model of ['lab:base', 'ollama:llama3.2']) {
      const mixed = { ...on.state, selected: ['openai:gpt-4o-mini', model] };
      const refused = run(['enter'], mixed, batchContext);
      expect(refused.state.step).toBe('settings');
      expect(refused.state.note).toBe(
        `batch: ${model} has no batch API (openai and anthropic have one); turn batch off or drop it`,
      );
    }
    // Off, the same models start as usual (no batch in the request).
    const off = run(['enter', 'enter'], { ...settings.state, selected: ['lab:base'] }, batchContext);
    expect(off.exits).toMatchObject([{ type: 'start', request: { models: ['lab:base'] } }]);
    expect((off.exits[0] as { request: object }).request).not.toHaveProperty('batch');
  });

  it('says there is nothing to run when no suite was found', () => {
    const r = run([' ', 'enter'], initialNewRunState(), { ...context, suites: [] });
    expect(r.state).toMatchObject({ step: 'models', note: expect.stringMatching(/no suites found/) });
  });
});

describe('new-run state: estimate', () => {
  const estimate: RunEstimate = {
    requests: 8,
    inputTokens: 10,
    outputTokens: { typical: 5, max: 10 },
    costUsd: { low: 0, high: 0 },
    perModel: [],
    unpriced: [],
  };

  it('asks for an estimate only once models are chosen and the suite step is reached', () => {
    const models = run([' ']);
    expect(estimateRequest(models.state, models.view)).toBeUndefined();
    const suite = run(['enter'], models.state);
    expect(estimateRequest(suite.state, suite.view)).toEqual({
      models: ['lab:base'],
      suite: 'smoke',
      samples: 1,
      temperature: 0.7,
    });
  });

  it('keeps the last estimate while the next is computed, but not a failure', () => {
    const ready = reduceNewRun(initialNewRunState(), { type: 'estimated', estimate });
    expect(reduceNewRun(ready, { type: 'estimate-started' }).estimate).toEqual({ kind: 'ready', estimate });
    const failed = reduceNewRun(ready, { type: 'estimate-failed', message: 'no suite' });
    expect(failed.estimate).toEqual({ kind: 'failed', message: 'no suite' });
    expect(reduceNewRun(failed, { type: 'estimate-started' }).estimate).toEqual({ kind: 'none' });
  });
});
