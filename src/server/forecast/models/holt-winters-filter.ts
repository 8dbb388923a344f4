/**
 * The Holt-Winters recursions (error-correction form of R's `stats::HoltWinters`, extended with
 * Gardner's damped trend φ). With season length `m` (0 = no season):
 *
 *   ŷ[t]  = (l + φb) + s[t−m]                      additive
 *   ŷ[t]  = (l + φb) · s[t−m]                      multiplicative
 *   l'    = α (y − s[t−m]) + (1 − α)(l + φb)       (y / s[t−m] when multiplicative)
 *   b'    = β (l' − l) + (1 − β) φ b
 *   s[t]  = γ (y − l') + (1 − γ) s[t−m]            (y / l' when multiplicative)
 *
 * With φ = 1 this is exactly R's C routine, so fixed-parameter fits reproduce R to rounding.
 * A missing y[t] (NaN) takes the prediction as observation: states move on by the model
 * (l' = l + φb, b' = φb, s unchanged) and no error is counted — the Kalman-filter treatment of
 * a missing observation for this model class.
 */
export interface HwConfig {
  /** Season length in steps; 0 for none. */
  m: number;
  multiplicative: boolean;
  /** False: no trend (b stays 0). */
  trend: boolean;
  alpha: number;
  beta: number;
  gamma: number;
  /** Damping in (0, 1]; 1 = undamped (R's HoltWinters). */
  phi: number;
}

/** States before the first filtered point. `season[k]` is the seasonal state for position start+k (mod m). */
export interface HwStates {
  level: number;
  trend: number;
  season: Float64Array;
  /** Index of the first filtered observation. */
  start: number;
}

/** Output of {@link hwFilter}. */
export interface HwFilterResult {
  /** Sum of squared one-step errors over finite observations. */
  sse: number;
  /** Sum of squared one-step errors divided by the seasonal factor (multiplicative only). */
  sseRelative: number;
  count: number;
  level: number;
  trend: number;
  /** Final seasonal states: `season[k]` applies to grid positions ≡ k (mod m). */
  season: Float64Array;
}

/** Per-step states recorded by {@link hwFilter} (for empirical intervals). */
export interface HwTrace {
  /** Level after observing y[t]. */
  level: Float64Array;
  /** Trend after observing y[t]. */
  trend: Float64Array;
  /** Seasonal state of position t after observing y[t]. */
  season: Float64Array;
}

/**
 * Runs the recursions over `y` from `init.start`. Writes one-step predictions into `fitted`
 * (indices before `init.start` untouched) and the states into `trace` when given. Returns
 * `sse = Infinity` when a multiplicative level hits zero or anything overflows, so optimisers
 * steer away.
 */
export function hwFilter(y: Float64Array, cfg: HwConfig, init: HwStates, fitted?: Float64Array, trace?: HwTrace): HwFilterResult {
  const { m, multiplicative, alpha, beta, gamma, phi } = cfg;
  const useTrend = cfg.trend;
  const n = y.length;
  // Season indexed by absolute position mod m so forecasts can look it up directly.
  const season = new Float64Array(Math.max(m, 1));
  if (m > 0) for (let k = 0; k < m; k++) season[(init.start + k) % m] = init.season[k] as number;
  let l = init.level;
  let b = useTrend ? init.trend : 0;
  let sse = 0;
  let sseRel = 0;
  let count = 0;
  let j = m > 0 ? init.start % m : 0;
  for (let t = init.start; t < n; t++) {
    const st = m > 0 ? (season[j] as number) : multiplicative ? 1 : 0;
    const lb = l + phi * b;
    const yhat = multiplicative ? lb * st : lb + st;
    if (fitted) fitted[t] = yhat;
    const v = y[t] as number;
    if (v === v) {
      const e = v - yhat;
      sse += e * e;
      if (multiplicative) sseRel += (e / st) * (e / st);
      count++;
      const ln = alpha * (multiplicative ? v / st : v - st) + (1 - alpha) * lb;
      if (useTrend) b = beta * (ln - l) + (1 - beta) * phi * b;
      if (m > 0) season[j] = gamma * (multiplicative ? v / ln : v - ln) + (1 - gamma) * st;
      l = ln;
      if (multiplicative && !(ln > 0)) return failed(season);
    } else {
      l = lb;
      b = phi * b;
    }
    if (trace) {
      trace.level[t] = l;
      trace.trend[t] = b;
      trace.season[t] = m > 0 ? (season[j] as number) : 0;
    }
    if (m > 0 && ++j === m) j = 0;
  }
  if (!Number.isFinite(sse)) return failed(season);
  return { sse, sseRelative: sseRel, count, level: l, trend: b, season };
}

