// phylo audit equal | drift | identify on real AlpacaEval outputs imported into a store: verdicts, JSON, exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { alpacaEvalDir } from '../analysis/alpaca-fixture.js';

const DATA = alpacaEvalDir();
const MODELS = ['gpt-3.5-turbo-0613', 'gpt-3.5-turbo-1106', 'vicuna-7b-v1.5', 'vicuna-13b-v1.5', 'claude-2'];
let tmp: string;
let results: string;

/** A folder of AlpacaEval models; `swap` serves one model's outputs under another's name (a substituted endpoint). */
function copyModels(to: string, swap: Record<string, string> = {}): void {
  for (const m of MODELS) {
    fs.mkdirSync(path.join(to, m), { recursive: true });
    fs.copyFileSync(path.join(DATA!, swap[m] ?? m, 'model_outputs.json'), path.join(to, m, 'model_outputs.json'));
  }
}

beforeAll(async () => {
  if (!DATA) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-audit-cli-'));
  results = path.join(tmp, 'results');
  copyModels(path.join(tmp, 'may'));
  copyModels(path.join(tmp, 'june'), { 'gpt-3.5-turbo-0613': 'gpt-3.5-turbo-1106' });
  for (const run of ['may', 'june']) {
    const r = await runCli(['import', 'alpaca-eval', path.join(tmp, run), '--name', run, '--results', results]);
    expect(r.code).toBe(0);
  }
}, 120_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!DATA)('phylo audit', () => {
  it('equal: two versions of one model differ (exit 1) with the fields a script reads', async () => {
    const r = await runCli([
      'audit',
      'equal',
      'replay:gpt-3.5-turbo-0613',
      'gpt-3.5-turbo-1106',
      '--run',
      'may',
      '--results',
      results,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      a: 'replay:gpt-3.5-turbo-0613',
      b: 'replay:gpt-3.5-turbo-1106',
      alpha: 0.05,
      reject: true,
      probes: 805,
      permutations: 1000,
    });
    expect(j.pValue).toBeLessThan(0.01);
    expect(typeof j.statistic).toBe('number');
  });

  it('equal across runs: the same model collected twice is not told apart (exit 0), in words', async () => {
    const r = await runCli([
      'audit',
      'equal',
      'vicuna-7b-v1.5',
      'vicuna-7b-v1.5',
      '--run',
      'may',
      '--run-b',
      'june',
      '--results',
      results,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('no difference found at alpha 0.05');
    expect(r.out).toContain('805 shared probes, 1000 permutations');
  });

  it('equal: an unknown model or a bad flag is one line and exit 2', async () => {
    const r = await runCli(['audit', 'equal', 'claude-2', 'gpt-5', '--run', 'may', '--results', results]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('run may has no model gpt-5');
    const bad = await runCli([
      'audit',
      'equal',
      'claude-2',
      'claude-2',
      '--run',
      'may',
      '--alpha',
      '2',
      '--results',
      results,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--alpha 2');
  });

  it('drift: finds the substituted model only, with Holm-adjusted p-values, evidence and trait deltas', async () => {
    const r = await runCli(['audit', 'drift', 'may', 'june', '--results', results, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.correction).toBe('holm');
    expect(j.models).toHaveLength(5);
    const drifted = j.models.filter((m: { reject: boolean }) => m.reject).map((m: { model: string }) => m.model);
    expect(drifted).toEqual(['replay:gpt-3.5-turbo-0613']);
    const top = j.models[0];
    expect(top.adjustedPValue).toBeGreaterThanOrEqual(top.pValue);
    expect(top.changedProbes[0].old[0]).not.toEqual(top.changedProbes[0].new[0]);
    expect(top.traits.map((t: { trait: string }) => t.trait)).toEqual(expect.arrayContaining(['chars', 'refusal']));
    const text = await runCli(['audit', 'drift', 'may', 'june', '--results', results]);
    expect(text.out).toContain('Holm-adjusted over the 5 models');
    expect(text.out).toMatch(/replay:gpt-3\.5-turbo-0613\s+805\s+\S+\s+\S+\s+DRIFTED/);
    expect(text.out).toContain('1 of 5 models drifted');
  });

  it('identify: ranks the sibling first with its bootstrap confidence, then tests equality against it', async () => {
    const r = await runCli([
      'audit',
      'identify',
      'vicuna-7b-v1.5',
      '--run',
      'may',
      '--against',
      'may',
      '--results',
      results,
      '--json',
    ]);
    const j = JSON.parse(r.out);
    expect(j.target).toBe('replay:vicuna-7b-v1.5');
    expect(j.ranking).toHaveLength(4);
    expect(j.ranking[0].model).toBe('replay:vicuna-13b-v1.5');
    expect(j.ranking[0].confidence).toBeGreaterThan(0.5);
    expect(j.ranking[0].distance).toBeLessThan(j.ranking[1].distance);
    expect(j.equal).toMatchObject({ a: 'replay:vicuna-7b-v1.5', b: 'replay:vicuna-13b-v1.5', permutations: 1000 });
    expect(r.code).toBe(j.equal.reject ? 1 : 0);
  });

  it("identify across runs: a target with a reference model's ref is renamed; the served model is found", async () => {
    // june serves gpt-3.5-turbo-1106's outputs as gpt-3.5-turbo-0613: identical answers put may's 1106 first.
    const args = ['audit', 'identify', 'gpt-3.5-turbo-0613', '--run', 'june', '--against', 'may', '--results', results];
    const r = await runCli([...args, '--json']);
    const j = JSON.parse(r.out);
    expect(j.target).toBe('replay:gpt-3.5-turbo-0613');
    expect(j.ranking).toHaveLength(5);
    expect(j.ranking.map((x: { model: string }) => x.model)).toContain('replay:gpt-3.5-turbo-0613');
    expect(j.ranking[0]).toMatchObject({ model: 'replay:gpt-3.5-turbo-1106', confidence: 1 });
    // Not 0: on a few probes another model gave the same answer and shares the vote.
    expect(j.ranking[0].distance).toBeLessThan(0.05);
    expect(j.ranking[1].distance).toBeGreaterThan(0.5);
    expect(j.equal).toMatchObject({ a: 'replay:gpt-3.5-turbo-0613', b: 'replay:gpt-3.5-turbo-1106', reject: false });
    expect(r.code).toBe(0);
    const text = await runCli(args);
    expect(text.out).toContain('signal embed');
    expect(text.out).toContain('verdict: consistent with replay:gpt-3.5-turbo-1106');
  });

  it('identify --signal picks another analysis signal; one it does not know is bad input (exit 2)', async () => {
    const base = ['audit', 'identify', 'claude-2', '--run', 'may', '--against', 'may', '--results', results];
    const traits = await runCli([...base, '--signal', 'traits', '--json', '--permutations', '100']);
    expect(JSON.parse(traits.out)).toMatchObject({ signal: 'traits', target: 'replay:claude-2' });
    expect(JSON.parse(traits.out).ranking).toHaveLength(4);
    const bad = await runCli([...base, '--signal', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--signal nope: use one of embed, traits/);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });
});
