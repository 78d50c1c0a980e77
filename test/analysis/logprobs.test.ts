// The logprobs signal through the analysis: lineage from first-token distributions when the text cannot tell.
import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse.js';
import { DEFAULT_METHOD } from '../../src/analysis/signals/index.js';
import { InputError } from '../../src/core/errors.js';
import { compareSplits, parseNewick, robinsonFoulds } from '../../src/phylo/index.js';
import { makeRun } from '../phenotype/fixtures.js';
import { runWithLogprobs, top } from '../phenotype/logprob-fixtures.js';

const MODELS = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
const TRUTH = parseNewick('((a1,a2),a3,((b1,b2),b3));');
const subclan = (m: string) => (m === 'a1' || m === 'a2' ? 'a12' : m === 'b1' || m === 'b2' ? 'b12' : m);

/** Every model writes the same text; only the first-token distributions carry the lineage (clan > subclan > model). */
function nestedRun(probes: number, withLogprobs = true) {
  const cells = MODELS.flatMap((model) =>
    Array.from({ length: probes }, (_, p) => ({ model, probe: `p${p}`, texts: ['same answer'] })),
  );
  if (!withLogprobs) return makeRun(cells);
  return runWithLogprobs(cells, (m, p) =>
    top([
      [`${m[0]}-${p}`, 0.5],
      [`${subclan(m)}-${p}`, 0.3],
      [`${m}-${p}`, 0.1],
    ]),
  );
}

describe('the logprobs signal', () => {
  it('recovers the nested lineage from first-token distributions, with full bootstrap support on the true splits', () => {
    const result = analyseRun(nestedRun(12), { signal: 'logprobs', bootstrap: 30, seed: 3 });
    expect(result.method).toBe(DEFAULT_METHOD.logprobs);
    expect(result.matrix.metric).toBe('js-divergence(top-3)');
    expect(result.perSignal.map((s) => s.signal)).toEqual(['logprobs']);
    expect(robinsonFoulds(result.tree, TRUTH).rf).toBe(0);
    const shared = compareSplits(result.tree, TRUTH).shared;
    expect(shared.length).toBe(3);
    for (const s of shared) expect(s.support).toBe(1);
  });

  it('is a clear input error on a run collected without logprobs', () => {
    expect(() => analyseRun(nestedRun(5, false), { signal: 'logprobs' })).toThrow(InputError);
    expect(() => analyseRun(nestedRun(5, false), { signal: 'logprobs' })).toThrow(/--logprobs/);
  });

  it('joins the combined signal only when the run carries logprobs', () => {
    expect(analyseRun(nestedRun(6), { signal: 'combined' }).perSignal.map((s) => s.signal)).toContain('logprobs');
    expect(analyseRun(nestedRun(6, false), { signal: 'combined' }).perSignal.map((s) => s.signal)).not.toContain(
      'logprobs',
    );
    const off = analyseRun(nestedRun(6), {
      signal: 'combined',
      combineWeights: { embed: 1, traits: 1, alleles: 1, logprobs: 0 },
    });
    expect(off.perSignal.map((s) => s.signal)).not.toContain('logprobs');
  });
});
