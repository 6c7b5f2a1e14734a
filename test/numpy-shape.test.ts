/** @file Shape and movement functions: values against NumPy, derivatives, vmap, errors. */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, vmap, jvp } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import cases from "./fixtures/numpy-cases.json" with { type: "json" };

type Case = keyof typeof cases;
const expected = (name: Case) => cases[name] as unknown as np.Nested;

// The same inputs as test/fixtures/gen-numpy-cases.py.
const A = np.arange(24).astype("float64").reshape(2, 3, 4);
const M = np.arange(12).astype("float64").reshape(3, 4);
const S = np.arange(9).astype("float64").reshape(3, 3);
const v = np.array([1, 2, 3, 4, 5]);
const w = np.array([2, -1, 0.5]);

const same = (got: np.NDArray, name: Case) => {
  expect(got.shape).toEqual(np.array(expected(name) as np.Nested).shape);
  expect(got).toBeAllclose(expected(name) as number[], { rtol: 1e-12, atol: 1e-12 });
};
const sameList = (got: np.NDArray[], name: Case) => {
  const want = expected(name) as np.Nested[];
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.shape).toEqual(np.array(want[i] as np.Nested).shape);
    if (g.size > 0) expect(g).toBeAllclose(want[i] as number[]);
  });
};

/** A smooth scalar of an array, weighting each element differently so permutations matter. */
const weigh = (y: np.NDArray) => np.sum(np.sin(y.mul(0.3)).mul(np.arange(y.size).reshape(y.shape).astype("float64").add(1)));
const grads2 = (f: (x: np.NDArray) => np.NDArray, x: np.NDArray) => checkGrads((z: np.NDArray) => weigh(f(z)), [x], { order: 2 });

