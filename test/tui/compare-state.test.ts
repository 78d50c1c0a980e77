// The compare screen's state machine without ink: keys in, state out.
import { describe, expect, it } from 'vitest';
import type { DriftReport } from '../../src/audit/drift.js';
import {
  type CompareAction,
  type CompareBounds,
  compareKeyAction,
  type CompareState,
  initialCompareState,
  reduceCompare,
} from '../../src/tui/hooks/compare-state.js';
import { press } from './key-presses.js';

const bounds: CompareBounds = { method: 'upgma', models: 4 };

function run(keys: readonly string[], state: CompareState = initialCompareState(), b = bounds) {
  const effects: CompareAction[] = [];
  for (const name of keys) {
    const [input, key] = press(name);
    const action = compareKeyAction(state, b, input, key);
    if (!action) continue;
    if (action.type === 'back') effects.push(action);
    state = reduceCompare(state, action);
  }
  return { state, effects };
}

describe('compare state', () => {
  it('starts on the first signal, its recommended method, the first row, with the drift audit running', () => {
    expect(initialCompareState()).toEqual({ signalAt: 0, method: undefined, row: 0, drift: { kind: 'testing' } });
  });

  it('cycles the method from the one shown, and a new signal goes back to its recommended method', () => {
    const m = run(['m']).state;
    expect(m.method).toBe('bme');
    expect(run(['m'], m, { ...bounds, method: 'bme' }).state.method).toBe('nj');
    expect(run(['s'], m).state).toMatchObject({ signalAt: 1, method: undefined });
  });

  it('moves the row within the models table with the arrows and j/k', () => {
    expect(run(['down', 'j', 'j', 'j', 'j']).state.row).toBe(3);
    expect(run(['down', 'k', 'up']).state.row).toBe(0);
    expect(run(['down'], initialCompareState(), { ...bounds, models: 0 }).state.row).toBe(0);
  });

  it('records the drift audit when it settles, and goes back on escape', () => {
    const report = { models: [], skipped: [] } as unknown as DriftReport;
    const done = reduceCompare(initialCompareState(), { type: 'drift', drift: { kind: 'done', report } });
    expect(done.drift).toEqual({ kind: 'done', report });
    const failed = reduceCompare(done, { type: 'drift', drift: { kind: 'failed', message: 'no shared model' } });
    expect(failed.drift).toEqual({ kind: 'failed', message: 'no shared model' });
    expect(run(['escape']).effects).toEqual([{ type: 'back' }]);
    expect(run(['x', '5']).state).toEqual(initialCompareState());
  });
});
