// Compare two runs: RF distance between their trees, the models that moved most, each model's phenotype drift, and the
// drift audit's verdicts with the selected model's most-changed probes (computed in src/audit; this screen only draws).
// The state machine is in hooks/compare-state.ts; the drift audit runs once per pair of runs, on a worker thread.
import { useEffect, useMemo } from 'react';
import { Box, Text } from 'ink';
import type { ResultsData } from '../backend.js';
import { useKeys } from '../hooks/use-keys.js';
import { useMachine } from '../hooks/use-machine.js';
import { compareKeyAction, initialCompareState, reduceCompare } from '../hooks/compare-state.js';
import { Frame } from '../components/frame.js';
import { Table } from '../components/table.js';
import { TextPane } from '../components/text-pane.js';
import type { KeyHint } from '../components/key-hints.js';
import { compareRuns } from '../../audit/compare-runs.js';
import { driftOfResults } from '../audit-run.js';
import { formatP, preview } from '../../audit/format.js';
import { renderTree, midpointRoot } from '../../phylo/index.js';
import { oneLine } from '../../core/sanitize.js';
import { useTheme, tint } from '../theme.js';

export const COMPARE_KEYS: readonly KeyHint[] = [
  ['s', 'signal'],
  ['m', 'tree method'],
  ['↑↓', 'pick model'],
  ['esc', 'home'],
];

export interface CompareProps {
  readonly width: number;
  readonly height: number;
  readonly a: ResultsData;
  readonly b: ResultsData;
  readonly active: boolean;
  onBack(): void;
}

