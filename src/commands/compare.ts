// `phylo compare A.nwk B.nwk`: how far apart two trees of the same models are (Robinson-Foulds) and which splits
// differ.
import type { Command } from 'commander';
import { oneLine } from '../core/sanitize.js';
import { InputError } from '../core/errors.js';
import {
  compareSplits,
  keepTips,
  leafLabels,
  PHYLO_LIMITS_HELP,
  readNamedTree,
  robinsonFoulds,
  type Split,
  type Tree,
} from '../phylo/index.js';

interface CompareOptions {
  json?: boolean;
  common?: boolean;
  labelMap?: string;
}

function listSome(xs: readonly string[], max = 5): string {
  return (
    xs
      .slice(0, max)
      .map((x) => `"${oneLine(x)}"`)
      .join(', ') + (xs.length > max ? ` and ${xs.length - max} more` : '')
  );
}

/** The two trees on the same leaves: as they are, or (with --common) pruned to the leaves they share. */
function sameModels(a: string, ta: Tree, b: string, tb: Tree, common: boolean): { ta: Tree; tb: Tree; note?: string } {
  const la = new Set(leafLabels(ta));
  const lb = new Set(leafLabels(tb));
  const onlyA = [...la].filter((l) => !lb.has(l));
  const onlyB = [...lb].filter((l) => !la.has(l));
  if (onlyA.length === 0 && onlyB.length === 0) return { ta, tb };
  const some = (xs: readonly string[]) => (xs.length ? ` (${listSome(xs)})` : '');
  const what = `${onlyA.length} models only in ${a}${some(onlyA)}, ${onlyB.length} only in ${b}${some(onlyB)}`;
  if (!common)
    throw new InputError(
      `the trees have different models: ${what}; pass --common to compare them on the models they share`,
    );
  const shared = [...la].filter((l) => lb.has(l));
  if (shared.length < 4)
    throw new InputError(`the trees share only ${shared.length} models; RF needs at least 4 in common`);
  return {
    ta: keepTips(ta, shared),
    tb: keepTips(tb, shared),
    note: `compared on the ${shared.length} models in both trees; left out ${what}`,
  };
}

/** `{a, b, c}` for a split's smaller side, shortened after `max` names. */
export function formatSplit(s: Split, total: number, max = 8): string {
  const shown = s.leaves.slice(0, max).map(oneLine).join(', ');
  const more = s.leaves.length > max ? `, +${s.leaves.length - max} more` : '';
  const extra: string[] = [];
  if (s.support !== undefined) extra.push(`support ${Math.round(s.support * 100)}`);
  if (s.length !== undefined) extra.push(`length ${Number(s.length.toPrecision(4))}`);
  return `{${shown}${more}} | ${total - s.leaves.length} others${extra.length ? `  (${extra.join(', ')})` : ''}`;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description(
      'compare two trees of the same models: Robinson-Foulds distance and the splits found in only one of them',
    )
    .argument('<a>', 'first tree (Newick file)')
    .argument('<b>', 'second tree (Newick file)')
    .option('--common', 'when the trees hold different models, compare them on the models they share')
    .option(
      '--label-map <file>',
      "labels.tsv (id, name) to map both trees' ids back to names (default: a labels.tsv beside a tree that " +
        'names all its leaves, as --labels safe writes)',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
The trees are read as unrooted. RF counts the splits (bipartitions of the models) in one tree and not the other;
normalized RF divides by 2(n-3), its largest value for n models (as phangorn's RF.dist). Each split is shown by its
smaller side.

${PHYLO_LIMITS_HELP}

Examples:
  $ phylo compare results/phenotype.nwk results/genotype.nwk
  $ phylo compare nj.nwk bme.nwk --json | jq .normalized
  $ phylo compare run1.nwk run2.nwk --common
`,
    )
    .action((a: string, b: string, opts: CompareOptions) => {
      const ra = readNamedTree(a, opts.labelMap);
      const rb = readNamedTree(b, opts.labelMap);
      for (const r of [ra, rb])
        if (r.mappedBy && !opts.labelMap) process.stderr.write(`note: labels mapped back through ${r.mappedBy}\n`);
      const { ta, tb, note } = sameModels(a, ra.tree, b, rb.tree, opts.common ?? false);
      if (note) process.stderr.write(`note: ${note}\n`);
      const rf = robinsonFoulds(ta, tb);
      const cmp = compareSplits(ta, tb);
      const n = leafLabels(ta).length;
      if (opts.json) {
        const plain = (s: Split) => ({
          leaves: s.leaves,
          ...(s.length !== undefined ? { length: s.length } : {}),
          ...(s.support !== undefined ? { support: s.support } : {}),
        });
        process.stdout.write(
          `${JSON.stringify(
            {
              a,
              b,
              leaves: n,
              ...(note ? { note } : {}),
              rf: rf.rf,
              normalized: rf.normalized,
              max: rf.max,
              shared: cmp.shared.length,
              onlyA: cmp.onlyA.map(plain),
              onlyB: cmp.onlyB.map(plain),
            },
            null,
            2,
          )}\n`,
        );
        return;
      }
      const lines = [
        `${oneLine(a)} vs ${oneLine(b)}: ${n} models`,
        `Robinson-Foulds: ${rf.rf} of ${rf.max} (normalized ${rf.normalized.toFixed(4)}); ${cmp.shared.length} ` +
          `splits shared`,
        '',
        `splits only in ${oneLine(a)} (${cmp.onlyA.length}):`,
        ...(cmp.onlyA.length ? cmp.onlyA.map((s) => `  ${formatSplit(s, n)}`) : ['  none']),
        '',
        `splits only in ${oneLine(b)} (${cmp.onlyB.length}):`,
        ...(cmp.onlyB.length ? cmp.onlyB.map((s) => `  ${formatSplit(s, n)}`) : ['  none']),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
