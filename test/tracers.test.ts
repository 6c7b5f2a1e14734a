/**
 * @file Tracers are not numbers: under every transformation, turning a traced value into a JS
 * primitive (JS operators, Math.*, Number, template strings, valueOf, use as a shape, axis, size or
 * index) throws a TracerConversionError naming the value (and the function when one is involved),
 * never a silently wrong derivative; `x.item()` still reads the primal under grad/jvp; number-taking
 * arguments that NumPy/JAX accept as arrays (`np.full`'s value, `linspace`'s ends, `ddof`, …) take
 * traced values and keep their derivatives; `np.array` of arrays stacks them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  grad, valueAndGrad, jvp, vjp, vmap, jacfwd, jacrev, hessian, makeJaxpr, jit, elementwiseGrad, checkGrads, TracerConversionError, ShapeError,
} from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { numRuns, seed } from "../property-tests/config.ts";
import { Tracer } from "../src/core/trace.ts";
import { canary, expectBadInput } from "./bad-inputs-helpers.ts";

type Use = (x: any) => unknown;

/** JS conversions of a value: each must throw on a tracer. */
const MISUSES: readonly [string, Use][] = [
  ["x * x", (x) => x * x],
  ["x * 2", (x) => x * 2],
  ["x + 1", (x) => x + 1],
  ["1 - x", (x) => 1 - x],
  ["x / 2", (x) => x / 2],
  ["x ** 2", (x) => x ** 2],
  ["-x", (x) => -x],
  ["+x", (x) => +x],
  ["x < 0.5", (x) => x < 0.5],
  ["x >= 0", (x) => x >= 0],
  ["x == 1", (x) => x == 1], // eslint-disable-line eqeqeq
  ["x | 0", (x) => x | 0],
  ["Math.sin(x)", (x) => Math.sin(x)],
  ["Math.max(x, 0)", (x) => Math.max(x, 0)],
  ["Math.exp(x)", (x) => Math.exp(x)],
  ["Math.sqrt(x)", (x) => Math.sqrt(x)],
  ["Math.abs(x)", (x) => Math.abs(x)],
  ["Number(x)", (x) => Number(x)],
  ["template string", (x) => `${x}`],
  ["String(x)", (x) => String(x)],
  ["x.valueOf()", (x) => x.valueOf()],
  ["isNaN(x)", (x) => isNaN(x)],
];

/** Runs `use` on a 0-d float64 traced value under a transformation; the pattern names that transformation. */
const TRANSFORMS: readonly [string, RegExp, (use: Use) => unknown][] = [
  ["grad", /under grad\/jvp/, (use) => grad((x: np.NDArray) => (use(x), x))(0.5)],
  ["valueAndGrad", /under grad\/jvp/, (use) => valueAndGrad((x: np.NDArray) => (use(x), x))(0.5)],
  ["elementwiseGrad", /under grad\/jvp/, (use) => elementwiseGrad((x: np.NDArray) => (use(x), x))(0.5)],
  ["jvp", /under grad\/jvp/, (use) => jvp((x: np.NDArray) => (use(x), x), [0.5], [1])],
  ["vjp", /under grad\/jvp/, (use) => vjp((x: np.NDArray) => (use(x), x), 0.5)],
  ["vmap", /under vmap/, (use) => vmap((x: np.NDArray) => (use(x), x))(np.array([0.5, 1]))],
  ["jacfwd", /under grad\/jvp/, (use) => jacfwd((x: np.NDArray) => (use(x), x))(0.5)],
  ["jacrev", /under grad\/jvp/, (use) => jacrev((x: np.NDArray) => (use(x), x))(0.5)],
  ["hessian", /under grad\/jvp/, // jacfwd/jacrev also call the function once on the concrete input, where a concrete array's own
  // conversions apply; the misuse is applied to the traced calls only.
  (use) => hessian((x: np.NDArray) => (x instanceof Tracer ? use(x) : 0, x.mul(x)))(np.array(0.5))],
  ["makeJaxpr", /under \w+/, (use) => makeJaxpr((x: np.NDArray) => (use(x), x))(0.5)],
  ["jit", /under \w+/, (use) => jit((x: np.NDArray) => (use(x), x))(0.5)],
  ["grad of grad", /under grad\/jvp/, (use) => grad(grad((x: np.NDArray) => (use(x), x.mul(x))))(0.5)],
  ["vmap of grad", /under grad\/jvp/, (use) => vmap(grad((x: np.NDArray) => (use(x), x)))(np.array([0.5, 1]))],
  ["grad of vmap", /under vmap/, (use) => grad((y: np.NDArray) => np.sum(vmap((x: np.NDArray) => (use(x), x))(y)))(np.array([0.5, 1]))],
  ["jit of grad", /under grad\/jvp/, (use) => jit(grad((x: np.NDArray) => (use(x), x)))(0.5)],
];

