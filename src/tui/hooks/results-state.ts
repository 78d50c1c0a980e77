// The results screen's state machine, without ink: which tab, which tree (signal, method, rooting, outgroup), where
// each tab is scrolled to, and what the next key means (browsing, picking an export format, marking two models for
// the equality test, waiting for it, reading its verdict).
// `resultsKeyAction` maps a key to an action, `reduceResults` an action to the next state. Some actions are also
// effects the screen carries out after reducing them (`back`, `export`); the state records that they happened.
import type { Exported, TreeMethodName } from '../backend.js';
import type { EqualityResult } from '../../audit/equality.js';
import { TREE_METHODS } from '../../phylo/index.js';
import { ROOTINGS, type Rooting } from '../results-view.js';
import { cycle, type KeyPress, moveWithin } from './key-press.js';

export const RESULT_TABS = ['tree', 'heatmap', 'map', 'traits', 'evidence', 'predict'] as const;
export type ResultTab = (typeof RESULT_TABS)[number];

/**
 * What the next key means. One mode per pending choice, so a feature that asks the user for something (two models
 * to test for equality, say) is one more member here and one more branch in `resultsKeyAction`.
 */
export type ResultsMode =
  | { readonly kind: 'browse' }
  | { readonly kind: 'choose-export' }
  /** Marking two models (indices into the run's models, oldest mark first) for the equality test. */
  | { readonly kind: 'pick-pair'; readonly cursor: number; readonly marks: readonly number[] }
  /** The test of models[a] against models[b] is running (the screen runs it; its result comes back as an action). */
  | { readonly kind: 'testing'; readonly a: number; readonly b: number }
  | {
      readonly kind: 'verdict';
      readonly a: number;
      readonly b: number;
      readonly outcome: EqualityOutcome;
      /** The contributing probe shown in full, and which sample of each model's answers. */
      readonly probeAt: number;
      readonly sampleAt: number;
    };

export type EqualityOutcome =
  | { readonly kind: 'done'; readonly result: EqualityResult }
  | { readonly kind: 'failed'; readonly message: string };

export interface ResultsState {
  readonly tab: ResultTab;
  /** Index into the run's signals. */
  readonly signalAt: number;
  /** Undefined: the method the analysis recommends for the signal. */
  readonly method: TreeMethodName | undefined;
  readonly rooting: Rooting;
  /** Index into the matrix labels, used when rooting is `outgroup`. */
  readonly outgroupAt: number;
  readonly tree: { readonly scroll: number };
  /** Sort column 0 is the model name, c > 0 trait c - 1. */
  readonly traits: { readonly sortColumn: number; readonly descending: boolean; readonly row: number };
  /** The probe shown, the first model column, and which sample of each model's answers. */
  readonly evidence: { readonly probeAt: number; readonly modelPage: number; readonly sampleAt: number };
  /** The highlighted row of the benchmark prediction table. */
  readonly predict: { readonly row: number };
  readonly mode: ResultsMode;
  readonly status: string | undefined;
  /** An HTML report is being written (a second `h` waits for it). */
  readonly reporting: boolean;
}

/** What the keys are bounded by: counts from the analysed run and sizes from the layout. */
export interface ResultsBounds {
  readonly signals: number;
  /** The method the tree is drawn with now (the choice, or the signal's default). */
  readonly method: TreeMethodName;
  readonly treeLines: number;
  readonly bodyHeight: number;
  readonly traitRows: number;
  readonly traits: number;
  readonly probes: number;
  readonly responses: number;
  /** Model columns that fit side by side on the evidence tab. */
  readonly perPage: number;
  /** Models in the run (the pair picker's list). */
  readonly models: number;
  /** Rows of the benchmark prediction table (0 without scores). */
  readonly predictRows: number;
}