function failed(season: Float64Array): HwFilterResult {
  return { sse: Infinity, sseRelative: Infinity, count: 0, level: Number.NaN, trend: Number.NaN, season };
}

/**
 * Initial states as R's `HoltWinters` computes them (start.periods = 2): a classical
 * decomposition (`decompose`) of the first two seasons — centred moving average of order m
 * (2×m when m is even) for the trend, seasonal figure = per-position mean of detrended values,
 * centred — then level/trend from a least-squares line through the trend values. Filtering
 * starts at index m. Gaps in the first two seasons are linearly interpolated for this purpose.
 *
 * Without a season: level y[1], trend y[1] − y[0], start 2 (R's Holt); without trend either:
 * level y[0], start 1.
 */
export function hwInitialStates(y: Float64Array, m: number, multiplicative: boolean, trend: boolean): HwStates {
  if (m === 0) {
    const x = interpolateGaps(y.subarray(0, Math.min(y.length, 2)));
    if (!trend) return { level: x[0] as number, trend: 0, season: new Float64Array(0), start: 1 };
    return { level: x[1] as number, trend: (x[1] as number) - (x[0] as number), season: new Float64Array(0), start: 2 };
  }
  const wind = 2 * m;
  const x = interpolateGaps(y.subarray(0, wind));
  const trendMa = new Float64Array(wind).fill(Number.NaN);
  const half = Math.floor(m / 2);
  if (m % 2 === 0) {
    // weights 0.5, 1, …, 1, 0.5 over x[i−m/2 .. i+m/2], divided by m
    let inner = 0;
    for (let k = 1; k < m; k++) inner += x[k] as number; // x[1..m-1]: the unit-weight part for i = half
    for (let i = half; i + half < wind; i++) {
      if (i > half) inner += (x[i + half - 1] as number) - (x[i - half] as number);
      trendMa[i] = (inner + 0.5 * ((x[i - half] as number) + (x[i + half] as number))) / m;
    }
  } else {
    let sum = 0;
    for (let k = 0; k < m; k++) sum += x[k] as number;
    for (let i = half; i + half < wind; i++) {
      if (i > half) sum += (x[i + half] as number) - (x[i - half - 1] as number);
      trendMa[i] = sum / m;
    }
  }
  const figure = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let s = 0;
    let c = 0;
    for (let i = k; i < wind; i += m) {
      const tr = trendMa[i] as number;
      if (tr === tr) {
        s += multiplicative ? (x[i] as number) / tr : (x[i] as number) - tr;
        c++;
      }
    }
    figure[k] = s / c;
  }
  let fm = 0;
  for (let k = 0; k < m; k++) fm += figure[k] as number;
  fm /= m;
  for (let k = 0; k < m; k++) figure[k] = multiplicative ? (figure[k] as number) / fm : (figure[k] as number) - fm;
  // Least-squares line through the defined trend values, regressed on 1..len (R's .lm.fit);
  // two passes (centred sums) so large values (bytes) do not cancel catastrophically.
  const tv: number[] = [];
  for (let i = 0; i < wind; i++) if ((trendMa[i] as number) === (trendMa[i] as number)) tv.push(trendMa[i] as number);
  const cnt = tv.length;
  const xBar = (cnt + 1) / 2;
  let yBar = 0;
  for (const v of tv) yBar += v / cnt;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < cnt; i++) {
    const dx = i + 1 - xBar;
    sxx += dx * dx;
    sxy += dx * ((tv[i] as number) - yBar);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = yBar - slope * xBar;
  return { level: intercept, trend: trend ? slope : 0, season: figure, start: m };
}

