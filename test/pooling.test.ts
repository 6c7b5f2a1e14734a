/** @file `nn.maxPool` and `nn.avgPool` (Flax's layout: batch…, spatial…, features) against loops, gradients, vmap, errors. */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, nn, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";

/** Pooling of x [B, H, W, C] by direct loops over windows; padded cells are skipped (and counted if `countPad`). */
function poolByLoops(x: np.NDArray, win: [number, number], strides: [number, number], pads: [[number, number], [number, number]], kind: "max" | "avg", countPad = true): number[][][][] {
  const v = x.toArray() as number[][][][];
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const oh = Math.floor((H + pads[0][0] + pads[0][1] - win[0]) / strides[0]) + 1;
  const ow = Math.floor((W + pads[1][0] + pads[1][1] - win[1]) / strides[1]) + 1;
  const out: number[][][][] = [];
  for (let b = 0; b < B; b++) {
    out.push([]);
    for (let i = 0; i < oh; i++) {
      out[b]!.push([]);
      for (let j = 0; j < ow; j++) {
        const cell: number[] = [];
        for (let c = 0; c < C; c++) {
          let [m, s, n] = [-Infinity, 0, 0];
          for (let di = 0; di < win[0]; di++) {
            for (let dj = 0; dj < win[1]; dj++) {
              const [r, q] = [i * strides[0] + di - pads[0][0], j * strides[1] + dj - pads[1][0]];
              if (r < 0 || r >= H || q < 0 || q >= W) continue;
              const val = v[b]![r]![q]![c]!;
              m = Math.max(m, val);
              s += val;
              n++;
            }
          }
          cell.push(kind === "max" ? m : s / (countPad ? win[0] * win[1] : n));
        }
        out[b]![i]!.push(cell);
      }
    }
  }
  return out;
}

const x = np.sin(np.arange(2 * 5 * 6 * 3).mul(1.1)).reshape(2, 5, 6, 3);

describe("nn.maxPool and nn.avgPool", () => {
  it("VALID, strided: equal loops", () => {
    expect(nn.maxPool(x, [2, 3], { strides: [2, 2] })).toBeAllclose(poolByLoops(x, [2, 3], [2, 2], [[0, 0], [0, 0]], "max"));
    expect(nn.avgPool(x, [2, 3], { strides: [2, 2] })).toBeAllclose(poolByLoops(x, [2, 3], [2, 2], [[0, 0], [0, 0]], "avg"), { rtol: 1e-12 });
  });
  it("SAME and explicit padding; avgPool counts the padding unless countIncludePad is false (as Flax)", () => {
    // SAME for H = 5, window 2, stride 2: out 3, total pad 1 → [0, 1]; W = 6, window 3, stride 1: pad 2 → [1, 1].
    const pads: [[number, number], [number, number]] = [[0, 1], [1, 1]];
    expect(nn.maxPool(x, [2, 3], { strides: [2, 1], padding: "SAME" })).toBeAllclose(poolByLoops(x, [2, 3], [2, 1], pads, "max"));
    expect(nn.avgPool(x, [2, 3], { strides: [2, 1], padding: "SAME" })).toBeAllclose(poolByLoops(x, [2, 3], [2, 1], pads, "avg"), { rtol: 1e-12 });
    expect(nn.avgPool(x, [2, 3], { strides: [2, 1], padding: pads, countIncludePad: false })).toBeAllclose(
      poolByLoops(x, [2, 3], [2, 1], pads, "avg", false),
      { rtol: 1e-12 },
    );
  });
  it("an input without a batch axis (spatial…, features), and 1-d pooling with two batch axes", () => {
    expect(nn.maxPool(x.get(0), [2, 2])).toBeAllclose(nn.maxPool(x, [2, 2]).get(0));
    const y = x.reshape(2, 5, 18, 1);
    expect(nn.maxPool(y, [3], { strides: [3] }).shape).toEqual([2, 5, 6, 1]);
  });
  it("gradients: avgPool by finite differences, maxPool to the first maximum of each window", () => {
    checkGrads((a: np.NDArray) => nn.avgPool(a, [2, 2], { strides: [1, 2], padding: "SAME" }), [x], { order: 2 });
    const t = np.array([[[[1], [3]], [[3], [2]]]]); // one 2 × 2 window, tie between (0, 1) and (1, 0)
    expect(grad((a: np.NDArray) => np.sum(nn.maxPool(a, [2, 2])))(t).ravel()).toBeAllclose([0, 1, 0, 0]);
    // Strides equal to the window take the tiling path (one reshape): the same tie rule.
    expect(grad((a: np.NDArray) => np.sum(nn.maxPool(a, [2, 2], { strides: [2, 2] })))(t).ravel()).toBeAllclose([0, 1, 0, 0]);
    checkGrads((a: np.NDArray) => nn.maxPool(a, [2, 2], { strides: [2, 2] }), [x], { order: 2 });
  });
  it("tiling windows (strides = window, an uneven height cropped) equal direct loops", () => {
    const tiled = nn.maxPool(x, [2, 3], { strides: [2, 3] });
    expect(tiled).toBeAllclose(poolByLoops(x, [2, 3], [2, 3], [[0, 0], [0, 0]], "max"));
    expect(nn.avgPool(x, [2, 3], { strides: [2, 3] })).toBeAllclose(poolByLoops(x, [2, 3], [2, 3], [[0, 0], [0, 0]], "avg"), { rtol: 1e-12 });
  });
  it("vmap equals a loop", () => {
    const f = (a: np.NDArray) => nn.maxPool(a, [2, 2], { strides: [2, 2], padding: "SAME" });
    expect(vmap(f)(x)).toBeAllclose(np.stack([f(x.get(0)), f(x.get(1))]));
  });
  it("errors name the function and the shapes", () => {
    expect(() => nn.maxPool(np.ones([4, 4]), [2, 2])).toThrow(/nn.maxPool: x of shape \(4, 4\) has too few axes for a 2-d window/);
    expect(() => nn.avgPool(x, [2, 2], { strides: [2] })).toThrow(/nn.avgPool: strides \[2\] must have one entry per window axis \(2\)/);
    expect(() => nn.maxPool(x, [2, 2], { padding: "FULL" as never })).toThrow(/padding 'FULL' is not one of/);
    expect(() => nn.maxPool(x, [2, 2], { countIncludePad: true } as never)).toThrow(/nn.maxPool: unknown option 'countIncludePad'/);
  });
});
