/**
 * Solves the least-squares problem min ‖Xb − y‖² from its normal equations, accumulated row by
 * row (X'X, X'y), by Cholesky with a tiny ridge on the diagonal so collinear columns give a
 * finite answer instead of NaN. Returns the coefficients (length k) or undefined when the system
 * is hopeless (non-finite input). Good for the small k (≤ 15) used by the models. The ridge
 * (1e-10 of the mean diagonal) is only added when the plain system is not positive definite.
 */
export class NormalEquations {
  private readonly xtx: Float64Array;
  private readonly xty: Float64Array;
  rows = 0;

  constructor(readonly k: number) {
    this.xtx = new Float64Array(k * k);
    this.xty = new Float64Array(k);
  }

  /** Adds one observation: regressors `x` (length k) and response `y`. */
  add(x: ArrayLike<number>, y: number): void {
    const k = this.k;
    for (let i = 0; i < k; i++) {
      const xi = x[i] as number;
      this.xty[i] = (this.xty[i] as number) + xi * y;
      for (let j = 0; j <= i; j++) this.xtx[i * k + j] = (this.xtx[i * k + j] as number) + xi * (x[j] as number);
    }
    this.rows++;
  }

  /** Coefficients minimising the squared error, or undefined. */
  solve(): number[] | undefined {
    let trace = 0;
    for (let i = 0; i < this.k; i++) trace += this.xtx[i * this.k + i] as number;
    return this.solveWithRidge(0) ?? this.solveWithRidge(1e-10 * (trace / Math.max(1, this.k) || 1));
  }

  private solveWithRidge(ridge: number): number[] | undefined {
    const k = this.k;
    const a = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) a[i * k + j] = (this.xtx[i * k + j] as number) + (i === j ? ridge : 0);
    // Cholesky: a = L L', stored in the lower triangle.
    for (let j = 0; j < k; j++) {
      let s = a[j * k + j] as number;
      for (let p = 0; p < j; p++) s -= (a[j * k + p] as number) ** 2;
      if (!(s > 0)) return undefined;
      const d = Math.sqrt(s);
      a[j * k + j] = d;
      for (let i = j + 1; i < k; i++) {
        let t = a[i * k + j] as number;
        for (let p = 0; p < j; p++) t -= (a[i * k + p] as number) * (a[j * k + p] as number);
        a[i * k + j] = t / d;
      }
    }
    const z = new Array<number>(k);
    for (let i = 0; i < k; i++) {
      let t = this.xty[i] as number;
      for (let p = 0; p < i; p++) t -= (a[i * k + p] as number) * (z[p] as number);
      z[i] = t / (a[i * k + i] as number);
    }
    const b = new Array<number>(k);
    for (let i = k - 1; i >= 0; i--) {
      let t = z[i] as number;
      for (let p = i + 1; p < k; p++) t -= (a[p * k + i] as number) * (b[p] as number);
      b[i] = t / (a[i * k + i] as number);
    }
    return b.every(Number.isFinite) ? b : undefined;
  }
}
