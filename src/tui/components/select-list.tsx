// A list with a cursor, optional check marks, and a window that follows the cursor.
import { Box, Text } from 'ink';
import { fit } from '../../core/format.js';
import { useTheme, tint } from '../theme.js';

export interface SelectItem {
  readonly key: string;
  readonly label: string;
  readonly detail?: string;
  readonly checked?: boolean;
  readonly disabled?: boolean;
}

export interface SelectListProps {
  readonly items: readonly SelectItem[];
  readonly cursor: number;
  readonly width: number;
  readonly height: number;
  readonly checkable?: boolean;
  readonly empty?: string;
  readonly labelWidth?: number;
}

export function SelectList({
  items,
  cursor,
  width,
  height,
  checkable = false,
  empty = '(nothing here)',
  labelWidth: fixedWidth,
}: SelectListProps) {
  const theme = useTheme();
  if (items.length === 0) return <Text dimColor={theme.color}>{empty}</Text>;
  const start = Math.max(0, Math.min(cursor - Math.floor(height / 2), items.length - height));
  const shown = items.slice(start, start + height);
  const labelWidth = fixedWidth ?? Math.max(8, Math.min(48, Math.max(...items.map((i) => i.label.length))));
  return (
    <Box flexDirection="column">
      {shown.map((item, k) => {
        const i = start + k;
        const here = i === cursor;
        const box = checkable ? (item.checked ? '[x] ' : '[ ] ') : '';
        const text = `${here ? '›' : ' '} ${box}${fit(item.label, labelWidth)}  ${item.detail ?? ''}`;
        return (
          <Text
            key={item.key}
            inverse={here}
            color={tint(theme, item.disabled ? 'gray' : item.checked ? 'green' : 'white')}
            dimColor={item.disabled && !theme.color}
          >
            {fit(text, width).trimEnd()}
          </Text>
        );
      })}
      {items.length > height ? <Text dimColor={theme.color}>{`${cursor + 1}/${items.length}`}</Text> : null}
    </Box>
  );
}
