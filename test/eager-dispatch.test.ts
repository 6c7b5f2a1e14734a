/**
 * @file The eager fast paths and the backward pass's in-place accumulation: argument preparation's
 * shortcuts give what the general path gives (dtypes, broadcasting, JS numbers), cached scalar
 * constants never reach a user, summing cotangents in place never writes to an array a user or
 * another cotangent holds, and 10⁵ eager `grad` calls leave no memory behind.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { config, currentLevel, grad, jvp, valueAndGrad, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { prepare, prepareBinary, prepareGeneral } from "../src/numpy/broadcast.ts";
import type { ArrayLike, NDArray } from "../src/core/ndarray.ts";
import type { DType } from "../src/core/dtype.ts";
import { property } from "../property-tests/harness.ts";

type A = NDArray;
const snapshot = (x: A) => JSON.stringify(x.toArray());

// ---------------------------------------------------------------- fast paths of prepare

const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

/** An operand: an array of some dtype and shape, a JS number or a boolean. */
const operand = (shape: readonly number[]): fc.Arbitrary<ArrayLike> =>
  fc.oneof(
    fc.constantFrom(...DTYPES).chain((dtype) =>
      fc
        .array(fc.integer({ min: -3, max: 3 }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
        .map((vs) => np.array(vs.map((v) => (dtype === "bool" ? v > 0 : dtype === "int32" ? v : v + 0.25))).astype(dtype).reshape([...shape])),
    ),
    fc.constantFrom(0, -0, 1, 2.5, -7, NaN, Infinity),
    fc.boolean(),
  );

/** Two operand shapes: often equal (the fast path), sometimes broadcasting, sometimes incompatible. */
const shapePair = fc.oneof(
  fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }).map((s) => [s, s] as const),
  fc.constantFrom([[2, 1], [3]] as const, [[], [2, 2]] as const, [[3], [1]] as const, [[2], [3]] as const, [[0], [1]] as const),
);

