// The new-run screen's state machine, without ink: choose models (filter by typing, multi-select, add by id), a
// suite, samples, temperature, a name and whether to collect through the vendors' batch APIs, then confirm.
// `newRunKeyAction` maps a key to an action (or to leaving the screen), `reduceNewRun` maps an action to the next
// state; the screen draws the state and runs the effects.
import { runName } from '../../core/refs.js';
import { defaultRunName } from '../../core/run-name.js';
import type { NewRunRequest, ProviderStatus, RunEstimate, SuiteInfo } from '../backend.js';
import { type KeyPress, moveWithin } from './key-press.js';

export type NewRunStep = 'models' | 'suite' | 'settings' | 'confirm';
export const NEW_RUN_STEPS: readonly NewRunStep[] = ['models', 'suite', 'settings', 'confirm'];

export type SettingsField = 'samples' | 'temperature' | 'name' | 'batch';
export const SETTINGS_FIELDS: readonly SettingsField[] = ['samples', 'temperature', 'name', 'batch'];

export type EstimateState =
  | { readonly kind: 'none' }
  | { readonly kind: 'ready'; readonly estimate: RunEstimate }
  | { readonly kind: 'failed'; readonly message: string };

export interface NewRunState {
  readonly step: NewRunStep;
  readonly filter: string;
  readonly cursor: number;
  /** Model ids the user typed (tab); the list shows them after the discovered ones. */
  readonly extra: readonly string[];
  readonly selected: readonly string[];
  readonly suiteAt: number;
  readonly field: SettingsField;
  readonly samples: number;
  readonly temperature: number;
  /** The suite whose defaults `samples` and `temperature` started from: picking another suite starts over. */
  readonly settingsFor: string | undefined;
  /** Undefined until the user edits it: the default name follows the suite. */
  readonly name: string | undefined;
  /** Collect through the vendors' batch APIs (`phylo run --batch`): half price, minutes to hours. */
  readonly batch: boolean;
  readonly estimate: EstimateState;
  readonly note: string | undefined;
}

/** What the state machine reads from the screen's props. */
export interface NewRunContext {
  readonly providers: readonly ProviderStatus[];
  /** Lab model refs (`lab:...`), always available. */
  readonly labModels: readonly string[];
  readonly suites: readonly SuiteInfo[];
  readonly now: Date;
}

/** What the screen shows and the keys act on, derived from the state and the context. */
export interface NewRunView {
  readonly all: readonly string[];
  readonly shown: readonly string[];
  /** The cursor within `shown`. */
  readonly cursor: number;
  readonly suiteAt: number;
  readonly suite: SuiteInfo | undefined;
  readonly runName: string;
}

export type NewRunAction =
  | { readonly type: 'type-filter'; readonly text: string }
  | { readonly type: 'erase-filter'; readonly count: number }
  | { readonly type: 'clear-filter' }
  | { readonly type: 'move-cursor'; readonly delta: number; readonly count: number }
  /** Select them all, or unselect them all when every one is selected already. */
  | { readonly type: 'toggle'; readonly models: readonly string[] }
  | { readonly type: 'add-model'; readonly id: string }
  | { readonly type: 'go'; readonly step: NewRunStep }
  | { readonly type: 'move-suite'; readonly delta: number; readonly count: number }
  | { readonly type: 'open-settings'; readonly suite: SuiteInfo }
  | { readonly type: 'move-field'; readonly delta: number }
  | { readonly type: 'adjust'; readonly delta: number }
  | { readonly type: 'rename'; readonly name: string }
  | { readonly type: 'note'; readonly text: string }
  | { readonly type: 'estimate-started' }
  | { readonly type: 'estimated'; readonly estimate: RunEstimate }
  | { readonly type: 'estimate-failed'; readonly message: string };

/** Keys that leave the screen: the screen calls its `onBack` / `onStart`. */
export type NewRunExit = { readonly type: 'back' } | { readonly type: 'start'; readonly request: NewRunRequest };

const MODEL_REF = /^[a-z][a-z0-9_-]*:\S+$/;
const TEMPERATURE_STEP = 0.1;
const MAX_SAMPLES = 100;
const MAX_TEMPERATURE = 2;

export function availableModels(providers: readonly ProviderStatus[], labModels: readonly string[]): string[] {
  const refs = new Set<string>(labModels);
  for (const p of providers) if (p.state === 'ready') for (const m of p.models) refs.add(`${p.name}:${m}`);
  return [...refs];
}