describe("values against NumPy", () => {
  it("atleast and stacking", () => {
    same(np.atleast3d(v), "atleast3d_1d");
    expect(np.atleast1d(5).shape).toEqual([1]);
    expect(np.atleast2d(v).shape).toEqual([1, 5]);
    expect(np.atleast2d(3).shape).toEqual([1, 1]);
    expect(np.atleast3d(M).shape).toEqual([3, 4, 1]);
    expect(np.atleast3d(2).shape).toEqual([1, 1, 1]);
    const [p, q] = np.atleast1d(1, [2, 3]);
    expect([p!.shape, q!.shape]).toEqual([[1], [2]]);
    same(np.vstack([v, v.mul(2)]), "vstack");
    same(np.hstack([M, M.get(":", ":1")]), "hstack_2d");
    expect(np.hstack([v, w])).toBeAllclose([1, 2, 3, 4, 5, 2, -1, 0.5]);
    same(np.dstack([M, M]), "dstack");
    same(np.columnStack([v, v.mul(2)]), "columnStack");
    expect(np.rowStack([w, w]).shape).toEqual([2, 3]);
    expect(np.flatten(A)).toBeAllclose(np.ravel(A));
    expect(np.append(M, [1, 2]).shape).toEqual([14]);
    expect(np.append(M, np.ones([1, 4]), { axis: 0 }).shape).toEqual([4, 4]);
  });

  it("split and arraySplit", () => {
    sameList(np.arraySplit(v, 3), "arraySplit_5_3");
    sameList(np.split(M, [1, 3], { axis: 1 }), "split_idx");
    const parts = np.split(np.arange(6), 3);
    expect(parts.map((p) => p.toArray())).toEqual([[0, 1], [2, 3], [4, 5]]);
    // Clamped and decreasing indices, as Python slices.
    expect(np.split(np.arange(5), [3, 1]).map((p) => p.shape[0])).toEqual([3, 0, 4]);
    expect(np.split(np.arange(5), [1, 9]).map((p) => p.shape[0])).toEqual([1, 4, 0]);
    expect(np.hsplit(M, 2).map((p) => p.shape)).toEqual([[3, 2], [3, 2]]);
    expect(np.vsplit(M, 3).map((p) => p.shape)).toEqual([[1, 4], [1, 4], [1, 4]]);
    expect(np.dsplit(A, [1]).map((p) => p.shape)).toEqual([[2, 3, 1], [2, 3, 3]]);
  });

  it("tile and repeat", () => {
    same(np.tile(M.get(":2", ":3"), [2, 1, 2]), "tile_2d");
    expect(np.tile([1, 2], 2)).toBeAllclose([1, 2, 1, 2]);
    expect(np.tile(A, [2]).shape).toEqual([2, 3, 8]);
    expect(np.tile(v, 0).shape).toEqual([0]);
    same(np.repeat(M, 2, { axis: 1 }), "repeat_axis1");
    same(np.repeat(M, [1, 0, 2], { axis: 0 }), "repeat_counts");
    same(np.repeat(S, 2), "repeat_flat");
    expect(np.repeat(np.arange(3), np.array([2, 1, 0], { dtype: "int32" }))).toBeAllclose([0, 0, 1]);
    expect(np.repeat(np.array([true, false]), 2).dtype).toBe("bool");
  });

  it("flip, roll, rot90", () => {
    same(np.flip(A), "flip_all");
    same(np.flip(A, { axis: [0, 2] }), "flip_axes");
    expect(np.fliplr(M)).toBeAllclose(np.flip(M, { axis: 1 }));
    expect(np.flipud(M)).toBeAllclose(np.flip(M, { axis: 0 }));
    same(np.roll(M, 5), "roll_flat");
    same(np.roll(A, [1, -5], { axis: [1, 2] }), "roll_axes");
    expect(np.roll(v, 1)).toBeAllclose([5, 1, 2, 3, 4]);
    expect(np.roll(v, 5)).toBeAllclose(v);
    same(np.rot90(M), "rot90_1");
    same(np.rot90(A, 3, { axes: [2, 0] }), "rot90_3");
    same(np.rot90(M, -1), "rot90_m1");
    expect(np.rot90(M, 4)).toBeAllclose(M);
    expect(np.rot90(np.rot90(M), 3)).toBeAllclose(M);
  });

  it("pad in every mode, including pads wider than the array", () => {
    same(np.pad(M, [[1, 2], [0, 3]], { constantValues: [[7, 8], [9, 10]] }), "pad_constant");
    same(np.pad(M, [[2, 1], [3, 2]], { mode: "edge" }), "pad_edge");
    same(np.pad(M, [[2, 4], [5, 1]], { mode: "reflect" }), "pad_reflect");
    same(np.pad(M, [[4, 1], [2, 6]], { mode: "symmetric" }), "pad_symmetric");
    same(np.pad(M, [[2, 5], [3, 9]], { mode: "wrap" }), "pad_wrap");
    same(np.pad(np.arange(3).astype("float64"), [7, 8], { mode: "reflect" }), "pad_reflect_wide");
    expect(np.pad([1, 2], 1)).toBeAllclose([0, 1, 2, 0]);
    expect(np.pad(M, 1).shape).toEqual([5, 6]);
    expect(np.pad(np.array([1, 2], { dtype: "int32" }), [1, 0], { constantValues: 9 }).toArray()).toEqual([9, 1, 2]);
    expect(np.pad([5], 2, { mode: "reflect" })).toBeAllclose([5, 5, 5, 5, 5]);
  });

  it("pad with statistics (maximum, minimum, mean, median, statLength) and linear ramps, as NumPy 2.4", () => {
    const x = np.array([[1, 5, 2, 8], [3, 0, 7, 4], [9, 6, 1, 2]]);
    const xi = x.astype("int32");
    const r = [[1, 2], [2, 1]];
    expect(np.pad(x, r, { mode: "mean" })).toBeAllclose([
      [4, 4, 13 / 3, 11 / 3, 10 / 3, 14 / 3, 4], [4, 4, 1, 5, 2, 8, 4], [3.5, 3.5, 3, 0, 7, 4, 3.5],
      [4.5, 4.5, 9, 6, 1, 2, 4.5], [4, 4, 13 / 3, 11 / 3, 10 / 3, 14 / 3, 4], [4, 4, 13 / 3, 11 / 3, 10 / 3, 14 / 3, 4],
    ], { rtol: 1e-15 });
    // integer arrays: statistics rounded half to even, ramps floored
    expect(np.pad(xi, r, { mode: "mean" }).toArray()).toEqual([
      [4, 4, 4, 4, 3, 5, 4], [4, 4, 1, 5, 2, 8, 4], [4, 4, 3, 0, 7, 4, 4], [4, 4, 9, 6, 1, 2, 4], [4, 4, 4, 4, 3, 5, 4], [4, 4, 4, 4, 3, 5, 4],
    ]);
    expect(np.pad(xi, r, { mode: "linear_ramp" }).toArray()).toEqual([
      [0, 0, 0, 0, 0, 0, 0], [0, 0, 1, 5, 2, 8, 0], [0, 1, 3, 0, 7, 4, 0], [0, 4, 9, 6, 1, 2, 0], [0, 2, 4, 3, 0, 1, 0], [0, 0, 0, 0, 0, 0, 0],
    ]);
    expect(np.pad(np.array([-3, 1], { dtype: "int32" }), [2, 0], { mode: "linear_ramp" }).toArray()).toEqual([0, -2, -3, 1]);
    expect(np.pad(x, [[2, 1], [1, 3]], { mode: "median", statLength: [[1, 2], [3, 2]] })).toBeAllclose([
      [2, 1, 5, 2, 8, 5, 5, 5], [2, 1, 5, 2, 8, 5, 5, 5], [2, 1, 5, 2, 8, 5, 5, 5], [3, 3, 0, 7, 4, 5.5, 5.5, 5.5],
      [6, 9, 6, 1, 2, 1.5, 1.5, 1.5], [4, 6, 3, 4, 3, 3.5, 3.5, 3.5],
    ]);
    expect(np.pad(x, [[1, 2], [3, 1]], { mode: "linear_ramp", endValues: [[5, -2], [10, 0.5]] })).toBeAllclose([
      [10, 25 / 3, 20 / 3, 5, 5, 5, 5, 0.5], [10, 7, 4, 1, 5, 2, 8, 0.5], [10, 23 / 3, 16 / 3, 3, 0, 7, 4, 0.5],
      [10, 29 / 3, 28 / 3, 9, 6, 1, 2, 0.5], [10, 47 / 6, 17 / 3, 3.5, 2, -0.5, 0, 0.5], [10, 6, 2, -2, -2, -2, -2, 0.5],
    ], { rtol: 1e-15 });
    expect(np.pad([1, 2, 6], [2, 1], { mode: "linear_ramp", endValues: [5, 0] })).toBeAllclose([5, 3, 1, 2, 6, 0]);
    expect(np.pad([3, 1, 4], 2, { mode: "maximum" })).toBeAllclose([4, 4, 3, 1, 4, 4, 4]);
    expect(np.pad([3, 1, 4], [1, 2], { mode: "minimum", statLength: 1 })).toBeAllclose([3, 3, 1, 4, 4, 4]);
    // statLength longer than the axis means the whole axis
    expect(np.pad([3, 1, 4], 1, { mode: "mean", statLength: 10 })).toBeAllclose([8 / 3, 3, 1, 4, 8 / 3]);
  });

  it("diagonal, trace, diag, tril, triu", () => {
    same(np.diagonal(A, { offset: 1, axis1: 1, axis2: 2 }), "diagonal_off");
    same(np.diagonal(A, { offset: -1, axis1: 2, axis2: 0 }), "diagonal_neg");
    same(np.trace(A, { offset: -1, axis1: 0, axis2: 2 }), "trace_off");
    expect(np.trace(np.eye(3))).toBeAllclose(3);
    expect(np.trace(M, { offset: 10 })).toBeAllclose(0);
    expect(np.diagonal(M, { offset: -5 }).shape).toEqual([0]);
    same(np.diag(w, 2), "diag_k2");
    same(np.diag(w, -1), "diag_km1");
    same(np.diag(M, 1), "diag_of_M");
    expect(np.diag(np.diag(w))).toBeAllclose(w);
    expect(np.diagflat([[1, 2]])).toBeAllclose(np.diag([1, 2]));
    same(np.tril(A, -1), "tril_batch");
    same(np.triu(M, 1), "triu_k1");
    same(np.tril(w), "tril_1d");
    expect(np.tril(S).add(np.triu(S, 1))).toBeAllclose(S);
  });

  it("meshgrid", () => {
    sameList(np.meshgrid(w, v.get(":2"), v.get(":4")), "meshgrid_xy");
    sameList(np.meshgrid(w, v.get(":2"), { indexing: "ij", sparse: true }), "meshgrid_ij_sparse");
    const [X, Y] = np.meshgrid([1, 2, 3], [4, 5]);
    expect(X!.toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(Y!.toArray()).toEqual([[4, 4, 4], [5, 5, 5]]);
  });

  it("the existing shape functions (shape.ts)", () => {
    expect(np.transpose(A).shape).toEqual([4, 3, 2]);
    expect(np.transpose(A, [1, 0, 2]).get(2, 1, 3).item()).toBe(A.get(1, 2, 3).item());
    expect(np.swapaxes(A, 0, -1).shape).toEqual([4, 3, 2]);
    expect(np.moveaxis(A, 0, -1).shape).toEqual([3, 4, 2]);
    expect(np.expandDims(v, [0, 2]).shape).toEqual([1, 5, 1]);
    expect(np.squeeze(np.ones([1, 3, 1])).shape).toEqual([3]);
    expect(np.squeeze(np.ones([1, 3, 1]), { axis: -1 }).shape).toEqual([1, 3]);
    expect(np.broadcastTo(w, [2, 3]).toArray()).toEqual([[2, -1, 0.5], [2, -1, 0.5]]);
    expect(np.broadcastArrays(np.ones([3, 1]), np.ones([4])).map((x) => x.shape)).toEqual([[3, 4], [3, 4]]);
    expect(np.concatenate([M, M], { axis: -1 }).shape).toEqual([3, 8]);
    expect(np.stack([w, w], { axis: 1 }).toArray()).toEqual([[2, 2], [-1, -1], [0.5, 0.5]]);
    expect(np.stack([w, w], { axis: -1 }).shape).toEqual([3, 2]);
    expect(np.reshape(A, [-1, 4]).shape).toEqual([6, 4]);
    expect(np.ravel(A).shape).toEqual([24]);
  });
});

describe("derivatives (forward and reverse, second order)", () => {
  const X = np.sin(np.arange(12)).reshape(3, 4);
  const X3 = np.cos(np.arange(24)).reshape(2, 3, 4);
  const fns: [string, (x: np.NDArray) => np.NDArray, np.NDArray][] = [
    ["flatten", np.flatten, X],
    ["atleast3d", (x) => np.atleast3d(x), X],
    ["vstack", (x) => np.vstack([x, x.mul(x)]), X],
    ["hstack", (x) => np.hstack([x, x.get(":", ":1")]), X],
    ["dstack", (x) => np.dstack([x, x]), X],
    ["columnStack", (x) => np.columnStack([x.get(0), x.get(1)]), X],
    ["split", (x) => np.split(x, [1, 3], { axis: 1 })[1]!.mul(np.split(x, 2, { axis: 1 })[0]!.get(":", ":2")), X],
    ["arraySplit", (x) => np.arraySplit(x, 3, { axis: 1 })[2]!, X],
    ["tile", (x) => np.tile(x, [2, 1, 2]), X],
    ["repeat", (x) => np.repeat(x, 2, { axis: 0 }), X],
    ["repeat counts", (x) => np.repeat(x, [2, 0, 1, 3], { axis: 1 }), X],
    ["flip", (x) => np.flip(x, { axis: [0, 2] }), X3],
    ["roll", (x) => np.roll(x, [1, -2], { axis: [0, 2] }), X3],
    ["rot90", (x) => np.rot90(x, 3, { axes: [2, 1] }), X3],
    ["pad constant", (x) => np.pad(x, [[1, 2], [2, 0]], { constantValues: 1.5 }), X],
    ["pad edge", (x) => np.pad(x, [[2, 2], [1, 3]], { mode: "edge" }), X],
    ["pad reflect", (x) => np.pad(x, [[3, 2], [5, 4]], { mode: "reflect" }), X],
    ["pad symmetric", (x) => np.pad(x, 4, { mode: "symmetric" }), X],
    ["pad wrap", (x) => np.pad(x, [[4, 7], [1, 5]], { mode: "wrap" }), X],
    ["pad mean", (x) => np.pad(x, [[1, 2], [2, 1]], { mode: "mean", statLength: [[2, 1], [3, 2]] }), X],
    ["pad maximum", (x) => np.pad(x, 2, { mode: "maximum" }), X],
    ["pad median", (x) => np.pad(x, [[1, 1], [2, 0]], { mode: "median" }), X],
    ["pad linear_ramp", (x) => np.pad(x, [[2, 1], [1, 3]], { mode: "linear_ramp", endValues: [[1, -1], [0.5, 2]] }), X],
    ["diagonal", (x) => np.diagonal(x, { offset: -1, axis1: 2, axis2: 1 }), X3],
    ["trace", (x) => np.trace(x, { offset: 1 }).mul(np.trace(x)), X],
    ["diag 1-D", (x) => np.diag(x.get(0), -2), X],
    ["diag 2-D", (x) => np.diag(x, 1), X],
    ["tril", (x) => np.tril(x, -1), X3],
    ["triu", (x) => np.triu(x, 1), X],
    ["meshgrid", (x) => np.meshgrid(x.get(0), x.get(1, ":3"))[1]!.mul(np.meshgrid(x.get(0), x.get(1, ":3"))[0]!), X],
    ["append", (x) => np.append(x, x.get(0)), X],
  ];
  for (const [name, f, x] of fns) it(name, () => grads2(f, x));

  it("gradient of a flip/roll/pad composition has the expected closed form", () => {
    // sum(pad(x, 1, wrap)) counts corners and edges several times: d/dx is how often x[i] appears.
    const g = grad((x: np.NDArray) => np.sum(np.pad(x, 1, { mode: "wrap" })))(np.zeros([3, 3])) as np.NDArray;
    expect(g).toBeAllclose([[4, 2, 4], [2, 1, 2], [4, 2, 4]]);
    const g2 = grad((x: np.NDArray) => np.sum(np.repeat(x, [3, 1, 0])))(np.zeros([3])) as np.NDArray;
    expect(g2).toBeAllclose([3, 1, 0]);
  });

  it("forward mode through a tangent with zero-sized pieces", () => {
    const [y, t] = jvp((x: np.NDArray) => np.diagonal(x, { offset: 9 }), [X], [np.onesLike(X)]) as [np.NDArray, np.NDArray];
    expect(y.shape).toEqual([0]);
    expect(t.shape).toEqual([0]);
  });
});

describe("vmap equals a loop", () => {
  const xs = np.sin(np.arange(60)).reshape(5, 3, 4);
  const fns: [string, (x: np.NDArray) => np.NDArray][] = [
    ["pad reflect", (x) => np.pad(x, [[1, 2], [3, 1]], { mode: "reflect" })],
    ["roll", (x) => np.roll(x, 2, { axis: 1 })],
    ["diagonal", (x) => np.diagonal(x, { offset: 1 })],
    ["trace", (x) => np.trace(x)],
    ["tril", (x) => np.tril(x)],
    ["tile", (x) => np.tile(x, [2, 2])],
    ["rot90", (x) => np.rot90(x)],
    ["repeat", (x) => np.repeat(x, [1, 2, 0], { axis: 0 })],
    ["diag", (x) => np.diag(x.get(0))],
    ["split", (x) => np.split(x, 2, { axis: 1 })[1]!],
    ["vstack", (x) => np.vstack([x, x.get(":1")])],
  ];
  for (const [name, f] of fns) {
    it(name, () => {
      const batched = vmap(f)(xs) as np.NDArray;
      for (let i = 0; i < 5; i++) expect(batched.get(i)).toBeAllclose(f(xs.get(i)));
      // The batch axis elsewhere: vmap over axis 2 of a transposed stack.
      const t = np.moveaxis(xs, 0, 2);
      expect(vmap(f, { inAxes: 2 })(t)).toBeAllclose(batched);
    });
  }
  it("per-example gradients of a padded sum", () => {
    const f = (x: np.NDArray) => np.sum(np.pad(x, 2, { mode: "symmetric" }).mul(np.pad(x, 2, { mode: "edge" })));
    const per = vmap(grad(f))(xs) as np.NDArray;
    for (let i = 0; i < 5; i++) expect(per.get(i)).toBeAllclose(grad(f)(xs.get(i)) as np.NDArray);
  });
});

describe("errors name the operation and the shapes", () => {
  it("bad axes", () => {
    expect(() => np.flip(M, { axis: 2 })).toThrow(/np\.flip: axis 2 is out of bounds for an array of dimension 2/);
    expect(() => np.roll(M, 1, { axis: -3 })).toThrow(/np\.roll: axis -3/);
    expect(() => np.diagonal(M, { axis1: 1, axis2: -1 })).toThrow(/axis1 and axis2 cannot be the same/);
    expect(() => np.diagonal(v)).toThrow(/at least 2-d, got shape \(5,\)/);
    expect(() => np.rot90(M, 1, { axes: [0, 0] })).toThrow(/axes must be different/);
    expect(() => np.fliplr(v)).toThrow(/at least 2-d/);
    expect(() => np.split(M, 2, { axis: 2 })).toThrow(/np\.split: axis 2/);
  });
  it("bad sizes and arguments", () => {
    expect(() => np.split(v, 2)).toThrow(/does not result in an equal division: axis 0 of size 5 into 2 sections/);
    expect(() => np.repeat(v, [1, 2])).toThrow(/repeats has 2 entries but axis 0 of shape \(5,\) has 5/);
    expect(() => np.repeat(v, -1)).toThrow(/non-negative/);
    expect(() => np.pad(M, [[1, 2], [3, 4], [5, 6]])).toThrow(/np\.pad: cannot use pad_width/);
    expect(() => np.pad(M, -1)).toThrow(/non-negative/);
    expect(() => np.pad(np.zeros([0]), 1, { mode: "edge" })).toThrow(/can't extend empty axis 0/);
    expect(() => np.pad(M, 1, { mode: "empty" as np.PadMode })).toThrow(/mode 'empty' is not supported; use one of 'constant'/);
    expect(() => np.pad(M, 1, { mode: "mean", statLength: 0 })).toThrow(/np\.pad: stat_length must be positive integers, got 0/);
    expect(() => np.diag(A)).toThrow(/np\.diag: input must be 1- or 2-d, got shape \(2, 3, 4\)/);
    expect(() => np.vstack([])).toThrow(TypeError);
    expect(() => np.vstack([M, v])).toThrow(/np\.concatenate: all input array dimensions/);
    expect(() => np.tile(M, [-1])).toThrow(/non-negative/);
    expect(() => np.roll(M, [1, 2], { axis: [0] })).toThrow(/same length/);
    expect(() => np.meshgrid(v, { indexing: "xz" as "xy" })).toThrow(/np\.meshgrid: option indexing must be one of "xy", "ij"; got "xz"/);
    expect(() => vmap((r: np.NDArray) => np.repeat(v, r))(np.ones([2, 5]))).toThrow(/np.repeat: repeats is a traced value/);
  });
});
