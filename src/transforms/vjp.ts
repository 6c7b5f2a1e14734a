/**
 * @file Reverse mode: `vjp`, `grad`, `valueAndGrad`, `elementwiseGrad`, and `linearize` (which
 * reuses the recorded linear program forward).
 */
import type { NDArray } from "../core/ndarray.ts";
import { ConcreteArray } from "../core/ndarray.ts";
import { allocate, fillReal, isComplex, isFloat } from "../core/dtype.ts";
import { convert } from "../primitives/structural.ts";
import { linearizeFlat, backwardPass, forwardPass, type Linearized } from "../interpreters/linearize.ts";
import { flatten, isLeaf, unflatten, sameStructure, type Tree, type TreeDef, type Leaf } from "../tree/index.ts";
import { leafToArray, leafToArrayAt, likeInput, zerosFor, normArgnums, checkDifferentiable, checkNotAsync, checkNotPromise } from "./common.ts";
import type { Args } from "./common.ts";
import type { ArgnumsOf, ArrayTree, Fn, ScalarFn, GradFn, GradOf, GradsOf, LeafLike, Ret, Selected, ValueAndGradFn } from "./types.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { elementwiseGradOpts, gradOpts, holomorphicGradOpts, valueAndGradOpts } from "./options.ts";

/** Arguments flattened once per call: their leaves, structure, and leaves as arrays. */
interface FlatArgs {
  readonly leaves: readonly Leaf[];
  readonly def: TreeDef;
  readonly primals: readonly NDArray[];
  /** Every argument is itself a leaf (an array or a number): the structure is a flat tuple. */
  readonly allLeaves: boolean;
}

interface Traced extends FlatArgs {
  lin: Linearized;
  outDef: TreeDef;
  aux: unknown;
}

const LEAF: TreeDef = { kind: "leaf" };
/** The structure of a tuple of `n` leaves, by `n` (made once). */
const leafTuples: TreeDef[] = [];
const leafTuple = (n: number): TreeDef => (leafTuples[n] ??= { kind: "array", children: new Array<TreeDef>(n).fill(LEAF) });

/** Flattens a function's arguments (a tuple of trees), skipping the tree walk when each is a leaf. */
function flattenArgs(op: string, args: readonly Tree[]): FlatArgs {
  let allLeaves = true;
  for (let i = 0; i < args.length && allLeaves; i++) allLeaves = isLeaf(args[i]);
  const [leaves, def] = allLeaves ? [args as readonly Leaf[], leafTuple(args.length)] : flatten(args as Tree, `${op}: argument `);
  const primals = new Array<NDArray>(leaves.length);
  for (let i = 0; i < leaves.length; i++) primals[i] = leafToArrayAt(leaves[i]!, op, "input leaf", i);
  return { leaves, def, primals, allLeaves };
}

/** Linearizes `f` at the flattened arguments; `hasAux` splits `[out, aux]` off the result. */
function trace(op: string, f: (...a: never[]) => unknown, flat: FlatArgs, hasAux = false): Traced {
  let outDef: TreeDef | null = null;
  let aux: unknown = undefined;
  const lin = linearizeFlat((xs) => {
    const ins = flat.allLeaves ? xs : unflatten<Tree[]>(flat.def, xs);
    let out = (f as unknown as (...a: unknown[]) => unknown)(...ins);
    checkNotPromise(op, out);
    if (hasAux) {
      if (!Array.isArray(out) || out.length !== 2) {
        throw new TypeError(`${op} with hasAux: the function must return [output, aux]`);
      }
      aux = out[1];
      out = out[0];
    }
    const [ol, od] = isLeaf(out) ? [[out], LEAF] : flatten(out as Tree);
    outDef = od;
    const outs = new Array<NDArray>(ol.length);
    for (let i = 0; i < ol.length; i++) outs[i] = leafToArrayAt(ol[i]!, op, "output leaf", i);
    return outs;
  }, flat.primals);
  return { leaves: flat.leaves, def: flat.def, primals: flat.primals, allLeaves: flat.allLeaves, lin, outDef: outDef!, aux };
}

/** Input cotangents as a tree shaped like the inputs (numbers for number inputs). */
function pullBack(t: Traced, cts: readonly (NDArray | null)[]): Tree {
  const grads = backwardPass(t.lin, cts);
  const out = new Array<Leaf>(grads.length);
  for (let i = 0; i < grads.length; i++) out[i] = likeInput(grads[i] ?? zerosFor(t.primals[i]!), t.leaves[i]!);
  return t.allLeaves ? out : unflatten(t.def, out);
}

