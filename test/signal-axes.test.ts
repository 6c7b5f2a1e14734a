/**
 * @file `scipy.signal.convolve` with autograd's `axes`/`dotAxes`: values and gradients against
 * autograd itself (test/fixtures/gen-convolve-autograd.py), `vmap`, and errors.
 */
import { describe, expect, it } from "vitest";
import { grad, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as scipy from "autograd-ts/scipy";
import ref from "./fixtures/convolve-autograd.json" with { type: "json" };

const { signal } = scipy;
const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
const mkA = (shape: number[]) => np.sin(np.arange(prod(shape)).mul(0.9).add(0.1)).reshape(shape);
const mkB = (shape: number[]) => np.cos(np.arange(prod(shape)).mul(0.4)).reshape(shape);

type Opts = scipy.signal.ConvolveOptions;
const cases: [keyof typeof ref, Opts][] = [
  ["convnet_valid", { axes: [[2, 3], [2, 3]], dotAxes: [[1], [0]], mode: "valid" }],
  ["full_1axis", { axes: [[1], [0]], dotAxes: [[], []], mode: "full" }],
  ["same_2d_dot", { axes: [[1, 2], [0, 2]], dotAxes: [[0], [1]], mode: "same" }],
  ["valid_swapped", { axes: [[1], [2]], dotAxes: [[0], [1]], mode: "valid" }],
  ["full_swapped", { axes: [[0], [0]], dotAxes: [[], []], mode: "full" }],
];

describe("scipy.signal.convolve with axes and dotAxes, against autograd", () => {
  for (const [name, opts] of cases) {
    it(`${name}: values and the gradient of Σ cos(out) in both inputs`, () => {
      const r = ref[name];
      const [A, B] = [mkA(r.a), mkB(r.b)];
      const y = signal.convolve(A, B, opts);
      expect(y.shape).toEqual(r.shape);
      expect(y.ravel()).toBeAllclose(r.y, { rtol: 1e-12, atol: 1e-13 });
      const f = (a: np.NDArray, b: np.NDArray) => np.sum(np.cos(signal.convolve(a, b, opts)));
      expect(grad(f, { argnums: 0 })(A, B).ravel()).toBeAllclose(r.ga, { rtol: 1e-12, atol: 1e-13 });
      expect(grad(f, { argnums: 1 })(A, B).ravel()).toBeAllclose(r.gb, { rtol: 1e-12, atol: 1e-13 });
    });
  }

  it("without axes and with all axes given it is the plain N-d convolution", () => {
    const [A, B] = [mkA([4, 5]), mkB([2, 3])];
    for (const mode of ["full", "same", "valid"] as const) {
      expect(signal.convolve(A, B, { mode, axes: [[0, 1], [0, 1]] })).toBeAllclose(signal.convolve(A, B, { mode }), { rtol: 1e-12, atol: 1e-14 });
    }
  });

  it("vmap over a batch of images equals a loop", () => {
    const images = mkA([3, 2, 5, 5]);
    const kernels = mkB([2, 4, 3, 3]);
    const f = (x: np.NDArray) => signal.convolve(x, kernels, { axes: [[1, 2], [2, 3]], dotAxes: [[0], [0]], mode: "valid" });
    const looped = np.stack([0, 1, 2].map((i) => f(images.get(i))));
    expect(vmap(f)(images)).toBeAllclose(looped, { rtol: 1e-12, atol: 1e-14 });
  });

  it("errors name the function, the axes and the shapes", () => {
    const [A, B] = [mkA([2, 3, 4]), mkB([3, 2, 2])];
    expect(() => signal.convolve(A, B, { axes: [[2], [2]], dotAxes: [[1], [1]] })).toThrow(/scipy.signal.convolve: dotAxes differ in size \(in1 \(2, 3, 4\), in2 \(3, 2, 2\)/);
    expect(() => signal.convolve(A, B, { axes: [[5], [2]] })).toThrow(/axes\[0\] \[5\] must be axes of an array of shape \(2, 3, 4\)/);
    expect(() => signal.convolve(A, B, { axes: [[1, 2], [2]] })).toThrow(/must pair as many axes of in1 as of in2/);
    expect(() => signal.convolve(A, B, { axes: [[1], [0]], dotAxes: [[1], [0]] })).toThrow(/an axis is repeated in axes\/dotAxes \(in1 \(2, 3, 4\), in2 \(3, 2, 2\)\)/);
    expect(() => signal.convolve(mkA([3, 5]), mkB([4, 2]), { axes: [[0, 1], [0, 1]], mode: "valid" })).toThrow(/for 'valid' mode, one array must be at least as large/);
    expect(() => signal.convolve(A, B, { dot_axes: [[0], [0]] } as never)).toThrow(/scipy.signal.convolve: unknown option "dot_axes".*did you mean "dotAxes"/);
  });
});
