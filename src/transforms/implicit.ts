/**
 * @file Implicit differentiation: `lax.customLinearSolve`, `lax.customRoot` and `fixedPoint`, whose
 * derivatives come from the implicit function theorem at the solution, never from differentiating
 * the iterations that found it (JAX's `custom_linear_solve`/`custom_root`, autograd's `fixed_point`).
 *
 * One primitive carries it all: `customLinearSolve` solves A(θ)·x = b with user solvers, linear in b
 * (its transpose solves Aᵀ(θ)·y = c), and differentiable in θ through the matrix-vector product
 * (dx = A⁻¹(db − dA·x)). A root x*(θ) of G(x, θ) = 0 is an `implicitRoot` primitive, whose
 * kernel runs the numerical search on concrete θ and whose tangent is dx = −(∂G/∂x)⁻¹ ∂G/∂θ·dθ,
 * one `customLinearSolve`: so forward mode, reverse mode, derivatives of every order and `vmap`
 * follow from those two primitives' rules. Values a function closes over (outer
 * tracers) are found by staging it (JAX's closure conversion) and become the θ differentiated.
 */
import type { NDArray, Aval } from "../core/ndarray.ts";
import { ConcreteArray } from "../core/ndarray.ts";
import { definePrimitive, type Primitive } from "../core/primitive.ts";
import { bind1, concreteBeneath, currentLevel, isTracer } from "../core/trace.ts";
import { take } from "../numpy/indexing-fns.ts";
import { stack } from "../numpy/shape.ts";
import { evalJaxpr, type ClosedJaxpr } from "../core/jaxpr.ts";
import { stageFlat } from "../interpreters/staging.ts";
import { matchBatch, zerosLike } from "../primitives/structural.ts";
import { neg, stopGradient } from "../primitives/unary.ts";
import { sub } from "../primitives/binary.ts";
import { ShapeError, fmtShape } from "../core/errors.ts";
import { flatten as flattenTree, unflatten as unflattenTree, type Tree } from "../tree/index.ts";
import { leafToArray } from "./common.ts";
import { flatten } from "./flatten.ts";
import { jvp } from "./jvp.ts";
import { vjp } from "./vjp.ts";
import { vmap } from "./vmap.ts";

/** A map of the flat operand `v` given the matrix's parameters `θ`. */
export type ThetaMap = (theta: NDArray[], v: NDArray) => NDArray;

export interface LinearSolveParams {
  /** A(θ)·v. */
  readonly matvec: ThetaMap;
  /** A(θ)⁻¹·b. */
  readonly solve: ThetaMap;
  /** A(θ)ᵀ·v and A(θ)⁻ᵀ·b, or null when no transpose solve was given (reverse mode then fails clearly). */
  readonly tmatvec: ThetaMap | null;
  readonly tsolve: ThetaMap | null;
  /** Who asked, for errors. */
  readonly op: string;
}

const transposed = (p: LinearSolveParams): LinearSolveParams => ({
  op: p.op,
  matvec: p.tmatvec!,
  solve: p.tsolve!,
  tmatvec: p.matvec,
  tsolve: p.solve,
});

/** The solve's result as a concrete array of `b`'s shape and dtype, or a clear error. */
function checkedSolve(params: LinearSolveParams, theta: NDArray[], b: NDArray): NDArray {
  const x = params.solve(theta, b);
  if (!(x instanceof Object) || x.shape === undefined || x.size !== b.size) {
    throw new ShapeError(`${params.op}: solve returned ${x?.shape ? `shape ${fmtShape(x.shape)}` : String(x)} for a right-hand side of shape ${fmtShape(b.shape)}`);
  }
  return x.shape.length === b.shape.length && x.shape.every((d, i) => d === b.shape[i]) ? x : x.reshape(b.shape);
}

/**
 * x = A(θ)⁻¹ b with operands `[...θ, b]`. Linear in b; in θ its JVP is −A⁻¹(dA·x), computed from
 * `matvec`'s own derivative, so the solver itself is never differentiated.
 */
