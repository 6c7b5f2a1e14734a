/** @file Convolution and correlation: `np.convolve`, `np.correlate`, `scipy.signal`. */
import { describe, expect, it } from "vitest";
import { checkGrads, vmap, grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as scipy from "autograd-ts/scipy";
import cases from "./fixtures/numpy-cases.json" with { type: "json" };

type Case = keyof typeof cases;
const want = (name: Case) => cases[name] as unknown as number[];
const same = (got: np.NDArray, name: Case) => {
  expect(got.shape).toEqual(np.array(want(name)).shape);
  expect(got).toBeAllclose(want(name), { rtol: 1e-12, atol: 1e-12 });
};

// The same inputs as test/fixtures/gen-numpy-cases.py.
const A = np.arange(24).astype("float64").reshape(2, 3, 4);
const v = np.array([1, 2, 3, 4, 5]);
const w = np.array([2, -1, 0.5]);
const B = np.sin(np.arange(30)).reshape(5, 6);
const K = np.cos(np.arange(6)).reshape(2, 3);
const { signal } = scipy;

/** The definition, by loops: out[k] = Σ_i a[i] v[k − i]. */
function convolveByLoops(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] += x * y)));
  return out;
}

describe("np.convolve and np.correlate", () => {
  it("values against NumPy in every mode, either input longer", () => {
    same(np.convolve(v, w), "np_convolve_full");
    same(np.convolve(v, w, { mode: "same" }), "np_convolve_same");
    same(np.convolve(v, w, { mode: "valid" }), "np_convolve_valid");
    same(np.convolve(w, [1, 2, 3, 4, 5, 6], { mode: "same" }), "np_convolve_same_swapped");
    same(np.convolve(w, v, { mode: "valid" }), "np_convolve_valid_swapped");
    same(np.correlate(v, w), "np_correlate_valid");
    same(np.correlate(w, v, { mode: "full" }), "np_correlate_full_swapped");
    same(np.correlate(w, [1, 2, 3, 4, 5, 6], { mode: "same" }), "np_correlate_same_swapped");
  });
  it("matches the definition and the docs example", () => {
    const a = [0.5, -2, 3, 1, 0, 4, 7];
    const b = [1, -1, 2, 0.25];
    expect(np.convolve(a, b)).toBeAllclose(convolveByLoops(a, b));
    expect(np.convolve(b, a)).toBeAllclose(convolveByLoops(a, b));
    expect(np.convolve([1, 2, 3], [0, 1, 0.5])).toBeAllclose([0, 1, 2.5, 4, 1.5]);
    expect(np.convolve([3], [2])).toBeAllclose([6]);
    expect(np.convolve(np.array([1, 2, 3], { dtype: "int32" }), np.array([1, 1], { dtype: "int32" })).toArray()).toEqual([1, 3, 5, 3]);
  });
  it("derivatives in both arguments, second order", () => {
    for (const mode of ["full", "same", "valid"] as const) {
      checkGrads((a: np.NDArray) => np.sum(np.sin(np.convolve(a, w, { mode }))), [v], { order: 2 });
      checkGrads((b: np.NDArray) => np.sum(np.sin(np.convolve(v, b, { mode }))), [w], { order: 2 });
      checkGrads((b: np.NDArray) => np.sum(np.sin(np.correlate(w, b, { mode }))), [v], { order: 2 });
    }
    // d/da Σ convolve(a, b) = Σ b for every element of a.
    const g = grad((a: np.NDArray) => np.sum(np.convolve(a, w)))(v) as np.NDArray;
    expect(g).toBeAllclose(np.full([5], 1.5));
  });
  it("vmap over signals and over kernels equals a loop", () => {
    const xs = np.sin(np.arange(28)).reshape(4, 7);
    const out = vmap((x: np.NDArray) => np.convolve(x, w, { mode: "same" }))(xs) as np.NDArray;
    for (let i = 0; i < 4; i++) expect(out.get(i)).toBeAllclose(np.convolve(xs.get(i), w, { mode: "same" }));
    const ks = np.cos(np.arange(12)).reshape(4, 3);
    const out2 = vmap((k: np.NDArray) => np.correlate(v, k, { mode: "full" }))(ks) as np.NDArray;
    for (let i = 0; i < 4; i++) expect(out2.get(i)).toBeAllclose(np.correlate(v, ks.get(i), { mode: "full" }));
  });
  it("errors", () => {
    expect(() => np.convolve(B, w)).toThrow(/np\.convolve: both inputs must be 1-D, got shapes \(5, 6\) and \(3,\)/);
    expect(() => np.convolve([], w)).toThrow(/a cannot be empty/);
    expect(() => np.convolve(v, w, { mode: "circular" as "full" })).toThrow(/np\.convolve: option mode must be one of "full", "same", "valid"; got "circular"/);
  });
});

