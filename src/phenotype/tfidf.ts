// TF-IDF embeddings of responses, one vector space per probe: responses to the same prompt are compared with each
// other, so the idf says which words are unusual *for this prompt* (Salton & Buckley 1988 for the weightings).
import { cellOf, type ResponseTable } from './responses.js';
import { DEFAULT_WORD_FEATURES, forEachFeature, type FeatureOptions } from './features.js';
import { IntIdTable } from './int-table.js';

/** A sparse vector: feature ids ascending, values alongside. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

export interface TfIdfOptions {
  readonly features: FeatureOptions;
  /**
   * `raw` counts, `sublinear` 1 + ln(tf) (damps repetition), `binary` presence, `bm25` Okapi BM25's saturating tf
   * normalised by document length (k1 = 1.2, b = 0.75; Robertson & Zaragoza 2009).
   */
  readonly tf: 'raw' | 'sublinear' | 'binary' | 'bm25';
  /** `smooth`: ln((1 + N) / (1 + df)) + 1 (scikit-learn's default); `none`: tf only. */
  readonly idf: 'smooth' | 'none';
}

// Raw tf and smooth idf: sublinear or binary tf did no better on real data once per-probe distances become votes.
export const DEFAULT_TFIDF: TfIdfOptions = { features: DEFAULT_WORD_FEATURES, tf: 'raw', idf: 'smooth' };

/**
 * Per-probe embeddings: `vectors[p * models + m]`, L2-normalised, undefined where the model has no response.
 * Feature ids are local to a probe (vectors of different probes live in different spaces).
 */
export interface ProbeEmbeddings {
  readonly models: readonly string[];
  readonly probes: readonly string[];
  readonly vectors: readonly (SparseVector | undefined)[];
  /** Size of each probe's feature space. */
  readonly dims: Int32Array;
  /** What made them, for matrix metadata: e.g. `tfidf(words1-1,raw,smooth)`. */
  readonly name: string;
}

export function tfidfName(o: TfIdfOptions): string {
  const f = o.features;
  return `tfidf(${f.kind}${f.ngram[0]}-${f.ngram[1]}${f.stopWords ? ',no-stop-words' : ''},${o.tf},${o.idf})`;
}

/** Raw counts of one document over a probe's vocabulary. */
interface CountVector {
  readonly indices: Int32Array;
  readonly counts: Float64Array;
}

/**
 * Counts features of texts into one sparse document at a time, over a growing vocabulary. The dense scratch row is
 * reused between documents (only the touched ids are cleared), so a document costs its own length, not the
 * vocabulary's size.
 */
class DocumentCounter {
  private scratch: Float64Array;
  private touched: number[] = [];

  constructor(
    private readonly vocabulary: IntIdTable,
    private readonly features: FeatureOptions,
    initialSize: number,
  ) {
    this.scratch = new Float64Array(initialSize);
  }

  add(text: string): void {
    forEachFeature(text, this.features, (feature) => {
      const id = this.vocabulary.idOf(feature);
      if (id >= this.scratch.length) {
        const bigger = new Float64Array(Math.max(this.scratch.length * 2, id + 1));
        bigger.set(this.scratch);
        this.scratch = bigger;
      }
      if (this.scratch[id] === 0) this.touched.push(id);
      this.scratch[id]!++;
    });
  }

  /** The document counted since the last take, and a clean slate for the next. */
  take(): CountVector {
    const indices = Int32Array.from(this.touched).sort();
    const counts = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      counts[i] = this.scratch[indices[i]!]!;
      this.scratch[indices[i]!] = 0;
    }
    this.touched = [];
    return { indices, counts };
  }
}

/** TF-IDF vectors of every response, with df and idf counted over the models' responses to the same probe. */
export function probeTfIdf(table: ResponseTable, options: TfIdfOptions = DEFAULT_TFIDF): ProbeEmbeddings {
  const n = table.models.length;
  const vectors: (SparseVector | undefined)[] = new Array(table.probes.length * n);
  const dims = new Int32Array(table.probes.length);
  for (let p = 0; p < table.probes.length; p++) {
    const one = oneProbeTfIdf(table, p, options);
    dims[p] = one.dim;
    for (let m = 0; m < n; m++) vectors[p * n + m] = one.vectors[m];
  }
  return {
    models: table.models,
    probes: table.probes.map((q) => String(q.id)),
    vectors,
    dims,
    name: tfidfName(options),
  };
}

