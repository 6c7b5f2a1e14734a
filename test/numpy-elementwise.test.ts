/**
 * @file The elementwise NumPy functions: values against JS's `Math` and NumPy (edge cases pasted
 * from NumPy 2.4), derivatives of every differentiable one against finite differences, `vmap`
 * against a loop, and the errors users get.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, jvp, vmap, hessian, elementwiseGrad, ShapeError } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type NDArray = np.NDArray;
const I = Infinity;
const N = NaN;

/** Values through `toArray`, so -0 and NaN survive for exact comparisons. */
const values = (x: NDArray): number[] => [x.toArray()].flat(Infinity as 1) as number[];

// ---------------------------------------------------------------- forward values

/** One-argument functions with a `Math` reference, on points inside their domain. */
const unaryTable: [string, (x: NDArray) => NDArray, (v: number) => number, number[]][] = [
  ["abs", np.abs, Math.abs, [-2.5, -0.3, 0, 1.7]],
  ["absolute", np.absolute, Math.abs, [-2.5, 1.7]],
  ["sign", np.sign, Math.sign, [-2.5, 0, 1.7]],
  ["negative", np.negative, (v) => -v, [-2.5, 1.7]],
  ["reciprocal", np.reciprocal, (v) => 1 / v, [-2.5, 0.3, 1.7]],
  ["square", np.square, (v) => v * v, [-2.5, 0.3, 1.7]],
  ["sqrt", np.sqrt, Math.sqrt, [0, 0.3, 1.7, 4]],
  ["cbrt", np.cbrt, Math.cbrt, [-8, 0.3, 27]],
  ["exp", np.exp, Math.exp, [-2.5, 0, 1.7]],
  ["exp2", np.exp2, (v) => Math.pow(2, v), [-2.5, 0, 1.7, 10]],
  ["expm1", np.expm1, Math.expm1, [-2.5, 1e-10, 1.7]],
  ["log", np.log, Math.log, [0.3, 1, 17]],
  ["log2", np.log2, Math.log2, [0.3, 1, 8, 1024]],
  ["log10", np.log10, Math.log10, [0.3, 1, 1000]],
  ["log1p", np.log1p, Math.log1p, [-0.5, 1e-10, 17]],
  ["sin", np.sin, Math.sin, [-2.5, 0, 1.7]],
  ["cos", np.cos, Math.cos, [-2.5, 0, 1.7]],
  ["tan", np.tan, Math.tan, [-1.2, 0, 0.7]],
  ["arcsin", np.arcsin, Math.asin, [-0.9, 0, 0.5]],
  ["arccos", np.arccos, Math.acos, [-0.9, 0, 0.5]],
  ["arctan", np.arctan, Math.atan, [-2.5, 0, 1.7]],
  ["sinh", np.sinh, Math.sinh, [-2.5, 0, 1.7]],
  ["cosh", np.cosh, Math.cosh, [-2.5, 0, 1.7]],
  ["tanh", np.tanh, Math.tanh, [-2.5, 0, 1.7]],
  ["arcsinh", np.arcsinh, Math.asinh, [-2.5, 0, 1.7]],
  ["arccosh", np.arccosh, Math.acosh, [1, 1.5, 7]],
  ["arctanh", np.arctanh, Math.atanh, [-0.9, 0, 0.5]],
  ["deg2rad", np.deg2rad, (v) => (v * Math.PI) / 180, [-90, 0, 180, 33]],
  ["radians", np.radians, (v) => (v * Math.PI) / 180, [45]],
  ["rad2deg", np.rad2deg, (v) => (v * 180) / Math.PI, [-1, 0, Math.PI]],
  ["degrees", np.degrees, (v) => (v * 180) / Math.PI, [1]],
  ["floor", np.floor, Math.floor, [-2.5, -0.3, 1.7]],
  ["ceil", np.ceil, Math.ceil, [-2.5, -0.3, 1.7]],
  ["trunc", np.trunc, Math.trunc, [-2.5, -0.3, 1.7]],
  ["fix", np.fix, Math.trunc, [-2.7, 2.7]],
];

