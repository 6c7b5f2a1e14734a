/**
 * @file The optimizers (`sgd`, `rmsprop`, `adam`) on a quadratic whose minimiser is known, their
 * first step against its closed form, and the tree calling convention (structure kept, callback).
 */
import { describe, expect, it } from "vitest";
import { grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam, rmsprop, sgd } from "autograd-ts/optimizers";
import { ShapeError } from "autograd-ts";

// loss(a, b) = Σ (a − c)² + (b − 3)², minimised at a = c, b = 3; its Hessian is 2·I.
const c = [1, -2, 0.5, 4, -3];
type Params = { a: np.NDArray; b: number };
const loss = (p: Params) => np.sum(np.square(p.a.sub(c))).add(np.square(np.subtract(p.b, 3)));
const lossGrad = grad(loss);
const start = (): Params => ({ a: np.zeros([5]), b: 0 });
const distance = (p: Params) =>
  Math.max(...(p.a.toArray() as number[]).map((v, i) => Math.abs(v - c[i]!)), Math.abs(p.b - 3));

describe("optimizers reach the minimiser of a quadratic", () => {
  it("sgd with momentum", () => {
    // Per coordinate the error e and velocity v follow a linear map: v' = μv − (1−μ)·2e,
    // e' = e + αv'. With α = 0.1, μ = 0.9 its matrix [[0.98, 0.09], [−0.2, 0.9]] has complex
    // eigenvalues of modulus √det = √0.9 ≈ 0.949, so after 400 steps the start error (≤ 4) has
    // shrunk by 0.949^400 ≈ 7e-10 (times a transient constant of order 1): 1e-6 is a wide margin.
    const p = sgd((params) => lossGrad(params), start(), { numIters: 400, stepSize: 0.1 });
    expect(distance(p)).toBeLessThan(1e-6);
  });

  it("rmsprop", () => {
    // Steps are ≈ stepSize·sign(g) while the running mean of g² (memory 1/(1−γ) = 10 steps) is
    // large, so the start error of 4 is covered in ≈ 40 steps; then the mean decays with the
    // gradient and the iteration contracts. 300 steps bring the error below 1e-12 here; 1e-6
    // keeps a wide margin without accepting a run that stalls at the step size (0.1).
    const p = rmsprop((params) => lossGrad(params), start(), { numIters: 300, stepSize: 0.1 });
    expect(distance(p)).toBeLessThan(1e-6);
  });

  it("adam", () => {
    // Adam moves each coordinate ≈ stepSize per step at first (m̂/√v̂ ≈ ±1), so 0.1 covers the
    // distance 4 in ≈ 40 steps; near the minimum v̂ still remembers the early large gradients
    // (memory 1/(1−b2) = 1000 steps), so the step is ≈ stepSize·g/√v̂: gradient descent with
    // a small rate, which contracts linearly. 1000 steps give ≈ 1e-15 here; we ask for 1e-6.
    const p = adam((params) => lossGrad(params), start(), { numIters: 1000, stepSize: 0.1 });
    expect(distance(p)).toBeLessThan(1e-6);
  });
});

describe("optimizers' first step matches its closed form", () => {
  // At the start (a = 0, b = 0) the gradient is g = 2·(0 − target): a: −2c, b: −6.
  const g0 = [...c.map((v) => -2 * v), -6];
  const x0 = [0, 0, 0, 0, 0, 0];
  const flat = (p: Params) => [...(p.a.toArray() as number[]), p.b];

  it("sgd: v = −(1 − mass)·g, x = x0 + stepSize·v", () => {
    const p = sgd((params) => lossGrad(params), start(), { numIters: 1, stepSize: 0.5, mass: 0.8 });
    flat(p).forEach((v, i) => expect(v).toBeCloseTo(x0[i]! - 0.5 * 0.2 * g0[i]!, 12));
  });

  it("rmsprop: s = γ + (1 − γ)·g², x = x0 − stepSize·g/(√s + eps)", () => {
    const p = rmsprop((params) => lossGrad(params), start(), { numIters: 1, stepSize: 0.5, gamma: 0.7 });
    flat(p).forEach((v, i) => {
      const s = 0.7 + 0.3 * g0[i]! ** 2;
      expect(v).toBeCloseTo(x0[i]! - (0.5 * g0[i]!) / (Math.sqrt(s) + 1e-8), 12);
    });
  });

  it("adam: bias correction makes the first step stepSize·sign(g)", () => {
    const p = adam((params) => lossGrad(params), start(), { numIters: 1, stepSize: 0.25 });
    flat(p).forEach((v, i) => expect(v).toBeCloseTo(x0[i]! - 0.25 * Math.sign(g0[i]!), 7));
  });
});

