/**
 * @file Bad arguments to the transformations themselves: vmap's inAxes/outAxes (a top-level null is
 * honoured as in JAX, out-of-range axes raise), repeated or out-of-range argnums, and async functions
 * or Promise results (a TypeError naming the transformation, and no unhandled rejection afterwards).
 * After each bad input a canary checks that grad, vmap(grad) and jit still give the right answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grad, valueAndGrad, elementwiseGrad, jvp, vjp, linearize, deriv, vmap, jacfwd, jacrev, jacobian, hessian, hvp,
  AxisError, BatchSizeError,
} from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { expectBadInput } from "./bad-inputs-helpers.ts";

type Fn = (...args: any[]) => any;

describe("vmap's inAxes and outAxes", () => {
  const x = np.ones([3, 4]);
  const rows = np.arange(6).astype("float64").reshape(2, 3);
  it("a top-level null inAxes is honoured: nothing is batched, which JAX rejects", () => {
    expectBadInput(() => vmap((a: np.NDArray) => a, { inAxes: null })(x), TypeError, "vmap must have at least one non-null value in inAxes", "null");
  });
  it("every inAxes entry null", () => {
    expectBadInput(() => vmap((a: np.NDArray, b: np.NDArray) => a.add(b), { inAxes: [null, null] })(x, x), TypeError, "vmap", "non-null value in inAxes", "[null,null]");
    expectBadInput(
      () => vmap((p: { a: np.NDArray; b: np.NDArray }) => p.a, { inAxes: [{ a: null, b: null }] })({ a: x, b: x }),
      TypeError,
      "vmap",
      "non-null value in inAxes",
    );
  });
  it("inAxes out of range, not an integer, or of the wrong length", () => {
    expectBadInput(() => vmap((a: np.NDArray) => a, { inAxes: 2 })(x), AxisError, "vmap", "inAxes 2", "(3, 4)");
    expectBadInput(() => vmap((a: np.NDArray) => a, { inAxes: -3 })(x), AxisError, "vmap", "inAxes -3", "(3, 4)");
    expectBadInput(() => vmap((a: np.NDArray) => a, { inAxes: 0.5 })(x), AxisError, "vmap", "inAxes 0.5");
    expectBadInput(() => vmap((a: np.NDArray, b: np.NDArray) => a.add(b), { inAxes: [0] })(x, x), TypeError, "vmap", "inAxes has 1 entries", "2 arguments");
    expectBadInput(() => vmap((a: np.NDArray) => a, { inAxes: 0 })(5), AxisError, "vmap", "inAxes 0", "()");
  });
  it("batch sizes that disagree list every argument", () => {
    expectBadInput(() => vmap((a: np.NDArray, b: np.NDArray) => a.add(b))(np.ones([3]), np.ones([4])), BatchSizeError, "vmap", "size 3", "size 4");
  });
  it("a top-level null outAxes returns unbatched outputs (JAX), and raises for a batched one", () => {
    expect(vmap((_: np.NDArray) => np.ones([3]).mul(2), { outAxes: null })(np.ones([5]))).toBeAllclose([2, 2, 2]);
    expect(vmap((a: np.NDArray, c: np.NDArray) => c.mul(2), { inAxes: [0, null], outAxes: null })(np.ones([5]), np.array([1, 2]))).toBeAllclose([2, 4]);
    expectBadInput(() => vmap((a: np.NDArray) => a.mul(2), { outAxes: null })(rows), TypeError, "vmap", "outAxes is null", "output leaf 0", "(2, 3)");
  });
  it("outAxes per output: null for the unbatched one, an axis for the other", () => {
    const [u, b] = vmap((a: np.NDArray) => [np.ones([2]), a.mul(2)], { outAxes: [null, 1] })(rows) as np.NDArray[];
    expect(u).toBeAllclose([1, 1]);
    expect(b).toBeAllclose(rows.T.mul(2));
    expectBadInput(() => vmap((a: np.NDArray) => [a, a], { outAxes: [0, null] })(rows), TypeError, "vmap", "outAxes is null", "output leaf 1");
    expectBadInput(() => vmap((a: np.NDArray) => [a, a], { outAxes: [0] })(rows), TypeError, "vmap outAxes", "structure");
    expectBadInput(() => vmap((a: np.NDArray) => a, { outAxes: "0" })(rows), TypeError, "vmap outAxes", "structure");
  });
  it("outAxes out of range names vmap, the axis and the output's rank", () => {
    expect(vmap((a: np.NDArray) => a, { outAxes: -1 })(rows)).toBeAllclose(rows.T);
    expectBadInput(() => vmap((a: np.NDArray) => a, { outAxes: 2 })(rows), AxisError, "vmap", "outAxes 2", "rank 2", "(3,)");
    expectBadInput(() => vmap((a: np.NDArray) => a, { outAxes: -3 })(rows), AxisError, "vmap", "outAxes -3", "rank 2");
    expectBadInput(() => vmap((a: np.NDArray) => np.sum(a), { outAxes: 1 })(rows), AxisError, "vmap", "outAxes 1", "rank 1", "()");
    expectBadInput(() => vmap((a: np.NDArray) => a, { outAxes: 1.5 })(rows), AxisError, "vmap", "outAxes 1.5");
    expectBadInput(() => vmap((a: np.NDArray) => [a, np.sum(a)], { outAxes: [0, 1] })(rows), AxisError, "vmap", "output leaf 1", "rank 1");
  });
});

describe("argnums", () => {
  const f = (a: np.NDArray, b: np.NDArray) => np.sum(a.mul(b));
  const cases: readonly [string, () => unknown, string][] = [
    ["grad [0, 0]", () => grad(f, { argnums: [0, 0] })(1, 2), "grad"],
    ["grad [1, -1]", () => grad(f, { argnums: [1, -1] })(1, 2), "grad"],
    ["grad [0, -2]", () => grad(f, { argnums: [0, -2] })(1, 2), "grad"],
    ["valueAndGrad [0, 0]", () => valueAndGrad(f, { argnums: [0, 0] })(1, 2), "valueAndGrad"],
    ["elementwiseGrad [1, 1]", () => elementwiseGrad(f, { argnums: [1, 1] })(1, 2), "elementwiseGrad"],
    ["jacfwd [0, 0]", () => jacfwd(f, { argnums: [0, 0] })(np.ones([2]), np.ones([2])), "jacfwd"],
    ["jacrev [0, -2]", () => jacrev(f, { argnums: [0, -2] })(np.ones([2]), np.ones([2])), "jacrev"],
    ["jacobian [1, 1]", () => jacobian(f, { argnums: [1, 1] })(np.ones([2]), np.ones([2])), "jacrev"],
    ["hessian [0, 0]", () => hessian(f, { argnums: [0, 0] })(np.ones([2]), np.ones([2])), "jac"],
  ];
  for (const [name, run, op] of cases) {
    it(`repeated: ${name}`, () => {
      expectBadInput(run, RangeError, `${op}`, "argnums", "more than once");
    });
  }
  it("the first gradient of distinct argnums is not zero (the case repeated argnums silently broke)", () => {
    const [ga, gb] = grad(f, { argnums: [0, 1] })(3, 5) as number[];
    expect([ga, gb]).toEqual([5, 3]);
  });
  it("out of range or not an integer", () => {
    expectBadInput(() => grad(f, { argnums: 2 })(1, 2), RangeError, "grad", "argnums 2", "2 argument(s)");
    expectBadInput(() => grad(f, { argnums: -3 })(1, 2), RangeError, "grad", "argnums -3");
    expectBadInput(() => grad(f, { argnums: 0.5 })(1, 2), RangeError, "grad", "argnums 0.5");
    expectBadInput(() => jacrev(f, { argnums: [0, 5] })(1, 2), RangeError, "jacrev", "argnums [0,5]");
    expectBadInput(() => elementwiseGrad(f, { argnums: [3] })(1, 2), RangeError, "elementwiseGrad", "argnums [3]");
  });
});

describe("async functions and Promise results cannot be transformed", () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    process.on("unhandledRejection", onUnhandled);
  });
  afterAll(() => {
    process.off("unhandledRejection", onUnhandled);
  });

  let ran = 0;
  const asyncSquare = async (x: np.NDArray) => {
    ran++;
    return x.mul(x);
  };
  const asyncSum = async (x: np.NDArray) => {
    ran++;
    return np.sum(x);
  };
  const asyncCases: readonly [string, () => unknown][] = [
    ["grad", () => grad(asyncSquare)(1)],
    ["valueAndGrad", () => valueAndGrad(asyncSquare)(1)],
    ["elementwiseGrad", () => elementwiseGrad(asyncSquare)(np.ones([2]))],
    ["vjp", () => vjp(asyncSquare as Fn, 1)],
    ["linearize", () => linearize(asyncSquare as Fn, 1)],
    ["jvp", () => jvp(asyncSquare as Fn, [1], [1])],
    ["deriv", () => deriv(asyncSquare as Fn)(1)],
    ["vmap", () => vmap(asyncSquare)(np.ones([3]))],
    ["jacfwd", () => jacfwd(asyncSquare)(np.ones([2]))],
    ["jacrev", () => jacrev(asyncSquare)(np.ones([2]))],
    ["hessian", () => hessian(asyncSum)(np.ones([2]))],
    ["hvp", () => hvp(asyncSum as Fn)(np.ones([2]), np.ones([2]))],
    ["grad", () => vmap(grad(asyncSquare))(np.ones([3]))],
  ];
  for (const [op, run] of asyncCases) {
    it(`an async function under ${op} is rejected before it runs`, () => {
      ran = 0;
      expectBadInput(run, TypeError, `${op}: the function is async`, "async functions cannot be transformed");
      expect(ran).toBe(0);
    });
  }

  /** A plain function whose result is a Promise that rejects later, once the transformation is gone. */
  const latePromise = (x: np.NDArray) =>
    new Promise<np.NDArray>((_, reject) => setTimeout(() => reject(new Error(`late rejection for ${x.shape}`)), 5));
  const promiseCases: readonly [string, () => unknown][] = [
    ["grad", () => grad(latePromise)(1)],
    ["vjp", () => vjp(latePromise as Fn, 1)],
    ["jvp", () => jvp(latePromise as Fn, [1], [1])],
    ["vmap", () => vmap(latePromise)(np.ones([3]))],
    ["jacfwd", () => jacfwd(latePromise)(np.ones([2]))],
    ["jacrev", () => jacrev(latePromise)(np.ones([2]))],
    ["grad", () => grad((x: np.NDArray) => Promise.resolve(x))(1)],
    ["vmap", () => vmap((x: np.NDArray) => ({ then: (ok: (v: unknown) => void) => ok(x) }))(np.ones([2]))],
  ];
  for (const [op, run] of promiseCases) {
    it(`a Promise returned under ${op} is rejected, and its later rejection is handled`, async () => {
      expectBadInput(run, TypeError, `${op}: the function returned a Promise`, "async functions cannot be transformed");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    });
  }
});
