// `phylo score TREE.nwk --labels FAMILIES.tsv`: does the tree recover known model families? (families as clades of
// the unrooted tree, and 1-nearest-neighbour family accuracy by patristic distance and, optionally, by a matrix).
import path from 'node:path';
import type { Command } from 'commander';
import { oneLine } from '../core/sanitize.js';
import { familiesOfLeaves, readFamilies } from '../core/families.js';
import { readDistanceMatrix } from '../distance/matrix-io.js';
import {
  familyClades,
  leafLabels,
  nearestNeighbourAccuracy,
  patristicDistances,
  PHYLO_LIMITS_HELP,
  readNamedTree,
  type NearestNeighbourResult,
} from '../phylo/index.js';

interface ScoreOptions {
  labels: string;
  matrix?: string;
  labelMap?: string;
  json?: boolean;
}

function listSome(xs: readonly string[], max = 6): string {
  return xs.slice(0, max).map(oneLine).join(', ') + (xs.length > max ? `, and ${xs.length - max} more` : '');
}

const percent = (r: NearestNeighbourResult) => (r.total === 0 ? 'n/a' : `${((100 * r.correct) / r.total).toFixed(1)}%`);

export function register(program: Command): void {
  program
    .command('score')
    .description(
      'score a tree against known model families: which families are clades, and 1-nearest-neighbour family accuracy',
    )
    .argument('<tree>', 'tree to score (Newick file)')
    .requiredOption('--labels <file>', 'TSV with a header naming "model" and "family" columns (other columns ignored)')
    .option('--matrix <file>', 'also score 1-NN accuracy on this distance matrix (TSV, PHYLIP or NEXUS)')
    .option(
      '--label-map <file>',
      "labels.tsv (id, name) mapping the tree's ids back to model names (default: a labels.tsv beside the tree " +
        'that names all its leaves, as --labels safe writes)',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
A family is a clade when its members are exactly one side of some branch of the unrooted tree. Families with one
member in the tree are not scored. 1-NN accuracy: for each model whose family has another member, is its nearest
labelled model (by patristic distance in the tree, or by the matrix) of the same family? Ties count as correct only
if every model at the smallest distance shares the family. Models not in the tree are ignored; tree leaves without
a family take no part.

${PHYLO_LIMITS_HELP}

Examples:
  $ phylo score results/tree.nwk --labels ../shared/data/alpaca_eval/FAMILIES.tsv
  $ phylo score tree.nwk --labels FAMILIES.tsv --matrix matrix.tsv --json
`,
    )
    .action((treeFile: string, opts: ScoreOptions) => {
      const { tree, mappedBy } = readNamedTree(treeFile, opts.labelMap);
      const all = readFamilies(opts.labels);
      const leaves = leafLabels(tree);
      const matched = familiesOfLeaves(leaves, all);
      const families = new Map([...matched].map(([leaf, { family }]) => [leaf, family]));
      const notes: string[] = [];
      if (mappedBy && !opts.labelMap) notes.push(`labels mapped back through ${mappedBy}`);
      const unlabelled = leaves.filter((l) => !matched.has(l));
      if (unlabelled.length)
        notes.push(
          `${unlabelled.length} of ${leaves.length} tree leaves have no family in ${path.basename(opts.labels)} and ` +
            `are not scored: ${listSome(unlabelled)}`,
        );
      const found = new Set([...matched.values()].map((v) => v.model));
      const absent = [...all.keys()].filter((m) => !found.has(m));
      if (absent.length)
        notes.push(
          `${absent.length} models of ${path.basename(opts.labels)} are not in the tree and are ignored: ` +
            `${listSome(absent)}`,
        );

      const clades = familyClades(tree, families);
      const byTree = nearestNeighbourAccuracy(patristicDistances(tree), families);
      let byMatrix: NearestNeighbourResult | undefined;
      if (opts.matrix) {
        const m = readDistanceMatrix(opts.matrix);
        const inMatrix = new Set(m.labels);
        const missing = leaves.filter((l) => families.has(l) && !inMatrix.has(l));
        if (missing.length)
          notes.push(
            `${missing.length} labelled tree leaves are not in ${path.basename(opts.matrix)}: ${listSome(missing)}`,
          );
        byMatrix = nearestNeighbourAccuracy(m, families);
      }
      const cladeCount = clades.filter((c) => c.isClade).length;
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify(
            {
              tree: treeFile,
              labels: opts.labels,
              leaves: leaves.length,
              clades: { count: cladeCount, of: clades.length, families: clades },
              nearestNeighbour: { tree: byTree, ...(byMatrix ? { matrix: byMatrix } : {}) },
              notes,
            },
            null,
            2,
          )}\n`,
        );
        return;
      }
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      const lines = [`${cladeCount} of ${clades.length} families are clades of the unrooted tree`];
      for (const c of clades)
        lines.push(
          `  ${c.isClade ? 'clade    ' : 'not clade'}  ${oneLine(c.family)} (${c.members.length}): ` +
            `${listSome(c.members, 8)}`,
        );
      lines.push(
        '',
        `1-NN family accuracy by patristic distance: ${byTree.correct} of ${byTree.total} (${percent(byTree)})`,
      );
      if (byMatrix)
        lines.push(
          `1-NN family accuracy by ${oneLine(path.basename(opts.matrix!))}: ${byMatrix.correct} of ${byMatrix.total} ` +
            `(${percent(byMatrix)})`,
        );
      const wrong = byTree.calls.filter((c) => !c.correct);
      if (wrong.length)
        lines.push(
          `  misplaced in the tree: ` +
            `${wrong.map((c) => `${oneLine(c.model)} -> ${c.nearest.map(oneLine).join(' / ')}`).join('; ')}`,
        );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
