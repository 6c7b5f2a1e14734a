/** @file Transformations composed in every order, on trees, closures and recursion. */
import { describe, expect, it } from "vitest";
import { grad, valueAndGrad, jvp, vjp, vmap, jacfwd, jacrev, jacobian, hessian, hvp, linearize, deriv, stopGradient, flatten, tree } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { logSoftmax } from "../src/scipy/special.ts";

const data = (shape: number[], seed: number, scale = 1) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(Float64Array.from({ length: n }, (_, i) => scale * Math.sin(0.7 * i + seed))).reshape(shape);
};

type Params = { W1: np.NDArray; b1: np.NDArray; W2: np.NDArray; b2: np.NDArray };
const params: Params = { W1: data([4, 8], 1, 0.5), b1: data([8], 2, 0.1), W2: data([8, 3], 3, 0.5), b2: data([3], 4, 0.1) };
const predict = (p: Params, x: np.NDArray) => np.tanh(x.matmul(p.W1).add(p.b1)).matmul(p.W2).add(p.b2);
const loss = (p: Params, x: np.NDArray, y: np.NDArray) => np.sum(logSoftmax(predict(p, x)).mul(y)).neg();
const xs = data([5, 4], 5);

describe("per-example gradients", () => {
  it("vmap(grad(loss)) equals a loop of grad", () => {
    const onehot = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    const per = vmap(grad(loss), { inAxes: [null, 0, 0] })(params, xs, onehot) as Params;
    for (let i = 0; i < 5; i++) {
      const g = grad(loss)(params, xs.get(i), onehot.get(i)) as Params;
      for (const k of ["W1", "b1", "W2", "b2"] as const) expect(per[k].get(i)).toBeAllclose(g[k], { rtol: 1e-12, atol: 1e-14 });
    }
    // The sum of per-example gradients is the batch gradient.
    const full = grad(loss)(params, xs, onehot) as Params;
    expect(np.sum(per.W1, { axis: 0 })).toBeAllclose(full.W1, { rtol: 1e-12, atol: 1e-14 });
  });
});

