/**
 * @file Reductions with NumPy's `axis`/`keepdims` options, and compositions of them: `mean`, `var`,
 * `prod`, `all`/`any`, `cumprod` (a scan of products), `diff`, `ptp`, `average`, and `countNonzero`; and
 * the array comparisons built on them (`isclose`, `allclose`, `arrayEqual`). The NaN-ignoring
 * family is `nan-reductions.ts`.
 */
import { ConcreteArray, type NDArray, type ArrayLike, type ReduceOptions } from "../core/ndarray.ts";
import { asarray, full } from "./creation.ts";
import { broadcastShapes, normAxes, normAxis, prepare } from "./broadcast.ts";
import { isComplex, isInexact, promote, promoteWeak } from "../core/dtype.ts";
import * as cp from "../primitives/complex.ts";
import { divide, multiply, subtract } from "./math.ts";
import * as r from "../primitives/reduce.ts";
import * as s from "../primitives/structural.ts";
import { reshape, convert, transpose, concatenate, slice } from "../primitives/structural.ts";
import { mul, sub, fullLike } from "../primitives/binary.ts";
import { sqrt } from "../primitives/unary.ts";
import { eq, ne, isnan, not } from "../primitives/compare.ts";
import { reduceSum } from "../primitives/reduce.ts";
import * as u from "../primitives/unary.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";
import { DomainError, fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";
import { countTrue, flatOrAxis, keep, truthy } from "./reduce-helpers.ts";

/** The options every reduction takes: `{axis, keepdims}`. */
export const reduceSchema = { axis: P.axes, keepdims: P.bool } as const;
const reduceOpts = (fn: string) => P.options(fn, reduceSchema);
const varOpts = (fn: string) => P.options(fn, { ...reduceSchema, ddof: P.numOrArray }); // ddof may be traced (np.var)
const argOpts = (fn: string) => P.options(fn, { axis: P.axisOrNull, keepdims: P.bool });
const cumOpts = (fn: string) => P.options(fn, { axis: P.axisOrNull });
const sumOpts = reduceOpts("np.sum");
const meanOpts = reduceOpts("np.mean");
const varianceOpts = varOpts("np.var");
const stdOpts = varOpts("np.std");
const cumsumOpts = cumOpts("np.cumsum");
const prodOpts = reduceOpts("np.prod");
const allOpts = reduceOpts("np.all");
const anyOpts = reduceOpts("np.any");
const countNonzeroOpts = reduceOpts("np.countNonzero");
const cumprodOpts = cumOpts("np.cumprod");
const diffOpts = P.options("np.diff", { n: P.nonNegInt, axis: P.axis, prepend: P.arrayLike, append: P.arrayLike });
const ptpOpts = reduceOpts("np.ptp");
const averageOpts = P.options("np.average", { ...reduceSchema, weights: P.nullable(P.arrayLike), returned: P.bool });
const closeSchema = { rtol: P.num, atol: P.num, equalNan: P.bool } as const;
const iscloseOpts = P.options("np.isclose", closeSchema);
const allcloseOpts = P.options("np.allclose", closeSchema);
const arrayEqualOpts = P.options("np.arrayEqual", { equalNan: P.bool });


/**
 * `np.sum(x, {axis, keepdims})`; bools and integers sum as int32.
 * @example
 * np.sum([[1, 2], [3, 4]], { axis: 0 }); // [4, 6]
 */
export function sum(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = sumOpts(opts);
  let a = asarray(x, undefined, "np.sum", "a");
  if (a.dtype === "bool") a = convert(a, "int32");
  const axes = normAxes("np.sum", opts.axis, a.ndim);
  return keep(r.reduceSum(a, axes), a.shape, axes, opts.keepdims);
}

function extremum(name: string, f: (x: NDArray, axes: readonly number[]) => NDArray) {
  const parse = reduceOpts(`np.${name}`);
  return (x: ArrayLike, opts: ReduceOptions = {}): NDArray => {
    opts = parse(opts);
    const a = asarray(x, undefined, `np.${name}`, "a");
    const axes = normAxes(`np.${name}`, opts.axis, a.ndim);
    for (const ax of axes) {
      if (a.shape[ax] === 0) throw new ShapeError(`np.${name}: zero-size array along axis ${ax} has no ${name}imum`);
    }
    return keep(f(a, axes), a.shape, axes, opts.keepdims);
  };
}
/**
 * `np.max(x, {axis, keepdims})`: the largest element, over all axes or the given ones; a zero-size reduction throws, as NumPy. The gradient goes to the maximal entries.
 * @example
 * np.max([[1, 5], [3, 2]], { axis: 0 }); // [3, 5]
 */
export const max = extremum("max", r.reduceMax);
/**
 * `np.min(x, {axis, keepdims})`: the smallest element, over all axes or the given ones; a zero-size reduction throws, as NumPy.
 * @example
 * np.min([[1, 5], [3, 2]], { axis: 1 }); // [1, 2]
 */
export const min = extremum("min", r.reduceMin);
/**
 * `np.amax(x, {axis, keepdims})`: an alias of {@link max}.
 * @example
 * np.amax([1, 5, 3]); // 5
 */
export const amax = max;
/**
 * `np.amin(x, {axis, keepdims})`: an alias of {@link min}.
 * @example
 * np.amin([1, 5, 3]); // 1
 */
export const amin = min;

/**
 * `np.mean(x, {axis, keepdims})`.
 * @example
 * np.mean([[1, 2], [3, 4]], { axis: 1 }); // [1.5, 3.5]
 */
export function mean(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = meanOpts(opts);
  const a = asarray(x, undefined, "np.mean", "a");
  const axes = normAxes("np.mean", opts.axis, a.ndim);
  const n = axes.reduce((p, ax) => p * a.shape[ax]!, 1);
  return divide(sum(isInexact(a.dtype) ? a : convert(a, "float64"), opts), n);
}

/**
 * `np.var(x, {axis, keepdims, ddof})`.
 * @example
 * np.variance([1, 2, 3, 4]); // 1.25
 * np.variance([1, 2, 3, 4], { ddof: 1 }); // 1.6666666666666667
 */
export function variance(x: ArrayLike, opts: ReduceOptions & { ddof?: ArrayLike } = {}): NDArray {
  opts = varianceOpts(opts) as typeof opts;
  const a = asarray(x, undefined, "np.var", "a");
  const axes = normAxes("np.var", opts.axis, a.ndim);
  const n = axes.reduce((p, ax) => p * a.shape[ax]!, 1);
  const d = subtract(a, mean(a, { axis: axes, keepdims: true }));
  // ddof may be an array (traced or not): the normalisation then stays differentiable, as in JAX.
  const ddof = opts.ddof ?? 0;
  // |d|² for complex values (NumPy's var of a complex array is real).
  const sq = isComplex(d.dtype) ? b.add(mul(cp.real(d), cp.real(d)), mul(cp.imag(d), cp.imag(d))) : multiply(d, d);
  return divide(sum(sq, { axis: axes, keepdims: opts.keepdims ?? false }), typeof ddof === "number" ? n - ddof : subtract(n, ddof));
}

/**
 * `np.std(x, {axis, keepdims, ddof})`.
 * @example
 * np.std([1, 3]); // 1
 */
export const std = (x: ArrayLike, opts: ReduceOptions & { ddof?: number } = {}): NDArray =>
  variance(x, stdOpts(opts)).sqrt();

function argFn(name: string, f: (x: NDArray, axis: number) => NDArray) {
  const parse = argOpts(`np.${name}`);
  return (x: ArrayLike, opts: { axis?: number | null; keepdims?: boolean } = {}): NDArray => {
    opts = parse(opts);
    let a = asarray(x, undefined, `np.${name}`, "a");
    if (a.size === 0) throw new ShapeError(`np.${name}: attempt to get ${name} of an empty sequence`);
    if (opts.axis === null || opts.axis === undefined) {
      a = reshape(a, [a.size]);
      return f(a, 0);
    }
    const axis = normAxis(`np.${name}`, opts.axis, a.ndim);
    return keep(f(a, axis), a.shape, [axis], opts.keepdims);
  };
}
/**
 * `np.argmax(x, {axis, keepdims})`: the index of the largest element (the first on ties), of the flattened array without an axis.
 * @example
 * np.argmax([[1, 5], [7, 2]], { axis: 1 }); // [1, 0]
 */
export const argmax = argFn("argmax", r.argmax);
/**
 * `np.argmin(x, {axis, keepdims})`: the index of the smallest element (the first on ties), of the flattened array without an axis.
 * @example
 * np.argmin([3, 1, 1]); // 1
 */
export const argmin = argFn("argmin", r.argmin);

/**
 * `np.cumsum(x, {axis})`; without an axis, over the flattened array.
 * @example
 * np.cumsum([[1, 2], [3, 4]]); // [1, 3, 6, 10]
 */
export function cumsum(x: ArrayLike, opts: { axis?: number | null } = {}): NDArray {
  opts = cumsumOpts(opts);
  let a = asarray(x, undefined, "np.cumsum", "a");
  if (a.dtype === "bool") a = convert(a, "int32");
  if (opts.axis === null || opts.axis === undefined) return r.cumsum(reshape(a, [a.size]), 0);
  return r.cumsum(a, normAxis("np.cumsum", opts.axis, a.ndim));
}

/**
 * `np.prod(x, {axis, keepdims})`, as a tree of pairwise products: exact at zeros (where the
 * `prod / x` trick fails) and differentiable to any order, in log₂(n) steps.
  * @example
  * np.prod([[1, 2], [3, 4]], { axis: 1 }); // [2, 12]
 */
export function prod(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = prodOpts(opts);
  let a = asarray(x, undefined, "np.prod", "a");
  if (a.dtype === "bool") a = convert(a, "int32");
  const axes = normAxes("np.prod", opts.axis, a.ndim);
  const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => a.shape[i]!);
  let n = axes.reduce((p, ax) => p * a.shape[ax]!, 1);
  let y = reshape(transpose(a, [...kept, ...axes]), [...keptShape, n]);
  const lead = keptShape.map(() => 0);
  const unit = keptShape.map(() => 1);
  while (n > 1) {
    if (n % 2 === 1) {
      y = concatenate([y, full([...keptShape, 1], 1, { dtype: y.dtype })], y.ndim - 1);
      n++;
    }
    const half = [...keptShape, n / 2];
    y = mul(slice(y, [...lead, 0], [...unit, 2], half), slice(y, [...lead, 1], [...unit, 2], half));
    n /= 2;
  }
  const out = n === 1 ? reshape(y, keptShape) : full(keptShape, 1, { dtype: a.dtype });
  return keep(out, a.shape, axes, opts.keepdims);
}




