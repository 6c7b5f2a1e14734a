/** @file Products: `einsum`, `kron`, `cross`, and `dot`/`vdot`/`inner`/`outer`/`matmul`/`tensordot`. */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import cases from "./fixtures/numpy-cases.json" with { type: "json" };

type Case = keyof typeof cases;
const want = (name: Case) => cases[name] as unknown as number[];

// The same inputs as test/fixtures/gen-numpy-cases.py.
const A = np.arange(24).astype("float64").reshape(2, 3, 4);
const M = np.arange(12).astype("float64").reshape(3, 4);
const S = np.arange(9).astype("float64").reshape(3, 3);
const w = np.array([2, -1, 0.5]);
const B = np.sin(np.arange(30)).reshape(5, 6);
const K = np.cos(np.arange(6)).reshape(2, 3);

const same = (got: np.NDArray, name: Case) => {
  expect(got.shape).toEqual(np.array(want(name)).shape);
  expect(got).toBeAllclose(want(name), { rtol: 1e-12, atol: 1e-12 });
};

/** Deterministic test data. */
const data = (shape: number[], seed = 0) => np.sin(np.arange(shape.reduce((a, b) => a * b, 1)).mul(0.7).add(seed)).reshape(shape);

describe("einsum values against NumPy", () => {
  it("explicit output, batches, ellipsis, three operands", () => {
    same(np.einsum("ijk,kj->ik", A, M.T), "einsum_ijk_kj");
    same(np.einsum("bij,bjk->bik", A.get(":", ":", ":3"), np.stack([S, S.mul(2)])), "einsum_batch");
    same(np.einsum("...ij,...jk", A, np.ones([4, 2]).mul(np.arange(2))), "einsum_ell");
    same(np.einsum("ij,jk,kl->il", M.get(":", ":3"), S, M), "einsum_three");
    same(np.einsum("ijk->kij", A), "einsum_perm");
    same(np.einsum("Ab,bC->AC", M, M.T), "einsum_upper");
  });
  it("repeated indices, implicit mode, broadcasting, full sums", () => {
    same(np.einsum("iij->ij", np.arange(18).astype("float64").reshape(3, 3, 2)), "einsum_diag_keep");
    same(np.einsum("ii,j->j", S, w), "einsum_trace_outer");
    same(np.einsum("kj,ji", S, M.get(":", ":3")), "einsum_implicit");
    same(np.einsum("...i,...i->...", A.get(":", ":1", ":"), A.get(":1", ":", ":")), "einsum_bcast");
    same(np.einsum("ijk->", A), "einsum_sum_all");
  });
  it("identities with the other products", () => {
    const X = data([3, 4]);
    const Y = data([4, 5], 1);
    const v = data([4], 2);
    expect(np.einsum("ii", S)).toBeAllclose(np.trace(S));
    expect(np.einsum("ii->i", S)).toBeAllclose(np.diagonal(S));
    expect(np.einsum("ij->ji", X)).toBeAllclose(X.T);
    expect(np.einsum("ij", X)).toBeAllclose(X);
    expect(np.einsum("ji", X)).toBeAllclose(X.T);
    expect(np.einsum("ij,jk", X, Y)).toBeAllclose(np.matmul(X, Y));
    expect(np.einsum("ij,j", X, v)).toBeAllclose(np.dot(X, v));
    expect(np.einsum("i,i", v, v)).toBeAllclose(np.vdot(v, v));
    expect(np.einsum("i,j->ij", v, w)).toBeAllclose(np.outer(v, w));
    expect(np.einsum("ij,ij->", X, X)).toBeAllclose(np.sum(X.mul(X)));
    expect(np.einsum("ij,ij->ij", X, X)).toBeAllclose(X.mul(X));
    expect(np.einsum("i,i->i", v, v)).toBeAllclose(v.mul(v));
    expect(np.einsum("iii->i", data([3, 3, 3]))).toBeAllclose(np.array([0, 13, 26].map((k) => Math.sin(0.7 * k))));
    expect(np.einsum("...,...", M, 3)).toBeAllclose(M.mul(3));
    expect(np.einsum("", 2.5)).toBeAllclose(2.5);
    expect(np.einsum(" i j , j k -> i k ", X, Y)).toBeAllclose(np.matmul(X, Y));
    expect(np.einsum("i...->...i", A).shape).toEqual([3, 4, 2]);
    expect(np.einsum("...i,i->i", w, w)).toBeAllclose(w.mul(w));
    // A label that appears in three operands is kept as a batch axis, then summed.
    const a = data([3]), b = data([3], 1), c = data([3], 2);
    expect(np.einsum("i,i,i->", a, b, c)).toBeAllclose(np.sum(a.mul(b).mul(c)));
    expect(np.einsum("ij,ij,ij->i", X, X, X)).toBeAllclose(np.sum(X.mul(X).mul(X), { axis: 1 }));
    // Integer operands stay integers.
    const I = np.arange(6).reshape(2, 3);
    expect(np.einsum("ij,kj->ik", I, I).dtype).toBe("int32");
    expect(np.einsum("ij,kj->ik", I, I).toArray()).toEqual([[5, 14], [14, 50]]);
  });
});

