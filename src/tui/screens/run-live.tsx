// The run screen fed by a live run's events, throttled (see hooks/use-run-progress.ts).
import type { RunHandle } from '../backend.js';
import { useRunProgress } from '../hooks/use-run-progress.js';
import { RunScreen } from './run.js';

export interface RunRouteProps {
  readonly handle: RunHandle;
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  onResults(): void;
  onHome(): void;
}

export function RunRoute({ handle, width, height, active, onResults, onHome }: RunRouteProps) {
  const progress = useRunProgress(handle);
  return (
    <RunScreen
      width={width}
      height={height}
      name={handle.name}
      progress={progress}
      active={active}
      onPause={() => handle.pause()}
      onResume={() => handle.resume()}
      onCancel={() => handle.cancel()}
      onResults={onResults}
      onHome={onHome}
    />
  );
}
