/**
 * @file `lax` control flow: each construct on concrete predicates, under `grad`/`jvp` (reverse mode
 * through `whileLoop` included), and under `vmap` with predicates that differ between members,
 * against a loop of unbatched calls; nested in every order; and the errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, jit, jvp, lax, makeJaxpr, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type A = np.NDArray;
const loop = (f: (x: A) => A, xs: A) => np.stack(Array.from({ length: xs.shape[0]! }, (_, i) => f(xs.get(i))));

/** √a by Newton's method until |x² − a| ≤ 1e-12·a: a data-dependent number of steps. */
const newton = (a: A) =>
  lax.whileLoop(
    (x: A) => np.abs(x.mul(x).sub(a)).gt(a.mul(1e-12)),
    (x: A) => x.add(a.div(x)).mul(0.5),
    a,
  );

describe("lax.cond and lax.switch", () => {
  const f = (x: A) => lax.cond(x.gt(0), (v: A) => np.sin(v).mul(v), (v: A) => v.mul(v).neg(), x);
  const xs = np.array([-1.5, 0.3, 2, -0.2]);
  it("run the chosen branch; vmap with per-member predicates matches a loop; derivatives follow the branch", () => {
    expect(lax.cond(true, () => 1, () => 2)).toBe(1);
    expect(lax.cond(0, () => 1, () => 2)).toBe(2);
    expect(vmap(f)(xs)).toBeAllclose(loop(f, xs));
    expect(vmap(grad(f))(xs)).toBeAllclose(loop(grad(f), xs));
    expect(grad((v: A) => np.sum(vmap(f)(v)))(xs)).toBeAllclose(loop(grad(f), xs));
    expect(grad(f)(np.array(2))).toBeAllclose(Math.sin(2) + 2 * Math.cos(2));
    expect(grad(f)(np.array(-2))).toBeAllclose(4);
    checkGrads(f, [np.array(0.7)], { order: 2 });
  });
  it("carry trees of operands and outputs", () => {
    const g = (p: { a: A; b: A }) => lax.cond(p.a.gt(p.b), (q: { a: A; b: A }) => [q.a, q.b], (q: { a: A; b: A }) => [q.b, q.a], p);
    const [hi, lo] = vmap(g)({ a: np.array([1, 5, 3]), b: np.array([4, 2, 3]) }) as [A, A];
    expect(hi).toBeAllclose([4, 5, 3]);
    expect(lo).toBeAllclose([1, 2, 3]);
  });
  it("switch clamps its index (as JAX) and batches", () => {
    const branches = [(v: A) => v, (v: A) => v.mul(10), (v: A) => v.neg()];
    expect(lax.switch(1, branches, np.array(7))).toBeAllclose(70);
    expect(lax.switch(9, branches, np.array(7))).toBeAllclose(-7);
    expect(lax.switch(-4, branches, np.array(7))).toBeAllclose(7);
    const idx = np.array([0, 1, 2, 5, -3], { dtype: "int32" });
    expect(vmap((i: A) => lax.switch(i, branches, np.array(7)))(idx)).toBeAllclose([7, 70, -7, -7, 7]);
    expect(vmap((i: A, v: A) => grad((w: A) => lax.switch(i, branches, w))(v))(idx, np.ones([5]))).toBeAllclose([1, 10, -1, -1, 1]);
    // a float index truncates on both paths, as JAX converts it to int32
    expect(lax.switch(1.7, branches, np.array(7))).toBeAllclose(70);
    expect(vmap((i: A) => lax.switch(i, branches, np.array(7)))(np.array([1.7, 0.2, 2.9]))).toBeAllclose([70, 7, -7]);
  });
});

