/**
 * @file Flax's pooling, `nn.maxPool` and `nn.avgPool`, over inputs laid out (batch…, spatial…,
 * features): `lax.reduceWindow` with a window over the spatial axes only.
 */
import type { ArrayLike, NDArray } from "../core/ndarray.ts";
import { isFloat } from "../core/dtype.ts";
import { rejectComplex } from "../numpy/broadcast.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { asarray, onesLike } from "../numpy/creation.ts";
import { divide } from "../numpy/math.ts";
import { reduceWindow, type Padding } from "../transforms/lax-conv.ts";

/** Options of `nn.maxPool` and `nn.avgPool`. */
export interface PoolOptions {
  /** Steps of the window per spatial axis (default 1 each). */
  readonly strides?: readonly number[];
  /** `"VALID"` (default), `"SAME"`, or a `[low, high]` pair per spatial axis. */
  readonly padding?: Padding;
}

/** Options of `nn.avgPool`: the pooling options, and how padded windows are averaged. */
export interface AvgPoolOptions extends PoolOptions {
  /** Divide by the whole window (default, as Flax) or only by the elements inside the input. */
  readonly countIncludePad?: boolean;
}

const POOL_KEYS = ["strides", "padding", "countIncludePad"];

/** Flax's `pool`: `x` is (batch…, spatial…, features), or (spatial…, features) for one input. */
function pool(op: string, x: ArrayLike, init: number, computation: "max" | "add", windowShape: readonly number[], opts: AvgPoolOptions): NDArray {
  const unknown = Object.keys(opts).filter((k) => !POOL_KEYS.includes(k) || (op === "nn.maxPool" && k === "countIncludePad"));
  if (unknown.length > 0) throw new TypeError(`${op}: unknown option ${unknown.map((k) => `'${k}'`).join(", ")}`);
  const a0 = asarray(x, undefined, op, "x");
  rejectComplex(op, [a0], ["x"], "pooling takes real values only");
  const a = isFloat(a0.dtype) ? a0 : a0.astype("float64");
  if (!Array.isArray(windowShape)) throw new TypeError(`${op}: windowShape must be a list of window sizes, got ${JSON.stringify(windowShape)}`);
  const nsp = windowShape.length;
  const nBatch = a.ndim - nsp - 1;
  if (nBatch < 0) {
    throw new ShapeError(`${op}: x of shape ${fmtShape(a.shape)} has too few axes for a ${nsp}-d window: expected (batch…, ${nsp} spatial, features)`);
  }
  const strides = opts.strides ?? windowShape.map(() => 1);
  if (!Array.isArray(strides) || strides.length !== nsp) {
    throw new ShapeError(`${op}: strides ${JSON.stringify(strides)} must have one entry per window axis (${nsp})`);
  }
  const padding = opts.padding ?? "VALID";
  const ones = (n: number) => new Array<number>(n).fill(1);
  const zeros = (n: number) => new Array<[number, number]>(n).fill([0, 0]);
  const fullPadding: Padding = typeof padding === "string" ? padding : [...zeros(nBatch), ...padding, [0, 0]];
  if (typeof padding !== "string" && (!Array.isArray(padding) || padding.length !== nsp)) {
    throw new ShapeError(`${op}: padding must be 'SAME', 'VALID' or ${nsp} [low, high] pairs, got ${JSON.stringify(padding)}`);
  }
  return reduceWindow(a, init, computation, [...ones(nBatch), ...windowShape, 1], [...ones(nBatch), ...strides, 1], fullPadding);
}

/**
 * The maximum over each window of the spatial axes (Flax's `nn.max_pool`); the gradient goes to
 * the first maximum of each window.
 * @example
 * const x = np.arange(16).reshape(1, 4, 4, 1);
 * nn.maxPool(x, [2, 2], { strides: [2, 2] }).reshape(2, 2); // [[5, 7], [13, 15]]
 */
export const maxPool = (x: ArrayLike, windowShape: readonly number[], opts: PoolOptions = {}): NDArray =>
  pool("nn.maxPool", x, -Infinity, "max", windowShape, opts);

/**
 * The mean over each window of the spatial axes (Flax's `nn.avg_pool`); with padding, padded
 * elements count as zeros unless `countIncludePad: false`.
 * @example
 * const x = np.arange(16).reshape(1, 4, 4, 1);
 * nn.avgPool(x, [2, 2], { strides: [2, 2] }).reshape(2, 2); // [[2.5, 4.5], [10.5, 12.5]]
 */
export function avgPool(x: ArrayLike, windowShape: readonly number[], opts: AvgPoolOptions = {}): NDArray {
  const sums = pool("nn.avgPool", x, 0, "add", windowShape, opts);
  if (opts.countIncludePad ?? true) return divide(sums, windowShape.reduce((p, w) => p * w, 1));
  return divide(sums, pool("nn.avgPool", onesLike(asarray(x, undefined, "nn.avgPool", "x")), 0, "add", windowShape, opts));
}
