/**
 * @file NumPy's NaN-ignoring reductions (`nansum`, `nanprod`, `nanmean`, `nanvar`, `nanstd`,
 * `nanmax`/`nanmin`, `nanargmax`/`nanargmin`, `nancumsum`, `nancumprod`): NaN replaced by the
 * operation's identity before the ordinary reduction, with NumPy's results for all-NaN slices.
 */
import { ConcreteArray, type NDArray, type ArrayLike, type ReduceOptions } from "../core/ndarray.ts";
import { isComplex, isInexact } from "../core/dtype.ts";
import { DomainError } from "../core/errors.ts";
import { asarray } from "./creation.ts";
import { normAxes } from "./broadcast.ts";
import { divide, subtract } from "./math.ts";
import * as cp from "../primitives/complex.ts";
import * as s from "../primitives/structural.ts";
import * as b from "../primitives/binary.ts";
import { select, isnan, not } from "../primitives/compare.ts";
import { fullLike, mul } from "../primitives/binary.ts";
import { sqrt } from "../primitives/unary.ts";
import { countTrue, flatOrAxis, type VarOptions } from "./reduce-helpers.ts";
import * as P from "../core/parse.ts";
import { all, argmax, argmin, cumprod, cumsum, max, mean, min, prod, reduceSchema, sum } from "./reductions.ts";

const reduceOpts = (fn: string) => P.options(fn, reduceSchema);
const varOpts = (fn: string) => P.options(fn, { ...reduceSchema, ddof: P.numOrArray });
const cumOpts = (fn: string) => P.options(fn, { axis: P.axisOrNull });
const argOpts = (fn: string) => P.options(fn, { axis: P.axisOrNull, keepdims: P.bool });
const nansumOpts = reduceOpts("np.nansum");
const nanprodOpts = reduceOpts("np.nanprod");
const nanmeanOpts = reduceOpts("np.nanmean");
const nanvarOpts = varOpts("np.nanvar");
const nanstdOpts = varOpts("np.nanstd");
const nancumsumOpts = cumOpts("np.nancumsum");
const nancumprodOpts = cumOpts("np.nancumprod");

/** `a` with NaN replaced by `v` (integers have no NaN). */
const fillNan = (a: NDArray, v: number): NDArray => (isInexact(a.dtype) ? select(isnan(a), fullLike(a, v), a) : a);
/** Where a whole reduced slice is NaN. */
const allNan = (a: NDArray, opts: ReduceOptions): NDArray => all(isnan(a), opts);

/**
 * `np.nansum(x, {axis, keepdims})`: the sum treating NaN as 0.
 * @example
 * np.nansum([1, NaN, 2]); // 3
 */
export function nansum(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = nansumOpts(opts);
  const a = asarray(x, undefined, "np.nansum", "a");
  normAxes("np.nansum", opts.axis, a.ndim);
  return sum(fillNan(a, 0), opts);
}

/**
 * `np.nanprod(x, {axis, keepdims})`: the product treating NaN as 1.
 * @example
 * np.nanprod([2, NaN, 3]); // 6
 */
export function nanprod(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = nanprodOpts(opts);
  const a = asarray(x, undefined, "np.nanprod", "a");
  normAxes("np.nanprod", opts.axis, a.ndim);
  return prod(fillNan(a, 1), opts);
}

/** Number of non-NaN elements over the axes, as float64. */
const countValid = (a: NDArray, opts: ReduceOptions): NDArray =>
  s.convert(countTrue("np.nanmean", isInexact(a.dtype) ? not(isnan(a)) : fullLike({ shape: a.shape, dtype: "bool" }, 1), opts), "float64");

/**
 * `np.nanmean(x, {axis, keepdims})`: the mean of the non-NaN elements (NaN if there are none).
 * @example
 * np.nanmean([1, NaN, 3]); // 2
 */
export function nanmean(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  opts = nanmeanOpts(opts);
  const a = asarray(x, undefined, "np.nanmean", "a");
  normAxes("np.nanmean", opts.axis, a.ndim);
  return divide(nansum(a, opts), countValid(a, opts));
}

/**
 * `np.nanvar(x, {axis, keepdims, ddof})`: the variance of the non-NaN elements.
 * @example
 * np.nanvar([1, NaN, 3]); // 1
 */
export const nanvar = (x: ArrayLike, opts: VarOptions = {}): NDArray => nanvarOf("np.nanvar", x, nanvarOpts(opts));

