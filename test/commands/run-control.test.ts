// Run control through the real CLI (in this process) against our OpenAI wire server: a run config file under the
// flags, --tags/--limit, --dry-run (nothing sent, cost per model from the profile's prices) and --max-cost (stops
// cleanly, exit 1, resumable).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectProbes } from '../../src/probes/select.js';
import { loadSuite } from '../../src/probes/load.js';
import { openStore } from '../../src/store/sqlite.js';
import { startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { tempDir } from '../collect/fakes.js';
import { runCli } from '../helpers/run-cli.js';

let work: string;
let server: TestServer;
let env: NodeJS.ProcessEnv;
// $1,000 per million tokens in and out: a sample of ~3 input and ~10-30 output tokens costs a few cents.
const PRICE = 1000;

/** A suite of `n` probes: even ones tagged `even`, every one `all`; prompts of known length (12 characters). */
function writeSuite(file: string, n: number): string {
  const lines = ['name: control', 'version: "1"', 'description: run control', 'defaults:', '  temperature: 0.5'];
  lines.push('  max_tokens: 40', '  samples: 1', 'probes:');
  for (let i = 0; i < n; i++) {
    const tags = i % 2 === 0 ? '[all, even]' : '[all]';
    lines.push(
      `  - id: q${i}`,
      `    tags: ${tags}`,
      '    messages:',
      `      - { role: user, content: "Question #${String(i).padStart(2, '0')}" }`,
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

beforeAll(async () => {
  work = tempDir('phylo-run-control-');
  server = await startOpenAIServer({ models: ['m1', 'm2'] });
  const profiles = path.join(work, 'profiles');
  fs.mkdirSync(profiles);
  fs.writeFileSync(
    path.join(profiles, 'local.yaml'),
    [
      'name: local',
      'kind: openai',
      'baseURLEnv: LOCAL_URL',
      'keyEnv: LOCAL_KEY',
      'prices:',
      `  m1: { input: ${PRICE}, output: ${PRICE} }`,
      `  m2: { input: ${PRICE / 2}, output: ${PRICE / 2} }`,
      '',
    ].join('\n'),
  );
  writeSuite(path.join(work, 'suite.yaml'), 10);
  env = { PHYLO_PROFILES: profiles, LOCAL_URL: server.url, LOCAL_KEY: 'test-key' };
});

afterAll(async () => {
  await server.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const results = (name: string): string => path.join(work, `results-${name}`);

describe('phylo run --dry-run', () => {
  it('prints requests and cost per model from the price table and sends nothing', async () => {
    const before = server.requests.length;
    const r = await runCli(
      ['run', '--suite', path.join(work, 'suite.yaml'), '--models', 'local:m1,local:m2', '--dry-run', '--json'],
      { env: { ...env, LOCAL_KEY: undefined } }, // no key needed to plan
    );
    expect(r.code, r.err).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(fs.existsSync(results('never'))).toBe(false);
    const plan = JSON.parse(r.out);
    expect(plan.dryRun).toBe(true);
    expect(plan.estimate.requests).toBe(20);
    // 10 probes x ceil(12 chars / 4) = 30 input tokens; 10 x 40 max output tokens, 60% typical = 240.
    const [m1, m2] = plan.estimate.perModel;
    expect(m1).toMatchObject({ model: 'local:m1', requests: 10, inputTokens: 30 });
    expect(m1.outputTokens).toEqual({ typical: 240, max: 400 });
    expect(m1.costUsd.low).toBeCloseTo(((30 + 240) * PRICE) / 1e6, 10);
    expect(m1.costUsd.high).toBeCloseTo(((30 + 400) * PRICE) / 1e6, 10);
    expect(m2.costUsd.high).toBeCloseTo(m1.costUsd.high / 2, 10);
    const text = await runCli(['run', '--suite', path.join(work, 'suite.yaml'), '--models', 'local:m1', '--dry-run'], {
      env,
    });
    expect(text.out).toMatch(/^dry run: nothing sent/);
    expect(text.out).toContain('local:m1: 10 requests, ~30 input tokens, $0.27-$0.43');
  });

  it('an unpriced model says so', async () => {
    const r = await runCli(['run', '--suite', 'lab', '--models', 'lab:base', '--dry-run'], { env });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('lab:base');
    expect(r.out).toContain('no price in its profile');
  });
});

describe('phylo run --tags / --limit', () => {
  it('select the tagged probes in suite order, then the first n', () => {
    const suite = loadSuite(path.join(work, 'suite.yaml'));
    expect(selectProbes(suite, { tags: ['even'] }).probes.map((p) => p.id)).toEqual(['q0', 'q2', 'q4', 'q6', 'q8']);
    expect(selectProbes(suite, { tags: ['even'], limit: 2 }).probes.map((p) => p.id)).toEqual(['q0', 'q2']);
    expect(selectProbes(suite, { limit: 3 }).version).toBe('1 [limit=3]');
    expect(selectProbes(suite, {})).toBe(suite);
    expect(() => selectProbes(suite, { tags: ['nope'] })).toThrow(/--tags nope: no probe of suite control.*all, even/);
  });

  it('collect only that part of the suite', async () => {
    const before = server.requests.length;
    const r = await runCli(
      ['run', '--suite', path.join(work, 'suite.yaml'), '--models', 'local:m1', '--tags', 'even', '--limit', '3'],
      { env: { ...env } },
    );
    expect(r.code, r.err).toBe(0);
    expect(server.requests.length - before).toBe(3);
    const prompts = server.requests.slice(before).map((q) => JSON.stringify(q.body));
    for (const id of ['#00', '#02', '#04']) expect(prompts.some((p) => p.includes(id))).toBe(true);
  });
});

describe('phylo run --config', () => {
  const config = (name: string, text: string): string => {
    const file = path.join(work, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('reads models, suite (relative to the file), samples, sampling, seed, budget, name; flags win', async () => {
    const file = config(
      'audit.yaml',
      [
        'name: audit-1',
        'suite: suite.yaml',
        'models: [local:m1, local:m2]',
        'samples: 2',
        'seed: 7',
        'sampling: { temperature: 0.3, maxTokens: 20 }',
        'budget: { maxCost: 100 }',
        'tags: [even]',
        '',
      ].join('\n'),
    );
    const plan = JSON.parse((await runCli(['run', '--config', file, '--dry-run', '--json'], { env })).out);
    expect(plan.run).toBe('audit-1');
    expect(plan.suite).toMatchObject({ name: 'control', probes: 5 });
    expect(plan.estimate.requests).toBe(2 * 5 * 2);
    expect(plan.maxCostUsd).toBe(100);
    const over = JSON.parse(
      (
        await runCli(['run', '--config', file, '--samples', '1', '--models', 'local:m1', '--dry-run', '--json'], {
          env,
        })
      ).out,
    );
    expect(over.estimate.requests).toBe(5);
  });

  it('bad config: one line naming the file and the field, exit 2', async () => {
    const unknown = config('bad1.yaml', 'suite: core\nmodelz: [openai:x]\n');
    const r1 = await runCli(['run', '--config', unknown, '--dry-run'], { env });
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(
      new RegExp(`^phylo: ${unknown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: field "modelz": unknown field`),
    );
    expect(r1.err.trim().split('\n')).toHaveLength(1);
    const wrong = config('bad2.yaml', 'suite: core\nmodels: local:m1\nsampling: { temperature: hot }\n');
    const r2 = await runCli(['run', '--config', wrong], { env });
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/bad2\.yaml: field "sampling\.temperature"/);
    const missing = config('bad3.yaml', 'suite: core\n');
    const r3 = await runCli(['run', '--config', missing], { env });
    expect(r3.code).toBe(2);
    expect(r3.err).toMatch(/--models is required \(or models: in .*bad3\.yaml\)/);
    const r4 = await runCli(['run', '--config', path.join(work, 'nope.yaml')], { env });
    expect(r4.code).toBe(2);
    expect(r4.err).toMatch(/nope\.yaml: cannot read run config \(ENOENT\)/);
  });
});

describe('phylo run --max-cost', () => {
  it('stops once the spend reaches the budget: exit 1, run interrupted, a resume with more budget finishes', async () => {
    const dir = results('budget');
    const args = ['run', '--suite', path.join(work, 'suite.yaml'), '--models', 'local:m1', '--name', 'b'];
    args.push('--results', dir, '--concurrency', '1', '--json');
    const first = await runCli([...args, '--max-cost', '0.05'], { env });
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/stopped at the cost budget: \$0\.0\d+ spent of --max-cost \$0\.05/);
    const r = JSON.parse(first.out);
    expect(r.cancelled).toBe(true);
    expect(r.costUsd).toBeGreaterThanOrEqual(0.05);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.ok).toBeLessThan(10);
    // It stopped at the first sample that reached the budget: without it, the spend was under the budget.
    const store = openStore(dir);
    try {
      const samples = store.samplesOf('b' as never);
      expect(samples.length).toBe(r.ok);
      expect(store.listRuns().find((x) => x.name === 'b')?.status).toBe('interrupted');
    } finally {
      store.close();
    }
    expect(r.costUsd - r.costUsd / r.ok).toBeLessThan(0.05);
    const second = await runCli([...args, '--max-cost', '10'], { env });
    expect(second.code, second.err).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ cancelled: false, resumed: true, ok: 10 - r.ok });
  });

  it('refuses a budget of $0', async () => {
    const r = await runCli(['run', '--suite', 'lab', '--models', 'lab:base', '--max-cost', '0'], { env });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--max-cost: give a budget above \$0/);
  });
});
