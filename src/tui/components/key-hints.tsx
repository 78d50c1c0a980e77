// The footer line every screen shows: the keys that work here.
import { Box, Text } from 'ink';
import { useTheme, tint } from '../theme.js';

export type KeyHint = readonly [key: string, action: string];

export function KeyHints({ hints }: { readonly hints: readonly KeyHint[] }) {
  const theme = useTheme();
  return (
    <Box flexWrap="wrap" columnGap={2}>
      {hints.map(([key, action]) => (
        <Text key={key + action}>
          <Text bold color={tint(theme, 'cyan')}>
            {key}
          </Text>{' '}
          <Text dimColor={theme.color}>{action}</Text>
        </Text>
      ))}
    </Box>
  );
}
