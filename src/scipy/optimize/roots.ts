/**
 * @file `scipy.optimize.rootScalar` (brentq, bisect, newton, secant, halley) and
 * `scipy.optimize.newton`, with the root differentiable in what the function closes over by the
 * implicit function theorem: ∂x⋆/∂θ = −(∂g/∂θ)/(∂g/∂x).
 */
import type { NDArray } from "../../core/ndarray.ts";
import { ConcreteArray } from "../../core/ndarray.ts";
import { ShapeError, fmtShape } from "../../core/errors.ts";
import { asarray } from "../../numpy/creation.ts";
import { rejectComplex } from "../../numpy/broadcast.ts";
import { checkKeys, closureConvert, implicitRoot, worst } from "../../transforms/implicit.ts";
import { stopGradient } from "../../primitives/unary.ts";
import { ones } from "../../numpy/creation.ts";

type Fn = (x: any, ...args: any[]) => unknown;

/** The elementwise root's tangent: b / (∂g/∂x), the derivative read off the product with ones. */
const diagonalSolve = (mv: (v: NDArray) => NDArray, b: NDArray) => b.div(mv(ones(b.shape)));

/** A real argument as float64; a complex one is a `TypeError` naming `op` and the argument. */
function realArg(op: string, x: unknown, arg: string): NDArray {
  const a = asarray(x as NDArray, undefined, op, arg);
  rejectComplex(op, [a], [arg], "root finding is over real numbers only");
  return a.astype("float64");
}

/** Applies `f` to arrays, checking that its value has x's shape. */
function wrap(op: string, f: Fn, args: readonly unknown[], what: string) {
  if (typeof f !== "function") throw new TypeError(`${op}: ${what} must be a function, got ${typeof f}`);
  return (x: NDArray): NDArray => {
    const v0 = asarray(f(x, ...args) as NDArray, undefined, op, `${what}'s value`);
    rejectComplex(op, [v0], [`${what}'s value`], "root finding is over real numbers only");
    const v = v0.astype("float64");
    if (v.size !== x.size) throw new ShapeError(`${op}: ${what} returned shape ${fmtShape(v.shape)} for x of shape ${fmtShape(x.shape)}`);
    return v.reshape(x.shape);
  };
}

/**
 * Runs the numerical search `find` from `x0` on the closure-converted `f`; the result is an implicit
 * root of `f` (x0 travels among the operands, so under vmap each member starts from its own; every
 * search returns float64).
 */
function solveImplicit(op: string, g: (x: NDArray) => NDArray, x0: NDArray, find: (g: (x: NDArray) => NDArray, x0: NDArray) => NDArray): NDArray {
  const conv = closureConvert(g, x0, op);
  const search = (thx: NDArray[]) => find((x) => conv.call(x, thx.slice(0, -1)), thx[thx.length - 1]!);
  const residual = (x: NDArray, thx: NDArray[]) => conv.call(x, thx.slice(0, -1));
  return implicitRoot(residual, search, [...conv.theta, stopGradient(x0)], { solve: diagonalSolve }, op, { shape: x0.shape, dtype: "float64" });
}

const isClose = (p: NDArray, p0: NDArray, rtol: number, atol: number, op: string) => worst(p.sub(p0).abs().sub(p0.abs().mul(rtol)), op) <= atol;

/** Options of `newton`, as SciPy's: `fprime` (Newton), `fprime2` (Halley), `x1` (secant), `tol`, `rtol`, `maxiter`, `args`. */
export interface NewtonOptions {
  fprime?: Fn;
  fprime2?: Fn;
  /** Secant's second starting point. */
  x1?: number | NDArray;
  tol?: number;
  rtol?: number;
  maxiter?: number;
  args?: readonly unknown[];
}

/** Newton, Halley or secant iterations (SciPy's `newton`), elementwise on arrays, counting calls. */
function iterate(op: string, g: (x: NDArray) => NDArray, x0: NDArray, o: NewtonOptions, stats: { iterations: number; calls: number }): NDArray {
  const tol = o.tol ?? 1.48e-8;
  const rtol = o.rtol ?? 0;
  const maxiter = o.maxiter ?? 50;
  const args = o.args ?? [];
  rejectComplex(op, [x0], ["x0"], "root finding is over real numbers only");
  let p0 = stopGradient(x0).astype("float64");
  if (o.fprime) {
    const fp = wrap(op, o.fprime, args, "fprime");
    const fp2 = o.fprime2 ? wrap(op, o.fprime2, args, "fprime2") : null;
    for (let it = 0; it < maxiter; it++) {
      stats.iterations = it + 1;
      const fval = g(p0);
      const fder = fp(p0);
      stats.calls += fp2 ? 3 : 2;
      if (worst(fval.abs(), op) === 0) return p0;
      if (worst(fder.abs().neg(), op) === 0) throw new RangeError(`${op}: the derivative was zero at ${p0.toString()}`);
      let step = fval.div(fder);
      if (fp2) {
        // Halley: divide the Newton step by 1 − step·f''/(2f') where that factor is safe.
        const adj = step.mul(fp2(p0)).div(fder).div(2);
        step = step.div(adj.abs().lt(1).astype("float64").mul(adj).neg().add(1));
      }
      const p = p0.sub(step);
      if (isClose(p, p0, rtol, tol, op)) return p;
      p0 = p;
    }
  } else {
    let p1 = o.x1 !== undefined ? realArg(op, o.x1, "x1") : p0.mul(1 + 1e-4).add(p0.mul(1 + 1e-4).ge(0).astype("float64").mul(2e-4).sub(1e-4));
    let q0 = g(p0);
    let q1 = g(p1);
    stats.calls += 2;
    for (let it = 0; it < maxiter; it++) {
      stats.iterations = it + 1;
      if (worst(q1.sub(q0).abs().neg(), op) === 0) return p1.add(p0).div(2);
      const p = p1.sub(q1.mul(p1.sub(p0)).div(q1.sub(q0)));
      if (isClose(p, p1, rtol, tol, op)) return p;
      [p0, q0] = [p1, q1];
      p1 = p;
      q1 = g(p1);
      stats.calls++;
    }
  }
  throw new RangeError(`${op}: failed to converge after ${maxiter} iterations, value is ${p0.toString()}`);
}

