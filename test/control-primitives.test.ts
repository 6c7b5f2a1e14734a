/**
 * @file The control-flow primitives through every transformation, in every order: `lax.cond`,
 * `switch`, `whileLoop`, `foriLoop` and `scan` under grad, jvp, vjp, vmap, makeJaxpr, jit and
 * their nestings, against the same function written with plain JS control flow (or its closed
 * form) and central differences; the printed jaxprs; the structure checks.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, hessian, jacfwd, jacrev, jit, jvp, lax, makeJaxpr, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { countEqns } from "../src/core/jaxpr.ts";

type A = np.NDArray;
type F = (x: A) => A;
const loop = (f: F, xs: A) => np.stack(Array.from({ length: xs.shape[0]! }, (_, i) => f(xs.get(i))));

/**
 * `f` and `ref` (the same function without lax) agree under every transformation of a scalar
 * function of a vector, nested twice included; `xs` is a batch of inputs.
 */
function agreeEverywhere(f: F, ref: F, xs: A, rtol = 1e-12): void {
  const x = xs.get(0);
  const close = (a: A, b: A, what: string) => expect(a, what).toBeAllclose(b, { rtol, atol: 1e-12 });
  close(f(x), ref(x), "eager");
  close(jit(f)(x), ref(x), "jit");
  close(makeJaxpr(f)(x).eval(x), ref(x), "makeJaxpr(f).eval");
  close(grad(f)(x), grad(ref)(x), "grad");
  close(jvp(f, [x], [np.onesLike(x)])[1] as A, jvp(ref, [x], [np.onesLike(x)])[1] as A, "jvp");
  close((vjp(f, x)[1](np.array(1.5)) as A[])[0]!, (vjp(ref, x)[1](np.array(1.5)) as A[])[0]!, "vjp");
  close(vmap(f)(xs), loop(ref, xs), "vmap");
  close(jit(grad(f))(x), grad(ref)(x), "jit(grad)");
  close(makeJaxpr(grad(f))(x).eval(x), grad(ref)(x), "makeJaxpr(grad).eval");
  close(vmap(grad(f))(xs), loop(grad(ref) as F, xs), "vmap(grad)");
  close(grad((v: A) => np.sum(vmap(f)(v)))(xs), loop(grad(ref) as F, xs), "grad(sum vmap)");
  close(jit(vmap(grad(f)))(xs), loop(grad(ref) as F, xs), "jit(vmap(grad))");
  close(hessian(f)(x), hessian(ref)(x), "hessian");
  close(jacfwd(jacrev(f))(x), hessian(ref)(x), "jacfwd(jacrev)");
  close(jacrev(jacrev(f))(x), hessian(ref)(x), "jacrev(jacrev)");
  close(jacrev(grad(f))(x), hessian(ref)(x), "grad(grad) as jacrev(grad)");
  close(jit(hessian(f))(x), hessian(ref)(x), "jit(hessian)");
  close(vmap(hessian(f))(xs), loop(hessian(ref) as F, xs), "vmap(hessian)");
  checkGrads(f, [x], { order: 2 });
}