/**
 * `vjp(f, ...primals)` → `[out, vjpFn]`: `vjpFn(ct)` gives one cotangent per primal (a JS array).
 * @example
 * const [y, back] = vjp((x: NDArray) => np.sin(x), np.array([0, 1]));
 * back(np.ones([2]))[0]; // cos([0, 1])
 */
export function vjp<F extends Fn, P extends Args<F>>(f: F, ...primals: P): [ArrayTree<Ret<F>>, (ct: LeafLike<Ret<F>>) => GradsOf<P>] {
  checkNotAsync("vjp", f);
  const t = trace("vjp", f, flattenArgs("vjp", primals as readonly Tree[]));
  const out = unflatten<ArrayTree<Ret<F>>>(t.outDef, t.lin.primalsOut);
  const vjpFn = (ct: LeafLike<Ret<F>>): GradsOf<P> => {
    const [cl, cd] = flatten(ct as Tree);
    if (!sameStructure(cd, t.outDef)) throw new TypeError("vjp: the cotangent's tree structure differs from the output's");
    const cts = cl.map((c, i) => {
      const a = leafToArrayAt(c, "vjp", "cotangent leaf", i);
      const want = t.lin.outAvals[i]!;
      if (a.shape.length !== want.shape.length || a.shape.some((d, j) => d !== want.shape[j])) {
        throw new ShapeError(`vjp: cotangent leaf ${i} has shape ${fmtShape(a.shape)}, but the output has shape ${fmtShape(want.shape)}`);
      }
      // A complex output takes complex cotangents (a real one is converted); a real output only real ones.
      if (isComplex(a.dtype) && !isComplex(want.dtype)) {
        throw new TypeError(`vjp: cotangent leaf ${i} is complex (${a.dtype}) but the output has the real dtype ${want.dtype}`);
      }
      return isComplex(want.dtype) && a.dtype !== want.dtype ? convert(a, want.dtype) : a;
    });
    return pullBack(t, cts) as GradsOf<P>;
  };
  return [out, vjpFn];
}

/** Options of `grad`, `valueAndGrad` (and, for `argnums`, `elementwiseGrad`). */
export interface GradOptions {
  /** Which argument(s) to differentiate with respect to (default 0). A list gives a tuple of gradients. */
  argnums?: number | readonly number[];
  /** The function returns `[output, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
  /**
   * `f` is holomorphic with complex inputs and output: the result is the complex derivative f′(z)
   * (JAX's `holomorphic=True`; the same as `holomorphicGrad(f)`).
   */
  holomorphic?: boolean;
}

/**
 * What `grad`/`valueAndGrad` work out once per transformed function rather than per call: whether
 * `f` is async, and the normalized `argnums` for the last argument count seen.
 */
class GradPlan {
  private readonly isAsync: boolean;
  private nargs = -1;
  private argnums: number[] = [];
  /** The differentiated arguments are all of them, in order: `f` is called as it is. */
  private identity = false;

  constructor(
    readonly op: string,
    readonly f: (...args: never[]) => unknown,
    readonly opts: GradOptions,
  ) {
    this.isAsync = Object.prototype.toString.call(f) === "[object AsyncFunction]";
  }

  run(args: readonly Tree[]): [Tree, Tree, unknown] {
    const { op, f, opts } = this;
    if (this.isAsync) checkNotAsync(op, f);
    if (args.length !== this.nargs) {
      this.argnums = normArgnums(op, opts.argnums, args.length);
      this.nargs = args.length;
      this.identity = this.argnums.length === args.length && this.argnums.every((a, i) => a === i);
    }
    const argnums = this.argnums;
    const diff = this.identity ? args : argnums.map((i) => args[i]!);
    const flat = flattenArgs(op, diff);
    // Reject integer inputs before running the function.
    for (let i = 0; i < flat.primals.length; i++) {
      if (!isFloat(flat.primals[i]!.dtype)) checkDifferentiable(op, [flat.primals[i]!], [`input leaf ${i}`]);
    }
    const wrapped = this.identity
      ? f
      : (...d: Tree[]) => {
          const full = args.slice();
          argnums.forEach((a, i) => (full[a] = d[i]!));
          return (f as unknown as (...a: Tree[]) => unknown)(...full);
        };
    if (opts.holomorphic === true) checkHolomorphicInputs(op, flat.leaves);
    const t = trace(op, wrapped as never, flat, opts.hasAux);
    const outs = t.lin.primalsOut;
    if (outs.length !== 1 || outs[0]!.size !== 1) {
      const shapes = outs.map((o) => fmtShape(o.shape)).join(", ");
      throw new ShapeError(
        `${op}: the function must return a scalar (one element), but it returned ${outs.length === 1 ? `shape ${shapes}` : `${outs.length} values (${shapes})`}. ` +
          "For non-scalar outputs use jacrev/jacobian, elementwiseGrad, or vjp.",
      );
    }
    const out = outs[0]!;
    checkOutputKind(op, out, opts.holomorphic === true);
    // A fresh cotangent every call (for f = identity it is the gradient the caller receives): 1, or
    // 1 + 0i for a holomorphic f (then the pulled-back value is f′(z), not conjugated).
    const ctDtype = isComplex(out.dtype) ? out.dtype : out.dtype === "float32" ? "float32" : "float64";
    const ones = allocate(ctDtype, 1);
    ones[0] = 1;
    const grads = pullBack(t, [new ConcreteArray(ones, out.shape, ctDtype)]) as Tree[];
    const value = t.outDef.kind === "leaf" ? out : unflatten(t.outDef, [out]);
    const g = typeof opts.argnums === "number" || opts.argnums === undefined ? grads[0]! : grads;
    return [value, g, t.aux];
  }
}

