/** @file Broadcasting, dtype promotion and axis checking for the numpy layer. */
import { NDArray, isComplexLeaf, type ArrayLike } from "../core/ndarray.ts";
import { complexDtype, isInexact, promote, promoteWeak, type DType } from "../core/dtype.ts";
import { asarray } from "./creation.ts";
import { broadcastTo, convert } from "../primitives/structural.ts";
import { AxisError, fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import { describe } from "../core/parse.ts";

/**
 * NumPy's broadcast of several shapes; a `ShapeError` naming `op` and every shape if they do not fit.
 * @example
 * np.broadcastShapes("myOp", [2, 1], [3]); // [2, 3]
 */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(n).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = n - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else {
        throw new ShapeError(
          `${op}: operands could not be broadcast together with shapes ${shapes.map(fmtShape).join(" ")}`,
        );
      }
    }
  }
  return out;
}

/**
 * Converts operands to arrays of one dtype and one broadcast shape. JS numbers are weakly typed (they
 * take the array operands' dtype); `floatOnly` promotes integers to float64 (true division, `exp`…).
 */
export function prepare(op: string, args: readonly ArrayLike[], floatOnly = false, names?: readonly string[]): NDArray[] {
  let dtype: DType | null = null;
  const arrays = args.map((a, i) => {
    if (typeof a === "number" || typeof a === "boolean" || isComplexLeaf(a)) return null;
    const x = asarray(a, undefined, op, names?.[i] ?? `x${i + 1}`);
    dtype = dtype === null ? x.dtype : promote(dtype, x.dtype);
    return x;
  });
  for (const a of args) {
    if (typeof a === "number" || typeof a === "boolean") {
      dtype = dtype === null ? (typeof a === "boolean" ? "bool" : "float64") : promoteWeak(dtype, a);
    }
  }
  // A { re, im } literal is weak too (as a Python complex in NumPy 2): float32 with it gives complex64.
  for (const a of args) if (isComplexLeaf(a)) dtype = complexDtype(dtype ?? "float64");
  let dt: DType = dtype ?? "float64";
  if (floatOnly && !isInexact(dt)) dt = "float64";
  const xs = arrays.map((x, i) => x ?? asarray(args[i]!, undefined, op));
  const shape = broadcastShapes(op, ...xs.map((x) => x.shape));
  return xs.map((x) => broadcastTo(convert(x, dt), shape));
}

/** Normalizes one axis (negative counts from the end); `AxisError` naming `op` if out of range. */
export function normAxis(op: string, axis: number, ndim: number): number {
  requireStatic(op, "axis", axis, "an axis");
  if (!Number.isInteger(axis)) throw new TypeError(`${op}: axis must be an integer; got ${describe(axis)}`);
  if (axis < -ndim || axis >= ndim) {
    throw new AxisError(`${op}: axis ${axis} is out of bounds for an array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes an `axis` option (`null`/`undefined`: all axes) into sorted unique axes. */
export function normAxes(op: string, axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  requireStatic(op, "axis", axis, "an axis");
  if (typeof axis !== "number" && !Array.isArray(axis)) throw new TypeError(`${op}: axis must be an integer, an array of integers or null; got ${describe(axis)}`);
  const list = (typeof axis === "number" ? [axis] : [...axis]).map((a) => normAxis(op, a, ndim));
  const set = new Set(list);
  if (set.size !== list.length) throw new AxisError(`${op}: repeated axis in ${JSON.stringify(axis)}`);
  return [...set].sort((a, b) => a - b);
}
