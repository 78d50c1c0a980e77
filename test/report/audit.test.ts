// Reading `phylo audit ... --json` results generically: a pair test, per-model tests, an identification, or a list of
// them; anything else is refused naming the file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { auditSection, formatPValue, readAuditFile } from '../../src/report/audit.js';
import { tempDir } from '../collect/fakes.js';

describe('audit results', () => {
  const dir = tempDir('phylo-report-audit-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, json: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    return file;
  };

  it('reads a pair test as one verdict with its p-value and the other figures as details', () => {
    const s = auditSection('f.json', {
      a: 'openai:gpt-4o',
      b: 'replay:gpt-4o',
      pValue: 0.31,
      reject: false,
      alpha: 0.05,
      statistic: 1.25,
      effect: { estimate: 0.0123, ci95: [0.001, 0.02], name: 'MMD' },
      components: [{ name: 'x' }],
    })!;
    expect(s.kind).toBe('equality');
    expect(s.heading).toBe('do openai:gpt-4o and replay:gpt-4o answer from the same distribution?');
    expect(s.rows).toEqual([
      {
        subject: 'openai:gpt-4o vs replay:gpt-4o',
        pValue: 0.31,
        reject: false,
        verdict: 'no detectable difference at level 0.05',
        detail: 'statistic 1.25, effect 0.0123 [0.001, 0.02]',
      },
    ]);
  });

  it('reads per-model tests (phylo audit drift): adjusted p-values, one row a model, what was not tested', () => {
    const s = auditSection('d.json', {
      old: 'run-a',
      new: 'run-b',
      alpha: 0.01,
      correction: 'holm',
      models: [
        { model: 'm1', pValue: 0.002, adjustedPValue: 0.004, reject: true, statistic: 9.5, probes: 80, traits: [] },
        { model: 'm2', pValue: 0.5, adjustedPValue: 0.5, reject: false, statistic: 0.1, probes: 80, traits: [] },
      ],
      skipped: [{ model: 'm3', reason: 'too few shared probes' }],
      onlyOld: ['m4'],
      onlyNew: [],
    })!;
    expect(s.kind).toBe('per-model');
    expect(s.heading).toBe('did the models change (run-a -> run-b)?');
    expect(s.rows.map((r) => [r.subject, r.adjustedPValue, r.reject, r.verdict, r.detail])).toEqual([
      ['m1', 0.004, true, 'changed at level 0.01', 'statistic 9.5, probes 80'],
      ['m2', 0.5, false, 'no detectable change at level 0.01', 'statistic 0.1, probes 80'],
    ]);
    expect(s.note).toBe('alpha 0.01, correction holm; m3 not tested: too few shared probes; only in the old run: m4');
  });

  it('reads an identification (phylo audit identify): the ranking, and the test against the nearest model', () => {
    const s = auditSection('i.json', {
      target: 'openai:endpoint',
      ranking: [
        { model: 'a', distance: 0.1, confidence: 0.97, probes: 40 },
        { model: 'b', distance: 0.4, confidence: 0.03, probes: 40 },
      ],
      equal: { a: 'openai:endpoint', b: 'a', pValue: 0.62, reject: false, alpha: 0.05 },
      verdict: 'consistent with a (p = 0.62)',
      bootstrap: 200,
    })!;
    expect(s.kind).toBe('identify');
    expect(s.heading).toBe('which model is openai:endpoint?');
    expect(s.note).toBe('consistent with a (p = 0.62)');
    expect(s.rows.map((r) => [r.subject, r.pValue, r.reject, r.verdict, r.detail])).toEqual([
      ['a', 0.62, false, 'rank 1: consistent with the target', 'distance 0.1, confidence 0.97, probes 40'],
      ['b', undefined, undefined, 'rank 2', 'distance 0.4, confidence 0.03, probes 40'],
    ]);
    const failed = auditSection('i.json', {
      target: 't',
      ranking: [{ model: 'a', distance: 0.9 }],
      equal: undefined,
      equalError: 'too few shared probes',
      verdict: 'closest is a, untested',
    })!;
    expect(failed.note).toBe('closest is a, untested; no equality test: too few shared probes');
  });

  it('reads the generic identification forms: a list or a name of consistent candidates, or yes/no', () => {
    const s = auditSection('i.json', {
      target: 'x',
      ranking: [
        { model: 'a', pValue: 0.7 },
        { model: 'b', pValue: 0.001 },
      ],
      equal: ['a'],
    })!;
    expect(s.note).toBe('consistent with: a');
    expect(s.rows.map((r) => [r.subject, r.pValue, r.reject])).toEqual([
      ['a', 0.7, false],
      ['b', 0.001, true],
    ]);
    const none = auditSection('i.json', { target: 't', ranking: ['a', 'b'], equal: false })!;
    expect(none.note).toBe('the target matches none of the candidates');
    expect(none.rows.map((r) => r.verdict)).toEqual(['rank 1', 'rank 2']);
  });

  it('reads a file holding one result or a list, and refuses anything else naming the file', () => {
    const one = write('one.json', { a: 'x', b: 'y', pValue: 0.5, reject: false });
    const list = write('list.json', [
      { a: 'x', b: 'y', pValue: 0.5, reject: false },
      { target: 't', ranking: [], equal: [] },
    ]);
    expect(readAuditFile(one)).toHaveLength(1);
    expect(readAuditFile(list).map((s) => s.kind)).toEqual(['equality', 'identify']);
    const bad = write('bad.json', { hello: 1 });
    expect(() => readAuditFile(bad)).toThrow(InputError);
    expect(() => readAuditFile(bad)).toThrow(/bad\.json: not a result of phylo audit --json/);
    const broken = write('broken.json', '{"a": ');
    expect(() => readAuditFile(broken)).toThrow(/broken\.json: cannot read it as JSON/);
    expect(() => readAuditFile(path.join(dir, 'missing.json'))).toThrow(
      /missing\.json: cannot read it as JSON \(ENOENT\)/,
    );
  });

  it('formats p-values to three significant digits, below 0.001 as a bound', () => {
    expect(formatPValue(0.04567)).toBe('0.0457');
    expect(formatPValue(0.0004)).toBe('< 0.001');
    expect(formatPValue(1)).toBe('1');
    expect(formatPValue(undefined)).toBe('');
  });
});
