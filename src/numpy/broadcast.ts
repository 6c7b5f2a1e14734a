/** @file Broadcasting, dtype promotion and axis checking for the numpy layer. */
import { ConcreteArray, NDArray, isComplexLeaf, scalarConcrete, type ArrayLike } from "../core/ndarray.ts";
import { allocate, complexDtype, isComplex, isFloat, isInexact, promote, promoteWeak, type DType } from "../core/dtype.ts";
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
 * The common cases (one array; two arrays of one shape and dtype; a float array and a JS number)
 * take a fast path that gives the same arrays as the general one without its conversions.
 */
export function prepare(op: string, args: readonly ArrayLike[], floatOnly = false, names?: readonly string[]): NDArray[] {
  if (args.length === 1) {
    const x = args[0];
    if (x instanceof NDArray && (!floatOnly || isFloat(x.dtype))) return [x];
  } else if (args.length === 2) {
    const fast = prepareTwo(args[0]!, args[1]!, floatOnly, false);
    if (fast !== null) return fast;
  }
  return prepareGeneral(op, args, floatOnly, names);
}

/**
 * `prepare` of one operand, returning it alone (`prepare(op, [x], floatOnly, names)[0]`, without
 * the two lists): the unary functions' path.
 */
export function prepareOne(op: string, x: ArrayLike, floatOnly: boolean, names: readonly string[]): NDArray {
  if (x instanceof NDArray && (!floatOnly || isFloat(x.dtype))) return x;
  return prepareGeneral(op, [x], floatOnly, names)[0]!;
}

/**
 * `prepare` for two operands whose results go straight into an elementwise primitive (the
 * arithmetic and comparison functions), which never returns an operand as its result: a JS number
 * meeting a 0-d float array may then be a shared cached constant.
 */
export function prepareBinary(op: string, x1: ArrayLike, x2: ArrayLike, floatOnly: boolean, names: readonly string[]): NDArray[] {
  return prepareTwo(x1, x2, floatOnly, true) ?? prepareGeneral(op, [x1, x2], floatOnly, names);
}

/** The fast cases of two operands, or `null` for the general path. */
function prepareTwo(a: ArrayLike, b: ArrayLike, floatOnly: boolean, shareConstants: boolean): NDArray[] | null {
  if (a instanceof NDArray) {
    if (b instanceof NDArray) {
      const dtype = a.dtype;
      if (dtype === b.dtype && (!floatOnly || isFloat(dtype)) && sameShape(a.shape, b.shape)) return [a, b];
      return null;
    }
    if (typeof b === "number" && isFloat(a.dtype)) return [a, constantLike(b, a, shareConstants)];
    return null;
  }
  if (typeof a === "number" && b instanceof NDArray && isFloat(b.dtype)) return [constantLike(a, b, shareConstants), b];
  return null;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * The JS number `v` as a concrete array of `like`'s float dtype and shape: what the general path's
 * 0-d conversion and broadcast would compute, in one allocation (or none, from the cache).
 */
function constantLike(v: number, like: NDArray, shared: boolean): ConcreteArray {
  const shape = like.shape;
  const dtype = like.dtype;
  if (shape.length === 0) return shared && dtype === "float64" ? cachedScalar(v) : scalarConcrete(v, dtype);
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  const data = allocate(dtype, n);
  if (!Object.is(v, 0)) data.fill(v); // −0 too: the storage starts as +0
  return new ConcreteArray(data, shape, dtype);
}

/** Cached 0-d float64 constants by value (cleared when full). Never handed to users: see `prepareBinary`. */
const scalarCache = new Map<number, ConcreteArray>();
const SCALAR_CACHE_SIZE = 256;

function cachedScalar(v: number): ConcreteArray {
  // The map's keys compare 0 and −0 as one, so −0 is not cached.
  if (v === 0 && 1 / v < 0) return scalarConcrete(v, "float64");
  let c = scalarCache.get(v);
  if (c === undefined) {
    if (scalarCache.size >= SCALAR_CACHE_SIZE) scalarCache.clear();
    c = scalarConcrete(v, "float64");
    scalarCache.set(v, c);
  }
  return c;
}

/**
 * `prepare` without its fast paths: every operand converted, promoted and broadcast (the reference
 * the fast paths must agree with; tests compare them).
 */
export function prepareGeneral(op: string, args: readonly ArrayLike[], floatOnly: boolean, names?: readonly string[]): NDArray[] {
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

/**
 * Throws a `TypeError` naming `op`, the argument, its dtype and shape when any of `xs` is complex:
 * for functions NumPy leaves undefined on complex numbers (`hypot`, `logaddexp`, `interp`'s x…),
 * which would otherwise order complex values or drop their imaginary parts.
 */
export function rejectComplex(op: string, xs: readonly NDArray[], names: readonly string[], why = "NumPy does not define it for complex numbers"): void {
  xs.forEach((x, i) => {
    if (isComplex(x.dtype)) {
      const shape = `(${x.shape.join(", ")}${x.shape.length === 1 ? "," : ""})`;
      throw new TypeError(`${op}: argument ${names[i] ?? `x${i + 1}`} has dtype ${x.dtype} (shape ${shape}); ${why}`);
    }
  });
}
