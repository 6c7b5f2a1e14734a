/**
 * @file `np.searchsorted` and `np.geomspace` on complex values against NumPy 2.4.6 (values printed by
 * `np.searchsorted(a, v[, side="right"])` and `np.geomspace(...)` for the arguments below).
 */
import { describe, expect, it } from "vitest";
import * as np from "../src/numpy/index.ts";

const c = (re: number, im: number) => ({ re, im });

describe("complex searchsorted (lexicographic, as NumPy)", () => {
  const a = np.array([c(1, 0), c(1, 2), c(2, -1), c(3, 0)]);
  const v = np.array([c(1, 1), c(1, 2), c(0, 5), c(4, 0)]);
  it("left and right sides", () => {
    expect(np.searchsorted(a, v).toArray()).toEqual([1, 1, 0, 4]);
    expect(np.searchsorted(a, v, { side: "right" }).toArray()).toEqual([1, 2, 0, 4]);
  });
  it("keeps the shape of v, and takes a real v against complex a", () => {
    expect(np.searchsorted(a, np.array([[c(2, -1)]])).toArray()).toEqual([[2]]);
    expect(np.searchsorted(a, np.array([1, 2.5])).toArray()).toEqual([0, 3]);
  });
});

describe("complex geomspace (NumPy's logarithmic spiral)", () => {
  it("matches NumPy", () => {
    expect(np.geomspace(c(1, 0), c(0, 1), 3)).toBeAllclose(np.array([c(1, 0), c(Math.SQRT1_2, Math.SQRT1_2), c(0, 1)]), { rtol: 1e-15, atol: 1e-16 });
    expect(np.geomspace(c(1, 1), c(10, 10), 3)).toBeAllclose(np.array([c(1, 1), c(3.1622776601683795, 3.1622776601683795), c(10, 10)]), { rtol: 1e-15 });
    expect(np.geomspace(c(-1, 0), c(0, 8), 4, { endpoint: false })).toBeAllclose(
      np.array([c(-1, 0), c(-1.55377397, 0.64359425), c(-2, 2), c(-1.82035944, 4.39473645)]),
      { rtol: 1e-8 },
    );
    expect(np.geomspace(-2, c(3, -1), 4)).toBeAllclose(np.array([c(-2, 0), c(-1.37429693, -1.88152682), c(0.82572555, -2.58577654), c(3, -1)]), { rtol: 1e-8 });
  });
  it("gives the ends exactly and refuses zero", () => {
    const g = np.geomspace(c(0.3, -0.7), c(-5, 2), 7).toArray() as { re: number; im: number }[];
    expect(g[0]).toEqual(c(0.3, -0.7));
    expect(g[6]).toEqual(c(-5, 2));
    expect(() => np.geomspace(c(0, 0), c(1, 1), 3)).toThrow(/np.geomspace.*zero/);
  });
});
