/**
 * @file `scipy.integrate.odeint`: ODE solutions at given times, by the Dormand–Prince 5(4) method
 * with adaptive steps, written with NDArray operations so that the solution is differentiable (in
 * the initial state, in `args`, in anything `func` closes over, in the time points) and batchable.
 *
 * With no transformation active the solver is a plain JS loop (times and step sizes are numbers).
 * Under any transformation (`grad`, `vmap`, `jit`, `makeJaxpr`…) it is one `lax.whileLoop` over
 * every step of every output interval: one `while` equation when staged, differentiable in reverse
 * mode through the loop's run-time residual stack. Derivatives are those of the computed solution:
 * the steps taken are fixed by the primal values (the step-size control reads values with their
 * derivatives stopped), and each step's arithmetic is differentiated — "discretise, then
 * differentiate", exact for the numerical solution, which itself agrees with the true solution to
 * the tolerances. Derivatives in the time points come from the equation itself: dy(tᵢ)/dtᵢ =
 * f(y(tᵢ), tᵢ), and dy(tᵢ)/dt₀ = −Φ(tᵢ, t₀)·f(y₀, t₀) through the solver's derivative in y₀.
 * Under `vmap` each member takes its own steps (the batched loop runs until every member has
 * reached the last time; members that are done keep their state), so a batch agrees with a loop
 * over its members.
 */
import type { NDArray, ArrayLike, ConcreteArray } from "../core/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { arange } from "../numpy/ranges.ts";
import { concatenate, stack } from "../numpy/shape.ts";
import { abs, maximum, minimum, sqrt } from "../numpy/math.ts";
import { equal, less, lessEqual, logicalAnd, logicalNot, logicalOr, where } from "../numpy/logic.ts";
import { all, mean } from "../numpy/reductions.ts";
import { take } from "../numpy/indexing-fns.ts";
import { isFloat } from "../core/dtype.ts";
import { rejectComplex } from "../numpy/broadcast.ts";
import { currentLevel, dataBeneath, Tracer } from "../core/trace.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { stopGradient } from "../primitives/unary.ts";
import { whileLoop } from "../transforms/control.ts";
import { vmap } from "../transforms/vmap.ts";
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

/** The options of {@link odeint}: SciPy's `args`, `rtol`, `atol`, `hmax`, `mxstep` (Dormand–Prince steps here, not LSODA). */
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

/**
 * The time `func` receives: a number with no transformation active, a 0-d array (possibly traced)
 * under one. Write `func` with array operations on it (`y.add(t)`, `np.sin(t)`) to serve both. (The
 * intersection is a typing device: it lets `func` declare `t: number` or `t: NDArray`.)
 */
export type OdeTime = number & NDArray;

/** The vector field as the solver calls it, its result checked against the state's shape. */
type Field = (y: NDArray, t: number | NDArray) => NDArray;

/** What both solvers need besides the field. */
interface Setup {
  readonly op: string;
  readonly f: Field;
  readonly rtol: number;
  readonly atol: number;
  readonly hmax: number;
  readonly mxstep: number;
}

/**
 * `scipy.integrate.odeint(func, y0, t, {args, rtol, atol, hmax, mxstep})`: the solution of
 * dy/dt = func(y, t, ...args) with y(t[0]) = y0, at each time of `t` (increasing or decreasing),
 * stacked along a new first axis. `func` gets `t` as a number when no transformation is active and
 * as a 0-d array under one (`grad`, `vmap`, `jit`), where the solver is one staged `whileLoop`.
 * @example
 * scipy.integrate.odeint((y: NDArray, t: number) => np.array(2 * t), 0, [0, 3]).get(1); // 9
 * jit((y0: NDArray) => scipy.integrate.odeint((y: NDArray) => y.neg(), y0, [0, 1]))(np.array(1)).shape; // [2]
 */
