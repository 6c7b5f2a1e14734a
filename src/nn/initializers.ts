/**
 * @file `nn.initializers`, as JAX's `jax.nn.initializers`: factories that return
 * `init(key, shape, dtype?)`, drawing from `np.random` with JAX's fan conventions.
 */
import type { NDArray } from "../core/ndarray.ts";
import type { DType } from "../core/dtype.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { full } from "../numpy/creation.ts";
import { multiply, sign } from "../numpy/math.ts";
import { diag } from "../numpy/rearrange.ts";
import { qr } from "../numpy/linalg.ts";
import * as random from "../numpy/random.ts";

/** An initializer: a fresh array of `shape` drawn from `key`. */
export type Initializer = (key: random.Key, shape: readonly number[], dtype?: FloatDType) => NDArray;
type FloatDType = Extract<DType, "float64" | "float32">;

/** Which fan a variance-scaling initializer scales by: inputs, outputs, or their mean (JAX's `mode`). */
export type FanMode = "fan_in" | "fan_out" | "fan_avg";
/** The distribution a variance-scaling initializer draws from (JAX's `distribution`). */
export type Distribution = "truncated_normal" | "normal" | "uniform";

/** The standard deviation of a standard normal truncated to [−2, 2]: JAX divides by it. */
const TRUNCATED_STD = 0.87962566103423978;

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const cast = (x: NDArray, dtype: FloatDType | undefined) => (dtype === undefined || dtype === x.dtype ? x : x.astype(dtype));

function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${op}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

/**
 * JAX's fans: the input axis is −2, the output axis −1, the rest a receptive field (so a conv kernel
 * laid out HWIO has fan_in = H·W·I and fan_out = H·W·O).
  * @example
  * nn.initializers.computeFans([3, 3, 16, 32]); // [144, 288]
 */
export function computeFans(shape: readonly number[], inAxis = -2, outAxis = -1): [number, number] {
  if (shape.length < 2) {
    throw new ShapeError(`nn.initializers: cannot compute the fans of a ${shape.length}-d shape ${fmtShape(shape)}; weights must be at least 2-d`);
  }
  const at = (a: number) => shape[a < 0 ? a + shape.length : a]!;
  const [inSize, outSize] = [at(inAxis), at(outAxis)];
  const receptive = prod(shape) / (inSize * outSize);
  return [inSize * receptive, outSize * receptive];
}

/**
 * `variance_scaling(scale, mode, distribution)`: samples of variance scale / n, with n the fan in,
 * fan out or their mean. `truncated_normal` is a normal truncated to ±2 standard deviations and
 * rescaled to the variance; `uniform` is U(−√(3v), √(3v)).
 * @example
 * const init = nn.initializers.varianceScaling(2, "fan_in", "normal");
 * init(np.random.key(0), [3, 4]).shape; // [3, 4]
 */
export function varianceScaling(scale: number, mode: FanMode, distribution: Distribution, opts: { inAxis?: number; outAxis?: number } = {}): Initializer {
  const op = "nn.initializers.varianceScaling";
  if (!(scale > 0)) throw new RangeError(`${op}: scale must be positive, got ${scale}`);
  if (!["fan_in", "fan_out", "fan_avg"].includes(mode)) throw new TypeError(`${op}: mode must be 'fan_in', 'fan_out' or 'fan_avg', got ${JSON.stringify(mode)}`);
  if (!["truncated_normal", "normal", "uniform"].includes(distribution)) {
    throw new TypeError(`${op}: distribution must be 'truncated_normal', 'normal' or 'uniform', got ${JSON.stringify(distribution)}`);
  }
  return (key, shape, dtype) => {
    checkShape(op, shape);
    const [fanIn, fanOut] = computeFans(shape, opts.inAxis, opts.outAxis);
    const n = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / n;
    if (distribution === "truncated_normal") {
      return cast(multiply(random.truncatedNormal(key, -2, 2, shape), Math.sqrt(variance) / TRUNCATED_STD), dtype);
    }
    if (distribution === "normal") return cast(multiply(random.normal(key, shape), Math.sqrt(variance)), dtype);
    return cast(multiply(random.uniform(key, shape, { minval: -1, maxval: 1 }), Math.sqrt(3 * variance)), dtype);
  };
}

/**
 * Glorot (Xavier) normal: variance 1 / fan_avg, truncated normal.
 * @example
 * nn.initializers.glorotNormal()(np.random.key(0), [3, 3, 16, 32]).shape; // [3, 3, 16, 32]
 */
