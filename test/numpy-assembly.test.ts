/**
 * @file `block`, `insert`, `rollaxis`, `resize`, `fillDiagonal`, `extract`, `lexsort`,
 * `cumulativeSum`/`cumulativeProd`, `ldexp`, `frexp`: values against NumPy 2.4 (the expected
 * values below were printed by it), derivatives, vmap, errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type A = np.NDArray;

describe("values against NumPy", () => {
  it("block, insert, rollaxis, resize", () => {
    expect(np.block([[np.eye(2), np.zeros([2, 1])], [np.ones([1, 2]), np.array([[5]])]]).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [1, 1, 5]]);
    expect(np.block([[np.ones([2, 2]), np.zeros([2, 3])]]).shape).toEqual([2, 5]);
    expect(np.insert([1, 2, 3], 1, 9).toArray()).toEqual([1, 9, 2, 3]);
    expect(np.insert([1, 2, 3], -1, 9).toArray()).toEqual([1, 2, 9, 3]);
    expect(np.insert([[1, 2], [3, 4]], 1, [7, 8], { axis: 1 }).toArray()).toEqual([[1, 7, 2], [3, 8, 4]]);
    expect(np.insert([[1, 2], [3, 4]], 2, 5, { axis: 0 }).toArray()).toEqual([[1, 2], [3, 4], [5, 5]]);
    expect(np.rollaxis(np.ones([3, 4, 5, 6]), 3, 1).shape).toEqual([3, 6, 4, 5]);
    expect(np.rollaxis(np.ones([3, 4, 5, 6]), 1, 4).shape).toEqual([3, 5, 6, 4]);
    expect(np.resize([1, 2, 3], [2, 4]).toArray()).toEqual([[1, 2, 3, 1], [2, 3, 1, 2]]);
    expect(np.resize([[1, 2], [3, 4]], 3).toArray()).toEqual([1, 2, 3]);
  });
  it("fillDiagonal, extract, lexsort, cumulativeSum/Prod, ldexp, frexp (subnormals and ±∞ too)", () => {
    expect(np.fillDiagonal(np.zeros([3, 4]), 7).toArray()).toEqual([[7, 0, 0, 0], [0, 7, 0, 0], [0, 0, 7, 0]]);
    expect(np.fillDiagonal(np.zeros([2, 2, 2]), [1, 2]).toArray()).toEqual([[[1, 0], [0, 0]], [[0, 0], [0, 2]]]);
    expect(np.extract(np.equal(np.mod(np.arange(12).reshape(3, 4), 3), 0), np.arange(12).reshape(3, 4)).toArray()).toEqual([0, 3, 6, 9]);
    expect(np.lexsort([[1, 5, 1, 4, 3, 4, 4], [9, 4, 0, 4, 0, 2, 1]]).toArray()).toEqual([2, 4, 6, 5, 3, 1, 0]);
    expect(np.cumulativeSum([[1, 2], [3, 4]], { axis: 1, includeInitial: true }).toArray()).toEqual([[0, 1, 3], [0, 3, 7]]);
    expect(np.cumulativeProd([1, 2, 3, 4], { includeInitial: true }).toArray()).toEqual([1, 1, 2, 6, 24]);
    expect(np.ldexp([3, 1.5], [1, -2]).toArray()).toEqual([6, 0.375]);
    const [m, e] = np.frexp([8, 0.3, -5, 0, 1e-310, Infinity, 1, 0.5, 2 ** 52 + 1]);
    expect(e.toArray()).toEqual([4, -1, 3, 0, -1029, 0, 1, 0, 53]);
    expect(m.toArray()).toEqual([0.5, 0.6, -0.625, 0, 1e-310 / 2 ** -1029, Infinity, 0.5, 0.5, (2 ** 52 + 1) / 2 ** 53]);
  });
});

describe("derivatives and vmap", () => {
  const x = np.array([[0.5, -1.2, 2], [0.3, 0.7, -0.4]]);
  it("checkGrads to second order through the structural ones and ldexp", () => {
    checkGrads((v: A) => np.sum(np.block([[v, v.mul(v)], [v.neg(), v]]).pow(2)), [x], { order: 2 });
    checkGrads((v: A) => np.sum(np.insert(v, 1, v.get(0).mul(3), { axis: 0 }).pow(2)), [x], { order: 2 });
    checkGrads((v: A) => np.sum(np.resize(v, [4, 4]).pow(3)), [x], { order: 2 });
    checkGrads((v: A) => np.sum(np.fillDiagonal(v.reshape(2, 3), v.get(0, 0).mul(2)).pow(2)), [x], { order: 2 });
    checkGrads((v: A) => np.sum(np.extract(np.greater(x, 0), v).pow(2)), [x], { order: 2 });
    checkGrads((v: A) => np.sum(np.cumulativeProd(v.reshape(-1), { includeInitial: true })), [x], { order: 2 });
    checkGrads((v: A) => np.sum(np.ldexp(v, [[1, 2, 3], [0, -1, -2]]).pow(2)), [x], { order: 2 });
  });
  it("vmap agrees with a loop", () => {
    const batch = np.stack([x, x.mul(2), x.neg()]);
    const loop = (f: (v: A) => A) => np.stack([0, 1, 2].map((i) => f(batch.get(i))));
    for (const f of [
      (v: A) => np.block([[v, v]]),
      (v: A) => np.insert(v, 2, 9, { axis: 1 }),
      (v: A) => np.rollaxis(v, 1),
      (v: A) => np.fillDiagonal(v, 0),
      (v: A) => np.cumulativeSum(v, { axis: 1, includeInitial: true }),
      (v: A) => np.frexp(v)[0],
    ]) {
      expect(vmap(f)(batch)).toBeAllclose(loop(f));
    }
  });
});

describe("errors", () => {
  it("name the function and the argument", () => {
    expect(() => np.insert([1, 2], 5, 0)).toThrow(/np\.insert: index 5 is out of bounds for axis 0 with size 2/);
    expect(() => np.resize([], [2])).toThrow(/np\.resize: cannot fill a non-empty shape from an empty array/);
    expect(() => np.fillDiagonal([1, 2], 0)).toThrow(/np\.fillDiagonal: a must be at least 2-D/);
    expect(() => np.cumulativeSum([[1, 2]])).toThrow(/np\.cumulativeSum: axis is required for an array of 2 dimensions/);
    expect(() => np.rollaxis(np.ones([2, 3]), 0, 5)).toThrow(/np\.rollaxis: start 5 is out of range for 2 dimensions/);
    expect(() => np.fillDiagonal(np.zeros([2, 3, 2]), 1)).toThrow(/np\.fillDiagonal: all dimensions of an n-d array must be equal/);
    expect(() => np.lexsort(5)).toThrow(/np\.lexsort: keys must have at least one dimension/);
    expect(() => np.insert([1, 2], 0.5, 0)).toThrow(/np\.insert: index 0\.5 is out of bounds/);
  });
});
