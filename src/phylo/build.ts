// One table of the tree methods, for commands, the analysis and reports that let the user pick one. Adding a method
// is its file in src/phylo/ and one line in TREE_BUILDERS; the names, the type and the parser follow from the table.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { balancedMinimumEvolution } from './bme.js';
import { bionj } from './bionj.js';
import { neighborJoining } from './nj.js';
import type { Tree } from './tree.js';
import { upgma } from './upgma.js';

const TREE_BUILDERS = {
  nj: neighborJoining,
  bionj,
  upgma,
  bme: balancedMinimumEvolution,
} as const satisfies Record<string, (m: DistanceMatrix) => Tree>;

export type TreeMethod = keyof typeof TREE_BUILDERS;

export const TREE_METHODS = Object.keys(TREE_BUILDERS) as readonly TreeMethod[];

export function isTreeMethod(text: string): text is TreeMethod {
  return Object.hasOwn(TREE_BUILDERS, text);
}

/** Parse a user's method name (e.g. from --method), naming the choices when it is wrong. */
export function treeMethod(text: string): TreeMethod {
  if (!isTreeMethod(text)) throw new InputError(`tree method "${text}": use one of ${TREE_METHODS.join(', ')}`);
  return text;
}

export function buildTree(method: TreeMethod, m: DistanceMatrix): Tree {
  return TREE_BUILDERS[treeMethod(method)](m);
}
