// Leave-one-family-out validation of the default analysis on the real AlpacaEval data (../shared/data/alpaca_eval,
// 38 models x 805 probes, 14 families of at least two): for every candidate matrix (./lofo-candidates.ts) x tree
// method, the families recovered as clades and 1-NN family accuracy; then, for each family in turn, the
// configuration that does best on the OTHER families is chosen (./lofo-selection.ts) and we record whether it
// recovers the held-out one. The labels score configurations; they never enter a distance or a tree. The default
// should be what this selection chooses, not what does best on all 14. The selection runs twice: scored on the full
// data, and scored as the mean over bootstrap replicates of the probes (seeded), since on the full data one model's
// placement can decide it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysedRun } from '../analysis/analysed-run.js';
import { DEFAULT_METHOD, DEFAULT_SIGNAL } from '../analysis/signals/index.js';
import { randomInt, seededRng } from '../core/random.js';
import type { RunData } from '../core/run.js';
import { responseTable } from '../phenotype/responses.js';
import { TREE_METHODS } from '../phylo/index.js';
import { importAlpacaEval } from '../store/import-alpaca-eval.js';
import { openStore } from '../store/sqlite.js';
import { alpacaDataDir, alpacaFamilies } from './alpaca-data.js';
import type { Benchmark } from './index.js';
import { candidates, defaultCandidateName } from './lofo-candidates.js';
import {
  best,
  cladesOf,
  evaluate,
  evaluateBagged,
  label,
  leaveOneFamilyOut,
  recovers,
  share,
  type Families,
  type Outcome,
} from './lofo-selection.js';

const BOOTSTRAP_REPLICATES = 20;
const BOOTSTRAP_SEED = 1;
const pad = (s: string, n: number) => s.padEnd(n);
const nnOf = (o: Outcome) => share(o.nnTree);
type Say = (line: string) => void;

/** Cells: clades and tree 1-NN on the full data, then the mean clades over the bootstrap replicates. */
function printTable(full: readonly Outcome[], bagged: readonly Outcome[], families: number, say: Say): void {
  const w = Math.max(...full.map((o) => o.variant.length));
  say(`${pad('signal variant', w)}  ${TREE_METHODS.map((m) => pad(m, 20)).join('')}1-NN by matrix`);
  const variants = [...new Set(full.map((o) => o.variant))];
  for (const v of variants) {
    const cells = TREE_METHODS.map((m) => {
      const o = full.find((x) => x.variant === v && x.method === m)!;
      const b = bagged.find((x) => x.variant === v && x.method === m)!;
      const mean = [...b.recovered.values()].reduce((a, x) => a + x, 0);
      return pad(`${cladesOf(o)}/${families} ${nnOf(o).toFixed(3)} ~${mean.toFixed(1)}`, 20);
    });
    say(`${pad(v, w)}  ${cells.join('')}${share(full.find((x) => x.variant === v)!.nnMatrix).toFixed(3)}`);
  }
}

/** The leave-one-family-out selection by one criterion; returns the configuration chosen most often. */
function printSelection(
  title: string,
  scoredBy: readonly Outcome[],
  full: readonly Outcome[],
  familyNames: readonly string[],
  families: Families,
  say: Say,
): string {
  say(`\n${title}`);
  const folds = leaveOneFamilyOut(scoredBy, familyNames, families);
  const chosen = new Map<string, number>();
  let recovered = 0;
  for (const f of folds) {
    chosen.set(label(f.pick), (chosen.get(label(f.pick)) ?? 0) + 1);
    // Held out: recovered in the chosen configuration's full-data tree, and its share over the replicates.
    const onFull = recovers(full.find((o) => label(o) === label(f.pick))!, f.family);
    if (onFull) recovered++;
    say(
      `  ${pad(f.family, 17)} ${pad(label(f.pick), 52)} ${onFull ? 'recovered' : 'MISSED   '}` +
        `  (${f.tied} tied; recovery over them ${f.recoveringShare.toFixed(2)})`,
    );
  }
  const expected = folds.reduce((a, f) => a + f.recoveringShare, 0);
  say(
    `held-out families recovered: ${recovered}/${familyNames.length} in the full-data tree of the first tied ` +
      `choice; ${expected.toFixed(2)}/${familyNames.length} by the criterion's own measure, averaged over ties`,
  );
  const ranked = [...chosen].sort((a, b) => b[1] - a[1]);
  say(`chosen most often: ${ranked.map(([c, n]) => `${c} (${n})`).join(', ')}`);
  return ranked[0]![0];
}