export const linearSolveP: Primitive<LinearSolveParams> = definePrimitive<LinearSolveParams>({
  name: "customLinearSolve",
  impl: (args, params) => [checkedSolve(params, args.slice(0, -1), args[args.length - 1]!) as ConcreteArray],
  abstractEval: (avals: readonly Aval[]) => [{ shape: avals[avals.length - 1]!.shape, dtype: avals[avals.length - 1]!.dtype }],
  jvp: (primals, tangents, outs, params) => {
    const n = primals.length - 1;
    const theta = primals.slice(0, n);
    let rhs = tangents[n] ?? null;
    if (tangents.slice(0, n).some((t) => t !== null)) {
      const x = outs[0]!;
      const dTheta = tangents.slice(0, n).map((t, i) => t ?? zerosLike(theta[i]!));
      const [, dAx] = jvp(((...th: NDArray[]) => params.matvec(th, x)) as (...xs: NDArray[]) => NDArray, theta, dTheta) as [NDArray, NDArray];
      rhs = rhs === null ? neg(dAx) : sub(rhs, dAx);
    }
    return [bind1(linearSolveP, [...theta, rhs!], params)];
  },
  transpose: (cts, args, params) => {
    const n = args.length - 1;
    if (params.tsolve === null || params.tmatvec === null) {
      throw new TypeError(`${params.op}: reverse mode needs the transposed solve: pass transposeSolve, or symmetric: true when the matrix is symmetric`);
    }
    return [...args.slice(0, n).map(() => null), bind1(linearSolveP, [...(args.slice(0, n) as NDArray[]), cts[0]!], transposed(params))];
  },
  batch: (args, dims, params, size) => {
    const moved = args.map((a, i) => matchBatch(a, dims[i]!, size, 0));
    const vm = (fn: ThetaMap | null): ThetaMap | null =>
      fn && ((th, v) => (vmap((...xs: NDArray[]) => fn(xs.slice(0, -1), xs[xs.length - 1]!)) as (...a: NDArray[]) => NDArray)(...th, v));
    const out = bind1(linearSolveP, moved, { op: params.op, matvec: vm(params.matvec)!, solve: vm(params.solve)!, tmatvec: vm(params.tmatvec), tsolve: vm(params.tsolve) });
    return [[out], [0]];
  },
});

/** The largest value any batch member has, as a plain number (what a stopping test needs). */
export function worst(x: NDArray, op: string): number {
  const d = concreteBeneath(x, op).data;
  let m = -Infinity;
  for (let i = 0; i < d.length; i++) m = Math.max(m, Number.isNaN(d[i]!) ? Infinity : d[i]!);
  return m;
}

const dot = (a: NDArray, b: NDArray): NDArray => a.mul(b).sum();

/**
 * Conjugate gradients for a symmetric positive definite A (given by its product), to the relative
 * residual `tol`; under `vmap` it runs until every member has converged (members already there stay).
 */
export function cgSolve(matvec: (v: NDArray) => NDArray, b: NDArray, op: string, tol = 1e-12, maxIter = 0): NDArray {
  const n = Math.max(b.size, 1);
  const limit = maxIter > 0 ? maxIter : 10 * n + 10;
  const bNorm2 = worst(dot(b, b), op);
  let x = b.mul(0);
  let r = b;
  let p = r;
  let rr = dot(r, r);
  for (let k = 0; k < limit && worst(rr, op) > tol * tol * bNorm2; k++) {
    const ap = matvec(p);
    const pap = dot(p, ap);
    // Members that have converged (rr = 0) take zero steps instead of 0/0.
    const alpha = rr.div(pap.add(rr.eq(0).astype(pap.dtype))).mul(rr.gt(0).astype(pap.dtype));
    x = x.add(p.mul(alpha));
    r = r.sub(ap.mul(alpha));
    const rrNew = dot(r, r);
    p = r.add(p.mul(rrNew.div(rr.add(rr.eq(0).astype(rr.dtype)))));
    rr = rrNew;
  }
  return x;
}

/** Solves (I − J)·v = b for a contraction J by v ← b + J·v (the Neumann series), autograd's adjoint iteration. */
function neumannSolve(matvec: (v: NDArray) => NDArray, b: NDArray, op: string, tol: number, maxIter: number): NDArray {
  let v = b;
  const scale = Math.max(worst(b.abs().max(), op), 1e-300);
  for (let k = 0; k < maxIter; k++) {
    // A·v = v − J·v, so b + J·v = v + (b − A·v).
    const next = v.add(b.sub(matvec(v)));
    const step = worst(next.sub(v).abs().max(), op);
    v = next;
    if (step <= tol * scale) return v;
  }
  throw new RangeError(`${op}: the linear system of the implicit derivative did not converge in ${maxIter} iterations (is the update a contraction at the fixed point?)`);
}

