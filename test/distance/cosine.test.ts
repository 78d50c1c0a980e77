import { describe, expect, it } from 'vitest';
import { cosineDistance, cosineDistanceSparse, cosineStack } from '../../src/distance/cosine.js';
import type { ProbeEmbeddings, SparseVector } from '../../src/phenotype/tfidf.js';

const unit = (indices: number[], values: number[]): SparseVector => {
  const norm = Math.hypot(...values);
  return { indices: Int32Array.from(indices), values: Float64Array.from(values.map((v) => v / norm)) };
};

describe('cosine distance', () => {
  it('is 0 for identical vectors and for parallel dense vectors', () => {
    const v = unit([1, 5, 9], [0.3, 2, 1]);
    expect(cosineDistanceSparse(v, v)).toBe(0);
    expect(cosineDistance([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 12);
  });

  it('is 1 for orthogonal vectors and matches the dense form', () => {
    expect(cosineDistanceSparse(unit([0, 1], [1, 1]), unit([2, 3], [1, 2]))).toBe(1);
    const a = unit([0, 2, 4], [1, 2, 3]);
    const b = unit([1, 2, 4], [4, 5, 6]);
    const dense = (v: SparseVector) => {
      const out = new Float64Array(5);
      v.indices.forEach((k, i) => {
        out[k] = v.values[i]!;
      });
      return out;
    };
    expect(cosineDistanceSparse(a, b)).toBeCloseTo(cosineDistance(dense(a), dense(b)), 12);
  });

  it('treats an empty response as far from any answer and equal to another empty one', () => {
    const empty: SparseVector = { indices: new Int32Array(0), values: new Float64Array(0) };
    expect(cosineDistanceSparse(empty, unit([1], [1]))).toBe(1);
    expect(cosineDistanceSparse(empty, empty)).toBe(0);
  });

  it('stacks per-probe distances and marks missing responses absent', () => {
    const v = unit([0, 1], [1, 0]);
    const w = unit([0, 1], [0, 1]);
    const emb: ProbeEmbeddings = {
      models: ['a', 'b', 'c'],
      probes: ['p1', 'p2'],
      vectors: [v, v, w, v, undefined, w],
      dims: Int32Array.from([2, 2]),
      name: 'test',
    };
    const stack = cosineStack(emb);
    // pairs in order (a,b), (a,c), (b,c)
    expect(Array.from(stack.distances.slice(0, 3))).toEqual([0, 1, 1]);
    expect(Array.from(stack.present)).toEqual([1, 1, 1, 0, 1, 0]);
    expect(stack.distances[4]).toBe(1);
  });
});
