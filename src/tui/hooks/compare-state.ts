// The compare screen's state machine, without ink: which signal and tree method, which model row is selected, and
// the drift audit of the two runs (computed once per pair of runs, in the background: it runs one equality test
// per shared model, seconds on a big run, so the screen draws "testing…" meanwhile).
import type { TreeMethodName } from '../backend.js';
import type { DriftReport } from '../../audit/drift.js';
import { TREE_METHODS } from '../../phylo/index.js';
import { type KeyPress, moveWithin } from './key-press.js';

export type DriftState =
  | { readonly kind: 'testing' }
  | { readonly kind: 'done'; readonly report: DriftReport }
  | { readonly kind: 'failed'; readonly message: string };

export interface CompareState {
  /** Index into the signals both runs have (wraps). */
  readonly signalAt: number;
  /** Undefined: the method the analysis recommends for the signal. */
  readonly method: TreeMethodName | undefined;
  /** Row of the models table (most moved first). */
  readonly row: number;
  readonly drift: DriftState;
}

export interface CompareBounds {
  /** The method the trees are drawn with now (the choice, or the signal's default). */
  readonly method: TreeMethodName;
  /** Rows of the models table. */
  readonly models: number;
}

export type CompareAction =
  | { readonly type: 'next-signal' }
  | { readonly type: 'method'; readonly method: TreeMethodName }
  | { readonly type: 'move-row'; readonly delta: number; readonly count: number }
  | { readonly type: 'drift'; readonly drift: DriftState }
  // Effect: the screen goes home after the reducer has seen it.
  | { readonly type: 'back' };

export function initialCompareState(): CompareState {
  return { signalAt: 0, method: undefined, row: 0, drift: { kind: 'testing' } };
}

export function reduceCompare(state: CompareState, action: CompareAction): CompareState {
  switch (action.type) {
    case 'next-signal':
      // As on the results screen: each signal starts at the method its analysis recommends.
      return { ...state, signalAt: state.signalAt + 1, method: undefined };
    case 'method':
      return { ...state, method: action.method };
    case 'move-row':
      return { ...state, row: moveWithin(state.row, action.delta, action.count) };
    case 'drift':
      return { ...state, drift: action.drift };
    case 'back':
      return state;
  }
}

export function compareKeyAction(
  _state: CompareState,
  bounds: CompareBounds,
  input: string,
  key: KeyPress,
): CompareAction | undefined {
  if (key.escape) return { type: 'back' };
  if (input === 's') return { type: 'next-signal' };
  if (input === 'm')
    return { type: 'method', method: TREE_METHODS[(TREE_METHODS.indexOf(bounds.method) + 1) % TREE_METHODS.length]! };
  if (key.upArrow || input === 'k') return { type: 'move-row', delta: -1, count: bounds.models };
  if (key.downArrow || input === 'j') return { type: 'move-row', delta: 1, count: bounds.models };
  return undefined;
}
