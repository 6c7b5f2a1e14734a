/**
 * @file `scipy.integrate.odeint` under transformations, where it is one `lax.whileLoop`: staged by
 * `jit`/`makeJaxpr` as one `while` equation, values under jit against the eager solver and closed
 * forms, reverse mode through the staged loop (jit(grad), in parameters, y0 and the time points),
 * per-member steps under vmap (a batch agrees with a loop over its members to rounding), `func`
 * receiving `t` as a 0-d array, and the errors (thrown where values are known, NaN under jit).
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, jacrev, jit, makeJaxpr, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { integrate } from "autograd-ts/scipy";

type A = np.NDArray;
const ts = np.linspace(0, 3, 7);
const k = 0.7;
const nonlinear = (y: A, t: A | number) => y.mul(np.sin(y)).neg().add(t);

describe("odeint under jit and makeJaxpr", () => {
  it("stages as one while equation whose body holds the Dormand–Prince step", () => {
    const solve = (y0: A) => integrate.odeint((y: A) => y.mul(-k), y0, ts);
    const j = makeJaxpr(solve)(np.array(2));
    const top = j.closed.jaxpr.eqns.map((e) => e.prim.name);
    expect(top.filter((name) => name === "while")).toHaveLength(1);
    // Staging does not depend on the number of steps: one body, not one per step (the eager solver takes ~20 here).
    expect(top.length).toBeLessThan(60);
    expect(j.toString()).toMatch(/while\[/);
  });
  it("gives the eager solver's values, and closed forms, under jit", () => {
    const eager = integrate.odeint(nonlinear, 1, [0, 0.5, 1, 2]);
    const jitted = jit((y0: A) => integrate.odeint(nonlinear, y0, [0, 0.5, 1, 2]))(np.array(1));
    // same steps, same arithmetic; only the order of a few roundings may differ
    expect(jitted).toBeAllclose(eager, { rtol: 1e-13 });
    // SciPy 1.17's odeint with rtol = atol = 1e-13 (as in integrate.test.ts)
    expect(jitted.reshape(-1)).toBeAllclose([1, 0.7949365281318993, 0.8720399465975516, 1.386130551028837], { rtol: 1e-7 });
    const w = 2;
    const tt = np.linspace(0, 5, 11);
    const osc = jit((y0: A) => integrate.odeint((s: A) => np.stack([s.get(1), s.get(0).mul(-w * w)]), y0, tt))(np.array([1, 0]));
    expect(osc.get(":", 0)).toBeAllclose(np.cos(tt.mul(w)), { atol: 1e-7 });
    const back = jit((y0: A) => integrate.odeint((y: A) => y.neg(), y0, [1, 0]))(np.array(1));
    expect(back.get(1)).toBeAllclose(Math.E, { rtol: 1e-7 });
  });
  it("is differentiable in reverse mode through the staged loop: jit(grad) in a parameter, y0 and the time points", () => {
    const g = jit(grad((kk: A) => np.sum(integrate.odeint((y: A) => y.mul(kk).neg(), 2, ts))))(np.array(k));
    expect(g).toBeAllclose(np.sum(ts.mul(-2).mul(np.exp(ts.mul(-k)))), { rtol: 1e-6 });
    const dy0 = jit(grad((a: A) => integrate.odeint((y: A) => y.mul(-k), a, ts).get(-1)))(np.array(2));
    expect(dy0).toBeAllclose(Math.exp(-3 * k), { rtol: 1e-7 });
    const decay = (t: A) => integrate.odeint((y: A) => y.mul(-k), 2, t, { rtol: 1e-12, atol: 1e-12 });
    const t = np.array([0.2, 1, 2.5]);
    const y = [2, 2 * Math.exp(-k * 0.8), 2 * Math.exp(-k * 2.3)];
    const jac = [[0, 0, 0], [k * y[1]!, -k * y[1]!, 0], [k * y[2]!, 0, -k * y[2]!]];
    expect(jit(jacrev(decay))(t)).toBeAllclose(jac, { rtol: 1e-9, atol: 1e-12 });
  });
  it("gradients match the eager solver's; second order under grad through the loop", () => {
    const f = (a: A) => np.sum(integrate.odeint(nonlinear, a, [0, 0.5, 1]));
    expect(jit(grad(f))(np.array(0.8))).toBeAllclose(grad(f)(np.array(0.8)), { rtol: 1e-12 });
    checkGrads(f, [np.array(0.8)], { order: 2 });
    const inT = (tt: A) => np.sum(integrate.odeint(nonlinear, 0.8, tt, { rtol: 1e-12, atol: 1e-12 }));
    checkGrads(inT, [np.array([0, 0.4, 1.1])], { order: 1 });
  });
  it("func receives t as a 0-d array under a transformation and as a number eagerly", () => {
    const seen: string[] = [];
    const field = (y: A, t: number | A) => {
      seen.push(typeof t === "number" ? "number" : `array${JSON.stringify((t as A).shape)}`);
      return y.neg().add(t);
    };
    integrate.odeint(field, 1, [0, 1]);
    expect(new Set(seen)).toEqual(new Set(["number"]));
    seen.length = 0;
    grad((a: A) => integrate.odeint(field, a, [0, 1]).get(1))(np.array(1));
    expect(new Set(seen)).toEqual(new Set(["array[]"]));
    // y' = t − y, y(0) = 1: y = t − 1 + 2e^{−t}
    expect(jit((a: A) => integrate.odeint(field, a, [0, 1]))(np.array(1)).get(1)).toBeAllclose(2 * Math.exp(-1), { rtol: 1e-7 });
  });
});

describe("odeint under jit: edge cases as eagerly", () => {
  it("one time point, repeated time points, integer times, a float32 state", () => {
    expect(jit((a: A) => integrate.odeint((y: A) => y.neg(), a, [0]))(np.array(2)).toArray()).toEqual([2]);
    expect(grad((a: A) => np.sum(integrate.odeint((y: A) => y.neg(), a, [0])))(np.array(2))).toBeAllclose(1);
    const times = np.array([0, 1, 1, 2], { dtype: "int32" });
    const eager = integrate.odeint((y: A) => y.neg(), 2, times);
    expect(jit((a: A) => integrate.odeint((y: A) => y.neg(), a, times))(np.array(2))).toBeAllclose(eager, { rtol: 1e-13 });
    expect(eager).toBeAllclose(np.exp(times.mul(-1)).mul(2), { rtol: 1e-7 });
    const f32 = jit((a: A) => integrate.odeint((y: A) => y.neg(), a, [0, 1]))(np.array(2, { dtype: "float32" }));
    expect(f32.dtype).toBe("float32");
    expect(f32.get(1)).toBeAllclose(2 * Math.exp(-1), { rtol: 1e-6 });
  });
});

describe("odeint under vmap: each member takes its own steps", () => {
  it("agrees with a loop over the members to rounding (not only to the tolerances)", () => {
    const y0s = np.array([1, 2, -0.5, 3]);
    const solve = (a: A) => integrate.odeint(nonlinear, a, [0, 0.5, 1, 2]);
    const loop = np.stack([0, 1, 2, 3].map((i) => solve(y0s.get(i))));
    expect(vmap(solve)(y0s)).toBeAllclose(loop, { rtol: 1e-13 });
    expect(jit(vmap(solve))(y0s)).toBeAllclose(loop, { rtol: 1e-13 });
    const g = (a: A) => grad((b: A) => solve(b).get(-1))(a);
    expect(vmap(g)(y0s)).toBeAllclose(np.stack([0, 1, 2, 3].map((i) => g(y0s.get(i)))), { rtol: 1e-12 });
  });
  it("members needing very different step counts (a stiff-ish member beside an easy one)", () => {
    const rates = np.array([0.1, 50]);
    const solve = (r: A) => integrate.odeint((y: A) => y.mul(r).neg(), 1, [0, 1, 2]);
    const got = vmap(solve)(rates);
    expect(got).toBeAllclose(np.stack([solve(rates.get(0)), solve(rates.get(1))]), { rtol: 1e-12, atol: 1e-15 });
    expect(got.get(0, -1)).toBeAllclose(Math.exp(-0.2), { rtol: 1e-7 });
  });
});

describe("odeint errors under transformations", () => {
  it("too many steps: thrown under grad and vmap (values known), NaN under jit", () => {
    const stiff = (a: A) => integrate.odeint((y: A) => y.mul(-1e6), a, [0, 10], { mxstep: 50 });
    expect(() => grad((a: A) => stiff(a).get(1))(np.array(1))).toThrow(/scipy\.integrate\.odeint: more than 50 steps between t = 0 and 10/);
    expect(() => vmap(stiff)(np.array([1, 2]))).toThrow(/more than 50 steps between t = 0 and 10/);
    const jitted = jit(stiff)(np.array(1));
    expect(Number.isNaN(jitted.get(1).item())).toBe(true);
  });
  it("non-monotonic t: thrown when t is known, NaN when it is staged", () => {
    expect(() => grad((a: A) => np.sum(integrate.odeint((y: A) => y, a, [0, 2, 1])))(np.array(1))).toThrow(/t must be monotonic/);
    const staged = jit((t: A) => integrate.odeint((y: A) => y.neg(), 1, t))(np.array([0, 2, 1]));
    expect(staged.toArray()).toEqual([NaN, NaN, NaN]);
  });
  it("a func of the wrong shape is named while staging", () => {
    expect(() => jit((a: A) => integrate.odeint(() => np.zeros([2]), a, [0, 1]))(np.array(1))).toThrow(/func returned shape \[2\] for a state of shape \[\]/);
  });
});
