/**
 * @file `np.random.RandomState`: NumPy's legacy seeded generator, drawing NumPy's own numbers (its
 * MT19937 stream and legacy algorithms, bit for bit), so a port of a script that seeds
 * `npr.RandomState(0)` gets the noise Python gets.
 */
import { NDArray, ConcreteArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { broadcastShapes } from "./broadcast.ts";
import { add, multiply, subtract } from "./math.ts";
import { take } from "./indexing-fns.ts";
import * as s from "../primitives/structural.ts";
import { concreteBeneath } from "../core/trace.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";
import { LegacyRandom } from "../kernels/mt19937.ts";

type Shape = number | readonly number[];
type Seed = number | readonly number[];

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function sizeShape(op: string, size: Shape | null | undefined): number[] {
  requireStatic(op, "size", size, "a shape");
  return size === undefined || size === null ? [] : P.parseShape(op, size, "size");
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

function checkSeed(seed: unknown): Seed {
  const word = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
  if (word(seed)) return seed as number;
  if (Array.isArray(seed) && seed.length > 0 && seed.every(word)) return seed as number[];
  throw new TypeError(
    `np.random.RandomState: seed must be an integer in [0, 2**32 - 1] or a non-empty array of them (as NumPy's), got ${JSON.stringify(seed)}`,
  );
}

/** The concrete float64 values of a parameter, broadcast to `shape`. */
function floatsAt(op: string, name: string, x: ArrayLike, shape: readonly number[]): Float64Array {
  const a = asarray(x, "float64", op, name);
  const out = broadcastShapes(op, a.shape, shape);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${op}: ${name} of shape ${fmtShape(a.shape)} does not broadcast to size ${fmtShape(shape)}`);
  }
  return (concreteBeneath(s.broadcastTo(concreteBeneath(a, op), shape), op).data as Float64Array).slice();
}

const floats = (data: Float64Array, shape: readonly number[]): NDArray => new ConcreteArray(data, [...shape], "float64");

/**
 * `np.random.RandomState(seed = 0)`: NumPy's legacy seeded generator, drawing NumPy's numbers:
 * MT19937 seeded as NumPy (an integer by Knuth's recurrence, an array by `init_by_array`),
 * uniforms from 53 bits of two words, `randn` by the polar Box–Muller method with the cached second
 * value, `randint`/`permutation`/`shuffle`/`choice` by NumPy's masked rejection and Fisher–Yates,
 * `gamma` by NumPy's legacy Marsaglia–Tsang. `rand`/`uniform`/`randint`/`choice`/`permutation`/
 * `shuffle` are bit for bit NumPy's. `randn`/`normal`/`gamma` go through `log`/`pow`, which NumPy
 * takes from the C library: glibc's misrounds about one argument in 1000 and differs between CPUs
 * with and without FMA, so NumPy's own draws differ across machines; ours use a correctly rounded
 * `log`/`pow` and equal NumPy's (glibc 2.36, FMA) on all but 304 of 10⁶ normals (1–2 ulps) and 94
 * of 2·10⁵ gammas (≤ 6 ulps) — see src/kernels/rounded-math.ts. Arrays are immutable, so `shuffle`
 * returns the shuffled copy. `uniform` and `normal` are differentiable in `low`/`high` and `loc`/`scale`, `gamma` in
 * `scale`; `permutation`/`shuffle`/`choice` of an array in its values.
 * @example
 * new np.random.RandomState(0).rand(3).toArray(); // [0.5488135039273248, 0.7151893663724195, 0.6027633760716439]
 */
export class RandomState {
  private readonly gen = new LegacyRandom();
  constructor(seedValue: Seed = 0) {
    this.gen.seed(checkSeed(seedValue));
  }
  /** Reseeds the generator (and drops the cached normal), as `RandomState.seed`. */
  seed(seedValue: Seed): void {
    this.gen.seed(checkSeed(seedValue));
  }
  private doubles(shape: readonly number[]): NDArray {
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) out[i] = this.gen.double();
    return floats(out, shape);
  }
  private gausses(shape: readonly number[]): NDArray {
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) out[i] = this.gen.gauss();
    return floats(out, shape);
  }
  /** `rand(d0, d1, …)`: uniform in [0, 1). */
  rand(...shape: number[]): NDArray {
    return this.doubles(sizeShape("RandomState.rand", shape));
  }
  /** `randn(d0, d1, …)`: standard normal. */
  randn(...shape: number[]): NDArray {
    return this.gausses(sizeShape("RandomState.randn", shape));
  }
  /** `random_sample(size)`: uniform in [0, 1). */
  randomSample(size?: Shape | null): NDArray {
    return this.doubles(sizeShape("RandomState.randomSample", size));
  }
  /** `random(size)`: the same as `randomSample`. */
  random(size?: Shape | null): NDArray {
    return this.randomSample(size);
  }
  /** `standard_normal(size)`. */
  standardNormal(size?: Shape | null): NDArray {
    return this.gausses(sizeShape("RandomState.standardNormal", size));
  }
  /** The output shape of a two-parameter draw: `size`, or the parameters' broadcast shape. */
  private paramShape(op: string, a: ArrayLike, b: ArrayLike, size: Shape | null | undefined): number[] {
    return size === undefined || size === null ? broadcastShapes(op, asarray(a, "float64", op).shape, asarray(b, "float64", op).shape) : sizeShape(op, size);
  }
  /** `uniform(low = 0, high = 1, size)`: low + (high − low)·u, as NumPy. */
  uniform(low: ArrayLike = 0, high: ArrayLike = 1, size?: Shape | null): NDArray {
    const shp = this.paramShape("RandomState.uniform", low, high, size);
    return add(low, multiply(subtract(high, low), this.doubles(shp)));
  }
  /** `normal(loc = 0, scale = 1, size)`: loc + scale·z, as NumPy. */
  normal(loc: ArrayLike = 0, scale: ArrayLike = 1, size?: Shape | null): NDArray {
    const shp = this.paramShape("RandomState.normal", loc, scale, size);
    return add(loc, multiply(scale, this.gausses(shp)));
  }
  /** `randint(low, high?, size)`: int32 integers in [low, high), or [0, low) without `high` (NumPy's legacy masked rejection). */
  randint(low: number, high?: number | null, size?: Shape | null): NDArray {
    const op = "RandomState.randint";
    const [lo, hi] = high === undefined || high === null ? [0, low] : [low, high];
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new TypeError(`${op}: low and high must be integers, got ${lo} and ${hi}`);
    if (!(hi > lo)) throw new RangeError(`${op}: low >= high (${lo} >= ${hi})`);
    if (lo < INT32_MIN || hi - 1 > INT32_MAX) throw new RangeError(`${op}: [${lo}, ${hi}) does not fit int32 (the integer dtype here)`);
    const shp = sizeShape(op, size);
    const out = new Int32Array(sizeOf(shp));
    const rng = hi - 1 - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + this.gen.bounded(rng);
    return new ConcreteArray(out, shp, "int32");
  }
  /** The Fisher–Yates order NumPy's `shuffle` applies to `n` items. */
  private shuffledIndices(n: number): Int32Array {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.gen.bounded(i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    return idx;
  }
  /** `permutation(x)`: a permuted `arange(x)` (int32), or a copy of `x` permuted along axis 0. */
  permutation(x: number | ArrayLike): NDArray {
    const op = "RandomState.permutation";
    if (typeof x === "number") {
      if (!Number.isInteger(x) || x < 0) throw new TypeError(`${op}: x must be a non-negative integer or an array, got ${x}`);
      return new ConcreteArray(this.shuffledIndices(x), [x], "int32");
    }
    const a = asarray(x, undefined, op, "x");
    if (a.ndim === 0) throw new TypeError(`${op}: x must be an integer or at least 1-dimensional, got a 0-d array`);
    const n = a.shape[0]!;
    return take(a, new ConcreteArray(this.shuffledIndices(n), [n], "int32"), { axis: 0 });
  }
  /** `shuffle(x)`: `x` permuted along axis 0 with NumPy's draws, returned (arrays are immutable). */
  shuffle(x: ArrayLike): NDArray {
    const a = asarray(x, undefined, "RandomState.shuffle", "x");
    if (a.ndim === 0) throw new TypeError("RandomState.shuffle: x must be at least 1-dimensional, got a 0-d array");
    return this.permutation(a);
  }
  /** `choice(a, size, replace = true, p)`: samples of the 1-D `a` (or of `arange(a)`), NumPy's legacy algorithm. */
  choice(a: number | ArrayLike, size?: Shape | null, replace = true, p?: ArrayLike | null): NDArray {
    const op = "RandomState.choice";
    const arr = typeof a === "number" ? null : asarray(a, undefined, op, "a");
    if (arr !== null && arr.ndim !== 1) throw new ShapeError(`${op}: a must be 1-dimensional or an integer, got shape ${fmtShape(arr.shape)}`);
    const n = arr === null ? (a as number) : arr.shape[0]!;
    const shp = sizeShape(op, size);
    const draws = sizeOf(shp);
    if (!Number.isInteger(n) || (n <= 0 && draws !== 0)) throw new RangeError(`${op}: a must be a positive integer or a non-empty array, got ${n}`);
    const probs = p === undefined || p === null ? null : this.checkP(op, p, n);
    if (!replace && draws > n) throw new RangeError(`${op}: cannot take a larger sample (size ${draws}) than population (size ${n}) when replace is false`);
    let idx: Int32Array;
    if (replace) {
      if (probs === null) idx = (this.randint(0, n, shp) as ConcreteArray).data as Int32Array;
      else {
        const cdf = normalizedCdf(probs);
        idx = new Int32Array(draws);
        for (let i = 0; i < draws; i++) idx[i] = searchRight(cdf, this.gen.double());
      }
    } else if (probs === null) {
      idx = this.shuffledIndices(n).slice(0, draws);
    } else {
      idx = this.choiceWithoutReplacement(op, probs, draws);
    }
    const indices = new ConcreteArray(idx, shp, "int32");
    return arr === null ? indices : take(arr, indices);
  }
  /** Legacy weighted sampling without replacement: draw, zero the found entries, keep first occurrences, repeat. */
  private choiceWithoutReplacement(op: string, probs: Float64Array, draws: number): Int32Array {
    if (probs.filter((v) => v > 0).length < draws) throw new RangeError(`${op}: fewer non-zero entries in p than size (${draws})`);
    const p = probs.slice();
    const found = new Int32Array(draws);
    let nUniq = 0;
    while (nUniq < draws) {
      const x = new Float64Array(draws - nUniq);
      for (let i = 0; i < x.length; i++) x[i] = this.gen.double();
      for (let i = 0; i < nUniq; i++) p[found[i]!] = 0;
      const cdf = normalizedCdf(p);
      const seen = new Set<number>();
      for (let i = 0; i < x.length; i++) {
        const k = searchRight(cdf, x[i]!);
        if (!seen.has(k)) {
          seen.add(k);
          found[nUniq++] = k;
        }
      }
    }
    return found;
  }
  /** `p` as NumPy checks it: 1-D, one entry per choice, non-negative, summing to 1 within √ε. */
  private checkP(op: string, p: ArrayLike, n: number): Float64Array {
    const pa = asarray(p, "float64", op, "p");
    if (pa.ndim !== 1 || pa.shape[0] !== n) throw new ShapeError(`${op}: p must be 1-D with one entry per choice (${n}), got shape ${fmtShape(pa.shape)}`);
    const v = concreteBeneath(pa, op).data as Float64Array;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < v.length; i++) {
      // Kahan summation, as NumPy's check.
      const y = v[i]! - comp;
      const t = sum + y;
      comp = t - sum - y;
      sum = t;
    }
    if (Number.isNaN(sum)) throw new RangeError(`${op}: probabilities contain NaN`);
    if (v.some((x) => x < 0)) throw new RangeError(`${op}: probabilities are not non-negative`);
    if (Math.abs(sum - 1) > Math.sqrt(2.220446049250313e-16)) throw new RangeError(`${op}: probabilities do not sum to 1 (sum ${sum})`);
    return v;
  }
  /** `gamma(shape, scale = 1, size)`: NumPy's legacy gamma draws; differentiable in `scale`, not in `shape`. */
  gamma(shapeParam: ArrayLike, scale: ArrayLike = 1, size?: Shape | null): NDArray {
    const op = "RandomState.gamma";
    const shp = this.paramShape(op, shapeParam, scale, size);
    const k = floatsAt(op, "shape", shapeParam, shp);
    if (k.some((v) => !(v >= 0))) throw new RangeError(`${op}: shape must be non-negative`);
    const out = new Float64Array(k.length);
    for (let i = 0; i < out.length; i++) out[i] = this.gen.standardGamma(k[i]!);
    return multiply(scale, floats(out, shp));
  }
}

/** The running sum of `p` (left to right, as `np.cumsum`) divided by its last entry. */
function normalizedCdf(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = acc += p[i]!;
  const last = cdf[p.length - 1]!;
  for (let i = 0; i < p.length; i++) cdf[i] = cdf[i]! / last;
  return cdf;
}

/** The first index whose cdf exceeds `u` (`searchsorted(cdf, u, side="right")`). */
function searchRight(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
