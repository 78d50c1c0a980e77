// `phylo run --adaptive --budget N` through the CLI against our OpenAI wire server (loopback): the budget is a hard cap
// per model, the probes that separate the models get the follow-up, the scores are stored and shown, a killed run
// resumes without a second pilot, and bad flags are one line naming the flag (exit 2).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSeed } from '../../src/core/random.js';
import type { RunName } from '../../src/core/types.js';
import { openStore } from '../../src/store/sqlite.js';
import { startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { runInProcess, startCli } from '../collect/cli.js';
import { tempDir } from '../collect/fakes.js';

const KEY = ['sk', 'phylo-adaptive-key-7c1e'].join('-');
const MODELS = ['m1', 'm2', 'm3'];
/** The probes whose answer depends on the model; the others answer alike for every model. */
const SEPARATING = new Set([1, 4, 6, 8]);
const PHRASE: Record<string, string> = {
  m1: 'the sea is wide and deep tonight',
  m2: 'bright fires warm the long hall',
  m3: 'numbers add up in tidy rows',
};
const NOISE = ['alpha', 'beta', 'gamma'];

let server: TestServer;
let work: string;

function writeSuite(file: string, probes: number): void {
  const lines = ['name: adaptive', 'version: "1"', 'description: adaptive test suite'];
  lines.push('defaults: { temperature: 1, max_tokens: 32, samples: 1 }', 'probes:');
  for (let i = 0; i < probes; i++)
    lines.push(`  - id: q${i}`, '    tags: [t]', '    messages:', `      - { role: user, content: "Question ${i}" }`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  work = tempDir('phylo-adaptive-');
  server = await startOpenAIServer({
    models: MODELS,
    apiKey: KEY,
    latencyMs: 5,
    // Within a model the answer varies only in its last word (the seed's); across models a separating probe differs.
    responder: (r) => {
      const i = Number(r.prompt.split(' ')[1]);
      const noise = NOISE[(r.seed ?? 0) % NOISE.length]!;
      return SEPARATING.has(i) ? `${PHRASE[r.model]} ${noise}` : `everyone answers alike ${noise}`;
    },
  });
  fs.mkdirSync(path.join(work, 'profiles'));
  fs.writeFileSync(
    path.join(work, 'profiles', 'local.yaml'),
    'name: local\nkind: openai\nbaseURLEnv: LOCAL_URL\nkeyEnv: LOCAL_KEY\nrateLimit:\n  maxConcurrency: 2\n',
  );
  fs.writeFileSync(
    path.join(work, 'profiles', 'priced.yaml'),
    'name: priced\nkind: openai\nbaseURLEnv: LOCAL_URL\nkeyEnv: LOCAL_KEY\nrateLimit:\n  maxConcurrency: 1\n' +
      'prices:\n  m1: { input: 1000, output: 1000 }\n  m2: { input: 1000, output: 1000 }\n  m3: { input: 1000, output: 1000 }\n',
  );
  writeSuite(path.join(work, 'suite.yaml'), 10);
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({
  PHYLO_PROFILES: path.join(work, 'profiles'),
  LOCAL_URL: server.url,
  LOCAL_KEY: KEY,
});

const args = (name: string, ...extra: string[]): string[] => [
  'run',
  '--suite',
  path.join(work, 'suite.yaml'),
  '--models',
  MODELS.map((m) => `local:${m}`).join(','),
  '--name',
  name,
  '--results',
  path.join(work, 'results'),
  '--quiet',
  ...extra,
];

interface ChatBody {
  readonly model: string;
  readonly seed?: number;
  readonly messages: readonly { readonly content: string }[];
}

/** The requests of one run (each test uses its own seed, so runs never share the response cache). */
function requestsWithSeed(runSeed: number, from = 0): ChatBody[] {
  const mine = new Set<number>();
  for (const m of MODELS)
    for (let q = 0; q < 10; q++) for (let i = 0; i < 8; i++) mine.add(sampleSeed(runSeed, m, `q${q}`, i));
  return server.requests
    .slice(from)
    .filter((r) => r.path.endsWith('/chat/completions'))
    .map((r) => r.body as ChatBody)
    .filter((b) => b.seed !== undefined && mine.has(b.seed));
}

const countBy = <T>(xs: readonly T[], key: (x: T) => string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const x of xs) out.set(key(x), (out.get(key(x)) ?? 0) + 1);
  return out;
};

describe('phylo run --adaptive (loopback OpenAI server)', () => {
  it('spends exactly the plan per model, never over --budget, and the follow-up goes to the separating probes', async () => {
    // 10 probes x 2 pilot samples = 20, then (47 - 20) / 6 = 4 probes x 6 more = 24: 44 queries of a budget of 47.
    const r = await runInProcess(args('sep', '--adaptive', '--budget', '47', '--samples', '8', '--seed', '11'), env());
    expect(r.code, r.stderr).toBe(0);
    const sent = requestsWithSeed(11);
    expect([...countBy(sent, (b) => b.model).values()]).toEqual([44, 44, 44]);
    const store = openStore(path.join(work, 'results'));
    try {
      const stored = store.samplesOf('sep' as RunName);
      expect([...countBy(stored, (s) => s.model).values()]).toEqual([44, 44, 44]);
      const scores = store.probeScores().scores('sep');
      expect(scores).toHaveLength(10);
      const chosen = scores.filter((s) => s.chosen).map((s) => s.probe);
      expect(new Set(chosen)).toEqual(new Set([...SEPARATING].map((i) => `q${i}`)));
      // Best first, and the choice is the best four.
      expect(scores.slice(0, 4).every((s) => s.chosen)).toBe(true);
      // Two pilot samples are a noisy estimate of within-model divergence (a probe every model answers alike can
      // reach F ~ 2.5 when each model's two samples happen to agree), but a probe that separates models scores far more.
      const f = (chosen: boolean) => scores.filter((s) => s.chosen === chosen).map((s) => s.f);
      expect(Math.min(...f(true))).toBeGreaterThan(2 * Math.max(...f(false)));
      // The chosen probes have 8 samples per model, the others the pilot's 2.
      const perProbe = countBy(stored, (s) => s.probe);
      for (const [probe, n] of perProbe) expect(n).toBe(chosen.includes(probe) ? 24 : 6);
      expect(store.probeScores().plan('sep')).toMatchObject({
        budget: 47,
        pilotSamples: 2,
        samples: 8,
        candidates: 10,
        selected: 4,
        followUpSamples: 6,
        divergence: 'tfidf-cosine',
        chosen: 4,
        seed: 11,
      });
    } finally {
      store.close();
    }
  });

  // The server's made-up logprobs list a different token set for every first token, so Hellinger on the tokens both
  // list sees no difference to measure (test/collect/adaptive-lab.test.ts has real distributions): this checks the
  // divergence is chosen from the samples and the budget holds.
  it('with --logprobs the pilot is scored by Hellinger on the next-token distributions', async () => {
    const r = await runInProcess(
      args('lp', '--adaptive', '--budget', '44', '--samples', '8', '--logprobs', '5', '--seed', '12', '--json'),
      env(),
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: number; adaptive: { divergence: string; chosen: number } };
    expect(out).toMatchObject({ ok: 132, adaptive: { divergence: 'hellinger', chosen: 4 } });
    expect([...countBy(requestsWithSeed(12), (b) => b.model).values()]).toEqual([44, 44, 44]);
  });

  it('phylo show prints the plan and the best probes with F; --json has every score', async () => {
    const shown = await runInProcess(['show', 'sep', '--results', path.join(work, 'results')], env());
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      'adaptive: budget 47 queries per model: pilot 10 probes x 2 samples (20), then the 4 best by F x 6 more ' +
        'samples (24); 44 queries per model',
    );
    expect(shown.stdout).toContain('pilot scored by tfidf-cosine: 4 probes chosen, seed 11');
    expect(shown.stdout).toContain('10 probes x 2 samples (the 4 chosen: 8), 3 models');
    expect(shown.stdout).toMatch(/probe +F +between +within +chosen\nq[1468] +\d/);
    // The plan, not the suite's count, says what is missing: nothing.
    expect(shown.stdout).toMatch(/local:m1 +44\/44 +0 +0 +0 /);
    const json = await runInProcess(['show', 'sep', '--results', path.join(work, 'results'), '--json'], env());
    const parsed = JSON.parse(json.stdout) as { adaptive: { scores: { chosen: boolean }[] } };
    expect(parsed.adaptive.scores).toHaveLength(10);
  });

  it('phylo tree --probes chosen analyses the chosen probes only; a run without a pilot is one line, exit 2', async () => {
    const results = path.join(work, 'results');
    const tree = (run: string, probes: string) =>
      runInProcess(['tree', run, '--results', results, '--bootstrap', '0', '--probes', probes, '--json'], env());
    const chosen = await tree('sep', 'chosen');
    expect(chosen.code, chosen.stderr).toBe(0);
    expect((JSON.parse(chosen.stdout) as { probes: number }).probes).toBe(4);
    const all = await tree('sep', 'all');
    expect((JSON.parse(all.stdout) as { probes: number }).probes).toBe(10);
    const plain = await runInProcess(args('plain', '--seed', '14'), env());
    expect(plain.code, plain.stderr).toBe(0);
    const refused = await tree('plain', 'chosen');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'phylo: --probes chosen: run "plain" was not collected with phylo run --adaptive',
    );
    expect((await tree('sep', 'some')).stderr.trim()).toBe('phylo: --probes some: use all or chosen');
  });

  it('a run killed in the follow-up resumes it with the stored choice: no pilot request is sent again', async () => {
    const name = 'killed';
    const pilotSeeds = new Set<number>();
    for (const m of MODELS)
      for (let q = 0; q < 10; q++) for (const i of [0, 1]) pilotSeeds.add(sampleSeed(13, m, `q${q}`, i));
    const before = server.requests.length;
    const slow = ['--adaptive', '--budget', '44', '--samples', '8', '--seed', '13', '--concurrency', '1'];
    const child = startCli(args(name, ...slow), env());
    // Kill once the follow-up has started: past the 60 pilot requests.
    for (let t = 0; requestsWithSeed(13, before).length < 75; t++) {
      if (t > 3000) throw new Error('the run never reached its follow-up');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.child.kill('SIGKILL');
    await child.done;
    const killedAt = server.requests.length;
    const resumed = await runInProcess(
      args(name, ...slow).filter((a) => a !== '--quiet'),
      env(),
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/adaptive: resuming the follow-up of 4 of 10 probes by F \(tfidf-cosine, read back/);
    expect(resumed.stderr).not.toMatch(/adaptive: pilot of/);
    const after = requestsWithSeed(13, killedAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((b) => pilotSeeds.has(b.seed!))).toEqual([]);
    const store = openStore(path.join(work, 'results'));
    try {
      expect([...countBy(store.samplesOf(name as RunName), (s) => s.model).values()]).toEqual([44, 44, 44]);
      expect(
        store
          .probeScores()
          .scores(name)
          .filter((s) => s.chosen),
      ).toHaveLength(4);
    } finally {
      store.close();
    }
  }, 120_000);

  it('refuses a plain run of an adaptive name, and an adaptive resume with another budget', async () => {
    const plain = await runInProcess(args('sep', '--seed', '11'), env());
    expect(plain.code).toBe(2);
    expect(plain.stderr.trim()).toBe(
      'phylo: run "sep" is adaptive; resume it with --adaptive --budget 47 --pilot-samples 2 --samples 8, or use ' +
        'another --name',
    );
    const other = await runInProcess(
      args('sep', '--adaptive', '--budget', '60', '--samples', '8', '--seed', '11'),
      env(),
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/run "sep" is adaptive with --budget 47 --pilot-samples 2 --samples 8 over 10 probes/);
  });

  it('bad --budget: one line naming the flag, exit 2, nothing created', async () => {
    const results = path.join(work, 'bad-results');
    const bad = async (...extra: string[]) => {
      const r = await runInProcess([...args('bad', ...extra).slice(0, -2), '--results', results, ...extra], env());
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      return r.stderr.trim();
    };
    expect(await bad('--adaptive', '--budget', '0')).toBe('phylo: --budget 0: give a whole number >= 1');
    expect(await bad('--adaptive', '--budget', 'lots')).toBe('phylo: --budget lots: give a whole number >= 1');
    expect(await bad('--adaptive', '--budget', '15', '--samples', '8')).toMatch(
      /^phylo: --budget: 15 queries per model is less than the pilot's 20 \(10 probes x 2 samples\)/,
    );
    expect(await bad('--adaptive', '--budget', '22', '--samples', '8')).toMatch(/^phylo: --budget: 22 .* leaves 2/);
    expect(await bad('--adaptive', '--samples', '8')).toMatch(/^phylo: --budget: --adaptive needs the queries/);
    expect(await bad('--budget', '100')).toBe('phylo: --budget: only with --adaptive (e.g. --adaptive --budget 200)');
    expect(await bad('--adaptive', '--budget', '100')).toMatch(/^phylo: --samples: an adaptive run brings/);
    expect(fs.existsSync(results)).toBe(false);
  });

  it('--max-cost counts both phases: a budget the pilot fits under stops the follow-up; a resume finishes', async () => {
    const priced = (name: string, ...extra: string[]) =>
      args(name, '--adaptive', '--budget', '44', '--samples', '8', '--seed', '21', '--json', ...extra).map((a) =>
        a.startsWith('local:') ? a.replaceAll('local:', 'priced:') : a,
      );
    const full = await runInProcess(priced('priced-full'), env());
    expect(full.code, full.stderr).toBe(0);
    const whole = (JSON.parse(full.stdout) as { costUsd: number }).costUsd;
    // The pilot is 60 of the 132 samples (under half the cost): a per-phase guard would let the follow-up finish.
    const cap = 0.8 * whole;
    const stopped = await runInProcess(priced('priced-cap', '--fresh', '--max-cost', cap.toFixed(6)), env());
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/stopped at the cost budget/);
    const r = JSON.parse(stopped.stdout) as { ok: number; costUsd: number; cancelled: boolean };
    expect(r.cancelled).toBe(true);
    expect(r.ok).toBeGreaterThan(60);
    expect(r.ok).toBeLessThan(132);
    expect(r.costUsd).toBeGreaterThanOrEqual(cap);
    const resumed = await runInProcess(priced('priced-cap', '--fresh', '--max-cost', '100'), env());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ ok: 132 - r.ok, resumed: true });
  });

  it('a run config sets it too: adaptive: { budget, pilotSamples } as --adaptive --budget --pilot-samples', async () => {
    const config = path.join(work, 'adaptive.yaml');
    fs.writeFileSync(
      config,
      `suite: ${path.join(work, 'suite.yaml')}\nmodels: [local:m1]\nsamples: 5\nadaptive: { budget: 33, pilotSamples: 1 }\n`,
    );
    const r = await runInProcess(['run', '--config', config, '--dry-run', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    // 10 probes x 1 = 10, then 5 probes x 4 more = 20: 30 of 33.
    expect(JSON.parse(r.stdout)).toMatchObject({
      estimate: { requests: 30 },
      adaptive: { budget: 33, pilotSamples: 1, samples: 5, selected: 5, followUpSamples: 4 },
    });
  });

  it('--dry-run prints the whole budget: pilot, follow-up, and the cost of both against --max-cost', async () => {
    const r = await runInProcess(args('dry', '--adaptive', '--budget', '47', '--samples', '8', '--dry-run'), env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pilot 10 probes x 2 samples (20), then the 4 best by F x 6 more samples (24)');
    expect(r.stdout).toContain('local:m1: 44 requests');
    const json = await runInProcess(
      args('dry', '--adaptive', '--budget', '47', '--samples', '8', '--dry-run', '--json'),
      env(),
    );
    const plan = JSON.parse(json.stdout) as { estimate: { requests: number }; adaptive: { selected: number } };
    expect(plan.estimate.requests).toBe(132);
    expect(plan.adaptive.selected).toBe(4);
  });
});
