/**
 * @file `np.random`: JAX-style functional random numbers, and a seeded stateful generator for
 * ported NumPy scripts.
 *
 * A key is an int32 array of shape `[2]` holding two 32-bit words (JAX's uint32 key data, same
 * bits). Every function is a pure function of its key: the same key gives the same numbers on every
 * run and machine, and `vmap` over a batch of keys (shape `[n, 2]`) equals a loop. Bits come from
 * Threefry-2x32 exactly as JAX makes them (with `jax_threefry_partitionable`, the default since JAX
 * 0.5): `key`, `split`, `foldIn`, `uniform`, `bernoulli`, `gumbel`, `categorical` and `exponential`
 * give JAX's float64 (x64) values, and `normal` and `truncatedNormal` agree to rounding.
 * `randint`, `permutation`, `choice`, `gamma`, `beta` and `dirichlet` use their own documented
 * transforms. Samples are differentiable in their distribution parameters (`minval`, `maxval`,
 * `lower`, `upper`, and `a`, `b`, `alpha` through implicit reparameterization), never in the key.
 */
import { NDArray, ConcreteArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray, full } from "./creation.ts";
import { arange } from "./ranges.ts";
import { normAxis, prepare, broadcastShapes } from "./broadcast.ts";
import { isFloat } from "../core/dtype.ts";
import { add, divide, log, log1p, maximum, minimum, multiply, negative, subtract } from "./math.ts";
import { less } from "./logic.ts";
import { argmax, cumsum, sum } from "./reductions.ts";
import { argsort } from "./sorting.ts";
import { take, searchsorted } from "./indexing-fns.ts";
import * as s from "../primitives/structural.ts";
import * as b from "../primitives/binary.ts";
import { lt, select } from "../primitives/compare.ts";
import { floor } from "../primitives/unary.ts";
import { erf, erfinv } from "../primitives/special.ts";
import { stopGradient } from "../primitives/unary.ts";
import { threefry2x32, randomGamma } from "../primitives/random.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const uniformOpts = P.options("np.random.uniform", { minval: P.arrayLike, maxval: P.arrayLike });
const categoricalOpts = P.options("np.random.categorical", { axis: P.axis, shape: P.shape });
const permutationOpts = P.options("np.random.permutation", { axis: P.axis });
const choiceOpts = P.options("np.random.choice", { shape: P.shape, replace: P.bool, p: P.arrayLike, axis: P.axis });

/** A PRNG key: int32 `[2]` (or `[..., 2]` for several keys). */
export type Key = NDArray;
type Shape = number | readonly number[];

const TWO32 = 4294967296;

function shapeOf(op: string, shape: Shape | undefined): number[] {
  requireStatic(op, "shape", shape, "a shape");
  return shape === undefined ? [] : P.parseShape(op, shape);
}

/** Checks that `key` is one key; `TypeError` naming `op` otherwise. */
function checkKey(op: string, key: unknown): NDArray {
  if (!(key instanceof NDArray) || key.dtype !== "int32" || key.ndim !== 1 || key.shape[0] !== 2) {
    const what = key instanceof NDArray ? `an ${key.dtype} array of shape ${fmtShape(key.shape)}` : typeof key;
    throw new TypeError(
      `${op}: key must be a PRNG key, an int32 array of shape (2,) from np.random.key(seed) or np.random.split; got ${what}` +
        (key instanceof NDArray && key.ndim === 2 ? " (for a batch of keys, vmap over them)" : ""),
    );
  }
  return key;
}

/** The two words of `key`, broadcast to `shape`. */
function keyWords(key: NDArray, shape: readonly number[]): [NDArray, NDArray] {
  const word = (i: number) => s.broadcastTo(s.reshape(s.slice(key, [i], [1], [1]), []), shape);
  return [word(0), word(1)];
}

/** Counters (hi, lo) = the row-major index of each element of `shape` (JAX's `iota_2x32_shape`). */
function counters(shape: readonly number[]): [NDArray, NDArray] {
  const n = shape.reduce((p, d) => p * d, 1);
  return [full(shape, 0, { dtype: "int32" }), s.reshape(arange(n, undefined, 1, { dtype: "int32" }), shape)];
}

