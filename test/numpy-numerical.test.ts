/**
 * @file Numerical calculus, interpolation, polynomials, statistics and counting (`numerical.ts`,
 * `statistics.ts`, the newer `np.linalg` helpers, `np.delete`): values against NumPy, derivatives
 * (checkGrads to second order, closed forms), vmap against a loop, and errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { ref } from "./numerical-refs.ts";

type A = np.NDArray;
const y = [1.5, 2.25, 0.5, 3, 4.75, 2];
const x = [0, 0.5, 1.25, 2, 3.5, 4];
const M = [[1, 2.5, 0.5, 4], [2, 1, 3.5, 0], [0.5, 3, 1, 2]];
const close = (got: A | number, want: unknown) => expect(got).toBeAllclose(want as number[], { rtol: 1e-12, atol: 1e-12 });

describe("values against NumPy", () => {
  it("trapezoid, gradient (even, uneven, second-order edges, n-d), ediff1d, unwrap", () => {
    close(np.trapezoid(y), ref.trap);
    close(np.trapz(y, { x }), ref.trapx);
    close(np.trapezoid(M, { axis: 0, dx: 0.5 }), ref.trapAxis);
    close(np.gradient(y) as A, ref.grad1);
    close(np.gradient(y, x) as A, ref.gradx);
    close(np.gradient(y, x, { edgeOrder: 2 }) as A, ref.grad2);
    const [g0, g1] = np.gradient(M, 0.5) as A[];
    close(g0!, ref.gradM[0]);
    close(g1!, ref.gradM[1]);
    close(np.ediff1d(M, { toBegin: [9], toEnd: [7, 8] }), ref.ediff);
    close(np.unwrap([0, 3, 6.5, 0.2, -3, 3.1416, 10]), ref.unwrap);
    close(np.unwrap([0, 5, 9, 1, 12], { period: 8 }), ref.unwrapP);
  });
  it("interp, polyval, polyfit, vander", () => {
    close(np.interp([-1, 0, 0.3, 1.25, 2.9, 4, 5], x, y), ref.interp);
    close(np.interp([-1, 5], x, y, { left: -7, right: 9 }), ref.interpLR);
    close(np.polyval([2, -1, 0.5, 3], [[0, 1.5], [-2, 0.25]]), ref.polyval);
    close(np.polyfit(x, y, 2), ref.polyfit);
    expect(np.polyfit(x, y, 4)).toBeAllclose(ref.polyfit4 as unknown as number[], { rtol: 1e-10 });
    close(np.vander([1, 2, 3.5], { N: 4 }), ref.vander);
    close(np.vander([2, 3], { increasing: true }), ref.vanderInc);
  });
  it("polyder, polyint, polyadd, polysub, polymul; linalg.tensorsolve, tensorinv (NumPy 2.4)", () => {
    expect(np.polyder([1, -2, 3, 4], 2).toArray()).toEqual([6, -4]);
    expect(np.polyint([3, 2, 1], 2, [1, 2])).toBeAllclose([0.25, 1 / 3, 0.5, 1, 2], { rtol: 1e-15 });
    expect(np.polyint([3, 2, 1]).toArray()).toEqual([1, 1, 1, 0]);
    expect(np.polyadd([1, 2], [1, 2, 3]).toArray()).toEqual([1, 3, 5]);
    expect(np.polysub([1, 2], [1, 2, 3]).toArray()).toEqual([-1, -1, -1]);
    expect(np.polymul([1, 2, 3], [4, 5]).toArray()).toEqual([4, 13, 22, 15]);
    expect(np.polyder(np.polyint([2, -1, 0.5]))).toBeAllclose([2, -1, 0.5], { rtol: 1e-15 });
    const A = np.array(Array.from({ length: 36 }, (_, i) => Math.sin(i * 1.3) + (i % 7 === 0 ? 3 : 0))).reshape(2, 3, 6);
    expect(np.linalg.tensorsolve(A, [[1, 2, 3], [4, 5, 6]])).toBeAllclose(
      [2.5333563594213313, -0.768574504956983, -1.3549011081355649, 2.5144551456111763, 4.149023623036569, 1.0867514148572686], { rtol: 1e-12 });
    const T = np.array(Array.from({ length: 36 }, (_, i) => Math.cos(i) + (i % 7 === 0 ? 2 : 0))).reshape(6, 2, 3);
    const Ti = np.linalg.tensorinv(T, { ind: 1 });
    expect(Ti.shape).toEqual([2, 3, 6]);
    expect(np.tensordot(T, Ti, 2)).toBeAllclose(np.eye(6), { atol: 1e-12 });
    checkGrads((p: A, q: A) => np.sum(np.polymul(np.polyder(p), np.polyint(q)).pow(2)), [np.array([1, -2, 0.5]), np.array([0.3, 2])], { order: 2 });
    checkGrads((m: A) => np.sum(np.linalg.tensorsolve(m.reshape(2, 3, 6), np.ones([2, 3]))), [A.reshape(-1)], { order: 1 });
  });
  it("cov, corrcoef", () => {
    close(np.cov(M), ref.cov);
    close(np.cov(M, { rowvar: false, bias: true }), ref.covT);
    close(np.cov([1, 2, 4], { y: [3, 1, 0], ddof: 0 }), ref.covy);
    close(np.corrcoef(M), ref.corr);
  });
  it("bincount, digitize (increasing and decreasing bins), histogram, unique, delete", () => {
    expect(np.bincount([0, 1, 1, 3, 7]).toArray()).toEqual(ref.bincount);
    close(np.bincount([0, 1, 1, 3], { weights: [0.5, 1, 2, -1], minlength: 6 }), ref.bincountW);
    const v = [0.2, 6.4, 3.0, 1.6, 10, -1];
    expect(np.digitize(v, [0, 1, 2.5, 4, 10]).toArray()).toEqual(ref.digitize);
    expect(np.digitize(v, [0, 1, 2.5, 4, 10], { right: true }).toArray()).toEqual(ref.digitizeR);
    expect(np.digitize(v, [10, 4, 2.5, 1, 0]).toArray()).toEqual(ref.digitizeDec);
    const [h, e] = np.histogram([1, 2, 1, 2.5, 3, 0.2, 7], { bins: 4 });
    expect(h.toArray()).toEqual(ref.hist[0]);
    close(e, ref.hist[1]);
    expect(np.histogram([1, 2, 1, 2.5, 3, 0.2, 7], { bins: [0, 1, 2, 3] })[0].toArray()).toEqual(ref.histE[0]);
    close(np.histogram([1, 2, 1, 2.5, 3], { bins: 3, range: [0, 3], weights: [1, 2, 3, 4, 5], density: true })[0], ref.histW[0]);
    const u = np.unique([[3, 1], [3, 2], [1, 5]], { returnIndex: true, returnInverse: true, returnCounts: true });
    expect(u.map((a) => a.toArray())).toEqual(ref.unique);
    expect(np.delete([[1, 2, 3], [4, 5, 6]], [0, -1], { axis: 1 }).toArray()).toEqual(ref.del);
    expect(np.delete([[1, 2], [3, 4]], 1).toArray()).toEqual(ref.delFlat);
  });
  it("i0 (NumPy 2.4) and its derivative I₁ (SciPy)", () => {
    expect(np.i0([1.5, -3])).toBeAllclose([1.6467231897728907, 4.880792585865024], { rtol: 1e-14 });
    expect(grad(np.i0)(1.5)).toBeAllclose(0.9816664285779079, { rtol: 1e-14 });
  });
  it("np.linalg: svdvals, matrixRank, cond (2, −2, Frobenius), multiDot with vectors at both ends", () => {
    close(np.linalg.svdvals(M), ref.svdvals);
    expect(np.linalg.matrixRank([[1, 2, 3], [2, 4, 6], [1, 0, 1]])).toBe(ref.rank);
    expect(np.linalg.matrixRank([0, 0])).toBe(0);
    close(np.linalg.cond([[1, 2], [3, 4]]), ref.cond);
    close(np.linalg.cond([[1, 2], [3, 4]], { p: "fro" }), ref.condF);
    close(np.linalg.cond([[1, 2], [3, 4]], { p: -2 }), ref.condm2);
    close(np.linalg.multiDot([[1, 2, 3], M.map((r) => r.slice(0, 3)), [[1, 0], [0, 1], [2, 2]], [4, 5]]), ref.multi);
  });
});

describe("derivatives and vmap", () => {
  const Y = np.array(y);
  const X = np.array(x);
  it("checkGrads to second order", () => {
    checkGrads((v: A) => np.trapezoid(v.mul(v), { x: X }), [Y], { order: 2 });
    checkGrads((v: A) => np.sum(np.gradient(v.mul(v), X, { edgeOrder: 2 }) as A), [Y], { order: 2 });
    checkGrads((v: A) => np.sum(np.unwrap(v.mul(3))), [Y], { order: 2 });
    checkGrads((q: A, fp: A) => np.sum(np.interp(q, X, fp).pow(2)), [np.array([0.3, 1.9, 3.7]), Y], { order: 2 });
    checkGrads((xp: A) => np.sum(np.interp(np.array([0.3, 1.9, 3.7]), xp, Y)), [X], { order: 2 });
    checkGrads((p: A, t: A) => np.sum(np.polyval(p, t)), [np.array([2, -1, 0.5]), np.array([0.3, -1.2])], { order: 2 });
    checkGrads((v: A) => np.sum(np.polyfit(X, v, 2).mul(np.array([1, -2, 3]))), [Y], { order: 2 });
    checkGrads((m: A) => np.sum(np.cov(m).pow(2)), [np.array(M)], { order: 2 });
    checkGrads((m: A) => np.sum(np.corrcoef(m)), [np.array(M)], { order: 2 });
    checkGrads((m: A) => np.linalg.cond(m), [np.array([[1, 2], [3, 4]])], { order: 2 });
    checkGrads((m: A) => np.sum(np.linalg.multiDot([m, m.T, m])), [np.array(M)], { order: 2 });
    checkGrads((w: A) => np.sum(np.histogram([1, 2, 1, 2.5, 3], { bins: 3, weights: w })[0].pow(2)), [np.array([1, 2, 3, 4, 5])], { order: 2 });
    checkGrads((w: A) => np.sum(np.bincount([0, 1, 1, 3], { weights: w }).pow(2)), [np.array([0.5, 1, 2, -1])], { order: 2 });
  });
  it("closed forms: ∫ polyval = the antiderivative (trapezoid on a fine grid), d polyval/dx, d unique/d ar", () => {
    const t = np.linspace(0, 2, 2001);
    expect(np.trapezoid(np.polyval([3, 0, 0], t), { x: t })).toBeAllclose(8, { rtol: 1e-6 });
    expect(grad((s: A) => np.polyval([3, -2, 1], s))(np.array(2))).toBeAllclose(10);
    // np.unique's values are taken from ar, so the gradient lands on the first occurrences
    expect(grad((a: A) => np.sum(np.unique(a).mul(np.array([1, 10, 100]))))(np.array([3, 1, 3, 2]))).toBeAllclose([100, 1, 0, 10]);
  });
  it("vmap agrees with a loop", () => {
    const batch = np.stack([Y, Y.mul(2), Y.neg()]);
    const loop = (f: (v: A) => A) => np.stack([0, 1, 2].map((i) => f(batch.get(i))));
    for (const f of [
      (v: A) => np.trapezoid(v, { x: X }),
      (v: A) => np.gradient(v, X) as A,
      (v: A) => np.interp(np.array([0.3, 2.2]), X, v),
      (v: A) => np.polyfit(X, v, 2),
      (v: A) => np.unwrap(v.mul(4)),
      (v: A) => np.cov(np.stack([v, v.mul(v)])),
    ]) {
      expect(vmap(f)(batch)).toBeAllclose(loop(f), { rtol: 1e-12, atol: 1e-12 });
    }
  });
});

describe("errors", () => {
  it("name the function and the argument", () => {
    expect(() => np.trapezoid([1, 2, 3], { x: [0, 1] })).toThrow(/np\.trapezoid: x has 2 samples along the axis but y has 3/);
    expect(() => np.gradient([1])).toThrow(/np\.gradient: shape of the array too small/);
    expect(() => np.interp([1], [0, 1], [1, 2, 3])).toThrow(/np\.interp: xp and fp must be 1-D of one length/);
    expect(() => np.polyfit([0, 1], [1, 2, 3], 1)).toThrow(/np\.polyfit: x and y have different lengths \(2 and 3\)/);
    expect(() => np.bincount([1, -1])).toThrow(/np\.bincount: x must be non-negative/);
    expect(() => np.bincount([0.5])).toThrow(/np\.bincount: x must hold integers/);
    expect(() => np.digitize([1], [0, 2, 1])).toThrow(/np\.digitize: bins must be monotonically increasing or decreasing/);
    expect(() => np.histogram([1, 2], { bins: 0 })).toThrow(/np\.histogram: bins must be a positive integer/);
    expect(() => np.delete([1, 2], 5)).toThrow(/np\.delete: index 5 is out of bounds for axis 0 with size 2/);
    expect(() => np.linalg.multiDot([[1, 2]])).toThrow(/np\.linalg\.multiDot: expecting at least two arrays/);
    expect(() => vmap((v: A) => np.bincount(v))(np.array([[0, 1], [1, 1]], { dtype: "int32" }))).toThrow(/toArray\(\) on a value batched by vmap/);
    expect(() => np.gradient([1, 2, 3], 1, { edgeOrder: 3 as 1 })).toThrow(/np\.gradient: option edgeOrder must be one of 1, 2; got 3/);
    expect(() => np.gradient([1, 2, 3], [0, 1])).toThrow(/np\.gradient: the coordinates must be 1-D with 3 entries/);
    expect(() => np.interp([1], [], [])).toThrow(/np\.interp: xp and fp are empty/);
    expect(() => np.vander([[1, 2]])).toThrow(/np\.vander: x must be 1-D/);
    expect(() => np.polyint([1, 2], 2, [1])).toThrow(/np\.polyint: k must have m = 2 constants, got 1/);
    expect(() => np.polyder([[1, 2]])).toThrow(/np\.polyder: polynomial coefficients must be 1-D/);
    expect(() => np.histogram([1, 2], { bins: 3, range: [2, 1] })).toThrow(/np\.histogram: max must be larger than min in range/);
    expect(() => np.histogram([1, 2], { bins: [0, 2, 1] })).toThrow(/np\.histogram: bins must increase monotonically/);
    expect(() => np.histogram([1, 2], { weights: [1] })).toThrow(/np\.histogram: weights must have the shape of a/);
    expect(() => np.cov(np.ones([2, 2, 2]))).toThrow(/np\.cov: m has more than 2 dimensions/);
    expect(() => np.linalg.tensorsolve(np.ones([2, 3, 4]), np.ones([2, 3]))).toThrow(/np\.linalg\.tensorsolve: a of shape \(2, 3, 4\) and b of shape \(2, 3\) do not make a square system/);
    expect(() => np.linalg.tensorinv(np.ones([2, 3]), { ind: 1 })).toThrow(/np\.linalg\.tensorinv: a of shape \(2, 3\) is not square over its first 1 axes \(2 vs 3\)/);
    expect(() => np.linalg.tensorinv(np.ones([2, 2]), { ind: 0 })).toThrow(/np\.linalg\.tensorinv: option ind must be a positive integer; got 0/);
  });
});
