// Results: tabs for the tree, the distance heatmap, the model map, the trait table and the evidence (responses side
// by side). Signal, method and rooting switch with one key; `e` exports what is shown into the results folder, `h`
// writes the HTML report, `t` tests two marked models for equality (src/audit) and shows the verdict.
// The state machine is in hooks/results-state.ts; this derives what to draw from it and carries out its effects.
import { type ReactNode, useMemo } from 'react';
import { Box, Text } from 'ink';
import type { Exported, ResultsData } from '../backend.js';
import type { WrittenReport } from '../../report/index.js';
import { TUI_EQUALITY, testModelsOfRun } from '../audit-run.js';
import { PairPicker, VerdictPane } from '../components/equality-pane.js';
import { PredictionPane } from '../components/prediction-pane.js';
import { type BenchmarkScores, MIN_SCORED_MODELS, scoresOfModels } from '../../core/benchmark-scores.js';
import { predictForRun } from '../prediction.js';
import { useKeys } from '../hooks/use-keys.js';
import { useMachine } from '../hooks/use-machine.js';
import { Frame } from '../components/frame.js';
import { Tabs } from '../components/tabs.js';
import { TextPane } from '../components/text-pane.js';
import { Heatmap } from '../components/heatmap.js';
import { Scatter } from '../components/scatter.js';
import { Table } from '../components/table.js';
import { EvidencePane } from '../components/evidence-pane.js';
import type { KeyHint } from '../components/key-hints.js';
import { modelMap } from '../../analysis/model-map.js';
import { exportFile, sortTraitRows, traitCells, treeView } from '../results-view.js';
import {
  initialResultsState,
  RESULT_TABS,
  type ResultsBounds,
  type ResultTab,
  reduceResults,
  resultsKeyAction,
} from '../hooks/results-state.js';
import { oneLine } from '../../core/sanitize.js';
import { useTheme, tint } from '../theme.js';

const TRAIT_CELL = 8;
const EVIDENCE_COLUMN = 32;

export const RESULTS_KEYS: readonly KeyHint[] = [
  ['1-6 ←→ tab', 'switch tab'],
  ['s', 'signal'],
  ['m', 'tree method'],
  ['r', 'rooting'],
  ['o', 'outgroup'],
  ['↑↓', 'scroll / pick'],
  ['[ ]', 'sort column / models'],
  ['d', 'sort direction'],
  ['n', 'next sample'],
  ['e', 'export'],
  ['h', 'write the HTML report'],
  ['t', 'test two models for equality'],
  ['space enter', 'mark a model / test the two marked'],
  ['esc', 'home (or leave the test)'],
];

