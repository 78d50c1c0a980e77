// The design of `phylo lab audit-check`, fixed before anything is measured: which probes, which queries, which
// collections (with their seeds) and which tests. Pure: the zoo's leaves and truth tree come in as data.
//
// Queries: the PhyloLM-style genes of the `lab` suite (Yax et al. 2024), with the suite's own sampling (6 bytes at
// temperature 1), text only. Genes are the cheapest probes (a few bytes of prefix) and the ones the zoo's trees are
// built from; text only is the black-box case of MET (Gao et al. 2024): exact lab logprobs would tell any two weight
// sets apart and make the check say nothing. Query i of a collection asks gene i mod G, as sample floor(i / G): a
// budget of n queries spreads over all genes as evenly as it can, and the first n queries of a larger collection are
// exactly the collection of n (same seeds), so one collection serves every point of the budget curve.
import type { Probe } from '../../core/types.js';
import type { Tree, TreeNode } from '../../phylo/tree.js';
import { sampleSeed } from '../decode.js';

/** What a collection draws from: the leaf's own weights, or the same leaf rounded to 8 or 4 bits. */
export type Variant = 'f16' | 'int8' | 'int4';

/** A gene as the collection needs it (plain data, so it crosses to worker threads). */
export interface Gene {
  readonly id: string;
  readonly prefix: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP?: number;
}

export interface CollectionSpec {
  /** Unique within a check, e.g. `null/moby-spam/3`; its seed is derived from it. */
  readonly id: string;
  readonly leaf: string;
  readonly variant: Variant;
  readonly seed: number;
  readonly queries: number;
}

export type Alternative = 'sibling' | 'cousin' | 'int8' | 'int4';
export const ALTERNATIVES: readonly Alternative[] = ['sibling', 'cousin', 'int8', 'int4'];

/** One two-sample test: the first `queries` queries of collections a and b. */
export interface TestSpec {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly queries: number;
}

export interface CheckDesign {
  readonly genes: readonly Gene[];
  readonly leaves: readonly string[];
  readonly collections: readonly CollectionSpec[];
  readonly nullTests: readonly TestSpec[];
  /** Power tests by alternative and budget. */
  readonly powerTests: readonly (TestSpec & { readonly alternative: Alternative; readonly leaf: string })[];
  /** Identification: each leaf's fresh collection against every leaf's reference (first `queries` queries). */
  readonly identify: readonly { readonly leaf: string; readonly target: string; readonly references: string[] }[];
  readonly relatives: ReadonlyMap<string, { readonly sibling: string; readonly cousins: readonly string[] }>;
}

export interface DesignOptions {
  readonly seed: number;
  /** Queries per model of the null tests, the headline power and identification. */
  readonly queries: number;
  readonly nullTests: number;
  /** Budget curve points (queries per model); the headline `queries` is added when missing. */
  readonly budgets: readonly number[];
  /** Power collections per leaf and variant. */
  readonly replicates: number;
}

/** The genes of a suite: its prefix probes tagged `gene`, with the suite's sampling under the probe's own. */
export function genesOf(probes: readonly Probe[], defaults: { temperature: number; maxTokens: number }): Gene[] {
  return probes
    .filter((p) => p.tags.includes('gene') && p.prompt.kind === 'prefix')
    .map((p) => ({
      id: p.id,
      prefix: p.prompt.kind === 'prefix' ? p.prompt.prefix : '',
      maxTokens: p.sampling?.maxTokens ?? defaults.maxTokens,
      temperature: p.sampling?.temperature ?? defaults.temperature,
      ...(p.sampling?.topP !== undefined ? { topP: p.sampling.topP } : {}),
    }));
}

/** Query i of any collection: which gene, and which sample of it. */
export function queryAt(i: number, genes: number): { gene: number; index: number } {
  return { gene: i % genes, index: Math.floor(i / genes) };
}

/** A collection's seed: a function of the check's seed and the collection's id only. */
export function collectionSeed(seed: number, id: string): number {
  return sampleSeed(seed, 'lab audit-check', id, 0);
}

function leafNames(node: TreeNode): string[] {
  return node.children.length === 0 ? [node.name ?? ''] : node.children.flatMap(leafNames);
}

