// Trees on disk: one Newick tree per file. Errors name the file.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { parseNewick, writeNewick } from './newick.js';
import type { Tree } from './tree.js';

export function readNewickFile(file: string): Tree {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(
      `tree ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`,
    );
  }
  return parseNewick(text, file);
}

export function writeNewickFile(file: string, tree: Tree): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${writeNewick(tree)}\n`);
}