describe("one-argument functions: values", () => {
  for (const [name, f, ref, xs] of unaryTable) {
    it(`np.${name} agrees with Math`, () => {
      expect(f(np.array(xs))).toBeAllclose(xs.map(ref), { rtol: 1e-15, atol: 0 });
    });
  }

  it("exp2, log2 and log10 are exact at powers of their base (primitives, not exp/log rescaled)", () => {
    expect(values(np.exp2([0, 1, 3, 10, -2]))).toEqual([1, 2, 8, 1024, 0.25]);
    expect(values(np.log2([1, 2, 8, 1024, 0.25]))).toEqual([0, 1, 3, 10, -2]);
    expect(values(np.log10([1, 10, 1000, 1e-3]))).toEqual([0, 1, 3, -3]);
  });

  it("round and rint round half to even; fix and trunc round towards zero", () => {
    // NumPy: np.round([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999])
    expect(np.round([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999])).toBeAllclose([0, 2, 2, -0, -2, 2], { rtol: 0, atol: 0 });
    expect(np.rint([0.5, 1.5, -2.5])).toBeAllclose([0, 2, -2], { rtol: 0, atol: 0 });
    expect(np.fix([-2.7, 2.7])).toBeAllclose([-2, 2], { rtol: 0, atol: 0 });
  });

  it("sinc is 1 at 0 and matches NumPy on both sides of the series switch", () => {
    // np.sinc([0, 0.5, 1, -1.5, 1e-9, 0.02, 0.0318, 0.04, 2.25])
    const want = [1.0, 0.6366197723675814, 3.8981718325193755e-17, -0.2122065907891938, 1.0, 0.9993421562398412, 0.9983374067699597, 0.9973701827725034, 0.10003514623967844];
    expect(np.sinc([0, 0.5, 1, -1.5, 1e-9, 0.02, 0.0318, 0.04, 2.25])).toBeAllclose(want, { rtol: 1e-15, atol: 1e-17 });
  });

  it("nanToNum replaces NaN and ±inf, by default with 0 and the largest finite values", () => {
    expect(np.nanToNum([N, I, -I, 1.5])).toBeAllclose([0, Number.MAX_VALUE, -Number.MAX_VALUE, 1.5], { rtol: 0, atol: 0 });
    expect(np.nanToNum([N, I, -I, 1.5], { nan: -1, posinf: 9, neginf: -9 })).toBeAllclose([-1, 9, -9, 1.5], { rtol: 0, atol: 0 });
    const ints = np.array([1, 2], { dtype: "int32" });
    expect(np.nanToNum(ints).dtype).toBe("int32");
  });

  it("isnan, isinf, isfinite, isposinf, isneginf, signbit", () => {
    const x = np.array([N, I, -I, 0, -0, -2]);
    expect(np.isnan(x).toArray()).toEqual([true, false, false, false, false, false]);
    expect(np.isinf(x).toArray()).toEqual([false, true, true, false, false, false]);
    expect(np.isfinite(x).toArray()).toEqual([false, false, false, true, true, true]);
    expect(np.isposinf(x).toArray()).toEqual([false, true, false, false, false, false]);
    expect(np.isneginf(x).toArray()).toEqual([false, false, true, false, false, false]);
    // np.signbit([-1, -0.0, 0.0, 2, -inf])
    expect(np.signbit([-1, -0, 0, 2, -I]).toArray()).toEqual([true, true, false, false, true]);
    expect(np.isposinf(np.array([1, 2], { dtype: "int32" })).toArray()).toEqual([false, false]);
  });

  it("float functions promote integers to float64", () => {
    const i = np.array([1, 2, 4], { dtype: "int32" });
    for (const f of [np.exp2, np.log2, np.log10, np.sinc, np.deg2rad, np.rad2deg, np.sqrt]) expect(f(i).dtype).toBe("float64");
    expect(np.exp2(i)).toBeAllclose([2, 4, 16]);
  });
});

