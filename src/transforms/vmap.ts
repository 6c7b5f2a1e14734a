/** @file `vmap`: vectorizes a function over a batch axis of its arguments. */
import type { NDArray } from "../core/ndarray.ts";
import { withMainTrace } from "../core/trace.ts";
import { BatchTracer, makeBatchTrace, valueAndDim } from "../interpreters/batching.ts";
import { flatten, unflatten, broadcastPrefix, type Tree } from "../tree/index.ts";
import { checkNotAsync, checkNotPromise, leafToArrayAt } from "./common.ts";
import type { Args } from "./common.ts";
import type { ArrayFn, ArrayTree, Fn, Ret } from "./types.ts";
import { matchBatch } from "../primitives/structural.ts";
import { AxisError, BatchSizeError, fmtShape } from "../core/errors.ts";
import { vmapOpts } from "./options.ts";

/** Options of `vmap`: where the batch axis is in the arguments and goes in the outputs. */
export interface VmapOptions {
  /** Batch axis per argument: a number, `null` (not batched), or a tree prefix of the argument. Default 0. */
  inAxes?: number | null | readonly unknown[];
  /** Where the batch axis goes in the outputs (a number, `null` for unbatched outputs, or a tree prefix). Default 0. */
  outAxes?: unknown;
}

const isAxis = (x: unknown): boolean => x === null || typeof x === "number";

/**
 * `vmap(f, {inAxes, outAxes})`: `f` applied to every slice along the batch axes, as one call.
 * @example
 * vmap((x: NDArray) => np.sum(x))(np.ones([3, 4])); // [4, 4, 4]
 */
export function vmap<F extends Fn>(f: F, opts: VmapOptions = {}): ArrayFn<F> {
  opts = vmapOpts(opts) as VmapOptions;
  return (...argsIn: Args<F>): ArrayTree<Ret<F>> => {
    checkNotAsync("vmap", f);
    const args = argsIn as unknown as Tree[];
    // A top-level null is honoured (no argument batched, an error below), not taken for the default.
    const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
    if (Array.isArray(inAxes) && inAxes.length !== args.length) {
      throw new TypeError(`vmap: inAxes has ${inAxes.length} entries but the function was called with ${args.length} arguments`);
    }
    const axes = broadcastPrefix<number | null>(isAxis(inAxes) ? args.map(() => inAxes) : inAxes, args as Tree, isAxis, "vmap inAxes");
    const [leaves, def] = flatten(args as Tree, "vmap: argument ");
    const arrays = leaves.map((x, i) => leafToArrayAt(x, "vmap", "argument leaf", i));
    const norm = arrays.map((x, i) => {
      const a = axes[i]!;
      if (a === null) return null;
      if (!Number.isInteger(a) || a < -x.ndim || a >= x.ndim) {
        throw new AxisError(`vmap: inAxes ${a} is out of range for argument leaf ${i} of shape ${fmtShape(x.shape)}`);
      }
      return a < 0 ? a + x.ndim : a;
    });
    const sizes = arrays.map((x, i) => (norm[i] === null ? null : x.shape[norm[i]!]!));
    const distinct = new Set(sizes.filter((s) => s !== null));
    if (distinct.size === 0) {
      throw new TypeError(
        `vmap must have at least one non-null value in inAxes (got inAxes ${JSON.stringify(opts.inAxes ?? null)} for ${arrays.length} argument leaves): ` +
          "no argument is batched, so there is no batch size",
      );
    }
    if (distinct.size > 1) {
      const listing = sizes.map((s, i) => `  argument leaf ${i}: shape ${fmtShape(arrays[i]!.shape)}, axis ${norm[i]}${s === null ? " (not batched)" : ` → size ${s}`}`);
      throw new BatchSizeError(`vmap got inconsistent sizes for the batch axes:\n${listing.join("\n")}`);
    }
    const size = [...distinct][0]!;
    return withMainTrace(makeBatchTrace, size, (main) => {
      const ins = arrays.map((x, i) => (norm[i] === null ? x : new BatchTracer(main.trace as never, x, norm[i]!)));
      const out = (f as unknown as (...a: Tree[]) => Tree)(...(unflatten(def, ins) as Tree[]));
      checkNotPromise("vmap", out);
      const [ol, od] = flatten(out);
      const outAxes = broadcastPrefix<number | null>(opts.outAxes === undefined ? 0 : opts.outAxes, out, isAxis, "vmap outAxes");
      const results = ol.map((o, i) => {
        const [v, d] = valueAndDim(main.trace, leafToArrayAt(o, "vmap", "output leaf", i));
        const want = outAxes[i]!;
        if (want === null) {
          if (d !== null) {
            throw new TypeError(
              `vmap: outAxes is null for output leaf ${i}, but that output is batched (shape ${fmtShape(v.shape)} with the batch at axis ${d}); ` +
                "give it an output axis, or make it independent of the batched inputs",
            );
          }
          return v;
        }
        const nd = v.ndim + (d === null ? 1 : 0);
        if (!Number.isInteger(want) || want < -nd || want >= nd) {
          throw new AxisError(
            `vmap: outAxes ${want} is out of range for output leaf ${i}, which has rank ${nd} with the batch axis ` +
              `(shape ${fmtShape(d === null ? v.shape : v.shape.filter((_, j) => j !== d))} per batch member); use an axis in [${-nd}, ${nd})`,
          );
        }
        const w = want < 0 ? want + nd : want;
        return moveOrBroadcast(v, d, size, w);
      });
      return unflatten<ArrayTree<Ret<F>>>(od, results);
    });
  };
}

const moveOrBroadcast = (v: NDArray, d: number | null, size: number, to: number): NDArray => matchBatch(v, d, size, to);
