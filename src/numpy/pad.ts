/**
 * @file `np.pad`: NumPy's padding modes (constant, edge, reflect, symmetric, wrap, the statistics
 * maximum/minimum/mean/median, linear_ramp) as compositions of strided slices, gathers, broadcasts
 * and concatenations, so a padded array is differentiable to any order and batches under `vmap`.
 */
import { NDArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray, full } from "./creation.ts";
import { broadcastTo, concatenate } from "./shape.ts";
import { max, mean, min } from "./reductions.ts";
import { median } from "./sorting.ts";
import { floor, rint } from "./math.ts";
import { range, sliceAxis, takeAxis } from "./rearrange.ts";
import { ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const padOpts = P.options("np.pad", { mode: P.str, constantValues: P.unknownValue, statLength: P.unknownValue, endValues: P.unknownValue });

/** The `mode` of {@link pad}: NumPy's modes by name, except a callable mode and `'empty'`. */
export type PadMode =
  | "constant"
  | "edge"
  | "reflect"
  | "symmetric"
  | "wrap"
  | "maximum"
  | "minimum"
  | "mean"
  | "median"
  | "linear_ramp";

const PAD_MODES: readonly PadMode[] = ["constant", "edge", "reflect", "symmetric", "wrap", "maximum", "minimum", "mean", "median", "linear_ramp"];
const STAT_MODES: readonly PadMode[] = ["maximum", "minimum", "mean", "median"];

type PairSpec = number | readonly number[] | readonly (readonly number[])[];

/** NumPy's forms of a per-axis (before, after) spec: `n`, `[n]`, `[b, a]`, `[[b, a]]`, `[[b0, a0], …]`. */
function pairs(op: string, what: string, spec: PairSpec, ndim: number): [number, number][] {
  const err = () => new ShapeError(`${op}: cannot use ${what} ${JSON.stringify(spec)} for an array with ${ndim} dimensions`);
  const isNum = (u: unknown) => typeof u === "number";
  if (!(isNum(spec) || (Array.isArray(spec) && (spec.every(isNum) || spec.every((p) => Array.isArray(p) && p.every(isNum)))))) {
    throw new TypeError(`${op}: ${what} must be a number, a pair of numbers or one pair per axis; got ${P.describe(spec)}`);
  }
  if (typeof spec === "number") return range(ndim).map(() => [spec, spec]);
  if (spec.length === 0) throw err();
  if (typeof spec[0] === "number") {
    const flat = spec as readonly number[];
    if (flat.length === 1) return range(ndim).map(() => [flat[0]!, flat[0]!]);
    if (flat.length === 2) return range(ndim).map(() => [flat[0]!, flat[1]!]);
    throw err();
  }
  const nested = spec as readonly (readonly number[])[];
  const norm = nested.map((p) => {
    if (!Array.isArray(p) || p.length < 1 || p.length > 2) throw err();
    return [p[0]!, p[p.length - 1]!] as [number, number];
  });
  if (norm.length === 1) return range(ndim).map(() => norm[0]!);
  if (norm.length !== ndim) throw err();
  return norm;
}

/** Source index for output position `j` (relative to the array start) under a periodic mode. */
function padSource(mode: PadMode, j: number, n: number): number {
  switch (mode) {
    case "edge":
      return Math.min(Math.max(j, 0), n - 1);
    case "wrap":
      return ((j % n) + n) % n;
    case "reflect": {
      if (n === 1) return 0;
      const p = 2 * n - 2;
      const r = ((j % p) + p) % p;
      return r < n ? r : p - r;
    }
    case "symmetric": {
      const p = 2 * n;
      const r = ((j % p) + p) % p;
      return r < n ? r : p - 1 - r;
    }
    default:
      throw new Error(`unreachable pad mode ${mode}`);
  }
}

/**
 * `np.pad(x, padWidth, {mode, constantValues, statLength, endValues})`: pads each axis by
 * `(before, after)` elements, axis after axis as NumPy does. Modes: `constant` (with
 * `constantValues`), `edge`, `reflect`, `symmetric`, `wrap` (pads wider than the array repeat the
 * pattern); `maximum`, `minimum`, `mean`, `median` of the first/last `statLength` elements along
 * the axis (all of them by default; rounded for integer arrays); `linear_ramp` from `endValues`
 * (default 0) to the edge value (floored for integer arrays). Differentiable in `x`.
 * @example
 * np.pad([1, 2], 1); // [0, 1, 2, 0]
 * np.pad([1, 2, 6], [2, 1], { mode: "linear_ramp", endValues: [5, 0] }); // [5, 3, 1, 2, 6, 0]
 */
export function pad(
  x: ArrayLike,
  padWidth: PairSpec,
  opts: { mode?: PadMode; constantValues?: PairSpec; statLength?: PairSpec; endValues?: PairSpec } = {},
): NDArray {
  opts = padOpts(opts) as typeof opts;
  const a = asarray(x, undefined, "np.pad", "array");
  requireStatic("np.pad", "pad_width", padWidth, "a size");
  requireStatic("np.pad", "stat_length", opts.statLength, "a size");
  const mode = opts.mode ?? "constant";
  if (!PAD_MODES.includes(mode)) {
    throw new TypeError(`np.pad: mode '${mode}' is not supported; use one of ${PAD_MODES.map((m) => `'${m}'`).join(", ")}`);
  }
  const widths = pairs("np.pad", "pad_width", padWidth, a.ndim);
  widths.forEach(([b, e]) => {
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e < 0) {
      throw new RangeError(`np.pad: pad widths must be non-negative integers, got ${JSON.stringify(padWidth)}`);
    }
  });
  const values = mode === "constant" ? pairs("np.pad", "constant_values", opts.constantValues ?? 0, a.ndim) : [];
  const ends = mode === "linear_ramp" ? pairs("np.pad", "end_values", opts.endValues ?? 0, a.ndim) : [];
  const stats = opts.statLength === undefined ? null : pairs("np.pad", "stat_length", opts.statLength, a.ndim);
  stats?.forEach(([b, e]) => {
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 1 || e < 1) {
      throw new RangeError(`np.pad: stat_length must be positive integers, got ${JSON.stringify(opts.statLength)}`);
    }
  });
  let out = a;
  for (let ax = 0; ax < a.ndim; ax++) {
    const [before, after] = widths[ax]!;
    if (before === 0 && after === 0) continue;
    const n = out.shape[ax]!;
    /** `v` (the axis of length 1) repeated `w` times along the axis. */
    const block = (w: number, v: NDArray) => {
      const shape = out.shape.slice();
      shape[ax] = w;
      return broadcastTo(v, shape);
    };
    const around = (b: NDArray | null, e: NDArray | null) => concatenate([...(b ? [b] : []), out, ...(e ? [e] : [])], { axis: ax });
    if (mode === "constant") {
      const constant = (w: number, v: number) => (w > 0 ? block(w, full([], v, { dtype: a.dtype })) : null);
      out = around(constant(before, values[ax]![0]), constant(after, values[ax]![1]));
      continue;
    }
    if (n === 0) throw new ShapeError(`np.pad: can't extend empty axis ${ax} using modes other than 'constant'`);
    if (STAT_MODES.includes(mode)) {
      const [lb, la] = stats ? stats[ax]!.map((l) => Math.min(l, n)) : [n, n];
      const stat = (start: number, count: number) => padStatistic(mode, sliceAxis(out, ax, start, 1, count!), ax, a.dtype);
      out = around(before > 0 ? block(before, stat(0, lb!)) : null, after > 0 ? block(after, stat(n - la!, la!)) : null);
    } else if (mode === "linear_ramp") {
      const ramp = (w: number, edge: NDArray, end: number, reversed: boolean) => {
        if (w === 0) return null;
        const shape = out.ndim === 0 ? [] : out.shape.map((_, i) => (i === ax ? w : 1));
        const t = asarray(range(w).map((k) => (reversed ? w - 1 - k : k) / w)).reshape(shape);
        const e = full([], end, { dtype: "float64" });
        const values = block(w, e.add(edge.sub(e).mul(t)));
        // NumPy builds the ramp with linspace in the array's dtype, which floors for integers.
        return values.dtype === a.dtype ? values : (a.dtype === "int32" ? floor(values) : values).astype(a.dtype);
      };
      out = around(ramp(before, sliceAxis(out, ax, 0, 1, 1), ends[ax]![0], false), ramp(after, sliceAxis(out, ax, n - 1, 1, 1), ends[ax]![1], true));
    } else {
      out = takeAxis(out, ax, range(before + n + after).map((i) => padSource(mode, i - before, n)));
    }
  }
  return out;
}

/** The statistic of a `maximum`/`minimum`/`mean`/`median` pad over `axis` (kept, length 1). */
function padStatistic(mode: PadMode, part: NDArray, axis: number, dtype: NDArray["dtype"]): NDArray {
  const opts = { axis, keepdims: true };
  if (mode === "maximum") return max(part, opts);
  if (mode === "minimum") return min(part, opts);
  return roundedLike(mode === "mean" ? mean(part, opts) : median(part, opts), dtype);
}

/** `v` in `dtype`: rounded to the nearest integer first for integer dtypes, as NumPy's pad does. */
function roundedLike(v: NDArray, dtype: NDArray["dtype"]): NDArray {
  if (v.dtype === dtype) return v;
  return (dtype === "int32" ? rint(v) : v).astype(dtype);
}
