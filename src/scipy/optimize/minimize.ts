/**
 * @file `scipy.optimize.minimize`: SciPy's methods and result object, with the optimum
 * differentiable in whatever the objective closes over by the implicit function theorem
 * (∂x⋆/∂θ = −H⁻¹ ∂²f/∂x∂θ, solved by conjugate gradients on Hessian-vector products).
 */
import type { NDArray } from "../../core/ndarray.ts";
import { ConcreteArray } from "../../core/ndarray.ts";
import { isTracer } from "../../core/trace.ts";
import { ShapeError, fmtShape } from "../../core/errors.ts";
import { asarray } from "../../numpy/creation.ts";
import { rejectComplex } from "../../numpy/broadcast.ts";
import { flatten } from "../../transforms/flatten.ts";
import { grad, valueAndGrad } from "../../transforms/vjp.ts";
import { jvp } from "../../transforms/jvp.ts";
import { checkKeys, cgSolve, closureConvert, flattenForCalls, implicitRoot, type AsArrays } from "../../transforms/implicit.ts";
import { stopGradient } from "../../primitives/unary.ts";
import type { Tree } from "../../tree/index.ts";
import { bfgs, cg, nelderMead, newtonCg, type RawResult } from "./methods.ts";
import { lbfgsb } from "./lbfgsb.ts";

/** The methods of `minimize`, spelled as SciPy's `method=` strings. */
export type Method = "BFGS" | "L-BFGS-B" | "Newton-CG" | "CG" | "Nelder-Mead";
const METHODS: readonly Method[] = ["BFGS", "L-BFGS-B", "Newton-CG", "CG", "Nelder-Mead"];

/** Options of `minimize`, as SciPy's keyword arguments (`jac: true`: `fun` returns `[value, gradient]`; `options` per method: `gtol`, `maxiter`, `xatol`…). */
export interface MinimizeOptions {
  /** Default "BFGS" (SciPy's default without bounds; with bounds it is "L-BFGS-B"). */
  method?: Method;
  /** `true`: `fun` returns `[f, ∇f]` (one call for both); a function: the gradient; absent or `false`: computed by `grad`. */
  jac?: boolean | ((x: any, ...args: any[]) => Tree);
  /** Hessian times `p` (Newton-CG); absent: `hvp` of the objective. */
  hessp?: (x: any, p: any, ...args: any[]) => Tree;
  /** One `[lower, upper]` per flat variable (`null` or ±Infinity for none); L-BFGS-B only. */
  bounds?: readonly (readonly [number | null, number | null])[];
  /** Sets the method's main tolerance (gtol, xtol or xatol/fatol), as SciPy's `tol`. */
  tol?: number;
  /** Extra arguments passed to `fun` (and `jac`, `hessp`) after x. */
  args?: readonly unknown[];
  /** Method options as SciPy's: gtol, maxiter, xtol, ftol, maxcor, maxfun, maxls, xatol, fatol, maxfev. */
  options?: Record<string, number>;
  /** Called after every iteration with the iterate, shaped like `x0` (SciPy's `callback(xk)`; concrete values, once per member under `vmap`). */
  callback?: (xk: any) => void;
}

/** SciPy's `OptimizeResult`: the optimum `x` (shaped like `x0`), `fun`, `jac`, iteration and evaluation counts, `success`, `status`, `message`. */
export interface OptimizeResult<X> {
  x: X;
  fun: NDArray;
  jac: NDArray | null;
  nit: number;
  nfev: number;
  njev: number;
  nhev?: number;
  success: boolean;
  status: number;
  message: string;
  /** BFGS's inverse Hessian approximation (n × n, flat variables). */
  hessInv?: NDArray;
}

const OPTION_KEYS: Record<Method, readonly string[]> = {
  BFGS: ["gtol", "maxiter"],
  CG: ["gtol", "maxiter"],
  "Newton-CG": ["xtol", "maxiter"],
  "L-BFGS-B": ["maxcor", "ftol", "gtol", "maxiter", "maxfun", "maxls"],
  "Nelder-Mead": ["xatol", "fatol", "maxiter", "maxfev"],
};

/**
 * `scipy.optimize.minimize(fun, x0, {method, jac, hessp, bounds, tol, args, options})`: a local
 * minimum of the scalar `fun`, starting from `x0` (a number, an array or a tree of them). Returns
 * SciPy's result object; `x` has `x0`'s structure and is differentiable in what `fun` closes over.
 * @example
 * const r = scipy.optimize.minimize((x: NDArray) => np.sum(np.square(x.sub(np.array([1, 2])))), np.zeros([2]));
 * r.x.toArray(); // [1, 2]
 */
