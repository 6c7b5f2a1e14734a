/** @file `scipy.special`: functions built from numpy compositions and special-function primitives. */
import type { NDArray, ArrayLike } from "../numpy/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { exp, log, subtract } from "../numpy/math.ts";
import { max, sum } from "../numpy/reductions.ts";
import { stopGradient } from "../primitives/unary.ts";
import { convert } from "../primitives/structural.ts";
import { isFloat } from "../numpy/dtype.ts";

interface AxisOpts {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/**
 * `logsumexp(x, {axis, keepdims})` = log Σ exp(x), computed stably by shifting by the maximum (the
 * shift is held constant for differentiation: it cancels exactly).
 */
export function logsumexp(x: ArrayLike, opts: AxisOpts = {}): NDArray {
  let a = asarray(x, undefined, "scipy.special.logsumexp", "a");
  if (!isFloat(a.dtype)) a = convert(a, "float64");
  const m = stopGradient(max(a, { axis: opts.axis, keepdims: true }));
  const finiteM = m.mul(m.sub(m).add(1).eq(1).astype("float64")); // 0 where the max is ±inf
  const s = log(sum(exp(subtract(a, finiteM)), { axis: opts.axis, keepdims: true })).add(finiteM);
  return opts.keepdims ? s : sum(s, { axis: opts.axis });
}

/** `softmax(x, {axis = -1})`: exp(x) / Σ exp(x). */
export function softmax(x: ArrayLike, opts: { axis?: number | readonly number[] } = {}): NDArray {
  const a = asarray(x, undefined, "scipy.special.softmax", "x");
  return exp(logSoftmax(a, opts));
}

/** `logSoftmax(x, {axis = -1})`: x − logsumexp(x). */
export function logSoftmax(x: ArrayLike, opts: { axis?: number | readonly number[] } = {}): NDArray {
  const a = asarray(x, undefined, "scipy.special.logSoftmax", "x");
  return subtract(a, logsumexp(a, { axis: opts.axis ?? -1, keepdims: true }));
}
