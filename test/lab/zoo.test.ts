import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadCheckpoint, readCheckpointMeta } from '../../src/lab/checkpoint.js';
import type { Dataset, DatasetId } from '../../src/lab/corpora.js';
import { emailBody, splitDocuments } from '../../src/lab/corpora.js';
import { loadRecipe, parseRecipe, truthTree } from '../../src/lab/recipe.js';
import { checkpointFile, listZoo, trainZoo, type ZooEvent } from '../../src/lab/zoo.js';
import { leafLabels, parseNewick, robinsonFoulds } from '../../src/phylo/index.js';
import { encode } from '../../src/lab/tokenizer.js';

const recipeData = (leafSteps = 4) => ({
  name: 'unit',
  seed: 1,
  model: { vocab: 128, ctx: 8, d: 8, heads: 2, layers: 2, hidden: 16 },
  training: { batch: 2, lr: 0.01, warmup: 1, min_lr_fraction: 0.1, weight_decay: 0.01, clip: 1 },
  evaluation: { windows: 2 },
  dtype: 'F16',
  nodes: [
    { name: 'root', datasets: ['moby-dick', 'spam'], steps: 5 },
    { name: 'a', parent: 'root', datasets: ['moby-dick'], steps: 4 },
    { name: 'a1', parent: 'a', datasets: ['spam'], steps: leafSteps },
    { name: 'a2', parent: 'a', datasets: ['ham'], steps: 4 },
    { name: 'b', parent: 'root', datasets: ['spam'], steps: 4 },
  ],
});

// Small in-memory corpora (real sentences), so the test trains in milliseconds without loading the npm corpora.
const texts: Partial<Record<DatasetId, string>> = {
  'moby-dick':
    'Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse. '.repeat(4),
  spam: 'FREE money!!! Click here now to claim your prize. Limited offer, act now! '.repeat(4),
  ham: 'Hi all, I think the patch fixes the build on my machine; can someone test it? '.repeat(4),
};
const dataset = async (id: DatasetId, vocab: number): Promise<Dataset> => ({
  id,
  train: encode(texts[id]!, vocab),
  heldOut: encode(texts[id]!.slice(0, 120), vocab),
  documents: 1,
});

describe('lab zoo', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('parses the shipped recipe: 12 leaves, 3 levels of fine-tuning below the base model', async () => {
    const recipe = await loadRecipe(path.join(import.meta.dirname, '../../lab/recipe.yaml'));
    expect(recipe.leaves).toHaveLength(12);
    expect(Math.max(...recipe.nodes.map((n) => n.depth))).toBe(3);
    for (const leaf of recipe.nodes.filter((n) => n.children.length === 0)) expect(leaf.lineage).toHaveLength(3);
    const truth = truthTree(recipe);
    expect(leafLabels(truth).sort()).toEqual([...recipe.leaves].sort());
  });

  it('trains the same design from other draws when given another seed (a validation zoo)', async () => {
    const file = path.join(import.meta.dirname, '../../lab/recipe.yaml');
    const shipped = await loadRecipe(file);
    const other = await loadRecipe(file, { seed: shipped.seed + 1 });
    expect(other.seed).toBe(shipped.seed + 1);
    expect(truthTree(other)).toEqual(truthTree(shipped));
    for (const [i, n] of other.nodes.entries()) {
      expect(n.name).toBe(shipped.nodes[i]!.name);
      expect({ ...n.training, seed: 0 }).toEqual({ ...shipped.nodes[i]!.training, seed: 0 });
      expect(n.training.seed).not.toBe(shipped.nodes[i]!.training.seed);
    }
  });

  it('refuses bad recipes with one line naming the problem', () => {
    expect(() =>
      parseRecipe(
        {
          ...recipeData(),
          nodes: [...recipeData().nodes, { name: 'x', parent: 'nope', datasets: ['spam'], steps: 1 }],
        },
        'r.yaml',
      ),
    ).toThrow(/node x has unknown parent nope/);
    expect(() =>
      parseRecipe(
        { ...recipeData(), nodes: [...recipeData().nodes, { name: 'y', datasets: ['spam'], steps: 1 }] },
        'r.yaml',
      ),
    ).toThrow(InputError);
    expect(() => parseRecipe({ ...recipeData(), model: { ...recipeData().model, heads: 3 } }, 'r.yaml')).toThrow(
      /multiple of model.heads/,
    );
    expect(() =>
      parseRecipe({ ...recipeData(), nodes: [{ name: 'root', datasets: ['poetry'], steps: 1 }] }, 'r.yaml'),
    ).toThrow(/r.yaml: recipe field nodes/);
  });

  it('trains every node, writes the truth, and resumes: only nodes whose recipe changed are retrained', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'phylo-lab-zoo-'));
    dirs.push(dir);
    const events: ZooEvent[] = [];
    const recipe = parseRecipe(recipeData(), 'unit');
    await trainZoo(recipe, dir, { dataset, onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'node-done' && !e.resumed).map((e) => (e as { node: string }).node)).toEqual(
      ['root', 'a', 'b', 'a1', 'a2'],
    );
    const truth = parseNewick(await readFile(path.join(dir, 'truth.nwk'), 'utf8'));
    expect(robinsonFoulds(truth, truthTree(recipe)).rf).toBe(0);
    expect(leafLabels(truth).sort()).toEqual(['a1', 'a2', 'b']);

    const meta = await readCheckpointMeta(checkpointFile(dir, 'a1'));
    expect(meta.parent).toBe('a');
    expect(meta.lineage).toEqual(['moby-dick', 'spam']);
    expect(Object.keys(meta.heldOut).sort()).toEqual(['ham', 'moby-dick', 'spam']);
    expect((await listZoo(dir)).size).toBe(5);

    const before = (await loadCheckpoint(checkpointFile(dir, 'a2'))).model.params;
    const again: ZooEvent[] = [];
    await trainZoo(parseRecipe(recipeData(6), 'unit'), dir, { dataset, onEvent: (e) => again.push(e) });
    const retrained = again
      .filter((e) => e.type === 'node-done' && !e.resumed)
      .map((e) => (e as { node: string }).node);
    expect(retrained).toEqual(['a1']);
    expect((await loadCheckpoint(checkpointFile(dir, 'a2'))).model.params).toEqual(before);
  });

  it('splits corpora deterministically and keeps only e-mail bodies', () => {
    const docs = Array.from({ length: 25 }, (_, i) => `doc${i}`);
    const { train, heldOut } = splitDocuments(docs);
    expect(heldOut).toEqual(['doc9', 'doc19']);
    expect(train).toHaveLength(23);
    expect(emailBody('From: a@b.c\nSubject: hi\n\n<p>Hello&nbsp;there</p>')).toBe('Hello there');
  });
});