export function odeint(
  func: (y: NDArray, t: OdeTime, ...args: any[]) => ArrayLike,
  y0: ArrayLike,
  t: ArrayLike,
  opts: OdeintOptions = {},
): NDArray {
  opts = odeintOpts(opts);
  const op = "scipy.integrate.odeint";
  let y = asarray(y0, undefined, op, "y0");
  const tArr = asarray(t, undefined, op, "t");
  rejectComplex(op, [y, tArr], ["y0", "t"], "odeint integrates real systems only (split a complex state into its real and imaginary parts)");
  if (!isFloat(y.dtype)) y = y.astype("float64");
  if (tArr.ndim !== 1 || tArr.size === 0) throw new ShapeError(`${op}: t must be a non-empty 1-D sequence of times, got shape ${fmtShape(tArr.shape)}`);
  const tData = dataBeneath(tArr)?.data ?? null;
  if (tData !== null && tData.length !== tArr.size) {
    throw new TypeError(`${op}: t is batched (vmap over the time points), which is not supported: vmap over y0 or args instead`);
  }
  if (tData !== null) checkMonotonic(op, Array.from(tData));
  const args = opts.args ?? [];
  const f: Field = (yy, tt) => {
    const out = asarray(func(yy, tt as OdeTime, ...args), undefined, op, "func's result");
    if (out.shape.length !== yy.shape.length || out.shape.some((d, i) => d !== yy.shape[i])) {
      throw new ShapeError(`${op}: func returned shape [${out.shape.join(", ")}] for a state of shape [${yy.shape.join(", ")}]`);
    }
    return out;
  };
  const setup: Setup = { op, f, rtol: opts.rtol ?? 1.49012e-8, atol: opts.atol ?? 1.49012e-8, hmax: opts.hmax ?? Infinity, mxstep: opts.mxstep ?? 500 };
  return currentLevel() === 0 ? solveEager(setup, y, Array.from(tData!)) : solveStaged(setup, y, tArr, tData);
}

function checkMonotonic(op: string, times: readonly number[]): void {
  const dir = times.length > 1 && times[times.length - 1]! < times[0]! ? -1 : 1;
  if (times.some((v, i) => i > 0 && (v - times[i - 1]!) * dir < 0)) throw new RangeError(`${op}: t must be monotonic`);
}

const mxstepError = (op: string, mxstep: number, from: number | string, to: number | string): RangeError =>
  new RangeError(`${op}: more than ${mxstep} steps between t = ${from} and ${to} (the problem may be stiff; raise mxstep)`);

/** The error norm's scale: each component's tolerance. */
const scaleOf = (s: Setup, a: NDArray, b: NDArray): NDArray => maximum(abs(a), abs(b)).mul(s.rtol).add(s.atol);
/** Root mean square (the absolute value of a scalar state). */
const rms = (x: NDArray): NDArray => (x.ndim === 0 ? abs(x) : sqrt(mean(x.mul(x))));

/** One Dormand–Prince step of size `hs` from (y, t) with k1 = f(y, t): the new state, f there, and the error estimate. */
function dopriStep(f: Field, y: NDArray, t: number | NDArray, k1: NDArray, hs: number | NDArray): [NDArray, NDArray, NDArray] {
  const at = (c: number): number | NDArray => (typeof t === "number" && typeof hs === "number" ? t + c * hs : asarray(t).add(asarray(hs).mul(c)));
  const coef = (c: number): number | NDArray => (typeof hs === "number" ? c * hs : hs.mul(c));
  const ks = [k1];
  for (let s = 1; s < 6; s++) {
    let inc = ks[0]!.mul(coef(A[s]![0]!));
    for (let j = 1; j < s; j++) if (A[s]![j] !== 0) inc = inc.add(ks[j]!.mul(coef(A[s]![j]!)));
    ks.push(f(y.add(inc), at(C[s]!)));
  }
  let inc5 = ks[0]!.mul(coef(B5[0]!));
  for (let j = 2; j < 6; j++) inc5 = inc5.add(ks[j]!.mul(coef(B5[j]!)));
  const yNew = y.add(inc5);
  const k7 = f(yNew, at(1));
  let err = k7.mul(coef(E[6]!));
  for (let j = 0; j < 6; j++) if (E[j] !== 0) err = err.add(ks[j]!.mul(coef(E[j]!)));
  return [yNew, k7, err];
}

