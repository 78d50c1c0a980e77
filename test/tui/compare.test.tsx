import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { CompareScreen } from '../../src/tui/screens/compare.js';
import { compareRuns, driftOfRuns, phenotypeDistances } from '../../src/audit/compare-runs.js';
import type { ResultsData } from '../../src/tui/backend.js';
import { driftOfResults } from '../../src/tui/audit-run.js';
import { fakeResults, MODELS } from './fixtures.js';
import { KEYS, tick, waitForFrame } from './helpers.js';

afterEach(cleanup);

// The second run swaps sotu-2000s and moby in the matrix: both cherries change partner.
const SWAPPED = [MODELS[0]!, MODELS[1]!, MODELS[3]!, MODELS[2]!, MODELS[4]!];

describe('compareRuns', () => {
  it('is zero everywhere for a run compared with itself', () => {
    const a = fakeResults('jan');
    const c = compareRuns(a, a, 'embed', 'nj');
    expect(c.rf).toMatchObject({ rf: 0, normalized: 0 });
    for (const m of c.models) {
      expect(m.treeShift).toBeCloseTo(0, 12);
      expect(m.phenotypeDistance).toBeCloseTo(0, 12);
    }
  });

  it('finds the RF distance and puts the models that changed clade first', () => {
    const c = compareRuns(fakeResults('jan'), fakeResults('feb', { labels: SWAPPED }), 'embed', 'nj');
    expect(c.shared).toHaveLength(5);
    expect(c.rf!.rf).toBe(4);
    expect(c.rf!.normalized).toBe(1);
    const top = c.models
      .slice(0, 4)
      .map((m) => m.model)
      .sort();
    expect(top).toEqual(['lab:moby', 'lab:sotu-1900s', 'lab:sotu-2000s', 'lab:spam']);
    expect(c.models[4]!.model).toBe('lab:base');
  });

  it('measures phenotype drift per model in pooled standard deviations', () => {
    const a = {
      traits: ['x', 'y'],
      rows: [
        { model: 'm1', values: [0, 1] },
        { model: 'm2', values: [1, 1] },
      ],
    };
    const b = {
      traits: ['y', 'x'],
      rows: [
        { model: 'm1', values: [1, 0] },
        { model: 'm2', values: [1, 3] },
      ],
    };
    const d = phenotypeDistances(a, b, ['m1', 'm2']);
    // y is constant (no information); x has pooled sd of [0,1,0,3].
    const sd = Math.sqrt(((0 - 1) ** 2 + 0 + 1 + 4) / 3);
    expect(d.get('m1')).toBeCloseTo(0, 12);
    expect(d.get('m2')).toBeCloseTo(2 / sd, 12);
  });
});

/** A run with 12 probes, two samples each; in `changed` runs lab:spam answers in shouting bullet lists. */
function withProbes(run: string, changed: boolean): ResultsData {
  const probes = Array.from({ length: 12 }, (_, i) => ({ id: `q${i}`, tags: [], prompt: `question ${i}` }));
  return {
    ...fakeResults(run),
    probes,
    responses: (probe) =>
      MODELS.map((m) => ({
        model: m,
        texts: [0, 1].map((k) =>
          changed && m === 'lab:spam'
            ? `- BUY NOW ${probe}!!!\n- LIMITED OFFER ${k}!!!\n- CLICK HERE`
            : `${m} answers ${probe} calmly, sample ${k}, in one plain sentence.`,
        ),
        errors: 0,
      })),
  };
}

describe('driftOfRuns', () => {
  it('finds the one model whose responses changed, Holm-adjusted over the shared models', () => {
    const report = driftOfRuns(withProbes('jan', false), withProbes('feb', true), { permutations: 200 });
    expect(report.correction).toBe('holm');
    expect(report.models).toHaveLength(5);
    const drifted = report.models.filter((m) => m.reject).map((m) => m.model);
    expect(drifted).toEqual(['lab:spam']);
    expect(report.models[0]!.changedProbes[0]!.new[0]).toContain('BUY NOW');
  });
});

describe("driftOfResults (the compare screen's)", () => {
  it('runs the drift audit on a worker thread, with the report driftOfRuns gives on this one', async () => {
    const [jan, feb] = [withProbes('jan', false), withProbes('feb', true)];
    const { result, ranOn } = await driftOfResults(jan, feb, { permutations: 200 });
    expect(ranOn).toBe('worker');
    expect(result).toEqual(driftOfRuns(jan, feb, { permutations: 200 }));
  });
});

describe('CompareScreen', () => {
  it('shows the drift verdicts and the most-changed probes of the selected model', async () => {
    const ui = render(
      <CompareScreen
        width={120}
        height={50}
        a={withProbes('jan', false)}
        b={withProbes('feb', true)}
        active
        onBack={() => {}}
      />,
    );
    // The drift audit runs after the first frame, which says so.
    expect(ui.frames[0]).toContain('testing each shared model for drift');
    const frame = await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('DRIFTED'),
      'the drift verdicts',
    );
    expect(frame).toMatch(/drift p \(Holm\)\s+verdict/);
    expect(frame).not.toContain('testing each shared model');
    expect(frame).toContain('same');
    // Move the cursor to lab:spam and read its evidence.
    for (let i = 0; i < 5; i++) {
      if (ui.lastFrame()!.includes('Most-changed probes of lab:spam')) break;
      ui.stdin.write(KEYS.down);
      await tick();
    }
    expect(ui.lastFrame()).toContain('Most-changed probes of lab:spam');
    expect(ui.lastFrame()).toContain('feb: - BUY NOW');
  });

  it('shows RF, the moved models with their phenotype drift, and both trees', async () => {
    const onBack = vi.fn();
    const ui = render(
      <CompareScreen
        width={120}
        height={40}
        a={fakeResults('jan')}
        b={fakeResults('feb', { labels: SWAPPED })}
        active
        onBack={onBack}
      />,
    );
    const frame = ui.lastFrame()!;
    expect(frame).toContain('jan  vs  feb');
    expect(frame).toContain('Robinson-Foulds: 4 of 4 (normalised 1.000)');
    expect(frame).toMatch(/model\s+tree shift\s+phenotype Δ/);
    // In the table and in both trees.
    expect(frame.split('lab:base').length - 1).toBeGreaterThanOrEqual(3);
    ui.stdin.write('s');
    await tick();
    expect(ui.lastFrame()).toContain('signal traits');
    ui.stdin.write(KEYS.escape);
    await tick();
    expect(onBack).toHaveBeenCalled();
  });
});