/** The tree `X` as user functions receive it: every number leaf an array. */
export type AsArrays<X> = X extends number ? NDArray : X extends NDArray ? NDArray : { [K in keyof X]: AsArrays<X[K]> };

/**
 * `flatten(t)` whose rebuild gives arrays at every leaf (a number leaf becomes a 0-d array), for
 * calling user functions; `like` rebuilds as `flatten` does (numbers for numbers when concrete), for results.
 */
export function flattenForCalls(t: Tree, op: string, what: string): { flat: NDArray; call: (v: NDArray) => Tree; like: (v: NDArray) => Tree } {
  const [leaves, def] = flattenTree(t, `${op}: ${what} `);
  const shapes = leaves.map((l, i) => leafToArray(l, op, `${what} leaf ${i}`).shape);
  const [flat, like] = flatten(t);
  const call = (v: NDArray): Tree => {
    let pos = 0;
    return unflattenTree(
      def,
      shapes.map((shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const part = v.get(`${pos}:${pos + size}`).reshape(shape);
        pos += size;
        return part;
      }),
    );
  };
  return { flat, call, like };
}

/** A function of flat `x` with the outer tracers it closes over made explicit (JAX's closure conversion). */
export interface Converted {
  /** The captured tracers (the θ derivatives flow through). */
  readonly theta: NDArray[];
  /** The function with θ as explicit inputs. */
  readonly call: (x: NDArray, theta: NDArray[]) => NDArray;
  /** The function's result shape and dtype at `x` (null outside every transformation, where nothing is staged). */
  readonly outAval: Aval | null;
}

/** Stages `f` at `x`'s shape to find the outer tracers it captures; outside every transformation it is `f` itself. */
export function closureConvert(f: (x: NDArray) => NDArray, x: NDArray, op: string): Converted {
  if (currentLevel() === 0) return { theta: [], call: (v) => f(v), outAval: null };
  const { jaxpr, hoisted } = stageFlat((xs) => [f(xs[0]!)], [{ shape: x.shape, dtype: x.dtype }], op);
  const closed: ClosedJaxpr = jaxpr;
  return { theta: hoisted, call: (v, th) => evalJaxpr(closed, [...th, v])[0]! , outAval: jaxpr.outAvals[0]! };
}

/** How a root's tangent system ∂G/∂x · dx = rhs is solved. */
export interface RootSolvers {
  /** (matvec of ∂G/∂x, rhs) → dx. */
  readonly solve: (matvec: (v: NDArray) => NDArray, b: NDArray) => NDArray;
  /** The same for the transposed system; `null`: use `solve` on the transposed product. */
  readonly transposeSolve?: ((matvec: (v: NDArray) => NDArray, b: NDArray) => NDArray) | null;
  /** ∂G/∂x is symmetric (a Hessian): the transposed system is the system itself. */
  readonly symmetric?: boolean;
}

/** What an implicit root carries: the search, the residual it zeroes, and how its tangent system is solved. */
export interface ImplicitRootParams {
  /** θ (concrete) → x*, the numerical search. */
  readonly find: (theta: NDArray[]) => NDArray;
  /** G(x, θ), zero at the root; written with primitives (it is differentiated). */
  readonly residual: (x: NDArray, theta: NDArray[]) => NDArray;
  readonly solvers: RootSolvers;
  /** The root's shape and dtype, known before the search runs. */
  readonly outAval: Aval;
  /** Who asked, for errors. */
  readonly op: string;
}

/** The tangent system ∂G/∂x · dx = rhs as a `customLinearSolve` whose operands are `[x, ...θ, rhs]`. */
function tangentSystem(p: ImplicitRootParams): LinearSolveParams {
  const matvecAt: ThetaMap = (th, v) => jvp(((y: NDArray) => p.residual(y, th.slice(1))) as (...xs: NDArray[]) => NDArray, [th[0]!], [v])[1] as NDArray;
  const tmatvecAt: ThetaMap = (th, v) => vjp(((y: NDArray) => p.residual(y, th.slice(1))) as (...xs: NDArray[]) => NDArray, th[0]!)[1](v)[0] as NDArray;
  const solve: ThetaMap = (th, b) => p.solvers.solve((v) => matvecAt(th, v), b);
  const tsolve: ThetaMap = p.solvers.symmetric ? solve : (th, b) => (p.solvers.transposeSolve ?? p.solvers.solve)((v) => tmatvecAt(th, v), b);
  return { op: p.op, matvec: matvecAt, solve, tmatvec: p.solvers.symmetric ? matvecAt : tmatvecAt, tsolve };
}

