// `phylo run --logprobs K` against a local OpenAI-protocol server, then `phylo tree RUN --signal logprobs`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNewick, robinsonFoulds } from '../../src/phylo/index.js';
import { startOpenAIServer, type ModelRequest, type TestServer } from '../../src/testing/servers/index.js';
import { runCli } from '../helpers/run-cli.js';

const KEY = ['sk', 'phylo-test-logprobs-7a1c'].join('-');
const PROBES = 30;
let server: TestServer;
let work: string;

/**
 * The first word of each answer: the clan's word, except where a subclan or a single model departs from it, so that
 * a1 and a2 differ on 1 probe in 5, a3 from them on 1 in 3 more, and the clans on every probe.
 */
function responder(r: ModelRequest): string {
  const p = Number(/Question (\d+)/.exec(r.prompt)?.[1] ?? 0);
  const m = r.model;
  let word = `${m[0]}${p}`;
  if (p % 3 === (m[0] === 'a' ? 0 : 1)) word = m.endsWith('3') ? `${m[0]}y${p}` : `${m[0]}x${p}`;
  if (p % 5 === 0 && m.endsWith('1')) word = `${m}-${p}`;
  return `${word} and the rest of the answer`;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-logprobs-cmd-'));
  server = await startOpenAIServer({ models: ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'], apiKey: KEY, responder });
  fs.mkdirSync(path.join(work, 'profiles'));
  fs.writeFileSync(
    path.join(work, 'profiles', 'local.yaml'),
    `${[
      'name: local',
      'kind: openai',
      'baseURLEnv: LOCAL_URL',
      'keyEnv: LOCAL_KEY',
      'rateLimit:',
      '  maxConcurrency: 4',
    ].join('\n')}\n`,
  );
  const lines = [
    'name: lp',
    'version: "1"',
    'description: logprobs suite',
    'defaults:',
    '  temperature: 1',
    '  max_tokens: 4',
    '  samples: 1',
    'probes:',
  ];
  for (let i = 0; i < PROBES; i++)
    lines.push(`  - id: q${i}`, '    tags: [t]', '    messages:', `      - { role: user, content: "Question ${i}" }`);
  fs.writeFileSync(path.join(work, 'suite.yaml'), `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const env = () => ({ PHYLO_PROFILES: path.join(work, 'profiles'), LOCAL_URL: server.url, LOCAL_KEY: KEY });
const models = 'local:a1,local:a2,local:a3,local:b1,local:b2,local:b3';

describe('phylo tree --signal logprobs', () => {
  it(
    'builds the lineage from a run collected with --logprobs 5, with bootstrap support',
    { timeout: 120_000 },
    async () => {
      const results = path.join(work, 'results');
      const run = await runCli(
        [
          'run',
          '--suite',
          path.join(work, 'suite.yaml'),
          '--models',
          models,
          '--name',
          'lp',
          '--logprobs',
          '5',
          '--results',
          results,
          '--quiet',
        ],
        { env: env() },
      );
      expect(run.code).toBe(0);
      const chat = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
      expect(chat.length).toBe(6 * PROBES);
      for (const r of chat) expect(r.body).toMatchObject({ logprobs: true, top_logprobs: 5 });

      const tree = await runCli(
        ['tree', 'lp', '--signal', 'logprobs', '--bootstrap', '20', '--results', results, '--json'],
        { env: env() },
      );
      expect(tree.code).toBe(0);
      const summary = JSON.parse(tree.out);
      expect(summary).toMatchObject({ signal: 'logprobs', method: 'bionj', models: 6, probes: PROBES, bootstrap: 20 });
      expect(summary.perSignal[0].metric).toBe('js-divergence(top-5)');
      const truth = parseNewick("(('local:a1','local:a2'),'local:a3',(('local:b1','local:b2'),'local:b3'));");
      expect(robinsonFoulds(parseNewick(summary.newick), truth).rf).toBe(0);
      expect(fs.existsSync(path.join(results, 'lp', 'tree-logprobs-bionj', 'tree.nwk'))).toBe(true);
    },
  );

  it(
    'asks again rather than reusing the cache when --logprobs changes, and says how to fix a run without logprobs',
    { timeout: 120_000 },
    async () => {
      const results = path.join(work, 'results');
      let before = server.requests.length;
      // The same prompts with the same --logprobs under another name come from the cache...
      const again = await runCli(
        [
          'run',
          '--suite',
          path.join(work, 'suite.yaml'),
          '--models',
          models,
          '--name',
          'lp-again',
          '--logprobs',
          '5',
          '--results',
          results,
          '--quiet',
        ],
        { env: env() },
      );
      expect(again.code).toBe(0);
      expect(server.requests.length - before).toBe(0);
      before = server.requests.length;
      const plain = await runCli(
        [
          'run',
          '--suite',
          path.join(work, 'suite.yaml'),
          '--models',
          models,
          '--name',
          'plain',
          '--results',
          results,
          '--quiet',
        ],
        { env: env() },
      );
      expect(plain.code).toBe(0);
      // ...but without logprobs they have another cache key, so every sample is requested again.
      expect(server.requests.length - before).toBe(6 * PROBES);
      const tree = await runCli(['tree', 'plain', '--signal', 'logprobs', '--results', results], { env: env() });
      expect(tree.code).toBe(2);
      expect(tree.err).toMatch(/logprobs.*--logprobs 20/);
      const bad = await runCli(
        [
          'run',
          '--suite',
          path.join(work, 'suite.yaml'),
          '--models',
          models,
          '--name',
          'bad',
          '--logprobs',
          '21',
          '--results',
          results,
        ],
        { env: env() },
      );
      expect(bad.code).toBe(2);
    },
  );
});
