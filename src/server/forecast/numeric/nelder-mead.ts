/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate (same length as x0, or one number). Default 0.1. */
  step?: number | readonly number[];
  /** Maximum objective evaluations. Default 200 × dimension. */
  maxEvals?: number;
  /** Stop when the simplex's objective values differ by less than this (absolute + relative). Default 1e-10. */
  fTol?: number;
  /** Stop when every vertex is within this distance of the best, per coordinate. Default 1e-8. */
  xTol?: number;
  /** Restart from the best point once converged, this many times (guards against early collapse). Default 1. */
  restarts?: number;
}

/** Result of {@link nelderMead}. */
export interface NelderMeadResult {
  x: number[];
  f: number;
  evals: number;
  converged: boolean;
}

/**
 * Unconstrained minimisation by the Nelder–Mead simplex method (Lagarias et al. 1998
 * formulation: reflection 1, expansion 2, contraction 0.5, shrink 0.5). Constraints are the
 * caller's job (optimise in a transformed space). Non-finite objective values are treated as
 * +Infinity, so the simplex walks away from them. Deterministic.
 */
export function nelderMead(f: (x: readonly number[]) => number, x0: readonly number[], opts: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  const maxEvals = opts.maxEvals ?? 200 * Math.max(1, n);
  const fTol = opts.fTol ?? 1e-10;
  const xTol = opts.xTol ?? 1e-8;
  let evals = 0;
  const fx = (x: readonly number[]): number => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  if (n === 0) return { x: [], f: fx([]), evals, converged: true };
  let best = { x: [...x0], f: fx(x0) };
  let converged = false;
  for (let round = 0; round <= (opts.restarts ?? 1); round++) {
    const r = simplexRun(fx, best.x, best.f, opts.step ?? 0.1, () => evals < maxEvals, fTol, xTol);
    const improved = r.f < best.f;
    if (r.f <= best.f) best = { x: r.x, f: r.f };
    converged = r.converged;
    if (!r.converged || !improved) break;
  }
  return { x: best.x, f: best.f, evals, converged };
}

function simplexRun(
  fx: (x: readonly number[]) => number,
  start: number[],
  fStart: number,
  step: number | readonly number[],
  budgetLeft: () => boolean,
  fTol: number,
  xTol: number,
): { x: number[]; f: number; converged: boolean } {
  const n = start.length;
  const pts: number[][] = [start];
  const vals: number[] = [fStart];
  for (let i = 0; i < n; i++) {
    const p = [...start];
    const s = typeof step === 'number' ? step : (step[i] ?? 0.1);
    p[i] = (p[i] as number) + (s === 0 ? 0.00025 : s);
    pts.push(p);
    vals.push(fx(p));
  }
  const order = pts.map((_, i) => i);
  const at = (k: number): number[] => pts[order[k] as number] as number[];
  const val = (k: number): number => vals[order[k] as number] as number;
  const centroid = new Array<number>(n);
  const moved = (c: number, coef: number): number[] => {
    const w = at(n);
    const out = new Array<number>(n);
    for (let j = 0; j < n; j++) out[j] = (centroid[j] as number) + coef * ((centroid[j] as number) - (w[j] as number));
    return out;
  };
  const replaceWorst = (p: number[], v: number): void => {
    const idx = order[n] as number;
    pts[idx] = p;
    vals[idx] = v;
  };
  let converged = false;
  while (budgetLeft()) {
    order.sort((a, b) => (vals[a] as number) - (vals[b] as number));
    if (isConverged(pts, vals, order, fTol, xTol)) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = at(k);
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (p[j] as number) / n;
    }
    const xr = moved(0, 1);
    const fr = fx(xr);
    if (fr < val(0)) {
      const xe = moved(0, 2);
      const fe = fx(xe);
      if (fe < fr) replaceWorst(xe, fe);
      else replaceWorst(xr, fr);
    } else if (fr < val(n - 1)) {
      replaceWorst(xr, fr);
    } else {
      const outside = fr < val(n);
      const xc = outside ? moved(0, 0.5) : moved(0, -0.5);
      const fc = fx(xc);
      if (fc < (outside ? fr : val(n))) {
        replaceWorst(xc, fc);
      } else {
        const b = at(0);
        for (let k = 1; k <= n; k++) {
          const idx = order[k] as number;
          const p = pts[idx] as number[];
          for (let j = 0; j < n; j++) p[j] = (b[j] as number) + 0.5 * ((p[j] as number) - (b[j] as number));
          vals[idx] = fx(p);
          if (!budgetLeft()) break;
        }
      }
    }
  }
  order.sort((a, b) => (vals[a] as number) - (vals[b] as number));
  return { x: [...(pts[order[0] as number] as number[])], f: vals[order[0] as number] as number, converged };
}

function isConverged(pts: number[][], vals: number[], order: number[], fTol: number, xTol: number): boolean {
  const fb = vals[order[0] as number] as number;
  const fw = vals[order[order.length - 1] as number] as number;
  if (!(Math.abs(fw - fb) <= fTol * (1 + Math.abs(fb)))) return false;
  const b = pts[order[0] as number] as number[];
  for (const p of pts) {
    for (let j = 0; j < b.length; j++) if (Math.abs((p[j] as number) - (b[j] as number)) > xTol * (1 + Math.abs(b[j] as number))) return false;
  }
  return true;
}
