/**
 * @file The one factory of elementwise primitives (unary math, binary arithmetic, comparisons and
 * predicates, special functions): operands of one shape, a kernel per element, the output's dtype
 * from a rule, and the shared batching rule. Also `linearJvp`: the JVP of a linear primitive is the
 * primitive applied to the tangents.
 */
import { ConcreteArray, zerosConcrete, type Aval, type NDArray } from "../core/ndarray.ts";
import { allocate, allocateUninitialized, isComplex, type DType, type TypedArray } from "../core/dtype.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { releaseToPool } from "../core/pool.ts";
import { bind, bind1 } from "../core/trace.ts";
import { compileBinary, compilePowSimd, compileUnary, compileUnarySimd } from "../kernels/elementwise.ts";
import type { SimdUnaryName } from "../kernels/simd.ts";
import { definePrimitive, one, type JvpRule, type Primitive, type TransposeRule } from "../core/primitive.ts";
// Used by the batching rule at run time only (module-load rule: nothing from it is called while loading).
import { matchBatch } from "./structural.ts";

/** The params of a primitive that has none, shared so that applying one allocates no object for them. */
export const NO_PARAMS: Record<string, never> = Object.freeze({});

/** Fills `out` elementwise from the arguments' data. */
export type ElementwiseKernel<P> = (args: readonly ConcreteArray[], out: TypedArray, params: P) => void;

export interface ElementwiseSpec<P> {
  readonly name: string;
  /**
   * The kernel for real (float, int, bool) operands. It must write every element of `out`: a
   * float64 output comes uninitialized (`allocateUninitialized`).
   */
  readonly kernel: ElementwiseKernel<P>;
  /**
   * The kernel used when an operand is complex (storage interleaved: element k at `data[2k]`,
   * `data[2k + 1]`). Without one, a complex operand is a `TypeError` naming the primitive and the
   * dtype — never the real kernel run on interleaved data.
   */
  readonly complexKernel?: ElementwiseKernel<P>;
  /** The output's dtype from the operands' (default: the first operand's). */
  readonly outDtype?: (avals: readonly Aval[]) => DType;
  readonly jvp: JvpRule<P>;
  readonly transpose?: TransposeRule<P> | "nonlinear";
}

/**
 * An elementwise primitive: operands of one shape (the numpy layer broadcasts and promotes first,
 * as JAX's lax does), the output of that shape.
 */
export function elementwise<P>(spec: ElementwiseSpec<P>): Primitive<P> {
  const { name, kernel, jvp, complexKernel } = spec;
  const outDtype = spec.outDtype ?? ((avals: readonly Aval[]) => avals[0]!.dtype);
  const prim: Primitive<P> = definePrimitive<P>({
    name,
    impl: (args, params) => {
      const x = args[0]!;
      const dtype = outDtype(args);
      const cplx = complexOperand(args);
      // Real operands hold one slot per element; complex ones two, so count elements by shape.
      if (cplx < 0) {
        // One slot per element: equal lengths are equal sizes (a mismatch is a rule's missing broadcast).
        for (let i = 1; i < args.length; i++) if (args[i]!.data.length !== x.data.length) checkSameShapes(name, args);
      } else checkSameShapes(name, args);
      // A real kernel writes every element of its output, so a float64 one is not zeroed first
      // (that would be a pass over memory: ≈ 0.6 ns per element at 10⁶).
      const n = cplx < 0 ? x.data.length : x.size;
      const out = cplx < 0 && dtype === "float64" ? allocateUninitialized(n) : allocate(dtype, n);
      if (cplx < 0) kernel(args, out, params);
      else if (complexKernel !== undefined) {
        checkComplexOperands(name, args, args[cplx]!.dtype);
        complexKernel(args, out, params);
      } else throw noComplexKernel(name, args[cplx]!);
      return one(new ConcreteArray(out, x.shape, dtype));
    },
    abstractEval: (avals) => {
      checkSameShapes(name, avals);
      const cplx = complexOperand(avals);
      if (cplx >= 0 && complexKernel === undefined) throw noComplexKernel(name, avals[cplx]!);
      return [{ shape: avals[0]!.shape, dtype: outDtype(avals) }];
    },
    jvp,
    transpose: spec.transpose ?? "nonlinear",
    batch: (args, dims, params, size) => batchElementwise(prim)(args, dims, params, size),
    // The default output dtype is the first operand's: for operands of one shape and one float dtype,
    // `abstractEval` gives their aval.
    ...(spec.outDtype === undefined && { keepsOperandAval: true as const }),
  });
  return prim;
}

/**
 * Operands of an elementwise primitive have one shape (the numpy layer broadcasts first); checked
 * where shapes are computed abstractly (staging, reverse mode) and, eagerly, whenever the operands'
 * lengths differ (or an operand is complex), so a rule or a batching rule that forgets to broadcast
 * fails loudly instead of reading past an operand's end.
 */
