// Benchmark 'tui': does the run screen stay responsive while a fast collection floods it with events? A run of
// 5,000 samples against the local OpenAI-protocol server, drawn by the real run screen into an off-screen terminal:
// frames per second (ink's onRender), event-loop delay (perf_hooks.monitorEventLoopDelay) and sample throughput.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Benchmark } from './index.js';
import { startOpenAIServer } from '../testing/servers/index.js';
import { createRealBackend } from '../tui/real-backend.js';
import { providerRegistry } from '../commands/providers-setup.js';

const MODELS = 5;
// PHYLO_BENCH_TUI_PROBES shortens the run while tuning; the figure to quote is the default 5,000 samples.
const PROBES = Number(process.env.PHYLO_BENCH_TUI_PROBES ?? 100);
const SAMPLES = 10;

/** A terminal that draws nowhere: ink sees a 120x40 TTY. */
class NullTerminal extends Writable {
  readonly isTTY = true;
  columns = 120;
  rows = 40;
  bytes = 0;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

function suiteYaml(): string {
  const probes = Array.from(
    { length: PROBES },
    (_, i) =>
      `  - id: p${i}\n    tags: [bench]\n    messages:\n` +
      `      - { role: user, content: "Question ${i}: say something about the number ${i}." }`,
  );
  return (
    `name: bench-tui\nversion: "1"\ndescription: ${PROBES} short probes\n` +
    `defaults:\n  temperature: 0.7\n  max_tokens: 16\n  samples: ${SAMPLES}\n` +
    `probes:\n${probes.join('\n')}\n`
  );
}

export const benchmark: Benchmark = {
  name: 'tui',
  async run() {
    // As the CLI runs the app: React's production build (imported only now, after the switch).
    process.env.NODE_ENV ??= 'production';
    const { render } = await import('ink');
    const { createElement } = await import('react');
    const { RunRoute } = await import('../tui/screens/run-live.js');
    const models = Array.from({ length: MODELS }, (_, i) => `model-${i}`);
    const server = await startOpenAIServer({ models, responder: (r) => `${r.model}: ${r.prompt.slice(0, 24)}` });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-tui-'));
    fs.mkdirSync(path.join(tmp, 'suites'));
    fs.writeFileSync(path.join(tmp, 'suites', 'bench.yaml'), suiteYaml());
    const backend = createRealBackend({
      registry: providerRegistry,
      resultsDir: path.join(tmp, 'results'),
      suitesDir: path.join(tmp, 'suites'),
      profilesDir: path.join(tmp, 'no-profiles'),
      env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bench-not-a-key' },
    });
    const stdout = new NullTerminal();
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: () => undefined,
      ref: () => undefined,
      unref: () => undefined,
    });
    const frames: number[] = [];
    let renderMs = 0;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    try {
      await backend.suites();
      lag.enable();
      const t0 = performance.now();
      const handle = await backend.startRun({
        name: 'bench-tui',
        models: models.map((m) => `openai:${m}`),
        suite: 'bench-tui',
        samples: SAMPLES,
        temperature: 0.7,
      });
      const ui = render(
        createElement(RunRoute, {
          handle,
          width: 120,
          height: 40,
          active: true,
          onResults: () => undefined,
          onHome: () => undefined,
        }),
        {
          stdout: stdout as unknown as NodeJS.WriteStream,
          stdin: stdin as unknown as NodeJS.ReadStream,
          patchConsole: false,
          exitOnCtrlC: false,
          maxFps: 20,
          onRender: (m) => {
            frames.push(performance.now());
            renderMs += m.renderTime;
          },
        },
      );
      await handle.done;
      const seconds = (performance.now() - t0) / 1000;
      // Let the last snapshot land before counting.
      await new Promise((r) => setTimeout(r, 150));
      ui.unmount();
      lag.disable();
      const during = frames.filter((t) => t - t0 <= seconds * 1000);
      let worstGap = 0;
      for (let i = 1; i < during.length; i++) worstGap = Math.max(worstGap, during[i]! - during[i - 1]!);
      const fps = during.length / seconds;
      const ms = (ns: number) => (ns / 1e6).toFixed(1);
      const total = MODELS * PROBES * SAMPLES;
      process.stdout.write(
        `run of ${total} samples (${MODELS} models x ${PROBES} probes x ${SAMPLES}) ` +
          `against the local OpenAI-protocol server\n`,
      );
      process.stdout.write(`collection: ${seconds.toFixed(2)} s, ${(total / seconds).toFixed(0)} samples/s\n`);
      process.stdout.write(
        `run screen: ${during.length} frames, ` +
          `${fps.toFixed(1)} frames/s (target >= 10: ${fps >= 10 ? 'met' : 'NOT met'}), ` +
          `longest gap between frames ${worstGap.toFixed(0)} ms, ${(stdout.bytes / 1024).toFixed(0)} KiB drawn, ` +
          `ink output time ${(renderMs / Math.max(1, frames.length)).toFixed(1)} ms/frame\n`,
      );
      process.stdout.write(
        `event-loop delay: p50 ${ms(lag.percentile(50))} ms, p99 ${ms(lag.percentile(99))} ms, max ${ms(lag.max)} ms\n`,
      );
    } finally {
      backend.close();
      await server.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};
