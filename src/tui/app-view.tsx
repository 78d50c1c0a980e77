// The app: one route at a time (home, new run, run, results, compare), a help overlay on `?`, and the terminal's
// size passed down so every screen lays itself out for it. All data comes through the TuiBackend; the state machine
// is in hooks/app-state.ts, and this runs its effects (discovery, the store, starting a run).
import { type ReactNode, useCallback, useEffect } from 'react';
import { Box, Text, useApp } from 'ink';
import type { NewRunRequest, RunHandle, TuiBackend } from './backend.js';
import { useKeys } from './hooks/use-keys.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useMachine } from './hooks/use-machine.js';
import { type AppAction, appKeyAction, initialAppState, reduceApp, type Route } from './hooks/app-state.js';
import type { NewRunStep } from './hooks/new-run-state.js';
import { HelpOverlay } from './components/help-overlay.js';
import type { KeyHint } from './components/key-hints.js';
import { HomeScreen, HOME_KEYS } from './screens/home.js';
import { NewRunScreen, NEW_RUN_KEYS } from './screens/new-run.js';
import { RUN_KEYS } from './screens/run.js';
import { RunRoute } from './screens/run-live.js';
import { RESULTS_KEYS } from './screens/results.js';
import { COMPARE_KEYS } from './screens/compare.js';
import { CompareRoute, ResultsRoute } from './screens/analysis-routes.js';
import { oneLine } from '../core/sanitize.js';
import type { BenchmarkScores } from '../core/benchmark-scores.js';
import { useTheme, tint } from './theme.js';

export type { Route } from './hooks/app-state.js';

export interface AppProps {
  readonly backend: TuiBackend;
  readonly initialRoute?: Route;
  /** Told when a run starts and stops, so the launcher can stop it cleanly if the app is killed. */
  onRunChange?(handle: RunHandle | undefined): void;
  /** Benchmark scores the results screen predicts (phylo tui --scores FILE --column NAME). */
  readonly scores?: BenchmarkScores;
}

function message(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}

/** The store's recent runs, or the status line saying why they cannot be read. */
function readRuns(backend: TuiBackend): AppAction {
  try {
    return { type: 'runs', runs: backend.recentRuns() };
  } catch (err) {
    return { type: 'status', text: `cannot read the store: ${message(err)}` };
  }
}

export function App({ backend, initialRoute, onRunChange, scores }: AppProps) {
  const theme = useTheme();
  const { exit } = useApp();
  const { columns, rows, generation } = useTerminalSize();
  const [state, send, latest] = useMachine(reduceApp, () => initialAppState(initialRoute));
  const { route, help, status } = state;

  useEffect(() => {
    let live = true;
    const settle = <T,>(
      promise: Promise<T>,
      ok: (value: T) => AppAction,
      source: 'providers' | 'lab-models' | 'suites',
    ) =>
      promise.then(
        (value) => live && send(ok(value)),
        (err: unknown) => live && send({ type: 'discovery-failed', source, message: message(err) }),
      );
    send(readRuns(backend));
    settle(backend.labModels(), (models) => ({ type: 'lab-models', models }), 'lab-models');
    settle(backend.providers(), (providers) => ({ type: 'providers', providers }), 'providers');
    settle(backend.suites(), (suites) => ({ type: 'suites', suites }), 'suites');
    return () => {
      live = false;
    };
  }, [backend, send]);

  const go = (next: Route) => {
    send({ type: 'go', route: next });
    if (next.name === 'home') send(readRuns(backend));
  };

  const startRun = (request: NewRunRequest) => {
    send({ type: 'run-requested', models: request.models });
    backend.startRun(request).then(
      (handle) => {
        onRunChange?.(handle);
        handle.done.then(
          () => onRunChange?.(undefined),
          (err: unknown) => {
            onRunChange?.(undefined);
            send({ type: 'status', text: `run ${handle.name} failed: ${message(err)}` });
          },
        );
        go({ name: 'run', handle });
      },
      (err: unknown) => send({ type: 'status', text: `cannot start the run: ${message(err)}` }),
    );
  };
  // Stable, so the new-run screen's effects do not run again on every render of the app.
  const estimate = useCallback((r: Omit<NewRunRequest, 'name'>) => backend.estimate(r), [backend]);
  const onNewRunStep = useCallback((step: NewRunStep) => send({ type: 'new-run-step', step }), [send]);

  useKeys((input, key) => {
    const action = appKeyAction(latest(), input, key);
    if (action) send(action);
  }, true);

  const width = Math.max(40, columns);
  const height = Math.max(12, rows - 1);
  const active = !help;
  const home = () => go({ name: 'home' });

  let screen: ReactNode;
  let keys: readonly KeyHint[];
  let screenName: string = route.name;
  switch (route.name) {
    case 'home':
      keys = HOME_KEYS;
      screen = (
        <HomeScreen
          width={width}
          height={height}
          resultsDir={backend.resultsDir}
          providers={state.providers}
          labModels={state.labModels}
          runs={state.runs}
          active={active}
          status={status}
          onNewRun={() => go({ name: 'new' })}
          onOpen={(run) => go({ name: 'results', run })}
          onCompare={(a, b) => go({ name: 'compare', a, b })}
          onQuit={() => exit()}
        />
      );
      break;
    case 'new':
      keys = NEW_RUN_KEYS[state.newRunStep];
      screenName = `new run (${state.newRunStep})`;
      screen =
        state.suites === undefined ? (
          <Text dimColor={theme.color}>loading suites…</Text>
        ) : (
          <Box flexDirection="column">
            <NewRunScreen
              width={width}
              height={height}
              providers={state.providers ?? []}
              labModels={state.labModels ?? []}
              suites={state.suites}
              active={active}
              initialModels={state.lastModels}
              estimate={estimate}
              onStep={onNewRunStep}
              onBack={home}
              onStart={startRun}
            />
            {status ? <Text color={tint(theme, 'red')}>{status}</Text> : null}
          </Box>
        );
      break;
    case 'run':
      keys = RUN_KEYS;
      screen = (
        <RunRoute
          handle={route.handle}
          width={width}
          height={height}
          active={active}
          onResults={() => go({ name: 'results', run: route.handle.name })}
          onHome={home}
        />
      );
      break;
    case 'results':
      keys = RESULTS_KEYS;
      screen = (
        <ResultsRoute
          backend={backend}
          run={route.run}
          tab={route.tab}
          scores={scores}
          width={width}
          height={height}
          active={active}
          onBack={home}
        />
      );
      break;
    case 'compare':
      keys = COMPARE_KEYS;
      screen = (
        <CompareRoute
          backend={backend}
          a={route.a}
          b={route.b}
          width={width}
          height={height}
          active={active}
          onBack={home}
        />
      );
      break;
  }

  // The screen stays mounted under the help (hidden, keys off), so closing the help returns to it as it was.
  // Clipped to the terminal: on a resize ink redraws once before the screens learn the new size, and a line
  // wider than the terminal would wrap into debris that the next frame cannot erase.
  return (
    <Box flexDirection="column" width="100%" overflow="hidden">
      <Box display={help ? 'none' : 'flex'} flexDirection="column">
        {screen}
      </Box>
      {help ? <HelpOverlay screen={screenName} keys={keys} /> : null}
      {/* An empty last line on every other resize: the first frame after a resize always differs, so ink draws it
          in full after the launcher has cleared the screen. */}
      {generation % 2 === 1 ? <Text> </Text> : null}
    </Box>
  );
}
