// The layout shared by every screen: a title line, the body, a status line and the key hints.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useTheme, tint } from '../theme.js';
import { KeyHints, type KeyHint } from './key-hints.js';
import { oneLine } from '../../core/sanitize.js';

export interface FrameProps {
  readonly title: string;
  readonly subtitle?: string;
  readonly width: number;
  readonly hints: readonly KeyHint[];
  readonly status?: string;
  readonly children: ReactNode;
}

export function Frame({ title, subtitle, width, hints, status, children }: FrameProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold color={tint(theme, 'green')}>
          phylo
        </Text>
        {' · '}
        <Text bold>{oneLine(title)}</Text>
        {subtitle ? <Text dimColor={theme.color}>{` ${oneLine(subtitle)}`}</Text> : null}
      </Text>
      <Box flexDirection="column" marginTop={1} marginBottom={1}>
        {children}
      </Box>
      {status ? <Text color={tint(theme, 'yellow')}>{oneLine(status)}</Text> : null}
      <KeyHints hints={hints} />
    </Box>
  );
}
