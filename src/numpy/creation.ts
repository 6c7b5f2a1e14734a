/**
 * @file Turning JS values into arrays, and the array-creation functions (`zeros`, `full`,
 * `eye`, `tri`, index helpers such as `triuIndices` and `indices`, `astype`, `copy`).
 */
import { ConcreteArray, NDArray, isComplexLeaf, scalarConcrete, type ArrayLike, type Complex, type Nested, type NestedLike } from "../core/ndarray.ts";
import { allocate, allocateFor, fillReal, isComplex, promote, promoteWeak, type DType, type TypedArray } from "../core/dtype.ts";
import { broadcastTo, concatenate, convert, reshape, slice } from "../primitives/structural.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const dtypeOnly = (fn: string) => P.options(fn, { dtype: P.dtype });
const arrayOpts = dtypeOnly("np.array");
const fullOpts = dtypeOnly("np.full");
const zerosOpts = dtypeOnly("np.zeros");
const onesOpts = dtypeOnly("np.ones");
const emptyOpts = dtypeOnly("np.empty");
const zerosLikeOpts = dtypeOnly("np.zerosLike");
const onesLikeOpts = dtypeOnly("np.onesLike");
const fullLikeOpts = dtypeOnly("np.fullLike");
const eyeOpts = P.options("np.eye", { k: P.int, dtype: P.dtype });
const identityOpts = dtypeOnly("np.identity");
const triOpts = P.options("np.tri", { k: P.int, dtype: P.dtype });
const indicesOpts = P.options("np.indices", { dtype: P.dtype, sparse: P.bool });


const describeType = (x: unknown): string =>
  x === null ? "null" : x === undefined ? "undefined" : Array.isArray(x) ? "array" : typeof x === "object" ? (x as object).constructor?.name ?? "object" : typeof x;

function nestedShape(x: readonly Nested[], op: string, arg: string): number[] {
  const shape: number[] = [];
  let cur: Nested = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  // Validate every element against the shape (ragged or non-numeric input is an error).
  const check = (v: Nested, d: number, path: string): void => {
    if (d === shape.length) {
      if (typeof v !== "number" && typeof v !== "boolean" && !isComplexLeaf(v)) {
        throw new TypeError(`${op}: ${arg}${path} is ${describeType(v)}; expected a number, boolean or { re, im } complex number`);
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) {
      throw new TypeError(
        `${op}: ${arg} is a ragged nested array: ${arg}${path} has ${Array.isArray(v) ? `length ${v.length}` : describeType(v)}, ` +
          `expected length ${shape[d]} (shape ${fmtShape(shape)} from the first elements)`,
      );
    }
    for (let i = 0; i < v.length; i++) check(v[i]!, d + 1, `${path}[${i}]`);
  };
  check(x, 0, "");
  return shape;
}

function inferDtype(x: readonly Nested[]): DType {
  let sawBool = false;
  let sawNum = false;
  let sawComplex = false;
  const walk = (v: Nested): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "boolean") sawBool = true;
    else if (typeof v === "number") sawNum = true;
    else sawComplex = true;
  };
  walk(x);
  return sawComplex ? "complex128" : sawBool && !sawNum ? "bool" : "float64";
}

/** Whether a nested JS array holds an `NDArray` anywhere (then `np.array` stacks, as NumPy and JAX do). */
const holdsArrays = (x: readonly unknown[]): boolean => x.some((v) => v instanceof NDArray || (Array.isArray(v) && holdsArrays(v)));

/**
 * Stacks a nested JS array whose entries are arrays (traced or not) and numbers, with primitives so
 * derivatives and batch axes flow through: `[a, b]` of shape-(3,) arrays gives shape (2, 3). Arrays
 * promote their dtypes; JS numbers are weak, as in JAX.
 */