describe("einsum derivatives and vmap", () => {
  const cases2: [string, number[][]][] = [
    ["ij,jk->ik", [[3, 4], [4, 2]]],
    ["ii->i", [[3, 3]]],
    ["ii", [[3, 3]]],
    ["iij,jk->ki", [[2, 2, 3], [3, 2]]],
    ["...ij,...jk->...ik", [[2, 3, 4], [4, 2]]],
    ["bij,bjk->bik", [[2, 3, 2], [2, 2, 3]]],
    ["i,i,i->", [[4], [4], [4]]],
    ["ij,jk,kl", [[2, 3], [3, 2], [2, 2]]],
    ["i,j->ij", [[3], [2]]],
  ];
  for (const [spec, shapes] of cases2) {
    it(`${spec}: checkGrads order 2 in each operand`, () => {
      const ops = shapes.map((s, i) => data(s, i));
      for (let k = 0; k < ops.length; k++) {
        const f = (x: np.NDArray) => {
          const args = ops.slice();
          args[k] = x;
          return np.sum(np.sin(np.einsum(spec, ...args)));
        };
        checkGrads(f, [ops[k]!], { order: 2 });
      }
    });
  }
  it("vmap over either operand equals a loop", () => {
    const xs = data([4, 3, 3]);
    const y = data([3, 2], 5);
    const f = (x: np.NDArray, z: np.NDArray) => np.einsum("ii,ij->j", x, z);
    const out = vmap(f, { inAxes: [0, null] })(xs, y) as np.NDArray;
    for (let i = 0; i < 4; i++) expect(out.get(i)).toBeAllclose(f(xs.get(i), y));
    const ys = data([4, 3, 2], 6);
    const out2 = vmap(f, { inAxes: [null, 0] })(xs.get(0), ys) as np.NDArray;
    for (let i = 0; i < 4; i++) expect(out2.get(i)).toBeAllclose(f(xs.get(0), ys.get(i)));
    const out3 = vmap(f)(xs, ys) as np.NDArray;
    for (let i = 0; i < 4; i++) expect(out3.get(i)).toBeAllclose(f(xs.get(i), ys.get(i)));
  });
  it("grad of a bilinear form is the closed form", () => {
    const Q = data([3, 3]);
    const x = data([3], 1);
    const g = grad((z: np.NDArray) => np.einsum("i,ij,j", z, Q, z))(x) as np.NDArray;
    expect(g).toBeAllclose(np.matmul(Q.add(Q.T), x));
  });
});

describe("einsum errors", () => {
  it("names the problem", () => {
    expect(() => np.einsum("ij->ii", S)).toThrow(/output subscript 'i' appears more than once/);
    expect(() => np.einsum("ij,jk", np.ones([2, 2]), np.ones([3, 3]))).toThrow(/dimension of subscript 'j' differs: size 3 in operand 1/);
    expect(() => np.einsum("ijk", S)).toThrow(/operand 0 has shape \(3, 3\) \(2 axes\) but subscripts 'ijk' name 3/);
    expect(() => np.einsum("i->j", w)).toThrow(/output subscript 'j' does not appear in any input/);
    expect(() => np.einsum("i,j", w)).toThrow(/subscripts 'i,j' name 2 operands but 1 was given/);
    expect(() => np.einsum("i%", w)).toThrow(/invalid subscript '%'/);
    expect(() => np.einsum("ii", M)).toThrow(/dimension of subscript 'i' differs/);
    expect(() => np.einsum("...i->i", M)).toThrow(/output has no '...'/);
    expect(() => np.einsum("i......", w)).toThrow(/more than one ellipsis/);
    expect(() => np.einsum("ij->i->j", S)).toThrow(/more than one '->'/);
    expect(() => np.einsum("...ijk", S)).toThrow(/fewer axes than subscripts/);
    expect(() => np.einsum("...i,...i", np.ones([2, 3]), np.ones([4, 3]))).toThrow(/subscript '...' differs/);
    expect(() => np.einsum("ij")).toThrow(/at least one operand/);
  });
});

