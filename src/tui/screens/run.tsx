// Run: one row per model (bar, done/total, errors by kind, tokens, cost, p50 latency, ETA), a global bar and a log
// of warnings. Pause, resume and cancel keep everything collected.
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import type { ProgressSnapshot } from '../../collect/progress.js';
import { Frame } from '../components/frame.js';
import { ProgressBar } from '../components/progress-bar.js';
import { TextPane } from '../components/text-pane.js';
import type { KeyHint } from '../components/key-hints.js';
import { fit, formatCost, formatCount, formatDuration, formatMs } from '../../core/format.js';
import { useTheme, tint } from '../theme.js';

export const RUN_KEYS: readonly KeyHint[] = [
  ['p', 'pause / resume'],
  ['x', 'cancel (keeps what is stored)'],
  ['enter', 'results (when finished)'],
  ['esc', 'home (when finished)'],
];

export interface RunScreenProps {
  readonly width: number;
  readonly height: number;
  readonly name: string;
  readonly progress: ProgressSnapshot | undefined;
  readonly active: boolean;
  onPause(): void;
  onResume(): void;
  onCancel(): void;
  onResults(): void;
  onHome(): void;
}

const KIND_SHORT: Record<string, string> = {
  rate_limit: 'rate',
  timeout: 'tmo',
  server: '5xx',
  connection: 'conn',
  bad_response: 'bad',
  auth: 'auth',
  bad_request: '4xx',
  not_found: '404',
  unsupported: 'unsup',
};

export function errorSummary(errors: Readonly<Record<string, number | undefined>>): string {
  const parts = Object.entries(errors)
    .filter(([, n]) => (n ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([kind, n]) => `${KIND_SHORT[kind] ?? kind} ${n}`);
  return parts.length ? parts.join(' ') : '-';
}

export function RunScreen(props: RunScreenProps) {
  const theme = useTheme();
  const p = props.progress;
  const over = p?.phase === 'finished' || p?.phase === 'cancelled';

  useKeys((input, key) => {
    if (!p) return;
    if (input === 'p' && !over) (p.phase === 'paused' ? props.onResume : props.onPause)();
    else if (input === 'x' && !over) props.onCancel();
    else if (key.return && over) props.onResults();
    else if (key.escape && over) props.onHome();
  }, props.active);

  const modelWidth = Math.min(30, Math.max(12, ...(p?.models ?? []).map((m) => m.model.length)));
  // Columns after the bar: done 12, errors 14, tokens 8, cost 9, p50 8, ETA 7, each after a space. A line wider than
  // the terminal makes ink re-wrap it character by character on every frame, so the bar takes exactly the rest.
  const statsWidth = 12 + 14 + 8 + 9 + 8 + 7 + 6;
  const barWidth = Math.max(8, props.width - modelWidth - 1 - statsWidth - 1);
  const phaseColour = {
    starting: 'gray',
    running: 'cyan',
    paused: 'yellow',
    finished: 'green',
    cancelled: 'red',
  } as const;
  const logHeight = Math.max(3, Math.min(8, props.height - (p?.models.length ?? 0) - 14));

  return (
    <Frame title={`run ${props.name}`} width={props.width} hints={RUN_KEYS}>
      {!p ? (
        <Text dimColor={theme.color}>starting…</Text>
      ) : (
        <Box flexDirection="column">
          <Text>
            <Text bold color={tint(theme, phaseColour[p.phase])}>
              {p.phase.toUpperCase()}
            </Text>
            {`  ${[
              `${p.done}/${p.total} samples`,
              `${p.errors} errors`,
              `${formatCount(p.tokens)} tokens`,
              formatCost(p.costUsd),
              `elapsed ${formatDuration(p.elapsedMs)}`,
              `ETA ${p.phase === 'paused' ? 'paused' : formatDuration(p.etaMs ?? NaN)}`,
            ].join('  ')}`}
          </Text>
          <Text>
            <ProgressBar
              done={p.done}
              total={p.total}
              width={Math.max(10, props.width - 8)}
              failed={p.phase === 'cancelled'}
            />
            {` ${p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0}%`.padStart(5)}
          </Text>
          <Box marginTop={1}>
            <Text dimColor={theme.color}>
              {[
                fit('model', modelWidth),
                fit('progress', barWidth),
                fit('done', 12, 'right'),
                fit('errors', 14),
                fit('tokens', 8, 'right'),
                fit('cost', 9, 'right'),
                fit('p50', 8, 'right'),
                fit('ETA', 7, 'right'),
              ].join(' ')}
            </Text>
          </Box>
          {p.models.map((m) => {
            const errs = errorSummary(m.errors);
            return (
              <Text key={m.model}>
                {fit(m.model, modelWidth)} <ProgressBar done={m.done} total={m.total} width={barWidth} />
                {` ${fit(`${m.done}/${m.total}`, 12, 'right')} `}
                <Text color={errs === '-' ? undefined : tint(theme, 'red')}>{fit(errs, 14)}</Text>
                {` ${[
                  fit(formatCount(m.tokens), 8, 'right'),
                  fit(formatCost(m.costUsd), 9, 'right'),
                  fit(formatMs(m.p50LatencyMs), 8, 'right'),
                  fit(m.done >= m.total ? 'done' : formatDuration(m.etaMs ?? NaN), 7, 'right'),
                ].join(' ')}`}
              </Text>
            );
          })}
          <Box marginTop={1} flexDirection="column">
            <Text bold>Log</Text>
            {p.log.length === 0 ? (
              <Text dimColor={theme.color}>(no warnings)</Text>
            ) : (
              <TextPane
                lines={p.log.map((l) => `${l.level === 'warn' ? '!' : '·'} ${l.text}`)}
                width={props.width}
                height={logHeight}
                tail
              />
            )}
          </Box>
          {over ? (
            <Text
              bold
              color={tint(theme, 'green')}
            >{`${p.phase === 'cancelled' ? 'Cancelled' : 'Finished'}: press enter for the results, esc for home`}</Text>
          ) : null}
        </Box>
      )}
    </Frame>
  );
}