/**
 * `scipy.optimize.newton(func, x0, {fprime?, fprime2?, x1?, tol, rtol, maxiter, args})`: a root by
 * Newton's method (Halley's with `fprime2`, the secant method without `fprime`), elementwise for an
 * array `x0`; differentiable in what `func` closes over.
 * @example
 * scipy.optimize.newton((x: NDArray) => x.mul(x).sub(2), 1, { fprime: (x: NDArray) => x.mul(2) }).item(); // 1.4142135623730951
 */
export function newton(func: Fn, x0: number | NDArray, opts: NewtonOptions = {}): NDArray {
  const op = "scipy.optimize.newton";
  checkKeys(op, opts, ["fprime", "fprime2", "x1", "tol", "rtol", "maxiter", "args"]);
  if (typeof x0 !== "number" && !(x0 instanceof Object && "shape" in x0)) throw new TypeError(`${op}: x0 must be a number or an NDArray, got ${typeof x0}`);
  const x = realArg(op, x0, "x0");
  const g = wrap(op, func, opts.args ?? [], "func");
  return solveImplicit(op, g, x, (gc, start) => iterate(op, gc, start, opts, { iterations: 0, calls: 0 }));
}

/** Options of `rootScalar`, as SciPy's `root_scalar`: `method`, `bracket`, `x0`/`x1`, `fprime`/`fprime2`, tolerances, `maxiter`, `args`. */
export interface RootScalarOptions {
  method?: "brentq" | "bisect" | "newton" | "secant" | "halley";
  bracket?: readonly [number, number];
  x0?: number;
  x1?: number;
  fprime?: Fn;
  fprime2?: Fn;
  xtol?: number;
  rtol?: number;
  maxiter?: number;
  args?: readonly unknown[];
}

/** SciPy's `RootResults`: the `root`, `iterations`, `functionCalls`, `converged` and a `flag`. */
export interface RootResults {
  root: NDArray;
  iterations: number;
  functionCalls: number;
  converged: boolean;
  flag: string;
  method: string;
}

/** Brent's method as SciPy's `brentq` (inverse quadratic interpolation, bisection as safeguard). */
function brentq(f: (x: number) => number, xa: number, xb: number, xtol: number, rtol: number, maxiter: number, op: string, s: { iterations: number; calls: number }): number {
  let [xpre, xcur] = [xa, xb];
  let [fpre, fcur] = [f(xpre), f(xcur)];
  s.calls = 2;
  let [xblk, fblk, spre, scur] = [0, 0, 0, 0];
  if (fpre * fcur > 0) throw new RangeError(`${op}: f(a) and f(b) must have different signs (f(${xa}) = ${fpre}, f(${xb}) = ${fcur})`);
  if (fpre === 0) return xpre;
  if (fcur === 0) return xcur;
  for (let i = 0; i < maxiter; i++) {
    s.iterations++;
    if (fpre !== 0 && fcur !== 0 && Math.sign(fpre) !== Math.sign(fcur)) {
      [xblk, fblk] = [xpre, fpre];
      spre = scur = xcur - xpre;
    }
    if (Math.abs(fblk) < Math.abs(fcur)) {
      [xpre, xcur, xblk] = [xcur, xblk, xcur];
      [fpre, fcur, fblk] = [fcur, fblk, fcur];
    }
    const delta = (xtol + rtol * Math.abs(xcur)) / 2;
    const sbis = (xblk - xcur) / 2;
    if (fcur === 0 || Math.abs(sbis) < delta) return xcur;
    if (Math.abs(spre) > delta && Math.abs(fcur) < Math.abs(fpre)) {
      let stry: number;
      if (xpre === xblk) stry = (-fcur * (xcur - xpre)) / (fcur - fpre);
      else {
        const dpre = (fpre - fcur) / (xpre - xcur);
        const dblk = (fblk - fcur) / (xblk - xcur);
        stry = (-fcur * (fblk * dblk - fpre * dpre)) / (dblk * dpre * (fblk - fpre));
      }
      if (2 * Math.abs(stry) < Math.min(Math.abs(spre), 3 * Math.abs(sbis) - delta)) [spre, scur] = [scur, stry];
      else [spre, scur] = [sbis, sbis];
    } else [spre, scur] = [sbis, sbis];
    [xpre, fpre] = [xcur, fcur];
    xcur += Math.abs(scur) > delta ? scur : sbis > 0 ? delta : -delta;
    fcur = f(xcur);
    s.calls++;
  }
  throw new RangeError(`${op}: brentq did not converge in ${maxiter} iterations`);
}

