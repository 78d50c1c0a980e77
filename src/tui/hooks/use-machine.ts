// useReducer for a screen's state machine, plus the state as of the last action sent. Keys can arrive in a burst
// (a fast script, tmux send-keys, key repeat) before React renders again; a handler reading the rendered state would
// map the second key against a state without the first (enter after space: "select at least one model"). The
// reducers are pure, so applying each action here too gives exactly the state React renders next.
import { useCallback, useLayoutEffect, useReducer, useRef } from 'react';

export function useMachine<S, A>(
  reduce: (state: S, action: A) => S,
  init: () => S,
): readonly [state: S, send: (action: A) => void, latest: () => S] {
  const [state, dispatch] = useReducer(reduce, undefined, init);
  const latest = useRef(state);
  // After each commit the rendered state is the truth again (it has every action sent before it).
  useLayoutEffect(() => {
    latest.current = state;
  }, [state]);
  const send = useCallback(
    (action: A) => {
      latest.current = reduce(latest.current, action);
      dispatch(action);
    },
    [reduce],
  );
  const current = useCallback(() => latest.current, []);
  return [state, send, current] as const;
}
