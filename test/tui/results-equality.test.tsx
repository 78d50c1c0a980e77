// The results screen's equality test and report key, drawn by ink: mark two models, see "testing…", then the
// verdict with the contributing probes and both answers (control sequences stripped); `h` writes the report.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { ResultsScreen } from '../../src/tui/screens/results.js';
import type { ResultsData } from '../../src/tui/backend.js';
import type { WrittenReport } from '../../src/report/write.js';
import { fakeResults, runWithProbes } from './fixtures.js';
import { KEYS, tick, waitForFrame } from './helpers.js';

afterEach(cleanup);

function setup(data: ResultsData, onReport?: (signals: readonly string[]) => Promise<WrittenReport>) {
  const ui = render(
    <ResultsScreen
      width={110}
      height={40}
      data={data}
      active
      onExport={async (name, format) => ({ file: `/tmp/${name}`, format })}
      onReport={onReport}
      onBack={() => {}}
    />,
  );
  return ui;
}

async function press(ui: ReturnType<typeof render>, ...keys: string[]) {
  for (const k of keys) {
    ui.stdin.write(k);
    await tick(20);
  }
}

describe('ResultsScreen equality test', () => {
  it('marks two models, shows testing…, then the verdict: statistic, p, permutations, effect, evidence', async () => {
    const ui = setup(runWithProbes('demo', { shouting: ['lab:spam'] }));
    await press(ui, 't');
    expect(ui.lastFrame()).toContain('Test two models for equality (0/2 marked)');
    // lab:base, then four rows down to lab:spam.
    await press(ui, ' ', KEYS.down, KEYS.down, KEYS.down, KEYS.down, ' ');
    expect(ui.lastFrame()).toMatch(/\[A\] lab:base/);
    expect(ui.lastFrame()).toMatch(/\[B\] lab:spam/);
    ui.stdin.write(KEYS.enter);
    const frame = await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('verdict:'),
      'the verdict',
    );
    expect(ui.frames.some((f) => f.includes('testing lab:base against lab:spam: 1000 permutations'))).toBe(true);
    expect(frame).toContain('Equality test: A lab:base  vs  B lab:spam');
    expect(frame).toContain('DIFFERENT: reject equality at alpha 0.05');
    expect(frame).toMatch(
      /statistic [\d.-]+ · p-value (?:1\.0e-3|0\.00\d) · 1000 permutations · 12 shared probes · seed 1/,
    );
    expect(frame).toMatch(/effect \(.+\): [\d.-]+, 95% CI \[[\d.-]+, [\d.-]+\]/);
    expect(frame).toContain('Probes that contribute most');
    expect(frame).toMatch(/> q\d+\s+[\d.]+%/);
    expect(frame).toContain('The answer to q');
    expect(frame).toContain('- BUY NOW q');
    // The next sample of both answers, then back to the results.
    await press(ui, 'n');
    expect(ui.lastFrame()).toContain('(sample 2/2)');
    await press(ui, KEYS.escape);
    expect(ui.lastFrame()).toContain('signal embed');
    expect(ui.lastFrame()).not.toContain('verdict:');
  });

  it('finds no difference between two models that answer alike', async () => {
    const ui = setup(runWithProbes('demo'));
    await press(ui, 't', ' ', KEYS.down, ' ');
    ui.stdin.write(KEYS.enter);
    const frame = await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('verdict:'),
      'the verdict',
    );
    expect(frame).toContain('no difference found at alpha 0.05 (equality not rejected)');
  });

  it('strips control sequences from the answers and names shown in the verdict', async () => {
    const evil = 'Hi\u001b]0;pwned\u0007 there \u001b[31mRED\u001b[0m end';
    const ui = setup(runWithProbes('demo', { answer: { 'lab:base': evil } }));
    await press(ui, 't', ' ', KEYS.down, ' ');
    ui.stdin.write(KEYS.enter);
    const frame = await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('verdict:'),
      'the verdict',
    );
    expect(frame).toContain('Hi there RED end');
    expect(frame).not.toContain('\u001b]0;');
    expect(frame).not.toContain('pwned');
  });

  it('says in one line why two models cannot be tested (too few shared probes)', async () => {
    const ui = setup(runWithProbes('demo', { probes: 3 }));
    await press(ui, 't', ' ', KEYS.down, ' ');
    ui.stdin.write(KEYS.enter);
    const frame = await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('cannot test'),
      'the failure',
    );
    expect(frame).toContain('share 3 answered probes; the test needs at least 5');
  });
});

describe('ResultsScreen report key', () => {
  it('h writes the report with the signal shown and says where it went', async () => {
    const onReport = vi.fn(async (signals: readonly string[]) => ({
      file: `/tmp/results/demo/report.html`,
      figures: signals.map((s) => `/tmp/results/demo/report-${s}.svg`),
      bytes: 40_960,
      seconds: { analysis: 0.1, render: 0.2 },
    }));
    const ui = setup(fakeResults('demo'), onReport);
    await press(ui, 's', 'h');
    await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('report written'),
      'the report path',
    );
    expect(onReport).toHaveBeenCalledWith(['traits'], undefined);
    expect(ui.lastFrame()).toContain('report written to /tmp/results/demo/report.html (40 KB, 1 figures beside it)');
  });

  it('says why when the report fails or cannot be written here', async () => {
    const failing = setup(fakeResults('demo'), async () => {
      throw new Error('disk full');
    });
    await press(failing, 'h');
    await waitForFrame(
      () => failing.lastFrame(),
      (f) => f.includes('report failed'),
      'the failure',
    );
    expect(failing.lastFrame()).toContain('report failed: disk full');
    cleanup();
    const none = setup(fakeResults('demo'));
    await press(none, 'h');
    expect(none.lastFrame()).toContain('no HTML report from here: use phylo report RUN');
  });
});