function stackNested(x: readonly NestedLike[], op: string, arg: string): NDArray {
  let dtype: DType | null = null;
  const numbers: (number | boolean)[] = [];
  const scan = (v: NestedLike, path: string): void => {
    if (v instanceof NDArray) dtype = dtype === null ? v.dtype : promote(dtype, v.dtype);
    else if (Array.isArray(v)) (v as readonly NestedLike[]).forEach((e, i) => scan(e, `${path}[${i}]`));
    else if (typeof v === "number" || typeof v === "boolean") numbers.push(v);
    else if (isComplexLeaf(v)) dtype = dtype === null ? "complex128" : promote(dtype, "complex64");
    else throw new TypeError(`${op}: ${arg}${path} is ${describeType(v)}; expected a number, boolean or array`);
  };
  scan(x, "");
  let dt: DType = dtype!;
  for (const v of numbers) dt = promoteWeak(dt, v);
  const build = (v: NestedLike, path: string): NDArray => {
    if (!Array.isArray(v)) return convert(asarray(v as number | boolean | Complex | NDArray), dt);
    const parts = (v as readonly NestedLike[]).map((e, i) => build(e, `${path}[${i}]`));
    if (parts.length === 0) return new ConcreteArray(allocate(dt, 0), [0], dt);
    const shape = parts[0]!.shape;
    parts.forEach((p, i) => {
      if (p.shape.length !== shape.length || p.shape.some((d, j) => d !== shape[j])) {
        throw new TypeError(
          `${op}: ${arg} is ragged: ${arg}${path}[${i}] has shape ${fmtShape(p.shape)} but ${arg}${path}[0] has shape ${fmtShape(shape)}; ` +
            "stacked entries must all have one shape",
        );
      }
    });
    return concatenate(parts.map((p) => reshape(p, [1, ...shape])), 0);
  };
  return build(x, "");
}

/**
 * The dtype a typed array is read as: its own for `Float64Array`, `Float32Array`, `Int32Array`, and
 * bool for `Uint8Array` (the storage of bool arrays), which must then hold only 0 and 1. Other typed
 * arrays (`BigInt64Array`, `Int16Array`, …) have no dtype here: a `TypeError` rather than a silent cast.
 */
function typedDtype(x: ArrayBufferView, op: string, arg: string): DType {
  if (x instanceof Float64Array) return "float64";
  if (x instanceof Float32Array) return "float32";
  if (x instanceof Int32Array) return "int32";
  if (x instanceof Uint8Array && x.constructor === Uint8Array) {
    const bad = x.findIndex((v) => v > 1);
    if (bad >= 0) {
      throw new TypeError(
        `${op}: ${arg} is a Uint8Array, read as bool, so it must hold only 0 and 1; ${arg}[${bad}] is ${x[bad]} (convert it first, e.g. Int32Array.from(${arg}))`,
      );
    }
    return "bool";
  }
  throw new TypeError(
    `${op}: ${arg} is a ${x.constructor.name}, which has no dtype here; give a Float64Array, Float32Array, Int32Array or Uint8Array (bool)`,
  );
}

/**
 * Converts anything array-like into an `NDArray` (tracers and arrays pass through). JS numbers
 * become float64, booleans bool; nested JS arrays holding arrays (traced or not) stack them;
 * `dtype` converts. `op`/`arg` name the caller in error messages.
  * @example
  * np.asarray([[1, 2]], "int32").dtype === "int32"; // true
  * np.asarray([1.5, 2]); // [1.5, 2]
 */
