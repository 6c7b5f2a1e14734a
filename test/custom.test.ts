/** @file customJvp, customVjp and checkpoint under every transformation. */
import { describe, expect, it } from "vitest";
import { grad, jvp, vmap, jacfwd, jacrev, hessian, customJvp, customVjp, checkpoint, checkGrads } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { Primitive } from "autograd-ts";

describe("customJvp", () => {
  // log(1 + eˣ) with a stable derivative rule: d = sigmoid(x) dx.
  const softplus = customJvp(
    (x: np.NDArray) => np.log1p(np.exp(x)),
    ([x], [t]) => [np.log1p(np.exp(x)), t.mul(np.divide(1, np.add(1, np.exp(np.negative(x)))))],
  );
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  it("is used by grad, jvp and vmap", () => {
    expect(softplus(np.asarray(0.3))).toBeAllclose(Math.log1p(Math.exp(0.3)));
    expect(grad(softplus)(0.3)).toBeAllclose(sig(0.3));
    expect(jvp(softplus, [0.3], [2])[1]).toBeAllclose(2 * sig(0.3));
    const xs = np.array([-1, 0, 2]);
    expect(vmap(grad(softplus))(xs)).toBeAllclose([-1, 0, 2].map(sig));
    expect(grad((x: np.NDArray) => np.sum(vmap(softplus)(x)))(xs)).toBeAllclose([-1, 0, 2].map(sig));
  });
  it("the rule is what gets differentiated (a deliberately different rule shows through)", () => {
    const f = customJvp((x: np.NDArray) => x.mul(x), ([x], [t]) => [x.mul(x), t.mul(3)]);
    expect(grad(f)(5.0)).toBe(3);
    expect(jacfwd(f)(np.array([1, 2]))).toBeAllclose([[3, 0], [0, 3]]);
  });
  it("second derivatives differentiate the rule", () => {
    expect(grad(grad(softplus))(0.3)).toBeAllclose(sig(0.3) * (1 - sig(0.3)), { rtol: 1e-12 });
    checkGrads(softplus, [np.array([0.2, -0.7])], { order: 2 });
  });
});

describe("customVjp", () => {
  // Gradient clipping as a custom VJP: the identity forward, clipped cotangents backward.
  const clipGrad = customVjp(
    (x: np.NDArray) => x,
    (x: np.NDArray) => [x, null],
    (_res: null, ct: np.NDArray) => [np.clip(ct, -1, 1)],
  );
  it("replaces the backward pass", () => {
    expect(grad((x: np.NDArray) => np.sum(clipGrad(x).mul(5)))(np.array([1, 2]))).toBeAllclose([1, 1]);
    expect(grad((x: np.NDArray) => np.sum(clipGrad(x).mul(0.5)))(np.array([1, 2]))).toBeAllclose([0.5, 0.5]);
  });
  it("works under vmap and inside jacrev", () => {
    const per = vmap(grad((x: np.NDArray) => clipGrad(x).mul(x).mul(3)))(np.array([0.1, 2]));
    // d/dx [c(x)·x·3]: the clipped path contributes clip(3x), the other path 3x.
    expect(per).toBeAllclose([0.3 + 0.3, 1 + 6]);
    expect(jacrev((x: np.NDArray) => clipGrad(x).mul(4))(np.array([1, 2]))).toBeAllclose([[1, 0], [0, 1]]);
  });
  it("forward mode is a clear error", () => {
    expect(() => jvp(clipGrad, [np.array([1])], [np.array([1])])).toThrow(/customVjp.*forward-mode/);
  });
  it("residuals carry forward values into bwd", () => {
    const expLike = customVjp(
      (x: np.NDArray) => np.exp(x),
      (x: np.NDArray) => {
        const y = np.exp(x);
        return [y, y];
      },
      (y: np.NDArray, ct: np.NDArray) => [ct.mul(y)],
    );
    expect(grad((x: np.NDArray) => np.sum(expLike(x)))(np.array([0, 1]))).toBeAllclose([1, Math.E]);
    expect(grad(grad((x: np.NDArray) => np.sum(expLike(x))))(0.5)).toBeAllclose(Math.exp(0.5));
  });
});

describe("checkpoint", () => {
  const block = (x: np.NDArray) => np.tanh(np.sin(x).mul(x)).mul(2);
  const plain = (x: np.NDArray) => np.sum(block(block(x)));
  const ckpt = (x: np.NDArray) => np.sum(checkpoint(block)(checkpoint(block)(x)));
  const x = np.array([0.3, -0.8, 1.1]);
  it("gives the same derivatives in every mode", () => {
    expect(grad(ckpt)(x)).toBeAllclose(grad(plain)(x), { rtol: 1e-14 });
    expect(hessian(ckpt)(x)).toBeAllclose(hessian(plain)(x), { rtol: 1e-12, atol: 1e-14 });
    expect(jvp(ckpt, [x], [np.ones([3])])[1]).toBeAllclose(jvp(plain, [x], [np.ones([3])])[1], { rtol: 1e-14 });
    expect(vmap(grad(ckpt))(np.stack([x, x.mul(2)]))).toBeAllclose(vmap(grad(plain))(np.stack([x, x.mul(2)])), { rtol: 1e-14 });
    checkGrads(ckpt, [x], { order: 2 });
  });
});

describe("definePrimitive: a user primitive on the same footing as the built-in ones", () => {
  it("gets grad, jvp, vmap, hessian and checkGrads from its rules", async () => {
    const { definePrimitive, bind1, ConcreteArray } = await import("autograd-ts");
    type Empty = Record<string, never>;
    // cube(x) = x³, with kernel, shape rule, JVP (3x²·t, written with numpy ops), and batching.
    const cubeP: Primitive<Empty> = definePrimitive<Empty>({
      name: "cube",
      impl: ([x]) => [new ConcreteArray(Float64Array.from(x!.data, (v) => v * v * v), x!.shape, "float64")],
      abstractEval: ([x]) => [x!],
      jvp: ([x], [t]) => [t!.mul(x!.mul(x!).mul(3))],
      transpose: "nonlinear",
      batch: ([x], [d]) => [[bind1(cubeP, [x!], {})], [d!]],
    });
    const cube = (x: np.NDArray) => bind1(cubeP, [x], {});
    expect(cube(np.array([2]))).toBeAllclose([8]);
    expect(grad((x: np.NDArray) => np.sum(cube(x)))(np.array([1, 2]))).toBeAllclose([3, 12]);
    expect(grad(grad((x: np.NDArray) => np.sum(cube(x))))(2.0)).toBeAllclose(12);
    expect(vmap(cube)(np.array([[1, 2], [3, 4]]))).toBeAllclose([[1, 8], [27, 64]]);
    expect(hessian((x: np.NDArray) => np.sum(cube(x)))(np.array([1, 2]))).toBeAllclose([[6, 0], [0, 12]]);
    checkGrads((x: np.NDArray) => cube(x), [np.array([0.5, -1.5])], { order: 3 });
  });
});
