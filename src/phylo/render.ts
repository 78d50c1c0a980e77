// A text drawing of a tree for the terminal (a phylogram in box-drawing characters, as `ape::plot.phylo` lays it
// out: one row per leaf, horizontal extent proportional to branch length).
import { oneLine } from '../core/sanitize.js';
import type { Tree, TreeNode } from './tree.js';
import { postorder, preorder } from './traverse.js';

export interface RenderOptions {
  /** Columns available; no line is longer (default 80). */
  readonly width?: number;
  /** Show support (as a percentage) on internal branches (default true). */
  readonly support?: boolean;
  /** Draw branch lengths to scale (default true when the tree has lengths; otherwise a cladogram). */
  readonly lengths?: boolean;
}

const UP = 1;
const DOWN = 2;
const LEFT = 4;
const RIGHT = 8;
const BOX: Record<number, string> = {
  0: ' ',
  [LEFT | RIGHT]: '─',
  [LEFT]: '─',
  [RIGHT]: '─',
  [UP | DOWN]: '│',
  [UP]: '│',
  [DOWN]: '│',
  [DOWN | RIGHT]: '┌',
  [UP | RIGHT]: '└',
  [UP | DOWN | RIGHT]: '├',
  [LEFT | DOWN]: '┐',
  [LEFT | UP]: '┘',
  [LEFT | UP | DOWN]: '┤',
  [LEFT | DOWN | RIGHT]: '┬',
  [LEFT | UP | RIGHT]: '┴',
  [LEFT | UP | DOWN | RIGHT]: '┼',
};

/** Code-point aware truncation with an ellipsis. */
function fit(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  return `${chars.slice(0, max - 1).join('')}…`;
}

function niceStep(x: number): number {
  if (!(x > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(x));
  const f = x / p;
  return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p;
}

/** Lines of text, each at most `width` code points; labels pass through `oneLine` (they may be model output). */
export function renderTree(tree: Tree, options: RenderOptions = {}): string {
  const width = Math.max(1, Math.floor(options.width ?? 80));
  const showSupport = options.support ?? true;
  const nodes = preorder(tree.root);
  const hasLengths = nodes.some((n) => n !== tree.root && n.length !== undefined);
  const toScale = (options.lengths ?? true) && hasLengths;

  const leaves = nodes.filter((n) => n.children.length === 0);
  const labels = new Map<TreeNode, string>(leaves.map((l) => [l, oneLine(l.name ?? '')]));
  if (nodes.length === 1) return fit(labels.get(tree.root)!, width);

  // Horizontal position: depth by branch length, or (cladogram) leaves aligned and internal nodes by height.
  const x = new Map<TreeNode, number>();
  if (toScale) {
    x.set(tree.root, 0);
    for (const n of nodes) for (const c of n.children) x.set(c, x.get(n)! + Math.max(0, c.length ?? 0));
  } else {
    const height = new Map<TreeNode, number>();
    for (const n of postorder(tree.root))
      height.set(n, n.children.length === 0 ? 0 : 1 + Math.max(...n.children.map((c) => height.get(c)!)));
    const h = height.get(tree.root)!;
    for (const n of nodes) x.set(n, h - height.get(n)!);
  }
  const xMax = leaves.reduce((m, l) => Math.max(m, x.get(l)!), 0);

  // Column budget: the tree gets at least 30% of the width (and 8 columns), labels the rest.
  let longest = 1;
  for (const l of labels.values()) longest = Math.max(longest, [...l].length);
  const minTree = Math.max(8, Math.floor(width * 0.3));
  const labelWidth = Math.max(1, Math.min(longest, width - minTree - 2));
  const maxCol = Math.max(1, width - labelWidth - 2);

  // A child sits at least one column right of its parent while there is room; a tree deeper than the width
  // (thousands of nested nodes) is squeezed into the last column rather than drawn wider than asked.
  const col = new Map<TreeNode, number>();
  col.set(tree.root, 0);
  for (const n of nodes) {
    for (const c of n.children) {
      const scaled = xMax > 0 ? Math.round((x.get(c)! / xMax) * (maxCol - 1)) : maxCol - 1;
      col.set(c, Math.min(maxCol - 1, Math.max(col.get(n)! + 1, scaled)));
    }
  }

  const row = new Map<TreeNode, number>();
  leaves.forEach((l, i) => {
    row.set(l, i);
  });
  for (const n of postorder(tree.root)) {
    if (n.children.length === 0) continue;
    const first = row.get(n.children[0]!)!;
    const last = row.get(n.children[n.children.length - 1]!)!;
    row.set(n, Math.floor((first + last) / 2));
  }

  let cols = 1;
  for (const c of col.values()) cols = Math.max(cols, c + 1);
  const mask = leaves.map(() => new Uint8Array(cols));
  const text = new Map<number, string>(); // support digits, by row * cols + column
  for (const n of nodes) {
    const cn = col.get(n)!;
    for (const c of n.children) {
      // Branch from n's vertical line to c.
      const rc = row.get(c)!;
      const cc = col.get(c)!;
      mask[rc]![cn]! |= RIGHT;
      for (let k = cn + 1; k < cc; k++) mask[rc]![k]! |= LEFT | RIGHT;
      mask[rc]![cc]! |= LEFT | (c.children.length === 0 ? RIGHT : 0);
      if (showSupport && c.children.length > 0 && c.support !== undefined) {
        const s = String(Math.round(c.support * 100));
        if (cc - s.length > cn + 1) for (let k = 0; k < s.length; k++) text.set(rc * cols + cc - s.length + k, s[k]!);
      }
    }
    if (n.children.length > 0) {
      const first = row.get(n.children[0]!)!;
      const last = row.get(n.children[n.children.length - 1]!)!;
      for (let r = first; r <= last; r++) {
        if (r > first) mask[r]![cn]! |= UP;
        if (r < last) mask[r]![cn]! |= DOWN;
      }
    }
  }

  const lines: string[] = leaves.map((leaf, r) => {
    let line = '';
    for (let k = 0; k < cols; k++) line += text.get(r * cols + k) ?? BOX[mask[r]![k]!] ?? ' ';
    line = line.replace(/\s+$/, '');
    return `${line} ${fit(labels.get(leaf)!, labelWidth)}`;
  });

  if (toScale && xMax > 0) {
    const step = niceStep(xMax / 4);
    const span = Math.max(1, Math.round((step / xMax) * (maxCol - 1)));
    lines.push(`${`├${'─'.repeat(Math.max(0, span - 1))}┤`} ${Number(step.toPrecision(6))}`);
  }
  return lines.map((l) => fit(l, width)).join('\n');
}
