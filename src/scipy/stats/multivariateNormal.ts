/**
 * @file `scipy.stats.multivariateNormal`: the multivariate normal distribution; `x` has the
 * dimension on its last axis, `mean` is (d,) (or a scalar), `cov` is (d, d), a vector (a diagonal)
 * or a scalar (a multiple of the identity). Through a Cholesky factor, so a covariance that is not
 * positive definite raises a `DomainError` (SciPy's `allow_singular` is not supported).
 * Differentiable in `x`, `mean` and `cov`; the covariance gradient is symmetric, as in autograd.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { exp, log, multiply, subtract } from "../../numpy/math.ts";
import { sum } from "../../numpy/reductions.ts";
import { expandDims, reshape, transpose } from "../../numpy/shape.ts";
import { diagonal } from "../../numpy/rearrange.ts";
import { eye } from "../../numpy/creation.ts";
import { cholesky } from "../../numpy/linalg.ts";
import { convert } from "../../primitives/structural.ts";
import { triangularSolve } from "../../primitives/linalg.ts";
import { floats } from "./common.ts";
import { ShapeError, fmtShape } from "../../core/errors.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** The dimension (from `mean`, else `cov`, else 1, as SciPy), and the covariance as a (d, d) float64 matrix. */
function covariance(fn: string, mean: NDArray, cov: NDArray): [number, NDArray] {
  const d = mean.ndim >= 1 ? mean.shape[mean.ndim - 1]! : cov.ndim >= 1 ? cov.shape[0]! : 1;
  if (mean.ndim > 1) throw new ShapeError(`scipy.stats.${fn}: mean must be a scalar or 1-D; got shape ${fmtShape(mean.shape)}`);
  const c = convert(cov, "float64");
  if (cov.ndim <= 1) {
    if (cov.ndim === 1 && cov.shape[0] !== d) {
      throw new ShapeError(`scipy.stats.${fn}: cov of shape ${fmtShape(cov.shape)} does not match dimension ${d}`);
    }
    return [d, multiply(eye(d), c)];
  }
  if (cov.ndim !== 2 || cov.shape[0] !== d || cov.shape[1] !== d) {
    throw new ShapeError(`scipy.stats.${fn}: cov must be (${d}, ${d}); got shape ${fmtShape(cov.shape)}`);
  }
  return [d, c];
}

/** log det of the covariance from its Cholesky factor: 2 Σ log Lᵢᵢ. */
const logdet = (l: NDArray): NDArray => sum(log(diagonal(l))).mul(2);

/**
 * log density −½ (d log 2π + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ)), one value per point of `x`.
 * @example
 * scipy.stats.multivariateNormal.logpdf([0, 0], [0, 0], [[1, 0], [0, 1]]); // -1.8378770664093453
 */
export function logpdf(x: ArrayLike, mean: ArrayLike = 0, cov: ArrayLike = 1): NDArray {
  const fn = "multivariateNormal.logpdf";
  let [X] = floats(fn, [x], ["x"]);
  const [M] = floats(fn, [mean], ["mean"]);
  const [C] = floats(fn, [cov], ["cov"]);
  const [d, sigma] = covariance(fn, M!, C!);
  if (X!.ndim === 0 || (d === 1 && X!.shape[X!.ndim - 1] !== 1)) X = expandDims(X!, -1);
  if (X!.shape[X!.ndim - 1] !== d) {
    throw new ShapeError(`scipy.stats.${fn}: x must have the dimension ${d} on its last axis; got shape ${fmtShape(X!.shape)}`);
  }
  const diff = convert(subtract(X!, M!), "float64");
  const batch = diff.shape.slice(0, -1);
  const n = batch.reduce((p, q) => p * q, 1);
  const l = cholesky(sigma);
  // z = L⁻¹ (x − μ) for every point at once: the points are the columns of one right-hand side.
  const z = triangularSolve(l, transpose(reshape(diff, [n, d])), { lower: true, transA: false, unitDiagonal: false, op: `scipy.stats.${fn}` });
  const maha = reshape(sum(z.mul(z), { axis: 0 }), batch);
  return maha.add(logdet(l)).add(d * LOG_2PI).mul(-0.5);
}

/**
 * The density.
 * @example
 * scipy.stats.multivariateNormal.pdf([0, 0], [0, 0], [[1, 0], [0, 1]]); // 0.15915494309189535
 */
export const pdf = (x: ArrayLike, mean: ArrayLike = 0, cov: ArrayLike = 1): NDArray => exp(logpdf(x, mean, cov));

/**
 * The differential entropy ½ (d (1 + log 2π) + log det Σ).
 * @example
 * scipy.stats.multivariateNormal.entropy([0], [[1]]); // 1.4189385332046727
 */
export function entropy(mean: ArrayLike = 0, cov: ArrayLike = 1): NDArray {
  const fn = "multivariateNormal.entropy";
  const [M] = floats(fn, [mean], ["mean"]);
  const [C] = floats(fn, [cov], ["cov"]);
  const [d, sigma] = covariance(fn, M!, C!);
  return logdet(cholesky(sigma)).add(d * (1 + LOG_2PI)).mul(0.5);
}
