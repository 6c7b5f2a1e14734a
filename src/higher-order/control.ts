/**
 * @file The branching higher-order primitive `cond` (index + operands, one closed jaxpr per branch;
 * JAX's `lax.cond` is `cond` with branches `[false, true]`), and what the loop primitives share:
 * slicing and stacking rows in kernels, and the residual bookkeeping of partial evaluation.
 */
import { ConcreteArray, zerosConcrete, type Aval, type NDArray } from "../core/ndarray.ts";
import { allocate, slotsPerElement } from "../core/dtype.ts";
import { bind, bind1, isTracer } from "../core/trace.ts";
import { definePrimitive, isUndefinedPrimal, type Primitive } from "../core/primitive.ts";
import { evalJaxpr, type ClosedJaxpr } from "../core/jaxpr.ts";
import { batchJaxpr, jvpJaxpr, linearizeJaxpr, stageClosed, transposeJaxpr } from "../interpreters/jaxpr-rules.ts";
import { broadcastInDimP, convert, moveaxis } from "../primitives/structural.ts";
import { max, min, fullLike } from "../primitives/binary.ts";
import { eq, select } from "../primitives/compare.ts";

// ---------------------------------------------------------------- shared by the control primitives

/** Row `t` of the leading axis of a concrete array (a view: arrays are immutable). */
export function rowOf(x: ConcreteArray, t: number): ConcreteArray {
  const shape = x.shape.slice(1);
  // Storage slots per row (two per complex element).
  let m = slotsPerElement(x.dtype);
  for (const d of shape) m *= d;
  return new ConcreteArray(x.data.subarray(t * m, (t + 1) * m), shape, x.dtype);
}

/** Stacks per-iteration values along a new leading axis (`aval` gives the row's shape when there are none). */
export function stackRows(rows: readonly NDArray[], aval: Aval): ConcreteArray {
  const dtype = rows.length > 0 ? rows[0]!.dtype : aval.dtype;
  let n = 1;
  for (const d of aval.shape) n *= d;
  const m = n * slotsPerElement(dtype);
  const out = allocate(dtype, rows.length * n);
  for (let t = 0; t < rows.length; t++) out.set((rows[t] as ConcreteArray).data, t * m);
  return new ConcreteArray(out, [rows.length, ...aval.shape], dtype);
}

/** Per-index union of boolean lists. */
export const orAll = (lists: readonly (readonly boolean[])[]): boolean[] => lists[0]!.map((_, i) => lists.some((l) => l[i]!));

export const sameFlags = (a: readonly boolean[], b: readonly boolean[]): boolean => a.every((x, i) => x === b[i]);

/** Picks the entries of `xs` where `mask` holds. */
export const pick = <T>(xs: readonly T[], mask: readonly boolean[]): T[] => xs.filter((_, i) => mask[i]);

/** A concrete bool scalar `true`: the active flag a loop's known part pushes per iteration. */
export const TRUE = new ConcreteArray(Uint8Array.of(1), [], "bool");

/** `x` (scalar or `[size]`) broadcast over `shape`, whose leading axes it matches. */
export const broadcastLeading = (x: NDArray, shape: readonly number[]): NDArray =>
  x.ndim === shape.length ? x : bind1(broadcastInDimP, [x], { shape, dims: x.shape.map((_, i) => i) });

// ---------------------------------------------------------------- cond

export interface CondParams {
  /** One closed jaxpr per branch, all with the same input and output avals. */
  readonly branches: readonly ClosedJaxpr[];
}

const clampIndex = (i: number, n: number): number => Math.min(Math.max(Math.trunc(i), 0), n - 1);

/**
 * JVP in partial-evaluation form (for a traced index): the known branches compute the outputs and their own residuals
 * (zeros in the other branches' slots, as JAX joins them), then a cond of the linear branches maps
 * residuals and tangents to output tangents — linear in the tangents, so reverse mode records it.
 */
