// The predict tab: each model's benchmark score predicted from its nearest neighbours in the distances shown, beside
// the score given (held-out predictions for scored models), with the leave-one-out r and MAE against the baseline.
import { Box, Text } from 'ink';
import type { RunPrediction } from '../prediction.js';
import { oneLine } from '../../core/sanitize.js';
import { Table } from './table.js';
import { useTheme, tint } from '../theme.js';

export interface PredictionPaneProps {
  /** Undefined: the app was started without scores. */
  readonly prediction: RunPrediction | undefined;
  readonly column: string | undefined;
  readonly file: string | undefined;
  readonly signal: string;
  readonly cursor: number;
  readonly width: number;
  readonly height: number;
}

const fixed = (x: number | undefined, digits = 2) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));

export function PredictionPane({ prediction, column, file, signal, cursor, width, height }: PredictionPaneProps) {
  const theme = useTheme();
  if (!prediction || column === undefined)
    return (
      <Text dimColor={theme.color}>
        no benchmark scores given: start with phylo tui --scores FILE.tsv --column NAME to predict each model's score
        from its neighbours (as phylo predict)
      </Text>
    );
  if (prediction.kind === 'unavailable')
    return <Text color={tint(theme, 'yellow')}>{oneLine(`cannot predict: ${prediction.reason}`)}</Text>;
  const p = prediction.prediction;
  const rows = [...p.predictions].sort((x, y) => y.predicted - x.predicted);
  const weight = p.setting.power === 0 ? 'plain mean' : `weight 1/d^${p.setting.power}`;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{oneLine(`${column}`)}</Text>
        {oneLine(` from ${file ?? '?'} · ${p.scored} scored models · ${signal} distances`)}
      </Text>
      <Text>
        {`leave-one-out (nested): r ${fixed(p.looPearson, 3)} · MAE ${fixed(p.looMAE)} ` +
          `(baseline: mean of the others, MAE ${fixed(p.baselineMAE)}) · k=${p.setting.k}, ${weight}`}
      </Text>
      <Box marginTop={1}>
        <Table
          columns={['model', 'score', 'predicted', 'error']}
          rows={rows.map((r) => [
            r.model,
            fixed(r.observed),
            fixed(r.predicted),
            r.observed === undefined ? 'no score' : fixed(r.predicted - r.observed),
          ])}
          width={width}
          height={Math.max(3, height - 5)}
          cursor={cursor}
          cellWidth={10}
          firstWidth={Math.min(36, Math.max(10, ...rows.map((r) => r.model.length)))}
        />
      </Box>
      <Text dimColor={theme.color}>
        a scored model's prediction is held out (made without its own score); a model with no score is predicted from
        every scored one
      </Text>
    </Box>
  );
}
