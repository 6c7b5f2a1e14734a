/**
 * @file Evenly spaced values: `arange`, `linspace` (also between arrays of endpoints), `logspace`
 * and `geomspace` (real and complex), as NumPy computes them.
 */
import { ConcreteArray, NDArray, isComplexLeaf, type ArrayLike, type Complex } from "../core/ndarray.ts";
import { allocateFor, isComplex, promote, type DType } from "../core/dtype.ts";
import { broadcastTo, concatenate, convert, reshape, slice } from "../primitives/structural.ts";
import { add, div, mul, pow, sub } from "../primitives/binary.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";
import { asarray } from "./creation.ts";

const arangeOpts = P.options("np.arange", { dtype: P.dtype });
const linspaceOpts = P.options("np.linspace", { endpoint: P.bool });
const logspaceOpts = P.options("np.logspace", { endpoint: P.bool, base: P.arrayLike });
const geomspaceOpts = P.options("np.geomspace", { endpoint: P.bool });

/**
 * `np.arange(stop)`, `np.arange(start, stop, step?)`. Integer arguments give int32, as NumPy gives
 * integers; any fractional argument gives float64.
  * @example
  * np.arange(3); // [0, 1, 2]
  * np.arange(1, 2, 0.25); // [1, 1.25, 1.5, 1.75]
 */
