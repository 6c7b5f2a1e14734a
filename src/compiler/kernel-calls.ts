/**
 * @file Kernel calls that write into a buffer the compiled program gives them (one of its memory
 * plan's, or a fresh one for an output): matrix products through the `MatmulKernel` signature,
 * transposes and broadcasts through the strided copy, sums, maxima and minima through `reduceData` (sums over the batch of
 * long rows through `sumRowsInto`, SIMD in the kernel's memory), each with its layout decided once, at code
 * generation, from the shapes — the same decisions, in the same order, as the primitive's `impl`.
 */
import type { JaxprEqn } from "../core/jaxpr.ts";
import { productOf, type Product } from "../kernels/matmul.ts";
import { contiguousStrides, stridedCopy, transposeData } from "../kernels/strided.ts";
import { dotGeneralP, freeAxes, keepsOrder, type DotParams } from "../primitives/contraction.ts";
import { broadcastInDimP, transposeP, type BroadcastParams, type TransposeParams } from "../primitives/structural.ts";
import { reduceMaxP, reduceMinP, reduceSumP, type AxesParams } from "../primitives/reduce.ts";
import { reduceData, type ReduceOp } from "../kernels/reduce.ts";
import { prepareSumRows, sumRowsInto } from "../kernels/sum-rows-wasm.ts";
import { wasmProductPair, wasmVariant, type ProductShape } from "../kernels/matmul-wasm.ts";

/**
 * A call writing the equation's single output into a buffer: `emit(inputs, out, ref)` is the JS
 * statement, from the inputs' data expressions, the output buffer's name and `ref` (which turns a
 * run-time value into an expression for it).
 */
export interface IntoCall {
  readonly emit: (inputs: readonly string[], out: string, ref: (x: unknown) => string) => string;
  /** Whether the kernel writes every element of the output (so an uninitialised buffer will do). */
  readonly writesAll: true;
  /**
   * Where the kernel can leave its output in memory of its own (a matrix product in the
   * WebAssembly kernel's memory): the JS expression computing it there and giving that buffer. The
   * buffer holds the output only until the next matrix product, and belongs to the kernel.
   */
  readonly inMemory?: (inputs: readonly string[], ref: (x: unknown) => string) => string;
  /** Whether the kernel reads its operands and writes its output in place when they lie in the WebAssembly kernel's memory. */
  readonly usesKernelMemory?: boolean;
  /** What the generated code's comment adds to the primitive's name (a symmetric product says so). */
  readonly note?: string;
  /** A single matrix product on the WebAssembly kernel: its shape and kernel, for `pairedProducts`. */
  readonly product?: { readonly shape: ProductShape; readonly kernel: Product };
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);



/**
 * How `dotGeneral`'s kernel reads an operand of `shape` as [batch, rows, cols]: in place (`false`),
 * in place transposed (`true`), or `undefined` where its `impl` copies the operand first (left to it).
 * The order of the tests is the `impl`'s (`operand` in src/primitives/contraction.ts).
 */
function operandLayout(shape: readonly number[], batch: readonly number[], rows: readonly number[], cols: readonly number[]): boolean | undefined {
  const normal = keepsOrder(shape, [...batch, ...rows, ...cols]);
  if (!normal && keepsOrder(shape, [...batch, ...cols, ...rows])) return true;
  return normal ? false : undefined;
}

/** `dotGeneral`'s call; with `symmetric` (proved by `isSymmetricProduct`), as a symmetric product, never paired. */
function dotCall(eqn: JaxprEqn, symmetric: boolean): IntoCall | undefined {
  const [l, r] = eqn.inputs;
  const p = eqn.params as DotParams;
  if (l!.aval.dtype !== "float64" || r!.aval.dtype !== "float64") return undefined;
  const ls = l!.aval.shape;
  const rs = r!.aval.shape;
  const lf = freeAxes(ls.length, p.lhsContract, p.lhsBatch);
  const rf = freeAxes(rs.length, p.rhsContract, p.rhsBatch);
  const aT = operandLayout(ls, p.lhsBatch, lf, p.lhsContract);
  const bT = operandLayout(rs, p.rhsBatch, p.rhsContract, rf);
  if (aT === undefined || bT === undefined) return undefined;
  const batch = prod(p.lhsBatch.map((x) => ls[x]!));
  const m = prod(lf.map((x) => ls[x]!));
  const k = prod(p.lhsContract.map((x) => ls[x]!));
  const n = prod(rf.map((x) => rs[x]!));
  // The kernel for this shape is chosen now, once (as `matmulData` would choose it at every call).
  const product = productOf(batch, m, k, n, aT, bT, symmetric);
  const { inMemory } = product;
  return {
    writesAll: true,
    ...(symmetric && { note: " (symmetric: upper tiles, mirrored)" }),
    usesKernelMemory: product.wasm,
    emit: ([a, b], c, ref) => `${ref(product.into)}(${a}, ${b}, ${c});`,
    ...(inMemory && { inMemory: ([a, b], ref) => `${ref(inMemory)}(${a}, ${b})` }),
    ...(product.wasm && batch === 1 && !symmetric && { product: { shape: { m, k, n, transA: aT, transB: bT }, kernel: product } }),
  };
}

/** Two products as one call: see `pairedProducts`. */
export interface PairCall {
  readonly emit: (first: readonly string[], c1: string, second: readonly string[], c2: string | undefined, ref: (x: unknown) => string) => string;
}