describe("JS conversions of a traced value throw under every transformation", () => {
  it("grad((x) => x * x)(3) is an error, not 0", () => {
    expectBadInput(() => grad((x: any) => x * x)(3), TracerConversionError, "float64 array of shape ()", "x.mul(x)", "x.item()");
  });
  for (const [tname, names, run] of TRANSFORMS) {
    describe(tname, () => {
      for (const [mname, use] of MISUSES) {
        it(mname, () => {
          expectBadInput(() => run(use), TracerConversionError, "a traced value (float64 array of shape ()", names, "x.mul(x)", "x.item()");
        });
      }
    });
  }

  it("the message names the shape and dtype of a non-scalar tracer too", () => {
    expectBadInput(() => grad((x: any) => np.sum(x.mul(1 + x)))(np.ones([2, 3])), TracerConversionError, "float64 array of shape (2, 3)");
    expectBadInput(
      () => vmap((x: any) => Math.round(x.astype("int32")))(np.ones([4, 5])),
      TracerConversionError,
      "int32 array of shape (5,)",
      "under vmap",
    );
  });

  it("fast-check: random JS-operator misuse under a random transformation always throws TracerConversionError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MISUSES.length - 1 }), fc.integer({ min: 0, max: TRANSFORMS.length - 1 }), (m, t) => {
        const [, use] = MISUSES[m]!;
        const [, names, run] = TRANSFORMS[t]!;
        let err: unknown;
        try {
          run(use);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(TracerConversionError);
        expect((err as Error).message).toMatch(names);
      }),
      { numRuns: numRuns(100), ...(seed === undefined ? {} : { seed }) },
    );
    canary();
  });
});

