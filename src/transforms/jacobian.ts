/**
 * @file Jacobians and Hessians, built from the other transformations: `jacfwd` pushes forward the
 * columns of the identity with `vmap(jvp)`, `jacrev` pulls back its rows with `vmap(vjp)`.
 */
import type { NDArray } from "../core/ndarray.ts";
import { ConcreteArray } from "../core/ndarray.ts";
import { flatten, unflatten, type Tree, type TreeDef } from "../tree/index.ts";
import { likeInput, normArgnums, checkNotAsync, checkNotPromise, leafToArrayAt } from "./common.ts";
import { jvp } from "./jvp.ts";
import { vjp } from "./vjp.ts";
import { vmap } from "./vmap.ts";
import { grad } from "./vjp.ts";
import { reshape, slice, convert } from "../primitives/structural.ts";
import * as np from "../numpy/shape.ts";
import type { Fn, GradOf, HessianFn, JacobianFn, LeafLike, ArrayTree } from "./types.ts";
import type { Args } from "./common.ts";
import { hessianOpts, jacfwdOpts, jacrevOpts } from "./options.ts";
import { isComplex } from "../core/dtype.ts";
import { fmtShape } from "../core/errors.ts";

/** Options of `jacfwd`, `jacrev`, `jacobian` and `hessian`. */
export interface JacOptions {
  /** Which argument(s) to differentiate with respect to (default 0). A list gives a tuple of Jacobians. */
  argnums?: number | readonly number[];
  /**
   * `f` is holomorphic with complex inputs and outputs (`jacfwd`/`jacrev` only): the Jacobian of
   * complex derivatives ∂fᵢ/∂zⱼ, as JAX's `holomorphic=True`.
   */
  holomorphic?: boolean;
}

/** Flattens a tree of arrays into one float64 (complex128 if a leaf is complex) vector and back. */
function ravelTree(t: Tree): [NDArray, (v: NDArray) => Tree, NDArray[], TreeDef] {
  const [ls, def] = flatten(t);
  const arrays = ls.map((x, i) => leafToArrayAt(x, "jacobian", "leaf", i));
  const dtype = arrays.some((a) => isComplex(a.dtype)) ? "complex128" : "float64";
  const flat = arrays.length === 1 ? reshape(arrays[0]!, [arrays[0]!.size]) : np.concatenate(arrays.map((a) => reshape(convert(a, dtype), [a.size])));
  const unravel = (v: NDArray): Tree => {
    let pos = 0;
    const parts = arrays.map((a) => {
      const part = reshape(slice(v, [pos], [1], [a.size]), a.shape);
      pos += a.size;
      return part;
    });
    return unflatten(def, parts);
  };
  return [flat, unravel, arrays, def];
}

/** The n × n identity (float64, or complex128 for a holomorphic Jacobian). */
function identity(n: number, complex = false): NDArray {
  const data = new Float64Array(n * n * (complex ? 2 : 1));
  for (let i = 0; i < n; i++) data[(i * n + i) * (complex ? 2 : 1)] = 1;
  return new ConcreteArray(data, [n, n], complex ? "complex128" : "float64");
}

/**
 * JAX's rule: without `holomorphic`, jacfwd takes real inputs only (a real basis would see one
 * real direction of a complex input) and jacrev gives real outputs only; with it, both must be complex.
 */
function checkComplexKinds(op: string, what: "input" | "output", leaves: readonly NDArray[], holomorphic: boolean): void {
  leaves.forEach((a, i) => {
    if (holomorphic && !isComplex(a.dtype)) {
      throw new TypeError(`${op} with holomorphic: ${what} leaf ${i} has dtype ${a.dtype}; a holomorphic Jacobian needs complex inputs and outputs`);
    }
    if (!holomorphic && isComplex(a.dtype)) {
      throw new TypeError(
        `${op}: ${what} leaf ${i} is complex (${a.dtype}, shape ${fmtShape(a.shape)}); ${op} needs real ${what}s. ` +
          `For a holomorphic function pass { holomorphic: true }; otherwise use ${op === "jacfwd" ? "jacrev (for a real-valued output) or jvp" : "vjp"} directly.`,
      );
    }
  });
}

/** What one call of the function told about its output: structure, leaf shapes, which leaves were JS numbers. */
interface OutInfo {
  def: TreeDef;
  shapes: (readonly number[])[];
  isNumber: boolean[];
}

/**
 * Assembles a Jacobian from a matrix `jac` of shape [outSize, inSize] into JAX's layout: a tree of
 * the output's structure whose leaves are trees of the input's structure, each block of shape
 * `out.shape + in.shape`.
 */
function assemble(jac: NDArray, out: OutInfo, ins: NDArray[], inDef: TreeDef, inLeaves: unknown[]): Tree {
  let r = 0;
  const blocks = out.shapes.map((oShape, oi) => {
    const oSize = oShape.reduce((p, d) => p * d, 1);
    let c = 0;
    const row = ins.map((x, ii) => {
      const block = reshape(slice(jac, [r, c], [1, 1], [oSize, x.size]), [...oShape, ...x.shape]);
      c += x.size;
      const isNum = typeof inLeaves[ii] === "number" && out.isNumber[oi]!;
      return isNum ? likeInput(block, 0) : block;
    });
    r += oSize;
    return unflatten(inDef, row);
  });
  return unflatten(out.def, blocks);
}

