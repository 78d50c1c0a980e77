// A line with its number in the text it comes from. A view of lines scrolls and wraps, so the row a line lands on is
// not its identity; its number is, and that is the key React gets for it.
export interface NumberedLine {
  readonly number: number;
  readonly text: string;
}

export function numberLines(lines: readonly string[], first = 0): NumberedLine[] {
  return lines.map((text, k) => ({ number: first + k, text }));
}