/** Number arguments of numpy functions: a traced value there is a TracerConversionError naming the function and argument. */
const STATIC_ARGS: readonly [string, string, (t: any) => unknown][] = [
  ["np.zeros", "shape[0]", (t) => np.zeros([t])],
  ["np.zeros", "shape", (t) => np.zeros(t)],
  ["np.ones", "shape[1]", (t) => np.ones([2, t])],
  ["np.empty", "shape", (t) => np.empty(t)],
  ["np.full", "shape[0]", (t) => np.full([t], 1)],
  ["np.eye", "N", (t) => np.eye(t)],
  ["np.eye", "k", (t) => np.eye(3, 3, { k: t })],
  ["np.identity", "n", (t) => np.identity(t)],
  ["np.arange", "stop", (t) => np.arange(t)],
  ["np.arange", "step", (t) => np.arange(0, 5, t)],
  ["np.linspace", "num", (t) => np.linspace(0, 1, t)],
  ["np.logspace", "num", (t) => np.logspace(0, 1, t)],
  ["np.geomspace", "stop", (t) => np.geomspace(1, t, 3)],
  ["np.tri", "N", (t) => np.tri(t)],
  ["np.triuIndices", "n", (t) => np.triuIndices(t)],
  ["np.indices", "dimensions[0]", (t) => np.indices([t, 2])],
  ["np.reshape", "shape[0]", (t) => np.ones([4]).reshape(t, -1)],
  ["np.transpose", "axis", (t) => np.transpose(np.ones([2, 3]), [t, 0])],
  ["np.swapaxes", "axis", (t) => np.swapaxes(np.ones([2, 3]), t, 0)],
  ["np.moveaxis", "source", (t) => np.moveaxis(np.ones([2, 3]), t, 0)],
  ["np.expandDims", "axis", (t) => np.expandDims(np.ones([2]), t)],
  ["np.squeeze", "axis", (t) => np.squeeze(np.ones([1, 2]), { axis: t })],
  ["np.broadcastTo", "shape[0]", (t) => np.broadcastTo(np.ones([4]), [t, 4])],
  ["np.concatenate", "axis", (t) => np.concatenate([np.ones([2]), np.ones([2])], { axis: t })],
  ["np.sum", "axis", (t) => np.sum(np.ones([2, 3]), { axis: t })],
  ["np.mean", "axis[0]", (t) => np.mean(np.ones([2, 3]), { axis: [t] })],
  ["np.cumsum", "axis", (t) => np.cumsum(np.ones([2, 3]), { axis: t })],
  ["np.sort", "axis", (t) => np.sort(np.ones([2, 3]), { axis: t })],
  ["np.partition", "kth", (t) => np.partition(np.ones([4]), t)],
  ["np.quantile", "q", (t) => np.quantile(np.ones([4]), t)],
  ["np.split", "sections", (t) => np.split(np.ones([4]), t)],
  ["np.tile", "reps", (t) => np.tile(np.ones([2]), t)],
  ["np.repeat", "repeats", (t) => np.repeat(np.ones([2]), t)],
  ["np.roll", "shift", (t) => np.roll(np.ones([3]), t)],
  ["np.rot90", "k", (t) => np.rot90(np.ones([2, 2]), t)],
  ["np.pad", "pad_width", (t) => np.pad(np.ones([3]), t)],
  ["np.diagonal", "offset", (t) => np.diagonal(np.ones([3, 3]), { offset: t })],
  ["np.diag", "k", (t) => np.diag(np.ones([3]), t)],
  ["np.tril", "k", (t) => np.tril(np.ones([3, 3]), t)],
  ["np.insert", "index", (t) => np.insert(np.ones([3]), t, 5)],
  ["np.delete", "obj", (t) => np.delete(np.ones([3]), t)],
  ["np.resize", "shape[0]", (t) => np.resize(np.ones([3]), [t])],
  ["np.take", "axis", (t) => np.take(np.ones([2, 3]), [0], { axis: t })],
  ["np.round", "decimals", (t) => np.round(np.ones([3]), { decimals: t })],
  ["np.vander", "N", (t) => np.vander(np.ones([3]), { N: t })],
  ["np.polyfit", "deg", (t) => np.polyfit(np.array([1, 2, 3]), np.array([1, 2, 3]), t)],
  ["np.tensordot", "axes", (t) => np.tensordot(np.ones([2, 2]), np.ones([2, 2]), t)],
  ["np.linalg.matrixPower", "n", (t) => np.linalg.matrixPower(np.eye(2), t)],
  ["np.linalg.norm", "ord", (t) => np.linalg.norm(np.ones([3]), { ord: t })],
  ["np.fft.fftfreq", "n", (t) => np.fft.fftfreq(t)],
  ["np.bincount", "minlength", (t) => np.bincount(np.array([0, 1], { dtype: "int32" }), { minlength: t })],
  ["np.slice", "start", (t) => np.ones([4]).get(np.slice(t, 3))],
  ["np.random.normal", "shape[0]", (t) => np.random.normal(np.random.key(0), [t])],
  ["np.random.key", "seed", (t) => np.random.key(t)],
  ["np.random.split", "num", (t) => np.random.split(np.random.key(0), t)],
  ["np.random.permutation", "x", (t) => np.random.permutation(np.random.key(0), t)],
  ["np.random.choice", "a", (t) => np.random.choice(np.random.key(0), t)],
  ["np.diff", "n", (t) => np.diff(np.ones([4]), { n: t })],
  ["np.polyder", "m", (t) => np.polyder(np.ones([4]), t)],
  ["np.isclose", "rtol", (t) => np.isclose(np.ones([2]), 1, { rtol: t })],
  ["np.cumulativeSum", "axis", (t) => np.cumulativeSum(np.ones([2, 3]), { axis: t })],
  ["np.histogram", "range[1]", (t) => np.histogram(np.ones([4]), { range: [0, t] })],
];