export function asarray(x: ArrayLike, dtype?: DType, op = "np.asarray", arg = "a"): NDArray {
  let out: NDArray;
  if (x instanceof NDArray) out = x;
  else if (typeof x === "number") out = scalarConcrete(x, "float64");
  else if (isComplexLeaf(x)) out = new ConcreteArray(Float64Array.of(x.re, x.im), [], "complex128");
  else if (typeof x === "boolean") out = scalarConcrete(x ? 1 : 0, "bool");
  else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const d = typedDtype(x, op, arg);
    const t = x as TypedArray;
    const data = allocate(d, t.length);
    data.set(t);
    out = new ConcreteArray(data, [t.length], d);
  } else if (Array.isArray(x) && holdsArrays(x)) {
    out = stackNested(x as readonly NestedLike[], op, arg);
  } else if (Array.isArray(x)) {
    const shape = nestedShape(x as readonly Nested[], op, arg);
    const d = inferDtype(x as readonly Nested[]);
    const flat = (x as unknown[]).flat(Infinity) as (number | boolean | Complex)[];
    const data = allocate(d, flat.length);
    if (d === "complex128") {
      for (let i = 0; i < flat.length; i++) {
        const v = flat[i]!;
        if (typeof v === "object") {
          data[2 * i] = v.re;
          data[2 * i + 1] = v.im;
        } else data[2 * i] = +v;
      }
    } else for (let i = 0; i < flat.length; i++) data[i] = +(flat[i] as number | boolean);
    out = new ConcreteArray(data, shape, d);
  } else {
    throw new TypeError(
      `${op}: argument ${arg} must be an NDArray, number, boolean, { re, im } complex number, nested array of numbers or typed array; got ${describeType(x)}` +
        (typeof x === "string" ? ` ("${x}")` : ""),
    );
  }
  if (dtype === undefined || out.dtype === dtype) return out;
  const target = P.parseDtype(op, "dtype", dtype);
  if (isComplex(out.dtype) && !isComplex(target)) warnComplexCast(op, out.dtype, target);
  return convert(out, target);
}

let warnedComplexCast = false;
/**
 * NumPy's ComplexWarning: casting complex values to a real dtype keeps the real part and says so.
 * Emitted once per process (Python shows a warning once per call site), as a Node warning.
 */
function warnComplexCast(op: string, from: DType, to: DType): void {
  if (warnedComplexCast) return;
  warnedComplexCast = true;
  const emit = (globalThis as { process?: { emitWarning?: (msg: string, type: string) => void } }).process?.emitWarning;
  const msg = `${op}: casting ${from} to ${to} discards the imaginary part (take np.real(x) to do it explicitly, or np.abs(x) for the modulus)`;
  if (emit !== undefined) emit(msg, "ComplexWarning");
  else console.warn(`ComplexWarning: ${msg}`);
}

/**
 * `np.array(values, {dtype})`: a new array from nested JS arrays, a typed array, a number or an
 * array. Nested arrays may hold arrays (traced or not), which are stacked, differentiably.
 * @example
 * np.array([[1, 2], [3, 4]]).shape; // [2, 2]
 * np.array([np.ones([3]), np.zeros([3])]).shape; // [2, 3]
 */
export const array = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => asarray(x, arrayOpts(opts).dtype, "np.array", "object");

function checkShape(shape: number | readonly number[], op: string): number[] {
  requireStatic(op, "shape", shape, "a shape");
  return P.parseShape(op, shape);
}

/**
 * `np.full(shape, value, {dtype})`. An array `value` (traced or not) is broadcast to `shape`, as in
 * NumPy and JAX, so a traced fill value keeps its derivative.
 * @example
 * np.full([2], 7); // [7, 7]
 * grad((g: NDArray) => np.sum(np.full([3], g)))(2); // 3
 */
export function full(shape: number | readonly number[], value: ArrayLike, opts: { dtype?: DType } = {}): NDArray {
  opts = fullOpts(opts);
  const s = checkShape(shape, "np.full");
  if (typeof value !== "number" && typeof value !== "boolean") return fullOf(s, asarray(value, undefined, "np.full", "fill_value"), opts.dtype);
  const dtype = opts.dtype ?? (typeof value === "boolean" ? "bool" : "float64");
  const data = allocateFor("np.full", dtype, s.reduce((a, b) => a * b, 1), s);
  if (+value !== 0) fillReal(data, dtype, +value);
  return new ConcreteArray(data, s, dtype);
}
/** `value` broadcast to `shape` (NumPy's rule), in `dtype` (default: its own). */
function fullOf(shape: readonly number[], value: NDArray, dtype: DType | undefined): NDArray {
  const fits = value.ndim <= shape.length && value.shape.every((d, i) => d === 1 || d === shape[shape.length - value.ndim + i]);
  if (!fits) throw new ShapeError(`np.full: fill_value of shape ${fmtShape(value.shape)} does not broadcast to shape ${fmtShape(shape)}`);
  return broadcastTo(convert(value, dtype ?? value.dtype), shape);
}