describe("two-argument functions: values", () => {
  it("logaddexp is accurate where the naive formula over- or underflows (NumPy's values)", () => {
    // np.logaddexp([0, -40, 1000, -inf, inf, -inf, 3.5, -745], [0, 0, 0, -inf, inf, inf, nan, -745])
    const got = np.logaddexp([0, -40, 1000, -I, I, -I, 3.5, -745], [0, 0, 0, -I, I, I, N, -745]);
    expect(got).toBeAllclose([0.6931471805599453, 4.248354255291589e-18, 1000.0, -I, I, I, N, -744.3068528194401], { rtol: 1e-15, atol: 0 });
    expect(np.logaddexp(np.array([0.3, -1.2]), np.array([[2], [-5]]))).toBeAllclose([
      [Math.log(Math.exp(0.3) + Math.exp(2)), Math.log(Math.exp(-1.2) + Math.exp(2))],
      [Math.log(Math.exp(0.3) + Math.exp(-5)), Math.log(Math.exp(-1.2) + Math.exp(-5))],
    ], { rtol: 1e-15 });
  });

  it("logaddexp2 (NumPy's values)", () => {
    // np.logaddexp2([1, -60, 1000, -inf, 0.3], [1, 0, 0, -inf, -2.7])
    const got = np.logaddexp2([1, -60, 1000, -I, 0.3], [1, 0, 0, -I, -2.7]);
    expect(got).toBeAllclose([2.0, 1.2513384780527022e-18, 1000.0, -I, 0.46992500144231236], { rtol: 1e-15, atol: 0 });
  });

  it("hypot does not overflow or underflow, and hypot(inf, nan) is inf (NumPy's values)", () => {
    // np.hypot([3, 1e200, 0, inf, nan, -5e-200, inf], [4, 1e200, 0, nan, 1, 12e-200, -inf])
    const got = np.hypot([3, 1e200, 0, I, N, -5e-200, I], [4, 1e200, 0, N, 1, 12e-200, -I]);
    expect(got).toBeAllclose([5.0, 1.414213562373095e200, 0.0, I, N, 1.3e-199, I], { rtol: 2e-16, atol: 0 });
  });

  it("copysign takes the sign bit of x2, −0 included", () => {
    // np.copysign([3, 3, -2, 0, inf], [-0.0, 0.0, 1, -1, -2])
    const got = values(np.copysign([3, 3, -2, 0, I], [-0, 0, 1, -1, -2]));
    expect(got).toEqual([-3, 3, 2, -0, -I]);
    expect(Object.is(got[3], -0)).toBe(true);
  });

  it("heaviside: 0, x2 at 0, 1, and NaN for NaN", () => {
    // np.heaviside([-1.5, 0, 2, nan, -0.0], [0.5, 0.5, 0.5, 0.5, 7])
    expect(np.heaviside([-1.5, 0, 2, N, -0], [0.5, 0.5, 0.5, 0.5, 7])).toBeAllclose([0, 0.5, 1, N, 7], { rtol: 0, atol: 0 });
  });

  it("fmax and fmin ignore NaN; maximum and minimum propagate it", () => {
    const a = [1, N, N, -2];
    const b = [N, 2, N, -3];
    expect(np.fmax(a, b)).toBeAllclose([1, 2, N, -2], { rtol: 0, atol: 0 });
    expect(np.fmin(a, b)).toBeAllclose([1, 2, N, -3], { rtol: 0, atol: 0 });
    expect(np.maximum(a, b)).toBeAllclose([N, N, N, -2], { rtol: 0, atol: 0 });
    expect(np.minimum(a, b)).toBeAllclose([N, N, N, -3], { rtol: 0, atol: 0 });
    const i = np.array([1, 5], { dtype: "int32" });
    expect(np.fmax(i, np.array([3, 2], { dtype: "int32" })).dtype).toBe("int32");
  });

  it("power, floatPower, mod, remainder, fmod, floorDivide follow NumPy's sign conventions", () => {
    expect(np.floatPower([2, -2, 4], [-1, 3, 0.5])).toBeAllclose([0.5, -8, 2], { rtol: 0, atol: 0 });
    expect(np.floatPower(np.array([2], { dtype: "int32" }), 2).dtype).toBe("float64");
    expect(np.power([2, -2, 4], [-1, 3, 0.5])).toBeAllclose([0.5, -8, 2], { rtol: 0, atol: 0 });
    // np.mod / np.fmod ([-7, 7, -7, 7.5], [3, -3, -3, 2])
    expect(np.mod([-7, 7, -7, 7.5], [3, -3, -3, 2])).toBeAllclose([2, -2, -1, 1.5], { rtol: 0, atol: 0 });
    expect(np.remainder([-7.5], [2])).toBeAllclose([0.5], { rtol: 0, atol: 0 });
    expect(np.fmod([-7, 7, -7, 7.5], [3, -3, -3, 2])).toBeAllclose([-1, 1, -1, 1.5], { rtol: 0, atol: 0 });
    // np.floor_divide([-7, 7, -7, 7], [2, 2, -2, -2]) on integers, and on floats
    const fd = np.floorDivide(np.array([-7, 7, -7, 7], { dtype: "int32" }), np.array([2, 2, -2, -2], { dtype: "int32" }));
    expect(fd.dtype).toBe("int32");
    expect(fd.toArray()).toEqual([-4, 3, 3, -4]);
    expect(np.floorDivide([-7.5, 7.5], [2, -2])).toBeAllclose([-4, -4], { rtol: 0, atol: 0 });
  });

  it("arctan2 picks the quadrant", () => {
    expect(np.arctan2([1, -1, 0, 0], [0, 0, -1, 1])).toBeAllclose([Math.PI / 2, -Math.PI / 2, Math.PI, 0], { rtol: 1e-15 });
  });

  it("clip, where, comparisons and logical operators", () => {
    expect(np.clip([-2, 0.5, 3], 0, 1)).toBeAllclose([0, 0.5, 1]);
    expect(np.where([true, false, true], [1, 2, 3], -1)).toBeAllclose([1, -1, 3]);
    const a = np.array([1, 2, 3]);
    expect(np.equal(a, 2).toArray()).toEqual([false, true, false]);
    expect(np.notEqual(a, 2).toArray()).toEqual([true, false, true]);
    expect(np.less(a, 2).toArray()).toEqual([true, false, false]);
    expect(np.lessEqual(a, 2).toArray()).toEqual([true, true, false]);
    expect(np.greater(a, 2).toArray()).toEqual([false, false, true]);
    expect(np.greaterEqual(a, 2).toArray()).toEqual([false, true, true]);
    expect(np.logicalAnd([true, true, false], [true, false, false]).toArray()).toEqual([true, false, false]);
    expect(np.logicalOr([true, true, false], [true, false, false]).toArray()).toEqual([true, true, false]);
    expect(np.logicalXor([true, true, false], [true, false, false]).toArray()).toEqual([false, true, false]);
    expect(np.logicalNot([true, false]).toArray()).toEqual([false, true]);
  });

  it("broadcast their arguments", () => {
    const x = np.array([[1], [2]]);
    const y = np.array([3, 4, 5]);
    for (const f of [np.logaddexp, np.logaddexp2, np.hypot, np.copysign, np.heaviside, np.fmax, np.fmin, np.floatPower]) {
      expect(f(x, y).shape).toEqual([2, 3]);
    }
    expect(np.hypot(x, y)).toBeAllclose([[Math.hypot(1, 3), Math.hypot(1, 4), Math.hypot(1, 5)], [Math.hypot(2, 3), Math.hypot(2, 4), Math.hypot(2, 5)]], { rtol: 1e-15 });
  });
});