/**
 * Two single products on the WebAssembly kernel, neither reading the other's output, as one call
 * (`wasmProductPair`: one threaded job for both): `emit(first, c1, second, c2, ref)` is an
 * expression computing the first into buffer `c1` and the second into `c2`, or, with `c2`
 * undefined, leaving the second where the kernel leaves it (only where its call has `inMemory`),
 * and giving the second's buffer. Where the pair cannot run as one job (see `wasmProductPair`) the
 * two products run one after the other, as unpaired. Undefined where either call is not such a
 * product.
 */
export function pairedProducts(first: IntoCall, second: IntoCall): PairCall | undefined {
  const p1 = first.product;
  const p2 = second.product;
  if (p1 === undefined || p2 === undefined) return undefined;
  const pair = wasmProductPair(p1.shape, p2.shape);
  if (pair === undefined) return undefined;
  const inMemory = p2.kernel.inMemory;
  const run = (a1: Float64Array, b1: Float64Array, c1: Float64Array, a2: Float64Array, b2: Float64Array, c2: Float64Array | undefined): Float64Array => {
    const done = pair(a1, b1, c1, a2, b2, c2);
    if (done !== undefined) return done;
    p1.kernel.into(a1, b1, c1);
    if (c2 !== undefined) {
      p2.kernel.into(a2, b2, c2);
      return c2;
    }
    return inMemory!(a2, b2);
  };
  return {
    emit: ([a1, b1], c1, [a2, b2], c2, ref) => {
      if (c2 === undefined && inMemory === undefined) throw new Error("pairedProducts: the second product cannot be left in the kernel's memory");
      return `${ref(run)}(${a1}, ${b1}, ${c1}, ${a2}, ${b2}, ${c2 ?? "undefined"})`;
    },
  };
}

function transposeCall(eqn: JaxprEqn): IntoCall {
  const shape = eqn.inputs[0]!.aval.shape;
  const { perm } = eqn.params as TransposeParams;
  return { writesAll: true, emit: ([x], out, ref) => `${ref(transposeData)}(${x}, ${ref(shape)}, ${ref(perm)}, ${out});` };
}

function broadcastCall(eqn: JaxprEqn): IntoCall {
  const inShape = eqn.inputs[0]!.aval.shape;
  const { shape, dims } = eqn.params as BroadcastParams;
  const inStrides = contiguousStrides(inShape);
  const strides = new Array<number>(shape.length).fill(0);
  dims.forEach((d, i) => {
    if (inShape[i] !== 1) strides[d] = inStrides[i]!;
  });
  return { writesAll: true, emit: ([x], out, ref) => `${ref(stridedCopy)}(${x}, 0, ${ref(strides)}, ${ref(shape)}, ${out});` };
}

const reductions = new Map<unknown, ReduceOp>([
  [reduceSumP, "sum"],
  [reduceMaxP, "max"],
  [reduceMinP, "min"],
]);

/** `reduceData` writes every element of its output (sums pairwise, maxima and minima after a fill). */
function reduceCall(eqn: JaxprEqn, op: ReduceOp): IntoCall {
  const shape = eqn.inputs[0]!.aval.shape;
  const { axes } = eqn.params as AxesParams;
  const rows = op === "sum" ? rowSum(eqn) : undefined;
  if (rows !== undefined) return rows;
  return { writesAll: true, emit: ([x], out, ref) => `${ref(reduceData)}("${op}", ${x}, ${ref(shape)}, ${ref(axes)}, ${out});` };
}

/**
 * Rows shorter than this are summed by `reduceData`: with W3's db3 (a sum of [256, 10] over the
 * batch) in Wasm, the product after it (dz·W3ᵀ, reading the same dz) took 0.50 instead of 0.25 ms,
 * more than the 0.02 ms the sum saves (`bench/compiler-steps.ts`, repeated), and as much with the
 * sum left to `reduceData` but its small scratch rows taken: it follows where those rows land, the
 * cause was not found further.
 */
const ROW_SUM_MIN = 64;

/**
 * A float64 sum over one run of neighbouring axes with rows of at least `ROW_SUM_MIN` elements after it (a
 * bias gradient's sum over the batch) where the Wasm kernel keeps buffers in its shared memory: by
 * `sumRowsInto`, SIMD across columns when the operand lies in that memory (so it is placed there),
 * with `reduceData`'s bits.
 */
function rowSum(eqn: JaxprEqn): IntoCall | undefined {
  const x = eqn.inputs[0]!;
  const shape = x.aval.shape;
  const axes = [...(eqn.params as AxesParams).axes].sort((a, b) => a - b);
  if (x.aval.dtype !== "float64" || axes.length === 0 || wasmVariant()?.shared !== true) return undefined;
  const lo = axes[0]!;
  const hi = axes[axes.length - 1]! + 1;
  if (hi - lo !== axes.length || prod(shape.slice(hi)) < ROW_SUM_MIN || !prepareSumRows(prod(shape.slice(lo, hi)), prod(shape.slice(hi)))) return undefined;
  return { writesAll: true, usesKernelMemory: true, emit: ([v], out, ref) => `${ref(sumRowsInto)}(${v}, ${ref(shape)}, ${lo}, ${hi}, ${out});` };
}

/**
 * The call of `eqn`'s kernel writing into a given buffer, or `undefined` where its `impl` runs
 * instead. `symmetric`: `eqn` is a product proved symmetric (`isSymmetricProduct`).
 */
export function intoCall(eqn: JaxprEqn, symmetric = false): IntoCall | undefined {
  if (eqn.outs.length !== 1) return undefined;
  const prim = eqn.prim as unknown;
  if (prim === dotGeneralP) return dotCall(eqn, symmetric);
  if (prim === transposeP) return transposeCall(eqn);
  if (prim === broadcastInDimP) return broadcastCall(eqn);
  const op = reductions.get(prim);
  if (op !== undefined) return reduceCall(eqn, op);
  return undefined;
}
