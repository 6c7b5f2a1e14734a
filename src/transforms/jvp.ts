/** @file Forward mode: `jvp` and `deriv`. */
import type { NDArray } from "../core/ndarray.ts";
import { withMainTrace } from "../core/trace.ts";
import { JVPTracer, makeJVPTrace, primalAndTangent } from "../interpreters/jvp.ts";
import { flatten, unflatten, sameStructure, type Tree } from "../tree/index.ts";
import { leafToArray, likeInput, zerosFor, checkNotAsync, checkNotPromise, leafToArrayAt } from "./common.ts";
import { isComplex, tangentDtype } from "../core/dtype.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { convert } from "../primitives/structural.ts";
import type { Args } from "./common.ts";
import type { Fn, GradOf, LeafLike, Ret } from "./types.ts";

/**
 * `jvp(f, primals, tangents)` → `[out, tangentOut]`: forward mode, one pass.
 * @example
 * jvp(np.sin, [0.5], [1.0]); // [sin(0.5), cos(0.5)]
 */
export function jvp<F extends Fn, P extends Readonly<Args<F>>>(
  f: F,
  primals: P,
  tangents: NoInfer<{ readonly [K in keyof P]: LeafLike<P[K]> }>,
): [Ret<F>, GradOf<Ret<F>>] {
  type Out = Ret<F>;
  checkNotAsync("jvp", f);
  const [pl, pd] = flatten(primals as Tree, "jvp: primals");
  const [tl, td] = flatten(tangents as Tree);
  if (!sameStructure(pd, td)) throw new TypeError("jvp: primals and tangents must have the same tree structure");
  const ps = pl.map((x, i) => leafToArrayAt(x, "jvp", "primal leaf", i));
  const ts = tl.map((x, i) => {
    const t = leafToArrayAt(x, "jvp", "tangent leaf", i);
    const p = ps[i]!;
    if (t.shape.length !== p.shape.length || t.shape.some((d, j) => d !== p.shape[j])) {
      throw new ShapeError(`jvp: tangent leaf ${i} has shape ${fmtShape(t.shape)}, but its primal has shape ${fmtShape(p.shape)}`);
    }
    const dt = tangentDtype(p.dtype);
    if (dt !== null && isComplex(t.dtype) && !isComplex(dt)) {
      throw new TypeError(`jvp: tangent leaf ${i} is complex (${t.dtype}) but its primal has the real dtype ${p.dtype}; a real primal moves along real tangents only`);
    }
    return dt === null ? null : convert(t, dt);
  });
  return withMainTrace(makeJVPTrace, null, (main) => {
    const ins = ps.map((p, i) => new JVPTracer(main.trace as never, p, ts[i]!));
    const out = f(...(unflatten(pd, ins) as never[]));
    checkNotPromise("jvp", out);
    const [ol, od] = flatten(out as Tree);
    const primalsOut: NDArray[] = [];
    const tangentsOut: NDArray[] = [];
    ol.forEach((o, i) => {
      const [p, t] = primalAndTangent(main.trace, leafToArrayAt(o, "jvp", "output leaf", i));
      primalsOut.push(p);
      tangentsOut.push(t ?? zerosFor(p));
    });
    return [
      unflatten<Out>(od, primalsOut.map((p, i) => likeInput(p, ol[i]!))),
      unflatten<GradOf<Out>>(od, tangentsOut.map((t, i) => likeInput(t, ol[i]!))),
    ] as [Out, GradOf<Out>];
  });
}

/**
 * `deriv(f)`: the derivative of a function of one scalar, by forward mode (autograd's `deriv`).
 * @example
 * deriv(np.sin)(0); // 1
 */
export function deriv<F extends (x: never) => unknown>(f: F): (x: number | NDArray) => GradOf<Ret<F>> {
  return (x) => {
    checkNotAsync("deriv", f);
    const one = typeof x === "number" ? 1 : leafToArray(x, "deriv", "x").mul(0).add(1);
    return jvp(f as unknown as (x: Tree) => Ret<F>, [x], [one])[1] as GradOf<Ret<F>>;
  };
}
