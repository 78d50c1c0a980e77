// The routes that show an analysed run (results) or two (compare): analyse through the backend, show progress or
// the error (escape goes home meanwhile), then hand the data to the screen.
import path from 'node:path';
import { Text } from 'ink';
import type { ResultsData, TuiBackend } from '../backend.js';
import { useAnalysis } from '../hooks/use-analysis.js';
import { useKeys } from '../hooks/use-keys.js';
import type { ResultTab } from '../hooks/results-state.js';
import type { BenchmarkScores } from '../../core/benchmark-scores.js';
import { useTheme, tint } from '../theme.js';
import { ResultsScreen } from './results.js';
import { CompareScreen } from './compare.js';

interface RouteProps {
  readonly backend: TuiBackend;
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  onBack(): void;
}

function Loading({ text }: { readonly text: string }) {
  const theme = useTheme();
  return <Text dimColor={theme.color}>{text}</Text>;
}

/** Where `phylo report RUN` writes by default (RESULTS/<run>/report.html), when the analysed run can write one. */
function reportOf(data: ResultsData, resultsDir: string) {
  const write = data.writeReport;
  if (!write) return undefined;
  const folder = data.run.replace(/[^A-Za-z0-9._-]+/g, '_');
  return (signals: readonly string[], scores?: BenchmarkScores) =>
    write(path.join(resultsDir, folder, 'report.html'), signals, scores);
}

export function ResultsRoute(
  props: RouteProps & { readonly run: string; readonly tab?: ResultTab; readonly scores?: BenchmarkScores },
) {
  const theme = useTheme();
  const { backend, run, onBack } = props;
  const analysis = useAnalysis(backend, [run]);
  useKeys((_input, key) => key.escape && onBack(), props.active && analysis.kind !== 'ready');
  if (analysis.kind === 'failed')
    return <Text color={tint(theme, 'red')}>{`cannot analyse ${run}: ${analysis.message} (esc: home)`}</Text>;
  if (analysis.kind === 'loading')
    return <Loading text={`analysing ${run}: phenotypes, distances, trees and bootstrap…`} />;
  return (
    <ResultsScreen
      width={props.width}
      height={props.height}
      data={analysis.data[0]!}
      active={props.active}
      initialTab={props.tab}
      scores={props.scores}
      onExport={(name, format, text) => backend.writeExport(name, format, text)}
      onReport={reportOf(analysis.data[0]!, backend.resultsDir)}
      onBack={onBack}
    />
  );
}

export function CompareRoute(props: RouteProps & { readonly a: string; readonly b: string }) {
  const theme = useTheme();
  const { backend, a, b, onBack } = props;
  const analysis = useAnalysis(backend, [a, b]);
  useKeys((_input, key) => key.escape && onBack(), props.active && analysis.kind !== 'ready');
  if (analysis.kind === 'failed')
    return <Text color={tint(theme, 'red')}>{`cannot compare: ${analysis.message} (esc: home)`}</Text>;
  if (analysis.kind === 'loading') return <Loading text={`analysing ${a} and ${b}…`} />;
  return (
    <CompareScreen
      width={props.width}
      height={props.height}
      a={analysis.data[0]!}
      b={analysis.data[1]!}
      active={props.active}
      onBack={onBack}
    />
  );
}