describe("kron and cross", () => {
  it("values against NumPy", () => {
    same(np.kron(M.get(":2", ":3"), K), "kron");
    same(np.kron(w, K), "kron_mixed");
    expect(np.kron([1, 2], [1, 10])).toBeAllclose([1, 10, 2, 20]);
    expect(np.kron(np.eye(2), S)).toBeAllclose(np.einsum("ij,kl->ikjl", np.eye(2), S).reshape(6, 6));
    same(np.cross(B.get(":", ":3"), B.get(":", "3:")), "cross3");
    same(np.cross(K.get(":", ":2"), B.get(":2", ":3")), "cross_23");
    same(np.cross(B.get(":3", ":4"), B.get("2:5", "1:5"), { axis: 0 }), "cross_axis");
    expect(np.cross([1, 0, 0], [0, 1, 0])).toBeAllclose([0, 0, 1]);
    expect(np.cross([1, 2], [3, 4])).toBeAllclose(-2);
    expect(np.cross([1, 2], [3, 4, 5])).toBeAllclose([10, -5, -2]);
    const a = data([4, 3]);
    const b = data([4, 3], 1);
    // a × b is orthogonal to a and b.
    expect(np.sum(np.cross(a, b).mul(a), { axis: 1 })).toBeAllclose(np.zeros([4]), { atol: 1e-14 });
    expect(np.cross(a, b)).toBeAllclose(np.cross(b, a).neg());
    expect(np.cross(a.T, b.T, { axisa: 0, axisb: 0, axisc: 0 })).toBeAllclose(np.cross(a, b).T);
  });
  it("derivatives and vmap", () => {
    const a = data([2, 3]);
    const b = data([3], 1);
    checkGrads((x: np.NDArray) => np.sum(np.sin(np.kron(x, b.reshape(3, 1)))), [a], { order: 2 });
    checkGrads((y: np.NDArray) => np.sum(np.sin(np.kron(a, y))), [b], { order: 2 });
    checkGrads((x: np.NDArray) => np.sum(np.sin(np.cross(x, b))), [a], { order: 2 });
    checkGrads((y: np.NDArray) => np.sum(np.sin(np.cross(a, y))), [b], { order: 2 });
    const out = vmap((x: np.NDArray) => np.cross(x, b))(a) as np.NDArray;
    expect(out.get(1)).toBeAllclose(np.cross(a.get(1), b));
    const k = vmap((x: np.NDArray) => np.kron(x, K))(a) as np.NDArray;
    expect(k.get(0)).toBeAllclose(np.kron(a.get(0), K));
  });
  it("errors", () => {
    expect(() => np.cross([1, 2, 3, 4], [3, 4, 5])).toThrow(/incompatible dimensions for cross product \(dimension must be 2 or 3\): vector axes of sizes 4 and 3/);
    expect(() => np.cross(1, [1, 2, 3])).toThrow(/at least one axis/);
    expect(() => np.cross(M, M, { axis: 2 })).toThrow(/np\.cross: axis 2 is out of bounds/);
  });
});

