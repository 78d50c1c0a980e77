// The real AlpacaEval data (../shared/data/alpaca_eval) for the benchmarks that analyse it: where it is, and its
// families keyed by the model refs the importer gives (`replay:NAME`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFamilies } from '../core/families.js';

/** The folder, looked for from the working directory and from this module (src/ or dist/); undefined when absent. */
export function alpacaDataDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [
    path.resolve(process.cwd(), '../shared/data/alpaca_eval'),
    path.resolve(here, '../../../shared/data/alpaca_eval'),
  ].find((d) => fs.existsSync(path.join(d, 'FAMILIES.tsv')));
}

/** model ref -> family, from FAMILIES.tsv. */
export function alpacaFamilies(dir: string): Map<string, string> {
  return new Map(
    [...readFamilies(path.join(dir, 'FAMILIES.tsv'))].map(([model, family]) => [`replay:${model}`, family]),
  );
}
