// Labels every reader keeps as they are, and the map back to the real names. ape keeps the quotes of a quoted
// Newick label and turns a doubled quote into NA; DendroPy (as the standard says) reads an unquoted `_` as a blank.
// A label of letters, digits, `.` and `-` needs no quotes and means the same to every reader, so `--labels safe`
// writes those and a labels.tsv (id, name) beside the file; compare, score and tree --matrix read it back.
import { InputError } from '../core/errors.js';
import type { Tree, TreeNode } from './tree.js';

/** What every Newick, NEXUS and relaxed-PHYLIP reader keeps verbatim. */
export const SAFE_LABEL = /^[A-Za-z0-9.-]+$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isSafeLabel(label: string): boolean {
  return SAFE_LABEL.test(label) && !NUMERIC.test(label);
}

/**
 * A safe, unique id for each label: runs of other characters become `-` (`replay:gemma-7b-it` ->
 * `replay-gemma-7b-it`), a numeric id gets a `t` in front, clashes get `-2`, `-3`... Returns name -> id, in order.
 */
export function safeLabels(labels: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  // Labels already safe keep their id, so only the others can be renamed around them.
  for (const l of labels) if (isSafeLabel(l)) used.add(l);
  for (const l of labels) {
    if (out.has(l)) continue;
    if (isSafeLabel(l)) {
      out.set(l, l);
      continue;
    }
    let base = l.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
    if (base === '') base = 'taxon';
    if (NUMERIC.test(base)) base = `t${base}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    out.set(l, id);
  }
  return out;
}

/** The tree with every node name (leaves and named ancestors) passed through `rename`. */
export function renameNodes(tree: Tree, rename: (name: string) => string): Tree {
  // Rebuilt bottom-up without recursion (deep caterpillars).
  const order: TreeNode[] = [];
  const stack: TreeNode[] = [tree.root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of n.children) stack.push(c);
  }
  const copies = new Map<TreeNode, TreeNode>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    copies.set(n, {
      ...n,
      ...(n.name !== undefined ? { name: rename(n.name) } : {}),
      children: n.children.map((c) => copies.get(c)!),
    });
  }
  return { root: copies.get(tree.root)!, rooted: tree.rooted };
}

/** labels.tsv text: a header `id<TAB>name`, then one row per label (id -> the real name). */
export function formatLabelMap(nameToId: ReadonlyMap<string, string>): string {
  const rows = ['id\tname'];
  for (const [name, id] of nameToId) {
    if (/[\t\r\n]/.test(name))
      throw new InputError(
        `label "${name.replace(/[\t\r\n]/g, ' ')}" holds a tab or newline and cannot be written to labels.tsv; ` +
          `rename it`,
      );
    rows.push(`${id}\t${name}`);
  }
  return `${rows.join('\n')}\n`;
}

/** Parse labels.tsv text (see formatLabelMap): id -> name. `source` names the file in errors. */
export function parseLabelMap(text: string, source: string): Map<string, string> {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  if (header[0] !== 'id' || header[1] !== 'name')
    throw new InputError(`${source}: a label map starts with the header "id<TAB>name"; found "${lines[0] ?? ''}"`);
  const out = new Map<string, string>();
  const names = new Set<string>();
  lines.slice(1).forEach((line, k) => {
    if (line.trim() === '') return;
    const cells = line.split('\t');
    const id = (cells[0] ?? '').trim();
    const name = cells.slice(1).join('\t');
    if (id === '' || name === '' || cells.length !== 2)
      throw new InputError(`${source}: row ${k + 2} should be an id and a name separated by one tab`);
    if (out.has(id)) throw new InputError(`${source}: row ${k + 2}: id "${id}" appears twice`);
    if (names.has(name)) throw new InputError(`${source}: row ${k + 2}: name "${name}" appears twice`);
    out.set(id, name);
    names.add(name);
  });
  return out;
}

/** Labels mapped back to names when the map covers every one of them, else null (the map is for another file). */
export function mapLabelsBack(labels: readonly string[], idToName: ReadonlyMap<string, string>): string[] | null {
  const out: string[] = [];
  for (const l of labels) {
    const name = idToName.get(l);
    if (name === undefined) return null;
    out.push(name);
  }
  return out;
}