/**
 * x* = find(θ) with operands θ, a root of G(x, θ). The kernel runs the JS search on concrete θ (so
 * it runs eagerly, under `grad`, and under `jit` when the staged program runs); the tangent is
 * dx = −(∂G/∂x)⁻¹ ∂G/∂θ·dθ at the primal output, one `customLinearSolve`, so derivatives of every
 * order follow (at an outer level the output is itself a tracer). `vmap` runs the search per member.
 */
export const implicitRootP: Primitive<ImplicitRootParams> = definePrimitive<ImplicitRootParams>({
  name: "implicitRoot",
  impl: (args, p) => {
    const x = p.find(args.slice());
    if (!(x instanceof ConcreteArray)) throw new TypeError(`${p.op}: the numerical search returned a traced value; it must compute on the concrete values it is given`);
    const want = p.outAval;
    if (x.size !== want.shape.reduce((a, b) => a * b, 1)) throw new ShapeError(`${p.op}: the search returned shape ${fmtShape(x.shape)}, but the root has shape ${fmtShape(want.shape)}`);
    if (x.dtype !== want.dtype) throw new TypeError(`${p.op}: the search returned dtype ${x.dtype}, but the root has dtype ${want.dtype} (shape ${fmtShape(want.shape)})`);
    return [(x.shape.length === want.shape.length && x.shape.every((d, i) => d === want.shape[i]) ? x : x.reshape(want.shape)) as ConcreteArray];
  },
  abstractEval: (_avals, p) => [{ shape: p.outAval.shape, dtype: p.outAval.dtype }],
  jvp: (primals, tangents, outs, p) => {
    const x = outs[0]!;
    const moving = tangents.flatMap((t, i) => (t === null ? [] : [i]));
    const residualIn = (...sub: NDArray[]): NDArray => {
      const th = primals.slice();
      moving.forEach((j, k) => (th[j] = sub[k]!));
      return p.residual(x, th);
    };
    const [, gDot] = jvp(residualIn as (...xs: NDArray[]) => NDArray, moving.map((i) => primals[i]!), moving.map((i) => tangents[i]!)) as [NDArray, NDArray];
    return [bind1(linearSolveP, [x, ...primals, neg(gDot)], tangentSystem(p))];
  },
  transpose: "nonlinear",
  batch: (args, dims, p, size) => {
    const members = Array.from({ length: size }, (_, i) =>
      bind1(implicitRootP, args.map((a, j) => (dims[j] === null ? a : take(a, i, { axis: dims[j]! }))), p),
    );
    return [[stack(members)], [0]];
  },
});

/**
 * x*(θ), a root of `residual(x, θ)` found numerically by `find(θ)` (on concrete θ), differentiable
 * in θ by the implicit function theorem: one `implicitRoot` primitive (with nothing traced, the search itself).
 */
export function implicitRoot(
  residual: (x: NDArray, theta: NDArray[]) => NDArray,
  find: (theta: NDArray[]) => NDArray,
  theta: NDArray[],
  solvers: RootSolvers,
  op: string,
  outAval: Aval,
): NDArray {
  if (!theta.some(isTracer)) return find(theta);
  return bind1(implicitRootP, theta, { find, residual, solvers, outAval: { shape: outAval.shape, dtype: outAval.dtype }, op });
}

type LinearFn = (v: Tree) => Tree;

/**
 * `lax.customLinearSolve(matvec, b, solve, {transposeSolve?, symmetric?})`: `solve(matvec, b)`, the
 * x with matvec(x) = b, differentiated as A⁻¹b (in `b` and in whatever `matvec` closes over) without
 * differentiating `solve`. Reverse mode uses `transposeSolve(vecmat, c)` (or `solve` when `symmetric`).
 * As in JAX, `solve` must reach the matrix through the `matvec` it is given: values it closes over
 * are not differentiated (and a traced value captured there fails when the backward pass runs).
 * @example
 * const a = np.array([[4, 1], [1, 3]]);
 * const x = lax.customLinearSolve((v: NDArray) => np.matmul(a, v), np.array([1, 2]), (mv: any, b: NDArray) => np.linalg.solve(a, b), { symmetric: true });
 * x.toArray(); // [0.09090909090909091, 0.6363636363636364]
 */
