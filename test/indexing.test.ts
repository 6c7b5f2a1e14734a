/**
 * @file Advanced indexing and the indexing functions: forward values against NumPy (expected values
 * printed by NumPy 2 for these inputs, or identities), derivatives in every mode, `vmap` against
 * loops, and the errors users see.
 */
import { describe, expect, test } from "vitest";
import * as np from "autograd-ts/numpy";
import { NDArray } from "autograd-ts/numpy";
import { checkGrads, grad, hessian, jacfwd, jacrev, jvp, vjp, vmap, IndexError, TracerConversionError } from "autograd-ts";

const int = (x: np.Nested) => np.array(x, { dtype: "int32" });
const A = np.arange(12).reshape(3, 4).astype("float64"); // [[0..3], [4..7], [8..11]]
const a3 = np.arange(24).reshape(2, 3, 4).astype("float64");
const x5 = np.array([0.3, -1.2, 2.5, 0.7, -0.4]);

describe("fancy get: values (NumPy's x[...])", () => {
  test("A[[0, 1], [1, 2]] pairs the index arrays", () => {
    expect(A.get([0, 1], [1, 2])).toBeAllclose([1, 6]);
  });

  test("rows, columns, negative and repeated indices", () => {
    expect(A.get([2, 0])).toBeAllclose([[8, 9, 10, 11], [0, 1, 2, 3]]);
    expect(A.get(":", [0, -1])).toBeAllclose([[0, 3], [4, 7], [8, 11]]);
    expect(A.get([-1, -1], -4)).toBeAllclose([8, 8]);
    expect(A.get(int([[0, 1], [2, 2]])).shape).toEqual([2, 2, 4]);
    expect(A.get(int([[0, 1], [2, 2]]), 3)).toBeAllclose([[3, 7], [11, 11]]);
  });

  test("adjacent index arrays stay in place; separated ones go first (NumPy's rule)", () => {
    const cases: [np.Index[], number[], number[][] | number[][][]][] = [
      [[[0, 1], ":", 0], [2, 3], [[0, 4, 8], [12, 16, 20]]],
      [[":", 0, [0, 1]], [2, 2], [[0, 1], [12, 13]]],
      [[0, ":", [0, 1, 2]], [3, 3], [[0, 4, 8], [1, 5, 9], [2, 6, 10]]],
      [[[1, 0], null, [2, 1]], [2, 1, 4], [[[20, 21, 22, 23]], [[4, 5, 6, 7]]]],
      [[null, [1, 0], [2, 1]], [1, 2, 4], [[[20, 21, 22, 23], [4, 5, 6, 7]]]],
      [[":", int([[0], [2]]), [0, -1, 2]], [2, 2, 3], [[[0, 3, 2], [8, 11, 10]], [[12, 15, 14], [20, 23, 22]]]],
      [["...", [0, 1]], [2, 3, 2], [[[0, 1], [4, 5], [8, 9]], [[12, 13], [16, 17], [20, 21]]]],
      [["::-1", [2, 0], "1::2"], [2, 2, 2], [[[21, 23], [13, 15]], [[9, 11], [1, 3]]]],
      [[[1], "1:", [-1]], [1, 2], [[19, 23]]],
    ];
    for (const [idx, shape, want] of cases) {
      const got = a3.get(...idx);
      expect(got.shape).toEqual(shape);
      expect(got).toBeAllclose(want);
    }
  });

  test("a boolean mask picks its true positions, in row-major order", () => {
    expect(A.get(A.gt(5))).toBeAllclose([6, 7, 8, 9, 10, 11]);
    expect(A.get(":", np.array([true, false, true, false]))).toBeAllclose([[0, 2], [4, 6], [8, 10]]);
    const m = np.array([[true, false, true], [false, true, false]]);
    expect(a3.get(m).shape).toEqual([3, 4]);
    expect(a3.get(m)).toBeAllclose(a3.reshape(6, 4).get([0, 2, 4]));
    expect(a3.get(":", m.get(0)).shape).toEqual([2, 2, 4]);
  });

  test("identities: take = get along an axis; get of all positions = the array", () => {
    expect(A.get(":", [3, 1])).toBeAllclose(np.take(A, [3, 1], { axis: 1 }));
    expect(A.get([0, 1, 2])).toBeAllclose(A);
    expect(A.get(A.ge(-1))).toBeAllclose(A.ravel());
    expect(A.at([1, 2]).get()).toBeAllclose(A.get([1, 2]));
  });

  test("int32 and bool arrays keep their dtype", () => {
    expect(int([5, 6, 7]).get([2, 0]).dtype).toBe("int32");
    expect(int([5, 6, 7]).get([2, 0])).toBeAllclose([7, 5]);
    expect(np.array([true, false]).get([1, 1, 0]).toArray()).toEqual([false, false, true]);
  });
});

