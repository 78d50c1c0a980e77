// Key names to what ink hands a screen's handler (input text and key flags), for the reducer tests that run
// without ink: `press('down')`, `press('ctrl+a')`, `press('x')`.
import type { KeyPress } from '../../src/tui/hooks/key-press.js';

const NAMED: Readonly<Record<string, KeyPress>> = {
  up: { upArrow: true },
  down: { downArrow: true },
  left: { leftArrow: true },
  right: { rightArrow: true },
  enter: { return: true },
  escape: { escape: true },
  tab: { tab: true },
  backspace: { backspace: true },
};

export function press(name: string): readonly [input: string, key: KeyPress] {
  const named = NAMED[name];
  if (named) return ['', named];
  if (name.startsWith('ctrl+')) return [name.slice(5), { ctrl: true }];
  return [name, {}];
}

/** One string typed as one key per character (a space is the space key). */
export function typed(text: string): string[] {
  return [...text];
}
