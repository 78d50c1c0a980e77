// Compare two runs: RF distance between their trees, the models that moved most, and each model's phenotype drift.
import { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { ResultsData, TreeMethodName } from '../backend.js';
import { useKeys } from '../hooks/use-keys.js';
import { Frame } from '../components/frame.js';
import { Table } from '../components/table.js';
import { TextPane } from '../components/text-pane.js';
import type { KeyHint } from '../components/key-hints.js';
import { compareRuns } from '../compare.js';
import { TREE_METHODS } from './results.js';
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
  const [signalAt, setSignalAt] = useState(0);
  const [methodChoice, setMethodChoice] = useState<TreeMethodName | undefined>(undefined);
  const [row, setRow] = useState(0);
  const signal = signals[signalAt % Math.max(1, signals.length)] ?? a.signals[0] ?? '';
  // As on the results screen: each signal starts at the method its analysis recommends.
  const method = methodChoice ?? a.defaultMethod?.(signal) ?? 'nj';

  const result = useMemo(() => {
    try {
      return { cmp: compareRuns(a, b, signal, method), error: undefined };
    } catch (err) {
      return { cmp: undefined, error: err instanceof Error ? err.message : String(err) };
    }
  }, [a, b, signal, method]);

  useKeys((input, key) => {
    if (key.escape) onBack();
    else if (input === 's') {
      setSignalAt(signalAt + 1);
      setMethodChoice(undefined);
    } else if (input === 'm') setMethodChoice(TREE_METHODS[(TREE_METHODS.indexOf(method) + 1) % TREE_METHODS.length]!);
    else if (key.upArrow || input === 'k') setRow(Math.max(0, row - 1));
    else if (key.downArrow || input === 'j') setRow(Math.min((result.cmp?.models.length ?? 1) - 1, row + 1));
  }, active);

  const cmp = result.cmp;
  const half = Math.floor((width - 3) / 2);
  const treeLines = (t: NonNullable<typeof cmp>['treeA']) =>
    t ? renderTree(midpointRoot(t), { width: half, support: true }).replace(/\n$/, '').split('\n') : ['(no tree)'];
  const tableHeight = Math.max(3, Math.min(cmp?.models.length ?? 0, Math.floor((height - 12) / 2)));
  const treeHeight = Math.max(4, height - tableHeight - 14);

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
            columns={['model', 'tree shift', 'phenotype Δ']}
            rows={cmp.models.map((m) => [
              m.model,
              Number.isNaN(m.treeShift) ? '-' : m.treeShift.toFixed(3),
              Number.isNaN(m.phenotypeDistance) ? '-' : m.phenotypeDistance.toFixed(3),
            ])}
            width={Math.min(width, 70)}
            height={tableHeight}
            cursor={row}
            firstWidth={Math.min(36, Math.max(10, ...cmp.models.map((m) => m.model.length)))}
          />
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
            RMS of standardised trait differences
          </Text>
        </Box>
      )}
    </Frame>
  );
}