describe("dot, vdot, inner, outer, matmul, tensordot", () => {
  const X = data([3, 4]);
  const Y = data([4, 5], 1);
  const v = data([4], 2);
  it("shapes and values, with einsum as the oracle", () => {
    expect(np.dot(X, Y)).toBeAllclose(np.einsum("ij,jk->ik", X, Y));
    expect(np.dot(v, v)).toBeAllclose(np.einsum("i,i", v, v));
    expect(np.dot(X, v)).toBeAllclose(np.einsum("ij,j", X, v));
    expect(np.dot(2, X)).toBeAllclose(X.mul(2));
    const T = data([2, 3, 4]);
    const U = data([5, 4, 2], 3);
    expect(np.dot(T, U).shape).toEqual([2, 3, 5, 2]);
    expect(np.dot(T, U)).toBeAllclose(np.einsum("abk,ckd->abcd", T, U));
    expect(np.vdot(X, X)).toBeAllclose(np.sum(X.mul(X)));
    expect(np.inner(X, v)).toBeAllclose(np.dot(X, v));
    expect(np.inner(T, X)).toBeAllclose(np.einsum("abk,ck->abc", T, X));
    expect(np.outer(v, X).shape).toEqual([4, 12]);
    expect(np.outer([1, 2], [3, 4])).toBeAllclose([[3, 4], [6, 8]]);
    expect(np.tensordot(T, U, [[2], [1]])).toBeAllclose(np.dot(T, U));
    expect(np.tensordot(X, Y, 1)).toBeAllclose(np.dot(X, Y));
    expect(np.tensordot(X, X, 2)).toBeAllclose(np.vdot(X, X));
    expect(np.tensordot(T, T, [[0, 1], [0, 1]])).toBeAllclose(np.einsum("abi,abj->ij", T, T));
    expect(np.tensordot(v, v, 0)).toBeAllclose(np.outer(v, v));
  });
  it("matmul: 1-D cases and broadcast batches", () => {
    expect(np.matmul(v, v).shape).toEqual([]);
    expect(np.matmul(X, v).shape).toEqual([3]);
    expect(np.matmul(v, Y).shape).toEqual([5]);
    expect(np.matmul(v, Y)).toBeAllclose(np.einsum("i,ij", v, Y));
    const P = data([2, 1, 3, 4]);
    const Q = data([5, 4, 2], 1);
    expect(np.matmul(P, Q).shape).toEqual([2, 5, 3, 2]);
    expect(np.matmul(P, Q)).toBeAllclose(np.einsum("azij,bjk->abik", P, Q));
    expect(np.matmul(v, data([2, 4, 3]))).toBeAllclose(np.einsum("i,bij->bj", v, data([2, 4, 3])));
    expect(np.matmul(data([2, 3, 4]), v)).toBeAllclose(np.einsum("bij,j->bi", data([2, 3, 4]), v));
    expect(X.matmul(Y)).toBeAllclose(np.matmul(X, Y));
  });
  it("derivatives", () => {
    checkGrads((x: np.NDArray) => np.sum(np.sin(np.matmul(x, Y))), [X], { order: 2 });
    checkGrads((y: np.NDArray) => np.sum(np.sin(np.matmul(data([2, 3, 4]), y))), [v], { order: 2 });
    checkGrads((x: np.NDArray) => np.sum(np.sin(np.tensordot(x, data([4, 3, 2]), [[1, 0], [0, 1]]))), [X], { order: 2 });
    checkGrads((x: np.NDArray) => np.sum(np.sin(np.outer(x, x))), [v], { order: 2 });
    checkGrads((x: np.NDArray) => np.sin(np.vdot(x, Y.get(":", ":3").T)), [X], { order: 2 });
    checkGrads((x: np.NDArray) => np.sum(np.sin(np.inner(x, x))), [X], { order: 2 });
    checkGrads((x: np.NDArray) => np.sum(np.sin(np.dot(data([2, 3, 4]), x))), [Y], { order: 2 });
  });
  it("errors", () => {
    expect(() => np.dot(X, X)).toThrow(/np\.dot: shapes \(3, 4\) and \(3, 4\) not aligned: 4 \(dim 1\) != 3 \(dim 0\)/);
    expect(() => np.matmul(X, X)).toThrow(/np\.matmul: shapes \(3, 4\) and \(3, 4\) are not aligned/);
    expect(() => np.matmul(2, X)).toThrow(/must not be 0-d/);
    expect(() => np.matmul(data([2, 3, 4]), data([3, 4, 2]))).toThrow(/could not be broadcast/);
    expect(() => np.inner(X, Y)).toThrow(/np\.inner: last dimensions of shapes \(3, 4\) and \(4, 5\) differ/);
    expect(() => np.vdot(X, v)).toThrow(/np\.vdot: sizes differ/);
    expect(() => np.tensordot(X, Y, [[0], [0]])).toThrow(/np\.tensordot: shape-mismatch/);
    expect(() => np.tensordot(X, Y, [[5], [0]])).toThrow(/axis 5 is out of bounds/);
  });
});
