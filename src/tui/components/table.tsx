// A plain table: header, rows, one highlighted column (the sort key) and one highlighted row. When the columns do
// not fit, the window of columns follows the sort key (the first column, the row name, always stays).
import { Box, Text } from 'ink';
import { fit } from '../../core/format.js';
import { useTheme, tint } from '../theme.js';

export interface TableProps {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly width: number;
  readonly height: number;
  /** Index of the column to mark (the sort key), with its direction. */
  readonly sortColumn?: number;
  readonly descending?: boolean;
  readonly cursor?: number;
  /** Width of the first column. */
  readonly firstWidth?: number;
  /** Width of every other column; default: share the rest, 6 to 14. */
  readonly cellWidth?: number;
}

/** Which of the columns after the first are shown: a window of `fitting` that contains `focus` (1-based). */
export function columnWindow(
  count: number,
  fitting: number,
  focus: number | undefined,
): { start: number; end: number } {
  const shown = Math.max(1, Math.min(count, fitting));
  const f = focus !== undefined && focus > 0 ? focus - 1 : 0;
  const start = Math.max(0, Math.min(count - shown, f - shown + 1 > 0 ? f - shown + 1 : 0));
  return { start: start + 1, end: start + 1 + shown };
}

/** The rows in the window from `top`, each with its index in the whole table (its identity as the view scrolls). */
function visibleRows(rows: TableProps['rows'], top: number, height: number) {
  return rows.slice(top, top + height).map((row, k) => ({ row, at: top + k }));
}

export function Table({
  columns,
  rows,
  width,
  height,
  sortColumn,
  descending = false,
  cursor,
  firstWidth = 24,
  cellWidth: fixedCell,
}: TableProps) {
  const theme = useTheme();
  const others = Math.max(1, columns.length - 1);
  const cellWidth = fixedCell ?? Math.max(6, Math.min(14, Math.floor((width - firstWidth - 1) / others)));
  const fitting = Math.max(1, Math.floor((width - firstWidth) / (cellWidth + 1)));
  const { start, end } = columnWindow(columns.length - 1, fitting, sortColumn);
  const shown = [0, ...Array.from({ length: end - start }, (_, k) => start + k)];
  const cell = (text: string, c: number) => (c === 0 ? fit(text, firstWidth) : fit(text, cellWidth, 'right'));
  const top = cursor === undefined ? 0 : Math.max(0, Math.min(cursor - Math.floor(height / 2), rows.length - height));
  const hidden = columns.length - shown.length;
  return (
    <Box flexDirection="column">
      <Text bold>
        {shown.map((c, k) => {
          const name = columns[c]!;
          const marked = c === sortColumn ? `${name}${descending ? '↓' : '↑'}` : name;
          return (
            <Text
              key={name + c}
              underline={c === sortColumn}
              color={c === sortColumn ? tint(theme, 'cyan') : undefined}
            >
              {cell(marked, c)}
              {k < shown.length - 1 ? ' ' : ''}
            </Text>
          );
        })}
      </Text>
      {visibleRows(rows, top, height).map(({ row, at }) => (
        <Text key={at} inverse={at === cursor}>
          {shown.map((c, i) => cell(row[c] ?? '', c) + (i < shown.length - 1 ? ' ' : '')).join('')}
        </Text>
      ))}
      {hidden > 0 ? (
        <Text
          dimColor={theme.color}
        >{`columns ${start}-${end - 1} of ${columns.length - 1} shown; [ ] moves the sort key and the view`}</Text>
      ) : null}
    </Box>
  );
}
