/**
 * @file `scipy.stats.dirichlet`: the Dirichlet distribution with concentrations `alpha` (K,); the
 * components of `x` run along its first axis, as in SciPy and JAX, and may number K − 1 (the last
 * is then 1 minus their sum). Differentiable in `x` and `alpha`.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { abs, exp, subtract } from "../../numpy/math.ts";
import { where, greaterEqual, lessEqual, logicalAnd } from "../../numpy/logic.ts";
import { sum, min } from "../../numpy/reductions.ts";
import { concatenate, reshape } from "../../numpy/shape.ts";
import { gammaln, xlogy } from "../special.ts";
import { floats } from "./common.ts";
import { ShapeError, fmtShape } from "../../core/errors.ts";

/**
 * log density Σᵢ (αᵢ − 1) log xᵢ − log B(α) on the simplex, −∞ off it (|Σx − 1| > 1e-9 or x < 0).
 * @example
 * scipy.stats.dirichlet.logpdf([0.2, 0.3, 0.5], [1, 1, 1]); // 0.6931471805599453
 */
export function logpdf(x: ArrayLike, alpha: ArrayLike): NDArray {
  const fn = "dirichlet.logpdf";
  const [A] = floats(fn, [alpha], ["alpha"]);
  let [X] = floats(fn, [x], ["x"]);
  if (A!.ndim !== 1) throw new ShapeError(`scipy.stats.${fn}: alpha must be 1-D; got shape ${fmtShape(A!.shape)}`);
  const k = A!.shape[0]!;
  if (X!.ndim < 1 || (X!.shape[0] !== k && X!.shape[0] !== k - 1)) {
    throw new ShapeError(
      `scipy.stats.${fn}: x must have ${k} or ${k - 1} entries along its first axis (alpha has shape ${fmtShape(A!.shape)}); got x of shape ${fmtShape(X!.shape)}`,
    );
  }
  if (X!.shape[0] === k - 1) X = concatenate([X!, subtract(1, sum(X!, { axis: 0, keepdims: true }))], { axis: 0 });
  const a = reshape(A!, [k, ...X!.shape.slice(1).map(() => 1)]);
  const logB = sum(gammaln(A!)).sub(gammaln(sum(A!)));
  const lp = sum(xlogy(a.sub(1), X!), { axis: 0 }).sub(logB);
  const simplex = logicalAnd(greaterEqual(min(X!, { axis: 0 }), 0), lessEqual(abs(sum(X!, { axis: 0 }).sub(1)), 1e-9));
  return where(simplex, lp, -Infinity);
}

/**
 * The density.
 * @example
 * scipy.stats.dirichlet.pdf([0.2, 0.3, 0.5], [1, 2, 3]); // 4.499999999999998
 */
export const pdf = (x: ArrayLike, alpha: ArrayLike): NDArray => exp(logpdf(x, alpha));