export function CompareScreen({ width, height, a, b, active, onBack }: CompareProps) {
  const theme = useTheme();
  const signals = a.signals.filter((s) => b.signals.includes(s));
  const [state, send, latest] = useMachine(reduceCompare, initialCompareState);
  const { row } = state;
  const signal = signals[state.signalAt % Math.max(1, signals.length)] ?? a.signals[0] ?? '';
  const method = state.method ?? a.defaultMethod?.(signal) ?? 'nj';

  const result = useMemo(() => {
    try {
      return { cmp: compareRuns(a, b, signal, method), error: undefined };
    } catch (err) {
      return { cmp: undefined, error: err instanceof Error ? err.message : String(err) };
    }
  }, [a, b, signal, method]);

  // The drift audit does not depend on the signal or the tree method: once per pair of runs, on a worker thread (one
  // equality test per shared model: seconds on a big run) while the screen says it is testing.
  useEffect(() => {
    let live = true;
    send({ type: 'drift', drift: { kind: 'testing' } });
    driftOfResults(a, b).then(
      ({ result }) => live && send({ type: 'drift', drift: { kind: 'done', report: result } }),
      (err: unknown) =>
        live &&
        send({ type: 'drift', drift: { kind: 'failed', message: err instanceof Error ? err.message : String(err) } }),
    );
    return () => {
      live = false;
    };
  }, [a, b, send]);
  const report = state.drift.kind === 'done' ? state.drift.report : undefined;
  const driftError = state.drift.kind === 'failed' ? state.drift.message : undefined;
  const verdicts = new Map(report?.models.map((m) => [m.model, m]));

  useKeys((input, key) => {
    const action = compareKeyAction(latest(), { method, models: result.cmp?.models.length ?? 0 }, input, key);
    if (!action) return;
    send(action);
    if (action.type === 'back') onBack();
  }, active);

  const cmp = result.cmp;
  const half = Math.floor((width - 3) / 2);
  const treeLines = (t: NonNullable<typeof cmp>['treeA']) =>
    t ? renderTree(midpointRoot(t), { width: half, support: true }).replace(/\n$/, '').split('\n') : ['(no tree)'];
  const tableHeight = Math.max(3, Math.min(cmp?.models.length ?? 0, Math.floor((height - 12) / 2)));
  const selected = cmp?.models[Math.min(row, (cmp?.models.length ?? 1) - 1)]?.model;
  const selectedDrift = selected === undefined ? undefined : verdicts.get(selected);
  const changed = selectedDrift?.changedProbes.slice(0, 2) ?? [];
  const evidenceHeight = 2 + 3 * changed.length;
  const treeHeight = Math.max(4, height - tableHeight - 14 - evidenceHeight);
  const lineWidth = Math.max(20, width - 12);

  return (
    <Frame
      title="compare"
      subtitle={`${a.run}  vs  ${b.run} · signal ${signal} · ${method}`}
      width={width}
      hints={COMPARE_KEYS}
    >
      {result.error || !cmp ? (
        <Text color={tint(theme, 'red')}>{oneLine(`cannot compare: ${result.error}`)}</Text>
      ) : (
        <Box flexDirection="column">
          <Text>
            {'Robinson-Foulds: '}
            <Text bold>
              {cmp.rf ? `${cmp.rf.rf} of ${cmp.rf.max} (normalised ${cmp.rf.normalized.toFixed(3)})` : 'n/a'}
            </Text>
            {`   shared models ${cmp.shared.length}`}
            {cmp.onlyA.length ? `   only in ${a.run}: ${cmp.onlyA.length}` : ''}
            {cmp.onlyB.length ? `   only in ${b.run}: ${cmp.onlyB.length}` : ''}
          </Text>
          {cmp.note ? <Text color={tint(theme, 'yellow')}>{cmp.note}</Text> : null}
          <Box marginTop={1}>
            <Text bold>Models by how far they moved</Text>
          </Box>
          <Table
            columns={['model', 'tree shift', 'phenotype Δ', 'drift p (Holm)', 'verdict']}
            rows={cmp.models.map((m) => {
              const v = verdicts.get(m.model);
              return [
                m.model,
                Number.isNaN(m.treeShift) ? '-' : m.treeShift.toFixed(3),
                Number.isNaN(m.phenotypeDistance) ? '-' : m.phenotypeDistance.toFixed(3),
                v ? formatP(v.adjustedPValue) : state.drift.kind === 'testing' ? 'testing…' : '-',
                v ? (v.reject ? 'DRIFTED' : 'same') : state.drift.kind === 'testing' ? '' : 'not tested',
              ];
            })}
            width={Math.min(width, 100)}
            height={tableHeight}
            cursor={row}
            firstWidth={Math.min(36, Math.max(10, ...cmp.models.map((m) => m.model.length)))}
          />
          <Box flexDirection="column" marginTop={1}>
            <Text bold>
              {selected === undefined
                ? 'Most-changed probes'
                : oneLine(`Most-changed probes of ${selected}`) +
                  (selectedDrift
                    ? ` (p = ${formatP(selectedDrift.pValue)}, Holm ${formatP(selectedDrift.adjustedPValue)})`
                    : '')}
            </Text>
            {driftError ? <Text color={tint(theme, 'yellow')}>{oneLine(`drift audit: ${driftError}`)}</Text> : null}
            {state.drift.kind === 'testing' ? (
              <Text color={tint(theme, 'yellow')}>testing each shared model for drift (1000 permutations each)…</Text>
            ) : null}
            {report && !selectedDrift ? (
              <Text dimColor={theme.color}>
                {oneLine(report.skipped.find((s) => s.model === selected)?.reason ?? 'not tested in both runs').slice(
                  0,
                  lineWidth,
                )}
              </Text>
            ) : null}
            {changed.map((p) => (
              <Box key={p.probe} flexDirection="column">
                <Text>{oneLine(`${p.probe} (${(100 * p.contribution).toFixed(1)}% of the statistic)`)}</Text>
                <Text>{`  ${a.run}: ${preview(p.old[0]).slice(0, lineWidth)}`}</Text>
                <Text>{`  ${b.run}: ${preview(p.new[0]).slice(0, lineWidth)}`}</Text>
              </Box>
            ))}
          </Box>
          <Box marginTop={1} columnGap={3}>
            <Box flexDirection="column" width={half}>
              <Text bold>{oneLine(a.run)}</Text>
              <TextPane lines={treeLines(cmp.treeA)} width={half} height={treeHeight} />
            </Box>
            <Box flexDirection="column" width={half}>
              <Text bold>{oneLine(b.run)}</Text>
              <TextPane lines={treeLines(cmp.treeB)} width={half} height={treeHeight} />
            </Box>
          </Box>
          <Text dimColor={theme.color}>
            tree shift: mean change of a model's tree distances to the others (each tree scaled to mean 1); phenotype Δ:
            RMS of standardised trait differences; drift p: equality test of the model's two collections, Holm-adjusted
            over the models
          </Text>
        </Box>
      )}
    </Frame>
  );
}
