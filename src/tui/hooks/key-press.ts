// One keypress as the screens' state machines read it: ink's Key narrowed to the flags they use, all optional, so a
// reducer and its tests need no ink (ink's Key is assignable to it).
import type { Key } from 'ink';

export type KeyPress = Readonly<
  Partial<
    Pick<
      Key,
      | 'upArrow'
      | 'downArrow'
      | 'leftArrow'
      | 'rightArrow'
      | 'return'
      | 'escape'
      | 'tab'
      | 'backspace'
      | 'delete'
      | 'ctrl'
      | 'meta'
    >
  >
>;

/** `n` moved by `delta` and kept within [0, count - 1] (0 when the list is empty). */
export function moveWithin(n: number, delta: number, count: number): number {
  return Math.max(0, Math.min(count - 1, n + delta));
}

/** The index after `n` in a cycle of `count` (count 0 stays at 0). */
export function cycle(n: number, delta: number, count: number): number {
  return count > 0 ? (((n + delta) % count) + count) % count : 0;
}