/**
 * `np.zeros(shape, {dtype})`: an array of zeros of the given shape, float64 by default.
 * @example
 * np.zeros([2, 2]); // [[0, 0], [0, 0]]
 */
export const zeros = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray =>
  full(checkShape(shape, "np.zeros"), 0, zerosOpts(opts));
/**
 * `np.ones(shape, {dtype})`: an array of ones of the given shape, float64 by default.
 * @example
 * np.ones(3); // [1, 1, 1]
 */
export const ones = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray =>
  full(checkShape(shape, "np.ones"), 1, onesOpts(opts));
/**
 * `np.zeros_like(x, {dtype})`: zeros with the shape and (by default) the dtype of `x`.
 * @example
 * np.zerosLike([[1, 2, 3]]); // [[0, 0, 0]]
 */
export const zerosLike = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => {
  const { dtype } = zerosLikeOpts(opts);
  const a = asarray(x, undefined, "np.zerosLike");
  return full(a.shape, 0, { dtype: dtype ?? a.dtype });
};
/**
 * `np.ones_like(x, {dtype})`: ones with the shape and (by default) the dtype of `x`.
 * @example
 * np.onesLike([[1, 2], [3, 4]]); // [[1, 1], [1, 1]]
 */
export const onesLike = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => {
  const { dtype } = onesLikeOpts(opts);
  const a = asarray(x, undefined, "np.onesLike");
  return full(a.shape, 1, { dtype: dtype ?? a.dtype });
};
/**
 * `np.full_like(x, value, {dtype})`: `value` broadcast to the shape of `x`, in the dtype of `x` by default.
 * @example
 * np.fullLike([1, 2, 3], 7); // [7, 7, 7]
 */
export const fullLike = (x: ArrayLike, value: ArrayLike, opts: { dtype?: DType } = {}): NDArray => {
  const { dtype } = fullLikeOpts(opts);
  const a = asarray(x, undefined, "np.fullLike");
  return full(a.shape, value, { dtype: dtype ?? a.dtype });
};
/**
 * `np.empty_like(x, {dtype})`: an array of the shape and dtype of `x`; unlike NumPy (uninitialised memory) it is filled with zeros.
 * @example
 * np.emptyLike([1, 2]); // [0, 0]
 */
export const emptyLike = zerosLike;

/** An n × m matrix of zeros for `op`, its sizes checked. */
function zerosMatrix(op: string, n: unknown, m: unknown, dtype: DType): ConcreteArray {
  const rows = P.parseCount(op, "N", n);
  const cols = m === undefined || m === null ? rows : P.parseCount(op, "M", m);
  P.checkSize(op, rows * cols, `an array of shape ${fmtShape([rows, cols])}`);
  return full([rows, cols], 0, { dtype }) as ConcreteArray;
}

/**
 * `np.eye(n, m?, {k, dtype})`: ones on the k-th diagonal (`np.eye(n, {k})` also works).
 * @example
 * np.eye(2, { k: 1 }); // [[0, 1], [0, 0]]
 */
export function eye(n: number, m?: number | null | { k?: number; dtype?: DType }, opts: { k?: number; dtype?: DType } = {}): NDArray {
  // NumPy's `eye(3, k=1)`: the options may take M's place.
  if (typeof m === "object" && m !== null) [m, opts] = [undefined, m];
  requireStatic("np.eye", "N", n, "a size");
  requireStatic("np.eye", "M", m, "a size");
  requireStatic("np.eye", "k", opts.k, "an offset");
  const o = eyeOpts(opts);
  const out = zerosMatrix("np.eye", n, m, o.dtype ?? "float64");
  const cols = out.shape[1]!;
  const k = o.k ?? 0;
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < cols) out.data[i * cols + j] = 1;
  }
  return out;
}
/**
 * `np.identity(n, {dtype})`: the n × n identity matrix, float64 by default.
 * @example
 * np.identity(2); // [[1, 0], [0, 1]]
 */