/**
 * `grad` needs a real output (for real-valued f of complex z it gives ∂f/∂x − i·∂f/∂y, JAX's and
 * autograd's convention); `holomorphicGrad` needs a complex one. Each error says what to use instead.
 */
function checkOutputKind(op: string, out: NDArray, holomorphic: boolean): void {
  if (!holomorphic && isComplex(out.dtype)) {
    throw new TypeError(
      `${op}: the function returned a complex value (dtype ${out.dtype}, shape ${fmtShape(out.shape)}), and grad needs a real-valued output. ` +
        "For the complex derivative f′(z) of a holomorphic f use holomorphicGrad(f) (or grad(f, { holomorphic: true })); " +
        "for any other complex output use vjp(f, z) with a complex cotangent, or differentiate np.real(f(z)) or np.abs(f(z)).",
    );
  }
  if (holomorphic && !isComplex(out.dtype)) {
    throw new TypeError(
      `${op}: with holomorphic, the function must return a complex value, but it returned dtype ${out.dtype} (shape ${fmtShape(out.shape)}); ` +
        "for a real-valued function of complex inputs use grad(f), which gives ∂f/∂x − i·∂f/∂y",
    );
  }
}

/** A holomorphic derivative is taken with respect to complex inputs only (as JAX). */
function checkHolomorphicInputs(op: string, leaves: readonly Leaf[]): void {
  leaves.forEach((x, i) => {
    const a = leafToArray(x, op, `input leaf ${i}`);
    if (!isComplex(a.dtype)) {
      throw new TypeError(
        `${op}: a holomorphic derivative needs complex inputs, but input leaf ${i} has dtype ${a.dtype} (shape ${fmtShape(a.shape)}); ` +
          "convert it with .astype(\"complex128\") or np.complex(x, 0)",
      );
    }
  });
}

/**
 * `holomorphicGrad(f)`: the complex derivative f′(z) of a holomorphic, scalar-valued `f` of complex
 * arguments (JAX's `grad(f, holomorphic=True)`): 3z² for z³. The inputs and the output must be
 * complex (a `TypeError` otherwise); for a real-valued function of complex inputs use `grad`.
 * @example
 * const d = holomorphicGrad((z: NDArray) => z.mul(z).mul(z))(np.complex(1, 2)); // 3z² = −9 + 12i
 * np.real(d).item(); // -9
 * np.imag(d).item(); // 12
 */
export function holomorphicGrad<F extends ScalarFn, const O extends Omit<GradOptions, "holomorphic"> = {}>(f: F, opts?: O): GradFn<F, O> {
  const o: GradOptions = { ...holomorphicGradOpts(opts), holomorphic: true };
  const plan = new GradPlan("holomorphicGrad", f, o);
  return ((...args: Tree[]) => {
    const [, g, aux] = plan.run(args);
    return o.hasAux ? [g, aux] : g;
  }) as GradFn<F, O>;
}

/**
 * `grad(f)`: the gradient of a scalar-valued `f`, shaped like the differentiated argument(s).
 * @example
 * grad(np.sin)(0); // 1
 * grad(grad(np.sin))(1.0); // -sin(1)
 */
