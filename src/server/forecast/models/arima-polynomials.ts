/**
 * Maps partial autocorrelations in (−1, 1) to AR coefficients by the Durbin–Levinson recursion
 * (Barndorff-Nielsen & Schou 1973; R's `transform.pars`). Every vector in the open cube maps to
 * a stationary AR polynomial, so an optimiser over `tanh(u)` never leaves the stationary region.
 */
export function pacfToAr(pacf: readonly number[]): number[] {
  const p = pacf.length;
  const phi = [...pacf];
  const work = [...pacf];
  for (let j = 1; j < p; j++) {
    const a = phi[j] as number;
    for (let k = 0; k < j; k++) work[k] = (work[k] as number) - a * (phi[j - k - 1] as number);
    for (let k = 0; k < j; k++) phi[k] = work[k] as number;
  }
  return phi;
}

/** Inverse of {@link pacfToAr} (step-down recursion); |result| < 1 iff the AR polynomial is stationary. */
export function arToPacf(ar: readonly number[]): number[] {
  const p = ar.length;
  const a = [...ar];
  const out = new Array<number>(p);
  for (let j = p - 1; j >= 0; j--) {
    const r = a[j] as number;
    out[j] = r;
    if (j === 0) break;
    const d = 1 - r * r;
    const prev = new Array<number>(j);
    for (let k = 0; k < j; k++) prev[k] = ((a[k] as number) + r * (a[j - 1 - k] as number)) / d;
    for (let k = 0; k < j; k++) a[k] = prev[k] as number;
  }
  return out;
}

/** Coefficients φ* of φ(B)(1 − B)^d written as y_t = Σ φ*_i y_{t−i} + …, i = 1..p+d. */
export function expandAr(phi: readonly number[], d: number): number[] {
  // poly = 1 − Σ φ_i B^i, multiplied d times by (1 − B)
  let poly = [1, ...phi.map((v) => -v)];
  for (let k = 0; k < d; k++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let i = 0; i < poly.length; i++) {
      next[i] = (next[i] as number) + (poly[i] as number);
      next[i + 1] = (next[i + 1] as number) - (poly[i] as number);
    }
    poly = next;
  }
  return poly.slice(1).map((v) => -v);
}

/** ψ-weights ψ_0..ψ_{h−1} of the MA(∞) form of an ARIMA with expanded AR φ* and MA θ. */
export function psiWeights(arStar: readonly number[], theta: readonly number[], h: number): Float64Array {
  const psi = new Float64Array(h);
  if (h === 0) return psi;
  psi[0] = 1;
  for (let j = 1; j < h; j++) {
    let v = j <= theta.length ? (theta[j - 1] as number) : 0;
    const lim = Math.min(j, arStar.length);
    for (let i = 1; i <= lim; i++) v += (arStar[i - 1] as number) * (psi[j - i] as number);
    psi[j] = v;
  }
  return psi;
}