export const identity = (n: number, opts: { dtype?: DType } = {}): NDArray => {
  requireStatic("np.identity", "n", n, "a size");
  const { dtype } = identityOpts(opts);
  P.parseCount("np.identity", "n", n);
  return eye(n, n, { dtype });
};

/**
 * `np.tri(n, m = n, {k = 0, dtype = "float64"})`: ones at and below the k-th diagonal.
 * @example
 * np.tri(3, 3, { k: -1 }); // [[0,0,0],[1,0,0],[1,1,0]]
 */
export function tri(n: number, m?: number | null, opts: { k?: number; dtype?: DType } = {}): NDArray {
  requireStatic("np.tri", "N", n, "a size");
  requireStatic("np.tri", "M", m, "a size");
  requireStatic("np.tri", "k", opts.k, "an offset");
  const o = triOpts(opts);
  const out = zerosMatrix("np.tri", n, m, o.dtype ?? "float64");
  const cols = out.shape[1]!;
  const kk = o.k ?? 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= Math.min(cols - 1, i + kk); j++) out.data[i * cols + j] = 1;
  return out;
}

/** The index pairs (row-major) of an n × m grid where `keep(i, j)`. */
function indexPairs(op: string, n: number, m: number, keepIt: (i: number, j: number) => boolean): [NDArray, NDArray] {
  P.parseCount(op, "n", n);
  P.parseCount(op, "m", m);
  P.checkSize(op, n * m, `a ${n} × ${m} grid`);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (keepIt(i, j)) {
        rows.push(i);
        cols.push(j);
      }
    }
  }
  const arr = (v: number[]) => new ConcreteArray(Int32Array.from(v), [v.length], "int32");
  return [arr(rows), arr(cols)];
}

/**
 * `np.triuIndices(n, k = 0, m = n)`: `[rows, cols]` of the upper triangle (from the k-th diagonal).
 * @example
 * const [rows, cols] = np.triuIndices(3, 1);
 * rows; // [0, 0, 1]
 * cols; // [1, 2, 2]
 */
export const triuIndices = (n: number, k = 0, m = n): [NDArray, NDArray] => {
  requireStatic("np.triuIndices", "n", n, "a size");
  requireStatic("np.triuIndices", "k", k, "an offset");
  requireStatic("np.triuIndices", "m", m, "a size");
  P.parseInt("np.triuIndices", "k", k);
  return indexPairs("np.triuIndices", n, m, (i, j) => j - i >= k);
};

/**
 * `np.trilIndices(n, k = 0, m = n)`: `[rows, cols]` of the lower triangle.
 * @example
 * np.trilIndices(2)[0]; // [0, 1, 1]
 */
export const trilIndices = (n: number, k = 0, m = n): [NDArray, NDArray] => {
  requireStatic("np.trilIndices", "n", n, "a size");
  requireStatic("np.trilIndices", "k", k, "an offset");
  requireStatic("np.trilIndices", "m", m, "a size");
  P.parseInt("np.trilIndices", "k", k);
  return indexPairs("np.trilIndices", n, m, (i, j) => j - i <= k);
};

/**
 * `np.triu_indices_from(a, k = 0)`: `[rows, cols]` of the upper triangle (on and above the k-th
 * diagonal) of the 2-D array `a`.
 * @example
 * np.triuIndicesFrom(np.ones([2, 2]))[0]; // [0, 0, 1]
 */
export const triuIndicesFrom = (a: ArrayLike, k = 0): [NDArray, NDArray] => {
  const [n, m] = shape2d("np.triuIndicesFrom", a);
  return triuIndices(n, k, m);
};
/**
 * `np.tril_indices_from(a, k = 0)`: `[rows, cols]` of the lower triangle (on and below the k-th diagonal) of the 2-D array `a`.
 * @example
 * np.trilIndicesFrom(np.ones([2, 2]))[1]; // [0, 0, 1]
 */
export const trilIndicesFrom = (a: ArrayLike, k = 0): [NDArray, NDArray] => {
  const [n, m] = shape2d("np.trilIndicesFrom", a);
  return trilIndices(n, k, m);
};

