// The CLI progress line (stderr) and the TUI run screen read one ProgressTracker snapshot: for the same events they
// show the same cost and the same ETA, at every step of a run.
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../src/collect/progress.js';
import { progressLine } from '../../src/collect/progress-reporter.js';
import type { ModelRef, ProbeId } from '../../src/core/types.js';
import { RunScreen } from '../../src/tui/screens/run.js';

afterEach(cleanup);

const A = 'local:a' as ModelRef;
const B = 'local:b' as ModelRef;
const noop = (): void => {};

function tuiHeader(snapshot: ReturnType<ProgressTracker['snapshot']>): string {
  const ui = render(
    <RunScreen
      width={160}
      height={30}
      name="parity"
      progress={snapshot}
      active
      onPause={noop}
      onResume={noop}
      onCancel={noop}
      onResults={noop}
      onHome={noop}
    />,
  );
  const frame = ui.lastFrame() ?? '';
  ui.unmount();
  return frame.split('\n').find((l) => l.includes(' samples ')) ?? '';
}

describe('CLI progress line and TUI run screen', () => {
  it('show the same cost and ETA for the same events', () => {
    let t = 0;
    const tracker = new ProgressTracker(() => t);
    tracker.apply({
      type: 'run-start',
      run: 'parity',
      total: 40,
      cached: 0,
      models: [A, B],
      perModel: { [A]: 20, [B]: 20 },
    });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      t += i % 2 === 0 ? 700 : 1900;
      const model = i % 3 === 0 ? B : A;
      tracker.apply({
        type: 'sample',
        model,
        probe: `p${i}` as ProbeId,
        index: 0,
        status: 'ok',
        latencyMs: 500,
        tokens: 40,
        costUsd: model === B ? 0.0123 : 0.0004,
      });
      if (i % 7 !== 3) continue;
      const s = tracker.snapshot();
      const cli = progressLine(s);
      const tui = tuiHeader(s);
      const cliCost = /, (\$[0-9.]+),/.exec(cli)?.[1];
      const tuiCost = /(\$[0-9.]+)/.exec(tui)?.[1];
      const cliEta = / eta (\S+)/.exec(cli)?.[1];
      const tuiEta = /ETA (\S+)/.exec(tui)?.[1];
      expect(cliCost, cli).toBeDefined();
      expect(cliEta, cli).toBeDefined();
      expect(tuiCost, tui).toBe(cliCost);
      expect(tuiEta, tui).toBe(cliEta);
      seen.add(`${cliCost} ${cliEta}`);
    }
    // The comparison ran at several different states, not one.
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });
});
