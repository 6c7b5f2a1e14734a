/**
 * @file Turning JS values into arrays, and the array-creation functions (`zeros`, `arange`,
 * `logspace`, `tri`, index helpers such as `triuIndices` and `indices`, `astype`, `copy`).
 */
import { ConcreteArray, NDArray, type ArrayLike, type Nested } from "../core/ndarray.ts";
import { allocate, type DType, type TypedArray } from "../core/dtype.ts";
import { convert } from "../primitives/structural.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
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
const arangeOpts = dtypeOnly("np.arange");
const linspaceOpts = P.options("np.linspace", { endpoint: P.bool });
const logspaceOpts = P.options("np.logspace", { endpoint: P.bool, base: P.num });
const geomspaceOpts = P.options("np.geomspace", { endpoint: P.bool });
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
      if (typeof v !== "number" && typeof v !== "boolean") {
        throw new TypeError(`${op}: ${arg}${path} is ${describeType(v)}; expected a number or boolean`);
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
  const walk = (v: Nested): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "boolean") sawBool = true;
    else sawNum = true;
  };
  walk(x);
  return sawBool && !sawNum ? "bool" : "float64";
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
 * become float64, booleans bool; `dtype` converts. `op`/`arg` name the caller in error messages.
 */
export function asarray(x: ArrayLike, dtype?: DType, op = "np.asarray", arg = "a"): NDArray {
  let out: NDArray;
  if (x instanceof NDArray) out = x;
  else if (typeof x === "number") out = new ConcreteArray(Float64Array.of(x), [], "float64");
  else if (typeof x === "boolean") out = new ConcreteArray(Uint8Array.of(x ? 1 : 0), [], "bool");
  else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const d = typedDtype(x, op, arg);
    const t = x as TypedArray;
    const data = allocate(d, t.length);
    data.set(t);
    out = new ConcreteArray(data, [t.length], d);
  } else if (Array.isArray(x)) {
    const shape = nestedShape(x, op, arg);
    const d = inferDtype(x);
    const flat = (x as unknown[]).flat(Infinity) as (number | boolean)[];
    const data = allocate(d, flat.length);
    for (let i = 0; i < flat.length; i++) data[i] = +flat[i]!;
    out = new ConcreteArray(data, shape, d);
  } else {
    throw new TypeError(
      `${op}: argument ${arg} must be an NDArray, number, boolean, nested array of numbers or typed array; got ${describeType(x)}` +
        (typeof x === "string" ? ` ("${x}")` : ""),
    );
  }
  return dtype !== undefined && out.dtype !== dtype ? convert(out, P.parseDtype(op, "dtype", dtype)) : out;
}

/** `np.array(values, {dtype})`: a new array from nested JS arrays, a typed array, a number or an array. */
export const array = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => asarray(x, arrayOpts(opts).dtype, "np.array", "object");

/**
 * Storage for `n` elements of `dtype`, for `op`; a `ShapeError` naming `op` and the size when the
 * engine cannot allocate it (the shape itself was already checked against `MAX_SIZE`).
 */
function allocateFor(op: string, dtype: DType, n: number, shape: readonly number[]): TypedArray {
  try {
    return allocate(dtype, n);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ShapeError(`${op}: cannot allocate an array of shape ${fmtShape(shape)} (${n} ${dtype} elements): ${e.message}`);
  }
}

/** The body of `full` and friends, with the caller's name for errors. */
function fullOf(op: string, shape: unknown, value: number | boolean, dtype: DType | undefined): NDArray {
  const s = P.parseShape(op, shape);
  // A 0-d array is read with `+value` below, as before (a traced one reports its own conversion error).
  if (typeof value !== "number" && typeof value !== "boolean" && !((value as unknown) instanceof NDArray)) {
    throw new TypeError(`${op}: fill_value must be a number or a boolean; got ${P.describe(value)}`);
  }
  const dt = dtype ?? (typeof value === "boolean" ? "bool" : "float64");
  const data = allocateFor(op, dt, s.reduce((a, b) => a * b, 1), s);
  if (+value !== 0) data.fill(+value);
  return new ConcreteArray(data, s, dt);
}

/** `np.full(shape, value, {dtype})`. */
export const full = (shape: number | readonly number[], value: number | boolean, opts: { dtype?: DType } = {}): NDArray =>
  fullOf("np.full", shape, value, fullOpts(opts).dtype);