function shape2d(op: string, a: ArrayLike): [number, number] {
  const x = asarray(a, undefined, op, "arr");
  if (x.ndim !== 2) throw new ShapeError(`${op}: input array must be 2-d, got shape (${x.shape.join(", ")})`);
  return [x.shape[0]!, x.shape[1]!];
}

/**
 * `np.diagIndices(n, ndim = 2)`: `ndim` copies of `arange(n)`, indexing the main diagonal.
 * @example
 * np.diagIndices(2)[1]; // [0, 1]
 */
export function diagIndices(n: number, ndim = 2): NDArray[] {
  requireStatic("np.diagIndices", "n", n, "a size");
  requireStatic("np.diagIndices", "ndim", ndim, "a count");
  P.parseCount("np.diagIndices", "n", n);
  P.parseCount("np.diagIndices", "ndim", ndim);
  const idx = new ConcreteArray(Int32Array.from({ length: n }, (_, i) => i), [n], "int32");
  return Array.from({ length: ndim }, () => idx);
}

/**
 * `np.indices(dimensions, {dtype = "int32", sparse = false})`: an array of shape
 * `[dimensions.length, ...dimensions]` whose i-th slice holds the i-th coordinate of each point
 * (with `sparse`, a list of arrays of shape 1 except along their own axis).
 * @example
 * np.indices([2, 2]); // [[[0, 0], [1, 1]], [[0, 1], [0, 1]]]
 */
export function indices(dimensions: readonly number[], opts: { dtype?: DType; sparse: true }): NDArray[];
export function indices(dimensions: readonly number[], opts?: { dtype?: DType; sparse?: false }): NDArray;
export function indices(dimensions: readonly number[], opts: { dtype?: DType; sparse?: boolean } = {}): NDArray | NDArray[] {
  requireStatic("np.indices", "dimensions", dimensions, "a shape");
  opts = indicesOpts(opts);
  const dtype = opts.dtype ?? "int32";
  P.parseShape("np.indices", dimensions, "dimensions");
  const nd = dimensions.length;
  P.checkSize("np.indices", nd * dimensions.reduce((p, d) => p * d, 1), `an index grid of shape ${fmtShape([nd, ...dimensions])}`);
  if (opts.sparse) {
    return dimensions.map((d, i) => {
      const data = allocate(dtype, d);
      for (let j = 0; j < d; j++) data[j] = j;
      return new ConcreteArray(data, dimensions.map((_, a) => (a === i ? d : 1)), dtype);
    });
  }
  const size = dimensions.reduce((p, d) => p * d, 1);
  const data = allocate(dtype, nd * size);
  for (let i = 0; i < nd; i++) {
    let inner = 1;
    for (let a = i + 1; a < nd; a++) inner *= dimensions[a]!;
    const d = dimensions[i]!;
    for (let p = 0; p < size; p++) data[i * size + p] = Math.floor(p / inner) % d;
  }
  return new ConcreteArray(data, [nd, ...dimensions], dtype);
}

/**
 * `np.astype(x, dtype)`: `x` converted to `dtype` (differentiable between float dtypes).
 * @example
 * np.astype([1.7, -1.7], "int32"); // [1, -1]
 */
export const astype = (x: ArrayLike, dtype: DType): NDArray => asarray(x, P.parseDtype("np.astype", "dtype", dtype), "np.astype", "x");

/**
 * `np.copy(x)`: a new array with the same values. Arrays are immutable, so a traced value is
 * returned as is; a concrete one gets fresh storage.
 * @example
 * np.copy([1, 2]); // [1, 2]
 */
export function copy(x: ArrayLike): NDArray {
  const a = asarray(x, undefined, "np.copy", "a");
  return a instanceof ConcreteArray ? new ConcreteArray(a.data.slice(), a.shape, a.dtype) : a;
}

/**
 * `np.empty(shape, {dtype})`: arrays are immutable, so this is `zeros`.
 * @example
 * np.empty([1, 2]); // [[0, 0]]
 */
export const empty = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray =>
  full(checkShape(shape, "np.empty"), 0, emptyOpts(opts));