// ---------------------------------------------------------------- derivatives

/** Differentiable one-argument functions and points inside their domain (off kinks and jumps). */
const smooth1: [string, (x: NDArray) => NDArray, number[]][] = [
  ["abs", np.abs, [-1.3, 0.4, 2]],
  ["negative", np.negative, [-1.3, 0.4]],
  ["reciprocal", np.reciprocal, [-1.3, 0.4, 2]],
  ["square", np.square, [-1.3, 0.4]],
  ["sqrt", np.sqrt, [0.3, 1.4, 2]],
  ["cbrt", np.cbrt, [-1.3, 0.4, 2]],
  ["exp", np.exp, [-1.3, 0.4]],
  ["exp2", np.exp2, [-1.3, 0.4, 2]],
  ["expm1", np.expm1, [-1.3, 0.4]],
  ["log", np.log, [0.3, 1.4, 2]],
  ["log2", np.log2, [0.3, 1.4, 2]],
  ["log10", np.log10, [0.3, 1.4, 2]],
  ["log1p", np.log1p, [-0.5, 0.4, 2]],
  ["sin", np.sin, [-1.3, 0.4]],
  ["cos", np.cos, [-1.3, 0.4]],
  ["tan", np.tan, [-1.1, 0.4]],
  ["arcsin", np.arcsin, [-0.7, 0.4]],
  ["arccos", np.arccos, [-0.7, 0.4]],
  ["arctan", np.arctan, [-1.3, 0.4]],
  ["sinh", np.sinh, [-1.3, 0.4]],
  ["cosh", np.cosh, [-1.3, 0.4]],
  ["tanh", np.tanh, [-1.3, 0.4]],
  ["arcsinh", np.arcsinh, [-1.3, 0.4]],
  ["arccosh", np.arccosh, [1.3, 2.4]],
  ["arctanh", np.arctanh, [-0.7, 0.4]],
  ["deg2rad", np.deg2rad, [-30, 45]],
  ["rad2deg", np.rad2deg, [-1.3, 0.4]],
  ["sinc", np.sinc, [-1.3, 0.4, 0.02, 2.7]],
  ["nanToNum", (x) => np.nanToNum(x), [-1.3, 0.4]],
  ["clip", (x) => np.clip(x, -1, 1), [-1.3, 0.4, 2]],
];