function condJvp(primals: readonly NDArray[], tangents: readonly (NDArray | null)[], { branches }: CondParams): [NDArray[], (NDArray | null)[]] {
  const [index, ...ops] = primals;
  const tops = tangents.slice(1);
  const nz = tops.map((t) => t !== null);
  const nOut = branches[0]!.jaxpr.outvars.length;
  if (!isTracer(index)) {
    // A concrete index: only its branch's JVP runs (linear in the tangents, as every JVP).
    const [jvp, outNz] = jvpJaxpr(branches[clampIndex(index!.item(), branches.length)]!, nz, false);
    const outs = evalJaxpr(jvp, [...ops, ...(pick(tops, nz) as NDArray[])]);
    let k = nOut;
    return [outs.slice(0, nOut), outNz.map((z) => (z ? outs[k++]! : null))];
  }
  const jvps = branches.map((b) => jvpJaxpr(b, nz, false));
  const outNz = orAll(jvps.map(([, z]) => z));
  // A branch whose nonzero output tangents are already the union needs no second staging.
  const lins = branches.map((b, i) => linearizeJaxpr(b, nz, outNz, sameFlags(jvps[i]![1], outNz) ? jvps[i] : undefined));
  const resAvals = lins.map((l) => l.known.outAvals.slice(nOut));
  const known = lins.map((l, i) =>
    stageClosed(
      (xs) => {
        const o = evalJaxpr(l.known, xs);
        const res = resAvals.flatMap((avals, k) => (k === i ? o.slice(nOut) : avals.map((a) => zerosConcrete(a.shape, a.dtype))));
        return [...o.slice(0, nOut), ...res];
      },
      l.known.inAvals,
      "cond JVP",
    ),
  );
  const allRes = resAvals.flat();
  const linear = lins.map((l, i) => {
    const start = resAvals.slice(0, i).reduce((s, a) => s + a.length, 0);
    return stageClosed(
      (xs) => evalJaxpr(l.linear, [...xs.slice(start, start + l.numRes), ...xs.slice(allRes.length)]),
      [...allRes, ...l.linear.inAvals.slice(l.numRes)],
      "cond JVP",
    );
  });
  const outsAll = bind(condP, [index!, ...ops], { branches: known });
  const res = outsAll.slice(nOut);
  const tans = bind(condP, [index!, ...res, ...(pick(tops, nz) as NDArray[])], { branches: linear });
  let k = 0;
  return [outsAll.slice(0, nOut), outNz.map((z) => (z ? tans[k++]! : null))];
}

export const condP: Primitive<CondParams> = definePrimitive<CondParams>({
  name: "cond",
  impl: ([index, ...ops], { branches }) => evalJaxpr(branches[clampIndex(index!.data[0]!, branches.length)]!, ops) as ConcreteArray[],
  abstractEval: (_, { branches }) => branches[0]!.outAvals,
  jvp: (primals, tangents, _, params) => condJvp(primals, tangents, params)[1],
  jvpWithOutputs: condJvp,
  // A cond linear in some operands: the cond of the transposed branches (index and known operands known).
  transpose: (cts, [index, ...ops], { branches }) => {
    const mask = ops.map(isUndefinedPrimal);
    const transposed = branches.map((b) => transposeJaxpr(b, mask));
    const known = ops.filter((o) => !isUndefinedPrimal(o)) as NDArray[];
    const ctsIn = bind(condP, [index as NDArray, ...known, ...cts], { branches: transposed });
    let k = 0;
    return [null, ...mask.map((m) => (m ? ctsIn[k++]! : null))];
  },
  batch: ([index, ...ops], [indexDim, ...dims], { branches }, size) => {
    const inBatched = dims.map((d) => d !== null);
    const front = ops.map((o, i) => (dims[i] === null ? o : moveaxis(o, dims[i]!, 0)));
    if (indexDim === null) {
      // One index for all members: a cond of the batched branches.
      const outBatched = orAll(branches.map((b) => batchJaxpr(b, size, inBatched, false)[1]));
      const batched = branches.map((b) => batchJaxpr(b, size, inBatched, outBatched)[0]);
      return [bind(condP, [index!, ...front], { branches: batched }), outBatched.map((b) => (b ? 0 : null))];
    }
    // An index per member: every branch runs on every member, and each member takes its own branch's outputs.
    const idx = moveaxis(convert(index!, "int32"), indexDim, 0);
    const clamped = max(min(idx, fullLike(idx, branches.length - 1)), fullLike(idx, 0));
    const outs = branches.map((b) => evalJaxpr(batchJaxpr(b, size, inBatched, true)[0], front));
    let out = outs[outs.length - 1]!;
    for (let k = outs.length - 2; k >= 0; k--) {
      const taken = eq(clamped, fullLike(clamped, k));
      out = out.map((o, j) => select(broadcastLeading(taken, o.shape), outs[k]![j]!, o));
    }
    return [out, out.map(() => 0)];
  },
});
