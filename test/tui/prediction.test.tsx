// Benchmark prediction on the results screen: scores matched by ref or bare name, the predict tab's held-out
// predictions beside the scores, r and MAE, and what it says without scores or with too few.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { ResultsScreen } from '../../src/tui/screens/results.js';
import { predictForRun } from '../../src/tui/prediction.js';
import { type BenchmarkScores, scoresOfModels } from '../../src/core/benchmark-scores.js';
import { predictScores } from '../../src/analysis/predict.js';
import { additiveMatrix, fakeResults } from './fixtures.js';
import { tick, waitForFrame } from './helpers.js';

afterEach(cleanup);

// The clades of the fixture's matrix score alike: {sotu-1900s, sotu-2000s} high, {moby, spam} low.
const SCORES: BenchmarkScores = {
  file: 'scores.tsv',
  column: 'win_rate',
  values: new Map([
    ['sotu-1900s', 30],
    ['lab:sotu-2000s', 32],
    ['moby', 10],
    ['spam', 12],
    ['not-in-the-run', 99],
  ]),
};

describe('scoresOfModels and predictForRun', () => {
  it('finds scores by ref or by the name after the provider prefix, and ignores other rows', () => {
    const known = scoresOfModels(fakeResults('x').models, SCORES.values);
    expect([...known]).toEqual([
      ['lab:sotu-1900s', 30],
      ['lab:sotu-2000s', 32],
      ['lab:moby', 10],
      ['lab:spam', 12],
    ]);
  });

  it('predicts as src/analysis/predict.ts does on the matched scores, and needs 3 scored models', () => {
    const matrix = additiveMatrix()('embed');
    const r = predictForRun(matrix, SCORES);
    expect(r).toEqual({
      kind: 'done',
      prediction: predictScores(matrix, scoresOfModels(matrix.labels, SCORES.values)),
    });
    const few = predictForRun(matrix, { ...SCORES, values: new Map([['moby', 1]]) });
    expect(few).toMatchObject({ kind: 'unavailable' });
    expect(few.kind === 'unavailable' && few.reason).toContain('1 model(s) of this run have a win_rate score');
  });
});

describe('ResultsScreen predict tab', () => {
  const draw = (scores?: BenchmarkScores) =>
    render(
      <ResultsScreen
        width={110}
        height={34}
        data={fakeResults('demo')}
        active
        scores={scores}
        onExport={async (name, format) => ({ file: name, format })}
        onBack={() => {}}
      />,
    );

  it('shows each model predicted beside its score, the unscored one too, with leave-one-out r and MAE', async () => {
    const ui = draw(SCORES);
    ui.stdin.write('6');
    await tick();
    const frame = ui.lastFrame()!;
    expect(frame).toContain('6 predict');
    expect(frame).toContain('win_rate from scores.tsv · 4 scored models · embed distances');
    expect(frame).toMatch(
      /leave-one-out \(nested\): r -?[\d.]+ · MAE [\d.]+ \(baseline: mean of the others, MAE [\d.]+\)/,
    );
    expect(frame).toMatch(/model\s+score\s+predicted\s+error/);
    // Held out, each clade's member is predicted near its sister's score, far from the other clade's.
    expect(frame).toMatch(/lab:sotu-2000s\s+32\.00\s+(29|3\d)\.\d\d\s+-?\d\.\d\d/);
    expect(frame).toMatch(/lab:moby\s+10\.00\s+1\d\.\d\d\s+-?\d\.\d\d/);
    expect(frame).toMatch(/lab:base\s+-\s+[\d.]+\s+no score/);
  });

  it('says how to give scores when there are none', async () => {
    const ui = draw();
    ui.stdin.write('6');
    await tick();
    expect(ui.lastFrame()).toContain('start with phylo tui --scores FILE.tsv --column NAME');
  });
});

describe('ResultsScreen h with scores', () => {
  const written = async (signals: readonly string[]) => ({
    file: '/tmp/results/demo/report.html',
    figures: signals.map((s) => `/tmp/results/demo/report-${s}.svg`).concat('/tmp/results/demo/report-prediction.svg'),
    bytes: 40_960,
    seconds: { analysis: 0.1, render: 0.2 },
  });
  const draw = (scores: BenchmarkScores, onReport: typeof written) =>
    render(
      <ResultsScreen
        width={110}
        height={34}
        data={fakeResults('demo')}
        active
        scores={scores}
        onExport={async (name, format) => ({ file: name, format })}
        onReport={onReport}
        onBack={() => {}}
      />,
    );

  it('passes the scores the app was started with to the report, and says so', async () => {
    const onReport = vi.fn(written);
    const ui = draw(SCORES, onReport);
    await tick();
    ui.stdin.write('h');
    const frame = await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('report written'),
      'the report path',
    );
    expect(onReport).toHaveBeenCalledWith(['embed'], SCORES);
    expect(frame).toContain('2 figures beside it, predicted win_rate)');
  });

  it('writes the report without the prediction when too few models of the run are scored, and says why', async () => {
    const onReport = vi.fn(written);
    const ui = draw({ ...SCORES, values: new Map([['moby', 1]]) }, onReport);
    await tick();
    ui.stdin.write('h');
    const frame = await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('report written'),
      'the report path',
    );
    expect(onReport).toHaveBeenCalledWith(['embed'], undefined);
    expect(frame).toMatch(/no predicted win_rate: too few\s+scored models/);
  });
});
