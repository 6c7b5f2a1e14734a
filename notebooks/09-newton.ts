/**
 * @file Notebook 09: second derivatives — `hessian`, `jacrev(jacrev(f))`, `hvp` — checked against
 * the closed form, then Newton's method against gradient descent on logistic regression.
 * Run: `npx tsx notebooks/09-newton.ts [--quick]`.
 */

/*
 * # Hessians and Newton's method
 *
 * Three ways to get second derivatives of a scalar function f: R^d → R:
 *
 * - `hessian(f)` = `jacfwd(jacrev(f))`: reverse mode for the gradient, then forward mode pushes d
 *   tangents through it. The usual choice: one reverse pass, d cheap forward passes.
 * - `jacrev(jacrev(f))`: reverse over reverse, d backward passes through the backward pass.
 * - `hvp(f)(x, v)` = H·v without ever forming H (forward-over-reverse): the cost of a couple of
 *   gradients, whatever d is. That is all conjugate gradients needs to solve H p = g, which gives
 *   Newton–CG, a Newton step for models too big to store their Hessian.
 *
 * The test problem is L2-regularised logistic regression, whose Hessian has a closed form,
 *
 *     f(w) = mean_i log(1 + exp(−y_i x_iᵀw)) + (λ/2)‖w‖²,
 *     H(w) = Xᵀ diag(s_i(1 − s_i)) X / n + λI,  s_i = σ(x_iᵀw),
 *
 * and which is strictly convex, so every method should reach the same minimiser.
 */
import { join } from "node:path";
import { grad, hessian, hvp, jacfwd, jacrev } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";

/**
 * Solves A x = b for a symmetric positive definite A (row-major d × d) by Cholesky, in plain JS: a
 * Newton step needs one small linear solve (np.linalg is not needed for an 11 × 11 system).
 */
