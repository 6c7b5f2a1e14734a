/**
 * @file The compiler's passes, each shown on a small program before and after (printed), checked to
 * compute the same values, and recursing into the sub-jaxprs of control flow.
 */
import { describe, expect, it } from "vitest";
import { grad, lax, stopGradient, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { ConcreteArray } from "../src/core/ndarray.ts";
import { ClosedJaxpr, countEqns, evalJaxpr, Jaxpr, JaxprVar, type JaxprEqn } from "../src/core/jaxpr.ts";
import { definePrimitive, type Primitive } from "../src/core/primitive.ts";
import { expP } from "../src/primitives/unary.ts";
import { addP } from "../src/primitives/binary.ts";
import { broadcastInDimP } from "../src/primitives/structural.ts";
import { cse, dce, fold, optimize, simplify } from "../src/compiler/index.ts";
import { FOLD_MAX_ELEMENTS } from "../src/compiler/fold.ts";
import { paramsKey } from "../src/compiler/rewrite.ts";
import { staged } from "./compiler-helpers.ts";

type A = np.NDArray;
const lines = (...ls: string[]) => ls.join("\n");
const sameValues = (a: ClosedJaxpr, b: ClosedJaxpr, args: A[]) => {
  const [x, y] = [evalJaxpr(a, args), evalJaxpr(b, args)];
  expect(y.length).toBe(x.length);
  x.forEach((v, i) => expect(y[i]).toBeAllclose(v, { rtol: 0, atol: 0 }));
};
const P = (p: Primitive<never>) => p as unknown as JaxprEqn["prim"];

describe("dce", () => {
  it("drops equations no output needs, and the constants they read", () => {
    const c = np.array([1, 2]);
    const before = staged((x: A) => [np.exp(x.add(c)), np.sin(x)][1]!, np.ones([2]));
    // stageFlat already removes dead code; build a program with a dead equation by hand.
    const x = new JaxprVar({ shape: [2], dtype: "float64" }, 0);
    const k = new JaxprVar({ shape: [2], dtype: "float64" }, 1);
    const dead = new JaxprVar({ shape: [2], dtype: "float64" }, 2);
    const live = new JaxprVar({ shape: [2], dtype: "float64" }, 3);
    const j = new ClosedJaxpr(
      new Jaxpr([k], [x], [{ prim: P(addP), inputs: [x, k], params: {}, outs: [dead] }, { prim: P(expP), inputs: [x], params: {}, outs: [live] }], [live], 4),
      [c],
    );
    expect(String(j)).toBe(lines("{ lambda a:f64[2]; b:f64[2]. let", "    c:f64[2] = add b a", "    d:f64[2] = exp b", "  in (d) }"));
    const after = dce(j);
    expect(String(after)).toBe(lines("{ lambda ; a:f64[2]. let", "    b:f64[2] = exp a", "  in (b) }"));
    expect(after.consts).toEqual([]);
    sameValues(j, after, [np.array([0.5, -1])]);
    expect(countEqns(dce(before).jaxpr)).toBe(countEqns(before.jaxpr));
  });
});

describe("cse", () => {
  it("merges repeated equations, also with commuted operands of add and mul", () => {
    const before = staged((x: A) => np.add(np.sin(x), np.multiply(np.sin(x), np.sin(x))), np.ones([2]));
    expect(String(before)).toBe(
      lines(
        "{ lambda ; a:f64[2]. let",
        "    b:f64[2] = sin a",
        "    c:f64[2] = sin a",
        "    d:f64[2] = sin a",
        "    e:f64[2] = mul c d",
        "    f:f64[2] = add b e",
        "  in (f) }",
      ),
    );
    const after = cse(before);
    expect(String(after)).toBe(lines("{ lambda ; a:f64[2]. let", "    b:f64[2] = sin a", "    c:f64[2] = mul b b", "    d:f64[2] = add b c", "  in (d) }"));
    sameValues(before, after, [np.array([0.3, -2])]);
    const commuted = staged((x: A, y: A) => np.subtract(x.mul(y), y.mul(x)), np.ones([2]), np.ones([2]));
    expect(cse(commuted).jaxpr.eqns.length).toBe(2);
    // sub does not commute
    expect(cse(staged((x: A, y: A) => np.add(x.sub(y), y.sub(x)), np.ones([2]), np.ones([2]))).jaxpr.eqns.length).toBe(3);
  });
  it("keeps equations whose params differ, and merges small constants of equal contents", () => {
    const before = staged((x: A) => np.add(np.sum(x, { axis: 0 }), np.sum(x, { axis: 1 })), np.ones([3, 3]));
    expect(cse(before).jaxpr.eqns.length).toBe(3);
    const c1 = np.array([1, 2]);
    const c2 = np.array([1, 2]);
    const two = staged((x: A) => x.mul(c1).add(x.mul(c2)), np.ones([2]));
    expect(two.consts.length).toBe(2);
    const merged = dce(cse(two));
    expect(String(merged)).toBe(lines("{ lambda a:f64[2]; b:f64[2]. let", "    c:f64[2] = mul b a", "    d:f64[2] = add c c", "  in (d) }"));
  });
  it("compares params structurally: numbers by Object.is, arrays by entries, objects with data and functions by identity", () => {
    expect(paramsKey({ axes: [0, 1], k: 2 })).toBe(paramsKey({ k: 2, axes: [0, 1] }));
    expect(paramsKey({ axes: [0, 1] })).not.toBe(paramsKey({ axes: [1, 0] }));
    expect(paramsKey({ v: NaN })).toBe(paramsKey({ v: NaN }));
    expect(paramsKey({ v: -0 })).not.toBe(paramsKey({ v: 0 }));
    expect(paramsKey({ f: () => 1 })).not.toBe(paramsKey({ f: () => 1 }));
    const g = () => 1;
    expect(paramsKey({ f: g })).toBe(paramsKey({ f: g }));
    const a = np.array([1]);
    expect(paramsKey({ a })).not.toBe(paramsKey({ a: np.array([1]) }));
    expect(paramsKey({ a })).toBe(paramsKey({ a }));
    const j = staged((x: A) => np.sin(x), np.ones([1]));
    expect(paramsKey({ j })).not.toBe(paramsKey({ j: staged((x: A) => np.sin(x), np.ones([1])) }));
  });
});

describe("fold", () => {
  const f64 = (shape: number[], id: number) => new JaxprVar({ shape, dtype: "float64" }, id);
  /** `x + exp(c)` for a constant `c`, as a hand-built program (staging would fold it eagerly). */
  const program = (c: ConcreteArray) => {
    const [x, k, e, out] = [f64([...c.shape], 0), f64([...c.shape], 1), f64([...c.shape], 2), f64([...c.shape], 3)];
    return new ClosedJaxpr(
      new Jaxpr(
        [k],
        [x],
        [
          { prim: P(expP), inputs: [k], params: {}, outs: [e] },
          { prim: P(addP), inputs: [x, e], params: {}, outs: [out] },
        ],
        [out],
        4,
      ),
      [c],
    );
  };
  it("runs equations on constants at compile time", () => {
    const before = program(np.array([1, 2]) as ConcreteArray);
    expect(String(before)).toBe(lines("{ lambda a:f64[2]; b:f64[2]. let", "    c:f64[2] = exp a", "    d:f64[2] = add b c", "  in (d) }"));
    const after = dce(fold(before));
    expect(String(after)).toBe(lines("{ lambda a:f64[2]; b:f64[2]. let", "    c:f64[2] = add b a", "  in (c) }"));
    expect(after.consts[0]).toBeAllclose(np.exp(np.array([1, 2])), { rtol: 0, atol: 0 });
    sameValues(before, after, [np.array([3, 4])]);
  });
  it("does not copy a large constant, but folds a large splat as one number", () => {
    const n = FOLD_MAX_ELEMENTS + 1;
    const big = program(np.arange(n) as ConcreteArray);
    expect(dce(fold(big)).jaxpr.eqns.length).toBe(2);
    const splat = program(np.full([n], 0.5) as ConcreteArray);
    const after = optimize(splat);
    expect(String(after)).toBe(
      lines(`{ lambda a:f64[]; b:f64[${n}]. let`, `    c:f64[${n}] = broadcastInDim[shape=[${n}] dims=[]] a`, `    d:f64[${n}] = add b c`, "  in (d) }"),
    );
    expect(after.consts[0]!.toArray()).toBe(Math.exp(0.5));
    sameValues(splat, after, [np.linspace(0, 1, n)]);
  });
  it("leaves an equation whose kernel throws for run time", () => {
    const throwing = definePrimitive<Record<string, never>>({
      name: "throws",
      impl: () => {
        throw new RangeError("throws: always");
      },
      abstractEval: ([x]) => [x!],
      jvp: () => [null],
      transpose: "nonlinear",
      batch: () => {
        throw new Error("unused");
      },
    });
    const [x, k, out] = [f64([2], 0), f64([2], 1), f64([2], 2)];
    const bad = new ClosedJaxpr(new Jaxpr([k], [x], [{ prim: P(throwing), inputs: [k], params: {}, outs: [out] }], [out], 3), [np.array([1, 2])]);
    expect(fold(bad).jaxpr.eqns.length).toBe(1);
    expect(() => evalJaxpr(fold(bad), [np.ones([2])])).toThrow(/throws: always/);
  });
});

describe("simplify", () => {
  it("removes ·1, +0, transpose of transpose, reshape chains; splat constants become scalars", () => {
    const before = staged((x: A) => np.transpose(np.transpose(np.add(np.multiply(x, 1), 0))).reshape(6).reshape(3, 2), np.ones([2, 3]));
    expect(String(before)).toBe(
      lines(
        "{ lambda a:f64[2,3] b:f64[2,3]; c:f64[2,3]. let",
        "    d:f64[2,3] = mul c a",
        "    e:f64[2,3] = add d b",
        "    f:f64[3,2] = transpose[perm=[1,0]] e",
        "    g:f64[2,3] = transpose[perm=[1,0]] f",
        "    h:f64[6] = reshape[shape=[6]] g",
        "    i:f64[3,2] = reshape[shape=[3,2]] h",
        "  in (i) }",
      ),
    );
    const after = dce(simplify(before));
    expect(String(after)).toBe(lines("{ lambda ; a:f64[2,3]. let", "    b:f64[3,2] = reshape[shape=[3,2]] a", "  in (b) }"));
    sameValues(before, after, [np.array([[1, -2, 3], [0.5, NaN, -Infinity]])]);
  });
  it("turns the sum of broadcast zeros into zero, and what AD leaves of tanh's gradient into 1 − tanh²", () => {
    const before = staged((x: A) => np.add(x, np.sum(np.broadcastTo(np.zeros([3]), [4, 3]), { axis: 0 })), np.ones([3]));
    expect(String(optimize(before))).toBe(lines("{ lambda ; a:f64[3]. let", "  in (a) }"));
    const g = staged(grad((x: A) => np.sum(np.tanh(x))), np.ones([3]));
    expect(String(g)).toBe(
      lines(
        "{ lambda a:f64[3] b:f64[3]; c:f64[3]. let",
        "    d:f64[3] = tanh c",
        "    e:f64[3] = mul d d",
        "    f:f64[3] = sub a e",
        "    g:f64[3] = mul b f",
        "  in (g) }",
      ),
    );
    const after = optimize(g);
    expect(String(after)).toBe(
      lines(
        "{ lambda a:f64[]; b:f64[3]. let",
        "    c:f64[3] = broadcastInDim[shape=[3] dims=[]] a",
        "    d:f64[3] = tanh b",
        "    e:f64[3] = mul d d",
        "    f:f64[3] = sub c e",
        "  in (f) }",
      ),
    );
    sameValues(g, after, [np.array([0.1, -3, NaN])]);
  });
  it("keeps x·0 for floats (NaN·0 is NaN) and folds it for integers", () => {
    const float = staged((x: A) => np.multiply(x, np.zeros([2])), np.ones([2]));
    const fo = optimize(float);
    expect(fo.jaxpr.eqns.map((e) => e.prim.name)).toContain("mul");
    expect(evalJaxpr(fo, [np.array([NaN, Infinity])])[0]!.toArray()).toEqual([NaN, NaN]);
    const int = staged((x: A) => np.multiply(x, np.zeros([2], { dtype: "int32" })), np.ones([2], { dtype: "int32" }));
    expect(optimize(int).jaxpr.eqns.map((e) => e.prim.name)).toEqual(["broadcastInDim"]);
  });
});

describe("the pipeline", () => {
  it("recurses into the sub-jaxprs of control flow", () => {
    const f = (x: A) => lax.cond(np.sum(x).gt(0), (y: A) => np.sin(y).add(np.sin(y)).mul(1), (y: A) => np.transpose(np.transpose(y)), x);
    const before = staged(f, np.ones([2, 2]));
    const after = optimize(before);
    expect(countEqns(after.jaxpr)).toBeLessThan(countEqns(before.jaxpr));
    expect(String(after)).toContain("cond[branches=(");
    expect(String(after)).not.toContain("transpose");
    for (const x of [np.array([[1, 2], [3, 4]]), np.array([[-1, -2], [-3, 0.5]])]) sameValues(before, after, [x]);
    const s = staged((x: A) => lax.scan((c: A, xi: A) => [c.add(np.exp(xi).mul(1)).add(np.exp(xi)), c], np.zeros([]), x)[0], np.ones([4]));
    const so = optimize(s);
    expect(countEqns(so.jaxpr)).toBeLessThan(countEqns(s.jaxpr));
    sameValues(s, so, [np.array([0.1, 0.2, -1, 2])]);
  });
  it("keeps derivatives: the optimised program differentiates and batches like the original (stopGradient kept)", () => {
    const f = (x: A) => np.sum(np.sin(x).mul(stopGradient(x.mul(x))).add(x.mul(1)).add(np.zeros([3])));
    const before = staged(f, np.ones([3]));
    const after = optimize(before);
    expect(String(after)).toContain("stopGradient");
    const x = np.array([0.3, -1.2, 2]);
    const g = (c: ClosedJaxpr) => grad((v: A) => evalJaxpr(c, [v])[0]!)(x);
    expect(g(after)).toBeAllclose(g(before), { rtol: 0, atol: 0 });
    expect(g(after)).toBeAllclose(grad(f)(x), { rtol: 0, atol: 0 });
    const batched = (c: ClosedJaxpr) => vmap((v: A) => evalJaxpr(c, [v])[0]!)(np.stack([x, x.mul(2)]));
    expect(batched(after)).toBeAllclose(batched(before), { rtol: 0, atol: 0 });
  });
  it("reaches a fixpoint: a second run changes nothing", () => {
    const g = staged(grad(grad((x: A) => np.tanh(x).mul(np.exp(x)))), 0.5);
    const once = optimize(g);
    expect(String(optimize(once))).toBe(String(once));
    sameValues(g, once, [np.array(0.3)]);
  });
});