/** Copy of `x` with interior NaN runs replaced by linear interpolation and edge runs by the nearest value. */
export function interpolateGaps(x: Float64Array): Float64Array {
  const out = Float64Array.from(x);
  let prev = -1;
  for (let i = 0; i < out.length; i++) {
    if ((out[i] as number) !== (out[i] as number)) continue;
    if (prev < 0 && i > 0) out.fill(out[i] as number, 0, i);
    else if (prev >= 0 && i - prev > 1) {
      const a = out[prev] as number;
      const d = ((out[i] as number) - a) / (i - prev);
      for (let k = prev + 1; k < i; k++) out[k] = a + d * (k - prev);
    }
    prev = i;
  }
  if (prev >= 0 && prev < out.length - 1) out.fill(out[prev] as number, prev + 1);
  return out;
}

/**
 * Point forecasts 1..h after the last filtered point (index n−1):
 * (l + (φ + … + φ^k) b) combined with the season state of position n−1+k.
 */
export function hwPointForecast(cfg: HwConfig, fin: HwFilterResult, n: number, h: number): Float64Array {
  const out = new Float64Array(h);
  let damp = 0;
  let pk = 1;
  for (let k = 1; k <= h; k++) {
    pk *= cfg.phi;
    damp += pk;
    const lb = fin.level + damp * fin.trend;
    if (cfg.m === 0) out[k - 1] = lb;
    else {
      const s = fin.season[(n - 1 + k) % cfg.m] as number;
      out[k - 1] = cfg.multiplicative ? lb * s : lb + s;
    }
  }
  return out;
}

/**
 * Forecast standard errors from the ψ-weights of the equivalent ETS(A, Ad, A) model:
 * ψ_j = α(1 + β(φ + … + φ^j)) + γ(1 − α)·[j mod m = 0], var_h = σ²(1 + Σ_{j<h} ψ_j²) — R's
 * `predict.HoltWinters` formula, extended by φ. For multiplicative seasonality the same weights
 * are applied to the deseasonalised scale and multiplied by the season factor of the target
 * step (σ then is the deseasonalised error sd): an approximation, documented as such.
 */
export function hwForecastSe(cfg: HwConfig, fin: HwFilterResult, n: number, sigma: number, h: number): Float64Array {
  const out = new Float64Array(h);
  let acc = 0; // Σ ψ_j² for j < k
  let damp = 0;
  let pk = 1;
  for (let k = 1; k <= h; k++) {
    const base = sigma * Math.sqrt(1 + acc);
    if (cfg.multiplicative && cfg.m > 0) out[k - 1] = base * Math.abs(fin.season[(n - 1 + k) % cfg.m] as number);
    else out[k - 1] = base;
    // ψ_k for the next step
    pk *= cfg.phi;
    damp += pk;
    const psi = cfg.alpha * (1 + (cfg.trend ? cfg.beta * damp : 0)) + (cfg.m > 0 && k % cfg.m === 0 ? cfg.gamma * (1 - cfg.alpha) : 0);
    acc += psi * psi;
  }
  return out;
}

/**
 * The h-step forecast made at origin t (after y[t]) from a {@link HwTrace}: the in-sample
 * counterpart of {@link hwPointForecast}, used to measure empirical forecast errors.
 * `dampSum[h]` = φ + … + φ^h.
 */
export function hwForecastFrom(cfg: HwConfig, init: HwStates, trace: HwTrace, dampSum: Float64Array, t: number, h: number): number {
  const lb = (trace.level[t] as number) + (dampSum[h] as number) * (trace.trend[t] as number);
  if (cfg.m === 0) return lb;
  // Latest update of the target's season position at or before t.
  const tp = t + h - cfg.m * Math.ceil(h / cfg.m);
  const s = tp >= init.start ? (trace.season[tp] as number) : (init.season[(((tp - init.start) % cfg.m) + cfg.m) % cfg.m] as number);
  return cfg.multiplicative ? lb * s : lb + s;
}