export const glorotNormal = (): Initializer => varianceScaling(1, "fan_avg", "truncated_normal");
/**
 * Glorot (Xavier) uniform: U(−√(6 / (fan_in + fan_out)), +…).
 * @example
 * const w = nn.initializers.glorotUniform()(np.random.key(0), [3, 4]);
 * np.all(np.lessEqual(np.abs(w), Math.sqrt(6 / 7))); // true
 */
export const glorotUniform = (): Initializer => varianceScaling(1, "fan_avg", "uniform");
/**
 * He (Kaiming) normal: variance 2 / fan_in, truncated normal.
 * @example
 * nn.initializers.heNormal()(np.random.key(0), [16, 8]).shape; // [16, 8]
 */
export const heNormal = (): Initializer => varianceScaling(2, "fan_in", "truncated_normal");
/**
 * He (Kaiming) uniform: U(−√(6 / fan_in), +…).
 * @example
 * const w = nn.initializers.heUniform()(np.random.key(0), [6, 2]);
 * np.all(np.lessEqual(np.abs(w), 1)); // true
 */
export const heUniform = (): Initializer => varianceScaling(2, "fan_in", "uniform");
/**
 * LeCun normal: variance 1 / fan_in, truncated normal.
 * @example
 * nn.initializers.lecunNormal()(np.random.key(0), [4, 2]).shape; // [4, 2]
 */
export const lecunNormal = (): Initializer => varianceScaling(1, "fan_in", "truncated_normal");
/**
 * LeCun uniform: U(−√(3 / fan_in), +…).
 * @example
 * const w = nn.initializers.lecunUniform()(np.random.key(0), [3, 2]);
 * np.all(np.lessEqual(np.abs(w), 1)); // true
 */
export const lecunUniform = (): Initializer => varianceScaling(1, "fan_in", "uniform");

/**
 * Normal samples of standard deviation `stddev` (default 0.01, as JAX).
 * @example
 * nn.initializers.normal(0.1)(np.random.key(1), [5]).shape; // [5]
 */
export const normal = (stddev = 1e-2): Initializer => (key, shape, dtype) => {
  checkShape("nn.initializers.normal", shape);
  return cast(multiply(random.normal(key, shape), stddev), dtype);
};

/**
 * Uniform samples in [0, scale) (default 0.01, as JAX).
 * @example
 * const w = nn.initializers.uniform(0.5)(np.random.key(0), [10]);
 * np.all(np.logicalAnd(np.greaterEqual(w, 0), np.less(w, 0.5))); // true
 */
export const uniform = (scale = 1e-2): Initializer => (key, shape, dtype) => {
  checkShape("nn.initializers.uniform", shape);
  return cast(random.uniform(key, shape, { minval: 0, maxval: scale }), dtype);
};

/**
 * A (semi-)orthogonal matrix, as JAX's: the Q of the QR factorization of a normal matrix (signs
 * fixed by R's diagonal, so Q is uniform over orthogonal matrices), the last axis as columns and
 * the others flattened into rows.
 * @example
 * const q = nn.initializers.orthogonal()(np.random.key(0), [4, 3]);
 * np.matmul(q.T, q); // ≈ the 3 × 3 identity
 */
export const orthogonal = (scale = 1): Initializer => (key, shape, dtype) => {
  const op = "nn.initializers.orthogonal";
  checkShape(op, shape);
  if (shape.length < 2) throw new ShapeError(`${op}: needs at least a 2-d shape, got ${fmtShape(shape)}`);
  const nCols = shape[shape.length - 1]!;
  const nRows = prod(shape) / nCols;
  const wide = nRows < nCols;
  const a = random.normal(key, wide ? [nCols, nRows] : [nRows, nCols]);
  const [q, r] = qr(a);
  const fixed = multiply(q, sign(diag(r)));
  const m = wide ? fixed.T : fixed;
  return cast(m.reshape([...shape]).mul(scale), dtype);
};

/**
 * Zeros of `shape` (an initializer itself, as JAX's `zeros`).
 * @example
 * nn.initializers.zeros(np.random.key(0), [2]); // [0, 0]
 */
export const zeros: Initializer = (_key, shape, dtype) => full([...shape], 0, { dtype: dtype ?? "float64" });

/**
 * Ones of `shape` (an initializer itself).
 * @example
 * nn.initializers.ones(np.random.key(0), [2]); // [1, 1]
 */
export const ones: Initializer = (_key, shape, dtype) => full([...shape], 1, { dtype: dtype ?? "float64" });
