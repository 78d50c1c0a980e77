// The home state machine without ink: keys in, state and the screen's exits out.
import { describe, expect, it } from 'vitest';
import {
  type HomeExit,
  homeCursor,
  homeKeyAction,
  type HomeState,
  INITIAL_HOME_STATE,
  reduceHome,
} from '../../src/tui/hooks/home-state.js';
import type { RunSummaryRow } from '../../src/store/api.js';
import type { RunName } from '../../src/core/types.js';
import { press } from './key-presses.js';

const row = (name: string, updatedAt: string): RunSummaryRow => ({
  name: name as RunName,
  suite: 'core',
  models: 3,
  probes: 2,
  samples: 6,
  errors: 0,
  status: 'finished',
  updatedAt,
});
// Newest first, as the store lists them.
const RUNS = [row('mar', '2026-03-01'), row('feb', '2026-02-01'), row('jan', '2026-01-01')];

function run(keys: readonly string[], state: HomeState = INITIAL_HOME_STATE, runs = RUNS) {
  const exits: HomeExit[] = [];
  for (const name of keys) {
    const [input, key] = press(name);
    const action = homeKeyAction(state, runs, input, key);
    if (!action) continue;
    if (action.type === 'mark' || action.type === 'move' || action.type === 'note') state = reduceHome(state, action);
    else exits.push(action);
  }
  return { state, exits };
}

describe('home state', () => {
  it('moves within the list and opens the run under the cursor', () => {
    expect(run(['down', 'down', 'down', 'enter']).exits).toEqual([{ type: 'open', run: 'jan' }]);
    expect(run(['k', 'enter']).exits).toEqual([{ type: 'open', run: 'mar' }]);
    // A list that shrank under the cursor keeps it on the last run.
    expect(homeCursor(run(['j', 'j']).state, RUNS.slice(0, 1))).toBe(0);
    expect(run(['enter'], INITIAL_HOME_STATE, []).exits).toEqual([]);
  });

  it('marks at most two runs, forgetting the oldest mark, and unmarks on a second space', () => {
    expect(run([' ', 'j', ' ', 'j', ' ']).state.marked).toEqual(['feb', 'jan']);
    expect(run([' ', ' ']).state.marked).toEqual([]);
  });

  it('compares two marked runs, or one mark and the run under the cursor, older first', () => {
    expect(run([' ', 'j', 'j', ' ', 'c']).exits).toEqual([{ type: 'compare', a: 'jan', b: 'mar' }]);
    expect(run(['j', ' ', 'k', 'c']).exits).toEqual([{ type: 'compare', a: 'feb', b: 'mar' }]);
    const alone = run([' ', 'c']);
    expect(alone.exits).toEqual([]);
    expect(alone.state.note).toBe('mark two runs with space, then press c');
  });

  it('starts a new run on n and quits on q', () => {
    expect(run(['n', 'q']).exits).toEqual([{ type: 'new-run' }, { type: 'quit' }]);
  });
});