describe("the tree calling convention", () => {
  it("keeps the structure and leaf types, and calls gradFn and callback at every iteration", () => {
    const gradIters: number[] = [];
    const seen: { iter: number; aShape: readonly number[]; bType: string; gradB: number }[] = [];
    const p = adam(
      (params, iter) => {
        gradIters.push(iter);
        return lossGrad(params);
      },
      start(),
      {
        numIters: 5,
        stepSize: 0.1,
        callback: (params, iter, g) => seen.push({ iter, aShape: params.a.shape, bType: typeof params.b, gradB: g.b }),
      },
    );
    expect(p.a.shape).toEqual([5]);
    expect(typeof p.b).toBe("number");
    expect(gradIters).toEqual([0, 1, 2, 3, 4]);
    expect(seen.map((s) => s.iter)).toEqual([0, 1, 2, 3, 4]);
    expect(seen.every((s) => s.aShape.length === 1 && s.aShape[0] === 5 && s.bType === "number")).toBe(true);
    // The callback sees the parameters before the step: at iteration 0, b = 0 and ∂loss/∂b = −6.
    expect(seen[0]!.gradB).toBeCloseTo(-6, 12);
  });

  it("works on nested lists of arrays, as a network's layers", () => {
    const target = [np.array([[1, 2], [3, 4]]), np.array([5, 6])];
    const layers = [[np.zeros([2, 2]), np.zeros([2])]];
    const f = (ps: np.NDArray[][]) =>
      np.sum(np.square(ps[0]![0]!.sub(target[0]!))).add(np.sum(np.square(ps[0]![1]!.sub(target[1]!))));
    const out = sgd((ps) => grad(f)(ps), layers, { numIters: 400 });
    expect(out[0]![0]!.toArray()).toEqual([[1, 2], [3, 4]].map((r) => r.map((v) => expect.closeTo(v, 6))));
    expect(out[0]![1]!.toArray()).toEqual([5, 6].map((v) => expect.closeTo(v, 6)));
  });

  it("uses autograd's defaults (sgd: 200 iterations)", () => {
    let calls = 0;
    sgd((params) => (calls++, lossGrad(params)), start());
    expect(calls).toBe(200);
  });

  it("says so when gradFn returns a tree of another structure", () => {
    expect(() => adam(() => ({ a: np.zeros([5]) }), start(), { numIters: 1 })).toThrow(
      /adam: gradFn returned a tree of structure \{"a":\*\} at iteration 0, but the parameters have structure \{"a":\*,"b":\*\}/,
    );
  });

  it("names the leaf and both shapes when a gradient leaf has the wrong shape, even of the same size", () => {
    const params = { W: np.zeros([2, 3]), b: np.zeros([3]) };
    const swapped = () => ({ W: np.ones([3, 2]), b: np.ones([3]) });
    for (const [name, opt] of [["sgd", sgd], ["rmsprop", rmsprop], ["adam", adam]] as const) {
      expect(() => opt(swapped, params, { numIters: 1 })).toThrow(ShapeError);
      expect(() => opt(swapped, params, { numIters: 1 })).toThrow(
        new RegExp(`^${name}: the gradient at \\.W has shape \\(3, 2\\) but the parameter has shape \\(2, 3\\) \\(iteration 0\\)$`),
      );
    }
    // A list of parameters; the second step's gradient goes wrong.
    const late = (_: unknown, i: number) => (i === 0 ? [np.ones([2, 2]), np.ones([2])] : [np.ones([2, 2]), np.ones([1, 2])]);
    expect(() => adam(late, [np.zeros([2, 2]), np.zeros([2])], { numIters: 3 })).toThrow(/adam: the gradient at \[1\] has shape \(1, 2\) but the parameter has shape \(2,\) \(iteration 1\)/);
  });
});
