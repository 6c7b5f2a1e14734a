/**
 * @file The shortcuts of eager `grad`'s dispatch keep the general path's behaviour: the JVP and
 * linear traces read their arguments without wrapping them (`Trace.applyPrimitive`) and still
 * reject a tracer of a finished transformation with the same errors; one-operand preparation
 * agrees with `prepare`; number leaves become arrays with the same error names; the linear
 * program keeps no array as an abstract value; `NDArray`'s method table is not a dictionary.
 */
import { describe, expect, it } from "vitest";
import { setFlagsFromString } from "node:v8";
import { bind1, definePrimitive, grad, jvp, vmap, type NDArray, type Primitive } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { methods, type ArrayLike } from "../src/core/ndarray.ts";
import { TracerConversionError } from "../src/core/errors.ts";
import { prepare, prepareOne } from "../src/numpy/broadcast.ts";
import { linearizeFlat } from "../src/interpreters/linearize.ts";
import { isUndefinedPrimal } from "../src/core/primitive.ts";

type A = NDArray;

/** The error `f` throws, as its class name and message. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
  return "no error";
}

describe("a tracer of a finished transformation meeting a live one", () => {
  it("in forward mode (grad's JVP level): the finished one first or second", () => {
    let leaked: A | null = null;
    grad((x: A) => {
      leaked = x;
      return x;
    })(1);
    // The live tracer first: its level interprets, and cannot raise the finished one of the same level.
    expect(thrown(() => grad((x: A) => x.mul(leaked!))(2))).toBe(
      "TracerConversionError: internal: a tracer of level 1 met level 1 (a transformation's value escaped its scope)",
    );
    // The finished one first: its level is no longer on the stack.
    expect(thrown(() => grad((x: A) => leaked!.mul(x))(2))).toMatch(
      /^TracerConversionError: mul: an argument is a tracer from a transformation that has already finished/,
    );
  });

  it("in the linear program (a tangent kept by a JVP rule)", () => {
    let leaked: A | null = null;
    let useLeaked: "first" | "second" | null = null;
    // A linear primitive whose JVP rule stashes its tangent, or combines it with the stashed one.
    const scaleP: Primitive<Record<string, never>> = definePrimitive<Record<string, never>>({
      name: "scaleTwice",
      impl: ([x]) => [np.multiply(x!, 2) as never],
      abstractEval: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
      jvp: (_, [t]) => {
        if (useLeaked === null) {
          leaked = t!;
          return [bind1(scaleP, [t!], {})];
        }
        return [useLeaked === "first" ? leaked!.add(t!) : t!.add(leaked!)];
      },
      transpose: ([ct]) => [bind1(scaleP, [ct!], {})],
      batch: ([x], [d]) => [[bind1(scaleP, [x!], {})], [d!]],
    });
    const f = (x: A) => bind1(scaleP, [x], {});
    expect(grad(f)(1)).toBe(2);
    useLeaked = "second";
    expect(thrown(() => grad(f)(1))).toBe(
      "TracerConversionError: internal: a tracer of level 0 met level 0 (a transformation's value escaped its scope)",
    );
    useLeaked = "first";
    expect(thrown(() => grad(f)(1))).toMatch(/^TracerConversionError: add: an argument is a tracer from a transformation that has already finished/);
  });

  it("a live tracer of an inner level is never raised into an outer one", () => {
    // jvp inside grad: the inner level's tracers reach the outer level only through its outputs.
    // d/dx [cos(x)·x] = cos x − x sin x
    const g = grad((x: A) => jvp((y: A) => np.sin(y).mul(x), [x], [np.array(1)])[1]);
    expect(g(0.5)).toBeCloseTo(Math.cos(0.5) - 0.5 * Math.sin(0.5), 12);
  });
});

describe("the traces' own reading of their arguments gives what wrapping them gave", () => {
  it("constants, outer tracers and this level's tracers in one primitive, at every order", () => {
    const x0 = 0.7;
    // JS numbers and arrays (constants of the JVP level), a vmap tracer outside grad, grad's own tracer.
    const f = (c: A) => (x: A) => np.add(np.multiply(x, c), np.subtract(np.multiply(c, 2), x)).mul(x);
    const direct = vmap((c: A) => grad(f(c))(x0))(np.array([1, 2, 3]));
    const loop = [1, 2, 3].map((c) => grad(f(np.array(c)))(x0) as number);
    expect(direct.toArray()).toEqual(loop);
    // d/dx [(x c + 2c − x) x] = 2 x c + 2c − 2x
    [1, 2, 3].forEach((c, i) => expect(loop[i]).toBeCloseTo(2 * x0 * c + 2 * c - 2 * x0, 12));
  });

  it("the linear program records the arrays it is given, and abstract values that are not arrays", () => {
    const lin = linearizeFlat(([x]) => [np.exp(x!).mul(np.array(3))], [np.array(0.5)]);
    expect(lin.program.eqns.map((e) => e.prim.name)).toEqual(["mul", "mul"]);
    for (const eqn of lin.program.eqns) {
      for (const v of eqn.outs) {
        expect(v.aval instanceof np.NDArray).toBe(false);
        expect(v.aval).toEqual({ shape: [], dtype: "float64" });
      }
      // Each equation has one unknown input and one known (an array, not a wrapper).
      expect(eqn.inputs.filter((i) => isUndefinedPrimal(i)).length).toBe(1);
      expect(eqn.inputs.filter((i) => !isUndefinedPrimal(i)).every((i) => i.constructor.name === "ConcreteArray")).toBe(true);
    }
  });

  it("a primitive whose abstractEval returns its operand: the variable does not keep the array", () => {
    const idP: Primitive<Record<string, never>> = definePrimitive<Record<string, never>>({
      name: "linearId",
      impl: ([x]) => [x!],
      abstractEval: ([x]) => [x!],
      jvp: (_, [t]) => [bind1(idP, [t!], {})],
      transpose: ([ct]) => [ct!],
      batch: ([x], [d]) => [[x!], [d!]],
    });
    const lin = linearizeFlat(([x]) => [bind1(idP, [x!], {})], [np.array([1, 2])]);
    const out = lin.program.eqns[0]!.outs[0]!;
    expect(out.aval instanceof np.NDArray).toBe(false);
    expect(out.aval).toEqual({ shape: [2], dtype: "float64" });
    expect(grad((x: A) => np.sum(bind1(idP, [x], {})))(np.array([1, 2])).toArray()).toEqual([1, 1]);
  });
});

describe("one-operand preparation", () => {
  const operands: ArrayLike[] = [
    np.array([1.5, 2]),
    np.array([1, 2], { dtype: "int32" }),
    np.array([true, false]),
    np.array([1, 2], { dtype: "float32" }),
    np.complex(1, 2),
    3,
    -0,
    true,
    [1, 2],
    [[1], [2]],
    new Float32Array([1, 2]),
  ];
  it.each(operands.map((x, i) => [i, x] as const))("operand %i agrees with prepare, floatOnly or not", (_, x) => {
    for (const floatOnly of [false, true]) {
      const a = prepareOne("np.test", x, floatOnly, ["x"]);
      const b = prepare("np.test", [x], floatOnly, ["x"])[0]!;
      expect([a.dtype, a.shape, a.toArray()]).toEqual([b.dtype, b.shape, b.toArray()]);
      if (x instanceof np.NDArray) expect(a === x).toBe(b === x);
    }
  });
  it("a bad operand names the function and the argument", () => {
    expect(thrown(() => np.exp("a" as never))).toBe(thrown(() => prepare("np.exp", ["a" as never], true, ["x"])));
    expect(thrown(() => np.exp("a" as never))).toMatch(/^TypeError: np\.exp: argument x must be/);
  });
});

describe("leaves given as JS values", () => {
  it("numbers become arrays; the errors for other values are unchanged", () => {
    expect(grad((x: A) => x.mul(x))(3)).toBe(6);
    expect(jvp((x: A, y: A) => x.mul(y), [2, 5], [1, 0])[1].item()).toBe(5);
    // The messages main gave before this change (checked by running the same calls on both).
    const cases: [() => unknown, string][] = [
      [() => grad((x: A) => x)("a" as never), "TypeError: grad: argument [0] is string; trees hold numbers, booleans, NDArrays, JS arrays, plain objects, registered classes (tree.registerNode), null and undefined"],
      [() => grad((_x: A) => "y" as never)(1), "TypeError: tree: the value is string; trees hold numbers, booleans, NDArrays, JS arrays, plain objects, registered classes (tree.registerNode), null and undefined"],
      [() => grad((_x: A) => undefined as never)(1), "ShapeError: grad: the function must return a scalar (one element), but it returned 0 values (). For non-scalar outputs use jacrev/jacobian, elementwiseGrad, or vjp."],
      [() => jvp((x: A) => x, [1], [undefined as never]), "TypeError: jvp: primals and tangents must have the same tree structure"],
      [() => grad((x: A) => x)(true as never), "TypeError: grad: can only differentiate with respect to float or complex arrays, but input leaf 0 has dtype bool (shape ()); convert it with .astype('float64') or pass it as a non-differentiated argument"],
    ];
    for (const [f, want] of cases) expect(thrown(f)).toBe(want);
  });
});

describe("NDArray's method table", () => {
  it("is an object with fast properties (not a dictionary looked up by name at each method call)", () => {
    setFlagsFromString("--allow-natives-syntax");
    const hasFastProperties = new Function("o", "return %HasFastProperties(o)") as (o: object) => boolean;
    expect(Object.keys(methods).length).toBeGreaterThan(40);
    expect(hasFastProperties(methods)).toBe(true);
  });
});

it("the checks stay errors under the shortcuts: a tracer escaping into a later eager call", () => {
  let leaked: A | null = null;
  grad((x: A) => {
    leaked = x;
    return x;
  })(1);
  expect(() => np.sin(leaked!)).toThrow(TracerConversionError);
});

describe("a level's own tracers are made by its one trace object", () => {
  it("a tracer of the live level made by another trace object is an internal error, not a constant", () => {
    let caught = "no error";
    grad((x: A) => {
      const tracer = x as unknown as { trace: { main: unknown; constructor: new (main: unknown) => unknown }; primal: A; tangent: A | null };
      const Trace = tracer.trace.constructor;
      const Tracer = (x as object).constructor as new (trace: unknown, primal: A, tangent: A | null) => A;
      const stray = new Tracer(new Trace(tracer.trace.main), tracer.primal, tracer.tangent);
      caught = thrown(() => x.mul(stray));
      return x;
    })(1);
    expect(caught).toBe("TracerConversionError: internal: a tracer of level 1 not made by its level's trace");
  });
});