export function solveSpd(A: ArrayLike<number>, b: ArrayLike<number>, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (s <= 0) throw new Error("solveSpd: the matrix is not positive definite");
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
    y[i] = s / L[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
  return x;
}

export interface NewtonResult {
  /** max |hessian(f) − closed form|. */
  readonly hessianErr: number;
  /** max |jacrev(jacrev(f)) − hessian(f)| and the same for jacfwd(jacfwd(f)). */
  readonly revRevErr: number;
  readonly fwdFwdErr: number;
  /** max |hvp(f)(w, v) − H v|. */
  readonly hvpErr: number;
  /** Iterations for the gradient norm to fall below 1e-10. */
  readonly newtonIters: number;
  readonly newtonCgIters: number;
  /** Gradient descent's gradient norm after as many iterations as the plot shows. */
  readonly gdFinalGradNorm: number;
  readonly gdIters: number;
  /** max |w_Newton − w_NewtonCG|. */
  readonly newtonVsCg: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<NewtonResult> {
  const dir = outDir(opts);

  /*
   * ## Data
   *
   * n points in d − 1 dimensions plus a constant feature (the bias), labels ±1 drawn from a
   * logistic model with known weights, so the classes overlap and the minimiser is finite. The
   * features have scales from 1 down to 0.03, as unstandardised data often do: the curvature
   * then differs by about 1000× between directions, which slows gradient descent but not Newton,
   * whose steps do not depend on how the coordinates are scaled.
   */
  const n = opts.quick ? 200 : 1000;
  const d = 11;
  const rng = new Rng(7);
  const featureScale = (j: number) => 30 ** (-j / (d - 2));
  const trueW = Array.from({ length: d }, (_, j) => (1.5 * rng.normal()) / (j === d - 1 ? 1 : featureScale(j)));
  const xData = new Float64Array(n * d);
  const yData = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < d; j++) {
      const v = j === d - 1 ? 1 : rng.normal() * featureScale(j);
      xData[i * d + j] = v;
      z += v * trueW[j]!;
    }
    yData[i] = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : -1;
  }
  const X = np.array(xData).reshape(n, d);
  const y = np.array(yData);
  const lambda = 1e-3;

  /* log(1 + e^t) is written `np.logaddexp(0, t)`, which never overflows. */
  const f = (w: np.NDArray): np.NDArray =>
    np.mean(np.logaddexp(0, y.neg().mul(np.matmul(X, w)))).add(np.sum(np.square(w)).mul(lambda / 2));
  const gradF = grad(f) as (w: np.NDArray) => np.NDArray;
  const hessF = hessian(f) as (w: np.NDArray) => np.NDArray;
  const hvpF = hvp(f) as (w: np.NDArray, v: np.NDArray) => np.NDArray;

  /*
   * ## Checking the second derivatives
   *
   * At a random point: the three Hessians against each other and the closed form, and `hvp` against
   * H·v. All are exact up to rounding in sums of n terms of size ≈ 1, so ≈ 1e-15 is expected.
   */
  const w0 = np.array(rng.normals(d, 0.5));
  const H = hessF(w0);
  const s = (np.matmul(X, w0).toArray() as number[]).map((t) => 1 / (1 + Math.exp(-t)));
  const closed = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const c = (s[i]! * (1 - s[i]!)) / n;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) closed[a * d + b] += c * xData[i * d + a]! * xData[i * d + b]!;
  }
  for (let a = 0; a < d; a++) closed[a * d + a] += lambda;
  const maxDiff = (p: np.NDArray, q: np.NDArray | Float64Array) =>
    np.max(np.abs(p.sub(q instanceof Float64Array ? np.array(q).reshape(p.shape) : q))).item();
  const hessianErr = maxDiff(H, closed);
  const revRevErr = maxDiff((jacrev(jacrev(f)) as (w: np.NDArray) => np.NDArray)(w0), H);
  const fwdFwdErr = maxDiff((jacfwd(jacfwd(f)) as (w: np.NDArray) => np.NDArray)(w0), H);
  const v = np.array(rng.normals(d));
  const hvpErr = maxDiff(hvpF(w0, v), np.matmul(H, v));
  console.log(`max |hessian − closed form|          = ${hessianErr.toExponential(2)}`);
  console.log(`max |jacrev(jacrev f) − hessian|     = ${revRevErr.toExponential(2)}`);
  console.log(`max |jacfwd(jacfwd f) − hessian|     = ${fwdFwdErr.toExponential(2)}`);
  console.log(`max |hvp(f)(w, v) − H v|             = ${hvpErr.toExponential(2)}`);

  /*
   * ## Three optimisers from w = 0
   *
   * - Gradient descent with step 1/L. Since s(1 − s) ≤ 1/4 with equality at w = 0, H(w) ≼ H(0)
   *   everywhere, so L = the largest eigenvalue of H(0) (found by power iteration with `hvp`) is a
   *   global bound on the curvature and 1/L a safe step. Convergence is linear, at a rate set by
   *   the condition number.
   * - Newton: w ← w − H⁻¹∇f, with `hessian` and a Cholesky solve. Quadratic convergence near the
   *   minimum: the number of correct digits doubles each step. (Full steps from 0 happen to work
   *   for this problem; in general, far from the minimum, Newton needs a line search.)
   * - Newton–CG: the same step, with H⁻¹∇f found by conjugate gradients using only `hvp`.
   */
  const zero = np.zeros([d]);
  let u = np.ones([d]);
  for (let k = 0; k < 100; k++) {
    const hu = hvpF(zero, u);
    u = hu.div(np.sqrt(np.sum(np.square(hu))));
  }
  const L = np.sum(u.mul(hvpF(zero, u))).item();
  const tol = 1e-10;

  const gdIters = opts.quick ? 200 : 1000;
  const gdTrace: number[] = [];
  const gdLoss: number[] = [];
  let w = zero;
  for (let k = 0; k <= gdIters; k++) {
    const g = gradF(w);
    gdTrace.push(Math.sqrt(np.sum(np.square(g)).item()));
    gdLoss.push(f(w).item());
    if (k < gdIters) w = w.sub(g.div(L));
  }
  const wGd = w;

  const newton = (step: (w: np.NDArray, g: np.NDArray) => np.NDArray) => {
    const trace: number[] = [];
    const loss: number[] = [];
    let wk = zero;
    for (let k = 0; k < 50; k++) {
      const g = gradF(wk);
      trace.push(Math.sqrt(np.sum(np.square(g)).item()));
      loss.push(f(wk).item());
      if (trace[k]! < tol) break;
      wk = wk.sub(step(wk, g));
    }
    return { w: wk, trace, loss };
  };
  const exact = newton((wk, g) => np.array(solveSpd((hessF(wk).toArray() as number[][]).flat(), g.toArray() as number[], d)));
  /* Conjugate gradients for H p = g, touching H only through `hvp`. */
  const conjugateGradient = (wk: np.NDArray, g: np.NDArray) => {
    let p = np.zeros([d]);
    let r = g;
    let dir = r;
    let rr = np.sum(np.square(r)).item();
    for (let k = 0; k < d && rr > 1e-30; k++) {
      const hd = hvpF(wk, dir);
      const alpha = rr / np.sum(dir.mul(hd)).item();
      p = p.add(dir.mul(alpha));
      r = r.sub(hd.mul(alpha));
      const rrNew = np.sum(np.square(r)).item();
      dir = r.add(dir.mul(rrNew / rr));
      rr = rrNew;
    }
    return p;
  };
  const cg = newton(conjugateGradient);
  const newtonVsCg = maxDiff(exact.w, cg.w);
  const fStar = exact.loss[exact.loss.length - 1]!;
  console.log(`L = ${L.toFixed(4)}, gradient descent step 1/L = ${(1 / L).toFixed(3)}`);
  console.log(`Newton:    ‖∇f‖ < ${tol} after ${exact.trace.length - 1} steps: ${exact.trace.map((t) => t.toExponential(1)).join(", ")}`);
  console.log(`Newton-CG: ‖∇f‖ < ${tol} after ${cg.trace.length - 1} steps`);
  console.log(`gradient descent: ‖∇f‖ = ${gdTrace[gdIters]!.toExponential(2)} after ${gdIters} steps, f − f* = ${(gdLoss[gdIters]! - fStar).toExponential(2)}`);
  console.log(`max |w_Newton − w_NewtonCG| = ${newtonVsCg.toExponential(2)}, max |w_Newton − w_GD| = ${maxDiff(exact.w, wGd).toExponential(2)}`);

  /* ## The picture: gradient norm against iteration, both on log scales. */
  /* Iterations are counted from 1 so that the x axis can be logarithmic: Newton's few steps and
   * gradient descent's hundreds both stay visible. */
  const idx = (a: number[]) => a.map((_, i) => i + 1);
  const plot = await linePlot({
    file: join(dir, "09-newton"),
    title: `Logistic regression (n = ${n}, d = ${d}): Newton vs gradient descent`,
    xLabel: "iteration + 1 (log scale)",
    yLabel: "‖∇f(w)‖ (log scale)",
    logX: true,
    logY: true,
    series: [
      { name: "gradient descent (step 1/L)", x: idx(gdTrace), y: gdTrace },
      { name: "Newton (hessian + Cholesky)", x: idx(exact.trace), y: exact.trace },
      { name: "Newton–CG (hvp only)", x: idx(cg.trace), y: cg.trace, dashed: true },
    ],
  });
  const report = new Report("09 — Hessians, hvp and Newton's method")
    .text(
      "`hessian`, `jacrev(jacrev(f))`, `jacfwd(jacfwd(f))` and `hvp` against the closed-form Hessian of L2-regularised logistic " +
        "regression; then Newton (Cholesky on `hessian`), Newton–CG (conjugate gradients on `hvp`) and gradient descent from w = 0.",
    )
    .numbers({
      "max |hessian − closed form|": hessianErr,
      "max |jacrev(jacrev) − hessian|": revRevErr,
      "max |jacfwd(jacfwd) − hessian|": fwdFwdErr,
      "max |hvp − H v|": hvpErr,
      "Newton steps to ‖∇f‖ < 1e-10": exact.trace.length - 1,
      "Newton–CG steps to ‖∇f‖ < 1e-10": cg.trace.length - 1,
      [`gradient descent ‖∇f‖ after ${gdIters} steps`]: gdTrace[gdIters]!,
    })
    .image(plot.png, "convergence")
    .write(dir, "09-newton");
  console.log(`wrote ${plot.png}, ${plot.svg} and ${report}`);
  return {
    hessianErr,
    revRevErr,
    fwdFwdErr,
    hvpErr,
    newtonIters: exact.trace.length - 1,
    newtonCgIters: cg.trace.length - 1,
    gdFinalGradNorm: gdTrace[gdIters]!,
    gdIters,
    newtonVsCg,
    files: [plot.png, plot.svg, report],
  };
}

main(import.meta.url, run);