describe("fancy at: functional updates", () => {
  test(".add accumulates repeated indices (np.add.at)", () => {
    expect(x5.at([0, 0, 3]).add(1)).toBeAllclose([2.3, -1.2, 2.5, 1.7, -0.4]);
    expect(A.at(":", [0, 0, 3]).add(1)).toBeAllclose([[2, 1, 2, 4], [6, 5, 6, 8], [10, 9, 10, 12]]);
  });

  test(".set writes the values; with repeated indices the last one wins", () => {
    expect(np.arange(5).astype("float64").at([0, 0]).set([7, 8])).toBeAllclose([8, 1, 2, 3, 4]);
    expect(A.at(":", [0, 2]).set([[-1, -2]])).toBeAllclose([[-1, 1, -2, 3], [-1, 5, -2, 7], [-1, 9, -2, 11]]);
    expect(A.at([0, 2], [1, 3]).set(0)).toBeAllclose([[0, 0, 2, 3], [4, 5, 6, 7], [8, 9, 10, 0]]);
  });

  test(".mul/.min/.max combine every repeated update (np.multiply.at, np.minimum.at, np.maximum.at)", () => {
    const r = np.arange(5).astype("float64");
    expect(r.at([1, 1, 3]).mul([2, 3, 4])).toBeAllclose([0, 6, 2, 12, 4]);
    expect(r.at([1, 1, 3, 4]).min([0.5, -1, 9, 2])).toBeAllclose([0, -1, 2, 3, 2]);
    expect(r.at([1, 1, 3, 4]).max([0.5, -1, 9, 2])).toBeAllclose([0, 1, 2, 9, 4]);
    expect(A.at("1:", [1, 3]).mul(10)).toBeAllclose([[0, 1, 2, 3], [4, 50, 6, 70], [8, 90, 10, 110]]);
  });

  test("boolean masks: a scalar value, or one value per true position", () => {
    expect(A.at(A.gt(8)).set(0)).toBeAllclose([[0, 1, 2, 3], [4, 5, 6, 7], [8, 0, 0, 0]]);
    expect(A.at(A.lt(2)).add(100)).toBeAllclose(A.add(np.array([[100, 100, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])));
    expect(A.at(A.gt(9)).set([-10, -11])).toBeAllclose([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, -10, -11]]);
    expect(np.at(A, ":", np.array([false, true, false, true])).max(6)).toBeAllclose([[0, 6, 2, 6], [4, 6, 6, 7], [8, 9, 10, 11]]);
  });

  test("mixed slices, integers, new axes and index arrays: values land where NumPy puts them", () => {
    expect(a3.at([1, 0], ":", [2, 1]).set([[100, 101, 102], [200, 201, 202]])).toBeAllclose([
      [[0, 200, 2, 3], [4, 201, 6, 7], [8, 202, 10, 11]],
      [[12, 13, 100, 15], [16, 17, 101, 19], [20, 21, 102, 23]],
    ]);
    expect(a3.at([1, 0], null, [2, 1]).set(np.arange(8).reshape(2, 1, 4).neg())).toBeAllclose([
      [[0, 1, 2, 3], [-4, -5, -6, -7], [8, 9, 10, 11]],
      [[12, 13, 14, 15], [16, 17, 18, 19], [0, -1, -2, -3]],
    ]);
    expect(a3.at(0, "1:", [0, 3]).set([[-1, -2], [-3, -4]])).toBeAllclose([
      [[0, 1, 2, 3], [-1, 5, 6, -3], [-2, 9, 10, -4]],
      [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]],
    ]);
    expect(a3.at("::-1", [2, 2], "1::2").add(np.arange(8).reshape(2, 2, 2))).toBeAllclose([
      [[0, 1, 2, 3], [4, 5, 6, 7], [8, 19, 10, 23]],
      [[12, 13, 14, 15], [16, 17, 18, 19], [20, 23, 22, 27]],
    ]);
  });

  test("np.at(x, ...idx) is x.at(...idx); the array itself is unchanged", () => {
    expect(np.at(x5, [4, 1]).set(0)).toBeAllclose(x5.at([4, 1]).set(0));
    expect(x5).toBeAllclose([0.3, -1.2, 2.5, 0.7, -0.4]);
  });
});

