// A tree as an SVG phylogram, laid out as `ape::plot.phylo` does: one row per leaf, horizontal extent proportional
// to branch length, support on internal branches, tips coloured by group, a legend and a scale bar. Unrooted trees
// are drawn midpoint-rooted (Farris 1972) and ladderized; the caller says so in the caption. Every label is
// untrusted text and goes through escapeText.
import { ladderize, midpointRoot, type Tree, type TreeNode } from '../phylo/index.js';
import { escapeText } from './escape.js';
import type { Groups } from './groups.js';
import { legendSvg, textWidth } from './svg-parts.js';

export interface PhylogramOptions {
  /** Shown at the top of the figure and as its <title>. */
  readonly title: string;
  readonly groups: Groups;
  /** Width of the tree part, labels excluded (default 620). */
  readonly treeWidth?: number;
  /** Pixels per leaf (default 18). */
  readonly rowHeight?: number;
}

export interface Phylogram {
  readonly svg: string;
  /** Leaf labels from top to bottom: the order of the heatmap and the tables. */
  readonly leaves: readonly string[];
  /** How the drawn tree is rooted. */
  readonly rooting: 'rooted by the method' | 'midpoint-rooted for display';
  /** Internal branches drawn with a support value. */
  readonly supported: number;
}

interface Placed {
  readonly node: TreeNode;
  readonly x: number;
  readonly y: number;
  readonly children: readonly Placed[];
}

const FONT = 12;
const TOP = 34;
const LEFT = 14;
const r1 = (v: number) => Math.round(v * 10) / 10;

/** A round length near a fifth of `extent` (1, 2 or 5 times a power of ten), for the scale bar. */
export function scaleBarLength(extent: number): number {
  if (!(extent > 0)) return 0;
  const target = extent / 5;
  const power = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 5, 10].find((s) => s * power >= target * 0.75) ?? 10;
  return step * power;
}

function formatLength(v: number): string {
  return v >= 1 ? String(Number(v.toPrecision(3))) : v.toPrecision(1);
}

/** Depth of every node from the root (negative lengths, which NJ can give, drawn as 0). */
function place(root: TreeNode, rowHeight: number): { placed: Placed; depth: number; leaves: string[] } {
  const leaves: string[] = [];
  let depth = 0;
  const visit = (node: TreeNode, x: number): Placed => {
    if (node.children.length === 0) {
      const y = TOP + leaves.length * rowHeight;
      leaves.push(node.name ?? '');
      depth = Math.max(depth, x);
      return { node, x, y, children: [] };
    }
    const children = node.children.map((c) => visit(c, x + Math.max(0, c.length ?? 0)));
    const y = (children[0]!.y + children[children.length - 1]!.y) / 2;
    return { node, x, y, children };
  };
  const placed = visit(root, 0);
  return { placed, depth, leaves };
}

export function phylogramSvg(tree: Tree, options: PhylogramOptions): Phylogram {
  const rooted = tree.rooted ? tree : midpointRoot(tree);
  const drawn = ladderize(rooted);
  const rowHeight = options.rowHeight ?? 18;
  const treeWidth = options.treeWidth ?? 620;
  const { placed, depth, leaves } = place(drawn.root, rowHeight);
  const scale = depth > 0 ? treeWidth / depth : 0;
  const X = (x: number) => r1(LEFT + x * scale);
  const labelWidth = Math.max(...leaves.map((l) => textWidth(l, FONT)), 40);
  const width = Math.ceil(LEFT + treeWidth + 14 + labelWidth + 10);

  const branches: string[] = [];
  const support: string[] = [];
  const tips: string[] = [];
  let supported = 0;
  const walk = (p: Placed, isRoot: boolean): void => {
    if (p.children.length > 0) {
      const first = p.children[0]!.y;
      const last = p.children[p.children.length - 1]!.y;
      branches.push(`M${X(p.x)} ${r1(first)}V${r1(last)}`);
      for (const c of p.children) {
        branches.push(`M${X(p.x)} ${r1(c.y)}H${X(c.x)}`);
        walk(c, false);
      }
      if (!isRoot && p.node.support !== undefined) {
        supported++;
        const pct = Math.round(p.node.support * 100);
        support.push(`<text class="support" x="${r1(X(p.x) - 3)}" y="${r1(p.y - 3)}" text-anchor="end">${pct}</text>`);
      }
      return;
    }
    const label = p.node.name ?? '';
    const group = options.groups.of.get(label) ?? '';
    const colour = options.groups.colour(label);
    tips.push(
      `<g class="tip"><title>${escapeText(`${label} (${group})`)}</title>` +
        `<circle cx="${X(p.x)}" cy="${r1(p.y)}" r="4" fill="${colour}"/>` +
        `<text class="tip-label" x="${r1(X(p.x) + 8)}" y="${r1(p.y + 4)}" fill="${colour}">` +
        `${escapeText(label)}</text></g>`,
    );
  };
  walk(placed, true);

  const bottom = TOP + (leaves.length - 1) * rowHeight + 18;
  const bar = scaleBarLength(depth);
  const barSvg =
    bar > 0
      ? `<g class="scale-bar"><path d="M${LEFT} ${bottom + 6}h${r1(bar * scale)}M${LEFT} ${bottom + 2}v8` +
        `M${r1(LEFT + bar * scale)} ${bottom + 2}v8" stroke="#222" stroke-width="1.5"/>` +
        `<text x="${r1(LEFT + (bar * scale) / 2)}" y="${bottom + 22}" text-anchor="middle">` +
        `${formatLength(bar)}</text></g>`
      : '';
  const legend = legendSvg(options.groups, LEFT, bottom + 40, width - LEFT);
  const height = Math.ceil(legend.bottom + 8);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="phylogram" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" ` +
    `role="img" font-family="sans-serif" font-size="${FONT}"><title>${escapeText(options.title)}</title>` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<text x="${LEFT}" y="18" font-size="14" font-weight="bold">${escapeText(options.title)}</text>` +
    `<path class="branches" d="${branches.join('')}" fill="none" stroke="#222" stroke-width="1.5"/>` +
    `<g font-size="9" fill="#666">${support.join('')}</g>${tips.join('')}${barSvg}${legend.svg}</svg>`;
  return {
    svg,
    leaves,
    rooting: tree.rooted ? 'rooted by the method' : 'midpoint-rooted for display',
    supported,
  };
}
