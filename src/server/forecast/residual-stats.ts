/** Summary of one-step residuals. */
export interface ResidualStats {
  /** `y[i] - fitted[i]`, NaN where either is missing. */
  residuals: Float64Array;
  /** Number of finite residuals. */
  count: number;
  /** Sum of squared finite residuals. */
  sse: number;
}

/** Residuals of in-sample one-step predictions and their sum of squares. */
export function residualStats(y: Float64Array, fitted: Float64Array): ResidualStats {
  const residuals = new Float64Array(y.length);
  let count = 0;
  let sse = 0;
  for (let i = 0; i < y.length; i++) {
    const e = (y[i] as number) - (fitted[i] as number);
    residuals[i] = e;
    if (Number.isFinite(e)) {
      count++;
      sse += e * e;
    } else {
      residuals[i] = Number.NaN;
    }
  }
  return { residuals, count, sse };
}

/**
 * Standard deviation from a sum of squares: sqrt(sse / (count - params)), with the denominator
 * floored at 1 so a tiny sample never divides by zero or goes negative.
 */
export function sigmaFrom(sse: number, count: number, params: number): number {
  return Math.sqrt(sse / Math.max(1, count - params));
}