const describeResult = (f: () => NDArray[]): string => {
  try {
    return JSON.stringify(f().map((x) => [x.dtype, x.shape, x.toArray()]), (_, v) => (Number.isNaN(v) ? "NaN" : Object.is(v, -0) ? "-0" : v));
  } catch (e) {
    return `throws ${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
};

describe("prepare's fast paths agree with the general path", () => {
  it("for every dtype pair, shape pair, JS numbers and booleans, floatOnly or not", () => {
    const cases = shapePair.chain(([s1, s2]) => fc.tuple(operand(s1), operand(s2), fc.boolean()));
    property(cases, 300, ([a, b, floatOnly]) => {
      const want = describeResult(() => prepareGeneral("np.test", [a, b], floatOnly, ["x1", "x2"]));
      expect(describeResult(() => prepare("np.test", [a, b], floatOnly, ["x1", "x2"]))).toBe(want);
      expect(describeResult(() => prepareBinary("np.test", a, b, floatOnly, ["x1", "x2"]))).toBe(want);
      const one = describeResult(() => prepareGeneral("np.test", [a], floatOnly, ["x"]));
      expect(describeResult(() => prepare("np.test", [a], floatOnly, ["x"]))).toBe(one);
    });
  });

  it("gives NumPy's dtypes for mixed operands (weak JS numbers)", () => {
    const i32 = np.array([1, 2], { dtype: "int32" });
    const f32 = np.array([1, 2], { dtype: "float32" });
    const f64 = np.array([1, 2]);
    const b = np.array([true, false]);
    expect(np.add(i32, f64).dtype).toBe("float64");
    expect(np.add(i32, f32).dtype).toBe("float64");
    expect(np.add(f32, f32).dtype).toBe("float32");
    expect(np.add(f32, 1.5).dtype).toBe("float32");
    expect(np.add(1.5, f32).dtype).toBe("float32");
    expect(np.add(i32, 2).dtype).toBe("int32");
    expect(np.add(i32, 2.5).dtype).toBe("float64");
    expect(np.add(b, 1).dtype).toBe("int32");
    expect(np.divide(i32, i32).dtype).toBe("float64");
    expect(np.exp(i32).dtype).toBe("float64");
    expect(np.negative(i32).dtype).toBe("int32");
    // float32 with a number: the number rounded to float32 first, as the general path converts it.
    expect(np.add(np.array([0.1], { dtype: "float32" }), 0.2).item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  it("broadcasts numbers and arrays, and names the operation and shapes when they do not fit", () => {
    expect(np.subtract(1, np.array([[1], [2]])).toArray()).toEqual([[0], [-1]]);
    expect(np.multiply(np.array([[1], [2]]), np.array([1, 10, 100])).toArray()).toEqual([[1, 10, 100], [2, 20, 200]]);
    expect(np.add(np.zeros([2, 0]), 1).shape).toEqual([2, 0]);
    expect(() => np.add(np.ones([2]), np.ones([3]))).toThrow(/np\.add: operands could not be broadcast together with shapes \(2,\) \(3,\)/);
  });

  it("keeps the sign of a zero constant (0 and −0 are not one cached constant)", () => {
    const x = np.array(1.0);
    expect(Object.is(np.multiply(x, 0).item(), 0)).toBe(true);
    expect(Object.is(np.multiply(x, -0).item(), -0)).toBe(true);
    expect(Object.is(np.multiply(x, 0).item(), 0)).toBe(true);
    expect(Number.isNaN(np.add(x, NaN).item())).toBe(true);
  });

  it("never hands a cached constant to the caller", () => {
    // np.positive returns its prepared operand: a number must give a new array every call.
    expect(np.positive(3)).not.toBe(np.positive(3));
    const x = np.array(2.0);
    expect(np.add(x, 1)).not.toBe(np.add(x, 1));
  });

  it("the fast paths work under every transformation", () => {
    const f = (x: A) => np.sum(np.multiply(np.subtract(1, x), np.add(x, 2)).div(3));
    const x = np.array([0.5, -1.5]);
    // d/dx (1 − x)(x + 2)/3 = (−2x − 1)/3
    expect(grad(f)(x)).toBeAllclose(np.array([-2 / 3, 2 / 3]));
    expect(jvp(f, [x], [np.ones([2])])[1]).toBeAllclose(np.array(0));
    expect(vmap(grad(f))(np.stack([x, x.mul(2)]))).toBeAllclose(np.array([[-2 / 3, 2 / 3], [-1, 5 / 3]]));
    expect(grad(grad((v: A) => np.subtract(1, v).mul(v)))(0.3)).toBeCloseTo(-2, 12);
  });
});

// ---------------------------------------------------------------- in-place accumulation

describe("the backward pass sums cotangents in place only in buffers it owns", () => {
  it("fan-out: the gradient is right and no input or closed-over array changes", () => {
    const x = np.array([1, 2, 3]);
    const w = [np.array([1, -1, 2]), np.array([0.5, 0.5, 0.5]), np.array([3, 2, 1]), np.array([-2, 0, 2])];
    const before = [x, ...w].map(snapshot);
    const f = (v: A) => np.sum(w.reduce((acc: A, wi) => acc.add(v.mul(wi)), v.mul(0)));
    const g = grad(f)(x);
    expect(g.toArray()).toEqual([2.5, 1.5, 5.5]);
    expect([x, ...w].map(snapshot)).toEqual(before);
  });

  it("a cotangent shared by two values (add gives its cotangent to both operands) is not written to", () => {
    // x + z (the last use of x, so the first transposed) passes one cotangent array to x and to z;
    // x then gets three more contributions, summed in place in a new array, never in z's.
    const w = np.array([1, 2, 3]);
    const f = (x: A, z: A) => {
      const [a, b, c] = [x.mul(3), x.mul(4), x.mul(5)];
      return np.sum(x.add(z).mul(w).add(a).add(b).add(c));
    };
    const [gx, gz] = grad(f, { argnums: [0, 1] })(np.ones([3]), np.ones([3]));
    expect(gz!.toArray()).toEqual([1, 2, 3]);
    expect(gx!.toArray()).toEqual([13, 14, 15]);
  });

  it("the user's cotangents stay unchanged, also when they meet at one value", () => {
    const x = np.array([1, 2]);
    const [, back] = vjp((v: A) => [v, v, v.mul(2), v] as const, x);
    const cts = [np.array([1, 10]), np.array([100, 1000]), np.array([1, 1]), np.array([5, 5])] as const;
    const before = cts.map(snapshot);
    const [g] = back(cts);
    expect(g.toArray()).toEqual([108, 1017]);
    expect(cts.map(snapshot)).toEqual(before);
    // A second pull-back from the same program sees the same cotangents and gives the same result.
    expect(back(cts)[0].toArray()).toEqual([108, 1017]);
    expect(cts.map(snapshot)).toEqual(before);
  });

  it("a cotangent returned as the gradient is never written to afterwards", () => {
    // f = identity: the gradient is the cotangent itself; then fan-out in a later call.
    const id = grad((v: A) => np.sum(v));
    const g1 = id(np.array([1, 2]));
    const g2 = grad((v: A) => np.sum(v.add(v).add(v).add(v)))(np.array([1, 2]));
    const g3 = id(np.array([1, 2]));
    expect(g1.toArray()).toEqual([1, 1]);
    expect(g2.toArray()).toEqual([4, 4]);
    expect(g3.toArray()).toEqual([1, 1]);
    expect(grad((v: number) => v)(3)).toBe(1);
    const [y, back] = vjp((v: A) => v, np.array([1, 2]));
    const ct = np.array([7, 8]);
    const got = back(ct)[0];
    expect(got.toArray()).toEqual([7, 8]);
    expect(y.toArray()).toEqual([1, 2]);
  });

  it("an output that is also reached through other paths keeps its value", () => {
    // The value h is returned and also feeds three more terms: its own cotangent is a sum.
    const f = (v: A) => {
      const h = v.mul(2);
      return [h, np.sum(h.mul(h)).add(np.sum(h)).add(np.sum(h.mul(3)))] as const;
    };
    const x = np.array([1, -1]);
    const [[h], back] = vjp(f, x);
    const hBefore = snapshot(h);
    const ctH = np.array([1, 1]);
    const [g] = back([ctH, np.array(1)]);
    // d/dv: 2·ct_h + 2·(2h + 1 + 3) = 2 + 2(2·2v + 4)
    expect(g.toArray()).toEqual([2 + 2 * (4 + 4), 2 + 2 * (-4 + 4)]);
    expect(snapshot(h)).toBe(hBefore);
    expect(snapshot(ctH)).toBe("[1,1]");
  });

  it("sums in the primitive's order (the same bits), in float32 too", () => {
    const vals = [0.1, 0.2, 0.3, 1e-17, 0.7];
    for (const dtype of ["float64", "float32"] as const) {
      const x = np.array([1.5], { dtype });
      const f = (v: A) => np.sum(vals.reduce((acc: A, c) => acc.add(v.mul(c)), v.mul(0)));
      const g = grad(f)(x);
      // The backward pass adds contributions in reverse program order: last term first.
      const cs = vals.map((c) => np.array([c], { dtype }));
      const order = [...cs].reverse();
      let want: A = order[0]!;
      for (const c of order.slice(1)) want = np.add(want, c);
      want = np.add(want, np.array([0], { dtype }));
      expect(g.dtype).toBe(dtype);
      expect(g.toArray()).toEqual(want.toArray());
    }
  });

  it("sums in the primitive's order on lengths around multiples of four (float64's four-wide loop and its tail)", () => {
    for (const n of [1, 3, 4, 5, 8, 9, 130]) {
      const x = np.array(Array.from({ length: n }, (_, i) => 1 + i / 7));
      const cs = [0.1, 0.2, 1e-17, 0.7, 3.3].map((c, j) => np.array(Array.from({ length: n }, (_, i) => c * Math.sin(i + j + 1))));
      const g = grad((v: A) => np.sum(cs.reduce((acc: A, c) => acc.add(v.mul(c)), v.mul(0))))(x);
      // The backward pass adds contributions in reverse program order: last term first.
      const order = [...cs].reverse();
      let want: A = order[0]!;
      for (const c of order.slice(1)) want = np.add(want, c);
      want = np.add(want, np.zeros([n]));
      const got = (g.toArray() as number[]).map((v, i) => Object.is(v, (want.toArray() as number[])[i]));
      expect(got.indexOf(false), `length ${n}`).toBe(-1);
    }
  });

  it("higher order, vmap and debugNans see the same sums", () => {
    const f = (v: A) => np.sum(np.sin(v).mul(v).add(v.mul(v)).add(np.cos(v)).add(v.mul(3)));
    const x = np.array([0.3, -0.8]);
    const df = (v: A) => np.cos(v).mul(v).add(np.sin(v)).add(v.mul(2)).sub(np.sin(v)).add(3);
    expect(grad(f)(x)).toBeAllclose(df(x), { rtol: 1e-14 });
    // d²/dv² of the sum's terms: 2cos(v) − v sin(v) + 2 − cos(v)
    const d2 = (v: number) => 2 * Math.cos(v) - v * Math.sin(v) + 2 - Math.cos(v);
    expect(grad((v: number) => np.sum(grad(f)(np.array([v]))))(0.3)).toBeCloseTo(d2(0.3), 12);
    const xs = np.stack([x, x.mul(2)]);
    expect(vmap(grad(f))(xs)).toBeAllclose(np.stack([grad(f)(x), grad(f)(x.mul(2))]), { rtol: 1e-14 });
    config.update("debugNans", true);
    try {
      expect(grad(f)(x)).toBeAllclose(df(x), { rtol: 1e-14 });
    } finally {
      config.update("debugNans", false);
    }
  });
});

// ---------------------------------------------------------------- memory

/** The garbage collector, reachable without `--expose-gc`. */
function gcFunction(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

describe("eager calls leave no memory behind", () => {
  it("10⁵ calls of grad with fresh inputs and constants do not grow the heap", () => {
    const gc = gcFunction();
    // A new JS-number constant every call (they pass through the scalar cache, which must stay bounded).
    const f = (x: A | number) => {
      const e = np.exp(np.negative(x));
      return np.subtract(1, e).div(np.add(1, e)).mul(np.multiply(np.asarray(x), 1 + counter * 1e-6));
    };
    let counter = 0;
    const g = grad(f as (x: number) => A);
    const vg = valueAndGrad(f as (x: number) => A);
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        counter = i;
        g(i * 1e-5);
        if (i % 16 === 0) vg(i * 1e-5);
      }
    };
    run(10_000);
    gc();
    gc();
    const before = process.memoryUsage();
    run(100_000);
    gc();
    gc();
    const after = process.memoryUsage();
    const grown = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
    expect(currentLevel()).toBe(0);
    // A leak of one small object per call would be > 3 MB here.
    expect(grown).toBeLessThan(2e6);
  });
});