/** The eager solver: a JS loop over steps, times and step sizes as numbers. */
function solveEager(s: Setup, y0: NDArray, times: readonly number[]): NDArray {
  const { f, op, hmax, mxstep } = s;
  const num = (x: NDArray): number => x.item();
  const dir = times.length > 1 && times[times.length - 1]! < times[0]! ? -1 : 1;
  let y = y0;
  const out: NDArray[] = [y];
  let tc = times[0]!;
  let k1 = f(y, tc);
  // Initial step (Hairer et al., II.4): 1% of ‖y‖/‖f‖ in the error norm, at most the first interval.
  const d0 = num(rms(y.div(scaleOf(s, y, y))));
  const d1 = num(rms(k1.div(scaleOf(s, y, y))));
  let h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  for (let i = 1; i < times.length; i++) {
    const target = times[i]!;
    let steps = 0;
    while ((target - tc) * dir > 0) {
      if (++steps > mxstep) throw mxstepError(op, mxstep, times[i - 1]!, target);
      h = Math.min(h, hmax, Math.abs(target - tc));
      const hs = h * dir;
      const [yNew, k7, err] = dopriStep(f, y, tc, k1, hs);
      const errNorm = num(rms(err.div(scaleOf(s, y, yNew))));
      const reached = Math.abs(target - tc) <= h * (1 + 1e-12);
      if (errNorm <= 1) {
        tc = reached ? target : tc + hs;
        y = yNew;
        k1 = k7;
      }
      h *= Math.min(5, Math.max(0.2, 0.9 * (errNorm === 0 ? 5 : errNorm ** -0.2)));
    }
    out.push(y);
  }
  return stack(out);
}

/**
 * The solver under a transformation: one `lax.whileLoop` whose carry is (interval index, attempts
 * in this interval, time, step size, state, f at the state, outputs so far). Step-size control reads
 * values with their derivatives stopped; a step is accepted or not by `where`. An interval needing
 * more than `mxstep` attempts ends the loop: the error is thrown where the values are known (grad,
 * vmap), and the outputs are NaN where they are not (jit, makeJaxpr); so is a non-monotonic `t`.
 */
