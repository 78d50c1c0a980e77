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

  it('reads per-model tests (drift) with adjusted p-values, one row a model', () => {
    const s = auditSection('d.json', {
      baseline: 'run-a',
      current: 'run-b',
      alpha: 0.01,
      models: [
        { model: 'm1', pValue: 0.002, adjustedPValue: 0.004, reject: true },
        { model: 'm2', pValue: 0.5, adjustedPValue: 0.5, reject: false },
      ],
    })!;
    expect(s.kind).toBe('per-model');
    expect(s.heading).toBe('did the models change (run-a -> run-b)?');
    expect(s.rows.map((r) => [r.subject, r.adjustedPValue, r.reject, r.verdict])).toEqual([
      ['m1', 0.004, true, 'changed at level 0.01'],
      ['m2', 0.5, false, 'no detectable change at level 0.01'],
    ]);
  });

  it('reads an identification: the ranking, and which candidates the target is consistent with', () => {
    const s = auditSection('i.json', {
      target: 'https-endpoint',
      ranking: [
        { model: 'a', pValue: 0.7 },
        { model: 'b', pValue: 0.001 },
      ],
      equal: ['a'],
    })!;
    expect(s.kind).toBe('identify');
    expect(s.note).toBe('consistent with: a');
    expect(s.rows.map((r) => [r.subject, r.reject, r.verdict])).toEqual([
      ['a', false, 'consistent with the target'],
      ['b', true, 'differs from the target'],
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