describe("a traced value used as a shape, size, axis, count or index names the function and the argument", () => {
  const runs: readonly [string, RegExp, (use: Use) => unknown][] = [
    ["grad", /under grad\/jvp/, (use) => grad((x: np.NDArray) => (use(x), x))(2)],
    ["vmap", /under vmap/, (use) => vmap((x: np.NDArray) => (use(x), x))(np.array([2, 1]))],
    ["jit", /under \w+/, (use) => jit((x: np.NDArray) => (use(x), x))(2)],
  ];
  for (const [tname, names, run] of runs) {
    describe(tname, () => {
      for (const [op, arg, use] of STATIC_ARGS) {
        it(`${op} ${arg}`, () => {
          expectBadInput(() => run(use), TracerConversionError, `${op}: ${arg} is a traced value (float64 array of shape ()`, names, "x.item()");
        });
      }
    });
  }

  it("a float traced index is an IndexError naming the dtype; an int32 traced index gathers (differentiably)", () => {
    expectBadInput(() => grad((t: np.NDArray) => np.ones([4]).get(t))(1), Error, "x.get", "float64");
    const table = np.array([10, 20, 30]);
    expect(vmap((i: np.NDArray) => table.get(i))(np.array([2, 0], { dtype: "int32" }))).toBeAllclose([30, 10]);
    const g = grad((x: np.NDArray) => np.sum(vmap((i: np.NDArray) => x.get(i))(np.array([2, 2, 0], { dtype: "int32" }))))(np.zeros([3]));
    expect(g).toBeAllclose([1, 0, 2]);
  });
});

describe("x.item() reads the primal under grad/jvp (autograd's data-dependent control flow)", () => {
  /** |x| by a JS branch on the traced value's sign. */
  const branchyAbs = (x: np.NDArray) => (x.gt(0).item() ? x : x.neg());
  it("grad and jvp of a JS if on x.gt(0).item()", () => {
    expect(grad(branchyAbs)(-2)).toBe(-1);
    expect(grad(branchyAbs)(3)).toBe(1);
    expect(jvp(branchyAbs, [-2], [1])[1]).toBeAllclose(-1);
    expect(grad(grad((x: np.NDArray) => branchyAbs(x).mul(x)))(-2)).toBe(-2);
  });
  it("a data-dependent while loop under grad: Newton's square root", () => {
    const sqrt = (a: np.NDArray) => {
      let y = np.array(1).add(a.mul(0));
      while (np.abs(y.mul(y).sub(a)).item() > 1e-12) y = y.add(a.div(y)).mul(0.5);
      return y;
    };
    expect(grad(sqrt)(4)).toBeAllclose(0.25, { rtol: 1e-10 });
  });
  it("item() of a vmap-batched or staged value is a TracerConversionError pointing to np.where/lax", () => {
    expectBadInput(() => vmap((x: np.NDArray) => x.item())(np.ones([3])), TracerConversionError, "item()", "vmap", "np.where");
    expectBadInput(() => makeJaxpr((x: np.NDArray) => x.item())(1), TracerConversionError, "item()", "np.where");
  });
});