/** Differentiable two-argument functions and points (off ties, kinks and jumps). */
const smooth2: [string, (x: NDArray, y: NDArray) => NDArray, number[], number[]][] = [
  ["add", np.add, [-1.3, 0.4], [0.7, 2]],
  ["subtract", np.subtract, [-1.3, 0.4], [0.7, 2]],
  ["multiply", np.multiply, [-1.3, 0.4], [0.7, 2]],
  ["divide", np.divide, [-1.3, 0.4], [0.7, 2]],
  ["power", np.power, [0.3, 1.4], [0.7, -2]],
  ["floatPower", np.floatPower, [0.3, 1.4], [0.7, -2]],
  ["arctan2", np.arctan2, [-1.3, 0.4], [0.7, 2]],
  ["logaddexp", np.logaddexp, [-1.3, 0.4, 3], [0.7, 2, -40]],
  ["logaddexp2", np.logaddexp2, [-1.3, 0.4, 3], [0.7, 2, -40]],
  ["hypot", np.hypot, [-1.3, 0.4, 3], [0.7, -2, 1e-3]],
  ["maximum", np.maximum, [-1.3, 0.4], [0.7, 0.2]],
  ["minimum", np.minimum, [-1.3, 0.4], [0.7, 0.2]],
  ["fmax", np.fmax, [-1.3, 0.4], [0.7, 0.2]],
  ["fmin", np.fmin, [-1.3, 0.4], [0.7, 0.2]],
  ["mod", np.mod, [-1.3, 2.5], [0.7, 2]],
  ["fmod", np.fmod, [-1.3, 2.5], [0.7, 2]],
  ["copysign", np.copysign, [-1.3, 0.4], [0.7, -2]],
  ["heaviside", np.heaviside, [-1.3, 0.4], [0.7, 2]],
  ["where", (x, y) => np.where([true, false], x, y), [-1.3, 0.4], [0.7, 2]],
];

