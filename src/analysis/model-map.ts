// A 2-D map of models from a distance matrix, for the TUI's "map" tab and the report. UMAP (McInnes, Healy &
// Melville 2018, arXiv:1802.03426) on the exact k-nearest neighbours of the matrix; below UMAP's minimum size,
// classical MDS (Torgerson 1952).
import { UMAP } from 'umap-js';
import type { DistanceMatrix } from '../core/matrix.js';
import { seededRng } from '../core/random.js';

export interface MapPoint {
  readonly label: string;
  readonly x: number;
  readonly y: number;
}

/** Classical MDS: the top two eigenvectors of the double-centred squared distances (power iteration). */
export function classicalMds(m: DistanceMatrix, seed = 1): MapPoint[] {
  const n = m.labels.length;
  if (n === 0) return [];
  if (n === 1) return [{ label: m.labels[0]!, x: 0, y: 0 }];
  const b = new Float64Array(n * n);
  const rowMean = new Float64Array(n);
  let grand = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d2 = m.values[i * n + j]! ** 2;
      b[i * n + j] = d2;
      rowMean[i]! += d2 / n;
      grand += d2 / (n * n);
    }
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) b[i * n + j] = -0.5 * (b[i * n + j]! - rowMean[i]! - rowMean[j]! + grand);
  const rng = seededRng(seed);
  const axes: Float64Array[] = [];
  const scales: number[] = [];
  for (let k = 0; k < 2; k++) {
    let v = Float64Array.from({ length: n }, () => rng() - 0.5);
    let lambda = 0;
    for (let iter = 0; iter < 300; iter++) {
      // Deflate against the axes already found so the second is orthogonal to the first.
      for (const a of axes) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i]! * a[i]!;
        for (let i = 0; i < n; i++) v[i]! -= dot * a[i]!;
      }
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += b[i * n + j]! * v[j]!;
        w[i] = s;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += w[i]! * w[i]!;
      norm = Math.sqrt(norm);
      if (norm < 1e-12) break;
      lambda = norm;
      for (let i = 0; i < n; i++) w[i]! /= norm;
      v = w;
    }
    axes.push(v);
    scales.push(Math.sqrt(lambda));
  }
  return m.labels.map((label, i) => ({ label, x: axes[0]![i]! * scales[0]!, y: axes[1]![i]! * scales[1]! }));
}

/** UMAP needs more points than neighbours; with fewer than this many models the map is classical MDS. */
export const UMAP_MIN_MODELS = 5;

/** Seeded, so the same run always draws the same map. */
export function modelMap(m: DistanceMatrix, seed = 42): { points: MapPoint[]; method: 'umap' | 'mds' } {
  const n = m.labels.length;
  if (n < UMAP_MIN_MODELS) return { points: classicalMds(m, seed), method: 'mds' };
  const k = Math.min(15, n - 1);
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  for (let i = 0; i < n; i++) {
    // Each point is its own first neighbour at distance 0, as umap-js's nearest-neighbour search returns it.
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) =>
      a === i ? -1 : b === i ? 1 : m.values[i * n + a]! - m.values[i * n + b]!,
    );
    knnIndices.push(order.slice(0, k));
    knnDistances.push(order.slice(0, k).map((j) => (j === i ? 0 : m.values[i * n + j]!)));
  }
  const umap = new UMAP({ nComponents: 2, nNeighbors: k, minDist: 0.1, random: seededRng(seed), nEpochs: 200 });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  // The vectors are only counted once the neighbours are given; the index stands in for the data.
  const embedding = umap.fit(m.labels.map((_, i) => [i]));
  return {
    points: m.labels.map((label, i) => ({ label, x: embedding[i]![0]!, y: embedding[i]![1]! })),
    method: 'umap',
  };
}
