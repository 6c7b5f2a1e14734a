/**
 * @file More creation and introspection functions: `logspace`, `geomspace`, `tri`, index helpers
 * (`triuIndices`, `indices`, …), `astype`, `copy`, and the comparisons `isclose`, `allclose`,
 * `arrayEqual`.
 */
import { ConcreteArray, type NDArray, type ArrayLike } from "./ndarray.ts";
import { asarray, full, linspace } from "./creation.ts";
import { broadcastShapes, prepare } from "./broadcast.ts";
import { allocate, type DType } from "./dtype.ts";
import { all } from "./reductions2.ts";
import * as u from "../primitives/unary.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";
import { ShapeError } from "../errors.ts";

const k = b.fullLike;

function checkCount(op: string, num: number): void {
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`${op}: number of samples, ${num}, must be a non-negative integer`);
}

/**
 * `np.logspace(start, stop, num = 50, {endpoint = true, base = 10})`: `base ** linspace(start, stop)`.
 * @example
 * np.logspace(0, 2, 3); // [1, 10, 100]
 */
export function logspace(start: number, stop: number, num = 50, opts: { endpoint?: boolean; base?: number } = {}): NDArray {
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
export function tri(n: number, m?: number, opts: { k?: number; dtype?: DType } = {}): NDArray {
  const cols = m ?? n;
  const kk = opts.k ?? 0;
  const out = full([n, cols], 0, { dtype: opts.dtype ?? "float64" }) as ConcreteArray;
  for (let i = 0; i < n; i++) for (let j = 0; j <= Math.min(cols - 1, i + kk); j++) out.data[i * cols + j] = 1;
  return out;
}

/** The index pairs (row-major) of an n × m grid where `keep(i, j)`. */
function indexPairs(n: number, m: number, keepIt: (i: number, j: number) => boolean): [NDArray, NDArray] {
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
export const triuIndices = (n: number, k = 0, m = n): [NDArray, NDArray] => indexPairs(n, m, (i, j) => j - i >= k);

/**
 * `np.trilIndices(n, k = 0, m = n)`: `[rows, cols]` of the lower triangle.
 * @example
 * np.trilIndices(2)[0]; // [0, 1, 1]
 */
export const trilIndices = (n: number, k = 0, m = n): [NDArray, NDArray] => indexPairs(n, m, (i, j) => j - i <= k);

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
  const dtype = opts.dtype ?? "int32";
  const nd = dimensions.length;
  for (const d of dimensions) {
    if (!Number.isInteger(d) || d < 0) throw new TypeError(`np.indices: dimensions ${JSON.stringify(dimensions)} must be non-negative integers`);
  }
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
export const astype = (x: ArrayLike, dtype: DType): NDArray => asarray(x, dtype, "np.astype", "x");

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
export const empty = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray => full(shape, 0, opts);

interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

/**
 * `np.isclose(a, b, {rtol = 1e-5, atol = 1e-8, equalNan = false})`: elementwise
 * |a − b| ≤ atol + rtol·|b| (equal infinities are close; NaN only with `equalNan`).
 * @example
 * np.isclose([1, 1], [1 + 1e-10, 1.1]); // [true, false]
 */
export function isclose(a: ArrayLike, bb: ArrayLike, opts: CloseOptions = {}): NDArray {
  const [x, y] = prepare("np.isclose", [a, bb], true, ["a", "b"]);
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-8;
  const tol = b.add(k(y!, atol), b.mul(k(y!, rtol), u.abs(y!)));
  const finite = c.and(c.isfinite(x!), c.isfinite(y!));
  let close = c.or(c.eq(x!, y!), c.and(finite, c.le(u.abs(b.sub(x!, y!)), tol)));
  if (opts.equalNan) close = c.or(close, c.and(c.isnan(x!), c.isnan(y!)));
  return close;
}

/**
 * `np.allclose(a, b, {rtol, atol, equalNan})`: whether every pair is `isclose`, as a JS boolean
 * (so `if (np.allclose(a, b))` works; an `NDArray` object would always be truthy).
 * @example
 * np.allclose([1, 2], [1, 2 + 1e-9]); // true
 */
export const allclose = (a: ArrayLike, bb: ArrayLike, opts: CloseOptions = {}): boolean => all(isclose(a, bb, opts)).item() !== 0;

/**
 * `np.arrayEqual(a1, a2, {equalNan = false})`: same shape and equal elements, as a JS boolean.
 * @example
 * np.arrayEqual([1, 2], [1, 2]); // true
 */
export function arrayEqual(a1: ArrayLike, a2: ArrayLike, opts: { equalNan?: boolean } = {}): boolean {
  const x = asarray(a1, undefined, "np.arrayEqual", "a1");
  const y = asarray(a2, undefined, "np.arrayEqual", "a2");
  if (x.ndim !== y.ndim || x.shape.some((d, i) => d !== y.shape[i])) return false;
  return equalAll("np.arrayEqual", x, y, opts.equalNan ?? false);
}

/**
 * `np.arrayEquiv(a1, a2)`: broadcastable shapes and equal elements, as a JS boolean.
 * @example
 * np.arrayEquiv([1, 1], 1); // true
 */
export function arrayEquiv(a1: ArrayLike, a2: ArrayLike): boolean {
  const x = asarray(a1, undefined, "np.arrayEquiv", "a1");
  const y = asarray(a2, undefined, "np.arrayEquiv", "a2");
  try {
    broadcastShapes("np.arrayEquiv", x.shape, y.shape);
  } catch {
    return false;
  }
  return equalAll("np.arrayEquiv", x, y, false);
}

function equalAll(op: string, x: NDArray, y: NDArray, equalNan: boolean): boolean {
  const [p, q] = prepare(op, [x, y], false, ["a1", "a2"]);
  let eq = c.eq(p!, q!);
  if (equalNan) eq = c.or(eq, c.and(c.isnan(p!), c.isnan(q!)));
  return all(eq).item() !== 0;
}
