// A distance matrix always travels with its labels and with what made it (DESIGN.md: "labelled by which signal and
// metric made it"). Values are a dense row-major Float64Array of size n*n, symmetric with a zero diagonal.

export interface DistanceMatrix {
  readonly labels: readonly string[];
  readonly values: Float64Array;
  /** e.g. 'embed', 'traits', 'alleles', 'combined', 'genotype' */
  readonly signal: string;
  /** e.g. 'cosine', 'std-euclidean', 'nei', 'l2' */
  readonly metric: string;
}

export function distanceAt(m: DistanceMatrix, i: number, j: number): number {
  return m.values[i * m.labels.length + j]!;
}

/** Build a matrix, checking shape, symmetry and that no value is NaN. */
export function makeDistanceMatrix(
  labels: readonly string[],
  values: Float64Array,
  signal: string,
  metric: string,
): DistanceMatrix {
  const n = labels.length;
  if (values.length !== n * n)
    throw new Error(`distance matrix ${signal}/${metric}: ${values.length} values for ${n} labels`);
  if (new Set(labels).size !== n) throw new Error(`distance matrix ${signal}/${metric}: duplicate labels`);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = values[i * n + j]!;
      if (Number.isNaN(v)) throw new Error(`distance matrix ${signal}/${metric}: NaN at ${labels[i]} x ${labels[j]}`);
    }
  }
  return { labels, values, signal, metric };
}
