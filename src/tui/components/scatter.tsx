// The model map: points with markers and labels on a character grid, and a legend of markers.
import { Box, Text } from 'ink';
import type { MapPoint } from '../../analysis/model-map.js';
import { marker, scatterLines } from '../plot.js';
import { fit } from '../../core/format.js';
import { useTheme } from '../theme.js';
import { numberLines } from './numbered-lines.js';

export function Scatter({
  points,
  width,
  height,
  caption,
}: {
  readonly points: readonly MapPoint[];
  readonly width: number;
  readonly height: number;
  readonly caption: string;
}) {
  const theme = useTheme();
  const lines = scatterLines(points, width - 2, height);
  return (
    <Box flexDirection="column">
      <Box borderStyle="single" borderDimColor={theme.color} flexDirection="column" width={width}>
        {numberLines(lines).map((row) => (
          <Text key={row.number}>{row.text || ' '}</Text>
        ))}
      </Box>
      <Text dimColor={theme.color}>{caption}</Text>
      <Box flexWrap="wrap" columnGap={2} width={width}>
        {points.map((p, i) => (
          <Text key={p.label}>{`${marker(i)}=${fit(p.label, 30).trimEnd()}`}</Text>
        ))}
      </Box>
    </Box>
  );
}