export type ResultsAction =
  | { readonly type: 'tab'; readonly tab: ResultTab }
  | { readonly type: 'next-signal'; readonly count: number }
  | { readonly type: 'method'; readonly method: TreeMethodName }
  | { readonly type: 'next-rooting' }
  | { readonly type: 'next-outgroup' }
  | { readonly type: 'scroll-tree'; readonly delta: number; readonly lines: number; readonly height: number }
  | { readonly type: 'move-row'; readonly delta: number; readonly count: number }
  | { readonly type: 'sort-column'; readonly delta: number; readonly traits: number }
  | { readonly type: 'flip-direction' }
  | { readonly type: 'move-probe'; readonly delta: number; readonly count: number }
  | { readonly type: 'page-models'; readonly delta: number; readonly perPage: number; readonly count: number }
  | { readonly type: 'next-sample' }
  | { readonly type: 'move-predict-row'; readonly delta: number; readonly count: number }
  | { readonly type: 'choose-export' }
  | { readonly type: 'cancel' }
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'pick-pair' }
  | { readonly type: 'pick-move'; readonly delta: number; readonly count: number }
  | { readonly type: 'pick-toggle' }
  | { readonly type: 'verdict-probe'; readonly delta: number; readonly count: number }
  | { readonly type: 'verdict-sample' }
  /** The screen's answer to `test-equality` (ignored unless that test is still the one awaited). */
  | { readonly type: 'equality-settled'; readonly a: number; readonly b: number; readonly outcome: EqualityOutcome }
  | { readonly type: 'report-settled'; readonly text: string }
  // Effects: the screen acts on these after the reducer has seen them.
  | { readonly type: 'back' }
  | { readonly type: 'export'; readonly format: Exported['format'] }
  | { readonly type: 'test-equality'; readonly a: number; readonly b: number }
  | { readonly type: 'write-report' };

export const EXPORT_PROMPT = 'export: n Newick, t TSV, j JSON (any other key cancels)';
export const PICK_PROMPT = 'equality test: ↑↓ move, space marks two models, enter tests them, esc cancels';
export const REPORT_BUSY = 'still writing the HTML report…';
const EXPORT_KEYS: ReadonlyMap<string, Exported['format']> = new Map<string, Exported['format']>([
  ['n', 'newick'],
  ['t', 'tsv'],
  ['j', 'json'],
]);

export function initialResultsState(tab: ResultTab = 'tree'): ResultsState {
  return {
    tab,
    signalAt: 0,
    method: undefined,
    rooting: 'midpoint',
    outgroupAt: 0,
    tree: { scroll: 0 },
    traits: { sortColumn: 0, descending: false, row: 0 },
    evidence: { probeAt: 0, modelPage: 0, sampleAt: 0 },
    predict: { row: 0 },
    mode: { kind: 'browse' },
    status: undefined,
    reporting: false,
  };
}

/** The marks after space on `cursor`: unmarked if marked, else marked, dropping the oldest beyond two. */
function toggleMark(marks: readonly number[], cursor: number): number[] {
  if (marks.includes(cursor)) return marks.filter((m) => m !== cursor);
  return [...marks, cursor].slice(-2);
}

function reduceEquality(state: ResultsState, action: ResultsAction): ResultsState {
  const { mode } = state;
  switch (action.type) {
    case 'pick-pair': {
      // Picking again after a verdict starts from the pair just tested.
      const marks = mode.kind === 'verdict' ? [mode.a, mode.b] : [];
      return { ...state, mode: { kind: 'pick-pair', cursor: marks[1] ?? 0, marks }, status: PICK_PROMPT };
    }
    case 'pick-move':
      if (mode.kind !== 'pick-pair') return state;
      return { ...state, mode: { ...mode, cursor: moveWithin(mode.cursor, action.delta, action.count) } };
    case 'pick-toggle':
      if (mode.kind !== 'pick-pair') return state;
      return { ...state, mode: { ...mode, marks: toggleMark(mode.marks, mode.cursor) } };
    case 'test-equality':
      return { ...state, mode: { kind: 'testing', a: action.a, b: action.b }, status: 'testing…' };
    case 'equality-settled':
      if (mode.kind !== 'testing' || mode.a !== action.a || mode.b !== action.b) return state;
      return {
        ...state,
        mode: { kind: 'verdict', a: action.a, b: action.b, outcome: action.outcome, probeAt: 0, sampleAt: 0 },
        status: undefined,
      };
    case 'verdict-probe':
      if (mode.kind !== 'verdict') return state;
      return { ...state, mode: { ...mode, probeAt: moveWithin(mode.probeAt, action.delta, action.count) } };
    case 'verdict-sample':
      if (mode.kind !== 'verdict') return state;
      return { ...state, mode: { ...mode, sampleAt: mode.sampleAt + 1 } };
    default:
      return state;
  }
}