describe("derivatives against finite differences (forward and reverse, orders 1–2)", () => {
  for (const [name, f, xs] of smooth1) {
    it(`np.${name}`, () => checkGrads(f, [np.array(xs)], { order: 2 }));
  }
  for (const [name, f, xs, ys] of smooth2) {
    it(`np.${name}`, () => checkGrads(f, [np.array(xs), np.array(ys)], { order: 2 }));
  }
  it("third order for the compositions (logaddexp, hypot, sinc)", () => {
    checkGrads(np.logaddexp, [np.array([0.3, -1.2]), np.array([0.5, 2])], { order: 3 });
    checkGrads(np.hypot, [np.array([0.3, -1.2]), np.array([0.5, 2])], { order: 3 });
    checkGrads(np.sinc, [np.array([0.3, -1.2, 0.01])], { order: 3 });
  });
});

describe("derivatives at special points", () => {
  /** The k-th derivative of a scalar function, by nested `grad`. */
  const d = (f: (x: NDArray) => NDArray, k: number): ((x: number) => number) => {
    let g = f as (x: never) => unknown;
    for (let i = 0; i < k; i++) g = grad(g as (x: NDArray) => NDArray) as never;
    return g as (x: number) => number;
  };

  it("sinc at 0: every derivative from its Maclaurin series, not NaN", () => {
    // sinc(x) = 1 − (πx)²/6 + (πx)⁴/120 − …: derivatives 0, −π²/3, 0, π⁴/5 at 0.
    expect(d(np.sinc, 1)(0)).toBe(0);
    expect(d(np.sinc, 2)(0)).toBeAllclose(-(Math.PI ** 2) / 3, { rtol: 1e-14 });
    expect(d(np.sinc, 3)(0)).toBe(0);
    expect(d(np.sinc, 4)(0)).toBeAllclose(Math.PI ** 4 / 5, { rtol: 1e-12 });
    // Near the switch between series and quotient, both sides agree with the closed form.
    const dsinc = (x: number) => { const y = Math.PI * x; return (Math.PI * (y * Math.cos(y) - Math.sin(y))) / (y * y); };
    for (const x of [0.0317, 0.0319, 0.2]) expect(d(np.sinc, 1)(x)).toBeAllclose(dsinc(x), { rtol: 1e-10 });
  });

  it("logaddexp: gradient softmax(a, b) exactly, even at ties and extremes", () => {
    const g = grad((a: NDArray, b: NDArray) => np.logaddexp(a, b), { argnums: [0, 1] });
    expect(g(1.5, 1.5)).toEqual([0.5, 0.5]);
    expect(g(1000, 0)).toEqual([1, 0]);
    expect(g(-800, 800)).toEqual([0, 1]);
    const [ga] = g(0.3, -0.4) as number[];
    expect(ga).toBeAllclose(1 / (1 + Math.exp(-0.7)), { rtol: 1e-15 });
    // The second derivative at a tie is σ(0)·σ(0) = 1/4 (a kink-free function; no max-kink error).
    const h = hessian((v: NDArray) => np.logaddexp(v.get(0), v.get(1)))(np.array([2, 2])) as NDArray;
    expect(h).toBeAllclose([[0.25, -0.25], [-0.25, 0.25]], { rtol: 1e-15 });
    const h2 = hessian((v: NDArray) => np.logaddexp2(v.get(0), v.get(1)))(np.array([2, 2])) as NDArray;
    expect(h2).toBeAllclose([[Math.LN2 / 4, -Math.LN2 / 4], [-Math.LN2 / 4, Math.LN2 / 4]], { rtol: 1e-14 });
  });

  it("hypot: x/r and y/r, the exact Hessian at |x| = |y|, and 0 at the origin", () => {
    const g = grad((a: NDArray, b: NDArray) => np.hypot(a, b), { argnums: [0, 1] });
    const [gx, gy] = g(3, -4) as number[];
    expect(gx).toBeAllclose(0.6, { rtol: 1e-15 });
    expect(gy).toBeAllclose(-0.8, { rtol: 1e-15 });
    expect(g(0, 0)).toEqual([0, 0]);
    expect(g(1e200, 1e200)).toEqual([Math.SQRT1_2, Math.SQRT1_2].map((v) => expect.closeTo(v, 15)));
    // ∇² r = [[y², −xy], [−xy, x²]] / r³ at (1, 1): the scale max(|x|, |y|) is held constant, so ties are exact.
    const h = hessian((v: NDArray) => np.hypot(v.get(0), v.get(1)))(np.array([1, 1])) as NDArray;
    const c = 1 / 2 ** 1.5;
    expect(h).toBeAllclose([[c, -c], [-c, c]], { rtol: 1e-14 });
  });

  it("zero derivatives for the piecewise-constant functions, as in autograd", () => {
    for (const f of [np.floor, np.ceil, np.round, np.rint, np.trunc, np.fix, np.sign]) {
      expect(grad((x: NDArray) => f(x))(1.3)).toBe(0);
    }
    expect(grad((x: NDArray) => np.floorDivide(x, 2))(3.3)).toBe(0);
    expect(grad((x: NDArray) => np.abs(x))(0)).toBe(0);
  });

  it("heaviside flows to x2 only where x1 = 0; copysign flows to x1 only", () => {
    const g = grad((a: NDArray, b: NDArray) => np.sum(np.heaviside(a, b)), { argnums: [0, 1] });
    const [ga, gb] = g(np.array([-1, 0, 2]), np.array([0.5, 0.5, 0.5])) as NDArray[];
    expect(ga).toBeAllclose([0, 0, 0]);
    expect(gb).toBeAllclose([0, 1, 0]);
    const [ca, cb] = grad((a: NDArray, b: NDArray) => np.sum(np.copysign(a, b)), { argnums: [0, 1] })(np.array([2, -2, 3]), np.array([-1, -1, 1])) as NDArray[];
    expect(ca).toBeAllclose([-1, 1, 1]);
    expect(cb).toBeAllclose([0, 0, 0]);
  });

  it("nanToNum: derivative 1 at finite elements and 0 at replaced ones; fmax flows to the non-NaN side", () => {
    expect(elementwiseGrad((x: NDArray) => np.nanToNum(x))(np.array([N, 2, I, -I]))).toBeAllclose([0, 1, 0, 0]);
    const [ga, gb] = grad((a: NDArray, b: NDArray) => np.sum(np.fmax(a, b)), { argnums: [0, 1] })(np.array([1, N, 3, 2]), np.array([N, 2, 1, 2])) as NDArray[];
    expect(ga).toBeAllclose([1, 0, 1, 0.5]);
    expect(gb).toBeAllclose([0, 1, 0, 0.5]);
  });

  it("clip: 1 strictly inside, 0 outside", () => {
    expect(elementwiseGrad((x: NDArray) => np.clip(x, 0, 1))(np.array([-1, 0.5, 2]))).toBeAllclose([0, 1, 0]);
  });

  it("forward mode agrees with reverse mode", () => {
    const x = np.array([0.3, -1.2, 2.5]);
    const v = np.array([1, -2, 0.5]);
    for (const f of [np.sinc, np.exp2, np.log10, (t: NDArray) => np.logaddexp(t, 0.5), (t: NDArray) => np.hypot(t, 2)]) {
      const [, tOut] = jvp(f, [x], [v]) as [NDArray, NDArray];
      const g = elementwiseGrad(f)(x) as NDArray;
      expect(tOut).toBeAllclose(g.mul(v), { rtol: 1e-14, atol: 1e-15 });
    }
  });
});

