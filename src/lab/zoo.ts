// Train a zoo from its recipe, one node at a time in parent-before-child order. Every node is checkpointed as soon as
// it is trained, and a node whose checkpoint matches its fingerprint is loaded instead of retrained, so an
// interrupted training resumes where it stopped.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { writeNewick } from '../phylo/newick.js';
import { loadCheckpoint, readCheckpointMeta, roundToF16, saveCheckpoint, type CheckpointMeta } from './checkpoint.js';
import { DATASET_IDS, type Dataset, type DatasetId, loadDataset } from './corpora.js';
import { initModel, type Model } from './model.js';
import { nodeFingerprint, truthTree, type Recipe } from './recipe.js';
import { bitsPerByte, trainParallel, type TrainProgress } from './train.js';

export type ZooEvent =
  | {
      readonly type: 'node-start';
      readonly node: string;
      readonly index: number;
      readonly total: number;
      readonly steps: number;
    }
  | { readonly type: 'node-progress'; readonly node: string; readonly progress: TrainProgress }
  | { readonly type: 'node-done'; readonly node: string; readonly meta: CheckpointMeta; readonly resumed: boolean };

export interface TrainZooOptions {
  readonly onEvent?: (e: ZooEvent) => void;
  /** Where datasets come from (tests may pass small in-memory ones); default: the @stdlib corpora. */
  readonly dataset?: (id: DatasetId, vocab: number) => Promise<Dataset>;
  /** Train only this node and its descendants (its ancestors must be on disk): lets subtrees train in parallel. */
  readonly subtree?: string;
  /** Train only these nodes (their ancestors must be on disk). */
  readonly only?: readonly string[];
  /** Worker threads per training step (data parallel; same weights for any number). */
  readonly workers?: number;
}

/** The names of a node and all its descendants. */
export function subtreeOf(recipe: Recipe, name: string): Set<string> {
  const node = recipe.nodes.find((n) => n.name === name);
  if (!node) throw new InputError(`recipe ${recipe.source}: no node ${name}`);
  const out = new Set<string>([name]);
  for (const n of recipe.nodes) if (n.parent !== undefined && out.has(n.parent)) out.add(n.name);
  return out;
}

export const TRUTH_FILE = 'truth.nwk';
export const MANIFEST_FILE = 'zoo.json';

export function checkpointFile(dir: string, node: string): string {
  return path.join(dir, `${node}.safetensors`);
}

