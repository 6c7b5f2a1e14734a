/**
 * @file Numerical calculus, interpolation and polynomials on sampled data, as NumPy has them:
 * `trapezoid`, `gradient`, `ediff1d`, `unwrap`, `interp`, `polyval`, `polyfit`, `vander`, `polyder`,
 * `polyint`, `polyadd`, `polysub`, `polymul`.
 * All are compositions of differentiable functions, so they differentiate and batch.
 */
import { NDArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray, full } from "./creation.ts";
import { normAxis, rejectComplex } from "./broadcast.ts";
import { moveaxis, concatenate, expandDims } from "./shape.ts";
import { abs, mod, subtract } from "./math.ts";
import { where, logicalAnd, equal, greater, less, clip } from "./logic.ts";
import { sum, cumsum, diff } from "./reductions.ts";
import { take, searchsorted } from "./indexing-fns.ts";
import { lstsq } from "./linalg.ts";
import { convolve } from "./signal.ts";
import { isComplex, isInexact } from "../core/dtype.ts";
import { real, conj } from "./complex.ts";
import { ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const trapezoidOpts = P.options("np.trapezoid", { x: P.arrayLike, dx: P.numOrArray, axis: P.axis });
const gradientOpts = P.options("np.gradient", { axis: P.axes, edgeOrder: P.oneOf(1, 2) });
const ediff1dOpts = P.options("np.ediff1d", { toEnd: P.arrayLike, toBegin: P.arrayLike });
const unwrapOpts = P.options("np.unwrap", { discont: P.num, axis: P.axis, period: P.num });
const interpOpts = P.options("np.interp", { left: P.numOrArray, right: P.numOrArray });
const vanderOpts = P.options("np.vander", { N: P.nonNegInt, increasing: P.bool });

const floats = (x: ArrayLike, op: string, arg: string): NDArray => {
  const a = asarray(x, undefined, op, arg);
  return isInexact(a.dtype) ? a : a.astype("float64");
};

/** `floats` for an argument NumPy takes as real only: a complex one is a `TypeError` naming it. */
const realFloats = (x: ArrayLike, op: string, arg: string): NDArray => {
  const a = floats(x, op, arg);
  rejectComplex(op, [a], [arg]);
  return a;
};

/** The array with `axis` moved last, and the function that moves a result's last axis back. */
function lastAxis(y: NDArray, axis: number, op: string): [NDArray, number] {
  const ax = normAxis(op, axis, y.ndim);
  return [moveaxis(y, ax, -1), ax];
}

/**
 * `np.trapezoid(y, {x, dx = 1, axis = −1})` (also `trapz`): ∫ y by the trapezoidal rule, at sample
 * points `x` (1-D along `axis`, or shaped like `y`) or spacing `dx`.
 * @example
 * np.trapezoid([1, 2, 3]); // 4
 * np.trapezoid([1, 4, 9], { x: [0, 1, 3] }); // 15.5
 */
export function trapezoid(y: ArrayLike, opts: { x?: ArrayLike; dx?: number; axis?: number } = {}): NDArray {
  opts = trapezoidOpts(opts) as typeof opts; // dx may be a (traced) array: the derivative in dx is kept
  const op = "np.trapezoid";
  const [yl] = lastAxis(floats(y, op, "y"), opts.axis ?? -1, op);
  const n = yl.shape[yl.ndim - 1]!;
  if (n < 2) return sum(yl.mul(0), { axis: -1 });
  const heights = yl.get("...", "1:").add(yl.get("...", ":-1")).mul(0.5);
  if (opts.x === undefined) return sum(heights, { axis: -1 }).mul(opts.dx ?? 1);
  let x = floats(opts.x, op, "x");
  if (x.ndim > 1) x = lastAxis(x, opts.axis ?? -1, op)[0];
  if (x.shape[x.ndim - 1] !== n) throw new ShapeError(`${op}: x has ${x.shape[x.ndim - 1]} samples along the axis but y has ${n}`);
  return sum(heights.mul(diff(x, { axis: -1 })), { axis: -1 });
}
/**
 * `np.trapz(y, {x, dx, axis})`: the older name of {@link trapezoid}, the trapezoidal-rule integral.
 * @example
 * np.trapz([1, 2, 3]); // 4
 */
export const trapz = trapezoid;

/**
 * `np.gradient(f, spacing, {axis, edgeOrder})`: derivatives of sampled data by central differences
 * inside (second order, for uneven sample coordinates too) and one-sided differences at the ends
 * (first or second order). `spacing` is a number or the 1-D sample coordinates; with several axes
 * (all by default for an n-d `f`) the result is one array per axis.
 * @example
 * np.gradient([1, 4, 9, 16]); // [3, 4, 6, 7]
 */
export function gradient(f: ArrayLike, spacing: number | ArrayLike = 1, opts: { axis?: number | readonly number[]; edgeOrder?: 1 | 2 } = {}): NDArray | NDArray[] {
  opts = gradientOpts(opts) as typeof opts;
  const op = "np.gradient";
  const a = floats(f, op, "f");
  const axes = opts.axis === undefined ? Array.from({ length: a.ndim }, (_, i) => i) : typeof opts.axis === "number" ? [opts.axis] : [...opts.axis];
  const edge = opts.edgeOrder ?? 1;
  if (edge !== 1 && edge !== 2) throw new RangeError(`${op}: edgeOrder must be 1 or 2, got ${String(edge)}`);
  const out = axes.map((axis) => {
    const [fl, ax] = lastAxis(a, axis, op);
    const n = fl.shape[fl.ndim - 1]!;
    if (n < edge + 1) throw new ShapeError(`${op}: shape of the array too small to compute a gradient along axis ${ax}: at least ${edge + 1} samples are needed`);
    // A number or a 0-d array (traced or not) is the sample distance; a 1-D array holds the coordinates.
    const scalar = typeof spacing === "number" || (spacing instanceof NDArray && spacing.ndim === 0);
    const coords = scalar ? null : floats(spacing, op, "spacing");
    if (coords && (coords.ndim !== 1 || coords.shape[0] !== n)) throw new ShapeError(`${op}: the coordinates must be 1-D with ${n} entries, got shape [${coords.shape.join(", ")}]`);
    const h = coords ? diff(coords) : full([n - 1], spacing as number | NDArray, { dtype: "float64" });
    const at = (s: string) => fl.get("...", s);
    const hs = h.get(":-1"); // x[i] − x[i−1] for the interior points
    const hd = h.get("1:"); // x[i+1] − x[i]
    const inner = n > 2
      ? at(":-2").mul(hd.neg().div(hs.mul(hs.add(hd))))
          .add(at("1:-1").mul(hd.sub(hs).div(hs.mul(hd))))
          .add(at("2:").mul(hs.div(hd.mul(hs.add(hd)))))
      : null;
    let first: NDArray;
    let last: NDArray;
    if (edge === 1) {
      first = at("1:2").sub(at("0:1")).div(h.get("0:1"));
      last = at("-1:").sub(at("-2:-1")).div(h.get("-1:"));
    } else {
      const [d1, d2] = [h.get("0:1"), h.get("1:2")];
      first = at("0:1").mul(d1.mul(2).add(d2).neg().div(d1.mul(d1.add(d2))))
        .add(at("1:2").mul(d1.add(d2).div(d1.mul(d2))))
        .add(at("2:3").mul(d1.neg().div(d2.mul(d1.add(d2)))));
      const [e1, e2] = [h.get("-2:-1"), h.get("-1:")];
      last = at("-3:-2").mul(e2.div(e1.mul(e1.add(e2))))
        .add(at("-2:-1").mul(e2.add(e1).neg().div(e1.mul(e2))))
        .add(at("-1:").mul(e2.mul(2).add(e1).div(e2.mul(e1.add(e2)))));
    }
    const g = concatenate([first, ...(inner ? [inner] : []), last], { axis: -1 });
    return moveaxis(g, -1, ax);
  });
  return axes.length === 1 ? out[0]! : out;
}

/**
 * `np.ediff1d(a, {toEnd, toBegin})`: differences of the flattened array, with values put before and
 * after.
 * @example
 * np.ediff1d([1, 2, 4, 7], { toBegin: [-99], toEnd: [88, 99] }); // [-99, 1, 2, 3, 88, 99]
 */
export function ediff1d(a: ArrayLike, opts: { toEnd?: ArrayLike; toBegin?: ArrayLike } = {}): NDArray {
  opts = ediff1dOpts(opts);
  const d = diff(asarray(a, undefined, "np.ediff1d", "ary").reshape(-1));
  const part = (v: ArrayLike | undefined) => (v === undefined ? [] : [asarray(v, undefined, "np.ediff1d", "to_begin").reshape(-1)]);
  return concatenate([...part(opts.toBegin), d, ...part(opts.toEnd)]);
}

/**
 * `np.unwrap(p, {discont, axis, period = 2π})`: removes jumps larger than `discont` (default
 * period/2) by adding multiples of `period`, as NumPy.
 * @example
 * np.unwrap([0, 3, 6.5, 0.2]); // [0, 3, 0.21681469282041377, 0.2]
 */
export function unwrap(p: ArrayLike, opts: { discont?: number; axis?: number; period?: number } = {}): NDArray {
  opts = unwrapOpts(opts);
  const op = "np.unwrap";
  requireStatic(op, "discont", opts.discont, "a number");
  requireStatic(op, "period", opts.period, "a number");
  const period = opts.period ?? 2 * Math.PI;
  const discont = Math.max(opts.discont ?? period / 2, period / 2);
  const [pl, ax] = lastAxis(realFloats(p, op, "p"), opts.axis ?? -1, op);
  if (pl.shape[pl.ndim - 1]! < 2) return moveaxis(pl, -1, ax);
  const dd = diff(pl, { axis: -1 });
  const high = period / 2;
  let ddmod = mod(dd.add(high), period).sub(high);
  // A jump of exactly half a period keeps its sign (NumPy's boundary rule).
  ddmod = where(logicalAnd(equal(ddmod, -high), greater(dd, 0)), high, ddmod);
  const correct = where(less(abs(dd), discont), 0, ddmod.sub(dd));
  const shifted = concatenate([pl.get("...", "0:1"), pl.get("...", "1:").add(cumsum(correct, { axis: -1 }))], { axis: -1 });
  return moveaxis(shifted, -1, ax);
}

/**
 * `np.interp(x, xp, fp, {left, right})`: piecewise-linear interpolation of the points (xp, fp), xp
 * increasing; `left`/`right` (default fp[0]/fp[−1]) outside. Differentiable in x, xp and fp. As
 * NumPy, `fp` may be complex but a complex `x` or `xp` is a `TypeError`.
 * @example
 * np.interp([0.5, 2.5, 9], [0, 1, 3], [0, 10, 30]); // [5, 25, 30]
 */
export function interp(x: ArrayLike, xp: ArrayLike, fp: ArrayLike, opts: { left?: number; right?: number } = {}): NDArray {
  opts = interpOpts(opts) as typeof opts; // left/right may be (traced) arrays
  const op = "np.interp";
  const X = realFloats(x, op, "x");
  const XP = realFloats(xp, op, "xp");
  const FP = floats(fp, op, "fp"); // complex values interpolate part by part, as NumPy
  if (XP.ndim !== 1 || FP.ndim !== 1 || XP.shape[0] !== FP.shape[0]) {
    throw new ShapeError(`${op}: xp and fp must be 1-D of one length, got shapes [${XP.shape.join(", ")}] and [${FP.shape.join(", ")}]`);
  }
  const n = XP.shape[0]!;
  if (n === 0) throw new ShapeError(`${op}: xp and fp are empty`);
  if (n === 1) return where(less(X, XP.get(0)), opts.left ?? FP.get(0), where(greater(X, XP.get(0)), opts.right ?? FP.get(0), FP.get(0)));
  // The interval [xp[i], xp[i+1]] holding x (the last one for x = xp[n−1]).
  const i = clip(subtract(searchsorted(XP, X, { side: "right" }), 1), 0, n - 2).astype("int32");
  const [x0, x1, f0, f1] = [take(XP, i), take(XP, i.add(1)), take(FP, i), take(FP, i.add(1))];
  const y = f0.add(X.sub(x0).div(x1.sub(x0)).mul(f1.sub(f0)));
  return where(less(X, XP.get(0)), opts.left ?? FP.get(0), where(greater(X, XP.get(-1)), opts.right ?? FP.get(-1), y));
}

/**
 * `np.polyval(p, x)`: p[0]·xⁿ + … + p[n] by Horner's rule (highest power first, as NumPy).
 * @example
 * np.polyval([3, 0, 1], 5); // 76
 */
export function polyval(p: ArrayLike, x: ArrayLike): NDArray {
  const P = floats(p, "np.polyval", "p");
  if (P.ndim !== 1) throw new ShapeError(`np.polyval: the coefficients must be 1-D, got shape [${P.shape.join(", ")}]`);
  const X = floats(x, "np.polyval", "x");
  // y starts as 0 in the promoted dtype (complex when p or x is).
  let y = X.mul(0).add(P.size > 0 ? P.get(0).mul(0) : 0);
  for (let i = 0; i < P.shape[0]!; i++) y = y.mul(X).add(P.get(i));
  return y;
}

/**
 * `np.vander(x, {N, increasing})`: the Vandermonde matrix, columns x^(N−1) … x⁰ (or increasing).
 * @example
 * np.vander([1, 2, 3], { N: 3 }); // [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
 */
export function vander(x: ArrayLike, opts: { N?: number; increasing?: boolean } = {}): NDArray {
  requireStatic("np.vander", "N", opts.N, "a size");
  opts = vanderOpts(opts);
  const X = asarray(x, undefined, "np.vander", "x");
  if (X.ndim !== 1) throw new ShapeError(`np.vander: x must be 1-D, got shape [${X.shape.join(", ")}]`);
  const N = opts.N ?? X.shape[0]!;
  const col = expandDims(X, 1);
  const powers: NDArray[] = [];
  let cur = col.mul(0).add(1);
  for (let k = 0; k < N; k++) {
    powers.push(cur);
    cur = cur.mul(col);
  }
  if (!opts.increasing) powers.reverse();
  return N === 0 ? full([X.shape[0]!, 0], 0) : concatenate(powers, { axis: 1 });
}

/**
 * `np.polyfit(x, y, deg)`: least-squares polynomial coefficients, highest power first, with
 * NumPy's column scaling of the Vandermonde matrix. Differentiable in x and y.
 * @example
 * np.polyfit([0, 1, 2, 3], [1, 3, 5, 7], 1); // [2, 1]
 */
export function polyfit(x: ArrayLike, y: ArrayLike, deg: number): NDArray {
  const op = "np.polyfit";
  requireStatic(op, "deg", deg, "a count");
  if (!Number.isInteger(deg) || deg < 0) throw new RangeError(`${op}: deg must be a non-negative integer, got ${deg}`);
  const X = floats(x, op, "x");
  const Y = floats(y, op, "y");
  if (X.ndim !== 1 || X.shape[0] === 0) throw new ShapeError(`${op}: x must be 1-D and non-empty, got shape [${X.shape.join(", ")}]`);
  if (Y.shape[0] !== X.shape[0]) throw new ShapeError(`${op}: x and y have different lengths (${X.shape[0]} and ${Y.shape[0]})`);
  const lhs = vander(X, { N: deg + 1 });
  // Column norms (|·|² for complex x, so the scale stays real and positive).
  const scale = sum(isComplex(lhs.dtype) ? real(lhs.mul(conj(lhs))) : lhs.mul(lhs), { axis: 0 }).sqrt();
  const [c] = lstsq(lhs.div(scale), Y);
  return Y.ndim === 1 ? c.div(scale) : c.div(expandDims(scale, 1));
}

/** A 1-D float array of polynomial coefficients (highest power first). */
const coeffs = (p: ArrayLike, op: string): NDArray => {
  const c = floats(p, op, "p");
  if (c.ndim !== 1) throw new ShapeError(`${op}: polynomial coefficients must be 1-D, got shape [${c.shape.join(", ")}]`);
  return c;
};

/**
 * `np.polyder(p, m = 1)`: the m-th derivative of the polynomial p (highest power first).
 * @example
 * np.polyder([1, 1, 1, 1]); // [3, 2, 1]
 */
export function polyder(p: ArrayLike, m = 1): NDArray {
  requireStatic("np.polyder", "m", m, "a count");
  let c = coeffs(p, "np.polyder");
  for (let j = 0; j < m; j++) {
    const n = c.shape[0]! - 1;
    if (n <= 0) return full([0], 0);
    c = c.get(`:${n}`).mul(asarray(Array.from({ length: n }, (_, i) => n - i)));
  }
  return c;
}

/**
 * `np.polyint(p, m = 1, k = 0)`: the m-th antiderivative, with integration constant k (a number
 * for every step, or one per step).
 * @example
 * np.polyint([3, 2, 1]); // [1, 1, 1, 0]
 */
export function polyint(p: ArrayLike, m = 1, k: number | readonly number[] | NDArray = 0): NDArray {
  requireStatic("np.polyint", "m", m, "a count");
  let c = coeffs(p, "np.polyint");
  // Integration constants may be arrays (traced or not): one 0-d value for all, or m of them.
  const ks: readonly ArrayLike[] = typeof k === "number" || (k instanceof NDArray && k.ndim === 0) ? Array<ArrayLike>(m).fill(k) : k instanceof NDArray ? [...k] : k;
  if (ks.length !== m) throw new ShapeError(`np.polyint: k must have m = ${m} constants, got ${ks.length}`);
  for (let j = 0; j < m; j++) {
    const n = c.shape[0]!;
    c = concatenate([c.div(asarray(Array.from({ length: n }, (_, i) => n - i))), full([1], ks[j]!)]);
  }
  return c;
}

/** Two coefficient arrays padded at the front to one length. */
function aligned(a: ArrayLike, b: ArrayLike, op: string): [NDArray, NDArray] {
  const [p, q] = [coeffs(a, op), coeffs(b, op)];
  const n = Math.max(p.shape[0]!, q.shape[0]!);
  const grow = (c: NDArray) => (c.shape[0]! < n ? concatenate([full([n - c.shape[0]!], 0), c]) : c);
  return [grow(p), grow(q)];
}

/**
 * `np.polyadd(a, b)`: the sum of two polynomials given by coefficients, highest power first.
 * @example
 * np.polyadd([1, 2, 3], [1, 1]); // [1, 3, 4]
 */
export const polyadd = (a: ArrayLike, b: ArrayLike): NDArray => {
  const [p, q] = aligned(a, b, "np.polyadd");
  return p.add(q);
};
/**
 * `np.polysub(a, b)`: the difference of two polynomials given by coefficients, highest power first.
 * @example
 * np.polysub([1, 2, 3], [1, 1]); // [1, 1, 2]
 */
export const polysub = (a: ArrayLike, b: ArrayLike): NDArray => {
  const [p, q] = aligned(a, b, "np.polysub");
  return p.sub(q);
};
/**
 * `np.polymul(a, b)`: the product of two polynomials given by coefficients, highest power first.
 * @example
 * np.polymul([1, 2], [1, 3]); // [1, 5, 6]
 */
export const polymul = (a: ArrayLike, b: ArrayLike): NDArray => convolve(coeffs(a, "np.polymul"), coeffs(b, "np.polymul"));