describe("vmap against a loop", () => {
  const xs = np.array([[0.3, -1.2, 2], [0, 0.5, -0.01], [4, -3, 1e-3]]);
  const ys = np.array([[1, 2, -3], [0, -0.5, 7], [0.1, 0, -2]]);
  const pairs: [string, (x: NDArray, y: NDArray) => NDArray][] = [
    ["logaddexp", np.logaddexp],
    ["logaddexp2", np.logaddexp2],
    ["hypot", np.hypot],
    ["copysign", np.copysign],
    ["heaviside", np.heaviside],
    ["fmax", np.fmax],
  ];
  for (const [name, f] of pairs) {
    it(`np.${name}, both arguments batched and one not`, () => {
      const batched = vmap(f)(xs, ys) as NDArray;
      const half = vmap(f, { inAxes: [0, null] })(xs, ys.get(1)) as NDArray;
      for (let i = 0; i < 3; i++) {
        expect(batched.get(i)).toBeAllclose(f(xs.get(i), ys.get(i)), { rtol: 0, atol: 0 });
        expect(half.get(i)).toBeAllclose(f(xs.get(i), ys.get(1)), { rtol: 0, atol: 0 });
      }
    });
  }
  it("np.sinc, np.nanToNum and per-example gradients of sinc", () => {
    const b = vmap(np.sinc)(xs) as NDArray;
    const g = vmap(grad((x: NDArray) => np.sum(np.sinc(x))))(xs) as NDArray;
    for (let i = 0; i < 3; i++) {
      expect(b.get(i)).toBeAllclose(np.sinc(xs.get(i)), { rtol: 0, atol: 0 });
      expect(g.get(i)).toBeAllclose(grad((x: NDArray) => np.sum(np.sinc(x)))(xs.get(i)), { rtol: 0, atol: 0 });
    }
    const z = np.array([[N, 1], [I, 2]]);
    const n = vmap((x: NDArray) => np.nanToNum(x))(z) as NDArray;
    expect(n).toBeAllclose(np.nanToNum(z), { rtol: 0, atol: 0 });
  });
});

