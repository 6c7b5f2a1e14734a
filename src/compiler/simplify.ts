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
 * → `x`. Every rewrite keeps derivatives too (`stopGradient` stays: it costs nothing in a fused
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
  // Splat constants of more than one element become a scalar constant broadcast.
  inner.jaxpr.constvars.forEach((v, i) => {
    const c = inner.consts[i]!;
    const s = splatValue(c);
    if (s !== undefined && c instanceof ConcreteArray && c.data.length > 1) rw.replace(v, splatVar(rw, splats, s, v.aval));
  });
  for (const eqn of inner.jaxpr.eqns) {
    const ins = eqn.inputs.map((v) => rw.get(v));
    const out = eqn.outs[0]!;
    const by = rewriteOne(eqn, ins, rw, splats, producer);
    if (by !== undefined && eqn.outs.length === 1 && sameAval(by.aval, out.aval)) {
      rw.replace(out, by);
      continue;
    }
    rw.keep(eqn);
    const kept = rw.eqns[rw.eqns.length - 1]!;
    for (const o of kept.outs) producer.set(o, kept);
    splats.record(kept, ins);
    const s0 = ins.length === 1 ? splats.get(ins[0]!) : undefined;
    if (s0 !== undefined && is(eqn, convertP)) splats.set(out, convertValue(s0, (eqn.params as ConvertParams).dtype));
  }
  return rw.finish();
}

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
