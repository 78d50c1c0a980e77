// A run's events, kept so a view that subscribes late (the run screen mounts after the collection has started)
// still sees run-start and everything since. Thousands of small objects: cheap next to the samples themselves.
import type { RunEvent, RunListener } from '../core/events.js';

export class EventLog {
  private readonly events: RunEvent[] = [];
  private readonly listeners = new Set<RunListener>();

  readonly push = (event: RunEvent): void => {
    this.events.push(event);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken view must not stop the others (or the collection).
      }
    }
  };

  /** Replays every event so far, then follows; returns the unsubscribe function. */
  subscribe(listener: RunListener): () => void {
    for (const e of this.events) listener(e);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