function nanvarOf(op: string, x: ArrayLike, opts: VarOptions): NDArray {
  const a = asarray(x, undefined, op, "a");
  const axes = normAxes(op, opts.axis, a.ndim);
  const m = nanmean(a, { axis: axes, keepdims: true });
  const d = fillNan(subtract(a, m), 0);
  // |d|² for complex values (NumPy's nanvar of a complex array is real, as var's).
  const sq = isComplex(d.dtype) ? b.add(mul(cp.real(d), cp.real(d)), mul(cp.imag(d), cp.imag(d))) : mul(d, d);
  const ss = sum(sq, { axis: axes, keepdims: opts.keepdims ?? false });
  const n = countValid(a, { axis: axes, keepdims: opts.keepdims ?? false });
  return divide(ss, subtract(n, opts.ddof ?? 0));
}

/**
 * `np.nanstd(x, {axis, keepdims, ddof})`: √nanvar.
 * @example
 * np.nanstd([1, NaN, 3]); // 1
 */
export const nanstd = (x: ArrayLike, opts: VarOptions = {}): NDArray => sqrt(nanvarOf("np.nanstd", x, nanstdOpts(opts)));

function nanExtremum(name: string, f: typeof max, fill: number) {
  const parse = reduceOpts(`np.${name}`);
  return (x: ArrayLike, opts: ReduceOptions = {}): NDArray => {
    opts = parse(opts);
    const a = asarray(x, undefined, `np.${name}`, "a");
    normAxes(`np.${name}`, opts.axis, a.ndim);
    if (!isInexact(a.dtype)) return f(a, opts);
    const m = f(fillNan(a, fill), opts);
    return select(allNan(a, opts), fullLike(m, NaN), m);
  };
}
/**
 * `np.nanmax(x, {axis, keepdims})`: the maximum ignoring NaN (NaN for an all-NaN slice).
 * @example
 * np.nanmax([1, NaN, 3]); // 3
 */
export const nanmax = nanExtremum("nanmax", max, -Infinity);
/**
 * `np.nanmin(x, {axis, keepdims})`: the minimum ignoring NaN.
 * @example
 * np.nanmin([1, NaN, 3]); // 1
 */
export const nanmin = nanExtremum("nanmin", min, Infinity);

function nanArg(name: string, f: typeof argmax, fill: number) {
  const parse = argOpts(`np.${name}`);
  return (x: ArrayLike, opts: { axis?: number | null; keepdims?: boolean } = {}): NDArray => {
    opts = parse(opts);
    const a = asarray(x, undefined, `np.${name}`, "a");
    if (!isInexact(a.dtype)) return f(a, opts);
    const nanAll = allNan(a, { axis: opts.axis ?? null });
    if (nanAll instanceof ConcreteArray && nanAll.data.some((v) => v !== 0)) {
      throw new DomainError(`np.${name}: All-NaN slice encountered`);
    }
    return f(fillNan(a, fill), opts);
  };
}
/**
 * `np.nanargmax(x, {axis})`: the index of the maximum ignoring NaN.
 * @example
 * np.nanargmax([1, NaN, 3]); // 2
 */
export const nanargmax = nanArg("nanargmax", argmax, -Infinity);
/**
 * `np.nanargmin(x, {axis})`: the index of the minimum ignoring NaN.
 * @example
 * np.nanargmin([1, NaN, 3]); // 0
 */
export const nanargmin = nanArg("nanargmin", argmin, Infinity);

/**
 * `np.nancumsum(x, {axis})`: cumulative sum treating NaN as 0.
 * @example
 * np.nancumsum([1, NaN, 2]); // [1, 1, 3]
 */
export const nancumsum = (x: ArrayLike, opts: { axis?: number | null } = {}): NDArray => {
  const o = nancumsumOpts(opts);
  return cumsum(fillNan(flatOrAxis("np.nancumsum", x, o.axis)[0], 0), o.axis === null || o.axis === undefined ? {} : o);
};
/**
 * `np.nancumprod(x, {axis})`: cumulative product treating NaN as 1.
 * @example
 * np.nancumprod([2, NaN, 3]); // [2, 2, 6]
 */
export const nancumprod = (x: ArrayLike, opts: { axis?: number | null } = {}): NDArray => {
  const o = nancumprodOpts(opts);
  return cumprod(fillNan(flatOrAxis("np.nancumprod", x, o.axis)[0], 1), o.axis === null || o.axis === undefined ? {} : o);
};