export const zeros = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray =>
  fullOf("np.zeros", shape, 0, zerosOpts(opts).dtype);
export const ones = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray => fullOf("np.ones", shape, 1, onesOpts(opts).dtype);
export const zerosLike = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => {
  const { dtype } = zerosLikeOpts(opts);
  const a = asarray(x, undefined, "np.zerosLike");
  return full(a.shape, 0, { dtype: dtype ?? a.dtype });
};
export const onesLike = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => {
  const { dtype } = onesLikeOpts(opts);
  const a = asarray(x, undefined, "np.onesLike");
  return full(a.shape, 1, { dtype: dtype ?? a.dtype });
};
export const fullLike = (x: ArrayLike, value: number, opts: { dtype?: DType } = {}): NDArray => {
  const { dtype } = fullLikeOpts(opts);
  const a = asarray(x, undefined, "np.fullLike");
  return fullOf("np.fullLike", a.shape, value, dtype ?? a.dtype);
};
export const emptyLike = zerosLike;

/** An n × m matrix of zeros for `op`, its sizes checked. */
function zerosMatrix(op: string, n: unknown, m: unknown, dtype: DType): ConcreteArray {
  const rows = P.parseCount(op, "N", n);
  const cols = m === undefined || m === null ? rows : P.parseCount(op, "M", m);
  P.checkSize(op, rows * cols, `an array of shape ${fmtShape([rows, cols])}`);
  return fullOf(op, [rows, cols], 0, dtype) as ConcreteArray;
}

/**
 * `np.eye(n, m?, {k, dtype})`: ones on the k-th diagonal (`np.eye(n, {k})` also works).
 * @example
 * np.eye(2, { k: 1 }); // [[0, 1], [0, 0]]
 */
