/**
 * @file Complex dtypes against NumPy 2.4.6: creation, promotion, printing, arithmetic, reductions
 * and products, comparisons and sorting, casts; and closed forms (i² = −1, de Moivre). Reference
 * values were printed by NumPy 2.4.6 in a venv outside the repository, e.g.
 * `z1 = np.array([1+2j, -0.5+0.25j, 3-1j, -2-3j]); z2 = np.array([0.5-1j, 2+0j, -1+1.5j, 0.25+0.75j])`
 * then `[[v.real, v.imag] for v in (z1 * z2)]` (and so on for each function below).
 */
import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import * as np from "autograd-ts/numpy";
import type { NDArray } from "autograd-ts/numpy";

const c = (re: number, im: number) => ({ re, im });
const z1 = np.array([c(1, 2), c(-0.5, 0.25), c(3, -1), c(-2, -3)]);
const z2 = np.array([c(0.5, -1), c(2, 0), c(-1, 1.5), c(0.25, 0.75)]);
const A = z1.reshape(2, 2);
const B = z2.reshape(2, 2);

describe("complex arrays: creation, dtypes, printing", () => {
  it("np.array of { re, im } leaves, toArray, np.complex, zeros/ones/full of complex dtypes", () => {
    expect(z1.dtype).toBe("complex128");
    expect(z1.shape).toEqual([4]);
    expect(z1.size).toBe(4);
    expect(A.toArray()).toEqual([[c(1, 2), c(-0.5, 0.25)], [c(3, -1), c(-2, -3)]]);
    expect(np.array([[1, c(0, 1)], [true, 2]]).toArray()).toEqual([[c(1, 0), c(0, 1)], [c(1, 0), c(2, 0)]]);
    expect(np.complex(1, 2).toArray()).toEqual(c(1, 2));
    expect(np.complex(1, 2).shape).toEqual([]);
    expect(np.complex([1, 2], [[3], [4]]).toArray()).toEqual([[c(1, 3), c(2, 3)], [c(1, 4), c(2, 4)]]);
    expect(np.complex(np.array([1, 2], { dtype: "float32" }), 0).dtype).toBe("complex64");
    expect(np.zeros([2], { dtype: "complex128" }).toArray()).toEqual([c(0, 0), c(0, 0)]);
    expect(np.ones([2], { dtype: "complex64" }).toArray()).toEqual([c(1, 0), c(1, 0)]);
    expect(np.full([2], 3, { dtype: "complex128" }).toArray()).toEqual([c(3, 0), c(3, 0)]);
    expect(np.zerosLike(z1).dtype).toBe("complex128");
  });

  it("promotes as NumPy (np.result_type), JS numbers and { re, im } literals weakly", () => {
    // np.result_type(a, b) for a in (bool, int32, float32, float64, complex64, complex128), b complex.
    const want: Record<string, string> = {
      "bool+complex64": "complex64", "bool+complex128": "complex128", "int32+complex64": "complex128",
      "int32+complex128": "complex128", "float32+complex64": "complex64", "float32+complex128": "complex128",
      "float64+complex64": "complex128", "float64+complex128": "complex128", "complex64+complex64": "complex64",
      "complex64+complex128": "complex128", "complex128+complex64": "complex128", "complex128+complex128": "complex128",
    };
    for (const [k, dt] of Object.entries(want)) {
      const [a, b] = k.split("+") as [np.DType, np.DType];
      expect(np.add(np.zeros([1], { dtype: a }), np.zeros([1], { dtype: b })).dtype, k).toBe(dt);
    }
    // (np.ones(1, np.float32) + 1j).dtype etc.
    expect(np.add(np.ones([1], { dtype: "float32" }), c(0, 1)).dtype).toBe("complex64");
    expect(np.multiply(np.ones([1], { dtype: "complex64" }), 2.5).dtype).toBe("complex64");
    expect(np.add(np.ones([1], { dtype: "int32" }), c(0, 1)).dtype).toBe("complex128");
  });

  it("prints like NumPy", () => {
    // str(a) and repr(a) from NumPy (repr here prints str's spacing inside array(...), as for real arrays).
    expect(String(np.array([c(1, 2), c(0, -1)]))).toBe("[1.+2.j 0.-1.j]");
    expect(String(np.array([c(1.5, 2), c(3, 0.25)]))).toBe("[1.5+2.j   3. +0.25j]");
    expect(String(np.array([[c(1, 2), c(3, -4)], [c(0.5, 0), c(-1, 1)]]))).toBe("[[ 1. +2.j  3. -4.j]\n [ 0.5+0.j -1. +1.j]]");
    expect(String(np.array([c(NaN, 1), c(Infinity, -2)]))).toBe("[nan+1.j inf-2.j]");
    expect(inspect(np.array([c(1, 2), c(0, -1)]))).toBe("array([1.+2.j 0.-1.j])");
    expect(inspect(np.array([c(1, 2), c(3, -1)]).astype("complex64"))).toBe("array([1.+2.j 3.-1.j], dtype=complex64)");
  });

  it("astype to and from complex: real → re + 0i, complex → its real part (NumPy's cast)", () => {
    expect(np.array([1, 2], { dtype: "int32" }).astype("complex128").toArray()).toEqual([c(1, 0), c(2, 0)]);
    expect(z1.astype("float64").toArray()).toEqual([1, -0.5, 3, -2]);
    expect(z1.astype("int32").toArray()).toEqual([1, 0, 3, -2]);
    expect(z1.astype("complex64").astype("complex128")).toBeAllclose(z1);
    expect(np.array([c(1.1, 0)]).astype("complex64").astype("complex128")).toBeAllclose([[Math.fround(1.1), 0]], { rtol: 0, atol: 0 });
  });
});

