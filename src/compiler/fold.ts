/**
 * @file Constant folding: an equation whose inputs are all constants runs once, at compile time,
 * and its outputs become constants — bounded by size (a large constant is not duplicated); an
 * elementwise equation on splats (all elements equal) is computed on one element, whatever its size.
 */
import { ConcreteArray } from "../core/ndarray.ts";
import type { ClosedJaxpr, JaxprVar } from "../core/jaxpr.ts";
import { subJaxprs } from "../core/jaxpr.ts";
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
      const scalars = sv.map((s, i) => scalarArray(s!, ins[i]!.aval.dtype));
      const outs = tryImpl(eqn.prim.impl, scalars, eqn.params);
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

function tryImpl(impl: (args: readonly ConcreteArray[], params: never) => ConcreteArray[], args: ConcreteArray[], params: unknown): ConcreteArray[] | undefined {
  try {
    return impl(args, params as never);
  } catch {
    return undefined;
  }
}
