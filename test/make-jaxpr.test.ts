/**
 * @file `makeJaxpr`: the staged program prints like JAX's, evaluates back to the function (also
 * under grad and vmap), composes with the transformations, and refuses to read staged values.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, makeJaxpr, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type A = np.NDArray;
const mlp = (p: { w: A; b: A }, x: A) => np.sum(np.tanh(x.matmul(p.w).add(p.b)).pow(2));
const params = { w: np.array([[0.1, -0.2], [0.3, 0.05], [-0.4, 0.2]]), b: np.array([0.01, -0.02]) };
const xs = np.array([[1, 2, 3], [0.5, -1, 0.25]]);

describe("makeJaxpr", () => {
  it("prints the primitives in order, JAX-style", () => {
    expect(String(makeJaxpr((x: A) => np.sum(np.sin(x)))(np.ones([3])))).toBe(
      ["{ lambda ; a:f64[3]. let", "    b:f64[3] = sin a", "    c:f64[] = reduceSum[axes=[0]] b", "  in (c) }"].join("\n"),
    );
    // numbers stage as f64[] inputs; constants captured from outside are constvars
    const c = np.array([1, 2]);
    const j = makeJaxpr((s: number, v: A) => v.mul(s).add(c))(2, np.zeros([2]));
    expect(j.invars.map((v) => v.aval.shape)).toEqual([[], [2]]);
    expect(j.constvars.length).toBeGreaterThan(0);
    expect(j.eqns.map((e) => e.prim.name)).toContain("mul");
  });
  it("evaluates back to the function, also under grad and vmap", () => {
    const j = makeJaxpr(mlp)(params, xs);
    const other = { w: params.w.mul(-2), b: params.b.add(1) };
    expect(j.eval(other, xs.mul(3))).toBeAllclose(mlp(other, xs.mul(3)), { rtol: 1e-15 });
    const g = grad((p: { w: A; b: A }) => j.eval(p, xs))(params) as { w: A; b: A };
    const want = grad(mlp)(params, xs) as { w: A; b: A };
    expect(g.w).toBeAllclose(want.w, { rtol: 1e-14 });
    expect(g.b).toBeAllclose(want.b, { rtol: 1e-14 });
    const batch = np.stack([xs, xs.mul(2), xs.neg()]);
    expect(vmap((x: A) => j.eval(params, x))(batch)).toBeAllclose(vmap((x: A) => mlp(params, x))(batch), { rtol: 1e-14 });
  });
  it("stages other transformations: grad shows the backward pass, vmap the batched shapes", () => {
    const jg = makeJaxpr(grad((x: A) => np.sum(np.sin(x))))(np.ones([3]));
    // the forward pass's sin is dead code (only cos enters the gradient), so it is dropped
    expect(jg.eqns.map((e) => e.prim.name)).toEqual(expect.arrayContaining(["cos", "mul"]));
    expect(jg.eqns.map((e) => e.prim.name)).not.toContain("sin");
    expect(jg.eval(np.array([0, 1, 2]))).toBeAllclose(np.cos(np.array([0, 1, 2])));
    const jv = makeJaxpr(vmap((x: A) => np.sum(np.sin(x))))(np.ones([5, 3]));
    expect(jv.outvars[0]!.aval.shape).toEqual([5]);
    const jvg = makeJaxpr(vmap(grad(mlp), { inAxes: [null, 0] }))(params, xs);
    expect(jvg.outvars.map((v) => v.aval.shape)).toEqual([[2, 2], [2, 3, 2]]);
  });
  it("a staged value has no number: reading one is an error that says so", () => {
    expect(() => makeJaxpr((x: A) => (x.item() > 0 ? x : x.neg()))(np.array(1))).toThrow(/item\(\) on a staged value \(float64\[\]\): makeJaxpr, jit, and the functions given to lax.cond\/switch\/whileLoop\/foriLoop\/scan under a transformation follow shapes and dtypes only/);
    expect(() => makeJaxpr(mlp)(params, xs).eval(params)).toThrow(/jaxpr\.eval: the arguments do not have the structure the jaxpr was made for/);
  });
});

describe("jit", () => {
  it("stages once per signature and replays: same values, also for grad and nested grads", () => {
    let stagings = 0;
    const f = (x: A) => {
      stagings++;
      return np.sum(np.tanh(x).mul(x));
    };
    const jf = jit(f);
    const x = np.array([0.5, -1, 2]);
    expect(jf(x)).toBeAllclose(np.sum(np.tanh(x).mul(x)), { rtol: 1e-15 });
    jf(x.mul(2));
    jf(np.array([1, 2]));
    expect(stagings).toBe(2); // one per shape
    const tanhViaExp = (v: A) => { const e = np.exp(v.neg()); return np.subtract(1, e).div(np.add(1, e)); };
    let d: (v: A) => A = tanhViaExp;
    for (let i = 0; i < 4; i++) d = grad(d) as (v: A) => A;
    expect(jit(d)(np.array(0.7))).toBeAllclose(d(np.array(0.7)), { rtol: 1e-14 });
  });
  it("works under grad and vmap, takes trees and static arguments", () => {
    const jmlp = jit(mlp);
    const g = grad((p: { w: A; b: A }) => jmlp(p, xs))(params) as { w: A; b: A };
    expect(g.w).toBeAllclose((grad(mlp)(params, xs) as { w: A; b: A }).w, { rtol: 1e-14 });
    const batch = np.stack([xs, xs.mul(2)]);
    expect(vmap((x: A) => jmlp(params, x))(batch)).toBeAllclose(vmap((x: A) => mlp(params, x))(batch), { rtol: 1e-14 });
    const power = jit((x: A, n: number) => { let y = x; for (let i = 1; i < n; i++) y = y.mul(x); return y; }, { staticArgnums: [1] });
    expect(power(np.array(2), 3)).toBeAllclose(8);
    expect(power(np.array(2), 5)).toBeAllclose(32);
  });
  it("freezes closed-over values at the first call, and cannot branch on argument values (as JAX)", () => {
    let scale = np.array(2);
    const jf = jit((x: A) => x.mul(scale));
    expect(jf(np.array(3))).toBeAllclose(6);
    scale = np.array(10);
    expect(jf(np.array(3))).toBeAllclose(6);
    expect(() => jit((x: A) => (x.item() > 0 ? x : x.neg()))(np.array(1))).toThrow(/item\(\) on a staged value/);
  });
  it("stages lax.cond and a data-dependent lax.whileLoop, each as one equation", async () => {
    const { lax } = await import("autograd-ts");
    const f = (x: A) => lax.cond(x.gt(0), (v: A) => v.mul(2), (v: A) => v.neg(), x);
    expect(jit(f)(np.array(3))).toBeAllclose(6);
    expect(jit(f)(np.array(-3))).toBeAllclose(3);
    expect(jit(vmap(f))(np.array([-1, 2]))).toBeAllclose([1, 4]);
    const doubling = jit((x: A) => lax.whileLoop((v: A) => v.lt(10), (v: A) => v.mul(2), x));
    expect(doubling(np.array(1))).toBeAllclose(16);
    expect(doubling(np.array(3))).toBeAllclose(12);
    expect(makeJaxpr(f)(np.array(1)).eqns.map((e) => e.prim.name)).toEqual(["gt", "convert", "cond"]);
  });
});
