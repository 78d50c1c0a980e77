// The terminal's size, updated on resize, so layouts reflow instead of wrapping into garbage.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
  /** Counts resizes: the app uses it to make the frame after a resize differ from the one before. */
  readonly generation: number;
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => ({
    columns: stdout.columns || 100,
    rows: stdout.rows || 30,
    generation: 0,
  }));
  useEffect(() => {
    const onResize = () =>
      setSize((s) => ({ columns: stdout.columns || 100, rows: stdout.rows || 30, generation: s.generation + 1 }));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