describe("scipy.signal", () => {
  it("convolve and correlate, N-d, against SciPy", () => {
    same(signal.convolve(B, K), "sp_convolve_full");
    same(signal.convolve(B, K, { mode: "same" }), "sp_convolve_same");
    same(signal.convolve(B, K, { mode: "valid" }), "sp_convolve_valid");
    same(signal.convolve(K, B, { mode: "valid" }), "sp_convolve_valid_swapped");
    same(signal.convolve(K, B, { mode: "same" }), "sp_convolve_same_small");
    same(signal.correlate(B, K), "sp_correlate_full");
    same(signal.correlate(K, B, { mode: "same" }), "sp_correlate_same");
    same(signal.correlate(K, B, { mode: "valid" }), "sp_correlate_valid");
    same(signal.convolve(A, np.ones([2, 2, 2]).mul(np.arange(2)), { mode: "same" }), "sp_convolve_3d");
    same(signal.convolve2d(B, K, { mode: "same" }), "sp_convolve2d_same");
    same(signal.correlate2d(B, K, { mode: "valid" }), "sp_correlate2d_valid");
    expect(signal.convolve(v, w)).toBeAllclose(np.convolve(v, w));
    // Convolving with a delta shifts.
    const delta = np.zeros([3, 3]).at(1, 1).set(1);
    expect(signal.convolve(B, delta, { mode: "same" })).toBeAllclose(B);
  });
  it("derivatives in both arguments, second order", () => {
    for (const mode of ["full", "same", "valid"] as const) {
      checkGrads((a: np.NDArray) => np.sum(np.sin(signal.convolve(a, K, { mode }))), [B], { order: 2 });
      checkGrads((k: np.NDArray) => np.sum(np.sin(signal.correlate(B, k, { mode }))), [K], { order: 2 });
    }
    checkGrads((a: np.NDArray) => np.sum(np.sin(signal.convolve(a, np.ones([2, 1, 2])))), [A.mul(0.1)], { order: 2 });
  });
  it("vmap over images equals a loop", () => {
    const imgs = np.sin(np.arange(3 * 5 * 6)).reshape(3, 5, 6);
    const f = (x: np.NDArray) => signal.correlate2d(x, K, { mode: "valid" });
    const out = vmap(f)(imgs) as np.NDArray;
    for (let i = 0; i < 3; i++) expect(out.get(i)).toBeAllclose(f(imgs.get(i)));
    const g = vmap((k: np.NDArray) => signal.convolve(B, k))(np.stack([K, K.mul(2)])) as np.NDArray;
    expect(g.get(1)).toBeAllclose(signal.convolve(B, K).mul(2));
  });
  it("errors", () => {
    expect(() => signal.convolve(B, w)).toThrow(/scipy\.signal\.convolve: in1 and in2 should have the same dimensionality, got shapes \(5, 6\) and \(3,\)/);
    expect(() => signal.convolve(np.ones([4, 2]), np.ones([2, 4]), { mode: "valid" })).toThrow(/one must be at least as large as the other in every dimension/);
    expect(() => signal.convolve2d(v, w)).toThrow(/must both be 2-D/);
  });
});