describe("derivatives of indexing", () => {
  test("grad of a gather: repeated indices accumulate", () => {
    const g = grad((x: NDArray) => np.sum(x.get([0, 0, 2, 0])))(x5);
    expect(g).toBeAllclose([3, 0, 1, 0, 0]);
    const gA = grad((x: NDArray) => np.sum(x.get([0, 2, 0], [1, 1, 1]).mul([1, 2, 3])))(A);
    expect(gA).toBeAllclose([[0, 4, 0, 0], [0, 0, 0, 0], [0, 2, 0, 0]]);
  });

  test("grad through a boolean mask computed from x (concrete primal under grad)", () => {
    const f = (x: NDArray) => np.sum(x.get(x.gt(0)).pow(2));
    expect(grad(f)(x5)).toBeAllclose([0.6, 0, 5, 1.4, 0]);
  });

  test("jvp and vjp of get and at agree with the explicit linear maps", () => {
    const t = np.array([1, 2, 3, 4, 5]);
    const [y, ty] = jvp((x: NDArray) => x.get([4, 0, 4]), [x5], [t]);
    expect(y).toBeAllclose([-0.4, 0.3, -0.4]);
    expect(ty).toBeAllclose([5, 1, 5]);
    const [, back] = vjp((x: NDArray, v: NDArray) => x.at([1, 3, 1]).set(v), x5, np.array([10, 20, 30]));
    const [gx, gv] = back(np.array([1, 2, 3, 4, 5]));
    expect(gx).toBeAllclose([1, 0, 3, 0, 5]);
    expect(gv).toBeAllclose([0, 4, 2]); // the first write to slot 1 is overwritten: no gradient
  });

  test("grad of .add and .set in x and in the values", () => {
    const w = np.array([1, 2, 3, 4, 5]);
    const fAdd = (x: NDArray, v: NDArray) => np.sum(x.at([0, 0, 3]).add(v).mul(w));
    const [gx, gv] = grad(fAdd, { argnums: [0, 1] })(x5, np.array([1, 1, 1])) as NDArray[];
    expect(gx).toBeAllclose(w);
    expect(gv).toBeAllclose([1, 1, 4]);
    const fSet = (x: NDArray) => np.sum(x.at(":", [1, 2]).set(0).mul(A));
    expect(grad(fSet)(A)).toBeAllclose(A.at(":", [1, 2]).set(0));
  });

  test("checkGrads to order 2: get, at, take, takeAlongAxis, choose, select", () => {
    const X = A.add(0.5).div(7);
    checkGrads((x: NDArray) => x.get([0, 2, 2], ":").sin(), [X], { order: 2 });
    checkGrads((x: NDArray) => x.get("::-1", [1, 1, 0], null).mul(x.get(0, [1, 1, 0])), [X], { order: 2 });
    checkGrads((x: NDArray) => x.get(x.gt(0.7)).pow(3), [X], { order: 2 });
    checkGrads((x: NDArray, v: NDArray) => x.at([0, 0, 2], 1).add(v).pow(2), [X, np.array([0.3, -0.2, 0.9])], { order: 2 });
    checkGrads((x: NDArray, v: NDArray) => x.at([0, 2, 2]).set(v.mul(v)).tanh(), [X, np.array([0.3, -0.2, 0.9, 0.5]).reshape(1, 4)], { order: 2 });
    checkGrads((x: NDArray) => np.take(x.mul(x), [[0, 11], [5, 5]]), [X], { order: 2 });
    checkGrads((x: NDArray) => np.takeAlongAxis(x.exp(), int([[3, 0], [1, 1], [2, 0]]), 1), [X], { order: 2 });
    checkGrads((p: NDArray, q: NDArray) => np.choose(int([1, 0, 1]), [p.mul(q), q]), [np.array([0.5, 1.5, -2]), np.array([2, 3, 0.25])], { order: 2 });
    checkGrads((x: NDArray) => np.select([x.lt(0), x.gt(1)], [x.mul(x), x.sin()], x.mul(3)), [x5], { order: 2 });
  });

  test("checkGrads to order 2: .mul/.min/.max with repeated indices", () => {
    const idx = [1, 3, 1, 0];
    const v = np.array([0.9, -1.3, 1.7, 0.2]);
    checkGrads((x: NDArray, u: NDArray) => x.at(idx).mul(u), [x5, v], { order: 2 });
    checkGrads((x: NDArray, u: NDArray) => x.at(idx).min(u), [x5, v], { order: 2 });
    checkGrads((x: NDArray, u: NDArray) => x.at(idx).max(u), [x5, v], { order: 2 });
    checkGrads((x: NDArray, u: NDArray) => x.at(":", [2, 0, 2]).mul(u), [A.div(10), np.array([0.5, -2, 1.5])], { order: 2 });
  });

  test(".mul at a zero update: the other factors' gradient is exact (no division by zero)", () => {
    const g = grad((u: NDArray) => np.sum(np.ones([3]).at([1, 1, 1]).mul(u)))(np.array([0, 2, 3]));
    expect(g).toBeAllclose([6, 0, 0]);
    const g2 = grad((u: NDArray) => np.sum(np.full([2], 2).at([0, 0]).mul(u)))(np.array([0, 0]));
    expect(g2).toBeAllclose([0, 0]);
  });

  test(".min/.max ties share the derivative equally", () => {
    const g = grad((u: NDArray) => np.sum(np.zeros([2]).at([0, 0, 1]).max(u)))(np.array([1, 1, -1]));
    expect(g).toBeAllclose([0.5, 0.5, 0]);
  });

  test("hessian of a function with fancy indexing: jacfwd(jacrev) = jacrev(jacrev)", () => {
    const f = (x: NDArray) => np.sum(x.get([0, 1, 1, 4]).pow(3)).add(np.sum(x.at([2, 2]).mul(x.get([3, 0]))));
    const H = hessian(f)(x5);
    expect(H).toBeAllclose(jacrev(jacrev(f))(x5));
    // f = x0³ + 2·x1³ + x4³ + (x0 + x1 + x2·x3·x0 + x3 + x4)
    expect(H.get(1, 1)).toBeAllclose(6 * 2 * -1.2);
    expect(H.get(2, 3)).toBeAllclose(0.3);
    expect(H.get(0, 2)).toBeAllclose(0.7);
  });

  test("integer results carry no gradient: searchsorted and argwhere", () => {
    const f = (x: NDArray) => np.sum(x.mul(np.searchsorted(np.array([0, 1, 2]), x)));
    expect(grad(f)(np.array([0.5, 1.5, 3]))).toBeAllclose([1, 2, 3]);
  });
});

