// New run: choose models (filter by typing, multi-select, add by id), a suite (with the estimate of requests,
// tokens and cost), samples and temperature, then confirm.
import { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import type { NewRunRequest, ProviderStatus, RunEstimate, SuiteInfo } from '../backend.js';
import { Frame } from '../components/frame.js';
import { SelectList } from '../components/select-list.js';
import type { KeyHint } from '../components/key-hints.js';
import { fit } from '../../core/format.js';
import { formatEstimate } from '../../probes/estimate.js';
import { useTheme, tint } from '../theme.js';
import { oneLine } from '../../core/sanitize.js';

export type NewRunStep = 'models' | 'suite' | 'settings' | 'confirm';
const STEPS: readonly NewRunStep[] = ['models', 'suite', 'settings', 'confirm'];

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

const MODEL_REF = /^[a-z][a-z0-9_-]*:\S+$/;

export function defaultRunName(suite: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${suite.replace(/[^A-Za-z0-9._-]/g, '-')}-${stamp}`;
}

export function availableModels(providers: readonly ProviderStatus[], labModels: readonly string[]): string[] {
  const refs = new Set<string>(labModels);
  for (const p of providers) if (p.state === 'ready') for (const m of p.models) refs.add(`${p.name}:${m}`);
  return [...refs];
}

const TEMPERATURE_STEP = 0.1;

export function NewRunScreen(props: NewRunProps) {
  const theme = useTheme();
  const [step, setStepState] = useState<NewRunStep>('models');
  const [filter, setFilter] = useState('');
  const [cursor, setCursor] = useState(0);
  const [extra, setExtra] = useState<readonly string[]>([]);
  const [selected, setSelected] = useState<readonly string[]>(props.initialModels ?? []);
  const [suiteAt, setSuiteAt] = useState(0);
  const [field, setField] = useState(0);
  const [samples, setSamples] = useState(1);
  const [temperature, setTemperature] = useState(0.7);
  const [settingsFor, setSettingsFor] = useState<string | undefined>(undefined);
  const [name, setName] = useState<string | undefined>(undefined);
  const [estimate, setEstimate] = useState<RunEstimate | undefined>(undefined);
  const [estimateError, setEstimateError] = useState<string | undefined>(undefined);
  const [note, setNote] = useState<string | undefined>(undefined);

  const setStep = (s: NewRunStep) => {
    setStepState(s);
    setNote(undefined);
    props.onStep?.(s);
  };

  const all = useMemo(
    () => [...availableModels(props.providers, props.labModels), ...extra.filter((e) => !props.labModels.includes(e))],
    [props.providers, props.labModels, extra],
  );
  const shown = useMemo(() => {
    const f = filter.toLowerCase();
    return f ? all.filter((m) => m.toLowerCase().includes(f)) : all;
  }, [all, filter]);
  const at = Math.min(cursor, Math.max(0, shown.length - 1));
  const suite = props.suites[Math.min(suiteAt, props.suites.length - 1)];
  const runName = name ?? defaultRunName(suite?.name ?? 'run', props.now ?? new Date());

  useEffect(() => {
    if (!suite || selected.length === 0 || step === 'models') return;
    let live = true;
    setEstimateError(undefined);
    props.estimate({ models: selected, suite: suite.name, samples, temperature }).then(
      (e) => live && setEstimate(e),
      (err: unknown) => live && setEstimateError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [suite?.name, selected.join('\n'), samples, temperature, step === 'models']);

  const toggle = (ref: string) => setSelected((s) => (s.includes(ref) ? s.filter((x) => x !== ref) : [...s, ref]));

  useKeys((input, key) => {
    if (step === 'models') {
      if (key.escape) {
        if (filter) setFilter('');
        else props.onBack();
      } else if (key.upArrow) setCursor(Math.max(0, at - 1));
      else if (key.downArrow) setCursor(Math.min(shown.length - 1, at + 1));
      else if (key.return) {
        if (selected.length === 0) setNote('select at least one model (space), or type an id and press tab');
        else if (props.suites.length === 0) setNote('no suites found in probes/: add a suite file first');
        else setStep('suite');
      } else if (key.tab) {
        const id = filter.trim();
        if (MODEL_REF.test(id)) {
          if (!all.includes(id)) setExtra((e) => [...e, id]);
          if (!selected.includes(id)) toggle(id);
          setFilter('');
          setNote(`added ${id}`);
        } else setNote('type a full model id such as openai:gpt-4o-mini, then press tab');
      } else if (key.ctrl && input === 'a') {
        const allOn = shown.every((m) => selected.includes(m));
        setSelected((s) =>
          allOn ? s.filter((m) => !shown.includes(m)) : [...s, ...shown.filter((m) => !s.includes(m))],
        );
      } else if (input === ' ') {
        if (shown[at]) toggle(shown[at]);
      } else if (key.backspace || key.delete || /^[\u007f\b]+$/.test(input)) {
        // Several backspaces in one read (key repeat, a fast script) arrive as one string.
        const n = Math.max(1, input.length);
        setFilter((f) => [...f].slice(0, -n).join(''));
        setCursor(0);
      } else if (input && input !== '?' && !key.ctrl && !key.meta) {
        const printable = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
        if (printable) {
          setFilter((f) => f + printable);
          setCursor(0);
        }
      }
    } else if (step === 'suite') {
      if (key.escape) setStep('models');
      else if (key.upArrow || input === 'k') setSuiteAt(Math.max(0, suiteAt - 1));
      else if (key.downArrow || input === 'j') setSuiteAt(Math.min(props.suites.length - 1, suiteAt + 1));
      else if (key.return && suite) {
        // Settings start from the suite's own defaults (a gene suite wants 8 samples at temperature 1).
        if (settingsFor !== suite.name) {
          setSamples(suite.samples);
          setTemperature(suite.temperature);
          setSettingsFor(suite.name);
        }
        setStep('settings');
      }
    } else if (step === 'settings') {
      const delta = key.rightArrow || input === '+' ? 1 : key.leftArrow || input === '-' ? -1 : 0;
      if (key.escape) setStep('suite');
      else if (key.upArrow) setField(Math.max(0, field - 1));
      else if (key.downArrow) setField(Math.min(2, field + 1));
      else if (key.return) {
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(runName))
          setNote('run name: use letters, digits, dot, dash or underscore');
        else setStep('confirm');
      } else if (field === 0 && delta !== 0) setSamples((s) => Math.max(1, Math.min(100, s + delta)));
      else if (field === 1 && delta !== 0)
        setTemperature((t) => Math.round(Math.max(0, Math.min(2, t + delta * TEMPERATURE_STEP)) * 10) / 10);
      else if (field === 2) {
        if (key.backspace || key.delete) setName(runName.slice(0, -1));
        else if (input && /^[A-Za-z0-9._-]+$/.test(input)) setName(runName + input);
      }
    } else if (step === 'confirm') {
      if (key.escape) setStep('settings');
      else if (key.return && suite)
        props.onStart({ name: runName, models: selected, suite: suite.name, samples, temperature });
    }
  }, props.active);

  const stepLine = (
    <Box columnGap={1}>
      {STEPS.map((s, i) => (
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
      {estimateError ? <Text color={tint(theme, 'red')}>{`estimate failed: ${oneLine(estimateError)}`}</Text> : null}
      {estimate ? (
        <Text>
          {`estimate: ${formatEstimate(estimate)}`}
          {estimate.unpriced.length > 0 ? (
            <Text dimColor={theme.color}>{` (no price for ${estimate.unpriced.map(oneLine).join(', ')})`}</Text>
          ) : null}
        </Text>
      ) : estimateError ? null : (
        <Text dimColor={theme.color}>estimating…</Text>
      )}
    </Box>
  );

  let body;
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
          cursor={at}
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
          cursor={Math.min(suiteAt, props.suites.length - 1)}
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
    const fields: [string, string][] = [
      ['samples per probe', String(samples)],
      ['temperature', temperature.toFixed(1)],
      ['run name', runName],
    ];
    body = (
      <Box flexDirection="column">
        {fields.map(([label, value], i) => (
          <Text key={label} inverse={i === field}>
            {`${i === field ? '›' : ' '} ${fit(label, 20)} ${i < 2 ? '◂ ' : ''}${value}${i < 2 ? ' ▸' : ''}`}
          </Text>
        ))}
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
        <Box marginTop={1}>{estimateLines}</Box>
        <Text bold>press enter to start</Text>
      </Box>
    );
  }

  return (
    <Frame title="new run" width={props.width} hints={NEW_RUN_KEYS[step]} status={note}>
      {stepLine}
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
    </Frame>
  );
}