function checkSameShapes(name: string, avals: readonly Aval[]): void {
  const s0 = avals[0]!.shape;
  for (let i = 1; i < avals.length; i++) {
    const s = avals[i]!.shape;
    if (s !== s0 && !sameDims(s, s0)) {
      throw new ShapeError(`${name}: elementwise operands must have one shape, got ${avals.map((a) => fmtShape(a.shape)).join(", ")} (internal: a rule did not broadcast)`);
    }
  }
}

/** Whether two shapes are equal (a loop: this runs for every elementwise equation recorded). */
export function sameDims(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** The index of the first complex operand, or −1. */
function complexOperand(avals: readonly Aval[]): number {
  for (let i = 0; i < avals.length; i++) if (isComplex(avals[i]!.dtype)) return i;
  return -1;
}

/**
 * Complex kernels read every non-bool operand as interleaved storage of one complex dtype: a real
 * float operand beside a complex one (a rule that forgot to convert) must fail here, not be read
 * past its end. Only on the complex path, so the real fast path pays nothing.
 */
function checkComplexOperands(name: string, args: readonly Aval[], dtype: DType): void {
  for (const a of args) {
    if (a.dtype !== dtype && a.dtype !== "bool") {
      throw new TypeError(`${name}: operands must have one dtype, got ${args.map((x) => x.dtype).join(", ")} (internal: a rule did not convert)`);
    }
  }
}

/** A complex operand of an elementwise primitive that has no complex kernel (yet): which, and its dtype. */
function noComplexKernel(name: string, x: Aval): TypeError {
  return new TypeError(`${name}: not defined for complex input (got dtype ${x.dtype}, shape ${fmtShape(x.shape)}); it takes real values only`);
}

/**
 * A kernel from a JS expression in `a` (one operand) or `a`, `b` (two), compiled into one
 * monomorphic loop; with `simd`, long float64 operands go to that WebAssembly SIMD kernel instead.
 */
export function exprKernel(arity: 1 | 2, expr: string, simd?: SimdUnaryName | "pow"): ElementwiseKernel<unknown> {
  if (arity === 1) {
    const k = simd && simd !== "pow" ? compileUnarySimd(expr, simd) : compileUnary(expr);
    return (args, out) => k(args[0]!.data, out);
  }
  const k = simd === "pow" ? compilePowSimd(expr) : compileBinary(expr);
  return (args, out) => k(args[0]!.data, args[1]!.data, out);
}

/** A kernel from a scalar function of the operands' elements (for special functions from libraries). */
export function scalarKernel<P>(arity: number, f: (xs: readonly number[], params: P) => number): ElementwiseKernel<P> {
  return (args, out, params) => {
    const data = args.map((a) => a.data);
    const scratch = new Array<number>(arity);
    for (let i = 0; i < out.length; i++) {
      for (let k = 0; k < arity; k++) scratch[k] = data[k]![i]!;
      out[i] = f(scratch, params);
    }
  };
}

/**
 * The batching rule of every elementwise primitive: line all batch axes up at the first one's
 * position (giving unbatched operands a broadcast batch axis), then apply the primitive once.
 */
export function batchElementwise<P>(prim: Primitive<P>) {
  return (args: readonly NDArray[], dims: readonly (number | null)[], params: P, size: number): [NDArray[], number[]] => {
    const d = dims.find((x) => x !== null)!;
    const xs = args.map((x, i) => matchBatch(x, dims[i]!, size, d));
    return [[bind1(prim, xs, params)], [d]];
  };
}

/**
 * Gives arrays that a rule computed as intermediates, and no longer needs, to the pool of dead
 * buffers. Only when every operand they were computed from is an eager value (`from`, plain
 * concrete arrays): then no transformation saw the intermediates (a constant meeting a tracer is
 * captured by its transformation), and the rule hands them to nothing else. This lets the next
 * large allocation reuse their memory.
 */
export function releaseScratch(from: readonly NDArray[], scratch: readonly NDArray[]): void {
  if (!from.every(isPlain)) return;
  for (const x of scratch) if (isPlain(x)) releaseToPool(x.dtype, x.data);
}

const isPlain = (x: NDArray): x is ConcreteArray => x instanceof ConcreteArray && x.constructor === ConcreteArray;

/**
 * The JVP of a primitive linear in the operands at `linearArgs` (all, by default): the primitive
 * itself applied to their tangents (symbolic zeros instantiated), the other operands as they are.
 * A linear map's derivative is the map, so one helper serves every linear primitive.
 */
export function linearJvp<P>(prim: () => Primitive<P>, linearArgs?: readonly number[]): JvpRule<P> {
  return (primals, tangents, _, params) => {
    const n = primals.length;
    const args = new Array<NDArray>(n);
    for (let i = 0; i < n; i++) {
      const x = primals[i]!;
      args[i] = linearArgs !== undefined && !linearArgs.includes(i) ? x : (tangents[i] ?? zerosConcrete(x.shape, x.dtype));
    }
    return bind(prim(), args, params);
  };
}