describe("number arguments that NumPy/JAX take as arrays accept traced values and keep the derivative", () => {
  it("np.full(shape, g) broadcasts a traced g (JAX); np.fullLike too", () => {
    expect(grad((g: np.NDArray) => np.sum(np.full([3], g)))(2)).toBeAllclose(3);
    expect(grad((g: np.NDArray) => np.sum(np.full([2, 3], g).mul(np.arange(6).reshape(2, 3))))(1)).toBeAllclose(15);
    expect(vmap((g: np.NDArray) => np.full([2], g))(np.array([1, 2]))).toBeAllclose([[1, 1], [2, 2]]);
    expect(np.full([2, 3], np.array([1, 2, 3]))).toBeAllclose([[1, 2, 3], [1, 2, 3]]);
    expect(grad((row: np.NDArray) => np.sum(np.full([4, 2], row)))(np.array([1, 2]))).toBeAllclose([4, 4]);
    expect(grad((g: np.NDArray) => np.sum(np.fullLike(np.ones([5]), g)))(0.5)).toBeAllclose(5);
    expectBadInput(() => np.full([2, 3], np.ones([2])), ShapeError, "np.full", "(2,)", "(2, 3)");
  });
  it("np.linspace and np.logspace are differentiable in their ends (and logspace in its base)", () => {
    // d/db Σ linspace(a, b, 5) = Σ i/4 = 2.5; d/da = Σ (1 − i/4) = 2.5
    expect(grad((b: np.NDArray) => np.sum(np.linspace(0, b, 5)))(3)).toBeAllclose(2.5);
    expect(grad((a: np.NDArray) => np.sum(np.linspace(a, 1, 5)))(3)).toBeAllclose(2.5);
    expect(np.linspace(np.array(1), 3, 5)).toBeAllclose(np.linspace(1, 3, 5), { rtol: 0, atol: 0 });
    expect(np.linspace(np.array([0, 10]), np.array([1, 20]), 3)).toBeAllclose([[0, 10], [0.5, 15], [1, 20]]);
    expect(np.linspace(np.array(0), 1, 4, { endpoint: false })).toBeAllclose([0, 0.25, 0.5, 0.75]);
    // d/dt Σ 10^(t·i/2), i = 0..2, at t = 2: ln 10 · (½·10 + 1·100)
    expect(grad((t: np.NDArray) => np.sum(np.logspace(0, t, 3)))(2)).toBeAllclose(Math.LN10 * 105, { rtol: 1e-12 });
    // d/db Σ b^(0, ½, 1) at b = 2: ½·2^(−½) + 1
    expect(grad((b: np.NDArray) => np.sum(np.logspace(0, 1, 3, { base: b })))(2)).toBeAllclose(0.5 / Math.SQRT2 + 1, { rtol: 1e-12 });
    expect(vmap((b: np.NDArray) => np.linspace(0, b, 3))(np.array([2, 4]))).toBeAllclose([[0, 1, 2], [0, 2, 4]]);
  });
  it("ddof of np.var and np.cov, the spacing of np.gradient and polyint's constant take traced values", () => {
    const x = np.array([1, 2, 4, 7]);
    const ss = 2.5 ** 2 + 1.5 ** 2 + 0.5 ** 2 + 3.5 ** 2; // Σ (x − 3.5)²
    expect(grad((d: np.NDArray) => np.var(x, { ddof: d }))(1)).toBeAllclose(ss / 9, { rtol: 1e-12 });
    expect(grad((d: np.NDArray) => np.cov(x, { ddof: d }))(1)).toBeAllclose(ss / 9, { rtol: 1e-12 });
    expect(grad((h: np.NDArray) => np.sum(np.gradient(x, h)))(2)).toBeAllclose(-np.sum(np.gradient(x, 1)).item() / 4, { rtol: 1e-12 });
    expect(grad((k: np.NDArray) => np.sum(np.polyint([3, 2, 1], 1, k)))(0)).toBeAllclose(1);
  });
});

describe("the traced-operand paths against finite differences (checkGrads, both modes, second order) and vmap against a loop", () => {
  it("np.full, np.linspace, np.logspace, np.array stacking", () => {
    checkGrads((g: np.NDArray) => np.sum(np.sin(np.full([2, 3], g).mul(np.arange(6).reshape(2, 3)))), [0.7], { order: 2 });
    checkGrads((a: np.NDArray, b: np.NDArray) => np.sum(np.sin(np.linspace(a, b, 5))), [0.3, 1.9], { order: 2 });
    checkGrads((a: np.NDArray, b: np.NDArray) => np.sum(np.cos(np.linspace(a, b, 4, { endpoint: false }))), [np.array([0.1, 0.4]), 1.2], { order: 2 });
    checkGrads((t: np.NDArray, base: np.NDArray) => np.sum(np.logspace(0, t, 3, { base })), [0.8, 2.5], { order: 2 });
    checkGrads((x: np.NDArray, y: np.NDArray) => np.sum(np.tanh(np.array([[x, y.mul(x)], [1, np.sin(y)]]))), [np.array(0.4), np.array(-0.9)], { order: 2 });
  });
  it("vmap of linspace with batched ends equals a loop", () => {
    const as = [0.5, -1, 2];
    const bs = [1, 3, -2];
    const batched = vmap((a: np.NDArray, b: np.NDArray) => np.linspace(a, b, 4))(np.array(as), np.array(bs));
    expect(batched).toBeAllclose(np.stack(as.map((a, i) => np.linspace(a, bs[i]!, 4))), { rtol: 1e-15 });
  });
});

