// One entry point for the tree methods, for commands and reports that let the user pick one.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { balancedMinimumEvolution } from './bme.js';
import { bionj } from './bionj.js';
import { neighborJoining } from './nj.js';
import type { Tree } from './tree.js';
import { upgma } from './upgma.js';

export type TreeMethod = 'nj' | 'bionj' | 'upgma' | 'bme';

export const TREE_METHODS: readonly TreeMethod[] = ['nj', 'bionj', 'upgma', 'bme'];

export function isTreeMethod(text: string): text is TreeMethod {
  return (TREE_METHODS as readonly string[]).includes(text);
}

/** Parse a user's method name (e.g. from --method), naming the choices when it is wrong. */
export function treeMethod(text: string): TreeMethod {
  if (!isTreeMethod(text)) throw new InputError(`tree method "${text}": use one of ${TREE_METHODS.join(', ')}`);
  return text;
}

export function buildTree(method: TreeMethod, m: DistanceMatrix): Tree {
  switch (method) {
    case 'nj':
      return neighborJoining(m);
    case 'bionj':
      return bionj(m);
    case 'upgma':
      return upgma(m);
    case 'bme':
      return balancedMinimumEvolution(m);
    default:
      throw new InputError(`tree method "${String(method)}": use one of ${TREE_METHODS.join(', ')}`);
  }
}
