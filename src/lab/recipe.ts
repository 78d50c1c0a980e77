// A zoo recipe is data: the model shape, the training settings, and a tree of nodes. The root is pre-trained on a
// mixture of datasets; every other node starts from its parent's checkpoint and is fine-tuned on its datasets, so each
// leaf is reached by a sequence of datasets and siblings share their parent's weights (the controlled experiment of
// Yax et al. 2024, "PhyloLM", and of weight-lineage studies).
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { Tree, TreeNode } from '../phylo/tree.js';
import { DATASET_IDS, type DatasetId } from './corpora.js';
import type { ModelConfig } from './config.js';
import type { TrainOptions } from './train.js';

const positive = z.number().int().positive();

const TrainingSchema = z
  .object({
    batch: positive,
    lr: z.number().positive(),
    warmup: z.number().int().nonnegative(),
    min_lr_fraction: z.number().min(0).max(1),
    weight_decay: z.number().min(0),
    clip: z.number().min(0),
  })
  .strict();

const NodeSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore'),
    parent: z.string().optional(),
    datasets: z.array(z.enum(DATASET_IDS)).min(1),
    steps: positive,
    training: TrainingSchema.partial().optional(),
  })
  .strict();

const RecipeSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(''),
    seed: z.number().int().nonnegative(),
    model: z
      .object({ vocab: positive, ctx: positive, d: positive, heads: positive, layers: positive, hidden: positive })
      .strict(),
    training: TrainingSchema,
    evaluation: z.object({ windows: positive }).strict(),
    /** Checkpoint dtype: F16 keeps the shipped zoo small; children start from the rounded parent either way. */
    dtype: z.enum(['F32', 'F16']).default('F16'),
    nodes: z.array(NodeSchema).min(2),
  })
  .strict();

export interface RecipeNode {
  readonly name: string;
  readonly parent?: string;
  readonly datasets: readonly DatasetId[];
  readonly steps: number;
  readonly training: TrainOptions;
  /** Fine-tuning datasets from the root to this node (the root's own mixture excluded). */
  readonly lineage: readonly DatasetId[];
  readonly depth: number;
  readonly children: readonly string[];
}

export interface Recipe {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly model: ModelConfig;
  readonly evaluation: { readonly windows: number };
  readonly dtype: 'F32' | 'F16';
  /** In training order: every parent before its children. */
  readonly nodes: readonly RecipeNode[];
  readonly root: string;
  readonly leaves: readonly string[];
  /** The file it was read from, for messages. */
  readonly source: string;
}

/** FNV-1a of a string, for per-node seeds that do not depend on the order of the node list. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function parseRecipe(raw: unknown, source: string): Recipe {
  const parsed = RecipeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${source}: recipe field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const r = parsed.data;
  if (r.model.d % r.model.heads !== 0)
    throw new InputError(`${source}: model.d (${r.model.d}) must be a multiple of model.heads (${r.model.heads})`);
  if (r.model.vocab > 256) throw new InputError(`${source}: model.vocab is at most 256 (byte-level)`);
  const byName = new Map(r.nodes.map((n) => [n.name, n]));
  if (byName.size !== r.nodes.length)
    throw new InputError(`${source}: two nodes share a name; node names must be unique`);
  const roots = r.nodes.filter((n) => n.parent === undefined);
  if (roots.length !== 1)
    throw new InputError(`${source}: exactly one node must have no parent (the base model); found ${roots.length}`);
  for (const n of r.nodes) {
    if (n.parent !== undefined && !byName.has(n.parent))
      throw new InputError(`${source}: node ${n.name} has unknown parent ${n.parent}`);
  }
  const children = new Map<string, string[]>();
  for (const n of r.nodes) if (n.parent) children.set(n.parent, [...(children.get(n.parent) ?? []), n.name]);
  // Breadth-first from the root: parents before children, and a cycle leaves nodes unreached.
  const order: RecipeNode[] = [];
  const queue: { name: string; lineage: DatasetId[]; depth: number }[] = [
    { name: roots[0]!.name, lineage: [], depth: 0 },
  ];
  while (queue.length > 0) {
    const { name, lineage, depth } = queue.shift()!;
    const n = byName.get(name)!;
    const mine = depth === 0 ? [] : [...lineage, ...n.datasets];
    const t = { ...r.training, ...(n.training ?? {}) };
    order.push({
      name,
      parent: n.parent,
      datasets: n.datasets,
      steps: n.steps,
      lineage: mine,
      depth,
      children: children.get(name) ?? [],
      training: {
        steps: n.steps,
        batch: t.batch,
        lr: t.lr,
        warmup: t.warmup,
        minLrFraction: t.min_lr_fraction,
        weightDecay: t.weight_decay,
        clip: t.clip,
        seed: (r.seed * 1000003 + fnv1a(name)) >>> 0,
      },
    });
    for (const c of children.get(name) ?? []) queue.push({ name: c, lineage: mine, depth: depth + 1 });
  }
  if (order.length !== r.nodes.length)
    throw new InputError(`${source}: some nodes are not reachable from the base model (a parent cycle?)`);
  return {
    name: r.name,
    description: r.description,
    seed: r.seed,
    model: r.model,
    evaluation: r.evaluation,
    dtype: r.dtype,
    nodes: order,
    root: order[0]!.name,
    leaves: order.filter((n) => n.children.length === 0).map((n) => n.name),
    source,
  };
}

/**
 * Read a recipe file. `seed` replaces the recipe's seed: the same zoo design trained from other random draws (a
 * validation zoo on which probe designs are chosen without looking at the shipped zoo's score).
 */
export async function loadRecipe(file: string, options: { seed?: number } = {}): Promise<Recipe> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(`recipe ${file}: cannot read it; pass an existing file with --recipe`);
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InputError(
      `recipe ${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} ` +
        `(${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
    );
  }
  if (options.seed !== undefined && raw !== null && typeof raw === 'object') raw = { ...raw, seed: options.seed };
  return parseRecipe(raw, file);
}

/**
 * The ground-truth tree over the leaves: internal nodes named after recipe nodes, branch lengths in training steps.
 * Unary nodes (a node with one child) are merged into their child's branch, as a phylogeny has no degree-2 nodes.
 */
export function truthTree(recipe: Recipe): Tree {
  const byName = new Map(recipe.nodes.map((n) => [n.name, n]));
  const build = (name: string, above: number): TreeNode => {
    const n = byName.get(name)!;
    const length = above + (n.depth === 0 ? 0 : n.steps);
    if (n.children.length === 1) return build(n.children[0]!, length);
    const node: TreeNode = { name, children: n.children.map((c) => build(c, 0)) };
    return n.depth === 0 ? node : { ...node, length };
  };
  return { root: build(recipe.root, 0), rooted: true };
}

/** The serialisable part of a node that determines its weights (with its ancestors'), for resume checks. */
export function nodeFingerprint(recipe: Recipe, name: string): string {
  const byName = new Map(recipe.nodes.map((n) => [n.name, n]));
  const chain: unknown[] = [];
  for (let n = byName.get(name); n; n = n.parent ? byName.get(n.parent) : undefined) {
    chain.push({ name: n.name, datasets: n.datasets, training: n.training });
  }
  return fnv1a(JSON.stringify({ model: recipe.model, dtype: recipe.dtype, chain }))
    .toString(16)
    .padStart(8, '0');
}
