// Home: what is available right now (providers, lab zoo, recent runs) and where to go from here.
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useMachine } from '../hooks/use-machine.js';
import { homeCursor, homeKeyAction, INITIAL_HOME_STATE, reduceHome } from '../hooks/home-state.js';
import type { RunSummaryRow } from '../../store/api.js';
import type { ProviderStatus } from '../backend.js';
import { Frame } from '../components/frame.js';
import { SelectList, type SelectItem } from '../components/select-list.js';
import type { KeyHint } from '../components/key-hints.js';
import { fit } from '../../core/format.js';
import { useTheme, tint } from '../theme.js';

export const HOME_KEYS: readonly KeyHint[] = [
  ['n', 'new run'],
  ['↑↓', 'pick a run'],
  ['enter', 'open run'],
  ['space', 'mark run for compare'],
  ['c', 'compare two runs'],
  ['q', 'quit'],
];

export interface HomeProps {
  readonly width: number;
  readonly height: number;
  readonly resultsDir: string;
  /** Undefined while discovery is still running. */
  readonly providers: readonly ProviderStatus[] | undefined;
  /** Undefined while the zoo is being listed. */
  readonly labModels: readonly string[] | undefined;
  readonly runs: readonly RunSummaryRow[];
  readonly active: boolean;
  readonly status?: string;
  onNewRun(): void;
  onOpen(run: string): void;
  onCompare(a: string, b: string): void;
  onQuit(): void;
}

const STATE_TEXT: Record<ProviderStatus['state'], string> = {
  ready: 'ready',
  'no-key': 'no key',
  unreachable: 'unreachable',
  error: 'error',
};
const STATE_COLOUR: Record<ProviderStatus['state'], string> = {
  ready: 'green',
  'no-key': 'yellow',
  unreachable: 'gray',
  error: 'red',
};

function modelCount(p: ProviderStatus): string {
  if (p.state !== 'ready') return '';
  return `${p.models.length} model${p.models.length === 1 ? '' : 's'}`;
}

export function HomeScreen(props: HomeProps) {
  const theme = useTheme();
  const { runs } = props;
  const [state, send, latest] = useMachine(reduceHome, () => INITIAL_HOME_STATE);
  const { marked, note } = state;
  const at = homeCursor(state, runs);

  useKeys((input, key) => {
    const action = homeKeyAction(latest(), runs, input, key);
    if (!action) return;
    if (action.type === 'quit') props.onQuit();
    else if (action.type === 'new-run') props.onNewRun();
    else if (action.type === 'open') props.onOpen(action.run);
    else if (action.type === 'compare') props.onCompare(action.a, action.b);
    else send(action);
  }, props.active);

  const nameWidth = Math.min(32, Math.max(10, ...runs.map((r) => r.name.length)));
  const runItems: SelectItem[] = runs.map((r) => ({
    key: r.name,
    label: r.name,
    checked: marked.includes(r.name),
    detail: [
      fit(r.suite, 14),
      `${String(r.models).padStart(3)} models`,
      `${String(r.samples).padStart(6)} samples`,
      `${String(r.errors).padStart(4)} err `,
      fit(r.status, 11),
      r.updatedAt.slice(0, 16).replace('T', ' '),
    ].join(' '),
  }));
  const providerRows = props.providers ?? [];
  const listHeight = Math.max(3, props.height - 12 - providerRows.length);

  return (
    <Frame
      title="home"
      subtitle={`results: ${props.resultsDir}`}
      width={props.width}
      hints={HOME_KEYS}
      status={note ?? props.status}
    >
      <Text bold>Providers</Text>
      {props.providers === undefined ? <Text dimColor={theme.color}> discovering providers…</Text> : null}
      {providerRows.map((p) => (
        <Text key={p.name}>
          {'  '}
          <Text color={tint(theme, STATE_COLOUR[p.state])}>{p.state === 'ready' ? '●' : '○'}</Text>
          {` ${fit(p.name, 12)} ${fit(STATE_TEXT[p.state], 12)} ${fit(modelCount(p), 11)} `}
          <Text dimColor={theme.color}>{fit(p.detail, Math.max(10, props.width - 42)).trimEnd()}</Text>
        </Text>
      ))}
      <Text>
        {'  '}
        <Text bold>lab zoo</Text>
        {props.labModels === undefined
          ? ' listing…'
          : ` ${props.labModels.length} model${props.labModels.length === 1 ? '' : 's'}: `}
        <Text dimColor={theme.color}>
          {props.labModels === undefined
            ? ''
            : fit(props.labModels.join(', ') || '(none)', Math.max(10, props.width - 24)).trimEnd()}
        </Text>
      </Text>
      <Box marginTop={1}>
        <Text bold>{`Recent runs (${runs.length})`}</Text>
        <Text dimColor={theme.color}>{marked.length > 0 ? `   marked: ${marked.join(', ')}` : ''}</Text>
      </Box>
      <Text
        dimColor={theme.color}
      >{`      ${fit('name', nameWidth)}  ${fit('suite', 14)} models     samples  errors  status      updated`}</Text>
      <SelectList
        items={runItems}
        cursor={at}
        width={props.width}
        height={listHeight}
        checkable
        labelWidth={nameWidth}
        empty="  no runs yet: press n to start one (the lab zoo needs no key and no network)"
      />
    </Frame>
  );
}