describe("lax.whileLoop and lax.foriLoop", () => {
  const as = np.array([2, 9, 1e6, 0.01]);
  it("loop in JavaScript on concrete predicates", () => {
    expect(lax.whileLoop((x: number) => x < 100, (x: number) => x * 3, 1)).toBe(243);
    expect(lax.foriLoop(0, 5, (i, acc: number) => acc + (i as number), 0)).toBe(10);
    expect(lax.foriLoop(3, 3, (i, acc: number) => acc + 1, 0)).toBe(0);
  });
  it("under vmap run until no member's predicate holds, members that are done keeping their value", () => {
    expect(vmap(newton)(as)).toBeAllclose(np.sqrt(as), { rtol: 1e-15 });
    expect(vmap(newton)(as)).toBeAllclose(loop(newton, as), { rtol: 0, atol: 0 });
    // nested vmap: a 2×2 batch with different step counts
    const grid = np.array([[2, 1e8], [0.5, 30]]);
    expect(vmap(vmap(newton))(grid)).toBeAllclose(np.sqrt(grid), { rtol: 1e-15 });
    // a count of steps differs per member
    const steps = (n: A) => lax.whileLoop(([k]: [A, A]) => k.lt(n), ([k, s]: [A, A]) => [k.add(1), s.add(k)] as [A, A], [np.array(0), np.array(0)] as [A, A])[1];
    expect(vmap(steps)(np.array([0, 1, 4]))).toBeAllclose([0, 0, 6]);
  });
  it("are differentiable forward and reverse, also batched (JAX's whileLoop is forward-only)", () => {
    const want = np.divide(1, np.sqrt(as).mul(2));
    expect(grad((a: A) => newton(a))(np.array(2))).toBeAllclose(1 / (2 * Math.SQRT2), { rtol: 1e-12 });
    expect(vmap(grad((a: A) => newton(a)))(as)).toBeAllclose(want, { rtol: 1e-12 });
    expect(grad((a: A) => np.sum(vmap(newton)(a)))(as)).toBeAllclose(want, { rtol: 1e-12 });
    expect(jvp(vmap(newton), [as], [np.ones([4])])[1]).toBeAllclose(want, { rtol: 1e-12 });
    checkGrads((a: A) => newton(a), [np.array(3)], { order: 2 });
  });
  it("foriLoop with bounds that differ per member becomes a whileLoop", () => {
    const tri = (n: A) => lax.foriLoop(0, n, (i, acc: A) => acc.add(i), np.array(0));
    expect(vmap(tri)(np.array([3, 5, 0]))).toBeAllclose([3, 10, 0]);
    const power = (x: A, n: A) => lax.foriLoop(0, n, (_, acc: A) => acc.mul(x), np.array(1));
    expect(vmap(grad(power))(np.array([2, 3, 5]), np.array([3, 1, 0]))).toBeAllclose([12, 1, 0]);
  });
});

describe("lax.scan", () => {
  it("carries, stacks, reverses, takes trees and a bare length", () => {
    const [total, running] = lax.scan((c: A, x: A) => [c.add(x), c.add(x)], np.array(0), np.array([1, 2, 3]));
    expect(total).toBeAllclose(6);
    expect(running).toBeAllclose([1, 3, 6]);
    const [, back] = lax.scan((c: A, x: A) => [c.add(x), c.add(x)], np.array(0), np.array([1, 2, 3]), { reverse: true });
    expect(back).toBeAllclose([6, 5, 3]);
    const [c, ys] = lax.scan(
      (carry: { s: A }, x: { u: A; v: A }) => [{ s: carry.s.add(x.u.mul(x.v)) }, { d: x.u.sub(x.v) }],
      { s: np.zeros([2]) },
      { u: np.array([1, 2]), v: np.array([[3, 4], [5, 6]]) },
    );
    expect(c.s).toBeAllclose([13, 16]);
    expect(ys.d).toBeAllclose([[-2, -3], [-3, -4]]);
    const [n] = lax.scan((k: number) => [k + 1, null], 0, null, { length: 4 });
    expect(n).toBe(4);
  });
  it("an RNN written with scan: gradient equals the unrolled loop's, and vmap over sequences matches a loop", () => {
    const W = np.array([[0.5, -0.3], [0.2, 0.8]]);
    const rnn = (w: A, xs: A) => lax.scan((h: A, x: A) => { const h2 = np.tanh(h.matmul(w).add(x)); return [h2, h2]; }, np.zeros([2]), xs)[0];
    const unrolled = (w: A, xs: A) => {
      let h = np.zeros([2]);
      for (let t = 0; t < xs.shape[0]!; t++) h = np.tanh(h.matmul(w).add(xs.get(t)));
      return h;
    };
    const xs = np.array([[1, 0], [0.5, -1], [0.2, 0.3]]);
    const loss = (f: typeof rnn) => (w: A) => np.sum(f(w, xs).pow(2));
    expect(grad(loss(rnn))(W)).toBeAllclose(grad(loss(unrolled))(W), { rtol: 1e-14 });
    const batch = np.stack([xs, xs.mul(2), xs.neg()]);
    expect(vmap((s: A) => rnn(W, s))(batch)).toBeAllclose(loop((s: A) => rnn(W, s), batch));
  });
});