describe("errors", () => {
  it("shapes that do not broadcast name the function and the shapes", () => {
    expect(() => np.logaddexp([1, 2], [1, 2, 3])).toThrow(ShapeError);
    expect(() => np.logaddexp([1, 2], [1, 2, 3])).toThrow(/np\.logaddexp: .*\(2,\) \(3,\)/);
    expect(() => np.hypot([[1, 2]], [1, 2, 3])).toThrow(/np\.hypot/);
    expect(() => np.fmax([1, 2], [1, 2, 3])).toThrow(/np\.fmax/);
  });
  it("wrong argument types are TypeErrors naming the function and argument", () => {
    expect(() => np.exp2("3" as never)).toThrow(TypeError);
    expect(() => np.exp2("3" as never)).toThrow(/np\.exp2: argument x/);
    expect(() => np.copysign(1, undefined as never)).toThrow(/np\.copysign: argument x2/);
    expect(() => np.sinc([[1, 2], [3]])).toThrow(/ragged/);
  });
});

describe("round with decimals, clip with one bound", () => {
  it("follows NumPy: rint(x·10ᵈ)/10ᵈ, half to even", () => {
    // np.round([2.675, -1.005, 0.125], 2) -> [2.68, -1., 0.12] (NumPy 2.4.6); np.round(1234.5, -1) -> 1230.
    expect(np.round([2.675, -1.005, 0.125], { decimals: 2 })).toBeAllclose([2.68, -1.0, 0.12], { rtol: 0, atol: 0 });
    expect(np.round(1234.5, { decimals: -1 })).toBeAllclose(1230, { rtol: 0, atol: 0 });
  });
  it("clip with null bounds", () => {
    expect(np.clip([-2, 0, 5], null, 1)).toBeAllclose([-2, 0, 1]);
    expect(np.clip([-2, 0, 5], 0, null)).toBeAllclose([0, 0, 5]);
    expect(() => np.clip([1], null, null)).toThrow(/np.clip/);
  });
});