describe("lax.cond and lax.switch as the cond primitive", () => {
  const f = (x: A) => lax.cond(np.sum(x).gt(0), (v: A) => np.sum(np.sin(v).mul(v)), (v: A) => np.sum(v.mul(v).mul(v)).neg(), x);
  const ref = (x: A) => (np.sum(x).item() > 0 ? np.sum(np.sin(x).mul(x)) : np.sum(x.mul(x).mul(x)).neg());
  const xs = np.array([[0.5, 1, -0.2], [-1, 0.3, -0.4], [2, -0.5, 0.1]]);
  it("agrees with a JS if under every transformation (members taking different branches under vmap)", () => {
    agreeEverywhere(f, ref, xs);
    agreeEverywhere(f, ref, xs.get([1, 0, 2]));
  });
  it("switch with a traced index, batched or not, and a closure over a traced value", () => {
    const g = (x: A) => {
      const k = np.floor(np.abs(np.sum(x)));
      const s = np.sum(x.mul(x)); // captured by the branches: hoisted into operands
      return lax.switch(k, [(v: A) => np.sum(np.exp(v.mul(0.1))).mul(s), (v: A) => np.sum(np.tanh(v)).add(s), (v: A) => np.prod(v)], x);
    };
    const gRef = (x: A) => {
      const k = Math.min(Math.floor(Math.abs(np.sum(x).item())), 2);
      const s = np.sum(x.mul(x));
      return [np.sum(np.exp(x.mul(0.1))).mul(s), np.sum(np.tanh(x)).add(s), np.prod(x)][k]!;
    };
    agreeEverywhere(g, gRef, np.array([[0.2, 0.3, 0.1], [1, 0.5, -0.2], [2, 1, 0.5]]));
  });
  it("stages as one equation printing its branches", () => {
    const text = String(makeJaxpr(f)(np.ones([3])));
    expect(text).toContain("cond[branches=(\n");
    expect(text.match(/\{ lambda /g)!.length).toBe(3); // the outer jaxpr and two branches
    expect(makeJaxpr(f)(np.ones([3])).eqns.map((e) => e.prim.name)).toEqual(["reduceSum", "gt", "convert", "cond"]);
  });
  it("checks that the branches agree, whether or not the predicate is batched", () => {
    const bad = (x: A) => lax.cond(x.gt(0), (v: A) => v, (v: A) => np.stack([v, v]), x);
    expect(() => vmap(bad)(np.array([1, -1]))).toThrow(/lax\.cond: falseFun and trueFun return different outputs: leaf 0 is float64\(2,\) in one and float64\(\) in the other/);
    expect(() => grad(bad)(np.array(1))).toThrow(/lax\.cond: falseFun and trueFun/);
    const dtypes = (x: A) => lax.cond(x.gt(0), (v: A) => v, (v: A) => v.gt(0), x);
    expect(() => jit(dtypes)(np.array(1))).toThrow(/leaf 0 is bool\(\) in one and float64\(\) in the other/);
    const trees = (x: A) => lax.cond(x.gt(0), (v: A): unknown => [v], (v: A): unknown => ({ a: v }), x);
    expect(() => jit(trees)(np.array(1))).toThrow(/the tree structures differ/);
  });
});

/** √a by Newton's method until |x² − a| ≤ 1e-12·a: a data-dependent number of steps. */
const newton = (a: A) => lax.whileLoop((x: A) => np.abs(x.mul(x).sub(a)).gt(a.mul(1e-12)), (x: A) => x.add(a.div(x)).mul(0.5), a);

describe("lax.whileLoop as the while primitive", () => {
  const f = (x: A) => np.sum(vmap(newton)(x).mul(x));
  const ref = (x: A) => np.sum(np.sqrt(x).mul(x));
  it("Newton's method agrees with the closed form under every transformation, in reverse mode too", () => {
    agreeEverywhere(f, ref, np.array([[2, 9, 0.5], [1e4, 3, 0.01], [7, 7, 7]]), 1e-9);
    // a scalar loop nested in grad twice, and jvp of grad
    expect(grad(grad(newton))(np.array(2))).toBeAllclose(-0.25 * 2 ** -1.5, { rtol: 1e-9 });
    expect(jvp(grad(newton), [np.array(2)], [np.array(1)])[1]).toBeAllclose(-0.25 * 2 ** -1.5, { rtol: 1e-9 });
    expect(jit(grad(grad(newton)))(np.array(5))).toBeAllclose(-0.25 * 5 ** -1.5, { rtol: 1e-9 });
  });
  it("members that stop at different steps: vmap(grad) and grad(vmap) through a loop whose carry is a tree", () => {
    // x ← x·w + 1 until the count reaches n: d/dw depends on the member's own number of steps
    const run = (w: A, n: A) =>
      lax.whileLoop(
        (s: { k: A; x: A }) => s.k.lt(n),
        (s: { k: A; x: A }) => ({ k: s.k.add(1), x: np.sin(s.x.mul(w)).add(1) }),
        { k: np.array(0), x: w },
      ).x;
    const runRef = (w: A, n: number) => {
      let x = w;
      for (let k = 0; k < n; k++) x = np.sin(x.mul(w)).add(1);
      return x;
    };
    const ws = np.array([0.3, 0.7, 1.2, 0.5]);
    const ns = np.array([0, 1, 3, 5]);
    const want = np.stack([0, 1, 2, 3].map((i) => grad((w: A) => runRef(w, ns.get(i).item()))(ws.get(i)) as A));
    expect(vmap(grad(run))(ws, ns)).toBeAllclose(want, { rtol: 1e-13 });
    expect(grad((w: A) => np.sum(vmap(run)(w, ns)))(ws)).toBeAllclose(want, { rtol: 1e-13 });
    expect(jit(vmap(grad(run)))(ws, ns)).toBeAllclose(want, { rtol: 1e-13 });
    const want2 = np.stack([0, 1, 2, 3].map((i) => grad(grad((w: A) => runRef(w, ns.get(i).item())))(ws.get(i)) as A));
    expect(vmap(grad(grad(run)))(ws, ns)).toBeAllclose(want2, { rtol: 1e-12 });
    expect(vmap(jacfwd(grad(run)))(ws, ns)).toBeAllclose(want2, { rtol: 1e-12 });
  });
  it("stages a data-dependent loop as one equation printing its cond and body", () => {
    const j = makeJaxpr(newton)(np.array(2));
    expect(j.eqns.map((e) => e.prim.name)).toEqual(["mul", "while"]);
    const text = String(j);
    expect(text).toMatch(/while\[cond_jaxpr=\{ lambda .*\n(.*\n)*.* body_jaxpr=\{ lambda /);
    expect(j.eval(np.array(16))).toBeAllclose(4, { rtol: 1e-15 });
    // grad: the known loop stacks residuals (length unknown until run time: f64[?]) and a reverse scan transposes them
    const jg = makeJaxpr(grad(newton))(np.array(2));
    expect(jg.eqns.map((e) => e.prim.name)).toContain("while");
    expect(jg.eqns.filter((e) => e.prim.name === "scan").length).toBe(1);
    expect(String(jg)).toMatch(/f64\[\?\]/);
    expect(jg.eval(np.array(9))).toBeAllclose(1 / 6, { rtol: 1e-12 });
  });
  it("checks that the body keeps the carry's structure, shapes and dtypes, also with a batched predicate", () => {
    const grow = (x: A) => lax.whileLoop((v: A) => np.sum(v).lt(10), (v: A) => np.concatenate([v, v]), x);
    expect(() => jit(grow)(np.ones([1]))).toThrow(/lax\.whileLoop: bodyFun's output and initVal differ: leaf 0 is float64\(1,\) in one and float64\(2,\) in the other/);
    expect(() => grow(np.ones([1]))).toThrow(/lax\.whileLoop: bodyFun's output and initVal: leaf 0 is float64\(1,\)/);
    const retype = (x: A) => lax.whileLoop((v: A) => v.lt(10), (v: A) => v.add(1).astype("int32"), x);
    expect(() => vmap(retype)(np.array([1, 20]))).toThrow(/leaf 0 is float64\(\) in one and int32\(\) in the other/);
  });
});

describe("lax.foriLoop", () => {
  const power = (x: A, n: A | number) => lax.foriLoop(0, n, (_, acc: A) => acc.mul(x), np.array(1));
  it("a traced bound becomes a while equation; number bounds a scan", () => {
    const j = makeJaxpr(power)(np.array(2), np.array(3));
    expect(j.eqns.map((e) => e.prim.name)).toContain("while");
    expect(j.eval(np.array(2), np.array(5))).toBeAllclose(32);
    const js = makeJaxpr((x: A) => power(x, 7))(np.array(2));
    expect(js.eqns.map((e) => e.prim.name)).toEqual(["scan"]);
    expect(String(js)).toContain("length=7");
    expect(jit(grad(power))(np.array(3), np.array(4))).toBeAllclose(4 * 27);
    expect(grad((x: A) => power(x, 4))(np.array(3))).toBeAllclose(4 * 27);
    expect(vmap(grad(power))(np.array([2, 3, 5]), np.array([3, 1, 0]))).toBeAllclose([12, 1, 0]);
  });
  it("raises on a NaN bound", () => {
    expect(() => lax.foriLoop(0, NaN, (_, a: number) => a, 0)).toThrow(/lax\.foriLoop: the upper bound is NaN/);
    expect(() => grad((x: A) => lax.foriLoop(NaN, 3, (_, a: A) => a.mul(x), x))(np.array(1))).toThrow(/lax\.foriLoop: the lower bound is NaN/);
  });
});

describe("lax.scan as the scan primitive", () => {
  const W = np.array([[0.5, -0.3], [0.2, 0.8]]);
  const seq = np.array([[1, 0], [0.5, -1], [0.2, 0.3], [-0.4, 0.1]]);
  const rnn = (w: A, xs: A, reverse = false) =>
    lax.scan((h: A, x: A) => { const h2 = np.tanh(h.matmul(w).add(x)); return [h2, np.sum(h2)]; }, np.zeros([2]), xs, { reverse });
  const rnnRef = (w: A, xs: A, reverse = false) => {
    let h = np.zeros([2]);
    const ys: A[] = new Array(xs.shape[0]!);
    for (let k = 0; k < xs.shape[0]!; k++) {
      const t = reverse ? xs.shape[0]! - 1 - k : k;
      h = np.tanh(h.matmul(w).add(xs.get(t)));
      ys[t] = np.sum(h);
    }
    return [h, np.stack(ys)] as [A, A];
  };
  it("an RNN agrees with the unrolled loop under every transformation, both directions", () => {
    for (const reverse of [false, true]) {
      const f = (v: A) => { const [h, ys] = rnn(v.reshape([2, 2]), seq, reverse); return np.sum(h.pow(2)).add(np.sum(ys.mul(ys))); };
      const ref = (v: A) => { const [h, ys] = rnnRef(v.reshape([2, 2]), seq, reverse); return np.sum(h.pow(2)).add(np.sum(ys.mul(ys))); };
      agreeEverywhere(f, ref, np.stack([W.ravel(), W.ravel().mul(-0.5), W.ravel().add(0.3)]));
    }
  });
  it("vmap over sequences and over the weights, against a loop", () => {
    const batch = np.stack([seq, seq.mul(2), seq.neg()]);
    expect(vmap((s: A) => rnn(W, s)[1])(batch)).toBeAllclose(loop((s: A) => rnnRef(W, s)[1], batch), { rtol: 1e-14 });
    const ws = np.stack([W, W.mul(0.5)]);
    expect(vmap((w: A) => rnn(w, seq)[0])(ws)).toBeAllclose(loop((w: A) => rnnRef(w, seq)[0], ws), { rtol: 1e-14 });
  });
  it("stages a 500-step scan as one equation with the body printed once", () => {
    const xs = np.zeros([500, 2]);
    const j = makeJaxpr((w: A) => rnn(w, xs)[0])(W);
    expect(j.eqns.map((e) => e.prim.name)).toEqual(["scan"]);
    const text = String(j);
    expect(text).toContain("length=500 reverse=false");
    expect(text.match(/tanh/g)!.length).toBe(1);
    // a 50-step scan: one equation at the top, its body once (it was 254 equations unrolled)
    expect(countEqns(makeJaxpr((w: A) => rnn(w, xs.get(np.slice(0, 50)))[0])(W).closed.jaxpr)).toBeLessThan(10);
  });
  it("reverse mode stacks only per-step residuals: loop-invariant ones are computed once", () => {
    const xs = np.ones([100, 3]);
    const f = (w: A) => np.sum(lax.scan((h: A, x: A) => [h.mul(np.exp(w)).add(x), null] as [A, null], np.zeros([3]), xs)[0]);
    const j = makeJaxpr(grad(f))(np.array([0.1, 0.2, 0.3]));
    const scans = j.eqns.filter((e) => e.prim.name === "scan");
    expect(scans.length).toBe(2); // the known scan, and the transposed linear scan
    // the known scan stacks h (f64[100,3]) but not exp(w), which is computed once outside
    expect(scans[0]!.outs.map((v) => v.aval.shape)).toEqual([[3], [100, 3]]);
    expect(j.eqns.filter((e) => e.prim.name === "exp").length).toBe(1);
    const w = np.array([-0.1, 0.05, 0.02]);
    expect(j.eval(w)).toBeAllclose(grad((v: A) => { let h = np.zeros([3]); for (let t = 0; t < 100; t++) h = h.mul(np.exp(v)).add(1); return np.sum(h); })(w), { rtol: 1e-12 });
  });
  it("length 0 returns the init and empty stacks, eagerly and staged", () => {
    const [c, ys] = lax.scan((h: A, x: A) => [h.add(x), { y: h.mul(x), z: np.stack([x, x]) }], np.zeros([3]), np.zeros([0, 3]));
    expect(c).toBeAllclose([0, 0, 0]);
    expect(ys.y.shape).toEqual([0, 3]);
    expect(ys.z.shape).toEqual([0, 2, 3]);
    const g = grad((w: A) => np.sum(lax.scan((h: A, x: A) => [h.mul(w).add(x), h], w, np.zeros([0]))[0]))(np.array(2));
    expect(g).toBeAllclose(1);
    const [, ysJ] = jit((h0: A) => lax.scan((h: A, x: A) => [h.add(x), h], h0, np.zeros([0, 2])))(np.ones([2]));
    expect(ysJ.shape).toEqual([0, 2]);
  });
  it("checks the carry and the step count", () => {
    expect(() => lax.scan((c: A, x: A) => [c.add(x), c], np.array(0), np.ones([2, 3]))).toThrow(
      /lax\.scan: f's carry output and init: leaf 0 is float64\(\) in one and float64\(3,\) in the other/,
    );
    expect(() => jit((c0: A) => lax.scan((c: A, x: A) => [c.add(x), c], c0, np.ones([2, 3])))(np.array(0))).toThrow(
      /lax\.scan: f's carry output and init differ: leaf 0/,
    );
    expect(() => lax.scan((c: A) => [c, c], np.array(0), null, { length: -1 })).toThrow(/lax\.scan: length must be a non-negative integer, got -1/);
    const noPair = (c: A) => c.add(1) as unknown as [A, A];
    expect(() => lax.scan(noPair, np.array(0), null, { length: 2 })).toThrow(/lax\.scan: f must return \[carry, y\], got an object/);
    expect(() => grad((w: A) => lax.scan(noPair, w, null, { length: 2 })[0])(np.array(0))).toThrow(/lax\.scan: f must return \[carry, y\], got an object/);
    expect(() => lax.whileLoop(() => np.array([true, false]), (v: A) => v, np.array(0))).toThrow(/lax\.whileLoop: condFun's result must be a scalar, got shape \(2,\)/);
    expect(() => jit((x: A) => lax.whileLoop(() => np.array([true, false]), (v: A) => v, x))(np.array(0))).toThrow(/lax\.whileLoop: condFun's result must be a scalar, got shape \(2,\)/);
  });
});

describe("nested control flow", () => {
  const xs = np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.2]]);
  // a while whose body is a scan whose body has a cond and a foriLoop
  const inner = (w: A, h0: A) =>
    lax.scan((h: A, x: A) => {
      const h2 = lax.cond(h.sum().gt(0), (v: A) => np.tanh(v.mul(w)).add(x), (v: A) => np.sin(v).mul(w).sub(x), h);
      return [lax.foriLoop(0, 2, (_i, c: A) => c.mul(0.9).add(0.01), h2), h2.sum()];
    }, h0, xs)[0];
  const outer = (w: A) =>
    lax.whileLoop((s: { k: A; h: A }) => s.k.lt(3), (s: { k: A; h: A }) => ({ k: s.k.add(1), h: inner(w, s.h) }), { k: np.array(0), h: np.array([0.5, -0.3]) }).h.sum();
  const ref = (w: A) => {
    let h = np.array([0.5, -0.3]);
    for (let k = 0; k < 3; k++) {
      for (let t = 0; t < 3; t++) {
        let h2 = h.sum().item() > 0 ? np.tanh(h.mul(w)).add(xs.get(t)) : np.sin(h).mul(w).sub(xs.get(t));
        for (let i = 0; i < 2; i++) h2 = h2.mul(0.9).add(0.01);
        h = h2;
      }
    }
    return h.sum();
  };
  it("while ∘ scan ∘ (cond, foriLoop) agrees with JS loops to second order, batched and staged", () => {
    const ws = np.array([0.7, -0.4, 1.1]);
    const each = (g: F) => np.stack([0.7, -0.4, 1.1].map((v) => g(np.array(v))));
    expect(outer(np.array(0.7))).toBeAllclose(ref(np.array(0.7)), { rtol: 1e-15 });
    expect(vmap(grad(outer))(ws)).toBeAllclose(each(grad(ref) as F), { rtol: 1e-13 });
    expect(vmap(grad(grad(outer)))(ws)).toBeAllclose(each(grad(grad(ref)) as F), { rtol: 1e-12 });
    expect(jit(vmap(jacfwd(grad(outer))))(ws)).toBeAllclose(each(grad(grad(ref)) as F), { rtol: 1e-12 });
    expect(jit(grad(grad(outer)))(np.array(0.7))).toBeAllclose(grad(grad(ref))(np.array(0.7)), { rtol: 1e-12 });
    checkGrads(outer, [np.array(0.7)], { order: 2 });
  });
  it("second derivatives through a vmapped data-dependent while, staged too", () => {
    const as = np.array([2, 9, 1e4, 0.01]);
    const want = np.power(as, -1.5).mul(-0.25);
    expect(vmap(grad(grad(newton)))(as)).toBeAllclose(want, { rtol: 1e-9 });
    expect(jit(vmap(grad(grad(newton))))(as)).toBeAllclose(want, { rtol: 1e-9 });
    expect(grad((a: A) => np.sum(vmap(grad(newton))(a)))(as)).toBeAllclose(want, { rtol: 1e-9 });
  });
});

describe("staging the functions given to lax", () => {
  it("calls each function once per transformation call, whatever the number of steps", () => {
    let bodyCalls = 0;
    let condCalls = 0;
    const f = (x: A) =>
      lax.whileLoop(
        (v: A) => { condCalls++; return v.lt(1000); },
        (v: A) => { bodyCalls++; return v.mul(1.5); },
        x,
      );
    grad(f)(np.array(1));
    expect([condCalls, bodyCalls]).toEqual([1, 1]);
    let scanCalls = 0;
    const g = (w: A) => lax.scan((h: A) => { scanCalls++; return [h.mul(w), null] as [A, null]; }, w, null, { length: 200 })[0];
    jit(grad(g))(np.array(0.9));
    vmap(g)(np.array([0.5, 0.9]));
    expect(scanCalls).toBe(2);
  });
  it("a JS comparison on a staged value says what to do instead", () => {
    const f = (x: A) => lax.whileLoop((v: A) => v.item() < 3, (v: A) => v.add(1), x);
    expect(() => grad(f)(np.array(0))).toThrow(/item\(\) on a staged value \(float64\[\]\).*lax\.cond\/switch\/whileLoop\/foriLoop\/scan under a transformation/);
    expect(f(np.array(0))).toBeAllclose(3); // eagerly, values are concrete
  });
});
