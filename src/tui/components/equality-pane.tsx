// The results screen's equality test, in its three steps: marking two models, waiting for the test, its verdict.
// The verdict is the audit's (src/audit/equality.ts); model names and answers are untrusted and drawn through
// oneLine / wrapText (control sequences stripped).
import { Box, Text } from 'ink';
import type { EqualityOutcome } from '../hooks/results-state.js';
import { fit, wrapText } from '../../core/format.js';
import { oneLine } from '../../core/sanitize.js';
import { formatP } from '../../audit/format.js';
import { useTheme, tint } from '../theme.js';

export function PairPicker(props: {
  readonly models: readonly string[];
  readonly cursor: number;
  readonly marks: readonly number[];
  readonly width: number;
  readonly height: number;
}) {
  const theme = useTheme();
  const { models, cursor, marks } = props;
  const rows = Math.max(3, props.height - 2);
  const first = Math.max(0, Math.min(cursor - Math.floor(rows / 2), models.length - rows));
  const shown = models.slice(first, first + rows);
  return (
    <Box flexDirection="column">
      <Text bold>{`Test two models for equality (${marks.length}/2 marked)`}</Text>
      {shown.map((m, k) => {
        const at = first + k;
        const mark = marks.indexOf(at);
        const box = mark === 0 ? '[A]' : mark === 1 ? '[B]' : '[ ]';
        return (
          <Text key={m} inverse={at === cursor} color={mark >= 0 ? tint(theme, 'cyan') : undefined}>
            {fit(`${at === cursor ? '>' : ' '} ${box} ${oneLine(m)}`, props.width - 2)}
          </Text>
        );
      })}
      <Text dimColor={theme.color}>
        same test as phylo audit equal: permutations within probes, 1000 of them, seed 1, alpha 0.05
      </Text>
    </Box>
  );
}

function num(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return Math.abs(x) >= 100 || x === 0 ? x.toFixed(1) : x.toPrecision(3);
}

export interface VerdictPaneProps {
  readonly a: string;
  readonly b: string;
  readonly outcome: EqualityOutcome;
  readonly probeAt: number;
  readonly sampleAt: number;
  readonly width: number;
  readonly height: number;
}

export function VerdictPane({ a, b, outcome, probeAt, sampleAt, width, height }: VerdictPaneProps) {
  const theme = useTheme();
  const title = oneLine(`Equality test: A ${a}  vs  B ${b}`);
  if (outcome.kind === 'failed')
    return (
      <Box flexDirection="column">
        <Text bold>{title}</Text>
        <Text color={tint(theme, 'red')}>{oneLine(`cannot test: ${outcome.message}`)}</Text>
        <Text dimColor={theme.color}>t: test another pair · esc: back to the results</Text>
      </Box>
    );
  const r = outcome.result;
  const [lo, hi] = r.effect.ci95;
  const selected = r.topProbes[Math.min(probeAt, r.topProbes.length - 1)];
  // Rows left for the selected probe's two answers after the verdict, the components and the probe list.
  const answerRows = Math.max(1, Math.floor((height - 9 - r.topProbes.length) / 2));
  const answer = (label: string, texts: readonly string[]) => {
    const n = texts.length;
    const text = n > 0 ? texts[sampleAt % n]! : '(no answer)';
    const lines = wrapText(text.trim(), width - 6);
    return (
      <Box flexDirection="column">
        <Text color={tint(theme, 'cyan')}>{`  ${label}${n > 1 ? ` (sample ${(sampleAt % n) + 1}/${n})` : ''}:`}</Text>
        {lines.slice(0, answerRows).map((l, k) => (
          <Text key={`${k}:${l}`}>{`    ${l}`}</Text>
        ))}
        {lines.length > answerRows ? (
          <Text dimColor={theme.color}>{`    … ${lines.length - answerRows} more lines`}</Text>
        ) : null}
      </Box>
    );
  };
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      <Text>
        {'verdict: '}
        <Text bold color={tint(theme, r.reject ? 'red' : 'green')}>
          {r.reject
            ? `DIFFERENT: reject equality at alpha ${r.alpha}`
            : `no difference found at alpha ${r.alpha} (equality not rejected)`}
        </Text>
      </Text>
      <Text>
        {`statistic ${num(r.statistic)} · p-value ${formatP(r.pValue)} · ${r.permutations} permutations · `}
        {`${r.probes} shared probes · seed ${r.seed}`}
      </Text>
      <Text>{`effect (${oneLine(r.effect.name)}): ${num(r.effect.estimate)}, 95% CI [${num(lo)}, ${num(hi)}]`}</Text>
      <Text dimColor={theme.color}>
        {fit(`components: ${r.components.map((c) => `${c.name} p ${formatP(c.pValue)}`).join(' · ')}`, width - 2)}
      </Text>
      <Box marginTop={1} flexDirection="column">
        <Text bold>Probes that contribute most</Text>
        {r.topProbes.map((p, k) => (
          <Text key={p.probe} inverse={k === probeAt}>
            {fit(`${k === probeAt ? '>' : ' '} ${oneLine(p.probe)}  ${(100 * p.contribution).toFixed(1)}%`, width - 2)}
          </Text>
        ))}
        {selected ? (
          <Box flexDirection="column">
            {answer(`A ${oneLine(a)}`, selected.a)}
            {answer(`B ${oneLine(b)}`, selected.b)}
          </Box>
        ) : (
          <Text dimColor={theme.color}>no probe contributes</Text>
        )}
        <Text dimColor={theme.color}>↑↓ probe · n next sample · t test another pair · esc back to the results</Text>
      </Box>
    </Box>
  );
}
