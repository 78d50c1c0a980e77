import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startProgressReporter } from '../../src/collect/progress-reporter.js';
import type { RunEvent } from '../../src/core/events.js';
import type { ModelRef, ProbeId } from '../../src/core/types.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  return { stream, text: () => out };
}

const model = 'fake:a' as ModelRef;
const events: RunEvent[] = [
  { type: 'run-start', run: 'r', total: 4, cached: 1, models: [model], perModel: { [model]: 4 } },
  { type: 'sample', model, probe: 'p0' as ProbeId, index: 0, status: 'cached', latencyMs: 0, tokens: 10, costUsd: 0 },
  { type: 'sample', model, probe: 'p1' as ProbeId, index: 0, status: 'ok', latencyMs: 30, tokens: 12, costUsd: 0.001 },
  { type: 'warning', message: 'fake:a: auth (\u001b[31mbad key\u001b[0m)' },
  {
    type: 'sample',
    model,
    probe: 'p2' as ProbeId,
    index: 0,
    status: 'error',
    kind: 'auth',
    latencyMs: 5,
    tokens: 0,
    costUsd: 0,
  },
  {
    type: 'sample',
    model,
    probe: 'p3' as ProbeId,
    index: 0,
    status: 'error',
    kind: 'auth',
    latencyMs: 0,
    tokens: 0,
    costUsd: 0,
  },
  { type: 'run-end', run: 'r', ok: 2, errors: 2, cancelled: false },
];

describe('progress reporter', () => {
  it('writes plain lines when stderr is not a terminal, with control sequences from model text removed', () => {
    const { stream, text } = capture();
    const reporter = startProgressReporter({ stream, tty: false });
    for (const e of events) reporter.listener(e);
    reporter.stop();
    const lines = text().trimEnd().split('\n');
    expect(lines[0]).toBe('r: 4 samples to collect, 1 from the cache (1 models)');
    expect(lines).toContain('warning: fake:a: auth (bad key)');
    expect(lines.at(-1)).toMatch(/^r: 4\/4 \(100%\) errors 2, tokens 22, \$0\.0010, /);
    expect(text()).not.toContain('\r');
    expect(text()).not.toContain('\u001b');
  });

  it('rewrites one line in place on a terminal and ends on a fresh line', () => {
    const { stream, text } = capture();
    const reporter = startProgressReporter({ stream, tty: true });
    for (const e of events) reporter.listener(e);
    reporter.stop();
    const out = text();
    expect(out).toContain('\r\u001b[2Kr: 4/4 (100%) errors 2');
    expect(out.endsWith('\n')).toBe(true);
    // The warning is printed on its own line, not glued to the progress line.
    expect(out).toMatch(/(^|\n|\r\u001b\[2K)warning: fake:a: auth \(bad key\)\n/);
  });

  it('prints nothing when quiet', () => {
    const { stream, text } = capture();
    const reporter = startProgressReporter({ stream, tty: false, quiet: true });
    for (const e of events) reporter.listener(e);
    reporter.stop();
    expect(text()).toBe('');
  });
});
