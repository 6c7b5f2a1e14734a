/**
 * @file `pjit`: a staged function called as one primitive (what `jit(f)` becomes inside another
 * transformation or staging). Its rules transform its closed jaxpr: JVP by partial evaluation into a
 * known `pjit` (residuals) and a linear one, transpose by `transposeJaxpr`, batching by `batchJaxpr`.
 */
import type { ConcreteArray, NDArray } from "../core/ndarray.ts";
import { bind } from "../core/trace.ts";
import { definePrimitive, isUndefinedPrimal, type Primitive } from "../core/primitive.ts";
import { ClosedJaxpr, dceClosed, evalJaxpr } from "../core/jaxpr.ts";
import { batchJaxpr, jvpJaxpr, linearizeJaxpr, transposeJaxpr } from "../interpreters/jaxpr-rules.ts";
import { isTracer } from "../core/trace.ts";
import { moveaxis } from "../primitives/structural.ts";

export interface PjitParams {
  /** The function's name, for printing. */
  readonly name: string;
  readonly jaxpr: ClosedJaxpr;
}

/** Per jaxpr, the results of a rule for each mask (rules run again on every call of a jitted program). */
export function memoByJaxpr<R>(): (jaxpr: ClosedJaxpr, key: string, make: () => R) => R {
  const memo = new WeakMap<ClosedJaxpr, Map<string, R>>();
  return (jaxpr, key, make) => {
    let m = memo.get(jaxpr);
    if (!m) memo.set(jaxpr, (m = new Map()));
    let r = m.get(key);
    if (r === undefined) m.set(key, (r = make()));
    return r;
  };
}

const mask = (bs: readonly boolean[]): string => bs.map((b) => (b ? "1" : "0")).join("");

/** The known part of a linearization, keeping only the residuals (the primal outputs are computed already). */
interface PjitJvp {
  /** `primals → [outputs, residuals]`. */
  readonly known: ClosedJaxpr;
  /** `primals → residuals`. */
  readonly residualsJaxpr: ClosedJaxpr;
  readonly linear: ClosedJaxpr;
  readonly outNonzeros: boolean[];
}
const jvpMemo = memoByJaxpr<PjitJvp>();
const transposeMemo = memoByJaxpr<ClosedJaxpr>();
const batchMemo = memoByJaxpr<[ClosedJaxpr, boolean[]]>();

/** Splits a closed jaxpr's JVP into residuals from the primals and a map linear in the tangents. */
export function jvpParts(jaxpr: ClosedJaxpr, nonzeros: readonly boolean[]): PjitJvp {
  return jvpMemo(jaxpr, mask(nonzeros), () => {
    const lin = linearizeJaxpr(jaxpr, nonzeros);
    const nOut = jaxpr.jaxpr.outvars.length;
    const used = lin.known.jaxpr.outvars.map((_, i) => i >= nOut);
    return { known: lin.known, residualsJaxpr: dceClosed(lin.known, used).closed, linear: lin.linear, outNonzeros: lin.outNonzeros };
  });
}

const fullJvpMemo = memoByJaxpr<[ClosedJaxpr, boolean[]]>();

/**
 * Forward mode with plain-value tangents (nothing recorded, nothing traced): the JVP jaxpr in one
 * pass, outputs and tangents together, so the program runs once. `null` when a tangent is traced
 * (reverse mode records it, an outer transformation transforms it): then the partial-eval form.
 */
export function plainForwardJvp(jaxpr: ClosedJaxpr, primals: readonly NDArray[], tangents: readonly (NDArray | null)[], name: string): [NDArray[], (NDArray | null)[]] | null {
  if (!tangents.every((t) => t === null || !isTracer(t))) return null;
  const nonzeros = tangents.map((t) => t !== null);
  const [jvp, outNonzeros] = fullJvpMemo(jaxpr, mask(nonzeros), () => jvpJaxpr(jaxpr, nonzeros, false));
  const nOut = jaxpr.jaxpr.outvars.length;
  const all = pjit(jvp, [...primals, ...(tangents.filter((t) => t !== null) as NDArray[])], `jvp(${name})`);
  let k = nOut;
  return [all.slice(0, nOut), outNonzeros.map((nz) => (nz ? all[k++]! : null))];
}

