/**
 * @file `nn`: the activation functions and helpers of JAX's `jax.nn`, as compositions of `np`
 * functions, so each is differentiable to any order and batchable. At a kink where one side is
 * flat (relu at 0, relu6 at 0 and 6, hardTanh at ±1) the derivative is the flat side's, 0, as for
 * JAX's `relu`, rather than the average of the two sides that `np.maximum` gives at a tie.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { where, expm1, tanh, abs, logaddexp, greater, greaterEqual, lessEqual, equal, sqrt, subtract, negative } from "../numpy/math.ts";
import { mean, variance } from "../numpy/reductions.ts";
import { expandDims } from "../numpy/shape.ts";
import { split } from "../numpy/rearrange.ts";
import { arange } from "../numpy/creation.ts";
import { isFloat, type DType } from "../core/dtype.ts";
import { expit, erf, logsumexp as lse, softmax as sm, logSoftmax as lsm } from "../scipy/special.ts";

const float = (x: ArrayLike, op: string): NDArray => {
  const a = asarray(x, undefined, `nn.${op}`, "x");
  return isFloat(a.dtype) ? a : a.astype("float64");
};

/**
 * max(x, 0), with derivative 0 at 0 (as JAX).
 * @example
 * nn.relu([-1, 0, 2]); // [0, 0, 2]
 */
export const relu = (x: ArrayLike): NDArray => {
  const a = float(x, "relu");
  return where(greater(a, 0), a, 0);
};

/** min(max(x, 0), 6). */
export const relu6 = (x: ArrayLike): NDArray => {
  const a = float(x, "relu6");
  return where(greaterEqual(a, 6), 6, relu(a));
};

/**
 * The logistic sigmoid 1/(1 + e⁻ˣ) (`scipy.special.expit`).
 * @example
 * nn.sigmoid(0); // 0.5
 */
export const sigmoid = (x: ArrayLike): NDArray => expit(float(x, "sigmoid"));

/**
 * log(1 + eˣ), without overflow.
 * @example
 * nn.softplus(0); // 0.6931471805599453
 */
export const softplus = (x: ArrayLike): NDArray => logaddexp(float(x, "softplus"), 0);

/** log σ(x) = −softplus(−x). */
export const logSigmoid = (x: ArrayLike): NDArray => negative(softplus(negative(float(x, "logSigmoid"))));

/** x / (|x| + 1). */
export const softSign = (x: ArrayLike): NDArray => {
  const a = float(x, "softSign");
  return a.div(abs(a).add(1));
};

/**
 * x·σ(x) (also called swish).
 * @example
 * nn.silu(0); // 0
 */
export const silu = (x: ArrayLike): NDArray => {
  const a = float(x, "silu");
  return a.mul(expit(a));
};
export const swish = silu;

/** x for x ≥ 0, `negativeSlope`·x below. */
export const leakyRelu = (x: ArrayLike, negativeSlope = 0.01): NDArray => {
  const a = float(x, "leakyRelu");
  return where(greaterEqual(a, 0), a, a.mul(negativeSlope));
};

/** x clipped to [−1, 1]. */
export const hardTanh = (x: ArrayLike): NDArray => {
  const a = float(x, "hardTanh");
  return where(greaterEqual(a, 1), 1, where(lessEqual(a, -1), -1, a));
};

/**
 * x for x > 0, α(eˣ − 1) below. The exponential only ever sees x ≤ 0, so large x gives no
 * overflow and no NaN in the gradient.
 * @example
 * nn.elu([-1, 2]); // [-0.6321205588285577, 2]
 */
export const elu = (x: ArrayLike, alpha = 1): NDArray => {
  const a = float(x, "elu");
  const pos = greater(a, 0);
  return where(pos, a, expm1(where(pos, 0, a)).mul(alpha));
};

/** max(0, x) + min(0, α(e^{x/α} − 1)). */
export const celu = (x: ArrayLike, alpha = 1): NDArray => {
  const a = float(x, "celu");
  const pos = greater(a, 0);
  return where(pos, a, expm1(where(pos, 0, a).div(alpha)).mul(alpha));
};

/** The self-normalizing ELU: λ·elu(x, α) with JAX's constants. */
export const selu = (x: ArrayLike): NDArray => elu(float(x, "selu"), 1.6732632423543772848170429916717).mul(1.0507009873554804934193349852946);

/**
 * x·Φ(x): with `approximate` (the default, as JAX) ½x(1 + tanh(√(2/π)(x + 0.044715x³))),
 * otherwise ½x(1 + erf(x/√2)).
 * @example
 * nn.gelu(1, false); // 0.8413447460685429
 */
export const gelu = (x: ArrayLike, approximate = true): NDArray => {
  const a = float(x, "gelu");
  if (approximate) return a.mul(0.5).mul(tanh(a.add(a.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1));
  return a.mul(0.5).mul(erf(a.mul(Math.SQRT1_2)).add(1));
};

/** The gated linear unit: the first half of `axis` times σ(the second half). */
export const glu = (x: ArrayLike, axis = -1): NDArray => {
  const a = float(x, "glu");
  const [u, v] = split(a, 2, { axis });
  return u!.mul(expit(v!));
};

/** softmax along `axis` (default −1). */
export const softmax = (x: ArrayLike, axis: number | readonly number[] = -1): NDArray => sm(x, { axis });
/** log softmax along `axis` (default −1). */
export const logSoftmax = (x: ArrayLike, axis: number | readonly number[] = -1): NDArray => lsm(x, { axis });
/** log Σ exp along `axis` (all axes by default), as `scipy.special.logsumexp`. */
export const logsumexp = (x: ArrayLike, axis?: number | readonly number[], keepdims = false): NDArray => lse(x, { axis, keepdims });

/**
 * (x − mean) / √(var + ε) along `axis` (default −1).
 * @example
 * nn.standardize([1, 2, 3], -1, 0); // [-1.224744871391589, 0, 1.224744871391589]
 */
export const standardize = (x: ArrayLike, axis: number | readonly number[] = -1, epsilon = 1e-5): NDArray => {
  const a = float(x, "standardize");
  const opts = { axis, keepdims: true };
  return subtract(a, mean(a, opts)).div(sqrt(variance(a, opts).add(epsilon)));
};

/**
 * One-hot encoding of integer labels: a new last axis of length `numClasses`, 1 at each label
 * (labels outside [0, numClasses) give a row of zeros, as JAX).
 * @example
 * nn.oneHot([0, 2], 3); // [[1, 0, 0], [0, 0, 1]]
 */
export const oneHot = (x: ArrayLike, numClasses: number, dtype: DType = "float64"): NDArray => {
  if (!Number.isInteger(numClasses) || numClasses < 0) throw new RangeError(`nn.oneHot: numClasses must be a non-negative integer, got ${numClasses}`);
  const labels = asarray(x, undefined, "nn.oneHot", "x");
  return equal(expandDims(labels, -1), arange(numClasses)).astype(dtype);
};
export { maxPool, avgPool, type PoolOptions, type AvgPoolOptions } from "./pooling.ts";
export * as initializers from "./initializers.ts";
