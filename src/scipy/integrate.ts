/**
 * @file `scipy.integrate.odeint`: ODE solutions at given times, by the Dormand–Prince 5(4) method
 * with adaptive steps, written with NDArray operations so that the solution is differentiable (in
 * the initial state, in `args`, in anything `func` closes over) and batchable.
 *
 * Derivatives are those of the computed solution: the steps taken are fixed by the primal values
 * (step sizes are plain numbers), and each step's arithmetic is differentiated — "discretise, then
 * differentiate", exact for the numerical solution, which itself agrees with the true solution to
 * the tolerances. Derivatives in the time points come from the equation itself: dy(tᵢ)/dtᵢ =
 * f(y(tᵢ), tᵢ), and dy(tᵢ)/dt₀ = −Φ(tᵢ, t₀)·f(y₀, t₀) through the solver's derivative in y₀. Under `vmap` all members share one step sequence, chosen so that every member
 * meets the tolerances.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { stack } from "../numpy/shape.ts";
import { abs, maximum, sqrt } from "../numpy/math.ts";
import { mean } from "../numpy/reductions.ts";
import { isFloat } from "../core/dtype.ts";
import { concreteBeneath, isTracer } from "../core/trace.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { stopGradient } from "../primitives/unary.ts";
import * as P from "../core/parse.ts";

const odeintOpts = P.options("scipy.integrate.odeint", {
  args: P.arrayOf(P.unknownValue, "an array of extra arguments"),
  rtol: P.nonNegNum,
  atol: P.nonNegNum,
  hmax: P.nonNegNum,
  mxstep: P.posInt,
});

/** Dormand–Prince 5(4) tableau (Dormand & Prince 1980; Hairer, Nørsett & Wanner, *Solving ODEs I*). */
const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1];
const A = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
];
/** Fifth-order weights (also the last stage's row: the method is "first same as last"). */
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84];
/** Differences between the fifth- and fourth-order weights (the seventh stage is f at the new point). */
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];

export interface OdeintOptions {
  /** Extra arguments passed to `func` after `y` and `t`. */
  args?: readonly unknown[];
  /** Relative and absolute tolerances on each component (SciPy's defaults). */
  rtol?: number;
  atol?: number;
  /** Largest step allowed (default: unbounded). */
  hmax?: number;
  /** Most steps per output interval (SciPy's default 500). */
  mxstep?: number;
}

/** The largest value any batch member has (as a plain number): what step-size control needs. */
const worst = (x: NDArray): number => {
  const d = concreteBeneath(x, "scipy.integrate.odeint").data;
  let m = 0;
  for (let i = 0; i < d.length; i++) m = Math.max(m, d[i]!);
  return m;
};

/**
 * `scipy.integrate.odeint(func, y0, t, {args, rtol, atol, hmax, mxstep})`: the solution of
 * dy/dt = func(y, t, ...args) with y(t[0]) = y0, at each time of `t` (increasing or decreasing
 * numbers), stacked along a new first axis.
 * @example
 * scipy.integrate.odeint((y: NDArray, t: number) => np.array(2 * t), 0, [0, 3]).get(1); // 9
 */