describe("complex arithmetic, reductions and products against NumPy", () => {
  it("elementwise: add, subtract, multiply, divide, negative, square, reciprocal, abs, angle, real, imag, conj", () => {
    expect(np.add(z1, z2)).toBeAllclose([[1.5, 1.0], [1.5, 0.25], [2.0, 0.5], [-1.75, -2.25]], { rtol: 1e-15 });
    expect(np.subtract(z1, z2)).toBeAllclose([[0.5, 3.0], [-2.5, 0.25], [4.0, -2.5], [-2.25, -3.75]], { rtol: 1e-15 });
    expect(np.multiply(z1, z2)).toBeAllclose([[2.5, 0.0], [-1.0, 0.5], [-1.5, 5.5], [1.75, -2.25]], { rtol: 1e-15 });
    expect(np.divide(z1, z2)).toBeAllclose([[-1.2000000000000002, 1.6], [-0.25, 0.125], [-1.3846153846153846, -1.076923076923077], [-4.3999999999999995, 1.2]], { rtol: 1e-15 });
    expect(np.negative(z1)).toBeAllclose([[-1, -2], [0.5, -0.25], [-3, 1], [2, 3]], { rtol: 0 });
    expect(np.square(z1)).toBeAllclose([[-3.0, 4.0], [0.1875, -0.25], [8.0, -6.0], [-5.0, 12.0]], { rtol: 1e-15 });
    expect(np.reciprocal(z1)).toBeAllclose([[0.2, -0.4], [-1.6, -0.8], [0.3, 0.09999999999999999], [-0.15384615384615385, 0.23076923076923078]], { rtol: 1e-15 });
    expect(np.abs(z1)).toBeAllclose([2.23606797749979, 0.5590169943749475, 3.1622776601683795, 3.6055512754639896], { rtol: 1e-15 });
    expect(np.abs(z1).dtype).toBe("float64");
    expect(np.abs(z1.astype("complex64")).dtype).toBe("float32");
    expect(np.angle(z1)).toBeAllclose([1.1071487177940904, 2.677945044588987, -0.3217505543966422, -2.1587989303424644], { rtol: 1e-15 });
    expect(np.real(z1).toArray()).toEqual([1, -0.5, 3, -2]);
    expect(np.imag(z1).toArray()).toEqual([2, 0.25, -1, -3]);
    expect(np.conj(z1)).toBeAllclose([[1, -2], [-0.5, -0.25], [3, 1], [-2, 3]], { rtol: 0 });
    expect(np.conjugate(z1)).toBeAllclose(np.conj(z1), { rtol: 0 });
    expect(np.real([1, 2]).toArray()).toEqual([1, 2]);
    expect(np.imag([1, 2]).toArray()).toEqual([0, 0]);
  });

  it("division scales as Smith's algorithm (no overflow at 1e300, no underflow at 1e-300)", () => {
    // (np.array([1e300+1e300j, 1e-300+2e-300j]) / np.array([2e300-1e300j, 3e-300-1e-300j]))
    const num = np.array([c(1e300, 1e300), c(1e-300, 2e-300)]);
    const den = np.array([c(2e300, -1e300), c(3e-300, -1e-300)]);
    expect(np.divide(num, den)).toBeAllclose([[0.19999999999999998, 0.6], [0.09999999999999999, 0.7]], { rtol: 1e-15 });
  });

  it("sum, prod, mean, cumsum, cumprod, var, std", () => {
    expect(np.sum(z1)).toBeAllclose([1.5, -1.75], { rtol: 1e-15 });
    expect(np.prod(z1)).toBeAllclose([3.75, 13.75], { rtol: 1e-15 });
    expect(np.mean(z1)).toBeAllclose([0.375, -0.4375], { rtol: 1e-15 });
    expect(np.cumsum(z1)).toBeAllclose([[1.0, 2.0], [0.5, 2.25], [3.5, 1.25], [1.5, -1.75]], { rtol: 1e-15 });
    expect(np.cumprod(z1)).toBeAllclose([[1.0, 2.0], [-1.0, -0.75], [-3.75, -1.25], [3.75, 13.75]], { rtol: 1e-15 });
    expect(np.var(z1).dtype).toBe("float64");
    expect(np.var(z1)).toBeAllclose(6.74609375, { rtol: 1e-15 });
    expect(np.std(z1)).toBeAllclose(2.5973243443975185, { rtol: 1e-15 });
    expect(np.sum(A, { axis: 0 })).toBeAllclose([[4, 1], [-2.5, -2.75]], { rtol: 1e-15 });
  });

  it("matmul, dot with a real vector, vdot (conjugates a), inner, outer, kron, tensordot, einsum", () => {
    expect(np.matmul(A, B)).toBeAllclose([[[2.625, -1.0], [1.6875, 3.6875]], [[7.0, -3.5], [7.75, -4.25]]], { rtol: 1e-15 });
    expect(np.dot(A, np.array([1.5, -2.0]))).toBeAllclose([[2.5, 2.5], [8.5, 4.5]], { rtol: 1e-15 });
    expect(np.vdot(z1, z2)).toBeAllclose([-9.75, 0.25], { rtol: 1e-15 });
    expect(np.inner(z1, z2)).toBeAllclose([1.75, 3.75], { rtol: 1e-15 });
    expect(np.outer(z1.get(":2"), z2.get(":3")).reshape(-1)).toBeAllclose([[2.5, 0.0], [2.0, 4.0], [-4.0, -0.5], [0.0, 0.625], [-1.0, 0.5], [0.125, -1.0]], { rtol: 1e-15 });
    const kron = [[2.5, 0.0], [2.0, 4.0], [0.0, 0.625], [-1.0, 0.5], [-4.0, -0.5], [-1.25, 1.25], [0.125, -1.0], [-0.3125, -0.3125], [0.5, -3.5], [6.0, -2.0], [-4.0, 0.5], [-4.0, -6.0], [-1.5, 5.5], [1.5, 2.0], [6.5, 0.0], [1.75, -2.25]];
    expect(np.kron(A, B).reshape(-1)).toBeAllclose(kron, { rtol: 1e-15 });
    expect(np.tensordot(A, B, [[0], [1]]).reshape(-1)).toBeAllclose([[8.5, -2.0], [-2.5, 1.5], [-4.0, -5.375], [1.875, -3.25]], { rtol: 1e-15 });
    expect(np.einsum("ij,jk->ik", A, np.conj(B)).reshape(-1)).toBeAllclose([[-0.625, 2.5], [2.0625, 4.4375], [0.0, 8.5], [3.25, -1.25]], { rtol: 1e-15 });
  });

  it("a larger matmul agrees with the definition (4M on the planes, blocked kernel sizes)", () => {
    const n = 37;
    const re = np.arange(n * n).reshape(n, n).mul(0.37).sin();
    const im = np.arange(n * n).reshape(n, n).mul(0.11).cos();
    const M = np.complex(re, im);
    const got = np.matmul(M, M);
    const wantRe = np.matmul(re, re).sub(np.matmul(im, im));
    const wantIm = np.matmul(re, im).add(np.matmul(im, re));
    expect(np.real(got)).toBeAllclose(wantRe, { rtol: 1e-13, atol: 1e-12 });
    expect(np.imag(got)).toBeAllclose(wantIm, { rtol: 1e-13, atol: 1e-12 });
  });

  it("comparisons: == and != on both parts, ordering lexicographic (real part, then imaginary), as NumPy", () => {
    const w1 = np.array([c(1, 1), c(1, 0), c(0, 2), c(1, 1)]);
    const w2 = np.array([c(1, 2), c(1, 0), c(0, 1), c(0, 5)]);
    expect(np.less(w1, w2).toArray()).toEqual([true, false, false, false]);
    expect(np.equal(w1, w2).toArray()).toEqual([false, true, false, false]);
    expect(np.notEqual(w1, w2).toArray()).toEqual([true, false, true, true]);
    expect(np.greaterEqual(w1, w2).toArray()).toEqual([false, true, true, true]);
  });

  it("max, min, argmax, argmin, maximum, minimum order lexicographically, a NaN winning, as NumPy", () => {
    // A = np.array([[1+2j, 1+3j, -1+9j], [2-1j, 2-2j, 0j]]); np.max(A), np.max(A, axis=0), … printed by NumPy.
    const M = np.array([[c(1, 2), c(1, 3), c(-1, 9)], [c(2, -1), c(2, -2), c(0, 0)]]);
    expect(np.max(M)).toBeAllclose([2, -1], { rtol: 0 });
    expect(np.min(M)).toBeAllclose([-1, 9], { rtol: 0 });
    expect(np.max(M, { axis: 0 })).toBeAllclose([[2, -1], [2, -2], [0, 0]], { rtol: 0 });
    expect(np.max(M, { axis: 1 })).toBeAllclose([[1, 3], [2, -1]], { rtol: 0 });
    expect(np.min(M, { axis: 1 })).toBeAllclose([[-1, 9], [0, 0]], { rtol: 0 });
    expect(np.argmax(M).item()).toBe(3);
    expect(np.argmin(M).item()).toBe(2);
    expect(np.argmax(M, { axis: 1 }).toArray()).toEqual([1, 0]);
    expect(np.argmin(M, { axis: 0 }).toArray()).toEqual([0, 0, 0]);
    const x = np.array([c(1, 2), c(NaN, 0), c(3, 0), c(1, 1)]);
    const y = np.array([c(1, 3), c(5, 0), c(0, NaN), c(1, 1)]);
    expect(np.maximum(x, y)).toBeAllclose([[1, 3], [NaN, 0], [0, NaN], [1, 1]], { rtol: 0 });
    expect(np.minimum(x, y)).toBeAllclose([[1, 2], [NaN, 0], [0, NaN], [1, 1]], { rtol: 0 });
    const withNan = np.array([c(1, 2), c(1, NaN), c(3, 0), c(NaN, 1)]);
    expect(np.max(withNan)).toBeAllclose([1, NaN], { rtol: 0 });
    expect(np.argmax(withNan).item()).toBe(1);
    expect(np.argmin(withNan).item()).toBe(1);
  });

  it("isnan, isinf, isfinite look at both parts", () => {
    // np.isnan/isinf/isfinite of np.array([complex(nan, 1), complex(1, inf), 1+2j, complex(-inf, nan)])
    const x = np.array([c(NaN, 1), c(1, Infinity), c(1, 2), c(-Infinity, NaN)]);
    expect(np.isnan(x).toArray()).toEqual([true, false, false, true]);
    expect(np.isinf(x).toArray()).toEqual([false, true, false, true]);
    expect(np.isfinite(x).toArray()).toEqual([false, false, true, false]);
  });

  it("sort and argsort are lexicographic, as NumPy's", () => {
    const x = np.array([c(1, 2), c(1, -1), c(-1, 5), c(1, 0), c(-1, -5)]);
    expect(np.sort(x)).toBeAllclose([[-1.0, -5.0], [-1.0, 5.0], [1.0, -1.0], [1.0, 0.0], [1.0, 2.0]], { rtol: 0 });
    expect(np.argsort(x).toArray()).toEqual([4, 2, 1, 3, 0]);
  });

  it("structural functions and indexing move both parts", () => {
    expect(A.T).toBeAllclose([[[1, 2], [3, -1]], [[-0.5, 0.25], [-2, -3]]], { rtol: 0 });
    expect(np.concatenate([z1, z2]).get("2:6:3")).toBeAllclose([[3, -1], [2, 0]], { rtol: 0 });
    expect(np.flip(z1)).toBeAllclose([[-2, -3], [3, -1], [-0.5, 0.25], [1, 2]], { rtol: 0 });
    expect(np.roll(z1, 1).get(0)).toBeAllclose([-2, -3], { rtol: 0 });
    expect(z1.get([3, 0])).toBeAllclose([[-2, -3], [1, 2]], { rtol: 0 });
    expect(z1.get(np.array([true, false, false, true]))).toBeAllclose([[1, 2], [-2, -3]], { rtol: 0 });
    expect(z1.at(1).set(c(7, 8)).get(1)).toBeAllclose([7, 8], { rtol: 0 });
    expect(z1.at([0, 0]).add(c(0, 1)).get(0)).toBeAllclose([1, 4], { rtol: 0 });
    expect(np.where(np.array([true, false, true, false]), z1, z2)).toBeAllclose([[1, 2], [2, 0], [3, -1], [0.25, 0.75]], { rtol: 0 });
    expect(np.pad(np.complex([1], [2]), 1)).toBeAllclose([[0, 0], [1, 2], [0, 0]], { rtol: 0 });
    expect(np.stack([z1, z2]).shape).toEqual([2, 4]);
    expect(np.broadcastTo(np.complex(1, 2), [3])).toBeAllclose([[1, 2], [1, 2], [1, 2]], { rtol: 0 });
  });

  it("closed forms: i² = −1, de Moivre (e^{ia}·e^{ib} = e^{i(a+b)}), |z|² = z·conj(z)", () => {
    const i = np.complex(0, 1);
    expect(i.mul(i)).toBeAllclose([-1, 0], { rtol: 0, atol: 0 });
    const a = np.linspace(-3, 3, 7);
    const b = np.linspace(0.5, 2, 7);
    const cis = (t: NDArray) => np.complex(np.cos(t), np.sin(t));
    expect(cis(a).mul(cis(b))).toBeAllclose(cis(a.add(b)), { rtol: 1e-14, atol: 1e-15 });
    expect(np.real(z1.mul(np.conj(z1)))).toBeAllclose(np.abs(z1).mul(np.abs(z1)), { rtol: 1e-15 });
    expect(np.imag(z1.mul(np.conj(z1)))).toBeAllclose(np.zeros([4]), { atol: 0 });
  });
});
