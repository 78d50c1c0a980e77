// The app: one route at a time (home, new run, run, results, compare), a help overlay on `?`, and the terminal's
// size passed down so every screen lays itself out for it. All data comes through the TuiBackend.
import { useEffect, useState } from 'react';
import { Box, Text, useApp } from 'ink';
import type { ProviderStatus, ResultsData, RunHandle, SuiteInfo, TuiBackend } from './backend.js';
import type { RunSummaryRow } from '../store/api.js';
import { useKeys } from './hooks/use-keys.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { HelpOverlay } from './components/help-overlay.js';
import type { KeyHint } from './components/key-hints.js';
import { HomeScreen, HOME_KEYS } from './screens/home.js';
import { NewRunScreen, NEW_RUN_KEYS, type NewRunStep } from './screens/new-run.js';
import { RUN_KEYS } from './screens/run.js';
import { RunRoute } from './screens/run-live.js';
import { ResultsScreen, RESULTS_KEYS, type ResultTab } from './screens/results.js';
import { CompareScreen, COMPARE_KEYS } from './screens/compare.js';
import { oneLine } from '../core/sanitize.js';
import { useTheme, tint } from './theme.js';

export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'new' }
  | { readonly name: 'run'; readonly handle: RunHandle }
  | { readonly name: 'results'; readonly run: string; readonly tab?: ResultTab }
  | { readonly name: 'compare'; readonly a: string; readonly b: string };

export interface AppProps {
  readonly backend: TuiBackend;
  readonly initialRoute?: Route;
  /** Told when a run starts and stops, so the launcher can stop it cleanly if the app is killed. */
  onRunChange?(handle: RunHandle | undefined): void;
}

function message(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}

function Loading({ text }: { readonly text: string }) {
  const theme = useTheme();
  return <Text dimColor={theme.color}>{text}</Text>;
}

function useAnalysis(backend: TuiBackend, runs: readonly string[]): { data?: ResultsData[]; error?: string } {
  const [state, setState] = useState<{ data?: ResultsData[]; error?: string }>({});
  useEffect(() => {
    let live = true;
    setState({});
    Promise.all(runs.map((r) => backend.analyse(r))).then(
      (data) => live && setState({ data }),
      (err: unknown) => live && setState({ error: message(err) }),
    );
    return () => {
      live = false;
    };
  }, [backend, runs.join('\n')]);
  return state;
}

function ResultsRoute({
  backend,
  run,
  tab,
  width,
  height,
  active,
  onBack,
}: {
  backend: TuiBackend;
  run: string;
  tab?: ResultTab;
  width: number;
  height: number;
  active: boolean;
  onBack(): void;
}) {
  const theme = useTheme();
  const { data, error } = useAnalysis(backend, [run]);
  useKeys((_input, key) => key.escape && onBack(), active && !data);
  if (error) return <Text color={tint(theme, 'red')}>{`cannot analyse ${run}: ${error} (esc: home)`}</Text>;
  if (!data) return <Loading text={`analysing ${run}: phenotypes, distances, trees and bootstrap…`} />;
  return (
    <ResultsScreen
      width={width}
      height={height}
      data={data[0]!}
      active={active}
      initialTab={tab}
      onExport={(name, format, text) => backend.writeExport(name, format, text)}
      onBack={onBack}
    />
  );
}

function CompareRoute({
  backend,
  a,
  b,
  width,
  height,
  active,
  onBack,
}: {
  backend: TuiBackend;
  a: string;
  b: string;
  width: number;
  height: number;
  active: boolean;
  onBack(): void;
}) {
  const theme = useTheme();
  const { data, error } = useAnalysis(backend, [a, b]);
  useKeys((_input, key) => key.escape && onBack(), active && !data);
  if (error) return <Text color={tint(theme, 'red')}>{`cannot compare: ${error} (esc: home)`}</Text>;
  if (!data) return <Loading text={`analysing ${a} and ${b}…`} />;
  return <CompareScreen width={width} height={height} a={data[0]!} b={data[1]!} active={active} onBack={onBack} />;
}

export function App({ backend, initialRoute, onRunChange }: AppProps) {
  const theme = useTheme();
  const { exit } = useApp();
  const { columns, rows, generation } = useTerminalSize();
  const [route, setRoute] = useState<Route>(initialRoute ?? { name: 'home' });
  const [help, setHelp] = useState(false);
  const [providers, setProviders] = useState<ProviderStatus[] | undefined>(undefined);
  const [labModels, setLabModels] = useState<string[] | undefined>(undefined);
  const [runs, setRuns] = useState<RunSummaryRow[]>([]);
  const [suites, setSuites] = useState<SuiteInfo[] | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [newRunStep, setNewRunStep] = useState<NewRunStep>('models');
  const [lastModels, setLastModels] = useState<readonly string[] | undefined>(undefined);

  const refreshRuns = () => {
    try {
      setRuns(backend.recentRuns());
    } catch (err) {
      setStatus(`cannot read the store: ${message(err)}`);
    }
  };

  useEffect(() => {
    let live = true;
    refreshRuns();
    backend.labModels().then(
      (m) => live && setLabModels(m),
      (err: unknown) => {
        if (!live) return;
        setLabModels([]);
        setStatus(`lab zoo: ${message(err)}`);
      },
    );
    backend.providers().then(
      (p) => live && setProviders(p),
      (err: unknown) => {
        if (!live) return;
        setProviders([]);
        setStatus(`provider discovery failed: ${message(err)}`);
      },
    );
    backend.suites().then(
      (s) => live && setSuites(s),
      (err: unknown) => {
        if (!live) return;
        setSuites([]);
        setStatus(`cannot load suites: ${message(err)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [backend]);

  const go = (next: Route) => {
    setStatus(undefined);
    if (next.name === 'home') refreshRuns();
    if (next.name === 'new') setNewRunStep('models');
    setRoute(next);
  };

  useKeys((input, key) => {
    if (input === '?') setHelp(!help);
    else if (help && key.escape) setHelp(false);
  }, true);

  const width = Math.max(40, columns);
  const height = Math.max(12, rows - 1);
  const active = !help;

  let screen;
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
          providers={providers}
          labModels={labModels}
          runs={runs}
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
      keys = NEW_RUN_KEYS[newRunStep];
      screenName = `new run (${newRunStep})`;
      screen =
        suites === undefined ? (
          <Loading text="loading suites…" />
        ) : (
          <Box flexDirection="column">
            <NewRunScreen
              width={width}
              height={height}
              providers={providers ?? []}
              labModels={labModels ?? []}
              suites={suites}
              active={active}
              initialModels={lastModels}
              estimate={(r) => backend.estimate(r)}
              onStep={setNewRunStep}
              onBack={() => go({ name: 'home' })}
              onStart={(request) => {
                setLastModels(request.models);
                backend.startRun(request).then(
                  (handle) => {
                    onRunChange?.(handle);
                    handle.done.then(
                      () => onRunChange?.(undefined),
                      (err: unknown) => {
                        onRunChange?.(undefined);
                        setStatus(`run ${handle.name} failed: ${message(err)}`);
                      },
                    );
                    go({ name: 'run', handle });
                  },
                  (err: unknown) => setStatus(`cannot start the run: ${message(err)}`),
                );
              }}
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
          onHome={() => go({ name: 'home' })}
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
          width={width}
          height={height}
          active={active}
          onBack={() => go({ name: 'home' })}
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
          onBack={() => go({ name: 'home' })}
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
