// A window onto a list of lines (a rendered tree, a log): shows `height` lines from `offset`, each cut to `width`.
import { Box, Text } from 'ink';
import { fit } from '../../core/format.js';
import { useTheme } from '../theme.js';
import { numberLines } from './numbered-lines.js';

export interface TextPaneProps {
  readonly lines: readonly string[];
  readonly width: number;
  readonly height: number;
  readonly offset?: number;
  /** Show the last lines (a log) rather than the first. */
  readonly tail?: boolean;
  readonly dim?: boolean;
}

export function TextPane({ lines, width, height, offset = 0, tail = false, dim = false }: TextPaneProps) {
  const theme = useTheme();
  const start = tail ? Math.max(0, lines.length - height) : Math.max(0, Math.min(offset, lines.length - height));
  const shown = numberLines(lines.slice(start, start + height), start);
  return (
    <Box flexDirection="column">
      {shown.map((line) => (
        <Text key={line.number} dimColor={dim && theme.color}>
          {fit(line.text, width).trimEnd() || ' '}
        </Text>
      ))}
      {!tail && lines.length > start + height ? (
        <Text dimColor={theme.color}>{`… ${lines.length - start - height} more lines (↓)`}</Text>
      ) : null}
    </Box>
  );
}
