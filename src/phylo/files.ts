// Trees on disk: one Newick tree per file, with an optional labels.tsv beside it (label-map.ts). Errors name the file.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { readTextFile } from '../core/text-file.js';
import { formatLabelMap, mapLabelsBack, parseLabelMap, renameNodes, safeLabels } from './label-map.js';
import { parseNewick, writeNewick } from './newick.js';
import { preorder } from './traverse.js';
import type { Tree } from './tree.js';

/** How labels are written: as they are (quoted where Newick needs it) or as safe ids with a labels.tsv beside. */
export type LabelStyle = 'quoted' | 'safe';
export const LABEL_STYLES: readonly LabelStyle[] = ['quoted', 'safe'];

export function labelStyle(text: string): LabelStyle {
  if (!(LABEL_STYLES as readonly string[]).includes(text))
    throw new InputError(`--labels ${text}: use quoted (labels as they are) or safe (ids every reader keeps)`);
  return text as LabelStyle;
}

export function readNewickFile(file: string): Tree {
  return parseNewick(readTextFile(file, 'tree'), file);
}

export function readLabelMapFile(file: string): Map<string, string> {
  return parseLabelMap(readTextFile(file, 'label map'), file);
}

/** Where a label map for `file` may be: `<name>.labels.tsv`, then `labels.tsv`, in the same folder. */
export function labelMapCandidates(file: string): string[] {
  const dir = path.dirname(file);
  const stem = path.basename(file).replace(/\.[^.]+$/, '');
  return [path.join(dir, `${stem}.labels.tsv`), path.join(dir, 'labels.tsv')];
}

function nodeNames(tree: Tree): string[] {
  return preorder(tree.root).flatMap((n) => (n.name !== undefined ? [n.name] : []));
}

/**
 * A tree with its real names: through `labelMap` when given (every leaf must be in it), else through a label map
 * beside the file that covers every leaf (written by --labels safe); otherwise as read. `mappedBy` names the map used.
 */
export function readNamedTree(file: string, labelMap?: string): { tree: Tree; mappedBy?: string } {
  const tree = readNewickFile(file);
  const leaves = preorder(tree.root).filter((n) => n.children.length === 0);
  const ids = leaves.map((n) => n.name ?? '');
  const apply = (map: ReadonlyMap<string, string>) => renameNodes(tree, (name) => map.get(name) ?? name);
  if (labelMap !== undefined) {
    const map = readLabelMapFile(labelMap);
    const missing = ids.filter((l) => !map.has(l));
    if (missing.length > 0)
      throw new InputError(
        `${labelMap}: no name for ${missing.length} leaves of ${file} (e.g. "${missing[0]}"); is it the map of that ` +
          `tree?`,
      );
    return { tree: apply(map), mappedBy: labelMap };
  }
  for (const candidate of labelMapCandidates(file)) {
    if (!fs.existsSync(candidate)) continue;
    const map = readLabelMapFile(candidate);
    if (mapLabelsBack(ids, map) !== null) return { tree: apply(map), mappedBy: candidate };
  }
  return { tree };
}

/**
 * Write a tree; with style `safe`, node names become safe ids and `labels.tsv` (id -> name) is written beside.
 * Returns the files written.
 */
export function writeNewickFile(file: string, tree: Tree, style: LabelStyle = 'quoted'): string[] {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (style === 'quoted') {
    fs.writeFileSync(file, `${writeNewick(tree)}\n`);
    return [file];
  }
  const ids = safeLabels(nodeNames(tree));
  const mapFile = path.join(path.dirname(file), 'labels.tsv');
  fs.writeFileSync(mapFile, formatLabelMap(ids));
  fs.writeFileSync(file, `${writeNewick(renameNodes(tree, (name) => ids.get(name) ?? name))}\n`);
  return [file, mapFile];
}