/**
 * Each leaf's sibling (the other leaf under its parent) and cousins (the leaves under its grandparent that are not
 * under its parent), from the zoo's truth tree. Leaves without a single sibling leaf are left out.
 */
export function relativesOf(truth: Tree): Map<string, { sibling: string; cousins: string[] }> {
  const out = new Map<string, { sibling: string; cousins: string[] }>();
  const walk = (node: TreeNode, grand: TreeNode | undefined) => {
    const leafKids = node.children.filter((c) => c.children.length === 0);
    if (leafKids.length === 2 && node.children.length === 2) {
      const [x, y] = [leafKids[0]!.name ?? '', leafKids[1]!.name ?? ''];
      const all = grand ? leafNames(grand) : [];
      const cousins = all.filter((l) => l !== x && l !== y).sort();
      out.set(x, { sibling: y, cousins });
      out.set(y, { sibling: x, cousins });
    }
    for (const c of node.children) walk(c, node);
  };
  walk(truth.root, undefined);
  return out;
}

/** Collections, tests and identification of one check. */
export function designCheck(genes: readonly Gene[], truth: Tree, o: DesignOptions): CheckDesign {
  const relatives = relativesOf(truth);
  const leaves = [...relatives.keys()].sort();
  const budgets = [...new Set([...o.budgets, o.queries])].sort((x, y) => x - y);
  const curveQueries = budgets[budgets.length - 1]!;
  const collections = new Map<string, CollectionSpec>();
  const add = (id: string, leaf: string, variant: Variant, queries: number) => {
    const known = collections.get(id);
    if (!known || known.queries < queries)
      collections.set(id, { id, leaf, variant, seed: collectionSeed(o.seed, id), queries });
    return id;
  };

  // Null tests: two collections of one leaf with different seeds, disjoint pairs (the tests are independent).
  const nullTests: TestSpec[] = [];
  for (let k = 0; k < o.nullTests; k++) {
    const leaf = leaves[k % leaves.length]!;
    const j = Math.floor(k / leaves.length);
    const a = add(`null/${leaf}/${2 * j}`, leaf, 'f16', o.queries);
    const b = add(`null/${leaf}/${2 * j + 1}`, leaf, 'f16', o.queries);
    nullTests.push({ id: `null/${leaf}/${j}`, a, b, queries: o.queries });
  }

  // Power: per leaf and replicate one collection of the leaf and of each substitute at the largest budget. A sibling
  // or cousin test pairs replicate r of the leaf with another replicate of the relative, so that no two tests share
  // both collections; each test is repeated at every budget on the collections' first queries.
  const R = o.replicates;
  const orig = (leaf: string, r: number) => add(`power/${leaf}/f16/${r % R}`, leaf, 'f16', curveQueries);
  const powerTests: (TestSpec & { alternative: Alternative; leaf: string })[] = [];
  const seenPairs = new Set<string>();
  for (const leaf of leaves) {
    const rel = relatives.get(leaf)!;
    for (let r = 0; r < R; r++) {
      const a = orig(leaf, r);
      const partners: [Alternative, string][] = [
        ['sibling', orig(rel.sibling, r + 1)],
        ...(rel.cousins.length > 0
          ? ([['cousin', orig(rel.cousins[r % rel.cousins.length]!, r + 2)]] as [Alternative, string][])
          : []),
        ['int8', add(`power/${leaf}/int8/${r}`, leaf, 'int8', curveQueries)],
        ['int4', add(`power/${leaf}/int4/${r}`, leaf, 'int4', curveQueries)],
      ];
      for (const [alternative, b] of partners) {
        const pair = [a, b].sort().join(' ');
        if (seenPairs.has(pair)) continue;
        seenPairs.add(pair);
        for (const q of budgets)
          powerTests.push({ id: `${alternative}/${a}~${b}@${q}`, a, b, queries: q, alternative, leaf });
      }
    }
  }

  // Identification: a fresh collection of every leaf against each leaf's first power collection (its first queries).
  const references = leaves.map((leaf) => orig(leaf, 0));
  const identify = leaves.map((leaf) => ({
    leaf,
    target: add(`identify/${leaf}`, leaf, 'f16', o.queries),
    references,
  }));

  return {
    genes,
    leaves,
    collections: [...collections.values()],
    nullTests,
    powerTests,
    identify,
    relatives,
  };
}
