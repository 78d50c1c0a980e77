// Part of a suite, as lm-evaluation-harness's --limit and promptfoo's filters run part of a task: the probes carrying
// any of the given tags (in suite order), then the first `limit` of those. The result is a suite of its own (its
// version says which part), so a partial run never resumes as, or is mistaken for, a run of the whole suite.
import { InputError } from '../core/errors.js';
import type { Suite } from '../core/types.js';

export interface SuiteSelection {
  /** Keep probes carrying at least one of these tags; empty or absent: every probe. */
  readonly tags?: readonly string[];
  /** Keep at most this many probes (the first, in suite order, after the tag filter). */
  readonly limit?: number;
}

export function selectProbes(suite: Suite, selection: SuiteSelection): Suite {
  const tags = [...new Set(selection.tags ?? [])];
  const { limit } = selection;
  if (tags.length === 0 && limit === undefined) return suite;
  let probes = suite.probes;
  if (tags.length > 0) {
    const wanted = new Set(tags);
    probes = probes.filter((p) => p.tags.some((t) => wanted.has(t)));
    if (probes.length === 0) {
      const known = [...new Set(suite.probes.flatMap((p) => p.tags))].sort();
      throw new InputError(
        `--tags ${tags.join(',')}: no probe of suite ${suite.name} carries them; ` +
          `its tags: ${known.join(', ') || '(none)'}`,
      );
    }
  }
  if (limit !== undefined) probes = probes.slice(0, limit);
  const part = [tags.length > 0 ? `tags=${tags.join(',')}` : '', limit !== undefined ? `limit=${limit}` : '']
    .filter(Boolean)
    .join(' ');
  return { ...suite, version: `${suite.version} [${part}]`, probes };
}
