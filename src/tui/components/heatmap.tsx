// The distance matrix as coloured cells, rows and columns in the given order (the tree's leaf order, so clades
// show as blocks). Without colour the cells carry shade characters, so the picture survives NO_COLOR.
import { Box, Text } from 'ink';
import type { DistanceMatrix } from '../../core/matrix.js';
import { compactNumber, fit } from '../../core/format.js';
import { HEAT_COLOURS, HEAT_SHADES, heatLevel, marker } from '../plot.js';
import { useTheme } from '../theme.js';

export interface HeatmapProps {
  readonly matrix: DistanceMatrix;
  /** Labels in display order; must be a permutation of the matrix labels. */
  readonly order: readonly string[];
  readonly width: number;
}

export function Heatmap({ matrix, order, width }: HeatmapProps) {
  const theme = useTheme();
  const n = matrix.labels.length;
  const index = new Map(matrix.labels.map((l, i) => [l, i]));
  const idx = order.map((l) => index.get(l)!).filter((i) => i !== undefined);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (i !== j) {
        const v = matrix.values[i * n + j]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
  const labelWidth = Math.min(28, Math.max(6, ...order.map((l) => l.length)) + 3);
  // Cells show the distance with two decimals when there is room, else only the colour or shade.
  const cellWidth = Math.max(1, Math.min(5, Math.floor((width - labelWidth) / Math.max(1, idx.length))));
  const cellText = (v: number, level: number, diagonal: boolean) => {
    if (cellWidth >= 4) {
      const shade = theme.color ? '' : HEAT_SHADES[level]!;
      const room = cellWidth - 1 - shade.length;
      const num = diagonal
        ? '·'
        : v > 0 && v < 1
          ? compactNumber(v, room + 1).replace(/^0\./, '.')
          : compactNumber(v, room);
      return `${fit(shade + num, cellWidth - 1, 'right')} `;
    }
    return (theme.color ? ' ' : HEAT_SHADES[level]!).repeat(cellWidth);
  };
  return (
    <Box flexDirection="column">
      <Text>
        {' '.repeat(labelWidth)}
        {idx
          .map((_, c) => (cellWidth >= 4 ? `${fit(marker(c), cellWidth - 1, 'right')} ` : fit(marker(c), cellWidth)))
          .join('')}
      </Text>
      {idx.map((i, r) => (
        <Text key={matrix.labels[i]}>
          {`${fit(`${marker(r)} ${matrix.labels[i]}`, labelWidth - 1)} `}
          {idx.map((j) => {
            const v = matrix.values[i * n + j]!;
            const level = i === j ? 0 : heatLevel(v, min, max);
            const text = cellText(v, level, i === j);
            return theme.color ? (
              <Text key={j} backgroundColor={HEAT_COLOURS[level]} color="black">
                {text}
              </Text>
            ) : (
              <Text key={j}>{text}</Text>
            );
          })}
        </Text>
      ))}
      <Text>
        {`${matrix.signal}/${matrix.metric}  near `}
        {HEAT_COLOURS.map((c, k) =>
          theme.color ? (
            <Text key={c} backgroundColor={c}>
              {'  '}
            </Text>
          ) : (
            <Text key={c}>{HEAT_SHADES[k]!.repeat(2)}</Text>
          ),
        )}
        {` far   (${Number.isFinite(min) ? min.toFixed(3) : '-'} .. ${Number.isFinite(max) ? max.toFixed(3) : '-'})`}
      </Text>
    </Box>
  );
}
