/**
 * @file `nn`: the activation functions and helpers of JAX's `jax.nn`, as compositions of `np`
 * functions, so each is differentiable to any order and batchable. At a kink where one side is
 * flat (relu at 0, relu6 at 0 and 6, hardTanh at ±1) the derivative is the flat side's, 0, as for
 * JAX's `relu`, rather than the average of the two sides that `np.maximum` gives at a tie.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { expm1, tanh, abs, logaddexp, sqrt, subtract, negative } from "../numpy/math.ts";
import { where, greater, greaterEqual, lessEqual, equal } from "../numpy/logic.ts";
import { mean, variance } from "../numpy/reductions.ts";
import { expandDims } from "../numpy/shape.ts";
import { split } from "../numpy/rearrange.ts";
import { arange } from "../numpy/ranges.ts";
import { isFloat, type DType } from "../core/dtype.ts";
import { rejectComplex } from "../numpy/broadcast.ts";
import { expit, erf, logsumexp as lse, softmax as sm, logSoftmax as lsm } from "../scipy/special.ts";
import * as P from "../core/parse.ts";

// JAX takes these parameters positionally or by keyword: both `nn.elu(x, 2)` and `nn.elu(x, {alpha: 2})` work.
const axisList = P.union(P.int, P.intList);
const leakyReluOpts = P.options("nn.leakyRelu", { negativeSlope: P.numOrArray }, { positional: "negativeSlope" });
const eluOpts = P.options("nn.elu", { alpha: P.numOrArray }, { positional: "alpha" });
const celuOpts = P.options("nn.celu", { alpha: P.numOrArray }, { positional: "alpha" });
const geluOpts = P.options("nn.gelu", { approximate: P.bool }, { positional: "approximate" });
const gluOpts = P.options("nn.glu", { axis: P.axis }, { positional: "axis" });
const softmaxOpts = P.options("nn.softmax", { axis: axisList }, { positional: "axis" });
const logSoftmaxOpts = P.options("nn.logSoftmax", { axis: axisList }, { positional: "axis" });
const logsumexpOpts = P.options("nn.logsumexp", { axis: P.axes, keepdims: P.bool }, { positional: "axis" });
const standardizeOpts = P.options("nn.standardize", { axis: axisList, epsilon: P.numOrArray }, { positional: "axis" });

const float = (x: ArrayLike, op: string): NDArray => {
  const a = asarray(x, undefined, `nn.${op}`, "x");
  rejectComplex(`nn.${op}`, [a], ["x"], "the activations take real values only");
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

/**
 * min(max(x, 0), 6).
 * @example
 * nn.relu6([-1, 3, 7]); // [0, 3, 6]
 */
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

/**
 * log σ(x) = −softplus(−x).
 * @example
 * nn.logSigmoid(0); // -0.6931471805599453
 */
export const logSigmoid = (x: ArrayLike): NDArray => negative(softplus(negative(float(x, "logSigmoid"))));

/**
 * x / (|x| + 1).
 * @example
 * nn.softSign([1, -3]); // [0.5, -0.75]
 */
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
/**
 * `jax.nn.swish(x)`: an alias of {@link silu}, x·σ(x).
 * @example
 * nn.swish([0, 1]); // [0, 0.7310585786300049]
 */
export const swish = silu;

/**
 * x for x ≥ 0, `negativeSlope`·x below.
 * @example
 * nn.leakyRelu([-1, 2]); // [-0.01, 2]
 * nn.leakyRelu([-1, 2], { negativeSlope: 0.5 }); // [-0.5, 2]
 */
export const leakyRelu = (x: ArrayLike, slopeOrOpts: number | NDArray | { negativeSlope?: number | NDArray } = 0.01): NDArray => {
  const { negativeSlope = 0.01 } = leakyReluOpts(slopeOrOpts);
  const a = float(x, "leakyRelu");
  return where(greaterEqual(a, 0), a, a.mul(negativeSlope));
};

/**
 * x clipped to [−1, 1].
 * @example
 * nn.hardTanh([-2, 0.5, 2]); // [-1, 0.5, 1]
 */
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
export const elu = (x: ArrayLike, alphaOrOpts: number | NDArray | { alpha?: number | NDArray } = 1): NDArray => {
  const { alpha = 1 } = eluOpts(alphaOrOpts);
  const a = float(x, "elu");
  const pos = greater(a, 0);
  return where(pos, a, expm1(where(pos, 0, a)).mul(alpha));
};

/**
 * max(0, x) + min(0, α(e^{x/α} − 1)).
 * @example
 * nn.celu([-1, 1]); // [-0.6321205588285577, 1]
 */
export const celu = (x: ArrayLike, alphaOrOpts: number | NDArray | { alpha?: number | NDArray } = 1): NDArray => {
  const { alpha = 1 } = celuOpts(alphaOrOpts);
  const a = float(x, "celu");
  const pos = greater(a, 0);
  return where(pos, a, expm1(where(pos, 0, a).div(alpha)).mul(alpha));
};