export interface ResultsProps {
  readonly width: number;
  readonly height: number;
  readonly data: ResultsData;
  readonly active: boolean;
  readonly initialTab?: ResultTab;
  /** Benchmark scores to predict on the predict tab (phylo tui --scores FILE --column NAME). */
  readonly scores?: BenchmarkScores;
  onExport(baseName: string, format: Exported['format'], text: string): Promise<Exported>;
  /**
   * Write the HTML report with the trees of `signals` (and the predicted scores when given); absent: `h` says the
   * report cannot be written here.
   */
  onReport?(signals: readonly string[], scores?: BenchmarkScores): Promise<WrittenReport>;
  onBack(): void;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function ResultsScreen(props: ResultsProps) {
  const theme = useTheme();
  const { data, width } = props;
  const [state, send, latest] = useMachine(reduceResults, () => initialResultsState(props.initialTab));
  const { tab, rooting, outgroupAt, traits: traitsState, evidence } = state;

  const signal = data.signals[state.signalAt % Math.max(1, data.signals.length)] ?? '';
  const method = state.method ?? data.defaultMethod?.(signal) ?? 'nj';
  const bodyHeight = Math.max(6, props.height - 9);

  const computed = useMemo(() => {
    try {
      const matrix = data.matrix(signal);
      const outgroup = matrix.labels[outgroupAt % Math.max(1, matrix.labels.length)];
      const view = treeView(data.tree(signal, method), rooting, outgroup, Math.max(30, width - 2));
      return { matrix, view, outgroup, error: undefined };
    } catch (err) {
      return { matrix: undefined, view: undefined, outgroup: undefined, error: message(err) };
    }
  }, [data, signal, method, rooting, outgroupAt, width]);

  const map = useMemo(
    () => (computed.matrix && tab === 'map' ? modelMap(computed.matrix) : undefined),
    [computed.matrix, tab],
  );
  const traitRows = useMemo(
    () => sortTraitRows(data.traits, traitsState.sortColumn, traitsState.descending),
    [data.traits, traitsState.sortColumn, traitsState.descending],
  );
  const prediction = useMemo(() => {
    if (!props.scores || !computed.matrix || tab !== 'predict') return undefined;
    try {
      return predictForRun(computed.matrix, props.scores);
    } catch (err) {
      return { kind: 'unavailable', reason: message(err) } as const;
    }
  }, [props.scores, computed.matrix, tab]);
  const probe = data.probes[Math.min(evidence.probeAt, data.probes.length - 1)];
  const responses = useMemo(() => (probe ? data.responses(probe.id) : []), [data, probe]);
  const perPage = Math.max(1, Math.min(responses.length, Math.floor(width / EVIDENCE_COLUMN)));

  const bounds: ResultsBounds = {
    signals: data.signals.length,
    method,
    treeLines: computed.view?.lines.length ?? 0,
    bodyHeight,
    traitRows: traitRows.length,
    traits: data.traits.traits.length,
    probes: data.probes.length,
    responses: responses.length,
    perPage,
    models: data.models.length,
    predictRows: prediction?.kind === 'done' ? prediction.prediction.predictions.length : 0,
  };

  const doExport = (format: Exported['format']) => {
    const file = exportFile(format, {
      run: data.run,
      tab,
      signal,
      method,
      rooting,
      outgroup: computed.outgroup,
      view: computed.view,
      matrix: computed.matrix,
      map: map?.points,
      traits: data.traits,
      evidence: probe ? { probe, responses } : undefined,
    });
    if (file.kind === 'nothing') return send({ type: 'status', text: file.reason });
    props.onExport(file.baseName, format, file.text).then(
      (e) => send({ type: 'status', text: `exported ${e.format} to ${e.file}` }),
      (err: unknown) => send({ type: 'status', text: `export failed: ${message(err)}` }),
    );
  };

  const doTest = (a: number, b: number) => {
    const [ma, mb] = [data.models[a], data.models[b]];
    if (ma === undefined || mb === undefined) return;
    testModelsOfRun(data, ma, mb).then(
      ({ result }) => send({ type: 'equality-settled', a, b, outcome: { kind: 'done', result } }),
      (err: unknown) => send({ type: 'equality-settled', a, b, outcome: { kind: 'failed', message: message(err) } }),
    );
  };

  const doReport = () => {
    // The scores go in when the predict tab could use them; else the report is written without that section.
    const { scores } = props;
    const usable =
      scores && computed.matrix && scoresOfModels(computed.matrix.labels, scores.values).size >= MIN_SCORED_MODELS
        ? scores
        : undefined;
    const written = props.onReport?.([signal], usable);
    if (!written) return send({ type: 'report-settled', text: 'no HTML report from here: use phylo report RUN' });
    const without = scores && !usable ? `; no predicted ${scores.column}: too few scored models` : '';
    written.then(
      (w) =>
        send({
          type: 'report-settled',
          text:
            `report written to ${w.file} (${Math.round(w.bytes / 1024)} KB, ` +
            `${w.figures.length} figures beside it${usable ? `, predicted ${usable.column}` : ''}${without})`,
        }),
      (err: unknown) => send({ type: 'report-settled', text: `report failed: ${message(err)}` }),
    );
  };

  useKeys((input, key) => {
    const action = resultsKeyAction(latest(), bounds, input, key);
    if (!action) return;
    send(action);
    if (action.type === 'back') props.onBack();
    else if (action.type === 'export') doExport(action.format);
    else if (action.type === 'test-equality') doTest(action.a, action.b);
    else if (action.type === 'write-report') doReport();
  }, props.active);

  const where = rooting === 'outgroup' ? `outgroup ${computed.outgroup}` : rooting;
  const settings = `signal ${signal} (${computed.matrix?.metric ?? '-'}) · ${method} · ${where}`;

  const { mode } = state;
  let body: ReactNode;
  if (mode.kind === 'pick-pair') {
    body = (
      <PairPicker models={data.models} cursor={mode.cursor} marks={mode.marks} width={width} height={bodyHeight} />
    );
  } else if (mode.kind === 'testing') {
    body = (
      <Text color={tint(theme, 'yellow')}>
        {oneLine(
          `testing ${data.models[mode.a]} against ${data.models[mode.b]}: ` +
            `${TUI_EQUALITY.permutations} permutations within probes…`,
        )}
      </Text>
    );
  } else if (mode.kind === 'verdict') {
    body = (
      <VerdictPane
        a={data.models[mode.a] ?? '?'}
        b={data.models[mode.b] ?? '?'}
        outcome={mode.outcome}
        probeAt={mode.probeAt}
        sampleAt={mode.sampleAt}
        width={width}
        height={bodyHeight}
      />
    );
  } else if (tab === 'predict' && !computed.error) {
    body = (
      <PredictionPane
        prediction={prediction}
        column={props.scores?.column}
        file={props.scores?.file}
        signal={signal}
        cursor={state.predict.row}
        width={width}
        height={bodyHeight}
      />
    );
  } else if (computed.error && tab !== 'traits' && tab !== 'evidence') {
    body = <Text color={tint(theme, 'red')}>{oneLine(`cannot build the ${signal} tree: ${computed.error}`)}</Text>;
  } else if (tab === 'tree') {
    body = (
      <Box flexDirection="column">
        <TextPane lines={computed.view?.lines ?? []} width={width} height={bodyHeight} offset={state.tree.scroll} />
        <Text dimColor={theme.color}>support values: bootstrap proportion of the split over resampled probes</Text>
      </Box>
    );
  } else if (tab === 'heatmap') {
    body = computed.matrix ? (
      <Heatmap matrix={computed.matrix} order={computed.view?.order ?? computed.matrix.labels} width={width} />
    ) : null;
  } else if (tab === 'map') {
    body = map ? (
      <Scatter
        points={map.points}
        width={width}
        height={Math.max(6, bodyHeight - 5)}
        caption={`${map.method === 'umap' ? 'UMAP' : 'classical MDS'} of the ${signal} distances (seeded)`}
      />
    ) : null;
  } else if (tab === 'traits') {
    const { sortColumn, descending } = traitsState;
    const sortName = sortColumn === 0 ? 'model' : data.traits.traits[sortColumn - 1]!;
    const order = descending ? 'descending' : 'ascending';
    body = (
      <Box flexDirection="column">
        <Table
          columns={['model', ...data.traits.traits]}
          rows={traitCells(traitRows, TRAIT_CELL)}
          width={width}
          height={bodyHeight - 3}
          sortColumn={sortColumn}
          descending={descending}
          cursor={traitsState.row}
          cellWidth={TRAIT_CELL}
          firstWidth={Math.min(30, Math.max(10, ...data.models.map((m) => m.length)))}
        />
        <Text dimColor={theme.color}>
          {`sorted by ${oneLine(sortName)}, ${order}; means over each model's answered probes`}
        </Text>
      </Box>
    );
  } else {
    body = probe ? (
      <EvidencePane
        probe={probe}
        probeAt={evidence.probeAt}
        probes={data.probes.length}
        responses={responses}
        modelPage={evidence.modelPage}
        perPage={perPage}
        sampleAt={evidence.sampleAt}
        width={width}
        height={bodyHeight}
      />
    ) : (
      <Text>no probes in this run</Text>
    );
  }

  return (
    <Frame title={`results ${data.run}`} subtitle={settings} width={width} hints={RESULTS_KEYS} status={state.status}>
      <Tabs tabs={RESULT_TABS} active={RESULT_TABS.indexOf(tab)} />
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
    </Frame>
  );
}
