/**
 * @file Primitives that carry user functions: `customJvpCall` (a function with its own JVP rule),
 * `customVjpCall` (with its own forward/backward pair) and `customLin`, the linear map whose
 * transpose is the user's backward function. `checkpoint` is a `customVjpCall` that recomputes.
 */
import type { NDArray, Aval } from "../core/ndarray.ts";
import { ConcreteArray } from "../core/ndarray.ts";
import { bind } from "../core/trace.ts";
import { batchFunction } from "../interpreters/batching.ts";
import { LinearVar } from "../interpreters/linearize.ts";
import { definePrimitive, type Primitive } from "../core/primitive.ts";
import { matchBatch, zerosLike } from "./structural.ts";

type Fn = (xs: NDArray[]) => NDArray[];
const front = (x: NDArray, d: number | null, size: number) => matchBatch(x, d, size, 0);
const concrete = (xs: NDArray[]) => xs as ConcreteArray[];
const avalsOf = (f: Fn, avals: readonly Aval[]): Aval[] => f(avals.map(zerosLike)).map((o) => ({ shape: o.shape, dtype: o.dtype }));
/** `f` vectorized over axis 0 of every argument. */
const batched = (f: Fn, size: number): Fn => (xs) => batchFunction(f, xs, xs.map(() => 0), size, front);
/** Arguments with their batch axes moved to the front (unbatched ones broadcast). */
const atFront = (args: readonly NDArray[], dims: readonly (number | null)[], size: number) => args.map((a, i) => front(a, dims[i]!, size));

export interface CustomJvpParams {
  readonly f: Fn;
  /** `(primals, tangents) => tangentsOut`, tangents instantiated (never null). */
  readonly rule: (primals: NDArray[], tangents: NDArray[]) => NDArray[];
}

export const customJvpCallP: Primitive<CustomJvpParams> = definePrimitive<CustomJvpParams>({
  name: "customJvpCall",
  impl: (args, { f }) => concrete(f([...args])),
  abstractEval: (avals, { f }) => avalsOf(f, avals),
  jvp: (primals, tangents, _, { rule }) => rule([...primals], tangents.map((t, i) => t ?? zerosLike(primals[i]!))),
  transpose: "nonlinear",
  batch: (args, dims, { f, rule }, size) => {
    const n = args.length;
    const batchedRule = (ps: NDArray[], ts: NDArray[]) => batched((xs) => rule(xs.slice(0, n), xs.slice(n)), size)([...ps, ...ts]);
    const outs = bind(customJvpCallP, atFront(args, dims, size), { f: batched(f, size), rule: batchedRule });
    return [outs, outs.map(() => 0)];
  },
});

export interface CustomVjpParams {
  readonly f: Fn;
  /** `(primals) => residuals` for the backward pass (the user's `fwd` without its outputs, which the primitive computed already). */
  readonly residuals: (xs: NDArray[]) => NDArray[];
  /** `(residuals, cts) => one cotangent per primal`. */
  readonly bwd: (res: NDArray[], cts: NDArray[]) => NDArray[];
  /** How to apply the linear map forward (`checkpoint` has one; a plain `customVjp` does not). */
  readonly forward: ((res: NDArray[], tangents: NDArray[]) => NDArray[]) | null;
}

export const customVjpCallP: Primitive<CustomVjpParams> = definePrimitive<CustomVjpParams>({
  name: "customVjpCall",
  impl: (args, { f }) => concrete(f([...args])),
  abstractEval: (avals, { f }) => avalsOf(f, avals),
  jvp: (primals, tangents, outs, { residuals, bwd, forward }) => {
    const ts = tangents.map((t, i) => t ?? zerosLike(primals[i]!));
    // Pure forward mode (tangents are values): apply the tangent map directly, so that it is traced
    // and differentiated like any other code. Reverse mode (tangents are unknowns of a linear
    // program): record `customLin`, whose transpose is the user's backward function.
    if (!ts.some(isLinearVar)) {
      if (!forward) throw noForward();
      return forward([...primals], ts);
    }
    const res = residuals([...primals]);
    const outAvals = outs.map((o) => ({ shape: o.shape, dtype: o.dtype }));
    return bind(customLinP, [...res, ...ts], { numRes: res.length, bwd, forward: forward && ((r, t) => forward(r, t)), outAvals });
  },
  transpose: "nonlinear",
  batch: (args, dims, { f, residuals, bwd, forward }, size) => {
    const bBwd = (res: NDArray[], cts: NDArray[]) => batched((ys) => bwd(ys.slice(0, res.length), ys.slice(res.length)), size)([...res, ...cts]);
    const bForward = forward && ((res: NDArray[], ts: NDArray[]) => batched((ys) => forward(ys.slice(0, res.length), ys.slice(res.length)), size)([...res, ...ts]));
    const outs = bind(customVjpCallP, atFront(args, dims, size), { f: batched(f, size), residuals: batched(residuals, size), bwd: bBwd, forward: bForward });
    return [outs, outs.map(() => 0)];
  },
});

export interface CustomLinParams {
  /** The first `numRes` arguments are residuals (known values); the rest are the tangents. */
  readonly numRes: number;
  readonly bwd: CustomVjpParams["bwd"];
  readonly forward: CustomVjpParams["forward"];
  readonly outAvals: Aval[];
}

const isLinearVar = (x: NDArray): boolean => x instanceof LinearVar;

const noForward = () =>
  new TypeError(
    "customVjp: a function with a custom VJP has no forward-mode derivative (jvp, jacfwd, hessian's outer jacfwd). " +
      "Use customJvp for forward mode, or jacrev/vjp.",
  );

/**
 * The tangent map of a `customVjpCall` in reverse mode: linear in its tangent arguments, known by
 * its transpose (the user's `bwd`); residuals are its leading (known) arguments.
 */
export const customLinP: Primitive<CustomLinParams> = definePrimitive<CustomLinParams>({
  name: "customLin",
  impl: (args, { numRes, forward }) => {
    if (!forward) throw noForward();
    return concrete(forward(args.slice(0, numRes), args.slice(numRes)));
  },
  abstractEval: (_, { outAvals }) => outAvals,
  jvp: () => {
    throw new TypeError("customLin: the tangent map of a custom VJP cannot itself be differentiated in forward mode");
  },
  transpose: (cts, args, { numRes, bwd }) => [
    ...args.slice(0, numRes).map(() => null),
    ...bwd(args.slice(0, numRes) as NDArray[], [...cts]),
  ],
  batch: (args, dims, { numRes, forward }, size) => {
    if (!forward) throw noForward();
    const outs = batchFunction((xs) => forward(xs.slice(0, numRes), xs.slice(numRes)), args, dims, size, front);
    return [outs, outs.map(() => 0)];
  },
});
