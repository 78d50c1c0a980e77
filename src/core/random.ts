// Seeded randomness, passed in explicitly (STYLE.md: no hidden globals in the math).

/** A seeded generator of uniform floats in [0, 1): mulberry32. */
export type Rng = () => number;

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** A standard normal deviate (Box-Muller). */
export function randomNormal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * The seed of one sample, derived from a collection seed and what the sample is (model, probe, sample index), never
 * from arrival order or concurrency: any sample can be redrawn alone, and another collection seed draws an
 * independent sample. FNV-1a over the parts, then murmur3's finalizer so that nearby inputs give unrelated seeds.
 */
export function sampleSeed(seed: number, model: string, probe: string, index: number): number {
  const text = `${seed >>> 0}\u0000${model}\u0000${probe}\u0000${index}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