/** Bisection as SciPy's `bisect`. */
function bisect(f: (x: number) => number, xa: number, xb: number, xtol: number, rtol: number, maxiter: number, op: string, s: { iterations: number; calls: number }): number {
  const fa = f(xa);
  const fb = f(xb);
  s.calls = 2;
  if (fa * fb > 0) throw new RangeError(`${op}: f(a) and f(b) must have different signs (f(${xa}) = ${fa}, f(${xb}) = ${fb})`);
  if (fa === 0) return xa;
  if (fb === 0) return xb;
  let dm = xb - xa;
  let a = xa;
  for (let i = 0; i < maxiter; i++) {
    s.iterations++;
    dm *= 0.5;
    const xm = a + dm;
    const fm = f(xm);
    s.calls++;
    if (fm * fa >= 0) a = xm;
    if (fm === 0 || Math.abs(dm) < xtol + rtol * Math.abs(xm)) return xm;
  }
  throw new RangeError(`${op}: bisect did not converge in ${maxiter} iterations`);
}

/**
 * `scipy.optimize.rootScalar(f, {method, bracket, x0, x1, fprime, fprime2, xtol, rtol, maxiter, args})`:
 * a root of the scalar function `f` and SciPy's `RootResults` (camelCase). The method defaults as
 * SciPy's: brentq with a bracket, newton with x0 and fprime (halley with fprime2 too), else secant.
 * @example
 * scipy.optimize.rootScalar((x: NDArray) => x.mul(x).sub(2), { bracket: [0, 2], xtol: 1e-15 }).root.item(); // 1.4142135623730951
 */
export function rootScalar(f: Fn, opts: RootScalarOptions = {}): RootResults {
  const op = "scipy.optimize.rootScalar";
  checkKeys(op, opts, ["method", "bracket", "x0", "x1", "fprime", "fprime2", "xtol", "rtol", "maxiter", "args"]);
  const method = opts.method ?? (opts.bracket ? "brentq" : opts.x0 !== undefined && opts.fprime ? (opts.fprime2 ? "halley" : "newton") : "secant");
  const known = ["brentq", "bisect", "newton", "secant", "halley"];
  if (!known.includes(method)) throw new TypeError(`${op}: unknown method ${JSON.stringify(method)} (known: ${known.join(", ")})`);
  const g = wrap(op, f, opts.args ?? [], "f");
  const stats = { iterations: 0, calls: 0 };
  let root: NDArray;
  if (method === "brentq" || method === "bisect") {
    const br = opts.bracket;
    if (!Array.isArray(br) || br.length !== 2 || br.some((v) => typeof v !== "number")) throw new TypeError(`${op}: method ${method} needs bracket: [a, b] (two numbers)`);
    const x0 = asarray(br[0]!);
    const search = method === "brentq" ? brentq : bisect;
    root = solveImplicit(op, g, x0, (gc) => {
      const fn = (x: number) => {
        const v = gc(new ConcreteArray(Float64Array.of(x), [], "float64"));
        if (!(v instanceof ConcreteArray)) throw new TypeError(`${op}: method ${method} cannot run under jit (its steps are decided per problem)`);
        return v.item();
      };
      return new ConcreteArray(Float64Array.of(search(fn, br[0]!, br[1]!, opts.xtol ?? 2e-12, opts.rtol ?? 4 * Number.EPSILON, opts.maxiter ?? 100, op, stats)), [], "float64");
    });
  } else {
    if (opts.x0 === undefined) throw new TypeError(`${op}: method ${method} needs x0`);
    if (method !== "secant" && !opts.fprime) throw new TypeError(`${op}: method ${method} needs fprime`);
    if (method === "halley" && !opts.fprime2) throw new TypeError(`${op}: method halley needs fprime2`);
    const x0 = realArg(op, opts.x0, "x0");
    const o: NewtonOptions = {
      tol: opts.xtol ?? 1.48e-8,
      rtol: opts.rtol ?? 0,
      maxiter: opts.maxiter ?? 50,
      args: opts.args ?? [],
      ...(method !== "secant" ? { fprime: opts.fprime } : {}),
      ...(method === "halley" ? { fprime2: opts.fprime2 } : {}),
      ...(opts.x1 !== undefined ? { x1: opts.x1 } : {}),
    };
    root = solveImplicit(op, g, x0, (gc, start) => iterate(op, gc, start, o, stats));
  }
  return { root, iterations: stats.iterations, functionCalls: stats.calls, converged: true, flag: "converged", method };
}
