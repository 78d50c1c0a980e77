// The app's state machine, without ink: the route (one screen at a time), the help overlay, what discovery found
// (providers, lab zoo, suites, recent runs) and the one-line status. The app view runs the effects (discovery, the
// store, starting a run) and dispatches what they bring back; `appKeyAction` holds the keys that work everywhere.
import type { ProviderStatus, RunHandle, SuiteInfo } from '../backend.js';
import type { RunSummaryRow } from '../../store/api.js';
import type { KeyPress } from './key-press.js';
import type { NewRunStep } from './new-run-state.js';
import type { ResultTab } from './results-state.js';

export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'new' }
  | { readonly name: 'run'; readonly handle: RunHandle }
  | { readonly name: 'results'; readonly run: string; readonly tab?: ResultTab }
  | { readonly name: 'compare'; readonly a: string; readonly b: string };

/** What the app asks the backend for at start; each is undefined until it answers. */
export type DiscoverySource = 'providers' | 'lab-models' | 'suites';

export interface AppState {
  readonly route: Route;
  readonly help: boolean;
  readonly providers: readonly ProviderStatus[] | undefined;
  readonly labModels: readonly string[] | undefined;
  readonly suites: readonly SuiteInfo[] | undefined;
  readonly runs: readonly RunSummaryRow[];
  readonly status: string | undefined;
  /** The new-run screen's step, for the help overlay. */
  readonly newRunStep: NewRunStep;
  /** The models of the last run started: the next new run starts with them selected. */
  readonly lastModels: readonly string[] | undefined;
}

export type AppAction =
  | { readonly type: 'go'; readonly route: Route }
  | { readonly type: 'toggle-help' }
  | { readonly type: 'close-help' }
  | { readonly type: 'providers'; readonly providers: readonly ProviderStatus[] }
  | { readonly type: 'lab-models'; readonly models: readonly string[] }
  | { readonly type: 'suites'; readonly suites: readonly SuiteInfo[] }
  /** Discovery failed: the source counts as empty and the status says why. */
  | { readonly type: 'discovery-failed'; readonly source: DiscoverySource; readonly message: string }
  | { readonly type: 'runs'; readonly runs: readonly RunSummaryRow[] }
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'new-run-step'; readonly step: NewRunStep }
  | { readonly type: 'run-requested'; readonly models: readonly string[] };

const FAILURE_PREFIX: Record<DiscoverySource, string> = {
  providers: 'provider discovery failed',
  'lab-models': 'lab zoo',
  suites: 'cannot load suites',
};

export function initialAppState(route: Route = { name: 'home' }): AppState {
  return {
    route,
    help: false,
    providers: undefined,
    labModels: undefined,
    suites: undefined,
    runs: [],
    status: undefined,
    newRunStep: 'models',
    lastModels: undefined,
  };
}

export function reduceApp(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'go':
      return {
        ...state,
        route: action.route,
        status: undefined,
        newRunStep: action.route.name === 'new' ? 'models' : state.newRunStep,
      };
    case 'toggle-help':
      return { ...state, help: !state.help };
    case 'close-help':
      return { ...state, help: false };
    case 'providers':
      return { ...state, providers: action.providers };
    case 'lab-models':
      return { ...state, labModels: action.models };
    case 'suites':
      return { ...state, suites: action.suites };
    case 'discovery-failed': {
      const status = `${FAILURE_PREFIX[action.source]}: ${action.message}`;
      if (action.source === 'providers') return { ...state, providers: [], status };
      if (action.source === 'lab-models') return { ...state, labModels: [], status };
      return { ...state, suites: [], status };
    }
    case 'runs':
      return { ...state, runs: action.runs };
    case 'status':
      return { ...state, status: action.text };
    case 'new-run-step':
      return state.newRunStep === action.step ? state : { ...state, newRunStep: action.step };
    case 'run-requested':
      return { ...state, lastModels: action.models };
  }
}

/** The keys the app handles whatever the screen: `?` shows and hides the help, escape closes it. */
export function appKeyAction(state: AppState, input: string, key: KeyPress): AppAction | undefined {
  if (input === '?') return { type: 'toggle-help' };
  if (state.help && key.escape) return { type: 'close-help' };
  return undefined;
}