/**
 * `np.all(x, {axis, keepdims})`: whether every element is truthy (true for an empty axis).
 * @example
 * np.all([1, 0]); // false
 */
export function all(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = allOpts(opts);
  const a = asarray(x, undefined, "np.all", "a");
  const n = countTrue("np.all", not(truthy(a)), opts);
  return eq(n, fullLike(n, 0));
}

/**
 * `np.any(x, {axis, keepdims})`: whether some element is truthy.
 * @example
 * np.any([0, 2]); // true
 */
export function any(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = anyOpts(opts);
  const a = asarray(x, undefined, "np.any", "a");
  const n = countTrue("np.any", truthy(a), opts);
  return ne(n, fullLike(n, 0));
}

/**
 * `np.countNonzero(x, {axis, keepdims})`: the number of non-zero elements (int32).
 * @example
 * np.countNonzero([0, 1, 2]); // 2
 */
export function countNonzero(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = countNonzeroOpts(opts);
  return countTrue("np.countNonzero", truthy(asarray(x, undefined, "np.countNonzero", "a")), opts);
}

/** `a` with a flattened view for `axis: null`, and the normalized axis. */

/** Shape of `shape` with the `axis` entry replaced by `n`. */
const withAxis = (shape: readonly number[], axis: number, n: number): number[] => shape.map((d, i) => (i === axis ? n : d));

