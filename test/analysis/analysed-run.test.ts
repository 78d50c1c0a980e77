// The analysed run: one response table, everything else computed on first request and kept; the signal registry's
// availability rules; and the same trees as analyseRun gives.
import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse.js';
import { analyseRunLazily } from '../../src/analysis/analysed-run.js';
import {
  availableSignals,
  DEFAULT_METHOD,
  SIGNALS,
  signalDefinition,
  TEXT_SIGNALS,
} from '../../src/analysis/signals/index.js';
import { InputError } from '../../src/core/errors.js';
import { TREE_METHODS, writeNewick } from '../../src/phylo/index.js';
import { makeRun } from '../phenotype/fixtures.js';
import { runWithLogprobs, top } from '../phenotype/logprob-fixtures.js';
import { separableRun } from './synthetic.js';

/** The separable run with first-token logprobs on every answer (clan-coloured distributions). */
function withLogprobs(samples = 1) {
  const data = separableRun(12, samples);
  const cells = data.samples.map((s) => ({
    model: String(s.model),
    probe: String(s.probe),
    texts: [s.outcome.status === 'ok' ? s.outcome.text : ''],
  }));
  return runWithLogprobs(cells, (m, p) =>
    top([
      [`${m.slice(4, 5)}-${p}`, 0.6],
      [`${m}-${p}`, 0.3],
    ]),
  );
}

describe('the signal registry', () => {
  it('lists every signal once, each with a description, its needs and a default tree method', () => {
    expect(SIGNALS).toEqual(['embed', 'traits', 'alleles', 'logprobs', 'hellinger', 'combined']);
    expect(TEXT_SIGNALS).toEqual(['embed', 'traits', 'alleles', 'combined']);
    for (const s of SIGNALS) {
      const d = signalDefinition(s);
      expect(d.description.length).toBeGreaterThan(10);
      expect(TREE_METHODS).toContain(d.defaultMethod);
      expect(DEFAULT_METHOD[s]).toBe(d.defaultMethod);
    }
    expect(signalDefinition('alleles').needs.map((n) => n.name)).toEqual(['repeated samples']);
    expect(signalDefinition('logprobs').needs.map((n) => n.name)).toEqual(['top logprobs']);
  });

  it('availableSignals: text signals always, alleles with repeated samples, logprobs with top logprobs', () => {
    expect(availableSignals(separableRun(10, 1))).toEqual(['embed', 'traits', 'combined']);
    expect(availableSignals(separableRun(10, 3))).toEqual(['embed', 'traits', 'alleles', 'combined']);
    expect(availableSignals(withLogprobs())).toEqual(['embed', 'traits', 'logprobs', 'hellinger', 'combined']);
  });
});

describe('analyseRunLazily', () => {
  it('returns the same signal model, matrix and tree object when asked twice', () => {
    const run = analyseRunLazily(separableRun(20, 3));
    expect(run.signalModel('traits')).toBe(run.signalModel('traits'));
    expect(run.matrix('embed')).toBe(run.matrix('embed'));
    const a = run.tree({ signal: 'alleles', method: 'nj', bootstrap: 5, seed: 2 });
    expect(run.tree({ signal: 'alleles', method: 'nj', bootstrap: 5, seed: 2 })).toBe(a);
    // Another seed or root is another tree; the unsupported tree is shared by both.
    expect(run.tree({ signal: 'alleles', method: 'nj', bootstrap: 5, seed: 3 })).not.toBe(a);
    expect(run.tree({ signal: 'alleles' })).toBe(run.tree({ signal: 'alleles', method: DEFAULT_METHOD.alleles }));
    expect(run.tree({ signal: 'alleles', root: 'midpoint' })).toBe(run.tree({ signal: 'alleles', root: 'midpoint' }));
    expect(run.traitTable()).toBe(run.traitTable());
    expect(run.probes()).toBe(run.probes());
  });

  it('builds each model once: the combined signal reuses the models of its parts', () => {
    const stages: string[] = [];
    const run = analyseRunLazily(separableRun(20, 3), { onProgress: (s) => stages.push(s) });
    const embed = run.signalModel('embed');
    const combined = run.signalModel('combined');
    expect(combined.parts?.map((p) => p.info.signal)).toEqual(['embed', 'traits', 'alleles']);
    expect(combined.parts?.[0]).toBe(embed);
    expect(stages.filter((s) => s.startsWith('phenotype'))).toEqual([
      'phenotype (embed) of 6 models x 20 probes',
      'phenotype (combined) of 6 models x 20 probes',
    ]);
    run.tree({ signal: 'embed', method: 'nj', bootstrap: 4 });
    run.tree({ signal: 'embed', method: 'nj', bootstrap: 4 });
    expect(stages.filter((s) => s.startsWith('bootstrap'))).toHaveLength(1);
  });

  it('gives the same trees as analyseRun', () => {
    const data = separableRun(20, 3);
    const run = analyseRunLazily(data);
    for (const signal of TEXT_SIGNALS) {
      const once = analyseRun(data, { signal, bootstrap: 6, seed: 4, root: 'midpoint' });
      const lazy = run.tree({ signal, bootstrap: 6, seed: 4, root: 'midpoint' });
      expect(writeNewick(lazy)).toBe(writeNewick(once.tree));
      expect(run.matrix(signal).values).toEqual(once.matrix.values);
    }
  });

  it('says in one line why a signal is not available and which ones are', () => {
    const run = analyseRunLazily(separableRun(10, 1));
    for (const signal of ['alleles', 'logprobs', 'vibes']) {
      let message = '';
      try {
        run.tree({ signal });
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        message = (err as Error).message;
      }
      expect(message).toMatch(/this run offers: embed, traits, combined$/);
      expect(message).not.toContain('\n');
    }
    expect(() => run.matrix('alleles')).toThrow(/needs probes sampled several times/);
    expect(() => run.signalModel('logprobs')).toThrow(/--logprobs 20/);
  });

  it('checks the run once: at least 3 models, and some successful sample', () => {
    const two = makeRun([
      { model: 'm:a', probe: 'p', texts: ['x'] },
      { model: 'm:b', probe: 'p', texts: ['y'] },
    ]);
    expect(() => analyseRunLazily(two)).toThrow(/at least 3/);
    const failed = makeRun(
      ['m:a', 'm:b', 'm:c'].map((model) => ({ model, probe: 'p', texts: [{ error: 'timeout' }] })),
    );
    expect(() => analyseRunLazily(failed)).toThrow(InputError);
  });

  it('gives each model a trait row and its answers as evidence', () => {
    const run = analyseRunLazily(separableRun(8, 2));
    expect(run.traitTable().rows.map((r) => r.model)).toEqual([...run.table.models]);
    const probe = run.probes()[0]!;
    const answers = run.responses(probe.id);
    expect(answers.map((a) => a.model)).toEqual([...run.table.models]);
    for (const a of answers) expect(a.texts).toHaveLength(2);
    expect(run.responses('no-such-probe')).toEqual([]);
  });
});