/**
 * The TF-IDF vectors of one probe's responses, by model (undefined: no answer), and the size of its feature space:
 * what probeTfIdf gives for that probe, for a caller that needs one probe at a time (a big run's embed signal).
 */
export function oneProbeTfIdf(
  table: ResponseTable,
  p: number,
  options: TfIdfOptions = DEFAULT_TFIDF,
): { readonly vectors: (SparseVector | undefined)[]; readonly dim: number } {
  const n = table.models.length;
  const vocabulary = new IntIdTable(4096);
  const counter = new DocumentCounter(vocabulary, options.features, 4096);
  const docs: (CountVector | undefined)[] = [];
  for (let m = 0; m < n; m++) {
    const texts = cellOf(table, p, m);
    if (texts.length === 0) {
      docs.push(undefined);
      continue;
    }
    // Several samples of one model on one probe pool into one document.
    for (const t of texts) counter.add(t);
    docs.push(counter.take());
  }
  return { vectors: weightDocuments(docs, vocabulary.size, options), dim: vocabulary.size };
}

const BM25_K1 = 1.2;
const BM25_B = 0.75;

/** Weight the documents of one vector space by tf and idf, then L2-normalise each. */
export function weightDocuments(
  docs: readonly (CountVector | undefined)[],
  dim: number,
  options: Pick<TfIdfOptions, 'tf' | 'idf'>,
): (SparseVector | undefined)[] {
  const df = new Int32Array(dim);
  let nDocs = 0;
  let totalLength = 0;
  for (const d of docs) {
    if (!d) continue;
    nDocs++;
    for (const k of d.indices) df[k]!++;
    for (const c of d.counts) totalLength += c;
  }
  const meanLength = nDocs > 0 ? totalLength / nDocs : 0;
  return docs.map((d) => {
    if (!d) return undefined;
    const values = new Float64Array(d.indices.length);
    let length = 0;
    for (const c of d.counts) length += c;
    const saturation = BM25_K1 * (1 - BM25_B + (BM25_B * length) / (meanLength || 1));
    let norm = 0;
    for (let i = 0; i < values.length; i++) {
      const c = d.counts[i]!;
      const tf =
        options.tf === 'raw'
          ? c
          : options.tf === 'sublinear'
            ? 1 + Math.log(c)
            : options.tf === 'bm25'
              ? (c * (BM25_K1 + 1)) / (c + saturation)
              : 1;
      const idf = options.idf === 'smooth' ? Math.log((1 + nDocs) / (1 + df[d.indices[i]!]!)) + 1 : 1;
      const w = tf * idf;
      values[i] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < values.length; i++) values[i]! /= norm;
    return { indices: d.indices, values };
  });
}

/** One embedding per model: all of its responses pooled into one document, idf over the models (for maps, UMAP). */
export interface ModelEmbeddings {
  readonly models: readonly string[];
  readonly vectors: readonly SparseVector[];
  readonly dim: number;
  readonly name: string;
}

export function modelTfIdf(table: ResponseTable, options: TfIdfOptions = DEFAULT_TFIDF): ModelEmbeddings {
  const n = table.models.length;
  const vocabulary = new IntIdTable(1 << 16);
  const docs: CountVector[] = [];
  const counter = new DocumentCounter(vocabulary, options.features, 1 << 16);
  for (let m = 0; m < n; m++) {
    for (let p = 0; p < table.probes.length; p++) for (const t of cellOf(table, p, m)) counter.add(t);
    docs.push(counter.take());
  }
  const vectors = weightDocuments(docs, vocabulary.size, options) as SparseVector[];
  return { models: table.models, vectors, dim: vocabulary.size, name: tfidfName(options) };
}