describe("vmap over indexing", () => {
  const X = np.array([[0.1, 0.2, 0.3, 0.4], [1, 2, 3, 4], [-1, -2, -3, -4]]);
  const I = int([[0, 0], [3, 1], [2, -1]]);
  const stack = (xs: NDArray[]) => np.stack(xs);
  const rows = (x: NDArray) => [0, 1, 2].map((i) => x.get(i));

  test("over x (fixed indices), over the indices, and over both", () => {
    const f = (x: NDArray, i: NDArray) => x.get(i).mul(2);
    expect(vmap(f, { inAxes: [0, null] })(X, int([3, 3, 0]))).toBeAllclose(stack(rows(X).map((x) => f(x, int([3, 3, 0])))));
    expect(vmap(f, { inAxes: [null, 0] })(X.get(0), I)).toBeAllclose(stack(rows(I).map((i) => f(X.get(0), i))));
    expect(vmap(f)(X, I)).toBeAllclose(stack([0, 1, 2].map((b) => f(X.get(b), I.get(b)))));
    expect(vmap(f, { inAxes: [1, 0] })(X.T, I)).toBeAllclose(stack([0, 1, 2].map((b) => f(X.get(b), I.get(b)))));
  });

  test("two index arrays, one batched, on a 2-D x", () => {
    const f = (i: NDArray) => A.get(i, [3, 0]);
    expect(vmap(f)(int([[0, 1], [2, 2]]))).toBeAllclose([[3, 4], [11, 8]]);
  });

  test("updates batched over x, values and indices", () => {
    const f = (x: NDArray, i: NDArray, v: NDArray) => x.at(i).add(v);
    const V = np.array([[1, 2], [3, 4], [5, 6]]);
    const want = stack([0, 1, 2].map((b) => f(X.get(b), I.get(b), V.get(b))));
    expect(vmap(f)(X, I, V)).toBeAllclose(want);
    expect(vmap(f, { inAxes: [null, 0, 0] })(X.get(1), I, V)).toBeAllclose(stack([0, 1, 2].map((b) => f(X.get(1), I.get(b), V.get(b)))));
    for (const op of ["set", "mul", "min", "max"] as const) {
      const g = (x: NDArray, i: NDArray, v: NDArray) => x.at(i)[op](v);
      expect(vmap(g)(X, I, V)).toBeAllclose(stack([0, 1, 2].map((b) => g(X.get(b), I.get(b), V.get(b)))));
    }
  });

  test("per-example gradients through a batched gather accumulate per example", () => {
    const loss = (x: NDArray, i: NDArray) => np.sum(x.get(i).pow(2));
    const g = vmap(grad(loss), { inAxes: [0, 0] })(X, I);
    expect(g).toBeAllclose(stack([0, 1, 2].map((b) => grad(loss)(X.get(b), I.get(b)))));
    expect(g.get(0)).toBeAllclose([0.4, 0, 0, 0]);
  });

  test("grad of vmap, jacfwd over a batched update", () => {
    const f = (x: NDArray) => np.sum(vmap((row: NDArray, i: NDArray) => row.at(i).set(row.get(i).mul(3)))(x, I));
    const gx = grad(f)(X);
    const want = np.ones([3, 4]).at(0, 0).set(3).at(1, [1, 3]).set(3).at(2, [2, 3]).set(3);
    expect(gx).toBeAllclose(want);
    const J = jacfwd((x: NDArray) => vmap((row: NDArray, i: NDArray) => row.get(i))(x, I))(X);
    expect(J.shape).toEqual([3, 2, 3, 4]);
    expect(J.get(1, 0, 1, 3)).toBeAllclose(1);
    expect(np.sum(J)).toBeAllclose(6);
  });

  test("a whole-array mask with a scalar works batched; other masks need np.where", () => {
    const clipNeg = (x: NDArray) => x.at(x.lt(0)).set(0);
    expect(vmap(clipNeg)(X)).toBeAllclose(np.maximum(X, 0));
    expect(() => vmap((x: NDArray) => x.get(x.gt(0)))(X)).toThrow(TracerConversionError);
    expect(() => vmap((x: NDArray) => x.get(x.gt(0)))(X)).toThrow(/np\.where/);
  });

  test("take, takeAlongAxis, choose and searchsorted under vmap match loops", () => {
    const t = (x: NDArray, i: NDArray) => np.take(x, i);
    expect(vmap(t)(X, I)).toBeAllclose(stack([0, 1, 2].map((b) => t(X.get(b), I.get(b)))));
    const ta = (x: NDArray, i: NDArray) => np.takeAlongAxis(x, i, 0);
    expect(vmap(ta)(X, I)).toBeAllclose(stack([0, 1, 2].map((b) => ta(X.get(b), I.get(b)))));
    const ss = (a: NDArray, v: NDArray) => np.searchsorted(a, v, { side: "right" });
    const sorted = np.array([[0, 1, 1, 2], [5, 6, 7, 8], [-3, -2, -1, 0]]);
    const vals = np.array([[1, 3], [4, 7], [-2, 9]]);
    expect(vmap(ss)(sorted, vals)).toBeAllclose(stack([0, 1, 2].map((b) => ss(sorted.get(b), vals.get(b)))));
    expect(vmap(ss, { inAxes: [null, 0] })(sorted.get(0), vals)).toBeAllclose([[3, 4], [4, 4], [0, 4]]);
    const ch = (i: NDArray, p: NDArray) => np.choose(i, [p, p.neg()]);
    const sel = int([[0, 1], [1, 1], [0, 0]]);
    expect(vmap(ch, { inAxes: [0, null] })(sel, np.array([1, 2]))).toBeAllclose([[1, -2], [-1, -2], [1, 2]]);
  });
});