function jacobianWith(mode: "fwd" | "rev", f: Fn, optsIn: JacOptions | undefined): (...args: Tree[]) => Tree {
  const opts: JacOptions = (mode === "fwd" ? jacfwdOpts : jacrevOpts)(optsIn);
  return (...args: Tree[]): Tree => {
    const op = mode === "fwd" ? "jacfwd" : "jacrev";
    checkNotAsync(op, f);
    const argnums = normArgnums(op, opts.argnums, args.length);
    const diff: Tree = typeof opts.argnums === "number" || opts.argnums === undefined ? args[argnums[0]!]! : argnums.map((i) => args[i]!);
    const [x, unravel, ins, inDef] = ravelTree(diff);
    const [inLeaves] = flatten(diff);
    const holomorphic = opts.holomorphic === true;
    if (mode === "fwd" || holomorphic) checkComplexKinds(op, "input", ins, holomorphic);
    const call = (d: Tree): Tree => {
      const full = args.slice();
      if (typeof opts.argnums === "number" || opts.argnums === undefined) full[argnums[0]!] = d;
      else argnums.forEach((a, i) => (full[a] = (d as Tree[])[i]!));
      const result = (f as (...a: Tree[]) => Tree)(...full);
      checkNotPromise(op, result);
      return result;
    };
    // The function runs once, inside the transformation; that run also tells the output's layout.
    let out: OutInfo | null = null;
    const fFlat = (v: NDArray): NDArray => {
      const o = call(unravel(v));
      const [leaves, def] = flatten(o);
      out = { def, shapes: leaves.map((l, i) => leafToArrayAt(l, "jacobian", "output leaf", i).shape), isNumber: leaves.map((l) => typeof l === "number") };
      return ravelTree(o)[0];
    };
    let jac: NDArray;
    if (mode === "fwd") {
      // Columns J e_j, stacked along axis 1.
      jac = vmap((t: NDArray) => jvp(fFlat, [x], [t])[1], { outAxes: 1 })(identity(x.size, holomorphic));
      if (holomorphic) checkComplexKinds(op, "output", [jac], true);
    } else {
      // Rows e_iᵀ J: one recorded program, pulled back along every row of the identity.
      const [outFlat, back] = vjp(fFlat, x);
      checkComplexKinds(op, "output", [outFlat], holomorphic);
      jac = vmap((ct: NDArray) => back(ct)[0])(identity(outFlat.size, holomorphic));
    }
    return assemble(jac, out!, ins, inDef, inLeaves);
  };
}

/**
 * `jacfwd(f)`: the Jacobian by forward mode (one JVP per input element, vectorized).
 * @example
 * jacfwd((x: NDArray) => x.mul(x))(np.array([1, 2])); // [[2, 0], [0, 4]]
 */
export function jacfwd<F extends Fn, const O extends JacOptions = {}>(f: F, opts?: O): JacobianFn<F, O> {
  return jacobianWith("fwd", f, opts) as JacobianFn<F, O>;
}

/**
 * `jacrev(f)`: the Jacobian by reverse mode (one VJP per output element, vectorized).
 * @example
 * jacrev((x: NDArray) => x.mul(x))(np.array([1, 2])); // [[2, 0], [0, 4]]
 */
export function jacrev<F extends Fn, const O extends JacOptions = {}>(f: F, opts?: O): JacobianFn<F, O> {
  return jacobianWith("rev", f, opts) as JacobianFn<F, O>;
}

/**
 * `jacobian(f)`: the same as `jacrev`, as in autograd.
 * @example
 * jacobian((x: NDArray) => np.sin(x))(np.array([0, 0])); // [[1, 0], [0, 1]]
 */
export const jacobian: typeof jacrev = jacrev;

/**
 * `hessian(f)`: `jacfwd(jacrev(f))`, forward-over-reverse.
 * @example
 * hessian((x: NDArray) => np.sum(x.mul(x).mul(x)))(np.array([1, 2])); // [[6, 0], [0, 12]]
 */
export function hessian<F extends Fn, const O extends Omit<JacOptions, "holomorphic"> = {}>(f: F, opts?: O): HessianFn<F, O> {
  const o: JacOptions = hessianOpts(opts);
  const h = jacobianWith("fwd", jacobianWith("rev", f, o), o);
  return ((...args: Tree[]): Tree => {
    checkNotAsync("hessian", f);
    return h(...args);
  }) as HessianFn<F, O>;
}

/**
 * `hvp(f)(x, v)`: the Hessian of scalar `f` at `x` times `v`, forward-over-reverse, without
 * forming the Hessian. The product is shaped like `x` (arrays at its leaves).
 * @example
 * hvp((x: NDArray) => np.sum(x.mul(x).mul(x)))(np.array([1, 2]), np.array([1, 0])); // [6, 0]
 */
export function hvp<F extends (x: never) => unknown>(f: F): <X extends Args<F>[0]>(x: X, v: LeafLike<NoInfer<X>>) => ArrayTree<GradOf<X>> {
  return <X extends Args<F>[0]>(x: X, v: LeafLike<NoInfer<X>>): ArrayTree<GradOf<X>> => {
    checkNotAsync("hvp", f);
    return jvp(grad(f as unknown as (x: Tree) => NDArray) as (x: Tree) => Tree, [x as Tree], [v as Tree])[1] as ArrayTree<GradOf<X>>;
  };
}