/** Threefry of `key` with one counter per element of `shape`: two int32 words per element. */
function bits2x32(key: NDArray, shape: readonly number[]): [NDArray, NDArray] {
  const [k0, k1] = keyWords(key, shape);
  const [c0, c1] = counters(shape);
  return threefry2x32(k0, k1, c0, c1);
}

/** A 32-bit word (int32 bit pattern) as its unsigned value, in float64. */
function unsigned(w: NDArray): NDArray {
  const f = s.convert(w, "float64");
  return select(lt(f, b.fullLike(f, 0)), b.add(f, b.fullLike(f, TWO32)), f);
}

/** Uniform floats in [0, 1) from the top 52 of the 64 bits per element, exactly as JAX (x64). */
function unitUniform(key: NDArray, shape: readonly number[]): NDArray {
  const [hi, lo] = bits2x32(key, shape);
  const h = unsigned(hi);
  const mant = b.add(b.mul(h, b.fullLike(h, 2 ** 20)), floor(b.mul(unsigned(lo), b.fullLike(h, 2 ** -12))));
  return b.mul(mant, b.fullLike(mant, 2 ** -52));
}

// ---------------------------------------------------------------- keys

/**
 * `np.random.key(seed)`: a key from an integer seed (its 64-bit two's complement as two words, as
 * JAX's `PRNGKey`). Also `np.random.PRNGKey`.
 * @example
 * np.random.key(0).toArray(); // [0, 0]
 */
export function key(seed: number): NDArray {
  requireStatic("np.random.key", "seed", seed, "a number");
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new TypeError(`np.random.key: seed must be a safe integer, got ${String(seed)}`);
  }
  const u = BigInt.asUintN(64, BigInt(seed));
  return new ConcreteArray(Int32Array.of(Number(BigInt.asIntN(32, u >> 32n)), Number(BigInt.asIntN(32, u))), [2], "int32");
}
/**
 * `jax.random.PRNGKey(seed)`: the older name of {@link key}, a raw int32 key of shape `[2]`.
 * @example
 * np.random.PRNGKey(1).toArray(); // [0, 1]
 */
export const PRNGKey = key;

/**
 * `np.random.split(key, num = 2)`: `num` new independent keys, shape `[num, 2]`; take them with
 * `keys.get(i)` (`const [a, b] = [ks.get(0), ks.get(1)]`).
 * @example
 * np.random.split(np.random.key(0)).shape; // [2, 2]
 */
export function split(key: Key, num = 2): NDArray {
  const k = checkKey("np.random.split", key);
  requireStatic("np.random.split", "num", num, "a count");
  if (!Number.isInteger(num) || num < 0) throw new TypeError(`np.random.split: num must be a non-negative integer, got ${num}`);
  const [y0, y1] = bits2x32(k, [num]);
  return s.concatenate([s.reshape(y0, [num, 1]), s.reshape(y1, [num, 1])], 1);
}

/**
 * `np.random.foldIn(key, data)`: a new key from `key` and an integer (e.g. a step number); the same
 * as `split(key, data + 1).get(data)`.
  * @example
  * const k = np.random.key(0);
  * np.random.foldIn(k, 3).toArray().join() === np.random.split(k, 4).get(3).toArray().join(); // true
 */
export function foldIn(key: Key, data: number | NDArray): NDArray {
  const k = checkKey("np.random.foldIn", key);
  let d: NDArray;
  if (typeof data === "number") {
    if (!Number.isInteger(data)) throw new TypeError(`np.random.foldIn: data must be an integer, got ${data}`);
    d = new ConcreteArray(Int32Array.of(Number(BigInt.asIntN(32, BigInt(data)))), [], "int32");
  } else {
    if (data.ndim !== 0) throw new TypeError(`np.random.foldIn: data must be a scalar, got shape ${fmtShape(data.shape)}`);
    d = s.convert(data, "int32");
  }
  const [k0, k1] = keyWords(k, []);
  const [y0, y1] = threefry2x32(k0, k1, full([], 0, { dtype: "int32" }), d);
  return s.concatenate([s.reshape(y0, [1]), s.reshape(y1, [1])], 0);
}

