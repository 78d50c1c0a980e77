// The results screen's equality test and report key as a state machine: keys in, state and effects out, no ink.
import { describe, expect, it } from 'vitest';
import type { EqualityResult } from '../../src/audit/equality.js';
import {
  initialResultsState,
  PICK_PROMPT,
  REPORT_BUSY,
  type ResultsAction,
  type ResultsBounds,
  type ResultsState,
  reduceResults,
  resultsKeyAction,
} from '../../src/tui/hooks/results-state.js';
import { press } from './key-presses.js';

const bounds: ResultsBounds = {
  signals: 2,
  method: 'nj',
  treeLines: 20,
  bodyHeight: 15,
  traitRows: 5,
  traits: 3,
  probes: 2,
  responses: 5,
  perPage: 3,
  models: 5,
  predictRows: 4,
};

const EFFECTS = new Set<ResultsAction['type']>(['back', 'export', 'test-equality', 'write-report']);

function run(keys: readonly string[], state: ResultsState = initialResultsState()) {
  const effects: ResultsAction[] = [];
  for (const name of keys) {
    const [input, key] = press(name);
    const action = resultsKeyAction(state, bounds, input, key);
    if (!action) continue;
    if (EFFECTS.has(action.type)) effects.push(action);
    state = reduceResults(state, action);
  }
  return { state, effects };
}

function result(topProbes: number): EqualityResult {
  return {
    a: 'lab:base',
    b: 'lab:moby',
    statistic: 7.5,
    pValue: 0.001,
    alpha: 0.05,
    reject: true,
    probes: 12,
    permutations: 1000,
    seed: 1,
    effect: { estimate: 0.4, ci95: [0.3, 0.5], name: 'ngram MMD' },
    components: [],
    topProbes: Array.from({ length: topProbes }, (_, i) => ({
      probe: `q${i}`,
      contribution: 1 / topProbes,
      a: ['x', 'y'],
      b: ['z'],
    })),
  };
}

describe('results state: marking two models and testing them for equality', () => {
  it('t opens the picker; space marks, the arrows move, and enter tests the two marked in marking order', () => {
    const picking = run(['t']).state;
    expect(picking).toMatchObject({ mode: { kind: 'pick-pair', cursor: 0, marks: [] }, status: PICK_PROMPT });
    const marked = run([' ', 'down', 'down', 'down', ' '], picking).state;
    expect(marked.mode).toEqual({ kind: 'pick-pair', cursor: 3, marks: [0, 3] });
    const tested = run(['enter'], marked);
    expect(tested.effects).toEqual([{ type: 'test-equality', a: 0, b: 3 }]);
    expect(tested.state).toMatchObject({ mode: { kind: 'testing', a: 0, b: 3 }, status: 'testing…' });
  });

  it('space on a marked model unmarks it; a third mark drops the oldest; the cursor stays in the list', () => {
    expect(run(['t', ' ', ' ']).state.mode).toMatchObject({ marks: [] });
    expect(run(['t', ' ', 'j', ' ', 'j', ' ']).state.mode).toMatchObject({ marks: [1, 2], cursor: 2 });
    expect(run(['t', 'up']).state.mode).toMatchObject({ cursor: 0 });
    expect(run(['t', ...Array(9).fill('down')]).state.mode).toMatchObject({ cursor: 4 });
  });

  it('enter with fewer than two marks says so and tests nothing; escape leaves the picker', () => {
    const one = run(['t', ' ', 'enter']);
    expect(one.effects).toEqual([]);
    expect(one.state.mode.kind).toBe('pick-pair');
    expect(one.state.status).toContain('mark two models with space (1 marked)');
    // While picking, keys are the picker's: `j` moves the cursor rather than the tab's row, `4` does nothing.
    expect(run(['t', '4']).state.tab).toBe('tree');
    const left = run(['t', ' ', 'escape']);
    expect(left.effects).toEqual([]);
    expect(left.state).toMatchObject({ mode: { kind: 'browse' }, status: undefined });
  });

  it('shows the verdict when the awaited test settles, and ignores a test no longer awaited', () => {
    const testing = run(['t', ' ', 'j', ' ', 'enter']).state;
    const outcome = { kind: 'done', result: result(3) } as const;
    // Another pair's result (a test the user left) changes nothing.
    expect(reduceResults(testing, { type: 'equality-settled', a: 0, b: 2, outcome })).toBe(testing);
    const verdict = reduceResults(testing, { type: 'equality-settled', a: 0, b: 1, outcome });
    expect(verdict).toMatchObject({
      mode: { kind: 'verdict', a: 0, b: 1, probeAt: 0, sampleAt: 0 },
      status: undefined,
    });
    // Escape while testing stops waiting: the late result is dropped.
    const left = run(['escape'], testing).state;
    expect(left.mode.kind).toBe('browse');
    expect(reduceResults(left, { type: 'equality-settled', a: 0, b: 1, outcome })).toBe(left);
    // Other keys wait for the test.
    expect(run(['4', 'e', 't'], testing).state).toBe(testing);
  });

  it('in the verdict, the arrows pick a contributing probe, n cycles samples, t picks again, esc goes back', () => {
    const testing = run(['t', ' ', 'j', ' ', 'enter']).state;
    const verdict = reduceResults(testing, {
      type: 'equality-settled',
      a: 0,
      b: 1,
      outcome: { kind: 'done', result: result(3) },
    });
    expect(run(['down', 'down', 'down', 'down'], verdict).state.mode).toMatchObject({ probeAt: 2 });
    expect(run(['n', 'n'], verdict).state.mode).toMatchObject({ sampleAt: 2 });
    expect(run(['t'], verdict).state.mode).toEqual({ kind: 'pick-pair', cursor: 1, marks: [0, 1] });
    expect(run(['escape'], verdict).state.mode).toEqual({ kind: 'browse' });
    const failed = reduceResults(testing, {
      type: 'equality-settled',
      a: 0,
      b: 1,
      outcome: { kind: 'failed', message: 'share 2 answered probes' },
    });
    expect(failed.mode).toMatchObject({ kind: 'verdict', outcome: { kind: 'failed' } });
    expect(run(['down'], failed).state.mode).toMatchObject({ probeAt: 0 });
  });
});

describe('results state: the report key', () => {
  it('h asks the screen to write the report once, and says so until it settles', () => {
    const writing = run(['h']);
    expect(writing.effects).toEqual([{ type: 'write-report' }]);
    expect(writing.state).toMatchObject({ reporting: true, status: 'writing the HTML report…' });
    const again = run(['h'], writing.state);
    expect(again.effects).toEqual([]);
    expect(again.state.status).toBe(REPORT_BUSY);
    // Browsing goes on while the report is written.
    expect(run(['4'], writing.state).state.tab).toBe('traits');
    const done = reduceResults(writing.state, { type: 'report-settled', text: 'report written to /r/report.html' });
    expect(done).toMatchObject({ reporting: false, status: 'report written to /r/report.html' });
    expect(run(['h'], done).effects).toEqual([{ type: 'write-report' }]);
  });
});

describe('results state: the predict tab', () => {
  it('is tab 6; the arrows move its row within the prediction table', () => {
    const predict = run(['6']).state;
    expect(predict.tab).toBe('predict');
    expect(run(['down', 'down', 'j', 'j', 'j'], predict).state.predict.row).toBe(3);
    expect(run(['down', 'up', 'k'], predict).state.predict.row).toBe(0);
    // Elsewhere the arrows are the other tabs'.
    expect(run(['4', 'down']).state.predict.row).toBe(0);
  });
});
