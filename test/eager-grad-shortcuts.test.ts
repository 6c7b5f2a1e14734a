/**
 * @file The shortcuts of eager reverse mode give the general path's results bit for bit and are
 * not taken where they must not be: the backward pass transposing neg/add/sub/mul/div without
 * their rules (`transposeDirect`), the JVP level running a kernel without `bind`, and the linear
 * recorder taking an elementwise output's aval from an operand instead of `abstractEval`.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { bind1, config, definePrimitive, grad, jit, jvp, vjp, vmap, type NDArray, type Primitive } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { negP } from "../src/primitives/unary.ts";
import { add, addP, divP, fullLike, mul, mulP, sub, subP } from "../src/primitives/binary.ts";
import { linearizeFlat } from "../src/interpreters/linearize.ts";
import { setPoolMinBytes } from "../src/core/pool.ts";
import { FloatingPointError } from "../src/core/errors.ts";
import { numRuns, seed } from "../property-tests/config.ts";

type A = NDArray;
type Empty = Record<string, never>;

afterEach(() => {
  config.update("debugNans", false);
  vi.restoreAllMocks();
});

/** Every element of `a` and `b` the same value, `-0` and NaN included (`Object.is`); complex arrays part by part. */
function sameBits(a: A, b: A): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  if (a.dtype === "complex128" || a.dtype === "complex64") {
    sameBits(np.real(a), np.real(b));
    sameBits(np.imag(a), np.imag(b));
    return;
  }
  const x = np.ravel(a).toArray() as number[];
  const y = np.ravel(b).toArray() as number[];
  x.forEach((v, i) => expect(Object.is(v, y[i]), `element ${i}: ${v} vs ${y[i]}`).toBe(true));
}

/** `grad(f)(x)` with a transformation active around it (a `jvp` of an unrelated function), so every shortcut is off. */
function gradUnderJvp(f: (x: A) => A, x: A): A {
  let inner: A | null = null;
  jvp((y: A) => ((inner = grad(f)(x) as A), y), [np.array(1)], [np.array(1)]);
  return inner!;
}

/**
 * `grad(f)(x)` with the checking `bind` (debugNans), which turns the shortcuts off too; `null`
 * where a primitive made a NaN (which that mode reports instead of a result).
 */
function gradChecking(f: (x: A) => A, x: A): A | null {
  config.update("debugNans", true);
  try {
    return grad(f)(x) as A;
  } catch (e) {
    if (e instanceof FloatingPointError) return null;
    throw e;
  } finally {
    config.update("debugNans", false);
  }
}

/** A one-operand primitive with kernel `impl` and the JVP rule `tangent` (of the tangent alone): rules under test. */
function unaryWithRule(name: string, impl: (x: A) => A, tangent: (t: A) => A): Primitive<Empty> {
  const p: Primitive<Empty> = definePrimitive<Empty>({
    name,
    impl: ([x]) => [impl(x!) as never],
    abstractEval: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
    jvp: (_, [t]) => [tangent(t!)],
    transpose: "nonlinear",
    batch: ([x], [d]) => [[bind1(p, [x!], {})], [d!]],
  });
  return p;
}

// The numpy functions record no `sub` on tangents (sub's JVP records neg and add): a primitive
// whose JVP rule does, with both operands unknown and with a known one on either side
// (d(2x) = (3t − t) + (0 − t) + (t − 0)).
const twiceP = unaryWithRule("twiceViaSub", (x) => np.multiply(x, 2), (t) =>
  add(add(sub(mul(t, fullLike(t, 3)), t), sub(fullLike(t, 0), t)), sub(t, fullLike(t, 0))),
);

// Functions using every transposed form: neg, add and sub with the unknown first or second, mul and
// div by a known value on either side, and a cotangent summed from several uses.
const fns: [string, (c: A) => (x: A) => A][] = [
  ["tanh via exp (W1)", () => (x) => {
    const e = np.exp(np.negative(x));
    return np.sum(np.subtract(1, e).div(np.add(1, e)));
  }],
  ["neg, add and sub both ways", (c) => (x) => np.sum(np.subtract(c, np.negative(x)).add(x.sub(c)).add(c.add(x.mul(x))))],
  ["mul and div by a known value both sides", (c) => (x) => np.sum(c.mul(x).div(c).add(x.mul(c)).sub(np.sin(x).div(c)))],
  // An owned cotangent (neg's result, computed in place) shared by add's transpose between two
  // unknowns: neither may then be transposed in place.
  ["a shared cotangent after in-place work", (c) => (x) => np.sum(np.negative(x.mul(c).add(x.mul(c.add(1)))).mul(c).div(c))],
  ["sub recorded on tangents", (c) => (x) => np.sum(bind1(twiceP, [x.mul(c)], {}).mul(np.sin(x)))],
  ["float32", (c) => (x) => np.sum(np.subtract(c.astype("float32"), np.negative(x.astype("float32"))).mul(x.astype("float32")).div(c.astype("float32")))],
];

