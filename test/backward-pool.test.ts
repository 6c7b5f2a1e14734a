/**
 * @file The pool of dead buffers: the backward pass gives the large arrays it allocated and used up
 * back for reuse. Here every array is pooled (the threshold lowered to 8 bytes), and gradients of
 * many kinds must equal those computed with the pool off, while every array a user holds — inputs,
 * forward values the function let out, cotangents, earlier gradients — keeps its value.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkpoint, customVjp, debug, grad, hessian, jit, jvp, lax, stopGradient, valueAndGrad, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { setPoolMinBytes } from "../src/core/pool.ts";
import { allocate } from "../src/core/dtype.ts";
import type { NDArray } from "../src/core/ndarray.ts";

type A = NDArray;
const data = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + seed));
const matrix = (r: number, c: number, seed: number) => np.array(data(r * c, seed)).reshape(r, c);
const snap = (x: unknown): string => JSON.stringify(x, (_, v) => (v instanceof Object && "toArray" in v ? (v as A).toArray() : v));

let previous = 0;
beforeEach(() => {
  previous = setPoolMinBytes(8);
});
afterEach(() => {
  setPoolMinBytes(previous);
});

/** Runs `f` with the pool off and on (twice, so the second run draws on what the first released). */
function samePooled(f: () => unknown): void {
  setPoolMinBytes(Infinity);
  const want = snap(f());
  setPoolMinBytes(8);
  expect(snap(f())).toBe(want);
  expect(snap(f())).toBe(want);
}

describe("the backward pass's pool of dead buffers", () => {
  it("an RNN's gradient is unchanged, and so are the user's arrays and earlier gradients", () => {
    const params = { wx: matrix(3, 5, 1), wh: matrix(5, 5, 2), b: np.array(data(5, 3)) };
    const xs = [0, 1, 2, 3].map((t) => matrix(2, 3, 10 + t));
    const seen: A[] = [];
    const loss = (p: typeof params) => {
      let h: A = np.zeros([2, 5]);
      for (const x of xs) {
        h = np.tanh(x.matmul(p.wx).add(h.matmul(p.wh)).add(p.b));
        if (!(h instanceof Object && "primal" in h)) seen.push(h);
      }
      return np.sum(h.mul(h));
    };
    samePooled(() => grad(loss)(params));
    const before = snap([params, xs]);
    const g1 = grad(loss)(params);
    const g1Before = snap(g1);
    for (let i = 0; i < 5; i++) grad(loss)(params);
    expect(snap(g1)).toBe(g1Before);
    expect(snap([params, xs])).toBe(before);
  });

  it("forward values the function let out keep their values", () => {
    const kept: A[] = [];
    const f = (x: A) => {
      const y = np.sin(x).mul(x);
      kept.push(np.exp(x).add(1));
      return np.sum(y.mul(y).reshape(-1)).add(np.sum(y.T.matmul(y)));
    };
    const x = matrix(3, 3, 4);
    const [, back] = vjp((v: A) => np.sin(v).reshape(9), x);
    const ct = np.array(data(9, 5));
    const ctBefore = snap(ct);
    samePooled(() => [grad(f)(x), back(ct)]);
    expect(snap(ct)).toBe(ctBefore);
    const firstKept = snap(kept[0]);
    for (let i = 0; i < 4; i++) grad(f)(x);
    expect(snap(kept[0])).toBe(firstKept);
  });

  it("shared cotangents (add's, reshape views, fan-out) and symbolic zeros", () => {
    const f = (x: A, z: A) => {
      const s = x.add(z);
      const r = s.reshape(6).reshape(2, 3);
      return np.sum(r.mul(s)).add(np.sum(x.mul(3))).add(np.sum(stopGradient(z).mul(x)));
    };
    const x = matrix(2, 3, 6);
    const z = matrix(2, 3, 7);
    samePooled(() => grad(f, { argnums: [0, 1] })(x, z));
    samePooled(() => valueAndGrad(f)(x, z));
    samePooled(() => vjp((v: A) => [v, v.mul(2), v] as const, x)[1]([x, z, x]));
  });

  it("higher order, vmap, jit, control flow and checkpoint", () => {
    const f = (x: A) => np.sum(np.tanh(x.matmul(x.T)).mul(x.sum()));
    const x = matrix(3, 3, 8);
    samePooled(() => hessian(f)(x));
    // An inner backward pass runs while an outer transformation records: its values become the
    // outer one's residuals and must not be reused.
    expect(grad(grad(grad((v: number) => np.sin(v))))(0.4)).toBeCloseTo(-Math.cos(0.4), 14);
    samePooled(() => grad(grad(grad((v: number) => np.sin(v).mul(v))))(0.4));
    samePooled(() => grad((v: A) => np.sum(grad((y: A) => np.sum(np.sin(y).mul(y).mul(v)))(x.mul(0.5))))(x));
    samePooled(() => vmap(grad(f))(np.stack([x, x.mul(0.5)])));
    samePooled(() => jvp(grad(f), [x], [np.ones([3, 3])]));
    samePooled(() => grad(jit(f))(x));
    samePooled(() => grad((v: A) => np.sum(lax.scan((c: A, r: A) => [np.sin(c.mul(r)), c], v.get(0), v)[0]))(x));
    samePooled(() => grad(checkpoint((v: A) => np.sum(np.exp(v).mul(v))))(x));
  });

  it("a custom VJP's backward function that keeps its cotangents sees them unchanged", () => {
    const kept: A[] = [];
    const f = customVjp(
      (x: A) => np.sin(x),
      (x: A) => [np.sin(x), np.cos(x)] as const,
      (c: A, ct: A) => {
        debug.callback((v: A) => void kept.push(v), ct);
        return [ct.mul(c)] as const;
      },
    );
    const x = matrix(4, 4, 9);
    const loss = (v: A) => np.sum(f(v.mul(2)).mul(v));
    samePooled(() => grad(loss)(x));
    const snaps = kept.map(snap);
    for (let i = 0; i < 3; i++) grad(loss)(x);
    expect(kept.slice(0, snaps.length).map(snap)).toEqual(snaps);
  });

  it("tanh and tan pool their rule's intermediates only when eager", () => {
    const x = matrix(4, 4, 11);
    for (const fn of [np.tanh, np.tan]) {
      const f = (v: A) => np.sum(fn(v.mul(0.3)).mul(v));
      samePooled(() => grad(f)(x));
      samePooled(() => grad((v: number) => np.sum(grad(f)(x.mul(v))))(1.2));
      samePooled(() => hessian(f)(x.get(0)));
      samePooled(() => jvp(f, [x], [x]));
      samePooled(() => vmap(grad(f))(np.stack([x, x.mul(2)])));
      samePooled(() => grad(jit(f))(x));
    }
    // d²/dv² tanh(v) = −2 tanh(v)(1 − tanh²(v)): here the rule's `1` meets a tracer and is kept.
    const t = Math.tanh(0.7);
    expect(grad(grad((v: number) => np.tanh(v)))(0.7)).toBeCloseTo(-2 * t * (1 - t * t), 14);
  });

  it("pooled storage comes back zeroed from allocate", () => {
    const g = grad((v: A) => np.sum(v.mul(v).mul(v)));
    for (let i = 0; i < 3; i++) g(matrix(8, 8, i));
    for (let i = 0; i < 20; i++) expect(Array.from(allocate("float64", 64)).every((v) => v === 0)).toBe(true);
  });
});
