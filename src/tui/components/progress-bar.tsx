// A progress bar that is cheap to draw many times a second. ink measures every string on every frame, and
// non-ASCII text (block characters) takes string-width's slow grapheme path, so the bar is ASCII: coloured spaces
// when colour is on, '#' and '.' under NO_COLOR.
import { Text } from 'ink';
import { useTheme } from '../theme.js';

export function barCells(done: number, total: number, width: number): number {
  if (width <= 0 || !(total > 0)) return 0;
  return Math.max(0, Math.min(width, Math.floor((done / total) * width)));
}

export function ProgressBar({
  done,
  total,
  width,
  failed = false,
}: {
  readonly done: number;
  readonly total: number;
  readonly width: number;
  readonly failed?: boolean;
}) {
  const theme = useTheme();
  const filled = barCells(done, total, width);
  if (!theme.color) return <Text>{'#'.repeat(filled) + '.'.repeat(width - filled)}</Text>;
  const colour = failed ? 'red' : filled >= width ? 'green' : 'cyan';
  return (
    <Text>
      <Text backgroundColor={colour}>{' '.repeat(filled)}</Text>
      <Text backgroundColor="#3a3a3a">{' '.repeat(width - filled)}</Text>
    </Text>
  );
}