/**
 * `np.cumprod(x, {axis})` (flattened without an axis), as a Hillis–Steele scan: log₂(n) rounds of
 * `y ← y · (y shifted by 2ᵏ)`. Only products, so the derivative is exact at zeros (where the
 * `cumprod / x` trick divides by zero), and every order is differentiable and batchable.
 * @example
 * np.cumprod([1, 2, 3, 4]); // [1, 2, 6, 24]
 */
export function cumprod(x: ArrayLike, opts: { axis?: number | null } = {}): NDArray {
  opts = cumprodOpts(opts);
  const [a, axis] = flatOrAxis("np.cumprod", x, opts.axis);
  const n = a.shape[axis]!;
  const ones = a.shape.map(() => 1);
  const zeros = a.shape.map(() => 0);
  let y = a;
  for (let shift = 1; shift < n; shift *= 2) {
    const head = full(withAxis(a.shape, axis, shift), 1, { dtype: a.dtype });
    const body = s.slice(y, zeros, ones, withAxis(a.shape, axis, n - shift));
    y = mul(y, s.concatenate([head, body], axis));
  }
  return y;
}

/** NumPy's `diff` along one axis of `a`: `a[1:] − a[:-1]` (for bool, `!=`). */
function diffOnce(a: NDArray, axis: number): NDArray {
  const n = a.shape[axis]!;
  const size = withAxis(a.shape, axis, Math.max(0, n - 1));
  const ones = a.shape.map(() => 1);
  const lo = s.slice(a, a.shape.map(() => 0), ones, size);
  const hi = s.slice(a, a.shape.map((_, i) => (i === axis && n > 0 ? 1 : 0)), ones, size);
  return a.dtype === "bool" ? ne(hi, lo) : sub(hi, lo);
}