export function minimize<X extends Tree>(fun: (x: AsArrays<X>, ...args: any[]) => unknown, x0: X, opts: MinimizeOptions = {}): OptimizeResult<X> {
  const op = "scipy.optimize.minimize";
  if (typeof fun !== "function") throw new TypeError(`${op}: fun must be a function, got ${typeof fun}`);
  checkKeys(op, opts, ["method", "jac", "hessp", "bounds", "tol", "args", "options", "callback"]);
  if (opts.callback !== undefined && typeof opts.callback !== "function") throw new TypeError(`${op}: callback must be a function, got ${typeof opts.callback}`);
  const method: Method = opts.method ?? (opts.bounds ? "L-BFGS-B" : "BFGS");
  if (!METHODS.includes(method)) throw new TypeError(`${op}: unknown method ${JSON.stringify(method)} (known: ${METHODS.join(", ")})`);
  const options = opts.options ?? {};
  checkKeys(`${op} (method ${method})`, options, OPTION_KEYS[method]);
  if (x0 === undefined || x0 === null || typeof x0 === "string" || typeof x0 === "boolean" || typeof x0 === "function") {
    throw new TypeError(`${op}: x0 must be a number, an NDArray or a tree of them, got ${x0 === null ? "null" : typeof x0}`);
  }
  const { flat: xFlat, call: unflat, like } = flattenForCalls(x0, op, "x0");
  rejectComplex(op, [xFlat], ["x0"], "minimize works over real parameters only (split a complex one into its real and imaginary parts)");
  const n = xFlat.size;
  if (n === 0) throw new ShapeError(`${op}: x0 has no elements`);
  if (opts.bounds !== undefined && method !== "L-BFGS-B") throw new TypeError(`${op}: bounds are supported by method L-BFGS-B only, not ${method}`);
  if (opts.bounds !== undefined && (!Array.isArray(opts.bounds) || opts.bounds.length !== n)) {
    throw new ShapeError(`${op}: bounds must hold one [lower, upper] pair per variable: x0 has ${n}, bounds has ${Array.isArray(opts.bounds) ? opts.bounds.length : typeof opts.bounds}`);
  }
  if (opts.hessp !== undefined && method !== "Newton-CG") throw new TypeError(`${op}: hessp is used by method Newton-CG only, not ${method}`);
  if (opts.jac !== undefined && typeof opts.jac !== "boolean" && typeof opts.jac !== "function") throw new TypeError(`${op}: jac must be true, false or a function, got ${typeof opts.jac}`);
  const args = opts.args ?? [];
  if (!Array.isArray(args)) throw new TypeError(`${op}: args must be an array of extra arguments, got ${typeof args}`);

  const scalarOf = (v: unknown, what: string): NDArray => {
    const a = asarray(v as NDArray, undefined, op, what);
    if (a.size !== 1) throw new ShapeError(`${op}: ${what} must be a scalar, got shape ${fmtShape(a.shape)}`);
    rejectComplex(op, [a], [what], "minimize needs a real objective");
    return a.reshape([]).astype("float64");
  };
  const gradOf = (v: unknown, what: string): NDArray => {
    const g = flatten(v as Tree)[0];
    if (g.size !== n) throw new ShapeError(`${op}: ${what} has ${g.size} elements, but x0 has ${n}`);
    return g;
  };
  const objective = (x: NDArray): NDArray => {
    const out = fun(unflat(x) as never, ...args);
    if (opts.jac === true && !Array.isArray(out)) throw new TypeError(`${op}: with jac: true, fun must return [value, gradient], got ${typeof out}`);
    return scalarOf(opts.jac === true ? (out as unknown[])[0] : out, "fun's value");
  };
  /** `fun`'s [value, gradient] when `jac: true` (one call). */
  const valueAndJac = (x: NDArray): [NDArray, NDArray] => {
    const out = fun(unflat(x) as never, ...args);
    if (!Array.isArray(out) || out.length !== 2) throw new TypeError(`${op}: with jac: true, fun must return [value, gradient], got ${Array.isArray(out) ? `a list of ${out.length}` : typeof out}`);
    return [scalarOf(out[0], "fun's value"), gradOf(out[1], "fun's gradient")];
  };
  const gradient = (x: NDArray): NDArray => gradOf((opts.jac as (x: X, ...a: unknown[]) => Tree)(unflat(x) as X, ...args), "jac's result");

  const conv = closureConvert(objective, xFlat, op);
  // Under a transformation every derivative comes from the closure-converted objective (the user's
  // jac/hessp close over traced values, so they serve the eager path only).
  const eager = conv.theta.length === 0;
  const convGrad = (x: NDArray, th: NDArray[]) => grad((y: NDArray) => conv.call(y, th))(x) as NDArray;
  /** One run from `x0` with the objective's captured values `th`. */
  const runOne = (th: NDArray[], x0v: NDArray): NDArray => {
    const concrete = (v: NDArray, what: string): ConcreteArray => {
      if (!(v instanceof ConcreteArray)) {
        throw new TypeError(`${op}: method ${method} decides its steps per problem and needs concrete values, but ${what} is traced`);
      }
      return v;
    };
    let raw: RawResult;
    const vec = (x: Float64Array) => new ConcreteArray(x, [n], "float64");
    const fg = (x: Float64Array): [number, Float64Array] => {
      if ((opts.jac !== true && typeof opts.jac !== "function") || !eager) {
        const [f, g] = valueAndGrad((y: NDArray) => conv.call(y, th))(vec(x)) as [NDArray, NDArray];
        return [concrete(f, "fun's value").item(), Float64Array.from(concrete(g, "the gradient").data)];
      }
      if (opts.jac === true) {
        const [f, g] = valueAndJac(vec(x));
        return [concrete(f, "fun's value").item(), Float64Array.from(concrete(g, "fun's gradient").data)];
      }
      return [concrete(conv.call(vec(x), th), "fun's value").item(), Float64Array.from(concrete(gradient(vec(x)), "the gradient").data)];
    };
    const start = Float64Array.from(concrete(x0v, "x0").data);
    const o = options;
    const onIter = (x: Float64Array) => opts.callback?.(unflat(vec(Float64Array.from(x))));
    if (method === "BFGS" || method === "CG") {
      raw = (method === "BFGS" ? bfgs : cg)(fg, start, { gtol: o.gtol ?? opts.tol ?? 1e-5, maxiter: o.maxiter ?? 200 * n }, onIter);
    } else if (method === "Newton-CG") {
      const hessp = (x: Float64Array, p: Float64Array): Float64Array => {
        if (opts.hessp && eager) return Float64Array.from(concrete(gradOf(opts.hessp(unflat(vec(x)) as X, unflat(vec(p)) as X, ...args), "hessp's result"), "hessp's result").data);
        const [, hp] = jvp(((y: NDArray) => convGrad(y, th)) as (...xs: NDArray[]) => NDArray, [vec(x)], [vec(p)]) as [NDArray, NDArray];
        return Float64Array.from(concrete(hp, "the Hessian-vector product").data);
      };
      raw = newtonCg(fg, hessp, start, { xtol: o.xtol ?? opts.tol ?? 1e-5, maxiter: o.maxiter ?? 200 * n }, onIter);
    } else if (method === "L-BFGS-B") {
      const lower = new Float64Array(n).fill(-Infinity);
      const upper = new Float64Array(n).fill(Infinity);
      (opts.bounds ?? []).forEach((b, i) => {
        if (!Array.isArray(b) || b.length !== 2) throw new TypeError(`${op}: bounds[${i}] must be a [lower, upper] pair`);
        lower[i] = b[0] ?? -Infinity;
        upper[i] = b[1] ?? Infinity;
        if (!(lower[i]! <= upper[i]!)) throw new RangeError(`${op}: bounds[${i}] has lower ${b[0]} > upper ${b[1]}`);
      });
      raw = lbfgsb(fg, start, {
        m: o.maxcor ?? 10,
        ftol: o.ftol ?? 2.220446049250313e-9,
        gtol: o.gtol ?? opts.tol ?? 1e-5,
        maxiter: o.maxiter ?? 15000,
        maxfun: o.maxfun ?? 15000,
        maxls: o.maxls ?? 20,
        lower,
        upper,
      }, onIter);
      // Held components: at a bound; the implicit derivative keeps them fixed.
      const at = raw.x.map((v, i) => (v <= lower[i]! ? lower[i]! : v >= upper[i]! ? upper[i]! : NaN));
      if (active !== null && !active.every((v, i) => Object.is(v, at[i]))) {
        throw new TypeError(`${op}: under vmap the members end with different active bounds, so their implicit derivatives differ in structure; loop over the problems instead`);
      }
      active = at;
    } else {
      const nmMax = o.maxiter ?? (o.maxfev === undefined ? 200 * n : Infinity);
      const nmFev = o.maxfev ?? (o.maxiter === undefined ? 200 * n : Infinity);
      raw = nelderMead((x) => concrete(conv.call(vec(x), th), "fun's value").item(), start, {
        xatol: o.xatol ?? opts.tol ?? 1e-4,
        fatol: o.fatol ?? opts.tol ?? 1e-4,
        maxiter: nmMax,
        maxfev: nmFev,
      }, onIter);
    }
    runs.push(raw);
    return vec(raw.x);
  };
  // The start travels with θ (last), so that under vmap each member starts from its own x0.
  const run = (thx: NDArray[]): NDArray => runOne(thx.slice(0, -1), thx[thx.length - 1]!);
  const start = stopGradient(xFlat).astype("float64");
  const runs: RawResult[] = [];
  /** Per component: the bound it is held at (L-BFGS-B), NaN where free. */
  let active: Float64Array | null = null;

  // Eagerly (nothing traced) the run is all; under a transformation x* is an implicit root of ∇f.
  let xStar: NDArray;
  if (conv.theta.length === 0 && !isTracer(xFlat)) {
    xStar = run([start]);
  } else {
    const find = (thx: NDArray[]) => run(thx);
    // With bounds, held components stay at their bound: x = (1−m)·z + m·bound, z solving (1−m)·∇f = 0, m·z = 0.
    const held = () => (active === null || active.every(Number.isNaN) ? null : active);
    const masks = (h: Float64Array) => {
      const m = new ConcreteArray(h.map((v) => (Number.isNaN(v) ? 0 : 1)), [n], "float64");
      return { free: new ConcreteArray(h.map((v) => (Number.isNaN(v) ? 1 : 0)), [n], "float64"), held: m, at: new ConcreteArray(h.map((v) => (Number.isNaN(v) ? 0 : v)), [n], "float64") };
    };
    // x* does not depend on the start (its derivative in x0 is zero): the residual ignores it.
    const residual = (z: NDArray, thx: NDArray[]): NDArray => {
      if (runs.length === 0 && opts.bounds !== undefined) {
        throw new TypeError(`${op}: under jit, which bounds hold is known only once the search has run, so the implicit derivative with bounds cannot be staged; differentiate outside jit`);
      }
      const h = held();
      const th = thx.slice(0, -1);
      if (h === null) return convGrad(z, th);
      const m = masks(h);
      return convGrad(z.mul(m.free).add(m.at), th).mul(m.free).add(z.mul(m.held));
    };
    const z = implicitRoot(residual, find, [...conv.theta, start], { solve: (mv, b) => cgSolve(mv, b, op), symmetric: true }, op, { shape: [n], dtype: "float64" });
    const h = held();
    xStar = h === null ? z : z.mul(masks(h).free).add(masks(h).at);
  }
  const traced = isTracer(xStar);
  if (runs.length === 0) return stagedResult(op, like(xStar) as X, conv.call(xStar, conv.theta), method === "Nelder-Mead" ? null : convGrad(xStar, conv.theta));
  // Under vmap: the counts of the member that took longest, the first failure's status.
  const r: RawResult = runs.reduce((acc, x) => ({ ...acc, nit: Math.max(acc.nit, x.nit), nfev: Math.max(acc.nfev, x.nfev), njev: Math.max(acc.njev, x.njev), ...(acc.status === 0 && x.status !== 0 ? { status: x.status, message: x.message } : {}) }));
  return {
    x: like(xStar) as X,
    fun: traced ? conv.call(xStar, conv.theta) : new ConcreteArray(Float64Array.of(r.fun), [], "float64"),
    jac: r.jac === null ? null : traced ? convGrad(xStar, conv.theta) : new ConcreteArray(r.jac, [n], "float64"),
    nit: r.nit,
    nfev: r.nfev,
    njev: r.njev,
    ...(r.nhev !== undefined ? { nhev: r.nhev } : {}),
    success: r.status === 0,
    status: r.status,
    message: r.message,
    ...(r.hessInv ? { hessInv: new ConcreteArray(Float64Array.from(r.hessInv.flatMap((row) => Array.from(row))), [n, n], "float64") } : {}),
  };
}

/**
 * The result of a call staged under `jit`: x, fun and jac are (staged) values, but the search runs
 * only when the staged program does, so its counts and status are unknown: reading them is an error.
 */
function stagedResult<X>(op: string, x: X, fun: NDArray, jac: NDArray | null): OptimizeResult<X> {
  const result = { x, fun, jac } as OptimizeResult<X>;
  for (const key of ["nit", "nfev", "njev", "success", "status", "message"] as const) {
    Object.defineProperty(result, key, {
      enumerable: true,
      get: () => {
        throw new TypeError(`${op}: under jit the search runs only when the staged program runs, so ${key} is not known while staging; return x, fun or jac from the jitted function`);
      },
    });
  }
  return result;
}