export function customLinearSolve<T extends Tree>(
  matvec: (v: T) => T,
  b: T,
  solve: (matvec: (v: T) => T, b: T) => T,
  opts: { transposeSolve?: (vecmat: (v: T) => T, b: T) => T; symmetric?: boolean } = {},
): T {
  const op = "lax.customLinearSolve";
  if (typeof matvec !== "function") throw new TypeError(`${op}: matvec must be a function, got ${typeof matvec}`);
  if (typeof solve !== "function") throw new TypeError(`${op}: solve must be a function, got ${typeof solve}`);
  checkKeys(op, opts, ["transposeSolve", "symmetric"]);
  const { flat: bFlat, call: unflat, like } = flattenForCalls(b, op, "b");
  const flatOf = (t: Tree, what: string): NDArray => {
    const f = flatten(t)[0];
    if (f.size !== bFlat.size) throw new ShapeError(`${op}: ${what} has ${f.size} elements, but b has ${bFlat.size}`);
    return f;
  };
  const conv = closureConvert((v) => flatOf(matvec(unflat(v) as T), "matvec's result"), bFlat, op);
  const mv: ThetaMap = (th, v) => conv.call(v, th);
  const tmv: ThetaMap = (th, v) => vjp(((y: NDArray) => conv.call(y, th)) as (...xs: NDArray[]) => NDArray, zerosLike(bFlat))[1](v)[0] as NDArray;
  const lift = (m: ThetaMap, th: NDArray[]) => (v: T) => unflat(m(th, flatOf(v, "the vector given to matvec"))) as T;
  const sv: ThetaMap = (th, rhs) => flatOf(solve(lift(mv, th), unflat(rhs) as T), "solve's result");
  const tsv: ThetaMap | null = opts.symmetric
    ? sv
    : opts.transposeSolve
      ? (th, rhs) => flatOf(opts.transposeSolve!(lift(tmv, th), unflat(rhs) as T), "transposeSolve's result")
      : null;
  const params: LinearSolveParams = { op, matvec: mv, solve: sv, tmatvec: opts.symmetric ? mv : tmv, tsolve: tsv };
  return like(bind1(linearSolveP, [...conv.theta, bFlat], params)) as T;
}

/**
 * `lax.customRoot(f, initialGuess, solve, tangentSolve)`: `solve(f, initialGuess)`, a root of `f`,
 * differentiated by the implicit function theorem in whatever `f` closes over:
 * dx = −(∂f/∂x)⁻¹ ∂f/∂θ dθ, with `tangentSolve(g, y)` solving the linear g(x) = y (in reverse
 * mode it is handed the transposed map, as JAX's `custom_root` does).
 * @example
 * const sqrt2 = (a: NDArray) => lax.customRoot((x: NDArray) => x.mul(x).sub(a), np.array(1),
 *   (f: any, x0: NDArray) => { let x = x0; for (let i = 0; i < 30; i++) x = x.sub(f(x).div(x.mul(2))); return x; },
 *   (g: any, y: NDArray) => y.div(g(np.array(1))));
 * grad(sqrt2)(np.array(2)).item(); // 0.35355339059327373
 */
export function customRoot<T extends Tree>(f: (x: T) => T, initialGuess: T, solve: (f: (x: T) => T, x0: T) => T, tangentSolve: (g: (v: T) => T, y: T) => T): T {
  const op = "lax.customRoot";
  for (const [name, fn] of [["f", f], ["solve", solve], ["tangentSolve", tangentSolve]] as const) {
    if (typeof fn !== "function") throw new TypeError(`${op}: ${name} must be a function, got ${typeof fn}`);
  }
  const { flat: x0, call: unflat, like } = flattenForCalls(initialGuess, op, "initialGuess");
  const flatOf = (t: Tree, what: string): NDArray => {
    const v = flatten(t)[0];
    if (v.size !== x0.size) throw new ShapeError(`${op}: ${what} has ${v.size} elements, but the initial guess has ${x0.size}`);
    return v;
  };
  const conv = closureConvert((x) => flatOf(f(unflat(x) as T), "f's result"), x0, op);
  // The initial guess travels last among the operands (under vmap each member starts from its own); x* does not depend on it.
  const find = (thx: NDArray[]) => flatOf(solve((x: T) => unflat(conv.call(flatOf(x, "the point given to f"), thx.slice(0, -1))) as T, unflat(thx[thx.length - 1]!) as T), "solve's result");
  const residual = (x: NDArray, thx: NDArray[]) => conv.call(x, thx.slice(0, -1));
  const lin = (m: (v: NDArray) => NDArray) => (v: T) => unflat(m(flatOf(v, "the vector given to g"))) as T;
  const tSolve = (m: (v: NDArray) => NDArray, b: NDArray) => flatOf(tangentSolve(lin(m), unflat(b) as T), "tangentSolve's result");
  return like(implicitRoot(residual, find, [...conv.theta, stopGradient(x0)], { solve: tSolve }, op, { shape: x0.shape, dtype: x0.dtype })) as T;
}