describe("compositions", () => {
  const f = (x: np.NDArray) => np.sum(np.sin(x).mul(x).mul(x).add(np.exp(x.mul(0.3)).mul(x.get(0))));
  const x = np.array([0.3, -1.2, 0.7]);
  it("jacfwd(jacrev), jacrev(jacfwd), jacrev(jacrev), hessian agree and are symmetric", () => {
    const h1 = jacfwd(jacrev(f))(x) as np.NDArray;
    const h2 = jacrev(jacfwd(f))(x) as np.NDArray;
    const h3 = jacrev(jacrev(f))(x) as np.NDArray;
    const h4 = hessian(f)(x) as np.NDArray;
    expect(h1.shape).toEqual([3, 3]);
    expect(h2).toBeAllclose(h1, { rtol: 1e-12, atol: 1e-13 });
    expect(h3).toBeAllclose(h1, { rtol: 1e-12, atol: 1e-13 });
    expect(h4).toBeAllclose(h1, { rtol: 1e-12, atol: 1e-13 });
    expect(h1.T).toBeAllclose(h1, { rtol: 1e-12, atol: 1e-13 });
  });
  it("hvp equals hessian · v", () => {
    const v = np.array([0.5, -1, 2]);
    expect(hvp(f)(x, v)).toBeAllclose((hessian(f)(x) as np.NDArray).matmul(v), { rtol: 1e-12, atol: 1e-13 });
  });
  it("grad(vmap(f)) equals grad of the sum", () => {
    const g = (a: np.NDArray) => np.sum(vmap((r: np.NDArray) => np.sum(np.tanh(r).mul(r)))(a));
    const a = data([3, 4], 7);
    expect(grad(g)(a)).toBeAllclose(grad((b: np.NDArray) => np.sum(np.tanh(b).mul(b)))(a), { rtol: 1e-13 });
  });
  it("vmap(vmap(f)) equals f on a grid; inAxes and outAxes", () => {
    const a = data([2, 3, 4], 8);
    const out = vmap(vmap((r: np.NDArray) => np.sum(r.mul(r))))(a);
    expect(out).toBeAllclose(np.sum(a.mul(a), { axis: 2 }));
    const outT = vmap(vmap((r: np.NDArray) => np.sum(r.mul(r)), { inAxes: 1 }), { inAxes: 2, outAxes: 1 })(a);
    expect(outT).toBeAllclose(np.sum(a.mul(a), { axis: 0 }));
  });
  it("vmap of jvp, jvp of vmap", () => {
    const a = data([4, 3], 9);
    const t = data([4, 3], 10);
    const g = (r: np.NDArray) => np.sin(r).mul(r);
    const [, tout] = vmap((r: np.NDArray, s: np.NDArray) => jvp(g, [r], [s]))(a, t) as [np.NDArray, np.NDArray];
    const expected = np.cos(a).mul(a).add(np.sin(a)).mul(t);
    expect(tout).toBeAllclose(expected, { rtol: 1e-13 });
    expect(jvp(vmap(g), [a], [t])[1]).toBeAllclose(expected, { rtol: 1e-13 });
  });
  it("vmap of vjp and of a linearized function", () => {
    const a = data([3], 11);
    const [, back] = vjp((r: np.NDArray) => np.tanh(r).mul(2), a);
    const cts = np.eye(3);
    const J = vmap((ct: np.NDArray) => back(ct)[0] as np.NDArray)(cts);
    expect(J).toBeAllclose(jacobian((r: np.NDArray) => np.tanh(r).mul(2))(a), { rtol: 1e-13 });
    const [y, lin] = linearize((r: np.NDArray) => np.tanh(r).mul(2), a);
    expect(y).toBeAllclose(np.tanh(a).mul(2));
    expect(vmap(lin as (t: np.NDArray) => np.NDArray)(cts)).toBeAllclose((J as np.NDArray).T, { rtol: 1e-13 });
  });
  it("deep nesting: grad(grad(grad(f))) and deriv", () => {
    expect(grad(grad(grad(np.sin)))(0.4)).toBeAllclose(-Math.cos(0.4), { rtol: 1e-14 });
    expect(deriv(deriv(np.exp))(0.4)).toBeAllclose(Math.exp(0.4), { rtol: 1e-14 });
    expect(jvp(grad(np.sin), [0.4], [1])[1]).toBeAllclose(-Math.sin(0.4), { rtol: 1e-14 });
  });
});

describe("closures, recursion, control flow", () => {
  it("perturbation confusion: d/dx [x · d/dy (x + y)] = 1", () => {
    const f = (x: number) => np.multiply(x, grad((y: np.NDArray) => np.add(x, y))(1.0) as number);
    expect(grad(f)(3.0)).toBe(1);
    const g = (x: number) => np.multiply(x, deriv((y: np.NDArray) => np.add(x, y))(1.0));
    expect(deriv(g as never)(3.0)).toBeAllclose(1);
  });
  it("closures over outer traced values", () => {
    const f = (x: np.NDArray) => grad((y: np.NDArray) => x.mul(y).mul(y).sum())(np.ones([2]));
    // d/dx of (2xy at y = 1) summed: jacobian of 2x·1 is 2·I.
    expect(jacrev(f)(np.array([1, 2]))).toBeAllclose([[2, 0], [0, 2]]);
  });
  it("recursion and data-dependent branches", () => {
    const pow = (x: np.NDArray, n: number): np.NDArray => (n === 0 ? np.onesLike(x) : x.mul(pow(x, n - 1)));
    expect(grad((x: np.NDArray) => pow(x, 5))(2.0)).toBeAllclose(5 * 16);
    const relu = (x: np.NDArray) => (x.item() > 0 ? x : x.mul(0));
    expect(grad(relu)(1.5)).toBe(1);
    expect(grad(relu)(-1.5)).toBe(0);
  });
  it("a chain of a million operations does not overflow the stack", () => {
    const f = (x: np.NDArray) => {
      let y = x;
      for (let i = 0; i < 1_000_000; i++) y = y.mul(1.000001);
      return y;
    };
    expect(grad(f)(1.0)).toBeAllclose(1.000001 ** 1_000_000, { rtol: 1e-9 });
  });
  it("stopGradient blocks the derivative", () => {
    expect(grad((x: np.NDArray) => stopGradient(x).mul(x))(3.0)).toBe(3);
  });
});