export function grad<F extends ScalarFn, const O extends GradOptions = {}>(f: F, opts?: O): GradFn<F, O> {
  const o: GradOptions = gradOpts(opts);
  const plan = new GradPlan("grad", f, o);
  return ((...args: Tree[]) => {
    const [, g, aux] = plan.run(args);
    return o.hasAux ? [g, aux] : g;
  }) as GradFn<F, O>;
}

/**
 * `valueAndGrad(f)` → `(…args) => [value, gradient]` in one pass (`[[value, aux], gradient]` with `hasAux`).
 * @example
 * const [v, g] = valueAndGrad((x: NDArray) => np.sum(x.mul(x)))(np.array([1, 2]));
 * v; // 5
 * g; // [2, 4]
 */
export function valueAndGrad<F extends ScalarFn, const O extends GradOptions = {}>(f: F, opts?: O): ValueAndGradFn<F, O> {
  const o: GradOptions = valueAndGradOpts(opts);
  const plan = new GradPlan("valueAndGrad", f, o);
  return ((...args: Tree[]) => {
    const [value, g, aux] = plan.run(args);
    return o.hasAux ? [[value, aux], g] : [value, g];
  }) as ValueAndGradFn<F, O>;
}

/**
 * `elementwiseGrad(f)`: the vector-Jacobian product with a cotangent of ones (autograd's
 * `elementwise_grad`): for elementwise `f`, the derivative at every element.
 * @example
 * elementwiseGrad(np.tanh)(np.array([0, 0])); // [1, 1]
 */
export function elementwiseGrad<F extends Fn, const O extends { readonly argnums?: number | readonly number[] } = {}>(
  f: F,
  opts?: O,
): <A extends Args<F>>(...args: A) => GradOf<Selected<A, ArgnumsOf<O>>> {
  const options: { argnums?: number | readonly number[] } = elementwiseGradOpts(opts);
  return <A extends Args<F>>(...args: A): GradOf<Selected<A, ArgnumsOf<O>>> => {
    const all = args as unknown as Tree[];
    checkNotAsync("elementwiseGrad", f);
    const argnums = normArgnums("elementwiseGrad", options.argnums, all.length);
    const wrapped = (...d: Tree[]) => {
      const full = all.slice();
      argnums.forEach((a, i) => (full[a] = d[i]!));
      return (f as unknown as (...a: Tree[]) => unknown)(...full);
    };
    const t = trace("elementwiseGrad", wrapped as never, flattenArgs("elementwiseGrad", argnums.map((i) => all[i]!)));
    // Ones (1 + 0i for a complex output: then an elementwise holomorphic f gives f′(z), as holomorphicGrad).
    const cts = t.lin.primalsOut.map((o) => {
      const dtype = isComplex(o.dtype) ? o.dtype : "float64";
      const data = allocate(dtype, o.size);
      fillReal(data, dtype, 1);
      return new ConcreteArray(data, o.shape, dtype);
    });
    const grads = pullBack(t, cts) as Tree[];
    return (typeof options.argnums === "number" || options.argnums === undefined ? grads[0] : grads) as GradOf<Selected<A, ArgnumsOf<O>>>;
  };
}

/**
 * `linearize(f, ...primals)` → `[out, jvpFn]`: evaluates `f` once and returns its linear map at
 * that point, which `jvpFn(...tangents)` applies without re-running `f`.
 * @example
 * const [y, push] = linearize((x: NDArray) => x.mul(x), np.array([1, 2]));
 * push(np.array([1, 1])); // [2, 4]
 */
export function linearize<F extends Fn, P extends Args<F>>(f: F, ...primals: P): [ArrayTree<Ret<F>>, (...tangents: { [K in keyof P]: LeafLike<P[K]> }) => ArrayTree<Ret<F>>] {
  type Out = ArrayTree<Ret<F>>;
  checkNotAsync("linearize", f);
  const t = trace("linearize", f, flattenArgs("linearize", primals as readonly Tree[]));
  const out = unflatten<Out>(t.outDef, t.lin.primalsOut);
  const jvpFn = (...tangents: { [K in keyof P]: LeafLike<P[K]> }): Out => {
    const [tl, td] = flatten(tangents as Tree);
    if (!sameStructure(td, t.def)) throw new TypeError("linearize: the tangents' tree structure differs from the primals'");
    const outs = forwardPass(t.lin, tl.map((x, i) => leafToArrayAt(x, "linearize", "tangent leaf", i)));
    return unflatten<Out>(t.outDef, outs.map((o, i) => o ?? zerosFor(t.lin.primalsOut[i]!)));
  };
  return [out, jvpFn];
}