export function initialNewRunState(initialModels: readonly string[] = []): NewRunState {
  return {
    step: 'models',
    filter: '',
    cursor: 0,
    extra: [],
    selected: initialModels,
    suiteAt: 0,
    field: 'samples',
    samples: 1,
    temperature: 0.7,
    settingsFor: undefined,
    name: undefined,
    batch: false,
    estimate: { kind: 'none' },
    note: undefined,
  };
}

export function newRunView(state: NewRunState, context: NewRunContext): NewRunView {
  const all = [...new Set([...availableModels(context.providers, context.labModels), ...state.extra])];
  const f = state.filter.toLowerCase();
  const shown = f ? all.filter((m) => m.toLowerCase().includes(f)) : all;
  const suiteAt = Math.max(0, Math.min(state.suiteAt, context.suites.length - 1));
  const suite = context.suites[suiteAt];
  return {
    all,
    shown,
    cursor: Math.min(state.cursor, Math.max(0, shown.length - 1)),
    suiteAt,
    suite,
    runName: state.name ?? defaultRunName(suite?.name ?? 'run', context.now),
  };
}

/** What to estimate now, or undefined while the models are being chosen (nothing is shown then). */
export function estimateRequest(state: NewRunState, view: NewRunView): Omit<NewRunRequest, 'name'> | undefined {
  if (!view.suite || state.selected.length === 0 || state.step === 'models') return undefined;
  return { models: state.selected, suite: view.suite.name, samples: state.samples, temperature: state.temperature };
}

function toggled(selected: readonly string[], models: readonly string[]): readonly string[] {
  const allOn = models.every((m) => selected.includes(m));
  return allOn
    ? selected.filter((m) => !models.includes(m))
    : [...selected, ...models.filter((m) => !selected.includes(m))];
}

export function reduceNewRun(state: NewRunState, action: NewRunAction): NewRunState {
  switch (action.type) {
    case 'type-filter':
      return { ...state, filter: state.filter + action.text, cursor: 0 };
    case 'erase-filter':
      return { ...state, filter: [...state.filter].slice(0, -action.count).join(''), cursor: 0 };
    case 'clear-filter':
      return { ...state, filter: '' };
    case 'move-cursor':
      return { ...state, cursor: moveWithin(Math.min(state.cursor, action.count - 1), action.delta, action.count) };
    case 'toggle':
      return { ...state, selected: toggled(state.selected, action.models) };
    case 'add-model':
      return {
        ...state,
        extra: state.extra.includes(action.id) ? state.extra : [...state.extra, action.id],
        selected: state.selected.includes(action.id) ? state.selected : [...state.selected, action.id],
        filter: '',
        cursor: 0,
        note: `added ${action.id}`,
      };
    case 'go':
      return { ...state, step: action.step, note: undefined };
    case 'move-suite':
      return { ...state, suiteAt: moveWithin(Math.min(state.suiteAt, action.count - 1), action.delta, action.count) };
    case 'open-settings': {
      // Settings start from the suite's own defaults (a gene suite wants 8 samples at temperature 1).
      const fresh = state.settingsFor !== action.suite.name;
      return {
        ...state,
        step: 'settings',
        note: undefined,
        samples: fresh ? action.suite.samples : state.samples,
        temperature: fresh ? action.suite.temperature : state.temperature,
        settingsFor: action.suite.name,
      };
    }
    case 'move-field': {
      const at = moveWithin(SETTINGS_FIELDS.indexOf(state.field), action.delta, SETTINGS_FIELDS.length);
      return { ...state, field: SETTINGS_FIELDS[at]! };
    }
    case 'adjust':
      if (state.field === 'samples')
        return { ...state, samples: Math.max(1, Math.min(MAX_SAMPLES, state.samples + action.delta)) };
      if (state.field === 'temperature') {
        const t = Math.max(0, Math.min(MAX_TEMPERATURE, state.temperature + action.delta * TEMPERATURE_STEP));
        return { ...state, temperature: Math.round(t * 10) / 10 };
      }
      if (state.field === 'batch') return { ...state, batch: !state.batch };
      return state;
    case 'rename':
      return { ...state, name: action.name };
    case 'note':
      return { ...state, note: action.text };
    case 'estimate-started':
      // The last estimate stays on screen until the new one arrives; a failure does not.
      return state.estimate.kind === 'failed' ? { ...state, estimate: { kind: 'none' } } : state;
    case 'estimated':
      return { ...state, estimate: { kind: 'ready', estimate: action.estimate } };
    case 'estimate-failed':
      return { ...state, estimate: { kind: 'failed', message: action.message } };
  }
}

type KeyResult = NewRunAction | NewRunExit | undefined;

