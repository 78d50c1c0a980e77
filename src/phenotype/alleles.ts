// PhyloLM-style alleles (Yax, Oudeyer & Palminteri 2024): a probe sampled several times is a gene, and the allele of a
// completion is its first 4 non-blank characters; a model's allele frequencies on a gene are its genotype there.
import { cellOf, type ResponseTable } from './responses.js';

export const ALLELE_LENGTH = 4;

/** The allele of one completion: its first `length` characters once every whitespace character is removed. */
export function alleleOf(text: string, length = ALLELE_LENGTH): string {
  return Array.from(text.replace(/\s+/g, '')).slice(0, length).join('');
}

export interface AlleleFrequencies {
  readonly models: readonly string[];
  /** Genes: probes where some model has at least two samples. */
  readonly genes: readonly string[];
  /** Index of each gene in the response table's probes (for bootstrap weights over probes). */
  readonly probeIndex: Int32Array;
  /** Alleles seen on each gene, in first-seen order. */
  readonly alleles: readonly (readonly string[])[];
  /** `frequencies[g][m]`: model m's allele frequencies on gene g, aligned with alleles[g]; undefined when no sample. */
  readonly frequencies: readonly (readonly (Float64Array | undefined)[])[];
}

/** True when the run sampled some probe more than once for some model: alleles need repeated samples. */
export function hasRepeatedSamples(table: ResponseTable): boolean {
  return table.cells.some((c) => c.length >= 2);
}

/** Allele frequencies per model and gene. */
export function alleleFrequencies(table: ResponseTable, length = ALLELE_LENGTH): AlleleFrequencies {
  const n = table.models.length;
  const genes: string[] = [];
  const probeIndex: number[] = [];
  const alleles: string[][] = [];
  const frequencies: (Float64Array | undefined)[][] = [];
  for (let p = 0; p < table.probes.length; p++) {
    const cells = Array.from({ length: n }, (_, m) => cellOf(table, p, m));
    if (!cells.some((c) => c.length >= 2)) continue;
    const index = new Map<string, number>();
    const perModel = cells.map((c) =>
      c.map((t) => {
        const a = alleleOf(t, length);
        if (!index.has(a)) index.set(a, index.size);
        return index.get(a)!;
      }),
    );
    genes.push(String(table.probes[p]!.id));
    probeIndex.push(p);
    alleles.push([...index.keys()]);
    frequencies.push(
      perModel.map((ids) => {
        if (ids.length === 0) return undefined;
        const f = new Float64Array(index.size);
        for (const id of ids) f[id]! += 1 / ids.length;
        return f;
      }),
    );
  }
  return { models: table.models, genes, probeIndex: Int32Array.from(probeIndex), alleles, frequencies };
}
