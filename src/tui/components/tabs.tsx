import { Box, Text } from 'ink';
import { useTheme, tint } from '../theme.js';

export function Tabs({ tabs, active }: { readonly tabs: readonly string[]; readonly active: number }) {
  const theme = useTheme();
  return (
    <Box columnGap={1}>
      {tabs.map((tab, i) =>
        i === active ? (
          <Text key={tab} inverse bold color={tint(theme, 'cyan')}>
            {` ${i + 1} ${tab} `}
          </Text>
        ) : (
          <Text key={tab}>{` ${i + 1} ${tab} `}</Text>
        ),
      )}
    </Box>
  );
}
