/** Result of {@link kpssTest}. */
export interface KpssResult {
  /** The KPSS level-stationarity statistic η̂ / σ̂²_long-run. */
  statistic: number;
  /** Newey–West truncation lag used. */
  lags: number;
  /** True when the statistic exceeds the 5 % critical value 0.463 (series looks non-stationary). */
  rejects: boolean;
}

/** 5 % critical value of the KPSS level-stationarity test (Kwiatkowski et al. 1992, Table 1). */
export const KPSS_CRITICAL_5 = 0.463;

/**
 * KPSS test of level stationarity (Kwiatkowski, Phillips, Schmidt & Shin 1992), the unit-root
 * test `auto.arima` uses to choose d. Long-run variance by Newey–West with Bartlett weights and
 * lag ⌊3√n / 13⌋ (the choice of R's forecast::ndiffs). Finite values only (gaps are skipped).
 */
export function kpssTest(y: ArrayLike<number>): KpssResult {
  const x: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (v === v) x.push(v);
  }
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v / n;
  const e = x.map((v) => v - mean);
  let s = 0;
  let eta = 0;
  let s0 = 0;
  for (const v of e) {
    s += v;
    eta += s * s;
    s0 += v * v;
  }
  eta /= n * n;
  const lags = Math.min(n - 1, Math.floor((3 * Math.sqrt(n)) / 13));
  let lrv = s0 / n;
  for (let l = 1; l <= lags; l++) {
    let c = 0;
    for (let t = l; t < n; t++) c += (e[t] as number) * (e[t - l] as number);
    lrv += (2 * (1 - l / (lags + 1)) * c) / n;
  }
  const statistic = lrv > 0 ? eta / lrv : 0;
  return { statistic, lags, rejects: statistic > KPSS_CRITICAL_5 };
}
