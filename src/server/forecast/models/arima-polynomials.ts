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

/** A sparse lag polynomial used as `Σ coefs[k] · x_{t − lags[k]}` (lags ≥ 1, ascending). */
export interface LagPoly {
  lags: number[];
  coefs: number[];
}

/** Product of two operator polynomials given as lag → coefficient maps (lag 0 included). */
function multiply(a: Map<number, number>, b: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [la, ca] of a) for (const [lb, cb] of b) out.set(la + lb, (out.get(la + lb) ?? 0) + ca * cb);
  return out;
}

function toLagPoly(op: Map<number, number>, sign: number): LagPoly {
  const lags = [...op.keys()].filter((l) => l > 0 && op.get(l) !== 0).sort((x, y) => x - y);
  return { lags, coefs: lags.map((l) => sign * (op.get(l) as number)) };
}

/**
 * The AR and MA parts of a seasonal ARIMA(p,d,q)(P,D,Q)_m as sparse lag polynomials on levels:
 * y_t = c + Σ ar.coefs·y_{t−ar.lags} + e_t + Σ ma.coefs·e_{t−ma.lags}, with the AR operator
 * φ(B)Φ(B^m)(1 − B)^d(1 − B^m)^D and the MA operator θ(B)Θ(B^m).
 */
export function arimaLagPolys(c: {
  phi: readonly number[];
  d: number;
  theta: readonly number[];
  m?: number;
  D?: number;
  sphi?: readonly number[];
  stheta?: readonly number[];
}): { ar: LagPoly; ma: LagPoly } {
  const m = c.m ?? 0;
  let ar = new Map<number, number>([[0, 1]]);
  ar = multiply(ar, new Map([[0, 1], ...c.phi.map((v, i) => [i + 1, -v] as [number, number])]));
  if (m > 0 && c.sphi && c.sphi.length > 0) ar = multiply(ar, new Map([[0, 1], ...c.sphi.map((v, i) => [(i + 1) * m, -v] as [number, number])]));
  for (let k = 0; k < c.d; k++) ar = multiply(ar, new Map([[0, 1], [1, -1]]));
  for (let k = 0; k < (c.D ?? 0); k++) ar = multiply(ar, new Map([[0, 1], [m, -1]]));
  let ma = new Map<number, number>([[0, 1], ...c.theta.map((v, i) => [i + 1, v] as [number, number])]);
  if (m > 0 && c.stheta && c.stheta.length > 0) ma = multiply(ma, new Map([[0, 1], ...c.stheta.map((v, i) => [(i + 1) * m, v] as [number, number])]));
  return { ar: toLagPoly(ar, -1), ma: toLagPoly(ma, 1) };
}

/** ψ-weights ψ_0..ψ_{h−1} for sparse AR/MA polynomials (see {@link arimaLagPolys}). */
export function psiWeightsSparse(ar: LagPoly, ma: LagPoly, h: number): Float64Array {
  const psi = new Float64Array(h);
  if (h === 0) return psi;
  const maDense = new Float64Array(h);
  ma.lags.forEach((l, k) => {
    if (l < h) maDense[l] = ma.coefs[k] as number;
  });
  psi[0] = 1;
  for (let j = 1; j < h; j++) {
    let v = maDense[j] as number;
    for (let k = 0; k < ar.lags.length; k++) {
      const l = ar.lags[k] as number;
      if (l > j) break;
      v += (ar.coefs[k] as number) * (psi[j - l] as number);
    }
    psi[j] = v;
  }
  return psi;
}
