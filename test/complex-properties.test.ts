/**
 * @file `x.real`, `x.imag` and `x.conj()` on arrays, as on NumPy's: the same values as `np.real`,
 * `np.imag` and `np.conj`, for complex and real dtypes, eagerly and under transformations.
 */
import { describe, expect, it } from "vitest";
import { grad, holomorphicGrad, jit, vmap } from "../src/index.ts";
import * as np from "../src/numpy/index.ts";
import type { NDArray } from "../src/core/ndarray.ts";

const z = np.array([{ re: 1, im: 2 }, { re: -3, im: 0.5 }]);

describe("x.real, x.imag, x.conj()", () => {
  it("equal np.real, np.imag and np.conj on complex arrays", () => {
    expect(z.real.dtype).toBe("float64");
    expect(z.real.toArray()).toEqual([1, -3]);
    expect(z.imag.toArray()).toEqual([2, 0.5]);
    expect(z.conj().toArray()).toEqual([{ re: 1, im: -2 }, { re: -3, im: -0.5 }]);
    const z64 = z.astype("complex64");
    expect(z64.real.dtype).toBe("float32");
    expect(z64.conj().dtype).toBe("complex64");
  });
  it("on real arrays: the values, zeros, the array", () => {
    const x = np.array([1.5, -2]);
    expect(x.real.toArray()).toEqual([1.5, -2]);
    expect(x.imag.toArray()).toEqual([0, 0]);
    expect(x.conj().toArray()).toEqual([1.5, -2]);
  });
  it("work on tracers: grad, vmap, jit", () => {
    // f(z) = Re(z)² + Im(z): grad = ∂f/∂x − i ∂f/∂y = 2x − i
    const g = grad((w: NDArray) => np.sum(w.real.mul(w.real).add(w.imag)))(z);
    expect(g.toArray()).toEqual([{ re: 2, im: -1 }, { re: -6, im: -1 }]);
    expect(vmap((w: NDArray) => w.imag)(z).toArray()).toEqual([2, 0.5]);
    expect(jit((w: NDArray) => w.conj().mul(w).real)(z).toArray()).toEqual([5, 9.25]);
    // conj is not holomorphic, but z·conj(z₀) with a constant is: d/dz = conj(z₀)
    const d = holomorphicGrad((w: NDArray) => np.sum(w.mul(np.complex(1, 2).conj())))(np.complex(0.5, 0.5));
    expect(d.toArray()).toEqual({ re: 1, im: -2 });
  });
});