const values = fc.double({ noNaN: false, min: -1e6, max: 1e6 }).map((v) => (v === 0 ? -0 : v));

describe("the backward pass's direct transposes", () => {
  it.each(fns)("%s: the same bits as the rules (with a transformation active, and with the checking bind)", (_, make) => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 5 }), fc.array(fc.double({ min: 0.5, max: 4, noNaN: true }), { minLength: 5, maxLength: 5 }), (xs, cs) => {
        const x = np.array(xs);
        const c = np.array(cs.slice(0, xs.length));
        const f = make(c);
        const fast = grad(f)(x) as A;
        sameBits(fast, gradUnderJvp(f, x));
        const checked = gradChecking(f, x);
        if (checked !== null) sameBits(fast, checked);
      }),
      { numRuns: numRuns(60), ...(seed === undefined ? {} : { seed }) },
    );
  });

  it("writes in place only into its own arrays: constants, primals and the cotangent are unchanged", () => {
    const c = np.array([0.5, 2, -3]);
    const x = np.array([1, -2, 0.25]);
    const ct = np.array([1, 2, 3]);
    const f = (z: A) => np.negative(z.mul(c)).div(c).mul(z);
    const [y, back] = vjp(f, x);
    const yBefore = y.toArray();
    const g1 = back(ct)[0] as A;
    const g2 = back(ct)[0] as A;
    expect(c.toArray()).toEqual([0.5, 2, -3]);
    expect(x.toArray()).toEqual([1, -2, 0.25]);
    expect(ct.toArray()).toEqual([1, 2, 3]);
    expect(y.toArray()).toEqual(yBefore);
    // Two calls give separate arrays with the same bits (the first is not written by the second).
    expect(g1).not.toBe(g2);
    sameBits(g1, g2);
    // d/dz (−z² c / c) = −2z
    expect(g1.toArray()).toEqual([-2, 4, -0.5].map((v, i) => v * [1, 2, 3][i]!));
  });

  it("a scalar W1 at special points, against the rules", () => {
    const f = fns[0]![1](np.array(0));
    for (const v of [1, 0, -0, 1e-310, -800, 800, NaN, Infinity, -Infinity]) {
      const x = np.array(v);
      sameBits(grad(f)(x) as A, gradUnderJvp(f, x));
    }
  });

  it("vjp with a user cotangent: the cotangent is never written, and the result is the rules'", () => {
    const ct = np.array([2, -0, 3]);
    const f = (x: A) => np.negative(x).mul(np.array([1, 2, 3])).sub(x);
    const [, back] = vjp(f, np.array([1, 2, 3]));
    const g = back(ct)[0] as A;
    expect(ct.toArray()).toEqual([2, -0, 3]);
    let inner: A | null = null;
    jvp((y: A) => ((inner = back(ct)[0] as A), y), [np.array(1)], [np.array(1)]);
    sameBits(g, inner!);
  });

  it("is taken only eagerly: under vmap, jit, forward over reverse and the checking bind the rules run", () => {
    const calls = { neg: 0, add: 0, sub: 0, mul: 0, div: 0 };
    for (const [name, p] of [["neg", negP], ["add", addP], ["sub", subP], ["mul", mulP], ["div", divP]] as const) {
      const rule = p.transpose;
      if (rule === "nonlinear") throw new Error(`${name} has no transpose`);
      // The records are plain objects: their rule is replaced by a counting one for this test.
      vi.spyOn(p as unknown as { transpose: typeof rule }, "transpose").mockImplementation((...a) => {
        calls[name]++;
        return rule(...a);
      });
    }
    const f = fns[0]![1](np.array(0));
    const reset = () => Object.keys(calls).forEach((k) => (calls[k as keyof typeof calls] = 0));
    const total = () => Object.values(calls).reduce((a, b) => a + b, 0);
    const eager = grad(f)(np.array(0.3)) as A;
    expect(total()).toBe(0);
    reset();
    sameBits(vmap(grad(f))(np.array([0.3, 0.4])).get(0), eager);
    expect(calls).toEqual({ neg: 3, add: 1, sub: 0, mul: 2, div: 1 });
    reset();
    // jit compiles the program: the same value, not necessarily the same bits.
    expect(jit(grad(f))(np.array(0.3)).item()).toBeCloseTo(eager.item(), 14);
    expect(total()).toBeGreaterThan(0);
    reset();
    jvp(grad(f), [np.array(0.3)], [np.array(1)]);
    expect(total()).toBeGreaterThan(0);
    reset();
    sameBits(gradChecking(f, np.array(0.3))!, eager);
    expect(calls).toEqual({ neg: 3, add: 1, sub: 0, mul: 2, div: 1 });
  });

  it("a mul or div of two unknowns is left to the rules, which reject it", () => {
    // A (wrong) JVP rule that multiplies two tangents: not linear, so the backward pass must fail.
    const sqP = unaryWithRule("badSquare", (x) => np.multiply(x, x), (t) => t.mul(t));
    expect(() => grad((x: A) => bind1(sqP, [x], {}))(2)).toThrow(/tracer from a transformation that has already finished/);
    const quotP = unaryWithRule("badQuotient", (x) => np.divide(x, x), (t) => t.div(t));
    expect(() => grad((x: A) => bind1(quotP, [x], {}))(2)).toThrow(/div: the divisor is linear in a transpose/);
  });

  it("large arrays through the pool: the same bits, and no buffer the result uses is reused", () => {
    const prev = setPoolMinBytes(64);
    try {
      const c = np.linspace(0.5, 2, 40);
      const f = fns[2]![1](c);
      const x = np.linspace(-3, 3, 40);
      const g1 = grad(f)(x) as A;
      const copy = np.array(g1.toArray() as number[]);
      const g2 = grad(f)(np.linspace(3, -3, 40)) as A;
      sameBits(g1, copy);
      sameBits(g1, gradUnderJvp(f, x));
      expect(g2.shape).toEqual([40]);
    } finally {
      setPoolMinBytes(prev);
    }
  });
});

