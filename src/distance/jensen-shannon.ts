// Jensen-Shannon divergence (Lin 1991): JS(P, Q) = H(M) - (H(P) + H(Q)) / 2 with M = (P + Q) / 2, in bits, so it
// lies in [0, 1]; its square root is a metric (Endres & Schindelin 2003).

/** JS divergence of two distributions given as aligned arrays (normalised here; an all-zero input is an error). */
export function jensenShannonDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`jensenShannonDivergence: lengths ${p.length} and ${q.length}`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  if (!(sp > 0) || !(sq > 0)) throw new Error('jensenShannonDivergence: a distribution with no mass');
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    if (a > 0) js += (a / 2) * Math.log2(a / m);
    if (b > 0) js += (b / 2) * Math.log2(b / m);
  }
  return Math.min(1, Math.max(0, js));
}

/** The Jensen-Shannon distance sqrt(JS), a metric in [0, 1]. */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  return Math.sqrt(jensenShannonDivergence(p, q));
}
