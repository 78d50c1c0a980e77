// Home: what is available right now (providers, lab zoo, recent runs) and where to go from here.
import { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
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
  const [cursor, setCursor] = useState(0);
  const [marked, setMarked] = useState<readonly string[]>([]);
  const [note, setNote] = useState<string | undefined>(undefined);
  const at = Math.min(cursor, Math.max(0, runs.length - 1));

  useKeys((input, key) => {
    if (input === 'q') props.onQuit();
    else if (input === 'n') props.onNewRun();
    else if (key.upArrow || input === 'k') setCursor(Math.max(0, at - 1));
    else if (key.downArrow || input === 'j') setCursor(Math.min(runs.length - 1, at + 1));
    else if (key.return && runs[at]) props.onOpen(runs[at].name);
    else if (input === ' ' && runs[at]) {
      const name = runs[at].name;
      // Two marks at most: marking a third forgets the oldest.
      setMarked((m) => (m.includes(name) ? m.filter((x) => x !== name) : [...m, name].slice(-2)));
    } else if (input === 'c') {
      const pair =
        marked.length === 2
          ? marked
          : marked.length === 1 && runs[at] && runs[at].name !== marked[0]
            ? [marked[0]!, runs[at].name]
            : undefined;
      if (pair) {
        // Older run first: the comparison reads "before -> after".
        const when = (name: string) => runs.find((r) => r.name === name)?.updatedAt ?? '';
        const [a, b] = [...pair].sort((x, y) => when(x).localeCompare(when(y)));
        props.onCompare(a!, b!);
      } else setNote('mark two runs with space, then press c');
    }
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
