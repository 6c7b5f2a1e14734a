/**
 * @file `broadcastInDim`'s copies of the whole input (new leading axes only, as a bias row over a
 * batch) and its strided path: every element from its source index, for float64 (whose output is
 * not zeroed first), int32, bool and complex inputs, size-1 axes, empty outputs, and a gradient
 * through a broadcast bias.
 */
import { describe, expect, it } from "vitest";
import { grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";

/** The element of `x` (row-major, `inShape`) that NumPy's broadcast puts at output index `i` of `outShape`. */
function sourceIndex(i: number, inShape: readonly number[], outShape: readonly number[]): number {
  const lead = outShape.length - inShape.length;
  let rest = i;
  const idx = new Array<number>(outShape.length);
  for (let a = outShape.length - 1; a >= 0; a--) {
    idx[a] = rest % outShape[a]!;
    rest = Math.floor(rest / outShape[a]!);
  }
  let src = 0;
  for (let a = 0; a < inShape.length; a++) src = src * inShape[a]! + (inShape[a] === 1 ? 0 : idx[lead + a]!);
  return src;
}

const cases: [number[], number[]][] = [
  [[128], [32, 128]],
  [[1, 7], [5, 7]],
  [[3], [2, 4, 3]],
  [[2, 3], [4, 2, 3]],
  [[2, 1, 3], [5, 2, 1, 3]],
  [[4, 1], [4, 3]],
  [[2, 1], [2, 2]],
  [[3, 1], [2, 3, 3]],
  [[1], [6]],
  [[3], [0, 3]],
  [[2, 3], [2, 3]],
];

describe("broadcastTo", () => {
  it.each(cases)("%j to %j puts every element where NumPy does (float64, int32, bool)", (inShape, outShape) => {
    const n = inShape.reduce((a, b) => a * b, 1);
    const data = Array.from({ length: n }, (_, i) => i * 1.5 - 2);
    for (const dtype of ["float64", "int32", "bool"] as const) {
      const x = np.array(data, { dtype }).reshape(...inShape);
      const y = np.broadcastTo(x, outShape);
      expect(y.shape).toEqual(outShape);
      const got = (y.toArray() as unknown[]).flat(Infinity) as (number | boolean)[];
      const src = (x.toArray() as unknown[]).flat(Infinity) as (number | boolean)[];
      const want = got.map((_, i) => src[sourceIndex(i, inShape, outShape)]);
      expect(got, dtype).toEqual(want);
    }
  });

  it("copies complex inputs whole (both parts of each element)", () => {
    const x = np.array([np.complex(1, -2), np.complex(3, 4)]);
    const y = np.broadcastTo(x, [3, 2]);
    const re = (np.real(y).toArray() as number[][]).flat();
    const im = (np.imag(y).toArray() as number[][]).flat();
    expect(re).toEqual([1, 3, 1, 3, 1, 3]);
    expect(im).toEqual([-2, 4, -2, 4, -2, 4]);
  });

  it("gives a bias broadcast over a batch the column sums as its gradient", () => {
    const b = np.array([0.5, -1, 2]);
    const w = np.array([1, 2, 3, 4, 5, 6]).reshape(2, 3);
    const g = grad((b: np.NDArray) => np.sum(np.broadcastTo(b, [2, 3]).mul(w)))(b);
    expect(g.toArray()).toEqual([5, 7, 9]);
  });
});