describe("indexing functions", () => {
  test("np.take: flattened by default, along an axis, modes", () => {
    expect(np.take(A, [[0, -1], [5, 2]])).toBeAllclose([[0, 11], [5, 2]]);
    expect(np.take(A, [2, 0], { axis: 1 })).toBeAllclose([[2, 0], [6, 4], [10, 8]]);
    expect(np.take(A, [5, -5], { axis: 1, mode: "wrap" })).toBeAllclose([[1, 3], [5, 7], [9, 11]]);
    expect(np.take(A, [5, -5], { axis: 1, mode: "clip" })).toBeAllclose([[3, 0], [7, 4], [11, 8]]);
    expect(np.take([4, 5, 6], 1)).toBeAllclose(5);
  });

  test("np.takeAlongAxis: with argsort-style indices, broadcasting, axis null", () => {
    expect(np.takeAlongAxis(A, int([[3, 0], [1, 1], [2, 0]]), 1)).toBeAllclose([[3, 0], [5, 5], [10, 8]]);
    expect(np.takeAlongAxis(A, int([[2, 0, 1, 0]]), 0)).toBeAllclose([[8, 1, 6, 3]]);
    expect(np.takeAlongAxis(A, int([[1], [0], [3]]), -1)).toBeAllclose([[1], [4], [11]]);
    expect(np.takeAlongAxis(A, int([11, 0]), null)).toBeAllclose([11, 0]);
    // identity: the max along an axis is x at argmax.
    const am = np.argmax(A, { axis: 1 }).reshape(3, 1);
    expect(np.takeAlongAxis(A, am, 1).ravel()).toBeAllclose(np.max(A, { axis: 1 }));
  });

  test("np.choose and np.select", () => {
    expect(np.choose(int([2, 0, 1, 0]), [[1, 2, 3, 4], [10, 20, 30, 40], [100, 200, 300, 400]])).toBeAllclose([100, 2, 30, 4]);
    expect(np.choose(int([[0], [1]]), [[1, 2], [10, 20]])).toBeAllclose([[1, 2], [10, 20]]);
    const x = np.array([-2, 0, 3, 5]);
    expect(np.select([x.lt(0), x.gt(2)], [x.neg(), x.mul(10)], -1)).toBeAllclose([2, -1, 30, 50]);
    expect(np.select([x.gt(-10), x.gt(2)], [x, x.mul(10)])).toBeAllclose(x); // the first true condition wins
  });

  test("np.nonzero, np.flatnonzero, np.argwhere", () => {
    const m = np.array([[0, 1.5, 0], [2, 0, -1]]);
    const [r, c] = np.nonzero(m);
    expect(r!.toArray()).toEqual([0, 1, 1]);
    expect(c!.toArray()).toEqual([1, 0, 2]);
    expect(r!.dtype).toBe("int32");
    expect(m.get(...np.nonzero(m))).toBeAllclose([1.5, 2, -1]);
    expect(np.flatnonzero(m).toArray()).toEqual([1, 3, 5]);
    expect(np.argwhere(m).toArray()).toEqual([[0, 1], [1, 0], [1, 2]]);
    expect(np.argwhere(np.array(5)).shape).toEqual([1, 0]);
    expect(np.argwhere(np.zeros([3])).shape).toEqual([0, 1]);
    expect(np.nonzero(np.zeros([2]))[0]!.shape).toEqual([0]);
  });

  test("np.searchsorted: left/right, NaN last", () => {
    const a = [1, 2, 2, 3];
    expect(np.searchsorted(a, [2, 2.5, 0, 5])).toBeAllclose([1, 3, 0, 4]);
    expect(np.searchsorted(a, [2, 2.5, 0, 5], { side: "right" })).toBeAllclose([3, 3, 0, 4]);
    expect(np.searchsorted(a, [2, NaN])).toBeAllclose([1, 4]);
    expect(np.searchsorted([0, 1, NaN], NaN)).toBeAllclose(2);
    expect(np.searchsorted(a, [[0, 3], [4, 1]]).shape).toEqual([2, 2]);
  });
});

