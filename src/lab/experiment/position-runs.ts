// The two runs the budget table is measured on, both from probes/lab-positions.yaml restricted to a pool of windows:
// logprob genes (one query per cut, top-20 logprobs of the next byte) and PhyloLM genes (one cut per window, sampled
// N times). Smaller budgets are seeded subsets of these pools (the lab draws each sample from a seed of (model,
// prompt, sample index), so a subset is exactly what a smaller collection would have received).
import type { Probe, Suite } from '../../core/types.js';
import { LOGPROB_TOP } from './logprob-suite.js';

/** Windows 0..POOL_WINDOWS-1 of each corpus: 6 x 33 windows, 990 logprob queries (5 cuts each) per model. */
export const POOL_WINDOWS = 33;
/**
 * PhyloLM genes: windows 0..GENE_POOL_WINDOWS-1 of each corpus (102 genes) cut after GENE_CUT bytes, sampled
 * GENE_SAMPLES times for GENE_BYTES bytes (as probes/lab.yaml's genes): 816 queries per model, which the 1,000 column
 * spends in full (a bigger pool took too long to collect on a shared 2-core machine).
 */
export const GENE_POOL_WINDOWS = 17;
export const GENE_CUT = 16;
export const GENE_SAMPLES = 8;
export const GENE_BYTES = 6;

/**
 * Sampled-text genes for the text-only rows of the budget table, beside PhyloLM's: the temperature, samples, completion
 * length and cuts were chosen on a validation zoo (the same recipe trained with another seed, never the shipped zoo's
 * score; see lab/zoo/EXPERIMENT.md). Every cut of windows 0..windows-1 of each corpus is a gene.
 */
export interface TextGeneDesign {
  readonly temperature: number;
  readonly samples: number;
  readonly bytes: number;
  /** Cut positions (bytes of the window before the completion), a subset of the suite's cuts. */
  readonly cuts: readonly number[];
  readonly windows: number;
}

/**
 * Greedy next bytes (temperature 0, one byte) at every cut of 16 windows per corpus: 480 genes, 960 queries per model.
 * Chosen on the validation zoo (recipe seed 8) over PhyloLM's samples at temperature 1 and over 20-byte windows cut
 * every 4 bytes. The second sample repeats the first (greedy); the alleles signal needs two to call a probe a gene.
 */
export const TEXT_GENES: TextGeneDesign = {
  temperature: 0,
  samples: 2,
  bytes: 1,
  cuts: [8, 16, 24, 32, 40],
  windows: 16,
};

/** The window a position probe belongs to (its `window-...` tag), or its id when it has none. */
export function windowOf(p: Probe): string {
  return p.tags.find((t) => t.startsWith('window-')) ?? String(p.id);
}

function cutOf(p: Probe): number {
  return Number(String(p.id).split(':').at(-1));
}

function inPool(p: Probe, windows = POOL_WINDOWS): boolean {
  const index = Number(windowOf(p).split('-').at(-1));
  return Number.isInteger(index) && index < windows;
}

/** Every cut of windows 0..windows-1 of each corpus, asked once for one token with its top-k logprobs. */
export function positionLogprobSuite(suite: Suite, windows = POOL_WINDOWS): Suite {
  const { file: _file, ...rest } = suite;
  return {
    ...rest,
    name: `${suite.name}-logprobs`,
    description: `${suite.description} (pool of ${windows} windows per corpus, top-${LOGPROB_TOP} logprobs)`,
    defaults: {
      samples: 1,
      sampling: { ...suite.defaults.sampling, temperature: 1, maxTokens: 1, topLogprobs: LOGPROB_TOP },
    },
    probes: suite.probes.filter((p) => inPool(p, windows)),
  };
}

/** The text-gene design's pool: its cuts of windows 0..windows-1, `samples` samples of `bytes` at its temperature. */
export function textGeneSuite(suite: Suite, design: TextGeneDesign = TEXT_GENES): Suite {
  const { file: _file, ...rest } = suite;
  return {
    ...rest,
    name: `${suite.name}-text`,
    description:
      `${suite.description} (text genes: ${design.samples} samples of ${design.bytes} bytes at temperature ` +
      `${design.temperature})`,
    defaults: {
      samples: design.samples,
      sampling: { ...suite.defaults.sampling, temperature: design.temperature, maxTokens: design.bytes },
    },
    probes: suite.probes.filter((p) => inPool(p, design.windows) && design.cuts.includes(cutOf(p))),
  };
}

/** PhyloLM's recipe on the same pool: one gene per window (its cut at GENE_CUT), GENE_SAMPLES samples of GENE_BYTES. */
export function positionGeneSuite(suite: Suite): Suite {
  const { file: _file, ...rest } = suite;
  return {
    ...rest,
    name: `${suite.name}-phylolm`,
    description: `${suite.description} (PhyloLM genes: ${GENE_SAMPLES} samples of ${GENE_BYTES} bytes per window)`,
    defaults: {
      samples: GENE_SAMPLES,
      sampling: { ...suite.defaults.sampling, temperature: 1, maxTokens: GENE_BYTES },
    },
    probes: suite.probes.filter((p) => inPool(p, GENE_POOL_WINDOWS) && cutOf(p) === GENE_CUT),
  };
}
