// Newick read/write (Felsenstein's "Newick" standard, https://phylipweb.github.io/phylip/newicktree.html): labels
// that hold reserved characters are single-quoted with quotes doubled; support values are internal node labels.
import { InputError } from '../core/errors.js';
import { stripBom } from '../core/text-file.js';
import { MAX_TREE_INTERNAL_NODES, MAX_TREE_LEAVES } from './limits.js';
import type { Tree, TreeNode } from './tree.js';

// Characters that end an unquoted label, plus whitespace. Model refs such as `openai:gpt-4o-mini` hit `:`.
const RESERVED = /[()[\]':;,\s]/;
// Written labels are quoted for these and for `_`, which the standard reads as a blank when unquoted (DendroPy does).
const NEEDS_QUOTES = /[()[\]':;,\s_]/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface MutableNode {
  name?: string;
  length?: number;
  support?: number;
  children: MutableNode[];
  /** A numeric internal label read unquoted: support, not a name (resolved once the whole tree is read). */
  numericLabel?: number;
}

/**
 * Parse one Newick tree. Whitespace and `[comments]` may appear between tokens; `[&R]` / `[&U]` before the tree say
 * rooted / unrooted, otherwise a root of degree 2 means rooted. Unquoted numeric internal labels are support values,
 * read as proportions (divided by 100 when any exceeds 1, as bootstrap percentages are written). Underscores are kept
 * as they are (as ape does), so labels round-trip exactly. `source` names the file in error messages.
 */
export function parseNewick(input: string, source = 'Newick'): Tree {
  const text = stripBom(input);
  let pos = 0;
  let leaves = 0;
  let internal = 0;
  let rootedHint: boolean | undefined;

  const fail = (what: string): never => {
    const near = text.slice(Math.max(0, pos - 15), pos + 15).replace(/\s+/g, ' ');
    throw new InputError(
      `${source}: ${what} at position ${pos} (near "${near}"); expected a Newick tree such as (a:1,b:2,(c:1,d:1):0.5);`,
    );
  };

  const skip = (): void => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos]!)) pos++;
      if (text[pos] !== '[') return;
      const end = text.indexOf(']', pos + 1);
      if (end < 0) fail('unclosed [comment]');
      const comment = text
        .slice(pos + 1, end)
        .trim()
        .toUpperCase();
      if (comment === '&R') rootedHint = true;
      else if (comment === '&U') rootedHint = false;
      pos = end + 1;
    }
  };

  /** A label: quoted (returns quoted=true) or a run of unreserved characters; null when there is none. */
  const readLabel = (): { text: string; quoted: boolean } | null => {
    skip();
    if (text[pos] === "'") {
      let out = '';
      pos++;
      for (;;) {
        if (pos >= text.length) fail('unclosed quoted label');
        const c = text[pos]!;
        if (c === "'") {
          if (text[pos + 1] === "'") {
            out += "'";
            pos += 2;
            continue;
          }
          pos++;
          return { text: out, quoted: true };
        }
        out += c;
        pos++;
      }
    }
    const start = pos;
    while (pos < text.length && !RESERVED.test(text[pos]!)) pos++;
    return pos > start ? { text: text.slice(start, pos), quoted: false } : null;
  };

  const readLength = (node: MutableNode): void => {
    skip();
    if (text[pos] !== ':') return;
    pos++;
    skip();
    const start = pos;
    while (pos < text.length && /[0-9eE+\-.]/.test(text[pos]!)) pos++;
    const raw = text.slice(start, pos);
    if (!NUMBER.test(raw)) fail(`bad branch length "${raw}"`);
    node.length = Number(raw);
  };

  // Iterative, so deep trees (a caterpillar of thousands of taxa) do not overflow the call stack.
  let root: MutableNode | undefined;
  const open: MutableNode[] = [];
  const attach = (node: MutableNode): void => {
    if (open.length > 0) open[open.length - 1]!.children.push(node);
    else root ??= node;
  };
  const finishInternal = (node: MutableNode): void => {
    const label = readLabel();
    if (label) {
      if (!label.quoted && NUMBER.test(label.text)) node.numericLabel = Number(label.text);
      else node.name = label.text;
    }
    readLength(node);
  };
  skip();
  if (pos >= text.length) fail('empty input');
  subtree: for (;;) {
    skip();
    if (text[pos] === '(') {
      if (++internal > MAX_TREE_INTERNAL_NODES)
        fail(`more than ${MAX_TREE_INTERNAL_NODES} internal nodes (the limit; nested ${open.length} deep here)`);
      const node: MutableNode = { children: [] };
      attach(node);
      open.push(node);
      pos++;
      continue;
    }
    // A leaf; an empty one is legal Newick (e.g. "(,,);") and gets no name.
    if (++leaves > MAX_TREE_LEAVES) fail(`more than ${MAX_TREE_LEAVES} leaves (the limit)`);
    const leaf: MutableNode = { children: [] };
    const label = readLabel();
    if (label) leaf.name = label.text;
    readLength(leaf);
    attach(leaf);
    if (open.length === 0) break;
    // Close every subtree that ends here, then go on after a comma.
    for (;;) {
      skip();
      const c = text[pos];
      if (c === ',') {
        pos++;
        continue subtree;
      }
      if (c === ')') {
        pos++;
        finishInternal(open.pop()!);
        if (open.length === 0) break subtree;
        continue;
      }
      fail(pos >= text.length ? 'unexpected end of text' : `unexpected "${c}"`);
    }
  }
  skip();
  if (text[pos] !== ';') fail(pos >= text.length ? 'missing ";" at the end of the tree' : `unexpected "${text[pos]}"`);
  pos++;
  skip();
  if (pos < text.length) fail('text after the end of the tree (one tree per file)');

  // Support values: proportions, unless written as percentages.
  let maxLabel = 0;
  const visit = (n: MutableNode, f: (n: MutableNode) => void): void => {
    const stack = [n];
    while (stack.length > 0) {
      const x = stack.pop()!;
      f(x);
      for (const c of x.children) stack.push(c);
    }
  };
  const top = root!;
  visit(top, (n) => {
    if (n.numericLabel !== undefined) maxLabel = Math.max(maxLabel, n.numericLabel);
  });
  const scale = maxLabel > 1 ? 100 : 1;
  visit(top, (n) => {
    if (n.numericLabel !== undefined) {
      const s = n.numericLabel / scale;
      if (s >= 0 && s <= 1) n.support = s;
      else n.name = String(n.numericLabel);
      delete n.numericLabel;
    }
  });
  // Nodes only ever received defined fields, so they are TreeNodes as they stand.
  return { root: top, rooted: rootedHint ?? top.children.length === 2 };
}