describe("errors", () => {
  it("name the construct and the problem", () => {
    expect(() => lax.cond(np.array([true, false]), () => 1, () => 2)).toThrow(/lax\.cond: the predicate must be a scalar, got shape \(2,\)/);
    expect(() => vmap((x: A) => lax.cond(x.gt(0), (v: A): unknown => [v], (v: A): unknown => ({ a: v }), x))(np.array([1, -1]))).toThrow(/lax\.cond: falseFun and trueFun return different outputs: the tree structures differ/);
    expect(() => lax.switch(0, [])).toThrow(/lax\.switch: no branches given/);
    expect(() => lax.scan((c: A, x: { a: A; b: A }) => [c, x.a], np.array(0), { a: np.zeros([2]), b: np.zeros([3]) })).toThrow(/lax\.scan: xs and length disagree on the number of steps: 2, 3/);
    expect(() => lax.scan((c: A) => [c, c], np.array(0), null)).toThrow(/lax\.scan: give xs or a length/);
    expect(() => vmap((x: A) => (x.gt(0).item() ? x : x.neg()))(np.array([1, -1]))).toThrow(/lax\.cond instead of a JS if/);
  });
});

describe("cond and switch with a predicate known at every level", () => {
  it("run the taken branch directly under grad (the other is staged once, to check it agrees), every branch where the predicate is staged or batched", () => {
    const calls = { t: 0, f: 0 };
    // branches defined once: their staged signatures are remembered (inline arrow functions are new objects each call)
    const tb = (v: A) => { calls.t++; return np.sin(v).mul(v); };
    const fb = (v: A) => { calls.f++; return v.mul(v); };
    const f = (x: A) => lax.cond(x.gt(0), tb, fb, x);
    const df = (x: number) => (x > 0 ? Math.cos(x) * x + Math.sin(x) : 2 * x);
    expect(grad(f)(np.array(0.7))).toBeAllclose(df(0.7), { rtol: 1e-14 });
    expect(calls).toEqual({ t: 1, f: 1 });
    expect(grad(f)(np.array(-0.5))).toBeAllclose(df(-0.5), { rtol: 1e-14 });
    expect(calls).toEqual({ t: 2, f: 2 });
    // from now on only the taken branch runs: the other's signature is known
    expect(grad(f)(np.array(0.3))).toBeAllclose(df(0.3), { rtol: 1e-14 });
    expect(jvp(f, [np.array(-2)], [np.array(1)])[1]).toBeAllclose(df(-2), { rtol: 1e-14 });
    expect(calls).toEqual({ t: 3, f: 3 });
    expect(jit(grad(f))(np.array(-0.5))).toBeAllclose(df(-0.5), { rtol: 1e-14 });
    expect(calls).toEqual({ t: 4, f: 4 });
    expect(vmap(grad(f))(np.array([0.7, -0.5]))).toBeAllclose([df(0.7), df(-0.5)], { rtol: 1e-14 });
    expect(calls).toEqual({ t: 5, f: 5 });
    expect(vmap(grad(f))(np.array([0.7, 0.2]))).toBeAllclose([df(0.7), df(0.2)], { rtol: 1e-14 });
    const s = (x: A) => lax.switch(x.gt(1).astype("int32").add(1), [(v: A) => v, (v: A) => v.mul(2), (v: A) => v.mul(v).mul(3)], x);
    expect(grad(s)(np.array(2))).toBeAllclose(12);
    expect(grad(s)(np.array(0.5))).toBeAllclose(2);
    expect(makeJaxpr(grad(s))(np.array(2)).toString()).toMatch(/cond\[/);
  });
  it("a branch closing over a changing value is never stale (nothing is cached between calls)", () => {
    let scale = np.array(2);
    let k = 5;
    const up = (v: A) => v.mul(scale).mul(k);
    const f = (x: A) => lax.cond(x.gt(0), up, (v: A) => v.neg(), x);
    const wf = (x: A) => lax.whileLoop((c: [A, A]) => c[0].lt(2), ([i, v]: [A, A]) => [i.add(1), up(v)] as [A, A], [np.array(0), x])[1];
    for (const [sc, kk] of [[2, 5], [3, 1], [-1, 2]] as const) {
      scale = np.array(sc);
      k = kk;
      expect(grad(f)(np.array(1))).toBeAllclose(sc * kk);
      expect(vmap(grad(f))(np.array([1, -1]))).toBeAllclose([sc * kk, -1]);
      expect(grad(wf)(np.array(1))).toBeAllclose((sc * kk) ** 2);
      expect(makeJaxpr(f)(np.array(1)).toString()).toContain("cond[");
      expect(jit((x: A) => f(x))(np.array(1))).toBeAllclose(sc * kk);
    }
  });
});