/** `pjit` applied: the jaxpr's outputs for `args`. */
export const pjit = (jaxpr: ClosedJaxpr, args: readonly NDArray[], name: string): NDArray[] => bind(pjitP, args, { name, jaxpr });

/**
 * The transpose of a `pjit` call in its undefined (linear) arguments: the transposed jaxpr, applied
 * to the known arguments and the cotangents.
 */
export const transposePjit: Primitive<PjitParams>["transpose"] = (cts, args, { name, jaxpr }) => {
  const linearMask = args.map(isUndefinedPrimal);
  const t = transposeMemo(jaxpr, mask(linearMask), () => transposeJaxpr(jaxpr, linearMask));
  const known = args.filter((a) => !isUndefinedPrimal(a)) as NDArray[];
  const ctsIn = pjit(t, [...known, ...cts], `transpose(${name})`);
  let k = 0;
  return linearMask.map((lin) => (lin ? ctsIn[k++]! : null));
};

/** Batches a `pjit`-like call: operands' batch axes to the front, the batched jaxpr applied. */
export function batchCall<P extends { readonly jaxpr: ClosedJaxpr }>(
  prim: Primitive<P>,
  args: readonly NDArray[],
  dims: readonly (number | null)[],
  params: P,
  size: number,
): [NDArray[], (number | null)[]] {
  const inBatched = dims.map((d) => d !== null);
  const [bj, outBatched] = batchMemo(params.jaxpr, `${size}:${mask(inBatched)}`, () => batchJaxpr(params.jaxpr, size, inBatched, false));
  const moved = args.map((a, i) => (dims[i] === null ? a : moveaxis(a, dims[i]!, 0)));
  const outs = bind(prim, moved, { ...params, jaxpr: bj });
  return [outs, outBatched.map((b) => (b ? 0 : null))];
}

export const pjitP: Primitive<PjitParams> = definePrimitive<PjitParams>({
  name: "pjit",
  impl: (args, { jaxpr }) => evalJaxpr(jaxpr, args) as ConcreteArray[],
  abstractEval: (_, { jaxpr }) => jaxpr.outAvals,
  // Residuals from the primals (a known pjit), then a pjit linear in the tangents: under reverse
  // mode the second is what gets transposed.
  jvp: (primals, tangents, _, { name, jaxpr }) => {
    const nonzeros = tangents.map((t) => t !== null);
    const { residualsJaxpr, linear, outNonzeros } = jvpParts(jaxpr, nonzeros);
    const res = pjit(residualsJaxpr, primals, name);
    const ts = pjit(linear, [...res, ...(tangents.filter((t) => t !== null) as NDArray[])], `jvp(${name})`);
    let k = 0;
    return outNonzeros.map((nz) => (nz ? ts[k++]! : null));
  },
  // Plain forward mode: the JVP jaxpr at once. Otherwise one known pjit gives the outputs and the
  // residuals together, and a linear pjit maps the tangents (what reverse mode transposes).
  jvpWithOutputs: (primals, tangents, { name, jaxpr }) => {
    const plain = plainForwardJvp(jaxpr, primals, tangents, name);
    if (plain) return plain;
    const nonzeros = tangents.map((t) => t !== null);
    const { known, linear, outNonzeros } = jvpParts(jaxpr, nonzeros);
    const nOut = jaxpr.jaxpr.outvars.length;
    const outsAndRes = pjit(known, primals, name);
    const ts = pjit(linear, [...outsAndRes.slice(nOut), ...(tangents.filter((t) => t !== null) as NDArray[])], `jvp(${name})`);
    let k = 0;
    return [outsAndRes.slice(0, nOut), outNonzeros.map((nz) => (nz ? ts[k++]! : null))];
  },
  transpose: transposePjit,
  batch: (args, dims, params, size) => batchCall(pjitP, args, dims, params, size),
});