function modelsKey(
  state: NewRunState,
  view: NewRunView,
  context: NewRunContext,
  input: string,
  key: KeyPress,
): KeyResult {
  if (key.escape) return state.filter ? { type: 'clear-filter' } : { type: 'back' };
  if (key.upArrow) return { type: 'move-cursor', delta: -1, count: view.shown.length };
  if (key.downArrow) return { type: 'move-cursor', delta: 1, count: view.shown.length };
  if (key.return) {
    if (state.selected.length === 0)
      return { type: 'note', text: 'select at least one model (space), or type an id and press tab' };
    if (context.suites.length === 0)
      return { type: 'note', text: 'no suites found in probes/: add a suite file first' };
    return { type: 'go', step: 'suite' };
  }
  if (key.tab) {
    const id = state.filter.trim();
    return MODEL_REF.test(id)
      ? { type: 'add-model', id }
      : { type: 'note', text: 'type a full model id such as openai:gpt-4o-mini, then press tab' };
  }
  if (key.ctrl && input === 'a') return { type: 'toggle', models: view.shown };
  if (input === ' ') {
    const model = view.shown[view.cursor];
    return model ? { type: 'toggle', models: [model] } : undefined;
  }
  // Several backspaces in one read (key repeat, a fast script) arrive as one string.
  if (key.backspace || key.delete || /^[\u007f\b]+$/.test(input))
    return { type: 'erase-filter', count: Math.max(1, input.length) };
  if (input && input !== '?' && !key.ctrl && !key.meta) {
    const printable = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
    if (printable) return { type: 'type-filter', text: printable };
  }
  return undefined;
}

/**
 * The first selected model whose provider has no batch API, as `phylo run --batch` would refuse it (lab models never
 * have one; a provider not discovered is left to the run to check).
 */
function unbatchable(selected: readonly string[], providers: readonly ProviderStatus[]): string | undefined {
  const batchOf = new Map(providers.map((p) => [p.name, p.batch]));
  return selected.find((m) => {
    const prefix = m.slice(0, m.indexOf(':'));
    return prefix === 'lab' || batchOf.get(prefix) === false;
  });
}

function settingsKey(
  state: NewRunState,
  view: NewRunView,
  context: NewRunContext,
  input: string,
  key: KeyPress,
): KeyResult {
  const delta = key.rightArrow || input === '+' ? 1 : key.leftArrow || input === '-' ? -1 : 0;
  if (key.escape) return { type: 'go', step: 'suite' };
  if (key.upArrow) return { type: 'move-field', delta: -1 };
  if (key.downArrow) return { type: 'move-field', delta: 1 };
  if (key.return) {
    const without = state.batch ? unbatchable(state.selected, context.providers) : undefined;
    if (without !== undefined)
      return {
        type: 'note',
        text: `batch: ${without} has no batch API (openai and anthropic have one); turn batch off or drop it`,
      };
    // The store's own check, so the screen refuses exactly the names the run would.
    try {
      runName(view.runName);
      return { type: 'go', step: 'confirm' };
    } catch (err) {
      return { type: 'note', text: err instanceof Error ? err.message : String(err) };
    }
  }
  if (state.field !== 'name') return delta !== 0 ? { type: 'adjust', delta } : undefined;
  if (key.backspace || key.delete) return { type: 'rename', name: view.runName.slice(0, -1) };
  if (input && /^[A-Za-z0-9._-]+$/.test(input)) return { type: 'rename', name: view.runName + input };
  return undefined;
}

/** The action a key stands for on the current step, or the screen's exit, or nothing. */
export function newRunKeyAction(
  state: NewRunState,
  context: NewRunContext,
  input: string,
  key: KeyPress,
): NewRunAction | NewRunExit | undefined {
  const view = newRunView(state, context);
  switch (state.step) {
    case 'models':
      return modelsKey(state, view, context, input, key);
    case 'suite':
      if (key.escape) return { type: 'go', step: 'models' };
      if (key.upArrow || input === 'k') return { type: 'move-suite', delta: -1, count: context.suites.length };
      if (key.downArrow || input === 'j') return { type: 'move-suite', delta: 1, count: context.suites.length };
      if (key.return && view.suite) return { type: 'open-settings', suite: view.suite };
      return undefined;
    case 'settings':
      return settingsKey(state, view, context, input, key);
    case 'confirm':
      if (key.escape) return { type: 'go', step: 'settings' };
      if (key.return && view.suite) {
        const { selected: models, samples, temperature, batch } = state;
        const request = { name: view.runName, models, suite: view.suite.name, samples, temperature };
        return { type: 'start', request: batch ? { ...request, batch } : request };
      }
      return undefined;
  }
}