function loadAlpaca(dir: string): RunData {
  const results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-lofo-'));
  try {
    const store = openStore(results);
    importAlpacaEval(store, dir, { name: 'alpaca' });
    const data = store.loadRun('alpaca' as never);
    store.close();
    return data;
  } finally {
    fs.rmSync(results, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'lofo',
  run: async () => {
    const dir = alpacaDataDir();
    if (!dir) {
      process.stdout.write('skipped: ../shared/data/alpaca_eval not found\n');
      return;
    }
    const say = (line: string) => process.stdout.write(`${line}\n`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const data = loadAlpaca(dir);
    const families = alpacaFamilies(dir);
    say(`${data.run.models.length} models; signal matrices:`);
    const run = new AnalysedRun(data);
    if (!run.signals.includes('alleles'))
      say('  alleles: not available (one sample per probe; PhyloLM genes need several)');
    const rng = seededRng(BOOTSTRAP_SEED);
    const probes = data.run.suite.probes.length;
    const draws = Array.from({ length: BOOTSTRAP_REPLICATES }, () => {
      const counts = new Float64Array(probes);
      for (let i = 0; i < probes; i++) counts[randomInt(rng, probes)]!++;
      return counts;
    });
    const table = responseTable(data);
    if (table.probes.length !== probes) throw new Error('lofo: every AlpacaEval probe should have an answer');
    const list = candidates(run, table, draws, say);
    const t1 = performance.now();
    const full = list.flatMap((c) => TREE_METHODS.map((m) => evaluate(c, m, families)));
    const bagged = list.flatMap((c) => TREE_METHODS.map((m) => evaluateBagged(c, m, families)));
    say(
      `${list.length} matrices x ${TREE_METHODS.length} methods x (1 + ${BOOTSTRAP_REPLICATES} replicates): ` +
        `trees ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );
    const familyNames = [...full[0]!.recovered.keys()].sort();

    say(
      '\nfamilies recovered as clades / 1-NN accuracy by patristic distance / ~mean clades over ' +
        `${BOOTSTRAP_REPLICATES} bootstrap replicates (seed ${BOOTSTRAP_SEED}), per signal variant and tree method:`,
    );
    printTable(full, bagged, familyNames.length, say);

    const title = 'leave-one-family-out: for each family, the configuration best on the other families';
    printSelection(`${title} (full data: clades, then 1-NN):`, full, full, familyNames, families, say);
    const baggedPick = printSelection(
      `${title} (mean over the bootstrap replicates: clades, then 1-NN):`,
      bagged,
      full,
      familyNames,
      families,
      say,
    );
    const describe = (o: Outcome) => {
      const missed = familyNames.filter((f) => !recovers(o, f));
      const wrong = (calls: ReadonlyMap<string, number>) => [...calls].filter(([, ok]) => ok === 0).map(([m]) => m);
      const b = bagged.find((x) => label(x) === label(o))!;
      const mean = [...b.recovered.values()].reduce((a, x) => a + x, 0);
      return (
        `${label(o)}: ${cladesOf(o)}/${familyNames.length} clades` +
        `${missed.length ? ` (misses ${missed.join(', ')})` : ''}, ` +
        `1-NN ${nnOf(o).toFixed(3)} in the tree (wrong: ${wrong(o.nnTree).join(', ') || 'none'}), ` +
        `${share(o.nnMatrix).toFixed(3)} in the matrix (wrong: ${wrong(o.nnMatrix).join(', ') || 'none'}); ` +
        `over replicates ${mean.toFixed(2)} clades, 1-NN ${nnOf(b).toFixed(3)} tree, ` +
        `${share(b.nnMatrix).toFixed(3)} matrix`
      );
    };
    const all = best(full, () => true, families);
    say(`\nbest on all families, full data (${all.length} tied):`);
    for (const o of all) say(`  ${describe(o)}`);
    const allBagged = best(bagged, () => true, families);
    say(`best on all families, over replicates (${allBagged.length} tied):`);
    for (const o of allBagged) say(`  ${describe(full.find((x) => label(x) === label(o))!)}`);
    const incumbent = full.find(
      (o) => o.variant === defaultCandidateName() && o.method === DEFAULT_METHOD[DEFAULT_SIGNAL],
    );
    if (incumbent) say(`current default:\n  ${describe(incumbent)}`);
    say(`chosen most often by the bagged selection:\n  ${describe(full.find((o) => label(o) === baggedPick)!)}`);
    const cpu = process.cpuUsage(cpu0);
    say(
      `total ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (target < 300 s)`,
    );
  },
};