/**
 * `np.diff(x, {n = 1, axis = -1, prepend, append})`: the n-th discrete difference along `axis`.
 * @example
 * np.diff([1, 4, 9, 16]); // [3, 5, 7]
 */
export function diff(
  x: ArrayLike,
  opts: { n?: number; axis?: number; prepend?: ArrayLike; append?: ArrayLike } = {},
): NDArray {
  requireStatic("np.diff", "n", opts.n, "a count");
  opts = diffOpts(opts);
  let a = asarray(x, undefined, "np.diff", "a");
  const n = opts.n ?? 1;
  if (a.ndim === 0) throw new ShapeError("np.diff: diff requires input that is at least one dimensional");
  const axis = normAxis("np.diff", opts.axis ?? -1, a.ndim);
  // JS numbers are weakly typed (an int array with `prepend: 0` stays int), as in NumPy.
  let dtype = a.dtype;
  const ends = (v: ArrayLike | undefined, name: string): NDArray | null => {
    if (v === undefined) return null;
    const e = asarray(v, undefined, "np.diff", name);
    dtype = typeof v === "number" || typeof v === "boolean" ? promoteWeak(dtype, v) : promote(dtype, e.dtype);
    if (e.ndim === 0) return s.broadcastTo(e, withAxis(a.shape, axis, 1));
    if (e.ndim !== a.ndim || e.shape.some((d, i) => i !== axis && d !== a.shape[i])) {
      throw new ShapeError(
        `np.diff: ${name} of shape ${fmtShape(e.shape)} does not match the array of shape ${fmtShape(a.shape)} off axis ${axis}`,
      );
    }
    return e;
  };
  const pre = ends(opts.prepend, "prepend");
  const app = ends(opts.append, "append");
  if (pre || app) {
    const parts = [pre, a, app].filter((p): p is NDArray => p !== null);
    a = s.concatenate(parts.map((p) => s.convert(p, dtype)), axis);
  }
  for (let i = 0; i < n; i++) a = diffOnce(a, axis);
  return a;
}

/**
 * `np.ptp(x, {axis, keepdims})`: max − min ("peak to peak").
 * @example
 * np.ptp([4, 9, 2]); // 7
 */
export function ptp(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = ptpOpts(opts);
  const a = asarray(x, undefined, "np.ptp", "a");
  normAxes("np.ptp", opts.axis, a.ndim);
  return subtract(max(a, opts), min(a, opts));
}

/**
 * `np.average(x, {axis, weights, returned, keepdims})`: the weighted mean Σ w·x / Σ w. `weights`
 * has `x`'s shape, or the shape of the reduced axes (a 1-D array along `axis`). With `returned`,
 * gives `[average, sumOfWeights]`. Differentiable in `x` and in the weights.
 * @example
 * np.average([1, 2, 3], { weights: [3, 1, 0] }); // 1.25
 */
