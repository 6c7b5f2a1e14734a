/**
 * @file Creation and introspection functions: the ranges (`arange`, `linspace`, `logspace`,
 * `geomspace`), constant arrays, `eye`/`tri`, the index helpers, `astype`, `copy`, and the
 * comparisons `isclose`, `allclose`, `arrayEqual`. Values against NumPy (pasted from NumPy 2.4).
 */
import { describe, expect, it } from "vitest";
import { grad, vmap, checkGrads, TracerConversionError } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type NDArray = np.NDArray;
const N = NaN;
const I = Infinity;

describe("ranges", () => {
  it("arange: int32 for integer arguments, float64 otherwise", () => {
    expect(np.arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(np.arange(4).dtype).toBe("int32");
    expect(np.arange(1, 2, 0.25)).toBeAllclose([1, 1.25, 1.5, 1.75]);
    expect(np.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(np.arange(0, 3, 1, { dtype: "float64" }).dtype).toBe("float64");
  });

  it("linspace with and without the endpoint", () => {
    expect(np.linspace(0, 1, 5)).toBeAllclose([0, 0.25, 0.5, 0.75, 1], { rtol: 0, atol: 0 });
    expect(np.linspace(0, 1, 4, { endpoint: false })).toBeAllclose([0, 0.25, 0.5, 0.75], { rtol: 0, atol: 0 });
    expect(np.linspace(2, 3, 1)).toBeAllclose([2]);
    expect(np.linspace(0, 1).shape).toEqual([50]);
  });

  it("logspace: base ** linspace (NumPy's values)", () => {
    expect(np.logspace(0, 3, 4)).toBeAllclose([1, 10, 100, 1000], { rtol: 1e-15 });
    // np.logspace(1, 2, 5, base=2); np.logspace(0, 1, 4, endpoint=False)
    expect(np.logspace(1, 2, 5, { base: 2 })).toBeAllclose([2.0, 2.378414230005442, 2.8284271247461903, 3.363585661014858, 4.0], { rtol: 1e-15 });
    expect(np.logspace(0, 1, 4, { endpoint: false })).toBeAllclose([1.0, 1.7782794100389228, 3.1622776601683795, 5.62341325190349], { rtol: 1e-15 });
  });

  it("geomspace: exact ends, negative sequences (NumPy's values)", () => {
    // np.geomspace(1, 256, 9), np.geomspace(-1000, -1, 4), np.geomspace(2, 200, 3, endpoint=False), np.geomspace(1, 3, 5)
    expect(np.geomspace(1, 256, 9)).toBeAllclose([1, 2, 4, 8, 16, 32, 64, 128, 256], { rtol: 1e-14 });
    expect(np.geomspace(-1000, -1, 4)).toBeAllclose([-1000, -100, -10, -1], { rtol: 1e-15 });
    expect(np.geomspace(2, 200, 3, { endpoint: false })).toBeAllclose([2.0, 9.283177667225555, 43.08869380063767], { rtol: 1e-15 });
    const g = [np.geomspace(1, 3, 5).toArray()].flat() as number[];
    expect(g).toEqual([1.0, 1.3160740129524924, 1.7320508075688772, 2.2795070569547775, 3.0].map((v) => expect.closeTo(v, 14)));
    expect(g[0]).toBe(1);
    expect(g[4]).toBe(3);
  });

  it("range errors", () => {
    expect(() => np.geomspace(0, 10, 3)).toThrow(/np\.geomspace: geometric sequence cannot include zero/);
    expect(() => np.geomspace(-1, 10, 3)).toThrow(/np\.geomspace: .*same sign/);
    expect(() => np.logspace(0, 1, -1)).toThrow(/np\.logspace: number of samples, -1/);
    expect(() => np.arange(0, 1, 0)).toThrow(/np\.arange/);
  });
});

describe("constant arrays, eye, tri and the index helpers", () => {
  it("zeros, ones, full, empty and their -like forms", () => {
    expect(np.zeros([2, 3]).shape).toEqual([2, 3]);
    expect(np.ones(2, { dtype: "int32" }).toArray()).toEqual([1, 1]);
    expect(np.full([2], 7)).toBeAllclose([7, 7]);
    expect(np.full([1], true).dtype).toBe("bool");
    expect(np.empty([2, 2]).shape).toEqual([2, 2]);
    const x = np.array([[1, 2]], { dtype: "int32" });
    expect(np.zerosLike(x).dtype).toBe("int32");
    expect(np.onesLike(x).toArray()).toEqual([[1, 1]]);
    expect(np.fullLike(x, 3).toArray()).toEqual([[3, 3]]);
    expect(np.emptyLike(x).shape).toEqual([1, 2]);
    expect(np.shape(x)).toEqual([1, 2]);
    expect(np.ndim(x)).toBe(2);
    expect(np.size(x)).toBe(2);
  });

  it("eye, identity and tri (NumPy's values)", () => {
    expect(np.eye(2, 3, { k: 1 })).toBeAllclose([[0, 1, 0], [0, 0, 1]]);
    expect(np.identity(2)).toBeAllclose([[1, 0], [0, 1]]);
    // np.tri(3, 4, k=1)
    expect(np.tri(3, 4, { k: 1 })).toBeAllclose([[1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]);
    expect(np.tri(3)).toBeAllclose([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(np.tri(2, 2, { dtype: "int32" }).dtype).toBe("int32");
  });

  it("triuIndices, trilIndices, diagIndices, indices (NumPy's values)", () => {
    // np.triu_indices(3, -1, 4), np.tril_indices(4, -1)
    const [r, c] = np.triuIndices(3, -1, 4);
    expect(r.toArray()).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
    expect(c.toArray()).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3]);
    const [lr, lc] = np.trilIndices(4, -1);
    expect(lr.toArray()).toEqual([1, 2, 2, 3, 3, 3]);
    expect(lc.toArray()).toEqual([0, 0, 1, 0, 1, 2]);
    const [fr, fc] = np.triuIndicesFrom(np.zeros([2, 3]), 1);
    expect([fr.toArray(), fc.toArray()]).toEqual([[0, 0, 1], [1, 2, 2]]);
    expect(np.trilIndicesFrom(np.zeros([2, 2]))[1].toArray()).toEqual([0, 0, 1]);
    expect(np.diagIndices(3, 3).map((d) => d.toArray())).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
    expect(np.indices([2, 3]).toArray()).toEqual([[[0, 0, 0], [1, 1, 1]], [[0, 1, 2], [0, 1, 2]]]);
    const [s0, s1] = np.indices([2, 3], { sparse: true });
    expect(s0!.shape).toEqual([2, 1]);
    expect(s1!.toArray()).toEqual([[0, 1, 2]]);
    expect(np.indices([2], { dtype: "float64" }).dtype).toBe("float64");
  });

  it("the index helpers select the triangle and diagonal of a matrix, differentiably", () => {
    const A = np.arange(9).reshape(3, 3);
    const [r, c] = np.triuIndices(3, 1);
    expect(A.get(r, c).toArray()).toEqual([1, 2, 5]);
    const [d0, d1] = np.diagIndices(3);
    expect(A.get(d0!, d1!).toArray()).toEqual([0, 4, 8]);
    const g = grad((M: NDArray) => np.sum(M.get(r, c)))(np.ones([3, 3])) as NDArray;
    expect(g).toBeAllclose(np.triu(np.ones([3, 3]), 1));
  });

  it("errors", () => {
    expect(() => np.triuIndicesFrom(np.zeros([2]))).toThrow(/np\.triuIndicesFrom: input array must be 2-d/);
    expect(() => np.indices([2, -1])).toThrow(/np\.indices/);
  });
});

describe("astype and copy", () => {
  it("astype converts (truncating to int32), and is differentiable between floats", () => {
    expect(np.astype([1.7, -1.7], "int32").toArray()).toEqual([1, -1]);
    expect(np.astype([0, 2], "bool").toArray()).toEqual([false, true]);
    expect(np.array([1, 2]).astype("float32").dtype).toBe("float32");
    expect(grad((x: NDArray) => np.sum(np.astype(x, "float32").astype("float64").mul(x)))(np.array([1.5, 2]))).toBeAllclose([3, 4]);
    expect(grad((x: NDArray) => np.sum(np.astype(x, "int32").astype("float64")))(np.array([1.5]))).toBeAllclose([0]);
  });

  it("copy: fresh storage for a concrete array, the value itself under a transformation", () => {
    const x = np.array([1, 2]);
    const y = np.copy(x);
    expect(y).toBeAllclose(x);
    expect(y).not.toBe(x);
    checkGrads((t: NDArray) => np.copy(t).mul(t), [np.array([0.3, -1])], { order: 2 });
    expect(vmap((t: NDArray) => np.copy(t))(np.ones([2, 3])).shape).toEqual([2, 3]);
  });
});

describe("isclose, allclose, arrayEqual, arrayEquiv", () => {
  it("isclose: |a − b| ≤ atol + rtol·|b|, equal infinities, NaN with equalNan (NumPy's values)", () => {
    // np.isclose([1, 1, nan, inf, -inf, 1e-9, 0], [1+1e-10, 1.1, nan, inf, inf, 0, 1e-9])
    expect(np.isclose([1, 1, N, I, -I, 1e-9, 0], [1 + 1e-10, 1.1, N, I, I, 0, 1e-9]).toArray()).toEqual([true, false, false, true, false, true, true]);
    expect(np.isclose([N], [N], { equalNan: true }).toArray()).toEqual([true]);
    expect(np.isclose([1, 2], [1.05, 2.5], { rtol: 0.1 }).toArray()).toEqual([true, false]);
    expect(np.isclose([0], [1e-3], { atol: 1e-2 }).toArray()).toEqual([true]);
    expect(np.isclose(np.array([[1], [2]]), np.array([1, 2])).toArray()).toEqual([[true, false], [false, true]]);
  });

  it("allclose and arrayEqual return JS booleans (an NDArray would always be truthy in an if)", () => {
    expect(np.allclose([1, 2], [1, 2 + 1e-9])).toBe(true);
    expect(np.allclose([1, 2], [1, 2.1])).toBe(false);
    expect(np.allclose([1, N], [1, N])).toBe(false);
    expect(np.allclose([1, N], [1, N], { equalNan: true })).toBe(true);
    expect(np.arrayEqual([1, 2], [1, 2])).toBe(true);
    expect(np.arrayEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(np.arrayEqual([[1, 2]], [1, 2])).toBe(false);
    expect(np.arrayEqual([1, N], [1, N])).toBe(false);
    expect(np.arrayEqual([1, N], [1, N], { equalNan: true })).toBe(true);
    expect(np.arrayEquiv([1, 1], 1)).toBe(true);
    expect(np.arrayEquiv([[1, 2]], [1, 2])).toBe(true);
    expect(np.arrayEquiv([1, 2], [1, 2, 3])).toBe(false);
  });

  it("allclose needs a concrete answer: under vmap it is a TracerConversionError; under grad it reads the primal", () => {
    expect(() => vmap((x: NDArray) => (np.allclose(x, 1) ? x : x.neg()))(np.ones([2]))).toThrow(TracerConversionError);
    expect(grad((x: NDArray) => (np.allclose(x, 1) ? x.mul(2) : x))(1)).toBe(2);
    expect(vmap((x: NDArray) => np.isclose(x, 1))(np.array([1, 2])).toArray()).toEqual([true, false]);
  });
});