/** Train (or resume) every node of the recipe into dir; writes checkpoints, truth.nwk and zoo.json. */
export async function trainZoo(recipe: Recipe, dir: string, options: TrainZooOptions = {}): Promise<CheckpointMeta[]> {
  await mkdir(dir, { recursive: true });
  const getDataset = options.dataset ?? loadDataset;
  const datasets = new Map<DatasetId, Dataset>();
  const need = async (id: DatasetId): Promise<Dataset> => {
    let ds = datasets.get(id);
    if (!ds) {
      ds = await getDataset(id, recipe.model.vocab);
      datasets.set(id, ds);
    }
    return ds;
  };
  const evalIds = [...new Set<DatasetId>(recipe.nodes.flatMap((n) => n.datasets))].sort(
    (a, b) => DATASET_IDS.indexOf(a) - DATASET_IDS.indexOf(b),
  );
  const models = new Map<string, Model>();
  const metas: CheckpointMeta[] = [];
  let only = options.subtree === undefined ? undefined : subtreeOf(recipe, options.subtree);
  if (options.only) only = new Set(options.only.filter((n) => !only || only.has(n)));
  for (const [index, node] of recipe.nodes.entries()) {
    if (only && !only.has(node.name)) continue;
    const file = checkpointFile(dir, node.name);
    const fingerprint = nodeFingerprint(recipe, node.name);
    if (existsSync(file)) {
      const meta = await readCheckpointMeta(file).catch(() => undefined);
      if (meta && meta.fingerprint === fingerprint) {
        metas.push(meta);
        options.onEvent?.({ type: 'node-done', node: node.name, meta, resumed: true });
        continue;
      }
    }
    options.onEvent?.({ type: 'node-start', node: node.name, index, total: recipe.nodes.length, steps: node.steps });
    let model: Model;
    if (node.parent === undefined) {
      model = initModel(recipe.model, node.training.seed);
    } else {
      const parent = models.get(node.parent) ?? (await loadCheckpoint(checkpointFile(dir, node.parent))).model;
      models.set(node.parent, parent);
      model = { layout: parent.layout, params: new Float32Array(parent.params) };
    }
    const sources: Uint8Array[] = [];
    for (const id of node.datasets) sources.push((await need(id)).train);
    const result = await trainParallel(model, sources, node.training, options.workers ?? 1, (progress) =>
      options.onEvent?.({ type: 'node-progress', node: node.name, progress }),
    );
    if (recipe.dtype === 'F16') roundToF16(model.params);
    const heldOut: Record<string, number> = {};
    for (const id of evalIds) heldOut[id] = bitsPerByte(model, (await need(id)).heldOut, recipe.evaluation.windows);
    const meta: CheckpointMeta = {
      name: node.name,
      parent: node.parent ?? null,
      lineage: node.lineage,
      datasets: node.datasets,
      steps: node.steps,
      seed: node.training.seed,
      loss: result.finalLoss,
      heldOut,
      config: recipe.model,
      fingerprint,
      tokens: result.tokens,
      seconds: result.seconds,
    };
    // Write then rename: a checkpoint on disk is always complete.
    await saveCheckpoint(`${file}.tmp`, model, meta, recipe.dtype);
    await rename(`${file}.tmp`, file);
    models.set(node.name, model);
    metas.push(meta);
    options.onEvent?.({ type: 'node-done', node: node.name, meta, resumed: false });
  }
  if (only) return metas;
  await writeFile(path.join(dir, TRUTH_FILE), `${writeNewick(truthTree(recipe))}\n`);
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifestOf(recipe, metas), null, 2)}\n`);
  return metas;
}

export interface ZooManifest {
  readonly recipe: string;
  readonly description: string;
  readonly root: string;
  readonly leaves: readonly string[];
  readonly nodes: readonly {
    name: string;
    parent: string | null;
    lineage: readonly string[];
    datasets: readonly string[];
    steps: number;
    loss: number;
    heldOut: Readonly<Record<string, number>>;
    file: string;
  }[];
}

function manifestOf(recipe: Recipe, metas: readonly CheckpointMeta[]): ZooManifest {
  return {
    recipe: recipe.name,
    description: recipe.description,
    root: recipe.root,
    leaves: recipe.leaves,
    nodes: metas.map((m) => ({
      name: m.name,
      parent: m.parent,
      lineage: m.lineage,
      datasets: m.datasets,
      steps: m.steps,
      loss: m.loss,
      heldOut: m.heldOut,
      file: `${m.name}.safetensors`,
    })),
  };
}

/** The models of a zoo folder (every *.safetensors that is a lab checkpoint), by name. */
export async function listZoo(dir: string): Promise<Map<string, { file: string; meta: CheckpointMeta }>> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    throw new InputError(`zoo ${dir}: folder not found; train one with "phylo lab train --out ${dir}" or pass --zoo`);
  }
  const out = new Map<string, { file: string; meta: CheckpointMeta }>();
  for (const e of entries.sort()) {
    if (!e.endsWith('.safetensors')) continue;
    const file = path.join(dir, e);
    const meta = await readCheckpointMeta(file).catch(() => undefined);
    if (meta) out.set(meta.name, { file, meta });
  }
  if (out.size === 0)
    throw new InputError(`zoo ${dir}: no lab checkpoints in it; train one with "phylo lab train --out ${dir}"`);
  return out;
}
