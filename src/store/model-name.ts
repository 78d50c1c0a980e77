// Model names come from files we import (JSONL lines, AlpacaEval folder names) and end up in tables, TSV, PHYLIP and
// Newick files: a tab or newline in one imported fine, then made every `phylo tree` fail after writing tree.nwk.
import { InputError } from '../core/errors.js';

/** Control characters (tab, newline...) in a model name break every tabular and Newick output downstream. */
const CONTROL_IN_NAME = /[\u0000-\u001f\u007f-\u009f]/;

/** A model name that every output can print: no tab, newline or other control character. */
export function checkModelName(name: string, where: string): void {
  if (CONTROL_IN_NAME.test(name))
    throw new InputError(
      `${where}: model name ${JSON.stringify(name)} contains a tab, newline or other control character; rename it`,
    );
}
