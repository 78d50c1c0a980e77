// New run: choose models (filter by typing, multi-select, add by id), a suite (with the estimate of requests,
// tokens and cost), samples and temperature, then confirm. The state machine is in hooks/new-run-state.ts; this
// draws it and runs its effects (the estimate, starting the run, going back).
import { type ReactNode, useEffect } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useMachine } from '../hooks/use-machine.js';
import type { NewRunRequest, ProviderStatus, RunEstimate, SuiteInfo } from '../backend.js';
import { Frame } from '../components/frame.js';
import { SelectList } from '../components/select-list.js';
import type { KeyHint } from '../components/key-hints.js';
import { fit } from '../../core/format.js';
import { formatEstimate } from '../../probes/estimate.js';
import { useTheme, tint } from '../theme.js';
import { oneLine } from '../../core/sanitize.js';
import {
  estimateRequest,
  initialNewRunState,
  NEW_RUN_STEPS,
  type NewRunStep,
  newRunKeyAction,
  newRunView,
  reduceNewRun,
  SETTINGS_FIELDS,
} from '../hooks/new-run-state.js';

export type { NewRunStep } from '../hooks/new-run-state.js';

export const NEW_RUN_KEYS: Record<NewRunStep, readonly KeyHint[]> = {
  models: [
    ['type', 'filter'],
    ['↑↓', 'move'],
    ['space', 'select'],
    ['ctrl+a', 'select all shown'],
    ['tab', 'add the typed id as a model'],
    ['enter', 'next'],
    ['esc', 'clear filter / back'],
  ],
  suite: [
    ['↑↓', 'pick suite'],
    ['enter', 'next'],
    ['esc', 'back'],
  ],
  settings: [
    ['↑↓', 'field'],
    ['←→', 'change'],
    ['type', 'edit name'],
    ['enter', 'next'],
    ['esc', 'back'],
  ],
  confirm: [
    ['enter', 'start run'],
    ['esc', 'back'],
  ],
};

export interface NewRunProps {
  readonly width: number;
  readonly height: number;
  readonly providers: readonly ProviderStatus[];
  /** Lab model refs (`lab:...`), always available. */
  readonly labModels: readonly string[];
  readonly suites: readonly SuiteInfo[];
  readonly active: boolean;
  /** Preselected models (e.g. the models of a previous run). */
  readonly initialModels?: readonly string[];
  estimate(request: Omit<NewRunRequest, 'name'>): Promise<RunEstimate>;
  onStart(request: NewRunRequest): void;
  onBack(): void;
  /** For the help overlay: the step being shown. */
  onStep?(step: NewRunStep): void;
  readonly now?: Date;
}

const SETTINGS_LABELS = {
  samples: 'samples per probe',
  temperature: 'temperature',
  name: 'run name',
  batch: 'vendor batch API',
} as const;

