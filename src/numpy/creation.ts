/** @file Turning JS values into arrays, and the array-creation functions (`zeros`, `arange`, …). */
import { ConcreteArray, NDArray, type ArrayLike, type Nested } from "./ndarray.ts";
import { allocate, type DType, type TypedArray } from "./dtype.ts";
import { convert } from "../primitives/structural.ts";
import { fmtShape } from "../errors.ts";

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

const typedDtype = (x: TypedArray): DType =>
  x instanceof Float64Array ? "float64" : x instanceof Float32Array ? "float32" : x instanceof Int32Array ? "int32" : "bool";

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
    const t = x as TypedArray;
    const d = typedDtype(t);
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
  return dtype !== undefined && out.dtype !== dtype ? convert(out, dtype) : out;
}

/** `np.array(values, {dtype})`: a new array from nested JS arrays, a typed array, a number or an array. */
export const array = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => asarray(x, opts.dtype, "np.array", "object");

function checkShape(shape: number | readonly number[], op: string): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0) throw new TypeError(`${op}: shape ${JSON.stringify(shape)} must hold non-negative integers`);
  }
  return s;
}

/** `np.full(shape, value, {dtype})`. */
export function full(shape: number | readonly number[], value: number | boolean, opts: { dtype?: DType } = {}): NDArray {
  const s = checkShape(shape, "np.full");
  const dtype = opts.dtype ?? (typeof value === "boolean" ? "bool" : "float64");
  const data = allocate(dtype, s.reduce((a, b) => a * b, 1));
  if (+value !== 0) data.fill(+value);
  return new ConcreteArray(data, s, dtype);
}
export const zeros = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray => full(shape, 0, opts);
export const ones = (shape: number | readonly number[], opts: { dtype?: DType } = {}): NDArray => full(shape, 1, opts);
export const zerosLike = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => {
  const a = asarray(x, undefined, "np.zerosLike");
  return full(a.shape, 0, { dtype: opts.dtype ?? a.dtype });
};
export const onesLike = (x: ArrayLike, opts: { dtype?: DType } = {}): NDArray => {
  const a = asarray(x, undefined, "np.onesLike");
  return full(a.shape, 1, { dtype: opts.dtype ?? a.dtype });
};
export const fullLike = (x: ArrayLike, value: number, opts: { dtype?: DType } = {}): NDArray => {
  const a = asarray(x, undefined, "np.fullLike");
  return full(a.shape, value, { dtype: opts.dtype ?? a.dtype });
};
export const emptyLike = zerosLike;

/** `np.eye(n, m?, {k, dtype})`: ones on the k-th diagonal. */
export function eye(n: number, m?: number, opts: { k?: number; dtype?: DType } = {}): NDArray {
  const cols = m ?? n;
  const k = opts.k ?? 0;
  const out = full([n, cols], 0, { dtype: opts.dtype ?? "float64" }) as ConcreteArray;
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < cols) out.data[i * cols + j] = 1;
  }
  return out;
}
export const identity = (n: number, opts: { dtype?: DType } = {}): NDArray => eye(n, n, opts);

/**
 * `np.arange(stop)`, `np.arange(start, stop, step?)`. Integer arguments give int32, as NumPy gives
 * integers; any fractional argument gives float64.
 */
export function arange(a: number, b?: number, step = 1, opts: { dtype?: DType } = {}): NDArray {
  const [start, stop] = b === undefined ? [0, a] : [a, b];
  if (step === 0) throw new RangeError("np.arange: step must not be zero");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = opts.dtype ?? ([start, stop, step].every(Number.isInteger) ? "int32" : "float64");
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new ConcreteArray(data, [n], dtype);
}

/** `np.linspace(start, stop, num = 50, {endpoint = true})`. */
export function linspace(start: number, stop: number, num = 50, opts: { endpoint?: boolean } = {}): NDArray {
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const data = new Float64Array(num);
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (endpoint && num > 1) data[num - 1] = stop;
  return new ConcreteArray(data, [num], "float64");
}