export function reduceResults(state: ResultsState, action: ResultsAction): ResultsState {
  const { traits, evidence } = state;
  switch (action.type) {
    case 'tab':
      return { ...state, tab: action.tab };
    case 'next-signal':
      // Each signal starts at its recommended method.
      return { ...state, signalAt: cycle(state.signalAt, 1, Math.max(1, action.count)), method: undefined };
    case 'method':
      return { ...state, method: action.method };
    case 'next-rooting':
      return { ...state, rooting: ROOTINGS[cycle(ROOTINGS.indexOf(state.rooting), 1, ROOTINGS.length)]! };
    case 'next-outgroup':
      return { ...state, outgroupAt: state.outgroupAt + 1, rooting: 'outgroup' };
    case 'scroll-tree': {
      const last = Math.max(0, action.lines - action.height);
      return { ...state, tree: { scroll: Math.max(0, Math.min(last, state.tree.scroll + action.delta)) } };
    }
    case 'move-row':
      return { ...state, traits: { ...traits, row: moveWithin(traits.row, action.delta, action.count) } };
    case 'sort-column':
      return {
        ...state,
        traits: { ...traits, sortColumn: moveWithin(traits.sortColumn, action.delta, action.traits + 1) },
      };
    case 'flip-direction':
      return { ...state, traits: { ...traits, descending: !traits.descending } };
    case 'move-probe':
      return {
        ...state,
        evidence: { ...evidence, probeAt: moveWithin(evidence.probeAt, action.delta, action.count), sampleAt: 0 },
      };
    case 'page-models': {
      const last = Math.max(0, action.count - action.perPage);
      const modelPage = Math.max(0, Math.min(last, evidence.modelPage + action.delta * action.perPage));
      return { ...state, evidence: { ...evidence, modelPage } };
    }
    case 'next-sample':
      return { ...state, evidence: { ...evidence, sampleAt: evidence.sampleAt + 1 } };
    case 'move-predict-row':
      return { ...state, predict: { row: moveWithin(state.predict.row, action.delta, action.count) } };
    case 'choose-export':
      return { ...state, mode: { kind: 'choose-export' }, status: EXPORT_PROMPT };
    case 'cancel':
      return { ...state, mode: { kind: 'browse' }, status: undefined };
    case 'status':
      return { ...state, status: action.text };
    case 'back':
      return state;
    case 'export':
      return { ...state, mode: { kind: 'browse' }, status: `exporting ${action.format}…` };
    case 'write-report':
      return { ...state, reporting: true, status: 'writing the HTML report…' };
    case 'report-settled':
      return { ...state, reporting: false, status: action.text };
    default:
      return reduceEquality(state, action);
  }
}

