import { describe, expect, it } from 'vitest';
import type { AlleleFrequencies } from '../../src/phenotype/alleles.js';
import { geneIdentities, MIN_IDENTITY, neiDistance } from '../../src/distance/nei.js';
import { distanceAt } from '../../src/core/matrix.js';

// Two genes, three models. Hand computation (Nei 1972):
// gene 1 alleles (a, b): X = (1, 0), Y = (0.5, 0.5), Z = (0, 1)
// gene 2 alleles (c, d, e): X = (0.5, 0.5, 0), Y = (0.5, 0.5, 0), Z = (0, 0, 1)
// J_X = mean(1, 0.5) = 0.75; J_Y = mean(0.5, 0.5) = 0.5; J_Z = mean(1, 1) = 1
// J_XY = mean(0.5, 0.5) = 0.5 -> D = -ln(0.5 / sqrt(0.75 * 0.5)) = -ln(0.8164966) = 0.2027326
// J_YZ = mean(0.5, 0) = 0.25 -> D = -ln(0.25 / sqrt(0.5 * 1)) = -ln(0.3535534) = 1.0397208
// J_XZ = mean(0, 0) = 0 -> identity 0 -> D = -ln(MIN_IDENTITY)
const af: AlleleFrequencies = {
  models: ['X', 'Y', 'Z'],
  genes: ['g1', 'g2'],
  probeIndex: Int32Array.from([0, 1]),
  alleles: [
    ['a', 'b'],
    ['c', 'd', 'e'],
  ],
  frequencies: [
    [Float64Array.from([1, 0]), Float64Array.from([0.5, 0.5]), Float64Array.from([0, 1])],
    [Float64Array.from([0.5, 0.5, 0]), Float64Array.from([0.5, 0.5, 0]), Float64Array.from([0, 0, 1])],
  ],
};

describe("Nei's standard genetic distance", () => {
  it('matches the hand-computed values', () => {
    const m = neiDistance(geneIdentities(af));
    expect(m.metric).toBe('nei');
    expect(distanceAt(m, 0, 1)).toBeCloseTo(0.2027326, 6);
    expect(distanceAt(m, 1, 2)).toBeCloseTo(1.0397208, 6);
    expect(distanceAt(m, 0, 2)).toBeCloseTo(-Math.log(MIN_IDENTITY), 9);
    expect(distanceAt(m, 1, 0)).toBe(distanceAt(m, 0, 1));
    expect(distanceAt(m, 0, 0)).toBe(0);
  });

  it('is 0 between identical frequency profiles', () => {
    const same: AlleleFrequencies = { ...af, frequencies: af.frequencies.map((g) => [g[0], g[0], g[2]]) };
    expect(distanceAt(neiDistance(geneIdentities(same)), 0, 1)).toBeCloseTo(0, 12);
  });

  it('weights genes: weight 0 drops a gene, weight 2 counts it twice', () => {
    const gi = geneIdentities(af);
    // Only gene 2: X and Y identical there.
    expect(distanceAt(neiDistance(gi, [0, 1]), 0, 1)).toBeCloseTo(0, 12);
    // Gene 1 twice, gene 2 once: J_XY = (2*0.5 + 0.5)/3 = 0.5, J_X = (2*1 + 0.5)/3, J_Y = 0.5.
    const expected = -Math.log(0.5 / Math.sqrt((2.5 / 3) * 0.5));
    expect(distanceAt(neiDistance(gi, [2, 1]), 0, 1)).toBeCloseTo(expected, 10);
  });

  it('averages over the genes both models have', () => {
    const gap: AlleleFrequencies = {
      ...af,
      frequencies: [af.frequencies[0]!, [af.frequencies[1]![0], af.frequencies[1]![1], undefined]],
    };
    const m = neiDistance(geneIdentities(gap));
    // Y-Z share gene 1 only: J_YZ = 0.5, J_Y = 0.5, J_Z = 1 -> -ln(0.5 / sqrt(0.5)).
    expect(distanceAt(m, 1, 2)).toBeCloseTo(-Math.log(0.5 / Math.sqrt(0.5)), 10);
  });
});
