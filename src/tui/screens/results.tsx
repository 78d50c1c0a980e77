// Results: tabs for the tree, the distance heatmap, the model map, the trait table and the evidence (responses side
// by side). Signal, method and rooting switch with one key; `e` exports what is shown into the results folder.
import { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { Exported, ResultsData, TreeMethodName } from '../backend.js';
import { useKeys } from '../hooks/use-keys.js';
import { Frame } from '../components/frame.js';
import { Tabs } from '../components/tabs.js';
import { TextPane } from '../components/text-pane.js';
import { Heatmap } from '../components/heatmap.js';
import { Scatter } from '../components/scatter.js';
import { Table } from '../components/table.js';
import type { KeyHint } from '../components/key-hints.js';
import { modelMap } from '../layout-map.js';
import { ROOTINGS, sortTraitRows, traitCells, traitTableTsv, treeView, type Rooting } from '../results-view.js';
import { fit, wrapText } from '../../core/format.js';
import { formatMatrixTsv } from '../../distance/matrix-io.js';
import { oneLine } from '../../core/sanitize.js';
import { useTheme, tint } from '../theme.js';

export const RESULT_TABS = ['tree', 'heatmap', 'map', 'traits', 'evidence'] as const;
export type ResultTab = (typeof RESULT_TABS)[number];
export const TREE_METHODS: readonly TreeMethodName[] = ['nj', 'bionj', 'upgma', 'bme'];
const TRAIT_CELL = 8;

export const RESULTS_KEYS: readonly KeyHint[] = [
  ['1-5 ←→ tab', 'switch tab'],
  ['s', 'signal'],
  ['m', 'tree method'],
  ['r', 'rooting'],
  ['o', 'outgroup'],
  ['↑↓', 'scroll / pick'],
  ['[ ]', 'sort column / models'],
  ['d', 'sort direction'],
  ['n', 'next sample'],
  ['e', 'export'],
  ['esc', 'home'],
];

export interface ResultsProps {
  readonly width: number;
  readonly height: number;
  readonly data: ResultsData;
  readonly active: boolean;
  readonly initialTab?: ResultTab;
  onExport(baseName: string, format: Exported['format'], text: string): Promise<Exported>;
  onBack(): void;
}

export function ResultsScreen(props: ResultsProps) {
  const theme = useTheme();
  const { data, width } = props;
  const [tab, setTab] = useState(Math.max(0, RESULT_TABS.indexOf(props.initialTab ?? 'tree')));
  const [signalAt, setSignalAt] = useState(0);
  const [methodChoice, setMethodChoice] = useState<TreeMethodName | undefined>(undefined);
  const [rooting, setRooting] = useState<Rooting>('midpoint');
  const [outgroupAt, setOutgroupAt] = useState(0);
  const [scroll, setScroll] = useState(0);
  const [sortColumn, setSortColumn] = useState(0);
  const [descending, setDescending] = useState(false);
  const [row, setRow] = useState(0);
  const [probeAt, setProbeAt] = useState(0);
  const [modelPage, setModelPage] = useState(0);
  const [sampleAt, setSampleAt] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [status, setStatus] = useState<string | undefined>(undefined);

  const signal = data.signals[signalAt % Math.max(1, data.signals.length)] ?? '';
  const method = methodChoice ?? data.defaultMethod?.(signal) ?? 'nj';
  const bodyHeight = Math.max(6, props.height - 9);

  const computed = useMemo(() => {
    try {
      const matrix = data.matrix(signal);
      const outgroup = matrix.labels[outgroupAt % Math.max(1, matrix.labels.length)];
      const view = treeView(data.tree(signal, method), rooting, outgroup, Math.max(30, width - 2));
      return { matrix, view, outgroup, error: undefined };
    } catch (err) {
      return {
        matrix: undefined,
        view: undefined,
        outgroup: undefined,
        error: err instanceof Error ? err.message : String(err),
      };
    }
  }, [data, signal, method, rooting, outgroupAt, width]);

  const map = useMemo(
    () => (computed.matrix && RESULT_TABS[tab] === 'map' ? modelMap(computed.matrix) : undefined),
    [computed.matrix, tab],
  );
  const traitRows = useMemo(
    () => sortTraitRows(data.traits, sortColumn, descending),
    [data.traits, sortColumn, descending],
  );
  const probe = data.probes[Math.min(probeAt, data.probes.length - 1)];
  const responses = useMemo(() => (probe ? data.responses(probe.id) : []), [data, probe?.id]);

  const perPage = Math.max(1, Math.min(responses.length, Math.floor(width / 32)));

  const doExport = (format: Exported['format']) => {
    const current = RESULT_TABS[tab]!;
    const base = `${data.run}.${signal}.${method}`;
    let text: string;
    let name = base;
    if (format === 'newick') {
      if (!computed.view) return setStatus('no tree to export');
      text = `${computed.view.newick}\n`;
    } else if (format === 'tsv') {
      if (current === 'traits') {
        text = traitTableTsv(data.traits);
        name = `${data.run}.traits`;
      } else if (computed.matrix) {
        text = formatMatrixTsv(computed.matrix);
        name = `${data.run}.${signal}`;
      } else return setStatus('no matrix to export');
    } else {
      const m = computed.matrix;
      text = `${JSON.stringify(
        {
          run: data.run,
          tab: current,
          signal,
          method,
          rooting,
          outgroup: rooting === 'outgroup' ? computed.outgroup : undefined,
          newick: computed.view?.newick,
          matrix: m
            ? { labels: m.labels, signal: m.signal, metric: m.metric, values: Array.from(m.values) }
            : undefined,
          map: map?.points,
          traits: data.traits,
          evidence: current === 'evidence' && probe ? { probe, responses } : undefined,
        },
        null,
        2,
      )}\n`;
      name = `${base}.${current}`;
    }
    props.onExport(name, format, text).then(
      (e) => setStatus(`exported ${e.format} to ${e.file}`),
      (err: unknown) => setStatus(`export failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  };

  useKeys((input, key) => {
    if (exporting) {
      setExporting(false);
      if (input === 'n') doExport('newick');
      else if (input === 't') doExport('tsv');
      else if (input === 'j') doExport('json');
      else setStatus(undefined);
      return;
    }
    const current = RESULT_TABS[tab]!;
    const digit = Number.parseInt(input, 10);
    if (key.escape) props.onBack();
    else if (digit >= 1 && digit <= RESULT_TABS.length) setTab(digit - 1);
    else if (key.rightArrow || key.tab) setTab((tab + 1) % RESULT_TABS.length);
    else if (key.leftArrow) setTab((tab + RESULT_TABS.length - 1) % RESULT_TABS.length);
    else if (input === 's') {
      setSignalAt((signalAt + 1) % Math.max(1, data.signals.length));
      // Each signal starts at its recommended method.
      setMethodChoice(undefined);
    } else if (input === 'm') setMethodChoice(TREE_METHODS[(TREE_METHODS.indexOf(method) + 1) % TREE_METHODS.length]!);
    else if (input === 'r') setRooting(ROOTINGS[(ROOTINGS.indexOf(rooting) + 1) % ROOTINGS.length]!);
    else if (input === 'o') {
      setOutgroupAt(outgroupAt + 1);
      setRooting('outgroup');
    } else if (input === 'e') {
      setExporting(true);
      setStatus('export: n Newick, t TSV, j JSON (any other key cancels)');
    } else if (key.upArrow || key.downArrow || input === 'k' || input === 'j') {
      const d = key.upArrow || input === 'k' ? -1 : 1;
      if (current === 'tree')
        setScroll(Math.max(0, Math.min((computed.view?.lines.length ?? 0) - bodyHeight, scroll + d)));
      else if (current === 'traits') setRow(Math.max(0, Math.min(traitRows.length - 1, row + d)));
      else if (current === 'evidence') {
        setProbeAt(Math.max(0, Math.min(data.probes.length - 1, probeAt + d)));
        setSampleAt(0);
      }
    } else if (input === '[' || input === ']') {
      const d = input === '[' ? -1 : 1;
      if (current === 'traits') setSortColumn(Math.max(0, Math.min(data.traits.traits.length, sortColumn + d)));
      else if (current === 'evidence')
        setModelPage(Math.max(0, Math.min(Math.max(0, responses.length - perPage), modelPage + d * perPage)));
    } else if (input === 'd' && current === 'traits') setDescending(!descending);
    else if (input === 'n' && current === 'evidence') setSampleAt(sampleAt + 1);
  }, props.active);

  const current = RESULT_TABS[tab]!;
  const settings = `signal ${signal} (${computed.matrix?.metric ?? '-'}) · ${method} · ${rooting === 'outgroup' ? `outgroup ${computed.outgroup}` : rooting}`;

  let body;
  if (computed.error && current !== 'traits' && current !== 'evidence') {
    body = <Text color={tint(theme, 'red')}>{oneLine(`cannot build the ${signal} tree: ${computed.error}`)}</Text>;
  } else if (current === 'tree') {
    body = (
      <Box flexDirection="column">
        <TextPane lines={computed.view!.lines} width={width} height={bodyHeight} offset={scroll} />
        <Text dimColor={theme.color}>support values: bootstrap proportion of the split over resampled probes</Text>
      </Box>
    );
  } else if (current === 'heatmap') {
    body = <Heatmap matrix={computed.matrix!} order={computed.view!.order} width={width} />;
  } else if (current === 'map') {
    body = map ? (
      <Scatter
        points={map.points}
        width={width}
        height={Math.max(6, bodyHeight - 5)}
        caption={`${map.method === 'umap' ? 'UMAP' : 'classical MDS'} of the ${signal} distances (seeded)`}
      />
    ) : null;
  } else if (current === 'traits') {
    const sortName = sortColumn === 0 ? 'model' : data.traits.traits[sortColumn - 1]!;
    body = (
      <Box flexDirection="column">
        <Table
          columns={['model', ...data.traits.traits]}
          rows={traitCells(traitRows, TRAIT_CELL)}
          width={width}
          height={bodyHeight - 3}
          sortColumn={sortColumn}
          descending={descending}
          cursor={row}
          cellWidth={TRAIT_CELL}
          firstWidth={Math.min(30, Math.max(10, ...data.models.map((m) => m.length)))}
        />
        <Text
          dimColor={theme.color}
        >{`sorted by ${oneLine(sortName)}, ${descending ? 'descending' : 'ascending'}; means over each model's answered probes`}</Text>
      </Box>
    );
  } else {
    const shown = responses.slice(modelPage, modelPage + perPage);
    const colWidth = Math.floor((width - (shown.length - 1) * 2) / Math.max(1, shown.length));
    const textHeight = Math.max(3, bodyHeight - 6);
    body = !probe ? (
      <Text>no probes in this run</Text>
    ) : (
      <Box flexDirection="column">
        <Text>
          <Text bold>{`probe ${probeAt + 1}/${data.probes.length}: ${oneLine(probe.id)}`}</Text>
          <Text dimColor={theme.color}>{probe.tags.length ? `  [${probe.tags.map(oneLine).join(', ')}]` : ''}</Text>
        </Text>
        {wrapText(probe.prompt, width - 2)
          .slice(0, 3)
          .map((l, i) => (
            <Text key={i} dimColor={theme.color}>{`> ${l}`}</Text>
          ))}
        <Box marginTop={1} columnGap={2}>
          {shown.map((r) => {
            const n = r.texts.length;
            const text = n > 0 ? r.texts[sampleAt % n]! : `(no answer: ${r.errors} errors)`;
            // Blank lines around an answer carry no evidence worth a column's height (the traits count them).
            const lines = wrapText(text.replace(/^\s*\n/, '').trimEnd(), colWidth);
            return (
              <Box key={r.model} flexDirection="column" width={colWidth}>
                <Text bold color={tint(theme, 'cyan')}>
                  {fit(`${r.model}${n > 1 ? ` (${(sampleAt % n) + 1}/${n})` : ''}`, colWidth)}
                </Text>
                {lines.slice(0, textHeight).map((l, i) => (
                  <Text key={i}>{l || ' '}</Text>
                ))}
                {lines.length > textHeight ? (
                  <Text dimColor={theme.color}>{`… ${lines.length - textHeight} more lines`}</Text>
                ) : null}
              </Box>
            );
          })}
        </Box>
        <Text
          dimColor={theme.color}
        >{`models ${modelPage + 1}-${modelPage + shown.length} of ${responses.length}`}</Text>
      </Box>
    );
  }

  return (
    <Frame title={`results ${data.run}`} subtitle={settings} width={width} hints={RESULTS_KEYS} status={status}>
      <Tabs tabs={RESULT_TABS} active={tab} />
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
    </Frame>
  );
}
