/**
 * @file NumPy indexing spelled as calls: `x.get(...idx)` and the functional updates `x.at(...idx)`.
 * Basic indices (integers, slices, `null`, `"..."`) become one strided `slice` and a reshape;
 * integer arrays and boolean masks go through the gather/scatter primitives (`fancy.ts`).
 */
import { NDArray, type ArrayLike, type AtView, type Index, type SliceSpec } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import * as s from "../primitives/structural.ts";
import { select } from "../primitives/compare.ts";
import { add as laxAdd } from "../primitives/binary.ts";
import { unsliceP } from "../primitives/structural.ts";
import { bind1 } from "../core/trace.ts";
import { fmtShape, IndexError, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import { prepare } from "./broadcast.ts";
import { maximum, minimum, multiply } from "./math.ts";
import { fancyGet, fancyAt, isAdvanced } from "./fancy.ts";

/**
 * `np.slice(start, stop, step)`: the slice `start:stop:step` (omit a part with `undefined`/`null`).
 * @example
 * np.arange(6).get(np.slice(1, null, 2)); // [1, 3, 5]
 */
export const slice = (start?: number | null, stop?: number | null, step?: number | null): SliceSpec => {
  requireStatic("np.slice", "start", start, "an index");
  requireStatic("np.slice", "stop", stop, "an index");
  requireStatic("np.slice", "step", step, "an index");
  return { kind: "slice", start: start ?? undefined, stop: stop ?? undefined, step: step ?? undefined };
};

function parseSlice(str: string): SliceSpec {
  const parts = str.split(":");
  if (parts.length < 2 || parts.length > 3) throw new IndexError(`index "${str}" is not a slice: write "start:stop:step"`);
  const num = (p: string | undefined): number | undefined => {
    if (p === undefined || p.trim() === "") return undefined;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new IndexError(`index "${str}": "${p}" is not an integer`);
    return v;
  };
  return slice(num(parts[0]), num(parts[1]), num(parts[2]));
}

const isSlice = (i: Index): i is SliceSpec => typeof i === "object" && i !== null && !Array.isArray(i) && !(i instanceof NDArray) && (i as SliceSpec).kind === "slice";

/** The plan of a basic index: one strided slice, then the result's shape. */
interface BasicPlan {
  start: number[];
  step: number[];
  size: number[];
  outShape: number[];
}

/** Python's `slice.indices`: start and count for a dimension of `n`. */
function sliceBounds(sl: SliceSpec, n: number): [number, number, number] {
  const step = sl.step ?? 1;
  if (step === 0) throw new IndexError("slice step cannot be zero");
  const clamp = (v: number | undefined, dflt: number, lo: number, hi: number) => {
    if (v === undefined) return dflt;
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  const start = step > 0 ? clamp(sl.start, 0, 0, n) : clamp(sl.start, n - 1, -1, n - 1);
  const stop = step > 0 ? clamp(sl.stop, n, 0, n) : clamp(sl.stop, -1, -1, n - 1);
  const count = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return [count === 0 ? 0 : start, step, count];
}

/** Replaces `"..."` by full slices and normalizes slice strings. */
export function expandIndex(shape: readonly number[], idx: readonly Index[]): Index[] {
  const norm = idx.map((i) => (typeof i === "string" && i !== "..." ? parseSlice(i) : i));
  const ell = norm.filter((i) => i === "...").length;
  if (ell > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const consuming = norm.filter((i) => i !== null && i !== "..." && !(i instanceof NDArray && i.dtype === "bool")).length +
    norm.filter((i): i is NDArray => i instanceof NDArray && i.dtype === "bool").reduce((p, m) => p + Math.max(1, m.ndim), 0);
  if (consuming > shape.length) {
    throw new IndexError(`too many indices for array: array of shape ${fmtShape(shape)} is ${shape.length}-dimensional, but ${consuming} were indexed`);
  }
  const fill = Array.from({ length: shape.length - consuming }, () => slice());
  const at = norm.indexOf("...");
  return at < 0 ? [...norm, ...fill] : [...norm.slice(0, at), ...fill, ...norm.slice(at + 1)];
}

function basicPlan(shape: readonly number[], idx: readonly Index[]): BasicPlan {
  const plan: BasicPlan = { start: [], step: [], size: [], outShape: [] };
  let axis = 0;
  for (const i of idx) {
    if (i === null) {
      plan.outShape.push(1);
      continue;
    }
    const n = shape[axis]!;
    if (typeof i === "number") {
      if (!Number.isInteger(i) || i < -n || i >= n) {
        throw new IndexError(`index ${i} is out of bounds for axis ${axis} with size ${n} (array shape ${fmtShape(shape)})`);
      }
      plan.start.push(i < 0 ? i + n : i);
      plan.step.push(1);
      plan.size.push(1);
    } else if (isSlice(i)) {
      const [st, step, count] = sliceBounds(i, n);
      plan.start.push(st);
      plan.step.push(step);
      plan.size.push(count);
      plan.outShape.push(count);
    } else {
      throw new IndexError(`unsupported index at axis ${axis}: ${String(i)}`);
    }
    axis++;
  }
  return plan;
}

/** `x.get(...idx)`: NumPy's `x[idx]`. */
export function getItem(x: NDArray, idx: readonly Index[]): NDArray {
  const full = expandIndex(x.shape, idx);
  if (full.some(isAdvanced)) return fancyGet(x, full);
  const plan = basicPlan(x.shape, full);
  return s.reshape(s.slice(x, plan.start, plan.step, plan.size), plan.outShape);
}

/** Places `v` (shaped like the indexed region) into zeros of `x`'s shape, and a mask of where. */
function scatterBasic(x: NDArray, plan: BasicPlan, v: NDArray): [NDArray, NDArray] {
  const params = { shape: x.shape, start: plan.start, step: plan.step };
  const placed = bind1(unsliceP, [s.reshape(v, plan.size)], params);
  const ones = s.broadcastTo(asarray(true), plan.size);
  const mask = bind1(unsliceP, [s.convert(ones, "int32")], params);
  return [placed, s.convert(mask, "bool")];
}

/** `x.at(...idx)`: functional updates, differentiable in both `x` and the values. */
export function at(x: NDArray, idx: readonly Index[]): AtView {
  const full = expandIndex(x.shape, idx);
  if (full.some(isAdvanced)) return fancyAt(x, full);
  const plan = basicPlan(x.shape, full);
  const region = () => s.reshape(s.slice(x, plan.start, plan.step, plan.size), plan.outShape);
  const values = (v: ArrayLike, op: string): NDArray => {
    const vv = prepare(`x.at(...).${op}`, [v])[0]!;
    const fits = vv.ndim <= plan.outShape.length && vv.shape.every((d, i) => d === 1 || d === plan.outShape[plan.outShape.length - vv.ndim + i]);
    if (!fits) {
      throw new ShapeError(`x.at(...).${op}: values of shape ${fmtShape(vv.shape)} do not broadcast to the indexed region of shape ${fmtShape(plan.outShape)}`);
    }
    return s.convert(s.broadcastTo(vv, plan.outShape), x.dtype);
  };
  const put = (v: NDArray): NDArray => {
    const [placed, mask] = scatterBasic(x, plan, v);
    return select(mask, placed, x);
  };
  return {
    get: region,
    set: (v) => put(values(v, "set")),
    add: (v) => laxAdd(x, scatterBasic(x, plan, values(v, "add"))[0]),
    mul: (v) => put(s.convert(multiply(region(), values(v, "mul")), x.dtype)),
    min: (v) => put(s.convert(minimum(region(), values(v, "min")), x.dtype)),
    max: (v) => put(s.convert(maximum(region(), values(v, "max")), x.dtype)),
  };
}