function browseKey(
  state: ResultsState,
  bounds: ResultsBounds,
  input: string,
  key: KeyPress,
): ResultsAction | undefined {
  const digit = Number.parseInt(input, 10);
  const tabAt = RESULT_TABS.indexOf(state.tab);
  if (key.escape) return { type: 'back' };
  if (digit >= 1 && digit <= RESULT_TABS.length) return { type: 'tab', tab: RESULT_TABS[digit - 1]! };
  if (key.rightArrow || key.tab) return { type: 'tab', tab: RESULT_TABS[cycle(tabAt, 1, RESULT_TABS.length)]! };
  if (key.leftArrow) return { type: 'tab', tab: RESULT_TABS[cycle(tabAt, -1, RESULT_TABS.length)]! };
  if (input === 's') return { type: 'next-signal', count: bounds.signals };
  if (input === 'm')
    return {
      type: 'method',
      method: TREE_METHODS[cycle(TREE_METHODS.indexOf(bounds.method), 1, TREE_METHODS.length)]!,
    };
  if (input === 'r') return { type: 'next-rooting' };
  if (input === 'o') return { type: 'next-outgroup' };
  if (input === 'e') return { type: 'choose-export' };
  if (input === 't') return { type: 'pick-pair' };
  if (input === 'h') return state.reporting ? { type: 'status', text: REPORT_BUSY } : { type: 'write-report' };
  if (key.upArrow || key.downArrow || input === 'k' || input === 'j') {
    const delta = key.upArrow || input === 'k' ? -1 : 1;
    if (state.tab === 'tree') return { type: 'scroll-tree', delta, lines: bounds.treeLines, height: bounds.bodyHeight };
    if (state.tab === 'traits') return { type: 'move-row', delta, count: bounds.traitRows };
    if (state.tab === 'evidence') return { type: 'move-probe', delta, count: bounds.probes };
    if (state.tab === 'predict') return { type: 'move-predict-row', delta, count: bounds.predictRows };
    return undefined;
  }
  if (input === '[' || input === ']') {
    const delta = input === '[' ? -1 : 1;
    if (state.tab === 'traits') return { type: 'sort-column', delta, traits: bounds.traits };
    if (state.tab === 'evidence')
      return { type: 'page-models', delta, perPage: bounds.perPage, count: bounds.responses };
    return undefined;
  }
  if (input === 'd' && state.tab === 'traits') return { type: 'flip-direction' };
  if (input === 'n' && state.tab === 'evidence') return { type: 'next-sample' };
  return undefined;
}

/** The action a key stands for in the current mode, or nothing. */
export function resultsKeyAction(
  state: ResultsState,
  bounds: ResultsBounds,
  input: string,
  key: KeyPress,
): ResultsAction | undefined {
  switch (state.mode.kind) {
    case 'choose-export': {
      const format = EXPORT_KEYS.get(input);
      return format ? { type: 'export', format } : { type: 'cancel' };
    }
    case 'browse':
      return browseKey(state, bounds, input, key);
    case 'pick-pair': {
      const { mode } = state;
      if (key.escape) return { type: 'cancel' };
      if (key.upArrow || input === 'k') return { type: 'pick-move', delta: -1, count: bounds.models };
      if (key.downArrow || input === 'j') return { type: 'pick-move', delta: 1, count: bounds.models };
      if (input === ' ') return { type: 'pick-toggle' };
      if (key.return) {
        const [a, b] = mode.marks;
        if (a === undefined || b === undefined)
          return { type: 'status', text: `mark two models with space (${mode.marks.length} marked); esc cancels` };
        return { type: 'test-equality', a, b };
      }
      return undefined;
    }
    case 'testing':
      // The test finishes in the background; escape stops waiting for it (its result is then ignored).
      return key.escape ? { type: 'cancel' } : undefined;
    case 'verdict': {
      const count = state.mode.outcome.kind === 'done' ? state.mode.outcome.result.topProbes.length : 0;
      if (key.escape || key.return) return { type: 'cancel' };
      if (key.upArrow || input === 'k') return { type: 'verdict-probe', delta: -1, count };
      if (key.downArrow || input === 'j') return { type: 'verdict-probe', delta: 1, count };
      if (input === 'n') return { type: 'verdict-sample' };
      if (input === 't') return { type: 'pick-pair' };
      return undefined;
    }
  }
}