/**
 * The self-normalizing ELU: λ·elu(x, α) with JAX's constants.
 * @example
 * nn.selu([-1, 1]); // [-1.1113307378125625, 1.0507009873554805]
 */
export const selu = (x: ArrayLike): NDArray => elu(float(x, "selu"), 1.6732632423543772848170429916717).mul(1.0507009873554804934193349852946);

/**
 * x·Φ(x): with `approximate` (the default, as JAX) ½x(1 + tanh(√(2/π)(x + 0.044715x³))),
 * otherwise ½x(1 + erf(x/√2)).
 * @example
 * nn.gelu(1, false); // 0.8413447460685429
 */
export const gelu = (x: ArrayLike, approximateOrOpts: boolean | { approximate?: boolean } = true): NDArray => {
  const { approximate = true } = geluOpts(approximateOrOpts);
  const a = float(x, "gelu");
  if (approximate) return a.mul(0.5).mul(tanh(a.add(a.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1));
  return a.mul(0.5).mul(erf(a.mul(Math.SQRT1_2)).add(1));
};

/**
 * The gated linear unit: the first half of `axis` times σ(the second half).
 * @example
 * nn.glu([1, 0]); // [0.5]
 */
export const glu = (x: ArrayLike, axisOrOpts: number | { axis?: number } = -1): NDArray => {
  const { axis = -1 } = gluOpts(axisOrOpts);
  const a = float(x, "glu");
  const [u, v] = split(a, 2, { axis });
  return u!.mul(expit(v!));
};

/**
 * softmax along `axis` (default −1).
 * @example
 * nn.softmax([0, Math.log(3)]); // [0.25, 0.75]
 */
export const softmax = (x: ArrayLike, axis: number | readonly number[] | { axis?: number | readonly number[] } = -1): NDArray =>
  sm(float(x, "softmax"), { axis: softmaxOpts(axis).axis ?? -1 });
/**
 * log softmax along `axis` (default −1).
 * @example
 * nn.logSoftmax([0, 0]); // [-0.6931471805599453, -0.6931471805599453]
 */
export const logSoftmax = (x: ArrayLike, axis: number | readonly number[] | { axis?: number | readonly number[] } = -1): NDArray =>
  lsm(float(x, "logSoftmax"), { axis: logSoftmaxOpts(axis).axis ?? -1 });
/**
 * log Σ exp along `axis` (all axes by default), as `scipy.special.logsumexp`.
 * @example
 * nn.logsumexp([0, 0]); // 0.6931471805599453
 */
export const logsumexp = (
  x: ArrayLike,
  axis?: number | readonly number[] | null | { axis?: number | readonly number[] | null; keepdims?: boolean },
  keepdims = false,
): NDArray => {
  const o = logsumexpOpts(axis);
  if (typeof keepdims !== "boolean") throw new TypeError(`nn.logsumexp: keepdims must be true or false; got ${P.describe(keepdims)}`);
  return lse(float(x, "logsumexp"), { axis: o.axis, keepdims: o.keepdims ?? keepdims });
};

/**
 * (x − mean) / √(var + ε) along `axis` (default −1).
 * @example
 * nn.standardize([1, 2, 3], -1, 0); // [-1.224744871391589, 0, 1.224744871391589]
 */
export const standardize = (
  x: ArrayLike,
  axisOrOpts: number | readonly number[] | { axis?: number | readonly number[]; epsilon?: number } = -1,
  epsilon = 1e-5,
): NDArray => {
  const o = standardizeOpts(axisOrOpts);
  if (P.numOrArray(epsilon)._tag === "Left") throw new TypeError(`nn.standardize: epsilon must be a number; got ${P.describe(epsilon)}`);
  const a = float(x, "standardize");
  const opts = { axis: o.axis ?? -1, keepdims: true };
  return subtract(a, mean(a, opts)).div(sqrt(variance(a, opts).add(o.epsilon ?? epsilon)));
};

/**
 * One-hot encoding of integer labels: a new last axis of length `numClasses`, 1 at each label
 * (labels outside [0, numClasses) give a row of zeros, as JAX).
 * @example
 * nn.oneHot([0, 2], 3); // [[1, 0, 0], [0, 0, 1]]
 */
export const oneHot = (x: ArrayLike, numClasses: number, dtype: DType = "float64"): NDArray => {
  P.parseCount("nn.oneHot", "numClasses", numClasses);
  P.parseDtype("nn.oneHot", "dtype", dtype);
  const labels = asarray(x, undefined, "nn.oneHot", "x");
  rejectComplex("nn.oneHot", [labels], ["x"], "labels must be real (integer) values");
  return equal(expandDims(labels, -1), arange(numClasses)).astype(dtype);
};
export { maxPool, avgPool, type PoolOptions, type AvgPoolOptions } from "./pooling.ts";
export * as initializers from "./initializers.ts";
