// The black-box logprob phenotype of the experiment: the suite asked for one token with its top-k alternatives, as an
// OpenAI-style API returns them (the analysis's `logprobs` signal reads the answers).
import { probeId } from '../../core/refs.js';
import type { Suite } from '../../core/types.js';

/**
 * A black-box phenotype from logprobs, as an OpenAI-style API returns them: each probe asked once for one token
 * with its top-k alternatives; a model's answer to a probe is the distribution over the first byte (the top-k
 * probabilities plus one bucket for the rest), and two models differ by the mean Jensen-Shannon divergence of
 * these distributions. No sampling noise; it costs one query per probe.
 */
export const LOGPROB_TOP = 20;

/** The suite as logprob probes; with `every` > 0, each raw prefix is also asked cut after every `every` characters. */
export function logprobSuite(suite: Suite, every = 0): Suite {
  const { file: _file, ...rest } = suite;
  const probes = suite.probes.flatMap((p) => {
    const whole = { id: p.id, tags: p.tags, prompt: p.prompt };
    if (every <= 0 || p.prompt.kind !== 'prefix') return [whole];
    const text = p.prompt.prefix;
    const cuts = [];
    for (let i = every; i < text.length; i += every)
      cuts.push({
        id: probeId(`${p.id}@${i}`),
        tags: [...p.tags, 'cut'],
        prompt: { kind: 'prefix' as const, prefix: text.slice(0, i) },
      });
    return [...cuts, whole];
  });
  return {
    ...rest,
    name: `${suite.name}-logprobs${every > 0 ? `-every${every}` : ''}`,
    description: `${suite.description} (one token with top-${LOGPROB_TOP} logprobs per probe)`,
    defaults: {
      samples: 1,
      sampling: { ...suite.defaults.sampling, temperature: 1, maxTokens: 1, topLogprobs: LOGPROB_TOP },
    },
    probes,
  };
}