/** Options of `fixedPoint`. */
export interface FixedPointOptions {
  /** The distance between successive iterates (trees like x0); default the largest absolute difference. */
  distance?: (x: any, y: any) => number | NDArray;
  /** Stop when the distance is at most `tol` (default 1e-10). */
  tol?: number;
  /** Most updates (default 10000). */
  maxIter?: number;
}

/** Throws on option keys the function does not know (misspellings). */
export function checkKeys(op: string, opts: unknown, known: readonly string[]): void {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) throw new TypeError(`${op}: options must be an object, got ${Array.isArray(opts) ? "an array" : String(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new TypeError(`${op}: unknown option "${k}" (known: ${known.join(", ")})`);
  }
}

/**
 * `fixedPoint(f, a, x0, {distance?, tol?, maxIter?})`: iterates x ↦ f(a)(x) from `x0` until two
 * iterates are within `tol` (autograd's `misc.fixed_points.fixed_point`). Its derivative in `a` (a
 * tree, as is x) is that of the exact fixed point, dx* = (I − ∂f/∂x)⁻¹ ∂f/∂a da, solved like
 * autograd's adjoint by the same iteration on the linearized update — differentiable again.
 * @example
 * const newtonSqrt = (a: NDArray) => (x: NDArray) => x.add(a.div(x)).mul(0.5);
 * fixedPoint(newtonSqrt, np.array(2), np.array(1)).item(); // 1.4142135623730951
 */
export function fixedPoint<A extends Tree, X extends Tree>(f: (a: A) => (x: AsArrays<X>) => unknown, a: A, x0: X, opts: FixedPointOptions = {}): X {
  const op = "fixedPoint";
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function of a returning the update x ↦ x', got ${typeof f}`);
  checkKeys(op, opts, ["distance", "tol", "maxIter"]);
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 10000;
  if (!(tol >= 0)) throw new RangeError(`${op}: tol must be a non-negative number, got ${tol}`);
  if (!(Number.isInteger(maxIter) && maxIter > 0)) throw new RangeError(`${op}: maxIter must be a positive integer, got ${maxIter}`);
  const { flat: xFlat, call: unflat, like } = flattenForCalls(x0 as Tree, op, "x0");
  const update = (x: NDArray): NDArray => {
    const u = f(a);
    if (typeof u !== "function") throw new TypeError(`${op}: f(a) must return the update function x ↦ x', got ${typeof u}`);
    const next = flatten(u(unflat(x) as never) as Tree)[0];
    if (next.size !== xFlat.size) throw new ShapeError(`${op}: the update returned ${next.size} values for an x of ${xFlat.size}`);
    return next;
  };
  const distance = (x: NDArray, y: NDArray): number => {
    if (opts.distance === undefined) return worst(x.sub(y).abs().max(), op);
    const d = opts.distance(unflat(x), unflat(y));
    return typeof d === "number" ? d : worst(leafToArray(d, op, "distance's result"), op);
  };
  const conv = closureConvert(update, xFlat, op);
  // The start travels last among the operands (under vmap each member starts from its own); x* does not depend on it.
  const find = (thx: NDArray[]): NDArray => {
    const th = thx.slice(0, -1);
    let x = thx[thx.length - 1]!;
    for (let k = 0; k < maxIter; k++) {
      const next = conv.call(x, th);
      const d = distance(next, x);
      x = next;
      if (d <= tol) return x;
    }
    throw new RangeError(`${op}: no fixed point within tol ${tol} after maxIter = ${maxIter} updates`);
  };
  const residual = (x: NDArray, thx: NDArray[]) => conv.call(x, thx.slice(0, -1)).sub(x);
  // The residual is G = f(x) − x, so ∂G/∂x = J − I; Neumann solves (I − J)v = −b.
  const solve = (m: (v: NDArray) => NDArray, b: NDArray) => neumannSolve((v) => m(v).neg(), b.neg(), op, Math.min(tol, 1e-12), maxIter);
  const out = implicitRoot(residual, find, [...conv.theta, stopGradient(xFlat)], { solve }, op, conv.outAval ?? xFlat);
  return like(out) as X;
}
