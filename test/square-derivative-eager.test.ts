/**
 * @file The eager shortcut for the derivatives of tanh and tan (`fromSquare` in
 * primitives/unary.ts: one pass of `1 ∓ a·a` on an eager float64 output): the bits of the two
 * primitives it stands for, in `grad` on odd shapes, and the same as where the primitives run
 * (under `jit`, under a checking `bind`, on float32, with `jvp`).
 */
import { describe, expect, it } from "vitest";
import { config, grad, jit, jvp } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { mulberry32 } from "../src/kernels/mulberry32.ts";

const values = (x: np.NDArray): Float64Array => Float64Array.from((x.toArray() as number[] | number[][]).flat());
const firstDifference = (x: Float64Array, y: Float64Array): number => x.findIndex((v, i) => !Object.is(v, y[i]));

function randomMatrix(rows: number, cols: number, seed: number, scale: number): np.NDArray {
  const rand = mulberry32(seed);
  return np.array(Float64Array.from({ length: rows * cols }, () => scale * (2 * rand() - 1))).reshape(rows, cols);
}

const cases = [
  { name: "tanh", f: np.tanh, combine: (y: number) => 1 - y * y },
  { name: "tan", f: np.tan, combine: (y: number) => 1 + y * y },
] as const;

describe.each(cases)("the eager derivative of $name", ({ f, combine }) => {
  it("is w·(1 ∓ y²) with each operation rounded, bit for bit, on odd shapes", () => {
    for (const [rows, cols, seed] of [[1, 1, 1], [3, 7, 2], [32, 128, 3], [5, 33, 4]] as const) {
      const x = randomMatrix(rows, cols, seed, 1.4);
      const w = randomMatrix(rows, cols, seed + 10, 1);
      const g = grad((x: np.NDArray) => np.sum(f(x).mul(w)))(x);
      const y = values(f(x));
      const wv = values(w);
      const want = y.map((yi, i) => wv[i]! * combine(yi));
      expect(firstDifference(values(g), want), `${rows}×${cols}`).toBe(-1);
    }
  });

  it("gives the bits of the primitives under jit, under debugNans' checking bind, and in jvp", () => {
    const x = randomMatrix(6, 9, 7, 1.2);
    const w = randomMatrix(6, 9, 8, 1);
    const loss = (x: np.NDArray) => np.sum(f(x).mul(w));
    const eager = values(grad(loss)(x));
    expect(firstDifference(values(jit(grad(loss))(x)), eager), "jit").toBe(-1);
    config.update("debugNans", true);
    let checked: Float64Array;
    try {
      checked = values(grad(loss)(x));
    } finally {
      config.update("debugNans", false);
    }
    expect(firstDifference(checked, eager), "debugNans").toBe(-1);
    const [, tangent] = jvp((x: np.NDArray) => f(x), [x], [w]);
    const y = values(f(x));
    const wv = values(w);
    expect(firstDifference(values(tangent as np.NDArray), y.map((yi, i) => wv[i]! * combine(yi))), "jvp").toBe(-1);
  });

  it("keeps float32 on the primitives' float32 arithmetic", () => {
    const x = randomMatrix(4, 5, 9, 1).astype("float32");
    const g = grad((x: np.NDArray) => np.sum(f(x)))(x);
    expect(g.dtype).toBe("float32");
    const y = Float32Array.from(values(f(x)));
    const want = y.map((yi) => Math.fround(f === np.tanh ? 1 - Math.fround(yi * yi) : 1 + Math.fround(yi * yi)));
    expect(firstDifference(Float64Array.from(values(g)), Float64Array.from(want))).toBe(-1);
  });
});