export function arange(a: number, b?: number | null, stepArg = 1, opts: { dtype?: DType } = {}): NDArray {
  requireStatic("np.arange", b === undefined ? "stop" : "start", a, "a size");
  requireStatic("np.arange", "stop", b, "a size");
  requireStatic("np.arange", "step", stepArg, "a size");
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

/**
 * `np.linspace(start, stop, num = 50, {endpoint = true})`. `start` and `stop` may be arrays
 * (traced or not): the result then has shape `[num, ...broadcast shape]` and is differentiable in
 * them, as in NumPy and JAX; `num` is a JS number. Complex ends (`{ re, im }` or complex arrays)
 * give a complex result, as NumPy.
 * @example
 * np.linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 * grad((b: NDArray) => np.sum(np.linspace(0, b, 3)))(2); // 1.5
 */
export function linspace(start: ArrayLike, stop: ArrayLike, num = 50, opts: { endpoint?: boolean } = {}): NDArray {
  requireStatic("np.linspace", "num", num, "a count");
  const endpoint = linspaceOpts(opts).endpoint ?? true;
  checkCount("np.linspace", num);
  if (typeof start !== "number" || typeof stop !== "number") return linspaceArrays("np.linspace", start, stop, num, endpoint);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const data = new Float64Array(num);
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (endpoint && num > 1) data[num - 1] = stop;
  return new ConcreteArray(data, [num], "float64");
}

/** The shape two shapes broadcast to (NumPy's rule), for `linspace` of arrays. */
function broadcast2(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new ShapeError(`${op}: start of shape ${fmtShape(a)} and stop of shape ${fmtShape(b)} do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** `linspace` of array ends, with primitives: `start + i·step` along a new first axis, the last row exactly `stop`. */
function linspaceArrays(op: string, start: ArrayLike, stop: ArrayLike, num: number, endpoint: boolean): NDArray {
  checkCount(op, num);
  const s0 = asarray(start, undefined, op, "start");
  const e0 = asarray(stop, undefined, op, "stop");
  // Real ends give float64; complex ones keep a complex dtype (NumPy's complex linspace).
  const both = promote(s0.dtype, e0.dtype);
  const dt: DType = isComplex(both) ? both : "float64";
  const a0 = convert(s0, dt);
  const b0 = convert(e0, dt);
  const shape = broadcast2(op, a0.shape, b0.shape);
  const outShape = [num, ...shape];
  const a = broadcastTo(a0, shape);
  const b = broadcastTo(b0, shape);
  const divisions = endpoint ? num - 1 : num;
  const iota = new Float64Array(num);
  for (let i = 0; i < num; i++) iota[i] = i;
  const rows = broadcastTo(convert(new ConcreteArray(iota, [num, ...shape.map(() => 1)], "float64"), dt), outShape);
  const step = divisions > 0 ? div(sub(b, a), broadcastTo(convert(asarray(divisions), dt), shape)) : broadcastTo(convert(asarray(0), dt), shape);
  const lift = (x: NDArray) => broadcastTo(reshape(x, [1, ...shape]), outShape);
  const y = add(lift(a), mul(rows, lift(step)));
  if (!endpoint || num < 2) return y;
  const head = slice(y, outShape.map(() => 0), outShape.map(() => 1), [num - 1, ...shape]);
  return concatenate([head, reshape(b, [1, ...shape])], 0);
}

const checkCount = (op: string, num: unknown): number => P.parseCount(op, "number of samples", num);

/** A 0-d array stands for a number where NumPy takes one (read with `+x`). */
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
export function logspace(start: ArrayLike, stop: ArrayLike, num = 50, opts: { endpoint?: boolean; base?: ArrayLike } = {}): NDArray {
  requireStatic("np.logspace", "num", num, "a count");
  opts = logspaceOpts(opts);
  checkCount("np.logspace", num);
  if (typeof start !== "number" || typeof stop !== "number" || (opts.base !== undefined && typeof opts.base !== "number")) {
    // base ** linspace(start, stop), differentiable in all three.
    const y = linspaceArrays("np.logspace", start, stop, num, opts.endpoint ?? true);
    const base = asarray(opts.base ?? 10, undefined, "np.logspace", "base");
    // Complex exponents or base give a complex result (NumPy's complex logspace).
    const dt: DType = isComplex(y.dtype) || isComplex(base.dtype) ? promote(y.dtype, base.dtype) : "float64";
    return pow(broadcastTo(convert(base, dt), y.shape), convert(y, dt));
  }
  const y = linspace(start, stop, num, { endpoint: opts.endpoint ?? true }) as ConcreteArray;
  const base = opts.base ?? 10;
  return new ConcreteArray(y.data.map((v) => Math.pow(base, v)), [num], "float64");
}

/**
 * `np.geomspace(start, stop, num = 50, {endpoint = true})`: a geometric progression from `start`
 * to `stop` (both non-zero; real ends of one sign, or complex `{re, im}` ends, whose progression
 * turns along the logarithmic spiral between them, as NumPy's); the ends are exact.
 * @example
 * np.geomspace(1, 1000, 4); // [1, 10, 100, 1000]
 */
export function geomspace(start: number | Complex, stop: number | Complex, num = 50, opts: { endpoint?: boolean } = {}): NDArray {
  requireStatic("np.geomspace", "start", start, "a number");
  requireStatic("np.geomspace", "stop", stop, "a number");
  requireStatic("np.geomspace", "num", num, "a count");
  if (isComplexLeaf(start) || isComplexLeaf(stop)) {
    opts = geomspaceOpts(opts);
    checkCount("np.geomspace", num);
    return complexGeomspace(toComplex(start), toComplex(stop), num, opts.endpoint ?? true);
  }
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

const toComplex = (z: number | Complex): Complex => (typeof z === "number" ? { re: z, im: 0 } : z);

/**
 * NumPy's complex `geomspace`: both ends divided by start's phase s = start/|start| (so the
 * progression starts on the positive real axis), `logspace` between their complex base-10
 * logarithms, multiplied back by s; the ends set exactly.
 */
function complexGeomspace(z0: Complex, z1: Complex, num: number, endpoint: boolean): NDArray {
  const r0 = Math.hypot(z0.re, z0.im);
  const r1 = Math.hypot(z1.re, z1.im);
  if (r0 === 0 || r1 === 0) throw new RangeError("np.geomspace: geometric sequence cannot include zero");
  const s = { re: z0.re / r0, im: z0.im / r0 };
  // w = z1 / s = z1 · conj(s) (|s| = 1)
  const w = { re: z1.re * s.re + z1.im * s.im, im: z1.im * s.re - z1.re * s.im };
  const lo = { re: Math.log10(r0), im: 0 };
  const hi = { re: Math.log10(r1), im: Math.atan2(w.im, w.re) / Math.LN10 };
  const spiral = logspace(lo, hi, num, { endpoint });
  const y = mul(spiral, broadcastTo(asarray(s), spiral.shape)) as ConcreteArray;
  const data = y.data;
  if (num > 0) [data[0], data[1]] = [z0.re, z0.im];
  if (num > 1 && endpoint) [data[2 * num - 2], data[2 * num - 1]] = [z1.re, z1.im];
  return y;
}