export function odeint(
  func: (y: NDArray, t: number, ...args: any[]) => ArrayLike,
  y0: ArrayLike,
  t: ArrayLike,
  opts: OdeintOptions = {},
): NDArray {
  opts = odeintOpts(opts);
  const op = "scipy.integrate.odeint";
  let y = asarray(y0, undefined, op, "y0");
  if (!isFloat(y.dtype)) y = y.astype("float64");
  const tArr = asarray(t, undefined, op, "t");
  if (tArr.ndim !== 1 || tArr.size === 0) throw new ShapeError(`${op}: t must be a non-empty 1-D sequence of times, got shape ${fmtShape(tArr.shape)}`);
  const tData = concreteBeneath(tArr, op).data;
  if (tData.length !== tArr.size) {
    throw new TypeError(`${op}: t is batched (vmap over the time points), which is not supported: the batch would need different steps; vmap over y0 or args instead`);
  }
  const times = Array.from(tData);
  // Under a transformation of t: δᵢ = tᵢ − stop(tᵢ) is zero with the tangent of tᵢ (see `timeShift`).
  const delta = isTracer(tArr) ? (i: number): NDArray => tArr.get(i).sub(stopGradient(tArr.get(i))) : null;
  const dir = times.length > 1 && times[times.length - 1]! < times[0]! ? -1 : 1;
  if (times.some((v, i) => i > 0 && (v - times[i - 1]!) * dir < 0)) throw new RangeError(`${op}: t must be monotonic`);
  const args = opts.args ?? [];
  const rtol = opts.rtol ?? 1.49012e-8;
  const atol = opts.atol ?? 1.49012e-8;
  const hmax = opts.hmax ?? Infinity;
  const mxstep = opts.mxstep ?? 500;
  const f = (yy: NDArray, tt: number): NDArray => {
    const out = asarray(func(yy, tt, ...args), undefined, op, "func's result");
    if (out.shape.length !== yy.shape.length || out.shape.some((d, i) => d !== yy.shape[i])) {
      throw new ShapeError(`${op}: func returned shape [${out.shape.join(", ")}] for a state of shape [${yy.shape.join(", ")}]`);
    }
    return out;
  };
  const scale = (a: NDArray, b: NDArray) => maximum(abs(a), abs(b)).mul(rtol).add(atol);
  const rms = (x: NDArray) => (x.ndim === 0 ? abs(x) : sqrt(mean(x.mul(x))));

  const out: NDArray[] = [y];
  // y(tᵢ; t₀ + δ, y₀) = y(tᵢ; t₀, y(t₀ − δ)): moving the start is moving y₀ back along the flow.
  if (delta) y = timeShift(f, y, times[0]!, delta(0).neg());
  let tc = times[0]!;
  let k1 = f(y, tc);
  // Initial step (Hairer et al., II.4): 1% of ‖y‖/‖f‖ in the error norm, at most the first interval.
  const d0 = worst(rms(y.div(scale(y, y))));
  const d1 = worst(rms(k1.div(scale(y, y))));
  let h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  for (let i = 1; i < times.length; i++) {
    const target = times[i]!;
    let steps = 0;
    while ((target - tc) * dir > 0) {
      if (++steps > mxstep) throw new RangeError(`${op}: more than ${mxstep} steps between t = ${times[i - 1]} and ${target} (the problem may be stiff; raise mxstep)`);
      h = Math.min(h, hmax, Math.abs(target - tc));
      const hs = h * dir;
      const ks = [k1];
      for (let s = 1; s < 6; s++) {
        let inc = ks[0]!.mul(A[s]![0]! * hs);
        for (let j = 1; j < s; j++) if (A[s]![j] !== 0) inc = inc.add(ks[j]!.mul(A[s]![j]! * hs));
        ks.push(f(y.add(inc), tc + C[s]! * hs));
      }
      let inc5 = ks[0]!.mul(B5[0]! * hs);
      for (let j = 2; j < 6; j++) inc5 = inc5.add(ks[j]!.mul(B5[j]! * hs));
      const yNew = y.add(inc5);
      const k7 = f(yNew, tc + hs);
      let err = k7.mul(E[6]! * hs);
      for (let j = 0; j < 6; j++) if (E[j] !== 0) err = err.add(ks[j]!.mul(E[j]! * hs));
      const errNorm = worst(rms(err.div(scale(y, yNew))));
      const reached = Math.abs(target - tc) <= h * (1 + 1e-12);
      if (errNorm <= 1) {
        tc = reached ? target : tc + hs;
        y = yNew;
        k1 = k7;
      }
      h *= Math.min(5, Math.max(0.2, 0.9 * (errNorm === 0 ? 5 : errNorm ** -0.2)));
    }
    out.push(delta ? timeShift(f, y, target, delta(i)) : y);
  }
  return stack(out);
}

/**
 * y(t + δ) from y = y(t) for a traced zero δ carrying a time tangent, by the midpoint rule
 * y + δ·f(y + (δ/2)·f(y, t), t): its derivative in δ is f(y, t) (so dy(tᵢ)/dtᵢ = f(y(tᵢ), tᵢ)), and
 * its second derivative f_y·f is exact for a `func` without explicit time dependence (`func` takes
 * t as a number, so ∂f/∂t cannot reach second derivatives in t).
 */
function timeShift(f: (y: NDArray, t: number) => NDArray, y: NDArray, t: number, delta: NDArray): NDArray {
  return y.add(delta.mul(f(y.add(delta.mul(0.5).mul(f(y, t))), t)));
}
