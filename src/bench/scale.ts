// A big run stays fast and small: a synthetic stored run of 500 models x 1,000 probes (500,000 samples) in a
// temporary results folder, then `phylo tree` on it with its default 100 bootstrap replicates, as a child process
// (wall time and peak RSS from /usr/bin/time -v). Targets (issue 13): under 60 s, peak RSS under 2 GB.
// SCALE_MODELS / SCALE_PROBES / SCALE_BOOTSTRAP shrink it for a quick look (the defaults are the benchmark).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomInt, seededRng, type Rng } from '../core/random.js';
import type { ModelRef, Probe, ProbeId, RunName, Suite } from '../core/types.js';
import type { SampleWrite } from '../store/rows.js';
import { DB_FILE, openStore } from '../store/sqlite.js';
import type { Benchmark } from './index.js';

const FAMILY_SIZE = 10;
const WORDS_PER_ANSWER = 60;
const PROBE_VOCABULARY = 400;
/** Share of an answer's words a family changes from the probe's base answer, and a model from its family's. */
const FAMILY_DRIFT = 0.3;
const MODEL_DRIFT = 0.15;

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

function randomWord(rng: Rng): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let w = '';
  const len = 3 + randomInt(rng, 7);
  for (let i = 0; i < len; i++) w += letters[randomInt(rng, letters.length)];
  return w;
}

/** A word index drawn from a Zipf-like law over the probe's vocabulary (a few common words, a long tail). */
function zipfIndex(rng: Rng, size: number): number {
  return Math.min(size - 1, Math.floor(size ** rng()) - 1);
}

/** `words` with a share `rate` of positions replaced by fresh draws from the vocabulary. */
function mutate(rng: Rng, words: readonly number[], rate: number, size: number): number[] {
  return words.map((w) => (rng() < rate ? zipfIndex(rng, size) : w));
}

/**
 * Write the synthetic run: each probe has its own vocabulary and base answer; a family of 10 models rewrites a share
 * of the base's words, each model a further share of its family's, so the true tree is 50 clades of 10.
 */
export function writeSyntheticRun(results: string, name: RunName, models: number, probes: number, seed: number): void {
  const rng = seededRng(seed);
  const families = Math.ceil(models / FAMILY_SIZE);
  const vocabularies: string[][] = [];
  const familyAnswers: number[][][] = [];
  for (let p = 0; p < probes; p++) {
    vocabularies.push(Array.from({ length: PROBE_VOCABULARY }, () => randomWord(rng)));
    const base = Array.from({ length: WORDS_PER_ANSWER }, () => zipfIndex(rng, PROBE_VOCABULARY));
    familyAnswers.push(Array.from({ length: families }, () => mutate(rng, base, FAMILY_DRIFT, PROBE_VOCABULARY)));
  }
  const refs = Array.from(
    { length: models },
    (_, m) => `replay:fam${Math.floor(m / FAMILY_SIZE)}-m${m % FAMILY_SIZE}` as ModelRef,
  );
  const suiteProbes: Probe[] = Array.from({ length: probes }, (_, p) => ({
    id: `p${p}` as ProbeId,
    tags: [],
    prompt: { kind: 'chat', messages: [{ role: 'user', content: `question ${p}` }] },
  }));
  const suite: Suite = {
    name: 'scale',
    version: '1',
    description: 'synthetic run of the scale benchmark',
    defaults: { sampling: { temperature: 0.7, maxTokens: 256 }, samples: 1 },
    probes: suiteProbes,
  };
  const store = openStore(results);
  try {
    store.createRun({ name, suite, models: refs, samples: 1, origin: 'import:jsonl', status: 'finished' });
    const at = new Date(0).toISOString();
    for (let m = 0; m < models; m++) {
      const batch: SampleWrite[] = [];
      for (let p = 0; p < probes; p++) {
        const words = mutate(rng, familyAnswers[p]![Math.floor(m / FAMILY_SIZE)]!, MODEL_DRIFT, PROBE_VOCABULARY);
        const vocabulary = vocabularies[p]!;
        batch.push({
          run: name,
          model: refs[m]!,
          probe: suiteProbes[p]!.id,
          index: 0,
          outcome: {
            status: 'ok',
            text: words.map((w) => vocabulary[w]).join(' '),
            finishReason: 'stop',
            usage: { inputTokens: 10, outputTokens: WORDS_PER_ANSWER },
            temperatureUsed: 0.7,
          },
          latencyMs: 100,
          attempts: 1,
          costUsd: 0,
          at,
        });
      }
      store.writeBatch(batch);
    }
    store.checkpoint();
  } finally {
    store.close();
  }
}

interface ChildFigures {
  readonly wall: number;
  readonly cpu: number;
  readonly peakRssMb: number;
  readonly stderr: string;
}

/** Run the CLI under /usr/bin/time -v: wall seconds and the child's peak resident set. */
function timedCli(args: readonly string[]): ChildFigures {
  const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli.js');
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`phylo ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const figure = (label: string) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(r.stderr)?.[1] ?? Number.NaN);
  const cpu = figure('User time \\(seconds\\)') + figure('System time \\(seconds\\)');
  return { wall, cpu, peakRssMb: figure('Maximum resident set size \\(kbytes\\)') / 1024, stderr: r.stderr };
}

export const benchmark: Benchmark = {
  name: 'scale',
  run: async () => {
    if (!fs.existsSync('/usr/bin/time')) {
      process.stdout.write('skipped: /usr/bin/time not found (apt-get install time) to measure peak RSS\n');
      return;
    }
    const models = envInt('SCALE_MODELS', 500);
    const probes = envInt('SCALE_PROBES', 1000);
    const bootstrap = process.env.SCALE_BOOTSTRAP ?? '100';
    const results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-scale-'));
    try {
      const name = 'scale' as RunName;
      const t0 = performance.now();
      writeSyntheticRun(results, name, models, probes, 13);
      const mb = fs.statSync(path.join(results, DB_FILE)).size / 2 ** 20;
      process.stdout.write(
        `synthetic run: ${models} models x ${probes} probes (${models * probes} samples, ${WORDS_PER_ANSWER} words ` +
          `each, families of ${FAMILY_SIZE}), written in ${((performance.now() - t0) / 1000).toFixed(1)} s, ` +
          `${mb.toFixed(0)} MB\n`,
      );
      const out = path.join(results, 'tree');
      const args = ['tree', name, '--results', results, '--out', out, '--json', '--bootstrap', bootstrap];
      const run = timedCli(args);
      const stages = run.stderr
        .split('\n')
        .filter((l) => l.startsWith('phenotype') || l.startsWith('tree') || l.startsWith('bootstrap'));
      const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
        timings?: Record<string, number>;
      };
      const t = summary.timings;
      process.stdout.write(
        `phylo tree (default signal and method, ${bootstrap} bootstrap replicates): ${run.wall.toFixed(1)} s wall, ` +
          `${run.cpu.toFixed(1)} s CPU, ` +
          `peak RSS ${(run.peakRssMb / 1024).toFixed(2)} GB (targets: < 60 s, < 2 GB)\n` +
          (t
            ? `  inside: ${Object.entries(t)
                .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
                .join(', ')}\n`
            : '') +
          `  stages: ${stages.join('; ')}\n`,
      );
    } finally {
      fs.rmSync(results, { recursive: true, force: true });
    }
  },
};