function solveStaged(s: Setup, y0: NDArray, tArr: NDArray, tData: ConcreteArray["data"] | null): NDArray {
  const { f, op, hmax, mxstep } = s;
  const n = tArr.size;
  const tFloat = isFloat(tArr.dtype) ? tArr : tArr.astype("float64");
  const tDt = tFloat.dtype;
  const yDt = y0.dtype;
  // The loop sees the times with their derivatives stopped; δᵢ = tᵢ − stop(tᵢ) is zero with the
  // tangent of tᵢ, added back by `timeShift` (only when t is traced).
  const tStop = stopGradient(tFloat);
  const delta = tArr instanceof Tracer ? tFloat.sub(tStop).astype(yDt) : null;
  const t0 = tStop.get(0);
  const dir = n > 1 ? where(less(tStop.get(n - 1), t0), -1, 1).astype(tDt) : asarray(1, tDt);
  // y(tᵢ; t₀ + δ, y₀) = y(tᵢ; t₀, y(t₀ − δ)): moving the start is moving y₀ back along the flow.
  const yStart = delta ? timeShift(f, y0, t0, delta.get(0).neg()) : y0;
  const k1 = f(yStart, t0);
  const sy = stopGradient(yStart);
  const d0 = rms(sy.div(scaleOf(s, sy, sy)));
  const d1 = rms(stopGradient(k1).div(scaleOf(s, sy, sy)));
  const h0 = where(logicalAnd(lessEqual(1e-5, d0), lessEqual(1e-5, d1)), d0.div(maximum(d1, 1e-5)).mul(0.01), 1e-6).astype(tDt);
  const rowMask = (i: NDArray): NDArray => equal(arange(n, undefined, 1, { dtype: "int32" }), i).reshape(n, ...y0.shape.map(() => 1));
  const out0 = where(rowMask(asarray(0, "int32")), y0, asarray(0, yDt));
  type Carry = [NDArray, NDArray, NDArray, NDArray, NDArray, NDArray, NDArray];
  const init: Carry = [asarray(1, "int32"), asarray(0, "int32"), t0, h0, yStart, k1, out0];
  const [iEnd, , , , , , outs] = whileLoop(
    ([i, steps]: Carry) => logicalAnd(less(i, n), less(steps, mxstep)),
    ([i, steps, tc, h, y, k, out]: Carry): Carry => {
      const target = take(tStop, i, { mode: "clip" });
      const gap = target.sub(tc).mul(dir);
      const atTarget = lessEqual(gap, 0);
      const h1 = minimum(minimum(h, hmax), gap);
      const hs = h1.mul(dir);
      const [yNew, k7, err] = dopriStep(f, y, tc, k, hs.astype(yDt));
      const errNorm = rms(stopGradient(err).div(scaleOf(s, stopGradient(y), stopGradient(yNew)))).astype(tDt);
      const reached = lessEqual(gap, h1.mul(1 + 1e-12));
      const accept = logicalAnd(lessEqual(errNorm, 1), logicalNot(atTarget));
      const done = logicalOr(atTarget, logicalAnd(accept, reached));
      const yNext = where(accept, yNew, y);
      // errNorm is at least 1e-10 here so that the power stays finite: the factor is 5 below 1.7e-4 anyway.
      const factor = minimum(5, maximum(0.2, maximum(errNorm, 1e-10).pow(-0.2).mul(0.9)));
      return [
        where(done, i.add(1), i),
        where(done, 0, steps.add(1)).astype("int32"),
        where(accept, where(reached, target, tc.add(hs)), tc),
        where(atTarget, h, h1.mul(factor)),
        yNext,
        where(accept, k7, k),
        where(logicalAnd(rowMask(i), done), yNext, out),
      ];
    },
    init,
  );
  const failed = less(iEnd, n);
  const failedData = dataBeneath(failed)?.data ?? null;
  if (failedData !== null && tData !== null) {
    const k = failedData.findIndex((v) => v !== 0);
    if (k >= 0) {
      const iData = dataBeneath(iEnd)!.data;
      throw mxstepError(op, mxstep, tData[iData[k]! - 1]!, tData[iData[k]!]!);
    }
  }
  const monotonic = n > 1 ? all(lessEqual(0, tStop.get("1:").sub(tStop.get(":-1")).mul(dir))) : asarray(true);
  const ok = logicalAnd(logicalNot(failed), monotonic);
  let result = where(ok, outs, NaN).astype(yDt);
  if (delta && n > 1) {
    const shifted = vmap((yy: NDArray, tt: NDArray, dd: NDArray) => timeShift(f, yy, tt, dd))(result.get("1:"), tStop.get("1:"), delta.get("1:"));
    result = concatenate([result.get(":1"), shifted]);
  }
  return result;
}

/**
 * y(t + δ) from y = y(t) for a traced zero δ carrying a time tangent, by the midpoint rule
 * y + δ·f(y + (δ/2)·f(y, t), t): its derivative in δ is f(y, t) (so dy(tᵢ)/dtᵢ = f(y(tᵢ), tᵢ)), and
 * its second derivative f_y·f is exact for a `func` without explicit time dependence (t is held at
 * its value with the derivative stopped, so ∂f/∂t does not reach second derivatives in t).
 */
function timeShift(f: Field, y: NDArray, t: NDArray, delta: NDArray): NDArray {
  return y.add(delta.mul(f(y.add(delta.mul(0.5).mul(f(y, t))), t)));
}
