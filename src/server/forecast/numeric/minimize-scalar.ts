/** Result of {@link minimizeScalar}. */
export interface ScalarMinimum {
  x: number;
  f: number;
  evals: number;
}

/**
 * Minimises `f` on `[a, b]` by Brent's method (golden section with parabolic steps; the
 * algorithm of R's `optimize` / Brent 1973 "fmin"). `tol` is the absolute x tolerance
 * (default 1e-8). Non-finite values count as +Infinity.
 */
export function minimizeScalar(f: (x: number) => number, a: number, b: number, tol = 1e-8, maxEvals = 200): ScalarMinimum {
  const c = (3 - Math.sqrt(5)) / 2;
  let evals = 0;
  const fx = (x: number): number => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let v = a + c * (b - a);
  let w = v;
  let x = v;
  let e = 0;
  let d = 0;
  let fv = fx(x);
  let fw = fv;
  let fxv = fv;
  const eps = Math.sqrt(Number.EPSILON);
  while (evals < maxEvals) {
    const xm = (a + b) / 2;
    const tol1 = eps * Math.abs(x) + tol / 3;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - (b - a) / 2) break;
    let golden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fxv - fv);
      let q = (x - v) * (fxv - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < xm ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = (x < xm ? b : a) - x;
      d = c * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : d > 0 ? x + tol1 : x - tol1;
    const fu = fx(u);
    if (fu <= fxv) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fxv;
      x = u;
      fxv = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, f: fxv, evals };
}