const BATCH_NOTE = "half price through the vendors' batch APIs; answers land in minutes to hours";

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function NewRunScreen(props: NewRunProps) {
  const theme = useTheme();
  const { estimate: estimateRun, onStep } = props;
  const [state, send, latest] = useMachine(reduceNewRun, () => initialNewRunState(props.initialModels));
  const context = {
    providers: props.providers,
    labModels: props.labModels,
    suites: props.suites,
    now: props.now ?? new Date(),
  };
  const view = newRunView(state, context);
  const { step, filter, selected, samples, temperature, estimate } = state;
  const { all, shown, suite, runName } = view;

  useEffect(() => onStep?.(step), [step, onStep]);

  // The request as a value: the effect runs again only when what is estimated changes.
  const requestKey = JSON.stringify(estimateRequest(state, view) ?? null);
  useEffect(() => {
    const request = JSON.parse(requestKey) as Omit<NewRunRequest, 'name'> | null;
    if (!request) return;
    let live = true;
    send({ type: 'estimate-started' });
    estimateRun(request).then(
      (e) => live && send({ type: 'estimated', estimate: e }),
      (err: unknown) => live && send({ type: 'estimate-failed', message: message(err) }),
    );
    return () => {
      live = false;
    };
  }, [requestKey, estimateRun, send]);

  useKeys((input, key) => {
    const action = newRunKeyAction(latest(), context, input, key);
    if (!action) return;
    if (action.type === 'back') props.onBack();
    else if (action.type === 'start') props.onStart(action.request);
    else send(action);
  }, props.active);

  const stepLine = (
    <Box columnGap={1}>
      {NEW_RUN_STEPS.map((s, i) => (
        <Text
          key={s}
          bold={s === step}
          color={s === step ? tint(theme, 'cyan') : undefined}
          dimColor={s !== step && theme.color}
        >
          {`${i + 1}. ${s}${s === step ? ' ◂' : ''}`}
        </Text>
      ))}
    </Box>
  );

  const estimateLines = (
    <Box flexDirection="column">
      {estimate.kind === 'failed' ? (
        <Text color={tint(theme, 'red')}>{`estimate failed: ${oneLine(estimate.message)}`}</Text>
      ) : estimate.kind === 'ready' ? (
        <EstimateLine estimate={estimate.estimate} />
      ) : (
        <Text dimColor={theme.color}>estimating…</Text>
      )}
    </Box>
  );

  let body: ReactNode;
  if (step === 'models') {
    body = (
      <Box flexDirection="column">
        <Text>
          {'filter: '}
          <Text bold>{filter}</Text>
          <Text inverse> </Text>
          <Text dimColor={theme.color}>{`   ${selected.length} selected of ${all.length} available`}</Text>
        </Text>
        <SelectList
          items={shown.map((m) => ({ key: m, label: m, checked: selected.includes(m) }))}
          cursor={view.cursor}
          width={props.width}
          height={Math.max(3, props.height - 10)}
          checkable
          empty={filter ? `no model matches "${filter}": press tab to add it by id` : 'no models available'}
        />
      </Box>
    );
  } else if (step === 'suite') {
    body = (
      <Box flexDirection="column">
        <SelectList
          items={props.suites.map((s) => ({
            key: s.name,
            label: s.name,
            detail: `v${s.version}  ${String(s.probes).padStart(4)} probes  ${fit(s.tags.join(','), 30).trimEnd()}`,
          }))}
          cursor={view.suiteAt}
          width={props.width}
          height={Math.max(3, props.height - 14)}
        />
        {suite ? (
          <Box flexDirection="column" marginTop={1}>
            <Text>{fit(suite.description, props.width).trimEnd()}</Text>
            <Text
              dimColor={theme.color}
            >{`${suite.probes} probes · tags: ${suite.tags.join(', ') || '-'} · ${suite.file}`}</Text>
            {estimateLines}
          </Box>
        ) : null}
      </Box>
    );
  } else if (step === 'settings') {
    const values = {
      samples: String(samples),
      temperature: temperature.toFixed(1),
      name: runName,
      batch: state.batch ? 'on' : 'off',
    };
    body = (
      <Box flexDirection="column">
        {SETTINGS_FIELDS.map((f) => {
          const here = f === state.field;
          const [open, close] = f === 'name' ? ['', ''] : ['◂ ', ' ▸'];
          return (
            <Text key={f} inverse={here}>
              {`${here ? '›' : ' '} ${fit(SETTINGS_LABELS[f], 20)} ${open}${values[f]}${close}`}
            </Text>
          );
        })}
        {state.batch ? <Text dimColor={theme.color}>{BATCH_NOTE}</Text> : null}
        <Box marginTop={1}>{estimateLines}</Box>
      </Box>
    );
  } else {
    body = (
      <Box flexDirection="column">
        <Text>{`run      ${runName}`}</Text>
        <Text>{`suite    ${suite?.name ?? '-'} (${suite?.probes ?? 0} probes)`}</Text>
        <Text>{`models   ${fit(selected.join(', '), props.width - 9).trimEnd()}`}</Text>
        <Text>{`samples  ${samples} per probe at temperature ${temperature.toFixed(1)}`}</Text>
        {state.batch ? <Text>{`batch    ${BATCH_NOTE}`}</Text> : null}
        <Box marginTop={1}>{estimateLines}</Box>
        <Text bold>press enter to start</Text>
      </Box>
    );
  }

  return (
    <Frame title="new run" width={props.width} hints={NEW_RUN_KEYS[step]} status={state.note}>
      {stepLine}
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
    </Frame>
  );
}

function EstimateLine({ estimate }: { readonly estimate: RunEstimate }) {
  const theme = useTheme();
  return (
    <Text>
      {`estimate: ${formatEstimate(estimate)}`}
      {estimate.unpriced.length > 0 ? (
        <Text dimColor={theme.color}>{` (no price for ${estimate.unpriced.map(oneLine).join(', ')})`}</Text>
      ) : null}
    </Text>
  );
}
