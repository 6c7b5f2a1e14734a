/**
 * @file Algebraic simplification of what automatic differentiation leaves behind: multiplications
 * by one, additions of zero, sums of broadcast zeros, transposes of transposes, reshape and
 * broadcast chains, conversions to the same dtype; constants whose elements are all equal become a
 * scalar constant broadcast (so a `fullLike(x, 1)` of 10⁶ elements costs one number).
 */
import { ConcreteArray } from "../core/ndarray.ts";
import type { ClosedJaxpr, JaxprEqn, JaxprVar } from "../core/jaxpr.ts";
import type { Primitive } from "../core/primitive.ts";
import { addP, divP, mulP, subP } from "../primitives/binary.ts";
import { negP } from "../primitives/unary.ts";
import { selectP } from "../primitives/compare.ts";
import { reduceSumP } from "../primitives/reduce.ts";
import {
  broadcastInDimP,
  convertP,
  reshapeP,
  transposeP,
  type BroadcastParams,
  type ConvertParams,
  type ReshapeParams,
  type TransposeParams,
} from "../primitives/structural.ts";
import { recurse, Rewriter, sameAval, scalarArray, Splats, splatValue, splatVar } from "./rewrite.ts";

const is = (e: JaxprEqn, p: Primitive<never>): boolean => e.prim === (p as unknown as Primitive<unknown>);
const isIdentityPerm = (p: readonly number[]): boolean => p.every((a, i) => a === i);
const isZero = (v: number | undefined): boolean => v === 0;
const isInt = (dtype: string): boolean => dtype === "int32" || dtype === "bool";

/** The value of a splat after `convert` to `dtype` (what convert's kernel and the store do). */
const convertValue = (v: number, dtype: ConvertParams["dtype"]): number =>
  scalarArray(dtype === "bool" ? (v ? 1 : 0) : dtype === "int32" ? Math.trunc(v) : v, dtype).data[0]!;

/**
 * Applies the rewrites below once, in the program and its sub-jaxprs (the pipeline repeats passes
 * until nothing changes). Rewrites that are exact for every input:
 * `x·1`, `1·x`, `x/1`, `x − 0` → `x`; `−(−x)` → `x`; `transpose(transpose(x))` → one transpose (or
 * `x`); `reshape(reshape(x))` → one reshape; reshape, broadcast or convert to what `x` already is →
 * `x`; a broadcast of a broadcast → one broadcast; the sum of a splat zero → zero; `select(c, x, x)`
 * → `x`; a broadcast or transpose that only inserts or moves axes of size 1 → a reshape (the data
 * order is unchanged; a reshape costs nothing); a chain of transposes and reshapes that only add or
 * drop axes of size 1, whose result has its data in the source's order → one reshape of the source
 * (AD of a matrix product leaves `transpose(reshape(transpose(t)))` that is `t` in another shape). Every rewrite keeps derivatives too (`stopGradient` stays: it costs nothing in a fused
 * loop), so an optimised jaxpr may replace the original under `grad`, `vmap` or `pjit`'s rules.
 * One that changes only the sign of a zero, as XLA's algebraic simplifier does: `x + 0`, `0 + x` →
 * `x` (−0 + 0 is +0 in IEEE arithmetic). Not done for floats, as XLA does not: `x·0` → `0` (wrong
 * where `x` is NaN or ±∞); for int32 and bool it is done.
 */
export function simplify(closed: ClosedJaxpr): ClosedJaxpr {
  const inner = recurse(closed, simplify);
  const rw = new Rewriter(inner);
  const splats = new Splats(inner);
  const producer = new Map<JaxprVar, JaxprEqn>();
  const layouts = new Map<JaxprVar, Layout>();
  // Splat constants of more than one element become a scalar constant broadcast.
  inner.jaxpr.constvars.forEach((v, i) => {
    const c = inner.consts[i]!;
    const s = splatValue(c);
    if (s !== undefined && c instanceof ConcreteArray && c.data.length > 1) rw.replace(v, splatVar(rw, splats, s, v.aval));
  });
  for (const eqn of inner.jaxpr.eqns) {
    const ins = eqn.inputs.map((v) => rw.get(v));
    const out = eqn.outs[0]!;
    // Rewrites replace a single output; an equation with none (debug_callback) is kept as it is.
    const by = eqn.outs.length === 1 ? (rewriteOne(eqn, ins, rw, splats, producer) ?? inSourceOrder(eqn, ins, rw, layouts)) : undefined;
    if (by !== undefined && eqn.outs.length === 1 && sameAval(by.aval, out.aval)) {
      rw.replace(out, by);
      continue;
    }
    rw.keep(eqn);
    const kept = rw.eqns[rw.eqns.length - 1]!;
    for (const o of kept.outs) producer.set(o, kept);
    const layout = kept.outs.length === 1 ? layoutOf(kept, layouts) : undefined;
    if (layout) layouts.set(out, layout);
    splats.record(kept, ins);
    const s0 = ins.length === 1 ? splats.get(ins[0]!) : undefined;
    if (s0 !== undefined && is(eqn, convertP)) splats.set(out, convertValue(s0, (eqn.params as ConvertParams).dtype));
  }
  return rw.finish();
}

/**
 * Where the axes of a variable come from, for one made by transposes and reshapes that only add or
 * drop axes of size 1: `axes[i]` is the axis of `source` that axis `i` is (`-1` for an axis of size 1).
 */
interface Layout {
  readonly source: JaxprVar;
  readonly axes: readonly number[];
}

