// ink's useInput re-subscribes its handler in a passive effect after each render, so a key that arrives between a
// commit and that effect reaches the previous handler: with stale state, or even from a screen that was just
// unmounted or deactivated. This keeps one subscription, always calls the latest render's handler, and drops keys
// as soon as the component is inactive or gone (layout effects run synchronously in the commit).
import { useCallback, useLayoutEffect, useRef } from 'react';
import { useInput, type Key } from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

export function useKeys(handler: KeyHandler, isActive: boolean): void {
  const latest = useRef(handler);
  const active = useRef(isActive);
  latest.current = handler;
  active.current = isActive;
  useLayoutEffect(() => {
    active.current = isActive;
    return () => {
      active.current = false;
    };
  }, [isActive]);
  const stable = useCallback<KeyHandler>((input, key) => {
    if (active.current) latest.current(input, key);
  }, []);
  useInput(stable, { isActive });
}
