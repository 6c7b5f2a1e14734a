/**
 * @file NumPy's comparisons, logical functions, NaN/∞ tests, `where` and `clip`: bool-valued (or
 * selecting) elementwise functions over the comparison primitives, broadcasting as NumPy does.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { prepare } from "./broadcast.ts";
import { asarray } from "./creation.ts";
import * as c from "../primitives/compare.ts";
import { convert } from "../primitives/structural.ts";
import { binFn, truth } from "./elementwise-fns.ts";
import { maximum, minimum } from "./math.ts";

/**
 * `np.equal(x1, x2)`: x1 == x2 elementwise, broadcasting, as a bool array.
 * @example
 * np.equal([1, 2], [1, 3]); // [true, false]
 */
export const equal = binFn("equal", c.eq);
/**
 * `np.not_equal(x1, x2)`: x1 != x2 elementwise, broadcasting, as a bool array.
 * @example
 * np.notEqual([1, 2], [1, 3]); // [false, true]
 */
export const notEqual = binFn("notEqual", c.ne);
/**
 * `np.less(x1, x2)`: x1 < x2 elementwise, broadcasting, as a bool array.
 * @example
 * np.less([1, 2, 3], 2); // [true, false, false]
 */
export const less = binFn("less", c.lt);
/**
 * `np.less_equal(x1, x2)`: x1 ≤ x2 elementwise, broadcasting, as a bool array.
 * @example
 * np.lessEqual([1, 2, 3], 2); // [true, true, false]
 */
export const lessEqual = binFn("lessEqual", c.le);
/**
 * `np.greater(x1, x2)`: x1 > x2 elementwise, broadcasting, as a bool array.
 * @example
 * np.greater([1, 2, 3], 2); // [false, false, true]
 */
export const greater = binFn("greater", c.gt);
/**
 * `np.greater_equal(x1, x2)`: x1 ≥ x2 elementwise, broadcasting, as a bool array.
 * @example
 * np.greaterEqual([1, 2, 3], 2); // [false, true, true]
 */
export const greaterEqual = binFn("greaterEqual", c.ge);
/**
 * `np.logical_and(x1, x2)`: the truth of x1 AND x2 elementwise (non-zero is true), as a bool array.
 * @example
 * np.logicalAnd([1, 1, 0], [1, 0, 0]); // [true, false, false]
 */
export const logicalAnd = binFn("logicalAnd", (x, y) => c.and(truth(x), truth(y)));
/**
 * `np.logical_or(x1, x2)`: the truth of x1 OR x2 elementwise (non-zero is true), as a bool array.
 * @example
 * np.logicalOr([1, 1, 0], [1, 0, 0]); // [true, true, false]
 */
export const logicalOr = binFn("logicalOr", (x, y) => c.or(truth(x), truth(y)));
/**
 * `np.logical_xor(x1, x2)`: the truth of x1 XOR x2 elementwise (non-zero is true), as a bool array.
 * @example
 * np.logicalXor([1, 1, 0], [1, 0, 0]); // [false, true, false]
 */
export const logicalXor = binFn("logicalXor", (x, y) => c.xor(truth(x), truth(y)));
/**
 * `np.logical_not(x)`: the truth of NOT x elementwise (non-zero is true), as a bool array.
 * @example
 * np.logicalNot([0, 2]); // [true, false]
 */
export const logicalNot = (x: ArrayLike): NDArray => c.not(truth(asarray(x, undefined, "np.logicalNot", "x")));
/**
 * `np.isnan(x)`: whether each element is NaN, as a bool array.
 * @example
 * np.isnan([1, NaN]); // [false, true]
 */
export const isnan = (x: ArrayLike): NDArray => c.isnan(asarray(x, undefined, "np.isnan", "x"));
/**
 * `np.isinf(x)`: whether each element is +∞ or −∞, as a bool array.
 * @example
 * np.isinf([1, Infinity, -Infinity]); // [false, true, true]
 */
export const isinf = (x: ArrayLike): NDArray => c.isinf(asarray(x, undefined, "np.isinf", "x"));
/**
 * `np.isfinite(x)`: whether each element is neither NaN nor ±∞, as a bool array.
 * @example
 * np.isfinite([1, NaN, Infinity]); // [true, false, false]
 */
export const isfinite = (x: ArrayLike): NDArray => c.isfinite(asarray(x, undefined, "np.isfinite", "x"));

/**
 * `np.where(cond, x, y)`: elements of `x` where `cond` holds, else of `y`; all three broadcast.
 * @example
 * np.where([true, false, true], [1, 2, 3], 0); // [1, 0, 3]
 */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): NDArray {
  const cnd = asarray(cond, undefined, "np.where", "condition");
  const [cc, a, bb] = prepare("np.where", [convert(cnd, "bool"), x, y], false, ["condition", "x", "y"]);
  // prepare promoted the condition with the values; take it back to bool.
  return c.select(convert(cc!, "bool"), a!, bb!);
}

/**
 * `np.clip(x, lo, hi)`: the derivative is 1 strictly inside and 0 outside, as `maximum`/`minimum` give.
 * @example
 * np.clip([-2, 0.5, 3], 0, 1); // [0, 0.5, 1]
 * np.clip([-2, 3], null, 1); // [-2, 1]
 */
export const clip = (x: ArrayLike, lo: ArrayLike | null, hi: ArrayLike | null): NDArray => {
  if (lo === null && hi === null) throw new TypeError("np.clip: one of lo and hi must be given (not both null)");
  const low = lo === null ? asarray(x, undefined, "np.clip", "a") : maximum(x, lo);
  return hi === null ? low : minimum(low, hi);
};