/**
 * Quote a label when a Newick reader would otherwise misread it (reserved characters, blanks, `_`). `internal`
 * labels that look numeric are quoted too, so they are not read as support.
 */
export function quoteLabel(label: string, internal = false): string {
  if (label === '' || NEEDS_QUOTES.test(label) || (internal && NUMBER.test(label)))
    return `'${label.replace(/'/g, "''")}'`;
  return label;
}

export interface NewickWriteOptions {
  /** How a label is written (default quoteLabel); NEXUS passes its own, stricter rules. */
  readonly quote?: (label: string, internal: boolean) => string;
}

/** Number text that reads back to the same double (shortest round-trip form). */
function formatNumber(x: number): string {
  if (!Number.isFinite(x)) throw new InputError(`cannot write a branch length of ${x} in Newick`);
  return String(x);
}

/**
 * Write a tree as one line of Newick. Branch lengths keep full double precision; support is written as the
 * internal node label (a proportion in [0, 1]); an internal node with both a name and support keeps the support.
 * Every tree starts with `[&R]` or `[&U]`, so no reader has to guess rootedness from the root's degree.
 */
export function writeNewick(tree: Tree, opts: NewickWriteOptions = {}): string {
  const quote = opts.quote ?? quoteLabel;
  const parts: string[] = [];
  const stack: { node: TreeNode; next: number }[] = [{ node: tree.root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const n = top.node;
    if (top.next < n.children.length) {
      parts.push(top.next === 0 ? '(' : ',');
      stack.push({ node: n.children[top.next++]!, next: 0 });
      continue;
    }
    if (n.children.length > 0) {
      parts.push(')');
      if (n.support !== undefined) parts.push(formatNumber(n.support));
      else if (n.name !== undefined) parts.push(quote(n.name, true));
    } else if (n.name !== undefined) {
      parts.push(quote(n.name, false));
    }
    if (n.length !== undefined) parts.push(':', formatNumber(n.length));
    stack.pop();
  }
  return `${tree.rooted ? '[&R]' : '[&U]'} ${parts.join('')};`;
}
