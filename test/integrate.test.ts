/**
 * @file `scipy.integrate.odeint`: solutions against closed forms and tight SciPy references,
 * derivatives through the solver against closed forms and finite differences, vmap against a loop,
 * tighter tolerances, time running backwards, errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { integrate } from "autograd-ts/scipy";

type A = np.NDArray;
const ts = np.linspace(0, 3, 7);
const nonlinear = (y: A, t: number) => y.mul(np.sin(y)).neg().add(t);

describe("scipy.integrate.odeint", () => {
  it("solves to its tolerances: exponential decay, the harmonic oscillator, a nonlinear equation (SciPy at 1e-13)", () => {
    const decay = integrate.odeint((y: A, _t: number, k: number) => y.mul(-k), 2, ts, { args: [0.7] });
    expect(decay).toBeAllclose(np.exp(ts.mul(-0.7)).mul(2), { rtol: 1e-7 });
    const w = 2;
    const tt = np.linspace(0, 5, 11);
    const osc = integrate.odeint((s: A) => np.stack([s.get(1), s.get(0).mul(-w * w)]), [1, 0], tt);
    expect(osc.get(":", 0)).toBeAllclose(np.cos(tt.mul(w)), { atol: 1e-7 });
    expect(osc.get(":", 1)).toBeAllclose(np.sin(tt.mul(w)).mul(-w), { atol: 1e-7 });
    // references: SciPy 1.17's odeint with rtol = atol = 1e-13
    expect(integrate.odeint(nonlinear, 1, [0, 0.5, 1, 2]).reshape(-1)).toBeAllclose([1, 0.7949365281318993, 0.8720399465975516, 1.386130551028837], { rtol: 1e-7 });
    const tight = integrate.odeint(nonlinear, -0.5, [0, 0.5, 1, 2], { rtol: 1e-12, atol: 1e-12 }).reshape(-1);
    expect(tight).toBeAllclose([-0.5, -0.5058662229730432, -0.20678664036121605, 1.026882564250518], { rtol: 1e-10 });
    expect(integrate.odeint((y: A) => y.neg(), 1, [1, 0]).get(1)).toBeAllclose(Math.E, { rtol: 1e-7 });
  });
  it("is differentiable through the solver: in a parameter (closed form), in y0, to second order", () => {
    const k = 0.7;
    const g = grad((kk: A) => np.sum(integrate.odeint((y: A) => y.mul(kk).neg(), 2, ts)))(np.array(k));
    expect(g).toBeAllclose(np.sum(ts.mul(-2).mul(np.exp(ts.mul(-k)))), { rtol: 1e-6 });
    const dy0 = grad((a: A) => integrate.odeint((y: A) => y.mul(-k), a, ts).get(-1))(np.array(2));
    expect(dy0).toBeAllclose(Math.exp(-3 * k), { rtol: 1e-7 });
    checkGrads((a: A) => np.sum(integrate.odeint(nonlinear, a, [0, 0.5, 1])), [np.array(0.8)], { order: 2 });
  });
  it("batches: vmap over initial states agrees with a loop (to the tolerances: the batch shares its steps)", () => {
    const y0s = np.array([1, 2, -0.5]);
    const solve = (a: A) => integrate.odeint(nonlinear, a, [0, 0.5, 1]);
    const loop = np.stack([0, 1, 2].map((i) => solve(y0s.get(i))));
    expect(vmap(solve)(y0s)).toBeAllclose(loop, { rtol: 1e-6 });
    expect(vmap(grad((a: A) => solve(a).get(-1)))(y0s)).toBeAllclose(np.stack([0, 1, 2].map((i) => grad((a: A) => solve(a).get(-1))(y0s.get(i)))), { rtol: 1e-5 });
  });
  it("errors name the function and the problem", () => {
    expect(() => integrate.odeint((y: A) => y, 1, [0, 2, 1])).toThrow(/scipy\.integrate\.odeint: t must be monotonic/);
    expect(() => integrate.odeint((y: A) => y, 1, [])).toThrow(/t must be a non-empty 1-D sequence/);
    expect(() => integrate.odeint(() => np.zeros([2]), 1, [0, 1])).toThrow(/func returned shape \[2\] for a state of shape \[\]/);
    expect(() => integrate.odeint((y: A) => y.mul(-1e6), 1, [0, 10], { mxstep: 50 })).toThrow(/more than 50 steps between t = 0 and 10/);
  });
});