const nonUnit = (shape: readonly number[]): number[] => shape.filter((d) => d !== 1);
const sameDims = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** The layout of `eqn`'s output in terms of its input's source, when `eqn` is such a transpose or reshape. */
function layoutOf(eqn: JaxprEqn, layouts: ReadonlyMap<JaxprVar, Layout>): Layout | undefined {
  const x = eqn.inputs[0];
  if (x === undefined || !(is(eqn, transposeP) || is(eqn, reshapeP))) return undefined;
  const inner = layouts.get(x) ?? { source: x, axes: x.aval.shape.map((d, i) => (d === 1 ? -1 : i)) };
  if (is(eqn, transposeP)) return { source: inner.source, axes: (eqn.params as TransposeParams).perm.map((p) => inner.axes[p]!) };
  const outShape = eqn.outs[0]!.aval.shape;
  if (!sameDims(nonUnit(x.aval.shape), nonUnit(outShape))) return undefined;
  const kept = inner.axes.filter((_, i) => x.aval.shape[i] !== 1);
  let k = 0;
  return { source: inner.source, axes: outShape.map((d) => (d === 1 ? -1 : kept[k++]!)) };
}

/**
 * A reshape of the source standing for `eqn`'s output (a transpose, reshape or broadcast), when that
 * output holds the source's elements in the source's order, reached through more than one step
 * or by a transpose or broadcast that moves only axes of size 1; else `undefined`.
 */
function inSourceOrder(eqn: JaxprEqn, ins: readonly JaxprVar[], rw: Rewriter, layouts: ReadonlyMap<JaxprVar, Layout>): JaxprVar | undefined {
  const out = eqn.outs[0]!;
  const x = ins[0];
  if (x === undefined || x.aval.dtype !== out.aval.dtype) return undefined;
  let source: JaxprVar;
  if (is(eqn, broadcastInDimP)) {
    // Same number of elements and axes kept in order: only axes of size 1 are inserted.
    const { dims } = eqn.params as BroadcastParams;
    if (sizeOf(x.aval.shape) !== sizeOf(out.aval.shape) || !dims.every((d, i) => i === 0 || dims[i - 1]! < d)) return undefined;
    source = x;
  } else {
    const layout = layoutOf({ ...eqn, inputs: ins }, layouts);
    if (layout === undefined) return undefined;
    const order = layout.axes.filter((a) => a >= 0);
    if (!order.every((a, i) => i === 0 || order[i - 1]! < a)) return undefined;
    // A lone reshape is already what this would make.
    if (is(eqn, reshapeP) && layout.source === x) return undefined;
    source = layout.source;
  }
  if (sameAval(source.aval, out.aval)) return source;
  return rw.emit(reshapeP as JaxprEqn["prim"], [source], { shape: [...out.aval.shape] }, [out.aval])[0];
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** The variable `eqn`'s single output can be replaced by, or `undefined` to keep it. */
function rewriteOne(
  eqn: JaxprEqn,
  ins: readonly JaxprVar[],
  rw: Rewriter,
  splats: Splats,
  producer: ReadonlyMap<JaxprVar, JaxprEqn>,
): JaxprVar | undefined {
  const [x, y] = ins;
  const sx = x && splats.get(x);
  const sy = y && splats.get(y);
  const out = eqn.outs[0]!;
  const dtype = out.aval.dtype;
  const from = x && producer.get(x);
  if (is(eqn, mulP)) {
    if (sy === 1) return x;
    if (sx === 1) return y;
    if (isInt(dtype) && (isZero(sx) || isZero(sy))) return splatVar(rw, splats, 0, out.aval);
  } else if (is(eqn, divP)) {
    if (sy === 1) return x;
  } else if (is(eqn, addP)) {
    if (sy === 0) return x;
    if (sx === 0) return y;
  } else if (is(eqn, subP)) {
    if (sy === 0) return x;
  } else if (is(eqn, negP)) {
    if (from && is(from, negP)) return from.inputs[0];
  } else if (is(eqn, selectP)) {
    if (ins[1] === ins[2]) return ins[1];
  } else if (is(eqn, convertP)) {
    if (x!.aval.dtype === (eqn.params as ConvertParams).dtype) return x;
  } else if (is(eqn, reduceSumP)) {
    if (sx === 0) return splatVar(rw, splats, 0, out.aval);
    if ((eqn.params as { axes: readonly number[] }).axes.length === 0) return x;
  } else if (is(eqn, reshapeP)) {
    if (sameAval(x!.aval, out.aval)) return x;
    if (from && is(from, reshapeP)) {
      const src = from.inputs[0]!;
      if (sameAval(src.aval, out.aval)) return src;
      return rw.emit(reshapeP as JaxprEqn["prim"], [src], eqn.params as ReshapeParams, [out.aval])[0];
    }
  } else if (is(eqn, transposeP)) {
    const { perm } = eqn.params as TransposeParams;
    if (isIdentityPerm(perm)) return x;
    if (from && is(from, transposeP)) {
      const inner = (from.params as TransposeParams).perm;
      const composed = perm.map((p) => inner[p]!);
      const src = from.inputs[0]!;
      if (isIdentityPerm(composed)) return src;
      return rw.emit(transposeP as JaxprEqn["prim"], [src], { perm: composed }, [out.aval])[0];
    }
  } else if (is(eqn, broadcastInDimP)) {
    const { shape, dims } = eqn.params as BroadcastParams;
    if (sameAval(x!.aval, out.aval) && isIdentityPerm(dims)) return x;
    if (from && is(from, broadcastInDimP)) {
      const innerDims = (from.params as BroadcastParams).dims;
      const src = from.inputs[0]!;
      return rw.emit(broadcastInDimP as JaxprEqn["prim"], [src], { shape, dims: innerDims.map((a) => dims[a]!) }, [out.aval])[0];
    }
  }
  return undefined;
}
