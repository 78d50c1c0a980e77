// Subscribes to a run's events and hands the view a snapshot at most every `intervalMs`: a fast collection
// (thousands of events a second from a local server) must not make ink re-render per event.
import { useEffect, useRef, useState } from 'react';
import type { RunEvent } from '../../core/events.js';
import { ProgressTracker, type ProgressSnapshot } from '../../collect/progress.js';

export interface RunSource {
  subscribe(listener: (event: RunEvent) => void): () => void;
}

export const PROGRESS_INTERVAL_MS = 50;
const IDLE_REFRESH_MS = 500;

export function useRunProgress(
  source: RunSource | undefined,
  intervalMs = PROGRESS_INTERVAL_MS,
): ProgressSnapshot | undefined {
  const tracker = useRef<ProgressTracker | undefined>(undefined);
  const [snapshot, setSnapshot] = useState<ProgressSnapshot | undefined>(undefined);
  useEffect(() => {
    if (!source) return;
    const t = new ProgressTracker();
    tracker.current = t;
    let dirty = false;
    const flush = () => {
      if (!dirty) return;
      dirty = false;
      setSnapshot(t.snapshot());
    };
    const unsubscribe = source.subscribe((event) => {
      t.apply(event);
      dirty = true;
      // Phase changes show at once; samples wait for the next tick.
      if (event.type !== 'sample' && event.type !== 'retry') flush();
    });
    // While nothing arrives (a slow model, a pause) the clock still moves: refresh elapsed time and ETA now and then.
    let idleTicks = 0;
    const timer = setInterval(() => {
      if (!dirty && ++idleTicks * intervalMs < IDLE_REFRESH_MS) return;
      idleTicks = 0;
      dirty = true;
      flush();
    }, intervalMs);
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [source, intervalMs]);
  return snapshot;
}
