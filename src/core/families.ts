// Known model families (a labels TSV with `model` and `family` columns) and the matching of those bare model names to
// the provider-prefixed leaves of runs and trees. Read by score, predict, report and the benchmarks.
import { InputError } from './errors.js';
import { readTextFile } from './text-file.js';

/** model -> family from a TSV with a header naming `model` and `family` columns (others ignored). */
export function readFamilies(file: string): Map<string, string> {
  const text = readTextFile(file, 'labels');
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const mi = header.indexOf('model');
  const fi = header.indexOf('family');
  if (mi < 0 || fi < 0)
    throw new InputError(
      `labels ${file}: the first row must name a "model" and a "family" column (tab-separated), found: ` +
        `${header.join(', ') || 'nothing'}`,
    );
  const out = new Map<string, string>();
  lines.slice(1).forEach((line, k) => {
    if (line.trim() === '') return;
    const cells = line.split('\t');
    const model = (cells[mi] ?? '').trim();
    const family = (cells[fi] ?? '').trim();
    if (model === '' || family === '')
      throw new InputError(
        `labels ${file}: row ${k + 2} has no ${model === '' ? 'model' : 'family'}; every row needs both`,
      );
    const before = out.get(model);
    if (before !== undefined && before !== family)
      throw new InputError(
        `labels ${file}: row ${k + 2} puts ${model} in family ${family}, an earlier row in ${before}; give one ` +
          `family per model`,
      );
    out.set(model, family);
  });
  return out;
}

/**
 * Family of each tree leaf: by its exact label, else by the model part of a model ref (`replay:gpt4_0613` finds
 * `gpt4_0613`), so a labels file written with bare model names scores trees of imported or collected runs.
 */
export function familiesOfLeaves(
  leaves: readonly string[],
  families: ReadonlyMap<string, string>,
): Map<string, { model: string; family: string }> {
  const out = new Map<string, { model: string; family: string }>();
  for (const leaf of leaves) {
    const bare = /^[a-z][a-z0-9_-]*:(.+)$/.exec(leaf)?.[1];
    const model = families.has(leaf) ? leaf : bare !== undefined && families.has(bare) ? bare : undefined;
    if (model !== undefined) out.set(leaf, { model, family: families.get(model)! });
  }
  return out;
}