export function average(x: ArrayLike, opts: ReduceOptions & { weights?: ArrayLike | null; returned: true }): [NDArray, NDArray];
export function average(x: ArrayLike, opts?: ReduceOptions & { weights?: ArrayLike | null; returned?: false }): NDArray;
export function average(
  x: ArrayLike,
  opts: ReduceOptions & { weights?: ArrayLike | null; returned?: boolean } = {},
): NDArray | [NDArray, NDArray] {
  opts = averageOpts(opts);
  const a = asarray(x, undefined, "np.average", "a");
  const axes = normAxes("np.average", opts.axis, a.ndim);
  const red = { axis: axes, keepdims: opts.keepdims ?? false };
  if (opts.weights === undefined || opts.weights === null) {
    const avg = mean(a, red);
    const n = axes.reduce((p, ax) => p * a.shape[ax]!, 1);
    return opts.returned ? [avg, full(avg.shape, n, { dtype: avg.dtype })] : avg;
  }
  let w = asarray(opts.weights, undefined, "np.average", "weights");
  const sameShape = w.ndim === a.ndim && w.shape.every((d, i) => d === a.shape[i]);
  if (!sameShape) {
    if (opts.axis === null || opts.axis === undefined) {
      throw new ShapeError(
        `np.average: axis must be specified when the shapes of a ${fmtShape(a.shape)} and weights ${fmtShape(w.shape)} differ`,
      );
    }
    // Weights' axes follow the order of `axis` as given; line them up with a's sorted axes.
    const given = (typeof opts.axis === "number" ? [opts.axis] : [...opts.axis]).map((ax) => normAxis("np.average", ax, a.ndim));
    if (w.ndim !== given.length || w.shape.some((d, i) => d !== a.shape[given[i]!])) {
      throw new ShapeError(
        `np.average: the shape of weights ${fmtShape(w.shape)} must be that of a ${fmtShape(a.shape)} along axis ${JSON.stringify(opts.axis)}`,
      );
    }
    w = s.transpose(w, axes.map((ax) => given.indexOf(ax)));
    w = s.reshape(w, a.shape.map((d, i) => (axes.includes(i) ? d : 1)));
  }
  const [aa, ww] = prepare("np.average", [a, w], true, ["a", "weights"]);
  const scl = sum(ww!, red);
  if (scl instanceof ConcreteArray && scl.data.some((v) => v === 0)) {
    throw new DomainError("np.average: weights sum to zero, can't be normalized");
  }
  const avg = divide(sum(mul(aa!, ww!), red), scl);
  return opts.returned ? [avg, scl] : avg;
}

const k = b.fullLike;

interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

/**
 * `np.isclose(a, b, {rtol = 1e-5, atol = 1e-8, equalNan = false})`: elementwise
 * |a − b| ≤ atol + rtol·|b| (equal infinities are close; NaN only with `equalNan`). Complex
 * values compare by the modulus of the difference, as NumPy.
 * @example
 * np.isclose([1, 1], [1 + 1e-10, 1.1]); // [true, false]
 */
export function isclose(a: ArrayLike, bb: ArrayLike, opts: CloseOptions = {}): NDArray {
  requireStatic("np.isclose", "rtol", opts.rtol, "a number");
  requireStatic("np.isclose", "atol", opts.atol, "a number");
  opts = iscloseOpts(opts);
  const [x, y] = prepare("np.isclose", [a, bb], true, ["a", "b"]);
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-8;
  const absY = u.abs(y!); // real for complex y too: the modulus
  const tol = b.add(k(absY, atol), b.mul(k(absY, rtol), absY));
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
export const allclose = (a: ArrayLike, bb: ArrayLike, opts: CloseOptions = {}): boolean => all(isclose(a, bb, allcloseOpts(opts))).item() !== 0;

/**
 * `np.arrayEqual(a1, a2, {equalNan = false})`: same shape and equal elements, as a JS boolean.
 * @example
 * np.arrayEqual([1, 2], [1, 2]); // true
 */
export function arrayEqual(a1: ArrayLike, a2: ArrayLike, opts: { equalNan?: boolean } = {}): boolean {
  opts = arrayEqualOpts(opts);
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