// ---------------------------------------------------------------- continuous distributions

/** Float parameters as arrays that broadcast to `shape` (a `ShapeError` naming `op` otherwise). */
function params(op: string, shape: readonly number[], xs: readonly ArrayLike[], names: readonly string[]): NDArray[] {
  const arrays = prepare(op, xs, true, names);
  const out = broadcastShapes(op, arrays[0]!.shape, shape);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${op}: ${names.join(", ")} of shape ${fmtShape(arrays[0]!.shape)} do not broadcast to the requested shape ${fmtShape(shape)}`);
  }
  return arrays.map((a) => s.broadcastTo(a, shape));
}

/**
 * `np.random.uniform(key, shape = [], {minval = 0, maxval = 1})`: uniform in [minval, maxval).
 * Differentiable in `minval` and `maxval`.
 * @example
 * np.random.uniform(np.random.key(0), [3]).shape; // [3]
 */
export function uniform(key: Key, shape?: Shape, opts: { minval?: ArrayLike; maxval?: ArrayLike } = {}): NDArray {
  opts = uniformOpts(opts);
  const op = "np.random.uniform";
  const shp = shapeOf(op, shape);
  const u = unitUniform(checkKey(op, key), shp);
  const [lo, hi] = params(op, shp, [opts.minval ?? 0, opts.maxval ?? 1], ["minval", "maxval"]);
  return maximum(lo!, add(multiply(u, subtract(hi!, lo!)), lo!));
}

/**
 * `np.random.normal(key, shape = [])`: standard normal samples, √2·erfinv(u) as JAX.
 * @example
 * np.random.normal(np.random.key(0), [2, 2]).shape; // [2, 2]
 */
export function normal(key: Key, shape?: Shape): NDArray {
  const u = uniform(checkKey("np.random.normal", key), shapeOf("np.random.normal", shape), { minval: -1 + 2 ** -53, maxval: 1 });
  return b.mul(b.fullLike(u, Math.SQRT2), erfinv(u));
}

/**
 * `np.random.truncatedNormal(key, lower, upper, shape?)`: standard normal samples conditioned on
 * [lower, upper] (by inverting the CDF, as JAX); differentiable in `lower` and `upper`.
  * @example
  * const x = np.random.truncatedNormal(np.random.key(0), -1, 1, [100]);
  * np.all(np.lessEqual(np.abs(x), 1)); // true
 */
export function truncatedNormal(key: Key, lower: ArrayLike, upper: ArrayLike, shape?: Shape): NDArray {
  const op = "np.random.truncatedNormal";
  const k = checkKey(op, key);
  const [l0, u0] = prepare(op, [lower, upper], true, ["lower", "upper"]);
  const shp = shape === undefined ? l0!.shape.slice() : shapeOf(op, shape);
  const [lo, hi] = params(op, shp, [l0!, u0!], ["lower", "upper"]);
  const c = (x: NDArray, v: number) => b.fullLike(x, v);
  const a = erf(b.div(lo!, c(lo!, Math.SQRT2)));
  const bb = erf(b.div(hi!, c(hi!, Math.SQRT2)));
  const u = uniform(k, shp, { minval: a, maxval: bb });
  const out = b.mul(c(u, Math.SQRT2), erfinv(u));
  // Rounding may step just outside [lower, upper]; clip to the (stopped) bounds, as JAX.
  return minimum(maximum(out, stopGradient(lo!)), stopGradient(hi!));
}

/**
 * `np.random.exponential(key, shape = [])`: Exp(1) samples, −log(1 − u).
 * @example
 * const x = np.random.exponential(np.random.key(0), [2, 50]);
 * x.shape; // [2, 50]
 * np.all(np.greaterEqual(x, 0)); // true
 */
export function exponential(key: Key, shape?: Shape): NDArray {
  const u = unitUniform(checkKey("np.random.exponential", key), shapeOf("np.random.exponential", shape));
  return negative(log1p(negative(u)));
}

/**
 * `np.random.gumbel(key, shape = [])`: standard Gumbel samples, −log(−log u).
 * @example
 * np.random.gumbel(np.random.key(0), [3]).shape; // [3]
 */
export function gumbel(key: Key, shape?: Shape): NDArray {
  const u = uniform(checkKey("np.random.gumbel", key), shapeOf("np.random.gumbel", shape), { minval: 2.2250738585072014e-308, maxval: 1 });
  return negative(log(negative(log(u))));
}

/**
 * `np.random.gamma(key, a, shape?)`: Gamma(a, 1) samples, by inverting the CDF of a uniform draw per
 * element; differentiable in `a` (implicit reparameterization).
 * @example
 * np.random.gamma(np.random.key(0), 2, [3]).shape; // [3]
 */
export function gamma(key: Key, a: ArrayLike, shape?: Shape): NDArray {
  const op = "np.random.gamma";
  const k = checkKey(op, key);
  const [a0] = prepare(op, [a], true, ["a"]);
  const shp = shape === undefined ? a0!.shape.slice() : shapeOf(op, shape);
  const [alpha] = params(op, shp, [s.convert(a0!, "float64")], ["a"]);
  // One subkey per element, then one uniform from each inside the sampler.
  const [w0, w1] = bits2x32(k, shp);
  return randomGamma(w0, w1, alpha!);
}

/**
 * `np.random.beta(key, a, b, shape?)`: Beta(a, b) samples as X / (X + Y) with gamma X, Y; differentiable in `a`, `b`.
 * @example
 * const x = np.random.beta(np.random.key(0), 2, 3, [50]);
 * np.all(np.logicalAnd(np.greater(x, 0), np.less(x, 1))); // true
 */
export function beta(key: Key, a: ArrayLike, bParam: ArrayLike, shape?: Shape): NDArray {
  const op = "np.random.beta";
  const k = checkKey(op, key);
  const [a0, b0] = prepare(op, [a, bParam], true, ["a", "b"]);
  const shp = shape === undefined ? a0!.shape.slice() : shapeOf(op, shape);
  const [pa, pb] = params(op, shp, [a0!, b0!], ["a", "b"]);
  const ks = split(k);
  const x = gamma(s.reshape(s.slice(ks, [0, 0], [1, 1], [1, 2]), [2]), pa!, shp);
  const y = gamma(s.reshape(s.slice(ks, [1, 0], [1, 1], [1, 2]), [2]), pb!, shp);
  return divide(x, add(x, y));
}

/**
 * `np.random.dirichlet(key, alpha, shape?)`: Dirichlet(alpha) samples over the last axis of
 * `alpha`; the result has shape `[...shape, k]`. Differentiable in `alpha`.
  * @example
  * np.sum(np.random.dirichlet(np.random.key(0), [1, 2, 3], [2]), { axis: -1 }); // [1, 1]
 */
export function dirichlet(key: Key, alpha: ArrayLike, shape?: Shape): NDArray {
  const op = "np.random.dirichlet";
  const k = checkKey(op, key);
  const [al] = prepare(op, [alpha], true, ["alpha"]);
  if (al!.ndim < 1) throw new ShapeError(`${op}: alpha must have at least one axis, got shape ${fmtShape(al!.shape)}`);
  const shp = shape === undefined ? al!.shape.slice(0, -1) : shapeOf(op, shape);
  const g = gamma(k, s.broadcastTo(al!, [...shp, al!.shape[al!.ndim - 1]!]));
  return divide(g, sum(g, { axis: -1, keepdims: true }));
}

// ---------------------------------------------------------------- discrete distributions

/**
 * `np.random.bernoulli(key, p = 0.5, shape?)`: booleans, true with probability `p` (`u < p`, as JAX).
 * @example
 * np.random.bernoulli(np.random.key(0), 0.3, [5]).dtype;
 */
export function bernoulli(key: Key, p: ArrayLike = 0.5, shape?: Shape): NDArray {
  const op = "np.random.bernoulli";
  const k = checkKey(op, key);
  const [p0] = prepare(op, [p], true, ["p"]);
  const shp = shape === undefined ? p0!.shape.slice() : shapeOf(op, shape);
  const [pp] = params(op, shp, [p0!], ["p"]);
  return less(unitUniform(k, shp), pp!);
}

/**
 * `np.random.categorical(key, logits, {axis = -1, shape})`: indices drawn with probabilities
 * softmax(logits) along `axis` (the Gumbel-max trick, as JAX). `shape` defaults to the other axes of
 * `logits` and may add leading sample axes.
  * @example
  * np.random.categorical(np.random.key(0), [-Infinity, 0, -Infinity], { shape: [3] }); // [1, 1, 1]
 */
export function categorical(key: Key, logits: ArrayLike, opts: { axis?: number; shape?: Shape } = {}): NDArray {
  opts = categoricalOpts(opts);
  const op = "np.random.categorical";
  const k = checkKey(op, key);
  const lg = asarray(logits, undefined, op, "logits");
  const x = isFloat(lg.dtype) ? lg : s.convert(lg, "float64");
  if (x.ndim === 0) throw new ShapeError(`${op}: logits must have at least one axis`);
  const axis = normAxis(op, opts.axis ?? -1, x.ndim);
  const batch = x.shape.filter((_, i) => i !== axis);
  const shp = opts.shape === undefined ? batch : shapeOf(op, opts.shape);
  const tail = shp.slice(shp.length - batch.length);
  if (shp.length < batch.length || tail.some((d, i) => d !== batch[i])) {
    throw new ShapeError(`${op}: shape ${fmtShape(shp)} must end with the batch shape ${fmtShape(batch)} of logits ${fmtShape(x.shape)}`);
  }
  const prefix = shp.slice(0, shp.length - batch.length);
  const full_ = [...prefix, ...x.shape];
  const noise = gumbel(k, full_);
  return argmax(add(noise, s.broadcastTo(x, full_)), { axis: prefix.length + axis });
}

/**
 * `np.random.randint(key, shape, minval, maxval)`: integers in [minval, maxval), int32, as
 * floor(u · (maxval − minval)) + minval with a 52-bit u (bias below 2⁻²⁰ for any int32 range).
  * @example
  * np.random.randint(np.random.key(0), [3], 5, 6); // [5, 5, 5]
 */
export function randint(key: Key, shape: Shape, minval: ArrayLike, maxval: ArrayLike): NDArray {
  const op = "np.random.randint";
  const k = checkKey(op, key);
  const shp = shapeOf(op, shape);
  const [lo, hi] = params(op, shp, [minval, maxval], ["minval", "maxval"]).map((x) => s.convert(s.convert(x, "int32"), "float64"));
  const u = unitUniform(k, shp);
  // An empty range gives minval, as JAX.
  const span = b.max(b.sub(hi!, lo!), b.fullLike(lo!, 1));
  return s.convert(b.add(floor(b.mul(u, span)), lo!), "int32");
}

/**
 * `np.random.permutation(key, x, {axis = 0})`: a random permutation of `arange(x)` (for a number) or
 * of `x` along `axis` (by sorting 52-bit random keys). Differentiable in `x`.
 * @example
 * np.random.permutation(np.random.key(0), 5).shape; // [5]
 */
export function permutation(key: Key, x: number | ArrayLike, opts: { axis?: number } = {}): NDArray {
  opts = permutationOpts(opts);
  const op = "np.random.permutation";
  const k = checkKey(op, key);
  if (typeof x === "number") {
    if (!Number.isInteger(x) || x < 0) throw new TypeError(`${op}: x must be a non-negative integer or an array, got ${x}`);
    return argsort(unitUniform(k, [x]));
  }
  const a = asarray(x, undefined, op, "x");
  if (a.ndim === 0) requireStatic(op, "x", a, "a size");
  if (a.ndim === 0) throw new TypeError(`${op}: x must be an integer or at least 1-dimensional`);
  const axis = normAxis(op, opts.axis ?? 0, a.ndim);
  return take(a, argsort(unitUniform(k, [a.shape[axis]!])), { axis });
}

/**
 * `np.random.choice(key, a, {shape = [], replace = true, p, axis = 0})`: samples of `a` (or of
 * `arange(a)` for a number), with replacement or not, uniformly or with probabilities `p`.
  * @example
  * np.random.choice(np.random.key(0), [7, 8, 9], { shape: [2], p: [0, 1, 0] }); // [8, 8]
 */
export function choice(
  key: Key,
  a: number | ArrayLike,
  opts: { shape?: Shape; replace?: boolean; p?: ArrayLike; axis?: number } = {},
): NDArray {
  opts = choiceOpts(opts);
  const op = "np.random.choice";
  const k = checkKey(op, key);
  const shp = shapeOf(op, opts.shape);
  const arr = typeof a === "number" ? null : asarray(a, undefined, op, "a");
  if (arr !== null && arr.ndim === 0) requireStatic(op, "a", arr, "a size");
  if (arr !== null && arr.ndim === 0) throw new TypeError(`${op}: a must be a number or an array with at least one axis`);
  const axis = arr === null ? 0 : normAxis(op, opts.axis ?? 0, arr.ndim);
  const n = arr === null ? (a as number) : arr.shape[axis]!;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${op}: a must be a positive integer or a non-empty array, got ${n}`);
  const draws = shp.reduce((p, d) => p * d, 1);
  const replace = opts.replace ?? true;
  if (!replace && draws > n) {
    throw new RangeError(`${op}: cannot take a larger sample (size ${draws}) than population (size ${n}) when replace is false`);
  }
  let idx: NDArray;
  if (opts.p === undefined) {
    idx = replace ? randint(k, shp, 0, n) : s.reshape(s.slice(permutation(k, n), [0], [1], [draws]), shp);
  } else {
    const [p] = prepare(op, [opts.p], true, ["p"]);
    if (p!.ndim !== 1 || p!.shape[0] !== n) throw new ShapeError(`${op}: p must be 1-D with one entry per choice (${n}), got shape ${fmtShape(p!.shape)}`);
    if (replace) {
      // Inverse CDF: the first index whose cumulative probability exceeds u · total.
      const c = cumsum(p!);
      const total = s.reshape(s.slice(c, [n - 1], [1], [1]), []);
      const r = multiply(unitUniform(k, shp), total);
      idx = minimum(searchsorted(c, r, { side: "right" }), n - 1);
    } else {
      // Gumbel top-k: the `draws` largest log p + Gumbel noise.
      const g = add(gumbel(k, [n]), log(p!));
      idx = s.reshape(s.slice(argsort(negative(g)), [0], [1], [draws]), shp);
    }
  }
  idx = s.convert(idx, "int32");
  return arr === null ? idx : take(arr, idx, { axis });
}

// ---------------------------------------------------------------- stateful generator

import { RandomState } from "./random-state.ts";

export { RandomState };

const globalState = new RandomState(0);

/**
 * `np.random.seed(s)`: reseeds the global generator behind `np.random.rand` and `np.random.randn` (NumPy's numbers for the same seed).
 * @example
 * np.random.seed(1);
 * np.random.rand(2); // [0.417022004702574, 0.7203244934421581]
 */
export const seed = (s0: number | readonly number[]): void => globalState.seed(s0);
/**
 * `np.random.rand(d0, d1, …)`: uniform in [0, 1) from the global generator (seed 0 until `seed`).
 * @example
 * np.random.seed(1);
 * np.random.rand(2); // [0.417022004702574, 0.7203244934421581]
 */
export const rand = (...shape: number[]): NDArray => globalState.rand(...shape);
/**
 * `np.random.randn(d0, d1, …)`: standard normal from the global generator (seed 0 until `seed`).
 * @example
 * np.random.seed(0);
 * np.random.randn(2); // [1.764052345967664, 0.4001572083672233]
 */
export const randn = (...shape: number[]): NDArray => globalState.randn(...shape);
