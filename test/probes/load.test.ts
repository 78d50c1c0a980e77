import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { listSuites, loadSuite, MAX_SUITE_BYTES, parseSuite, suitesDir } from '../../src/probes/load.js';

const CORE_CATEGORIES = [
  'identity',
  'knowledge',
  'reasoning',
  'instruction',
  'borderline',
  'writing',
  'code',
  'multilingual',
];

describe('built-in suites', () => {
  it('finds the probes/ folder of the repository', () => {
    expect(fs.existsSync(path.join(suitesDir(), 'core.yaml'))).toBe(true);
  });

  it('core: at least 60 chat probes, every category present, answers on knowledge and reasoning', () => {
    const core = loadSuite('core');
    expect(core.name).toBe('core');
    expect(core.probes.length).toBeGreaterThanOrEqual(60);
    expect(core.defaults.sampling.temperature).toBe(0.7);
    expect(core.defaults.sampling.maxTokens).toBe(256);
    expect(core.defaults.samples).toBe(1);
    for (const p of core.probes) {
      expect(p.prompt.kind).toBe('chat');
      expect(
        p.tags.some((t) => CORE_CATEGORIES.includes(t)),
        `${p.id} has a category tag`,
      ).toBe(true);
    }
    for (const category of CORE_CATEGORIES) {
      const n = core.probes.filter((p) => p.tags.includes(category)).length;
      expect(n, `probes tagged ${category}`).toBeGreaterThanOrEqual(5);
    }
    for (const category of ['knowledge', 'reasoning']) {
      const tagged = core.probes.filter((p) => p.tags.includes(category) && !p.tags.includes('multilingual'));
      expect(
        tagged.every((p) => p.answer !== undefined),
        `every ${category} probe has an answer`,
      ).toBe(true);
    }
    const formatChecks = core.probes.filter((p) => p.tags.includes('instruction'));
    expect(formatChecks.every((p) => p.answer?.kind === 'regex')).toBe(true);
    const languages = new Set(core.probes.flatMap((p) => p.tags.filter((t) => t.startsWith('lang:'))));
    for (const lang of ['fr', 'de', 'es', 'zh', 'ja', 'ar', 'hi']) expect(languages.has(`lang:${lang}`)).toBe(true);
  });

  it('genes: at least 128 short genes, several samples at a positive temperature', () => {
    const genes = loadSuite('genes');
    expect(genes.probes.length).toBeGreaterThanOrEqual(128);
    expect(genes.defaults.samples).toBeGreaterThan(1);
    for (const p of genes.probes) {
      const maxTokens = p.sampling?.maxTokens ?? genes.defaults.sampling.maxTokens;
      const temperature = p.sampling?.temperature ?? genes.defaults.sampling.temperature;
      const samples = p.samples ?? genes.defaults.samples;
      expect(maxTokens).toBeLessThanOrEqual(5);
      expect(samples).toBeGreaterThan(1);
      expect(temperature).toBeGreaterThan(0);
      expect(p.tags).toContain('gene');
      expect(p.prompt.kind).toBe('chat');
    }
    // Genes must differ, or two probes measure the same allele.
    const prefixes = genes.probes.map((p) => (p.prompt.kind === 'chat' ? p.prompt.messages.at(-1)!.content : ''));
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('genes-raw holds the same genes as genes, as raw prefixes', () => {
    const chat = loadSuite('genes');
    const raw = loadSuite('genes-raw');
    expect(raw.probes.map((p) => p.id)).toEqual(chat.probes.map((p) => p.id));
    raw.probes.forEach((p, i) => {
      const c = chat.probes[i]!;
      expect(p.prompt.kind).toBe('prefix');
      expect(p.prompt.kind === 'prefix' && p.prompt.prefix).toBe(
        c.prompt.kind === 'chat' && c.prompt.messages.at(-1)!.content,
      );
    });
    expect(raw.defaults).toEqual(chat.defaults);
  });

  it('listSuites summarises every file in probes/', () => {
    const listed = listSuites();
    const files = fs.readdirSync(suitesDir()).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(listed.length).toBe(files.length);
    const core = listed.find((s) => s.name === 'core')!;
    expect(core.probes).toBe(loadSuite('core').probes.length);
    expect(core.tags).toContain('identity');
    expect([...core.tags].sort()).toEqual(core.tags);
  });

  it('loads by path as well as by name, and converts fields to camelCase', () => {
    const byPath = loadSuite(path.join(suitesDir(), 'core.yaml'));
    const byName = loadSuite('core');
    expect(byPath).toEqual(byName);
    const arith = byName.probes.find((p) => p.id === 'reason-multiply')!;
    expect(arith.answer).toEqual({ kind: 'exact', value: '391' });
    expect(byName.probes.find((p) => p.id === 'instr-one-word-color')!.answer).toEqual({
      kind: 'regex',
      pattern: '^\\W*blue\\W*$',
      flags: 'i',
    });
  });
});

describe('suite files written by users', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-suites-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const header =
    'name: t\nversion: "1"\ndescription: test suite\ndefaults: {temperature: 0.5, max_tokens: 10, samples: 2}\nprobes:\n';
  function write(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }
  function errorOf(file: string): string {
    try {
      loadSuite(file);
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as Error).message;
    }
    throw new Error(`${file} loaded without error`);
  }

  it('accepts a valid YAML suite with overrides, prefixes and every answer kind', () => {
    const file = write(
      'ok.yaml',
      header +
        '  - id: a\n    tags: [x, x, y]\n    prefix: "Once upon"\n    temperature: 1.2\n    max_tokens: 3\n    samples: 4\n    top_p: 0.9\n    seed: 7\n' +
        '  - id: b\n    messages: [{role: system, content: s}, {role: user, content: "2+2?"}]\n    answer: {exact: 4}\n' +
        '  - id: c\n    messages: [{role: user, content: q}]\n    answer: {regex: "^yes", flags: i}\n' +
        '  - id: d\n    messages: [{role: user, content: q}]\n    answer: {one_of: [red, 7]}\n',
    );
    const s = loadSuite(file);
    expect(s.file).toBe(file);
    expect(s.defaults).toEqual({ sampling: { temperature: 0.5, maxTokens: 10 }, samples: 2 });
    const [a, b, c, d] = s.probes;
    expect(a).toEqual({
      id: 'a',
      tags: ['x', 'y'],
      prompt: { kind: 'prefix', prefix: 'Once upon' },
      sampling: { temperature: 1.2, maxTokens: 3, topP: 0.9, seed: 7 },
      samples: 4,
    });
    expect(b!.prompt).toEqual({
      kind: 'chat',
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: '2+2?' },
      ],
    });
    expect(b!.answer).toEqual({ kind: 'exact', value: '4' });
    expect(b!.sampling).toBeUndefined();
    expect(b!.tags).toEqual([]);
    expect(c!.answer).toEqual({ kind: 'regex', pattern: '^yes', flags: 'i' });
    expect(d!.answer).toEqual({ kind: 'oneOf', values: ['red', '7'] });
  });

  it('accepts the same suite as JSON', () => {
    const file = write(
      'ok.json',
      JSON.stringify({
        name: 'j',
        version: '2',
        description: '',
        defaults: { temperature: 0, max_tokens: 5, samples: 1 },
        probes: [{ id: 'p', tags: ['t'], prefix: 'x' }],
      }),
    );
    expect(loadSuite(file).probes[0]!.prompt).toEqual({ kind: 'prefix', prefix: 'x' });
  });

  // Each malformed file must give one line naming the file, the probe (id or position) and the field.
  const malformed: [string, string, RegExp][] = [
    [
      'bad-yaml.yaml',
      `${header}  - id: first\n    prefix: x\n  - id: second\n    prefix: [unclosed\n`,
      /near probe "second": line \d+, column \d+: invalid YAML/,
    ],
    ['missing-id.yaml', `${header}  - id: ok\n    prefix: x\n  - prefix: y\n`, /probe #2 \(no id\): id: missing$/],
    [
      'missing-field.yaml',
      'name: t\ndescription: d\ndefaults: {temperature: 0.5, max_tokens: 10, samples: 1}\nprobes:\n  - {id: a, prefix: x}\n',
      /: version: missing$/,
    ],
    [
      'missing-default.yaml',
      'name: t\nversion: "1"\ndescription: d\ndefaults: {temperature: 0.5, samples: 1}\nprobes:\n  - {id: a, prefix: x}\n',
      /: defaults\.max_tokens: missing$/,
    ],
    [
      'both.yaml',
      `${header}  - id: both\n    prefix: x\n    messages: [{role: user, content: hi}]\n`,
      /probe "both": messages: give either messages or prefix, not both$/,
    ],
    [
      'neither.yaml',
      `${header}  - id: none\n    tags: [x]\n`,
      /probe "none": messages: missing; give either messages \(chat\) or prefix \(raw text\)$/,
    ],
    [
      'duplicate.yaml',
      `${header}  - {id: a, prefix: x}\n  - {id: b, prefix: y}\n  - {id: a, prefix: z}\n`,
      /probe "a": id: duplicate id \(also probe #1\)/,
    ],
    [
      'bad-regex.yaml',
      `${header}  - id: arith-3\n    prefix: x\n    answer: {regex: "(abc"}\n`,
      /probe "arith-3": answer\.regex: invalid regular expression$/,
    ],
    [
      'unknown-field.yaml',
      `${header}  - id: typo\n    prefix: x\n    temprature: 0.3\n`,
      /probe "typo": temprature: unknown field \(allowed: id, tags, /,
    ],
    [
      'unknown-answer-field.yaml',
      `${header}  - id: a\n    prefix: x\n    answer: {exact: a, fuzzy: true}\n`,
      /probe "a": answer\.fuzzy: unknown field/,
    ],
    ['unknown-top.yaml', `nam: t\n${header}  - {id: a, prefix: x}\n`, /: nam: unknown field \(allowed: name, version/],
    [
      'wrong-type.yaml',
      `${header}  - id: w\n    prefix: x\n    max_tokens: "ten"\n`,
      /probe "w": max_tokens: expected number, got "ten"$/,
    ],
    [
      'wrong-role.yaml',
      `${header}  - id: r\n    messages: [{role: robot, content: hi}]\n`,
      /probe "r": messages\[0\]\.role: expected one of "system", "user", "assistant", got "robot"$/,
    ],
    [
      'out-of-range.yaml',
      `${header}  - id: hot\n    prefix: x\n    temperature: 5\n`,
      /probe "hot": temperature: must be at most 2, got number 5$/,
    ],
    [
      'two-answers.yaml',
      `${header}  - id: a\n    prefix: x\n    answer: {exact: a, regex: b}\n`,
      /probe "a": answer: give only one of exact, regex or one_of/,
    ],
    [
      'stateful-flag.yaml',
      `${header}  - id: a\n    prefix: x\n    answer: {regex: b, flags: g}\n`,
      /probe "a": answer\.flags: "g" is not allowed/,
    ],
    [
      'version-number.yaml',
      'name: t\nversion: 1.0\ndescription: d\ndefaults: {temperature: 0.5, max_tokens: 3, samples: 1}\nprobes:\n  - {id: a, prefix: x}\n',
      /: version: expected string, got number 1 \(put the value in quotes\)$/,
    ],
    ['empty.yaml', '', /: expected a mapping with name, version, description, defaults and probes$/],
    ['bad.json', '{"name": "t", ', /bad\.json: invalid JSON: /],
  ];
  for (const [name, text, expected] of malformed) {
    it(`rejects ${name} with one line`, () => {
      const file = write(name, text);
      const message = errorOf(file);
      expect(message).not.toContain('\n');
      expect(message.startsWith(`${file}: `) || message.startsWith(`${path.relative(process.cwd(), file)}: `)).toBe(
        true,
      );
      expect(message).toMatch(expected);
    });
  }

  it('parses a file again when it changes, and reuses the parsed suite when it does not', () => {
    const file = write('changing.yaml', `${header}  - {id: first, prefix: x}\n`);
    const before = loadSuite(file);
    expect(loadSuite(file)).toBe(before);
    fs.writeFileSync(file, `${header}  - {id: first, prefix: x}\n  - {id: second, prefix: y}\n`);
    const after = loadSuite(file);
    expect(after.probes.map((p) => p.id)).toEqual(['first', 'second']);
    fs.writeFileSync(file, `${header}  - {id: first, prefix: [broken\n`);
    expect(() => loadSuite(file)).toThrow(/invalid YAML/);
  });

  it('names a missing suite and the built-in ones', () => {
    expect(() => loadSuite('no-such-suite')).toThrow(/suite "no-such-suite": not found \(built-in suites: .*core.*\)/);
    expect(() => loadSuite(path.join(dir, 'absent.yaml'))).toThrow(InputError);
  });

  it('parseSuite reports the file it is given, relative to the working directory when inside it', () => {
    expect(() => parseSuite('name: t\n', path.join(process.cwd(), 'probes', 'mine.yaml'))).toThrow(
      /^probes[\\/]mine\.yaml: version: missing/,
    );
  });
});

describe('hostile suite files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-suites-hostile-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const valid = fs.readFileSync(path.join(suitesDir(), 'lab-demo.yaml'), 'utf8');

  it('refuses a YAML alias bomb with one InputError line, and keeps a few aliases working', () => {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(',')}]`,
      );
    expect(() => parseSuite(lines.join('\n'), 'bomb.yaml')).toThrow(InputError);
    expect(() => parseSuite(lines.join('\n'), 'bomb.yaml')).toThrow(/bomb\.yaml: invalid YAML: .*at most 100 aliases/);
    const shared = 'x: &m [{role: user, content: hi}]\ny: *m\n';
    expect(() => parseSuite(shared, 'shared.yaml')).toThrow(/shared\.yaml: .*name/);
  });

  it('refuses a suite file above the size limit from its size, before reading it', () => {
    const file = path.join(dir, 'big.yaml');
    fs.writeFileSync(file, `${valid}\n${'# padding\n'.repeat(Math.ceil(MAX_SUITE_BYTES / 10))}`);
    expect(() => loadSuite(file)).toThrow(/big\.yaml: suite file of \d+ bytes is above the 4 MiB limit/);
  });

  it('accepts a leading byte-order mark in YAML and JSON suites', () => {
    const yaml = path.join(dir, 'bom.yaml');
    fs.writeFileSync(yaml, `\uFEFF${valid}`);
    const suite = loadSuite(yaml);
    expect(suite.probes.length).toBeGreaterThan(0);
    const json = path.join(dir, 'bom.json');
    fs.writeFileSync(
      json,
      `\uFEFF${JSON.stringify({
        name: 'j',
        version: '1',
        description: 'd',
        defaults: { temperature: 0, max_tokens: 5, samples: 1 },
        probes: [{ id: 'p', prefix: 'Hello' }],
      })}`,
    );
    expect(loadSuite(json).probes).toHaveLength(1);
  });
});
