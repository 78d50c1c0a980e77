// The embed signal with a model's vote spread over its k nearest answers (EmbedOptions.votes): the streamed, sparse
// path gives the dense rank votes' mean, and the two clans of the synthetic run stay apart.
import { describe, expect, it } from 'vitest';
import { AnalysedRun } from '../../src/analysis/analysed-run.js';
import { DEFAULT_EMBED } from '../../src/analysis/signals/index.js';
import { cosineStack } from '../../src/distance/cosine.js';
import { averageOverProbes } from '../../src/distance/probe-stack.js';
import { rankVotes } from '../../src/distance/rank-votes.js';
import { responseTable } from '../../src/phenotype/responses.js';
import { probeTfIdf } from '../../src/phenotype/tfidf.js';
import { familyClades, upgma } from '../../src/phylo/index.js';
import { CLANS, separableRun } from './synthetic.js';

describe('embed signal with rank-weighted votes', () => {
  it('equals the dense rank votes averaged over probes and recovers both clans', () => {
    const data = separableRun(30);
    const votes = { neighbours: 3, weighting: 'harmonic' } as const;
    const run = new AnalysedRun(data, { embed: { ...DEFAULT_EMBED, votes } });
    const matrix = run.matrix('embed');
    expect(matrix.metric).toBe('nn-vote3-harmonic(cosine(tfidf(words1-1,raw,smooth)))');
    const dense = averageOverProbes(
      rankVotes(cosineStack(probeTfIdf(responseTable(data), DEFAULT_EMBED.tfidf)), votes),
    );
    for (let k = 0; k < matrix.values.length; k++) expect(matrix.values[k]).toBeCloseTo(dense.values[k]!, 12);
    const families = new Map([...CLANS.A.map((m) => [m, 'A'] as const), ...CLANS.B.map((m) => [m, 'B'] as const)]);
    expect(familyClades(upgma(matrix), families).every((c) => c.isClade)).toBe(true);
    // The default is still the single nearest neighbour (see src/bench/lofo.ts for why).
    expect(new AnalysedRun(data).matrix('embed').metric).toMatch(/^nn-vote\(/);
  });
});
