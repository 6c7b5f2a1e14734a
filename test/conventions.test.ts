/** @file autograd's conventions at kinks and ties, which the property tests keep away from. */
import { describe, expect, it } from "vitest";
import { grad, jvp, elementwiseGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";

describe("derivatives at kinks and ties", () => {
  it("abs'(0) = 0, sign' = 0", () => {
    expect(grad(np.abs)(0)).toBe(0);
    expect(elementwiseGrad(np.abs)(np.array([-2, 0, 3]))).toBeAllclose([-1, 0, 1]);
    expect(grad(np.sign)(0.5)).toBe(0);
  });
  it("ties in max/min reductions share the gradient equally", () => {
    expect(grad((x: np.NDArray) => np.max(x))(np.array([1, 3, 3]))).toBeAllclose([0, 0.5, 0.5]);
    expect(grad((x: np.NDArray) => np.min(x))(np.array([2, 2, 2, 5]))).toBeAllclose([1 / 3, 1 / 3, 1 / 3, 0]);
    expect(grad((x: np.NDArray) => np.sum(np.max(x, { axis: 1 })))(np.array([[1, 1], [0, 2]]))).toBeAllclose([[0.5, 0.5], [0, 1]]);
    expect(jvp((x: np.NDArray) => np.max(x), [np.array([1, 3, 3])], [np.array([10, 2, 4])])[1]).toBeAllclose(3);
  });
  it("ties in maximum/minimum share the gradient equally", () => {
    expect(grad((x: number) => np.maximum(x, 2))(2)).toBe(0.5);
    expect(grad((x: number, y: number) => np.minimum(x, y), { argnums: [0, 1] })(1, 1)).toEqual([0.5, 0.5]);
    expect(grad((x: number) => np.maximum(x, 2))(3)).toBe(1);
  });
  it("clip has derivative 1 inside, 0 outside", () => {
    expect(elementwiseGrad((x: np.NDArray) => np.clip(x, -1, 1))(np.array([-2, 0, 2]))).toBeAllclose([0, 1, 0]);
  });
  it("integer powers of negative bases are real, and so are their derivatives", () => {
    expect(np.power(-2, 3)).toBeAllclose(-8);
    expect(grad((x: number) => np.power(x, 3))(-2)).toBeAllclose(12);
    expect(grad((x: number) => np.power(x, 2))(0)).toBe(0);
    expect(grad((x: number) => np.power(x, 0))(0)).toBe(0);
  });
});