describe("np.array of arrays stacks them (NumPy, JAX), differentiably", () => {
  it("stacks concrete arrays and numbers", () => {
    expect(np.array([np.array([1, 2]), np.array([3, 4])])).toBeAllclose([[1, 2], [3, 4]]);
    expect(np.array([np.array(1), 2, np.array(3)])).toBeAllclose([1, 2, 3]);
    expect(np.array([[np.array(1), 2], [3, np.array(4)]]).shape).toEqual([2, 2]);
    expect(np.array([np.ones([2, 3]), np.zeros([2, 3])]).shape).toEqual([2, 2, 3]);
  });
  it("dtypes: arrays promote, JS numbers are weak (JAX)", () => {
    const i = np.array(1, { dtype: "int32" });
    expect(np.array([i, 2]).dtype).toBe("int32");
    expect(np.array([i, 2.5]).dtype).toBe("float64");
    expect(np.array([i, np.array(2, { dtype: "float32" })]).dtype).toBe("float64");
    expect(np.array([np.array(1, { dtype: "float32" }), 2]).dtype).toBe("float32");
    expect(np.array([i, 2], { dtype: "float64" }).dtype).toBe("float64");
  });
  it("grad, jacfwd, vmap and jit through np.array([a, b, c])", () => {
    const f = (x: np.NDArray) => np.sum(np.array([x, x.mul(x), 3]).mul(np.array([1, 2, 3])));
    expect(grad(f)(2)).toBeAllclose(1 + 4 * 2);
    const rot = (t: np.NDArray) => np.array([[np.cos(t), np.sin(t).neg()], [np.sin(t), np.cos(t)]]);
    expect(jacfwd(rot)(0.3)).toBeAllclose([[-Math.sin(0.3), -Math.cos(0.3)], [Math.cos(0.3), -Math.sin(0.3)]], { rtol: 1e-14 });
    expect(jacrev(rot)(0.3)).toBeAllclose(jacfwd(rot)(0.3), { rtol: 1e-14 });
    expect(vmap((a: np.NDArray, b: np.NDArray) => np.array([a, b, 1]))(np.array([1, 2]), np.array([3, 4]))).toBeAllclose([[1, 3, 1], [2, 4, 1]]);
    expect(jit(rot)(0.3)).toBeAllclose(rot(np.array(0.3)), { rtol: 1e-15 });
    expect(grad((v: np.NDArray) => np.sum(np.array([v, v.mul(2)])))(np.array([1, 2]))).toBeAllclose([3, 3]);
  });
  it("ragged stacks are a TypeError naming np.array and both shapes", () => {
    expectBadInput(() => np.array([np.ones([2]), np.ones([3])]), TypeError, "np.array", "object[1]", "(3,)", "(2,)");
    expectBadInput(() => grad((x: np.NDArray) => np.sum(np.array([x, [1, 2]])))(1), TypeError, "np.array", "ragged");
    expectBadInput(() => np.array([np.ones([2]), "a" as never]), TypeError, "np.array", "object[1]", "string");
  });
});

describe("concrete arrays keep their JS conversions", () => {
  it("numbers, strings and the default hint", () => {
    const a = np.array(3);
    expect(+a).toBe(3);
    expect((a as any) * 2).toBe(6);
    expect(Math.sqrt(a as any)).toBeCloseTo(Math.sqrt(3), 15);
    expect(`${np.array([1, 2])}`).toBe(String(np.array([1, 2])));
    expect(() => (a as any) + 1).toThrow(TypeError);
  });
});