describe("indexing errors", () => {
  test("out-of-range indices name the op, the index, the axis and the size", () => {
    expect(() => A.get([0, 5])).toThrow(IndexError);
    expect(() => A.get([0, 5])).toThrow("x.get: index 5 is out of bounds for axis 0 with size 3");
    expect(() => A.get(":", [-5])).toThrow("index -5 is out of bounds for axis 1 with size 4");
    expect(() => A.at([1], [9]).set(0)).toThrow("x.at: index 9 is out of bounds for axis 1 with size 4");
    expect(() => np.take(A, [12])).toThrow("np.take: index 12 is out of bounds for axis 0 with size 12");
    expect(() => np.takeAlongAxis(A, int([[4]]), 1)).toThrow(/np\.takeAlongAxis: index 4 is out of bounds for axis 1 with size 4/);
    expect(() => np.choose(int([0, 2]), [[1, 2], [3, 4]])).toThrow(/np\.choose: invalid entry 2/);
  });

  test("too many indices, bad masks, float indices, mismatched index shapes", () => {
    expect(() => A.get([0], [0], [0])).toThrow(/too many indices for array: array of shape \(3, 4\) is 2-dimensional, but 3 were indexed/);
    expect(() => A.get(np.array([true, false]))).toThrow(
      "boolean index did not match indexed array along axis 0; size of axis is 3 but size of corresponding boolean axis is 2",
    );
    expect(() => A.get(np.array([0.5, 1]))).toThrow(/arrays used as indices must be of integer \(or boolean\) type, got float64/);
    expect(() => A.get([0.5])).toThrow(IndexError);
    expect(() => A.get([0, 1], [0, 1, 2])).toThrow(/shape mismatch: indexing arrays could not be broadcast together with shapes \(2,\) \(3,\)/);
  });

  test("functions whose output shape depends on values refuse traced input", () => {
    expect(() => vmap((x: NDArray) => np.nonzero(x)[0]!)(A)).toThrow(TracerConversionError);
    expect(() => vmap((x: NDArray) => np.argwhere(x))(A)).toThrow(/np\.argwhere: the result's shape depends on the values/);
    expect(() => np.nonzero(np.array(1))).toThrow(/0-d/);
    expect(() => np.searchsorted(A, 1)).toThrow(/a must be 1-D/);
    expect(() => np.select([A.gt(1)], [])).toThrow(/same length/);
  });
});