describe("trees and options", () => {
  it("gradients have the structure and types of the arguments", () => {
    const f = (p: { a: np.NDArray; b: number; c: [number, np.NDArray] }) => p.a.sum().mul(p.b).add(p.c[1].mul(p.c[0]).sum());
    const g = grad(f)({ b: 2, a: np.array([1, 2]), c: [3, np.array([4, 5])] });
    expect(Object.keys(g).sort()).toEqual(["a", "b", "c"]);
    expect(g.a).toBeAllclose([2, 2]);
    expect(typeof g.b).toBe("number");
    expect(g.b).toBe(3);
    expect(g.c[0]).toBe(9);
    expect(g.c[1]).toBeAllclose([3, 3]);
  });
  it("argnums, hasAux, valueAndGrad", () => {
    const f = (x: number, y: number) => np.multiply(x, x).mul(y);
    expect(grad(f, { argnums: 1 })(3, 2)).toBe(9);
    expect(grad(f, { argnums: [0, 1] })(3, 2)).toEqual([12, 9]);
    const [v, g] = valueAndGrad(f)(3, 2);
    expect(v).toBeAllclose(18);
    expect(g).toBe(12);
    const [g2, aux] = grad((x: number) => [np.multiply(x, x), { note: "aux" }], { hasAux: true })(3);
    expect(g2).toBe(6);
    expect(aux).toEqual({ note: "aux" });
  });
  it("vmap with per-argument inAxes trees; outputs as trees", () => {
    const f = (p: { w: np.NDArray; s: number }, x: np.NDArray) => ({ y: x.mul(p.w).sum().mul(p.s), x2: x.mul(2) });
    const out = vmap(f, { inAxes: [{ w: null, s: null }, 0] })({ w: np.array([1, 2]), s: 3 }, np.array([[1, 1], [2, 0]])) as { y: np.NDArray; x2: np.NDArray };
    expect(out.y).toBeAllclose([9, 6]);
    expect(out.x2).toBeAllclose([[2, 2], [4, 0]]);
  });
  it("flatten and tree utilities", () => {
    const t = { w: np.ones([2, 2]), b: 0.5, n: null };
    const [flat, unflatten] = flatten(t);
    expect(flat.shape).toEqual([5]);
    const back = unflatten(flat.mul(2)) as { w: np.NDArray; b: number; n: null };
    expect(back.w).toBeAllclose([[2, 2], [2, 2]]);
    expect(back.b).toBe(1);
    expect(back.n).toBe(null);
    expect(tree.leaves({ b: 1, a: [2, 3] })).toEqual([2, 3, 1]);
    const m = tree.map((a) => (a as number) * 10, { b: 1, a: [2, 3] });
    expect(m).toEqual({ a: [20, 30], b: 10 });
  });
  it("jacobian of trees in and out", () => {
    const f = (p: { a: np.NDArray; b: np.NDArray }) => [p.a.mul(p.b), p.a.sum()];
    const J = jacrev(f)({ a: np.array([1, 2]), b: np.array([3, 4]) }) as [{ a: np.NDArray; b: np.NDArray }, { a: np.NDArray; b: np.NDArray }];
    expect(J[0].a).toBeAllclose([[3, 0], [0, 4]]);
    expect(J[0].b).toBeAllclose([[1, 0], [0, 2]]);
    expect(J[1].a).toBeAllclose([1, 1]);
    const Jf = jacfwd(f)({ a: np.array([1, 2]), b: np.array([3, 4]) }) as typeof J;
    expect(Jf[0].b).toBeAllclose(J[0].b);
  });
});
