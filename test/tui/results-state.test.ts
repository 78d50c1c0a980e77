// The results state machine without ink: keys in, state out, with the bounds a screen would derive from a run.
import { describe, expect, it } from 'vitest';
import {
  EXPORT_PROMPT,
  initialResultsState,
  type ResultsAction,
  type ResultsBounds,
  type ResultsState,
  reduceResults,
  resultsKeyAction,
} from '../../src/tui/hooks/results-state.js';
import { press } from './key-presses.js';

const bounds: ResultsBounds = {
  signals: 3,
  method: 'nj',
  treeLines: 20,
  bodyHeight: 15,
  traitRows: 5,
  traits: 3,
  probes: 2,
  responses: 7,
  perPage: 3,
  models: 5,
  predictRows: 4,
};

/** Feed keys one by one; the effects (back, export) are the actions the screen also carries out. */
function run(keys: readonly string[], state: ResultsState = initialResultsState(), b = bounds) {
  const effects: ResultsAction[] = [];
  for (const name of keys) {
    const [input, key] = press(name);
    const action = resultsKeyAction(state, b, input, key);
    if (!action) continue;
    if (action.type === 'back' || action.type === 'export') effects.push(action);
    state = reduceResults(state, action);
  }
  return { state, effects };
}

describe('results state', () => {
  it('switches tabs by number and cycles them with the arrows and tab', () => {
    expect(run(['4']).state.tab).toBe('traits');
    expect(run(['left']).state.tab).toBe('predict');
    expect(run(['6', 'right']).state.tab).toBe('tree');
    expect(run(['right', 'tab']).state.tab).toBe('map');
    expect(run(['5', 'right']).state.tab).toBe('predict');
    expect(run(['9']).state.tab).toBe('tree');
  });

  it('cycles the signal (back to its recommended method), the method, the rooting and the outgroup', () => {
    const method = run(['m']).state;
    expect(method.method).toBe('bionj');
    // The method cycles from the one shown, which the screen passes in the bounds.
    expect(run(['m'], method, { ...bounds, method: 'bme' }).state.method).toBe('nj');
    expect(run(['s'], method).state).toMatchObject({ signalAt: 1, method: undefined });
    expect(run(['s', 's', 's']).state.signalAt).toBe(0);
    expect(run(['r']).state.rooting).toBe('outgroup');
    expect(run(['r', 'r']).state.rooting).toBe('unrooted');
    expect(run(['r', 'r', 'o', 'o']).state).toMatchObject({ rooting: 'outgroup', outgroupAt: 2 });
  });

  it('scrolls the tree within its lines, and moves the trait row or the probe on their tabs', () => {
    expect(run(Array(9).fill('down')).state.tree.scroll).toBe(5);
    expect(run(['down', 'up', 'up']).state.tree.scroll).toBe(0);
    expect(run(['4', ...Array(9).fill('j')]).state.traits.row).toBe(4);
    const sampled = run(['5', 'n', 'n']).state;
    expect(sampled.evidence.sampleAt).toBe(2);
    // A new probe shows each model's first sample again.
    expect(run(['down', 'down'], sampled).state.evidence).toMatchObject({ probeAt: 1, sampleAt: 0 });
    // Keys meant for another tab do nothing here.
    expect(run(['n', 'd', ']']).state).toEqual(initialResultsState());
    expect(run(['2', 'down']).state.tree.scroll).toBe(0);
  });

  it('moves the sort key over the model and trait columns and flips the direction', () => {
    const sorted = run(['4', ']', ']', ']', ']', 'd']).state.traits;
    expect(sorted).toMatchObject({ sortColumn: 3, descending: true });
    expect(run(['4', '[']).state.traits.sortColumn).toBe(0);
  });

  it('pages the evidence models a screenful at a time, up to the last full page', () => {
    expect(run(['5', ']']).state.evidence.modelPage).toBe(3);
    expect(run(['5', ']', ']', ']']).state.evidence.modelPage).toBe(4);
    expect(run(['5', ']', ']', '[', '[', '[']).state.evidence.modelPage).toBe(0);
  });

  it('asks for an export format after e, exports with n, t or j, and cancels on any other key', () => {
    const asking = run(['e']).state;
    expect(asking).toMatchObject({ mode: { kind: 'choose-export' }, status: EXPORT_PROMPT });
    const exported = run(['t'], asking);
    expect(exported.effects).toEqual([{ type: 'export', format: 'tsv' }]);
    expect(exported.state.mode).toEqual({ kind: 'browse' });
    // While asking, keys mean formats: `j` exports JSON instead of moving.
    expect(run(['j'], asking).effects).toEqual([{ type: 'export', format: 'json' }]);
    const cancelled = run(['5'], asking);
    expect(cancelled.effects).toEqual([]);
    expect(cancelled.state).toMatchObject({ tab: 'tree', mode: { kind: 'browse' }, status: undefined });
    expect(reduceResults(asking, { type: 'status', text: 'exported' }).status).toBe('exported');
  });

  it('goes back with escape and starts on the tab asked for', () => {
    expect(run(['escape']).effects).toEqual([{ type: 'back' }]);
    expect(initialResultsState('heatmap').tab).toBe('heatmap');
  });
});
