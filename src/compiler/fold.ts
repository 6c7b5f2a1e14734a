/**
 * @file Constant folding: an equation whose inputs are all constants runs once, at compile time,
 * and its outputs become constants — bounded by size (a large constant is not duplicated); an
 * elementwise equation on splats (all elements equal) is computed on one element, whatever its size.
 */
import { ConcreteArray } from "../core/ndarray.ts";
import { allocate, fillReal, type DType } from "../core/dtype.ts";
import { SIMD_MIN_LENGTH } from "../kernels/elementwise.ts";
import type { ClosedJaxpr, JaxprVar } from "../core/jaxpr.ts";
import { isEffectful, subJaxprs } from "../core/jaxpr.ts";
import { broadcastInDimP } from "../primitives/structural.ts";
import { elementExpr } from "./elementwise.ts";
import { recurse, Rewriter, scalarArray, sizeOfAval, Splats, splatValue, splatVar } from "./rewrite.ts";

/** Outputs larger than this many elements (128 KB of float64) are not folded unless they are splats. */
export const FOLD_MAX_ELEMENTS = 1 << 14;

/**
 * Runs the equations whose inputs are constants (primitives are pure; one whose kernel throws is
 * left for run time, which will throw the same error then).
 */
export function fold(closed: ClosedJaxpr): ClosedJaxpr {
  const inner = recurse(closed, fold);
  const rw = new Rewriter(inner);
  const splats = new Splats(inner);
  const values = new Map<JaxprVar, ConcreteArray>();
  inner.jaxpr.constvars.forEach((v, i) => {
    const c = inner.consts[i];
    if (c instanceof ConcreteArray) values.set(v, c);
  });
  for (const eqn of inner.jaxpr.eqns) {
    const ins = eqn.inputs.map((v) => rw.get(v));
    const args = ins.map((v) => values.get(v));
    const outSize = eqn.outs.reduce((n, o) => n + sizeOfAval(o.aval), 0);
    // A broadcast of a scalar is how a splat is kept: folding it would store every element.
    const canonicalSplat = eqn.prim === (broadcastInDimP as unknown) && ins[0]!.aval.shape.length === 0;
    // An effectful equation (debug_callback) runs at run time, never at compile time.
    if (isEffectful(eqn)) {
      rw.keep(eqn);
      splats.record(rw.eqns[rw.eqns.length - 1]!, ins);
      continue;
    }
    if (!canonicalSplat && args.every((a) => a !== undefined) && outSize <= FOLD_MAX_ELEMENTS && subJaxprs(eqn.params).length === 0) {
      const outs = tryImpl(eqn.prim.impl, args as ConcreteArray[], eqn.params);
      if (outs) {
        outs.forEach((o, i) => {
          const s = splatValue(o);
          const v = s !== undefined && o.data.length > 1 ? splatVar(rw, splats, s, o) : rw.constant(o);
          if (s !== undefined) splats.set(v, s);
          if (v.aval.shape.length === 0 || s === undefined) values.set(v, o);
          rw.replace(eqn.outs[i]!, v);
        });
        continue;
      }
    }
    const sv = ins.map((v) => splats.get(v));
    if (!canonicalSplat && elementExpr(eqn.prim) && eqn.outs.length === 1 && ins.length > 0 && sv.every((s) => s !== undefined)) {
      const outs = tryImpl(eqn.prim.impl, sv.map((s, i) => splatSample(s!, ins[i]!.aval.dtype, sizeOfAval(eqn.outs[0]!.aval))), eqn.params);
      if (outs) {
        const out = eqn.outs[0]!;
        rw.replace(out, splatVar(rw, splats, outs[0]!.data[0]!, out.aval));
        continue;
      }
    }
    rw.keep(eqn);
    splats.record(rw.eqns[rw.eqns.length - 1]!, ins);
  }
  return rw.finish();
}

/**
 * Operands standing for splats of `size` elements: one element, or, for `SIMD_MIN_LENGTH` elements
 * and more, that many — the kernel then computes the element as it does on the whole array (long
 * float64 arrays go to the WebAssembly SIMD kernels, whose results may differ from `Math`'s by an ulp).
 */
function splatSample(value: number, dtype: DType, size: number): ConcreteArray {
  if (size < SIMD_MIN_LENGTH) return scalarArray(value, dtype);
  const data = allocate(dtype, SIMD_MIN_LENGTH);
  fillReal(data, dtype, value);
  return new ConcreteArray(data, [SIMD_MIN_LENGTH], dtype);
}

function tryImpl(impl: (args: readonly ConcreteArray[], params: never) => ConcreteArray[], args: ConcreteArray[], params: unknown): ConcreteArray[] | undefined {
  try {
    return impl(args, params as never);
  } catch {
    return undefined;
  }
}