describe("the JVP level's kernel call without bind", () => {
  it("under the checking bind a NaN made by a primal computation under grad is still caught", () => {
    config.update("debugNans", true);
    expect(() => grad((x: A) => np.sum(np.log(x)))(np.array([-1, 2]))).toThrow(/NaN/);
  });

  it("primals that are tracers of an outer level go through bind (vmap of grad against a loop)", () => {
    const f = fns[1]![1](np.array([2, 3]));
    const xs = np.array([[0.5, -1], [1.5, 2]]);
    const batched = vmap(grad(f))(xs);
    sameBits(batched.get(0), grad(f)(xs.get(0)) as A);
    sameBits(batched.get(1), grad(f)(xs.get(1)) as A);
  });
});

describe("the linear recorder's avals", () => {
  it("an elementwise output's aval is what abstractEval gives, and is shared with an operand", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const lin = linearizeFlat(([x]) => [np.negative(x!).mul(x!).add(np.exp(x!))], [np.ones([2, 3], { dtype })]);
      for (const eqn of lin.program.eqns) {
        const want = eqn.prim.abstractEval(eqn.inputs, eqn.params);
        expect(eqn.outs.map((v) => ({ shape: [...v.aval.shape], dtype: v.aval.dtype }))).toEqual(want.map((a) => ({ shape: [...a.shape], dtype: a.dtype })));
        expect(eqn.outs[0]!.aval instanceof np.NDArray).toBe(false);
      }
    }
  });

  it("operands of different shapes still reach abstractEval and its error", () => {
    // A linear primitive whose JVP forgets to broadcast its tangent against a known operand.
    const badP = unaryWithRule("badScale", (x) => np.multiply(x, 2), (t) => bind1(mulP, [t, np.array([1, 2, 3])], {}));
    expect(() => grad((x: A) => np.sum(bind1(badP, [x], {})))(np.array([1, 2]))).toThrow(/mul: elementwise operands must have one shape, got \(2,\), \(3,\)/);
    // Mixed dtypes go to abstractEval too (which keeps the first operand's).
    const lin = linearizeFlat(([x]) => [bind1(mulP, [x!, np.array(2, { dtype: "float32" })], {})], [np.array(1)]);
    expect(lin.program.eqns[0]!.outs[0]!.aval).toEqual({ shape: [], dtype: "float64" });
  });

  it("complex tangents take abstractEval (the rules' results are unchanged)", () => {
    const z = np.complex(0.5, 0.25);
    const f = (x: A) => np.real(np.negative(x).mul(x).sub(x));
    const lin = linearizeFlat(([x]) => [np.negative(x!).mul(x!)], [z]);
    expect(lin.program.eqns.every((e) => e.outs[0]!.aval.dtype === "complex128")).toBe(true);
    sameBits(grad(f)(z) as A, gradUnderJvp(f, z));
  });
});
