// The zoo as a run: its ground truth with leaves named as runs name them (`lab:NAME`), and collection of a suite
// from its leaves through the same collect/store code as `phylo run`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { prepareRun, startCollection, type CollectResult } from '../../collect/index.js';
import { InputError } from '../../core/errors.js';
import { modelRef, runName } from '../../core/refs.js';
import type { RunData } from '../../core/run.js';
import type { ModelRef, Suite } from '../../core/types.js';
import { parseNewick, type Tree, type TreeNode } from '../../phylo/index.js';
import type { SqliteStore } from '../../store/sqlite.js';
import { createLabProvider } from '../provider.js';
import { TRUTH_FILE } from '../zoo.js';

export const LAB_PREFIX = 'lab';

/** The zoo's ground truth, with leaves named as the run names them (`lab:NAME`). */
export async function readTruth(zooDir: string): Promise<Tree> {
  const file = path.join(zooDir, TRUTH_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(
      `zoo ${zooDir}: no ${TRUTH_FILE}; train the zoo with "phylo lab train --out ${zooDir}" (it writes the ` +
        `ground truth)`,
    );
  }
  return parseNewick(text, file);
}

export function relabel(tree: Tree, f: (label: string) => string): Tree {
  const walk = (n: TreeNode): TreeNode =>
    n.children.length === 0
      ? { ...n, ...(n.name !== undefined ? { name: f(n.name) } : {}) }
      : { ...n, children: n.children.map(walk) };
  return { ...tree, root: walk(tree.root) };
}

export const asRef = (name: string): string => `${LAB_PREFIX}:${name}`;

/** Collect `suite` from the zoo's leaves into the store, in process, through the collector (resumable by name). */
export async function collectZooRun(options: {
  store: SqliteStore;
  suite: Suite;
  zooDir: string;
  models: readonly string[];
  name: string;
  samples?: number;
  concurrency?: number;
  listeners?: Parameters<typeof startCollection>[0]['listeners'];
}): Promise<{ result: CollectResult; data: RunData }> {
  const provider = createLabProvider({ zooDir: options.zooDir });
  const models: ModelRef[] = options.models.map((m) => modelRef(asRef(m)));
  const name = runName(options.name);
  const prepared = prepareRun(
    options.store,
    { name, suite: options.suite, models, samples: options.samples ?? options.suite.defaults.samples },
    'lab',
  );
  const collection = startCollection({
    store: options.store,
    spec: prepared.spec,
    providerFor: () => provider,
    concurrency: () => options.concurrency ?? 2,
    timeoutMs: 120_000,
    maxAttempts: 2,
    ...(options.listeners ? { listeners: options.listeners } : {}),
  });
  const result = await collection.done;
  return { result, data: options.store.loadRun(name) };
}

/** A run restricted to some probes and to the first `samplesPerProbe` samples of each. */
export function subsetRun(data: RunData, probes: ReadonlySet<string> | undefined, samplesPerProbe: number): RunData {
  return {
    run: data.run,
    samples: data.samples.filter((s) => s.index < samplesPerProbe && (!probes || probes.has(s.probe))),
  };
}
