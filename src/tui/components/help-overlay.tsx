// `?` on any screen: every key of that screen and the global ones, in one box.
import { Box, Text } from 'ink';
import type { KeyHint } from './key-hints.js';
import { useTheme, tint } from '../theme.js';

export const GLOBAL_KEYS: readonly KeyHint[] = [
  ['?', 'show or hide this help'],
  ['esc', 'back'],
  ['ctrl+c', 'quit at once (a running collection keeps what it stored)'],
];

export function HelpOverlay({ screen, keys }: { readonly screen: string; readonly keys: readonly KeyHint[] }) {
  const theme = useTheme();
  const all = [...keys, ...GLOBAL_KEYS];
  const keyWidth = Math.max(...all.map(([k]) => k.length));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={tint(theme, 'cyan')} paddingX={1}>
      <Text bold>Keys: {screen}</Text>
      {all.map(([key, action]) => (
        <Text key={key + action}>
          <Text bold color={tint(theme, 'cyan')}>
            {key.padEnd(keyWidth)}
          </Text>
          {'  '}
          {action}
        </Text>
      ))}
    </Box>
  );
}