export function eye(n: number, m?: number | null | { k?: number; dtype?: DType }, opts: { k?: number; dtype?: DType } = {}): NDArray {
  // NumPy's `eye(3, k=1)`: the options may take M's place.
  if (typeof m === "object" && m !== null) [m, opts] = [undefined, m];
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
export const identity = (n: number, opts: { dtype?: DType } = {}): NDArray => {
  const { dtype } = identityOpts(opts);
  P.parseCount("np.identity", "n", n);
  return eye(n, n, { dtype });
};

/**
 * `np.arange(stop)`, `np.arange(start, stop, step?)`. Integer arguments give int32, as NumPy gives
 * integers; any fractional argument gives float64.
 */
export function arange(a: number, b?: number | null, stepArg = 1, opts: { dtype?: DType } = {}): NDArray {
  const o = arangeOpts(opts);
  const given = b === undefined || b === null ? [0, a, stepArg] : [a, b, stepArg];
  given.forEach((v, i) => {
    if (typeof v !== "number" && !isScalarArray(v)) {
      const name = ["start", "stop", "step"][i];
      throw new TypeError(`np.arange: ${name} must be a number; got ${P.describe(v)} (options go last: np.arange(start, stop, step, {dtype}))`);
    }
  });
  const [start, stop, step] = given.map(Number) as [number, number, number];
  if (step === 0 || Number.isNaN(step)) throw new RangeError(`np.arange: step must be a non-zero number, got ${step}`);
  // An infinite step gives the start alone when it lies before stop (as NumPy).
  const len = Number.isFinite(step) ? Math.max(0, Math.ceil((stop - start) / step)) : Number((stop - start) * step > 0);
  if (!Number.isFinite(len)) throw new ShapeError(`np.arange: cannot compute the length of arange(${start}, ${stop}, ${step})`);
  const n = P.checkSize("np.arange", len, `arange(${start}, ${stop}, ${step})`);
  const dtype = o.dtype ?? ([start, stop, step].every(Number.isInteger) ? "int32" : "float64");
  const data = allocateFor("np.arange", dtype, n, [n]);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  if (n === 1) data[0] = start; // 0 · ∞ would be NaN
  return new ConcreteArray(data, [n], dtype);
}

/** `np.linspace(start, stop, num = 50, {endpoint = true})`. */
export function linspace(start: number, stop: number, num = 50, opts: { endpoint?: boolean } = {}): NDArray {
  const endpoint = linspaceOpts(opts).endpoint ?? true;
  [start, stop] = numbers("np.linspace", start, stop);
  checkCount("np.linspace", num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const data = new Float64Array(num);
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (endpoint && num > 1) data[num - 1] = stop;
  return new ConcreteArray(data, [num], "float64");
}

const checkCount = (op: string, num: unknown): number => P.parseCount(op, "number of samples", num);

/** A 0-d array stands for a number where NumPy takes one (read with `+x`, as before these checks). */
const isScalarArray = (u: unknown): boolean => u instanceof NDArray && u.ndim === 0;

/** `start` and `stop` as JS numbers; a `TypeError` naming `op` for anything else. */
function numbers(op: string, start: unknown, stop: unknown): [number, number] {
  if (typeof start !== "number" && !isScalarArray(start)) throw new TypeError(`${op}: start must be a number; got ${P.describe(start)}`);
  if (typeof stop !== "number" && !isScalarArray(stop)) throw new TypeError(`${op}: stop must be a number; got ${P.describe(stop)}`);
  return [Number(start), Number(stop)];
}

/**
 * `np.logspace(start, stop, num = 50, {endpoint = true, base = 10})`: `base ** linspace(start, stop)`.
 * @example
 * np.logspace(0, 2, 3); // [1, 10, 100]
 */
export function logspace(start: number, stop: number, num = 50, opts: { endpoint?: boolean; base?: number } = {}): NDArray {
  opts = logspaceOpts(opts);
  [start, stop] = numbers("np.logspace", start, stop);
  checkCount("np.logspace", num);
  const y = linspace(start, stop, num, { endpoint: opts.endpoint ?? true }) as ConcreteArray;
  const base = opts.base ?? 10;
  return new ConcreteArray(y.data.map((v) => Math.pow(base, v)), [num], "float64");
}

/**
 * `np.geomspace(start, stop, num = 50, {endpoint = true})`: a geometric progression from `start`
 * to `stop` (both non-zero and of one sign); the ends are exact.
 * @example
 * np.geomspace(1, 1000, 4); // [1, 10, 100, 1000]
 */
export function geomspace(start: number, stop: number, num = 50, opts: { endpoint?: boolean } = {}): NDArray {
  opts = geomspaceOpts(opts);
  [start, stop] = numbers("np.geomspace", start, stop);
  checkCount("np.geomspace", num);
  if (start === 0 || stop === 0) throw new RangeError("np.geomspace: geometric sequence cannot include zero");
  if (start < 0 !== stop < 0) {
    throw new RangeError(`np.geomspace: start (${start}) and stop (${stop}) must have the same sign for a real geometric sequence`);
  }
  const endpoint = opts.endpoint ?? true;
  const sign = start < 0 ? -1 : 1;
  const out = logspace(Math.log10(sign * start), Math.log10(sign * stop), num, { endpoint }) as ConcreteArray;
  const data = out.data as Float64Array;
  if (num > 0) data[0] = sign * start;
  if (num > 1 && endpoint) data[num - 1] = sign * stop;
  if (sign < 0) for (let i = 0; i < num; i++) data[i] = -data[i]!;
  return out;
}

/**
 * `np.tri(n, m = n, {k = 0, dtype = "float64"})`: ones at and below the k-th diagonal.
 * @example
 * np.tri(3, 3, { k: -1 }); // [[0,0,0],[1,0,0],[1,1,0]]
 */
export function tri(n: number, m?: number | null, opts: { k?: number; dtype?: DType } = {}): NDArray {
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
  P.parseInt("np.triuIndices", "k", k);
  return indexPairs("np.triuIndices", n, m, (i, j) => j - i >= k);
};

/**
 * `np.trilIndices(n, k = 0, m = n)`: `[rows, cols]` of the lower triangle.
 * @example
 * np.trilIndices(2)[0]; // [0, 1, 1]
 */
export const trilIndices = (n: number, k = 0, m = n): [NDArray, NDArray] => {
  P.parseInt("np.trilIndices", "k", k);
  return indexPairs("np.trilIndices", n, m, (i, j) => j - i <= k);
};

/** `np.triuIndicesFrom(a, k = 0)`, `np.trilIndicesFrom(a, k = 0)`: for the shape of a 2-D array. */
export const triuIndicesFrom = (a: ArrayLike, k = 0): [NDArray, NDArray] => {
  const [n, m] = shape2d("np.triuIndicesFrom", a);
  return triuIndices(n, k, m);
};
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

/** `np.empty(shape, {dtype})`: arrays are immutable, so this is `zeros`. */
export const empty = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray =>
  fullOf("np.empty", shape, 0, emptyOpts(opts).dtype);

