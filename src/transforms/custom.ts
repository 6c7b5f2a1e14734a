/**
 * @file User-defined derivative rules, JAX-style: `customJvp`, `customVjp`, and `checkpoint`
 * (rematerialization: keep only the inputs, recompute the forward pass during the backward pass).
 * They compose with every transformation, `vmap` included.
 */
import type { NDArray } from "../core/ndarray.ts";
import { bind } from "../core/trace.ts";
import { customJvpCallP, customVjpCallP } from "../primitives/custom.ts";
import { flatten, unflatten, type Tree, type TreeDef } from "../tree/index.ts";
import { leafToArray } from "./common.ts";
import { jvp } from "./jvp.ts";
import { vjp } from "./vjp.ts";

type AnyFn = (...args: never[]) => unknown;

/** Calls `f` on flat leaves, recording its output structure in `cell`. */
function flatCall(f: AnyFn, inDef: TreeDef, cell: { outDef?: TreeDef }, op: string) {
  return (xs: NDArray[]): NDArray[] => {
    const out = (f as unknown as (...a: Tree[]) => Tree)(...unflatten<Tree[]>(inDef, xs));
    const [ol, od] = flatten(out, `${op}: output `);
    cell.outDef = od;
    return ol.map((o, i) => leafToArray(o, op, `output leaf ${i}`));
  };
}

/**
 * `customJvp(f, rule)`: `f` whose forward-mode derivative is `rule(primals, tangents)`, which
 * returns `[out, tangentOut]` (trees like `f`'s output). Reverse mode transposes the rule, so it
 * must be linear in the tangents.
 * @example
 * const safeLog = customJvp((x: NDArray) => np.log(x), ([x], [t]) => [np.log(x), t.div(x)]);
 */
export function customJvp<F extends AnyFn>(f: F, rule: (primals: any[], tangents: any[]) => [Tree, Tree]): F {
  return ((...args: Tree[]) => {
    const [leaves, inDef] = flatten(args as Tree, "customJvp: argument ");
    const cell: { outDef?: TreeDef } = {};
    const outs = bind(customJvpCallP, leaves.map((x, i) => leafToArray(x, "customJvp", `argument leaf ${i}`)), {
      f: flatCall(f, inDef, cell, "customJvp"),
      rule: (ps, ts) => {
        const [, tOut] = rule(unflatten(inDef, ps), unflatten(inDef, ts));
        return flatten(tOut)[0].map((o, i) => leafToArray(o, "customJvp rule", `tangent output leaf ${i}`));
      },
    });
    return unflatten(cell.outDef!, outs);
  }) as unknown as F;
}

/**
 * `customVjp(f, fwd, bwd)`: `f` whose reverse-mode derivative is given by `fwd(...args)` →
 * `[out, residuals]` and `bwd(residuals, ct)` → one cotangent per argument (a JS array).
 */
export function customVjp<F extends AnyFn>(f: F, fwd: (...args: any[]) => [Tree, Tree], bwd: (res: any, ct: any) => Tree[]): F {
  return ((...args: Tree[]) => {
    const [leaves, inDef] = flatten(args as Tree, "customVjp: argument ");
    const cell: { outDef?: TreeDef } = {};
    let resDef: TreeDef | null = null;
    const outs = bind(customVjpCallP, leaves.map((x, i) => leafToArray(x, "customVjp", `argument leaf ${i}`)), {
      f: flatCall(f, inDef, cell, "customVjp"),
      residuals: (xs) => {
        const [, res] = fwd(...unflatten<Tree[]>(inDef, xs));
        const [rl, rd] = flatten(res, "customVjp: residual ");
        resDef = rd;
        return rl.map((r, i) => leafToArray(r, "customVjp fwd", `residual leaf ${i}`));
      },
      bwd: (res, cts) => {
        const grads = bwd(unflatten(resDef!, res), unflatten(cell.outDef!, cts));
        const [gl] = flatten(grads as Tree, "customVjp: bwd result ");
        if (gl.length !== leaves.length) {
          throw new TypeError(`customVjp: bwd returned ${gl.length} cotangent leaves, but the function has ${leaves.length} argument leaves`);
        }
        return gl.map((g, i) => leafToArray(g, "customVjp bwd", `cotangent leaf ${i}`));
      },
      forward: null,
    });
    return unflatten(cell.outDef!, outs);
  }) as unknown as F;
}

/**
 * `checkpoint(f)`: the same function, but reverse mode stores only its inputs and recomputes `f`'s
 * forward pass during the backward pass, trading compute for memory. Forward mode works as usual.
 */
export function checkpoint<F extends AnyFn>(f: F): F {
  return ((...args: Tree[]) => {
    const [leaves, inDef] = flatten(args as Tree, "checkpoint: argument ");
    const cell: { outDef?: TreeDef } = {};
    const fFlat = flatCall(f, inDef, cell, "checkpoint");
    const outs = bind(customVjpCallP, leaves.map((x, i) => leafToArray(x, "checkpoint", `argument leaf ${i}`)), {
      f: fFlat,
      // The inputs are the residuals: the forward pass runs again only in the backward pass.
      residuals: (xs) => xs,
      bwd: (res, cts) => vjp(((...xs: NDArray[]) => fFlat(xs)) as never, ...res)[1](cts) as NDArray[],
      forward: (res, ts) => jvp(((...xs: NDArray[]) => fFlat(xs)) as never, res, ts)[1] as NDArray[],
    });
    return unflatten(cell.outDef!, outs);
  }) as unknown as F;
}
