// The home screen's state machine, without ink: a cursor over the recent runs and up to two runs marked for
// comparison. `homeKeyAction` maps a key to an action or to leaving home (new run, open, compare, quit).
import type { RunSummaryRow } from '../../store/api.js';
import { type KeyPress, moveWithin } from './key-press.js';

export interface HomeState {
  readonly cursor: number;
  /** At most two run names, oldest mark first. */
  readonly marked: readonly string[];
  readonly note: string | undefined;
}

export type HomeAction =
  | { readonly type: 'move'; readonly delta: number; readonly count: number }
  /** Mark a run, or unmark it if it is marked; a third mark forgets the oldest. */
  | { readonly type: 'mark'; readonly run: string }
  | { readonly type: 'note'; readonly text: string };

export type HomeExit =
  | { readonly type: 'quit' }
  | { readonly type: 'new-run' }
  | { readonly type: 'open'; readonly run: string }
  | { readonly type: 'compare'; readonly a: string; readonly b: string };

export const INITIAL_HOME_STATE: HomeState = { cursor: 0, marked: [], note: undefined };

/** The cursor within the runs listed now (the list can shrink under it). */
export function homeCursor(state: HomeState, runs: readonly RunSummaryRow[]): number {
  return Math.min(state.cursor, Math.max(0, runs.length - 1));
}

export function reduceHome(state: HomeState, action: HomeAction): HomeState {
  switch (action.type) {
    case 'move':
      return { ...state, cursor: moveWithin(Math.min(state.cursor, action.count - 1), action.delta, action.count) };
    case 'mark': {
      const { marked } = state;
      const next = marked.includes(action.run) ? marked.filter((x) => x !== action.run) : [...marked, action.run];
      return { ...state, marked: next.slice(-2) };
    }
    case 'note':
      return { ...state, note: action.text };
  }
}

/** The two runs to compare, older first (the comparison reads "before -> after"), or undefined. */
function comparePair(state: HomeState, runs: readonly RunSummaryRow[]): readonly [string, string] | undefined {
  const here = runs[homeCursor(state, runs)]?.name;
  const [first, second] = state.marked;
  const pair =
    second !== undefined ? [first!, second] : first !== undefined && here && here !== first ? [first, here] : [];
  if (pair.length !== 2) return undefined;
  const when = (name: string) => runs.find((r) => r.name === name)?.updatedAt ?? '';
  const [a, b] = [...pair].sort((x, y) => when(x).localeCompare(when(y)));
  return [a!, b!];
}

export function homeKeyAction(
  state: HomeState,
  runs: readonly RunSummaryRow[],
  input: string,
  key: KeyPress,
): HomeAction | HomeExit | undefined {
  const here = runs[homeCursor(state, runs)];
  if (input === 'q') return { type: 'quit' };
  if (input === 'n') return { type: 'new-run' };
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1, count: runs.length };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1, count: runs.length };
  if (key.return) return here ? { type: 'open', run: here.name } : undefined;
  if (input === ' ') return here ? { type: 'mark', run: here.name } : undefined;
  if (input === 'c') {
    const pair = comparePair(state, runs);
    return pair
      ? { type: 'compare', a: pair[0], b: pair[1] }
      : { type: 'note', text: 'mark two runs with space, then press c' };
  }
  return undefined;
}
