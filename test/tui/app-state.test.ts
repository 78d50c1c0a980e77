// The app state machine without ink: routes, the help overlay, discovery results and the status line.
import { describe, expect, it } from 'vitest';
import { appKeyAction, initialAppState, reduceApp, type AppState } from '../../src/tui/hooks/app-state.js';
import { press } from './key-presses.js';

function keys(state: AppState, ...names: string[]): AppState {
  for (const name of names) {
    const [input, key] = press(name);
    const action = appKeyAction(state, input, key);
    if (action) state = reduceApp(state, action);
  }
  return state;
}

describe('app state', () => {
  it('opens the help on ? and closes it on ? or escape; escape does nothing without it', () => {
    const start = initialAppState();
    expect(keys(start, '?').help).toBe(true);
    expect(keys(start, '?', '?').help).toBe(false);
    expect(keys(start, '?', 'escape').help).toBe(false);
    expect(keys(start, 'escape', 'n', 'enter')).toEqual(start);
  });

  it('clears the status on every route change and starts a new run at its first step', () => {
    let s = reduceApp(initialAppState(), { type: 'status', text: 'cannot start the run: boom' });
    s = reduceApp(s, { type: 'new-run-step', step: 'confirm' });
    expect(s.status).toBe('cannot start the run: boom');
    s = reduceApp(s, { type: 'go', route: { name: 'new' } });
    expect(s).toMatchObject({ route: { name: 'new' }, status: undefined, newRunStep: 'models' });
    s = reduceApp(s, { type: 'go', route: { name: 'results', run: 'jan', tab: 'map' } });
    expect(s.route).toEqual({ name: 'results', run: 'jan', tab: 'map' });
  });

  it('treats a failed discovery as empty and says which source failed', () => {
    let s = reduceApp(initialAppState(), { type: 'discovery-failed', source: 'suites', message: 'no probes/' });
    expect(s).toMatchObject({ suites: [], status: 'cannot load suites: no probes/' });
    s = reduceApp(s, { type: 'discovery-failed', source: 'lab-models', message: 'no zoo' });
    expect(s).toMatchObject({ labModels: [], status: 'lab zoo: no zoo', providers: undefined });
    s = reduceApp(s, { type: 'lab-models', models: ['lab:a'] });
    expect(s.labModels).toEqual(['lab:a']);
  });

  it('remembers the models of the last run requested, for the next new run', () => {
    const s = reduceApp(initialAppState(), { type: 'run-requested', models: ['lab:a', 'lab:b'] });
    expect(s.lastModels).toEqual(['lab:a', 'lab:b']);
  });

  it('keeps the same state object when the new-run step reported is the one it has', () => {
    const s = initialAppState({ name: 'new' });
    expect(reduceApp(s, { type: 'new-run-step', step: 'models' })).toBe(s);
  });
});
