// Run: one row per model (bar, done/total, errors by kind, tokens, cost, p50 latency, ETA), a global bar, the vendor
// batches of a `--batch` run (one line each: provider, state, succeeded/errored/requests, age) and a log of warnings.
// Pause, resume and cancel keep everything collected. What the keys do and the batch lines are in hooks/run-state.ts.
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { type BatchLines, type BatchTone, batchLines, runIsOver, runKeyAction } from '../hooks/run-state.js';
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
  /** The clock batch ages are measured by (tests fix it); default Date.now. */
  readonly now?: () => number;
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
  const over = runIsOver(p);

  useKeys((input, key) => {
    const action = runKeyAction(p, input, key);
    if (action === 'pause') props.onPause();
    else if (action === 'resume') props.onResume();
    else if (action === 'cancel') props.onCancel();
    else if (action === 'results') props.onResults();
    else if (action === 'home') props.onHome();
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
  const room = props.height - (p?.models.length ?? 0) - 14;
  const batches = batchLines(p?.batches ?? [], (props.now ?? Date.now)(), Math.max(2, Math.min(10, room - 5)));
  const batchHeight = batches.lines.length === 0 ? 0 : batches.lines.length + 3 + (batches.hidden > 0 ? 1 : 0);
  const logHeight = Math.max(3, Math.min(8, room - batchHeight));

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
          {batches.lines.length > 0 ? <BatchTable batches={batches} width={props.width} /> : null}
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

const TONE_COLOUR: Record<BatchTone, 'cyan' | 'green' | 'yellow'> = { live: 'cyan', landed: 'green', failed: 'yellow' };

/** The vendor batches, one line each; the batch id takes the width the other columns leave. */
function BatchTable({ batches, width }: { readonly batches: BatchLines; readonly width: number }) {
  const theme = useTheme();
  const providerWidth = Math.min(12, Math.max(8, ...batches.lines.map((l) => l.provider.length)));
  // State 20 ("in_progress, landed"), counts 17, age 7, each after a space.
  const idWidth = Math.max(10, width - providerWidth - 20 - 17 - 7 - 4 - 1);
  return (
    <Box marginTop={1} flexDirection="column">
      <Text>
        <Text bold>Batches</Text>
        {`  ${batches.summary}`}
      </Text>
      <Text dimColor={theme.color}>
        {[
          fit('provider', providerWidth),
          fit('batch', idWidth),
          fit('state', 20),
          fit('ok/err/requests', 17, 'right'),
          fit('age', 7, 'right'),
        ].join(' ')}
      </Text>
      {batches.lines.map((l) => (
        <Text key={l.batch}>
          {`${fit(l.provider, providerWidth)} ${fit(l.batch, idWidth)} `}
          <Text color={tint(theme, TONE_COLOUR[l.tone])}>{fit(l.state, 20)}</Text>
          {` ${fit(l.counts, 17, 'right')} ${fit(l.age, 7, 'right')}`}
        </Text>
      ))}
      {batches.hidden > 0 ? <Text dimColor={theme.color}>{`… ${batches.hidden} more`}</Text> : null}
    </Box>
  );
}
