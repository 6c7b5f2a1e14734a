/**
 * @file The batch-products pass: which products it batches (sums of products, products sharing an
 * operand, constants concatenated at compile time) and which it must leave alone (chains where one
 * product feeds another, mixed shapes, products read elsewhere, sizes outside its range), with the
 * results checked against the interpreter within the summation error bound.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, lax } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray } from "../src/core/ndarray.ts";
import { evalJaxpr, type ClosedJaxpr } from "../src/core/jaxpr.ts";
import { compile } from "../src/compiler/index.ts";
import { BATCH_MAX_DEPTH, batchProducts, batchShared, batchSums } from "../src/compiler/batch-products.ts";
import { staged } from "./compiler-helpers.ts";

type A = np.NDArray;
const EPS = 2 ** -52;

/** Deterministic data of `shape`: sin(0.7·i + seed). */
const data = (shape: number[], seed: number): A => {
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(Float64Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + seed))).reshape(...shape);
};
const count = (closed: ClosedJaxpr, name: string): number => closed.jaxpr.eqns.filter((e) => e.prim.name === name).length;
const dataOf = (x: A): Float64Array => (x as ConcreteArray).data as Float64Array;

/**
 * |got − want| ≤ 2·N·ε·scale elementwise: both are sums of the same N products of floats, each
 * within γ_N·Σ|terms| ≈ N·ε·Σ|terms| of the exact sum in any order of addition (Higham, Accuracy
 * and Stability of Numerical Algorithms, §3.1); `scale` is Σ|terms| (the product of the absolute
 * values), and the factor 2 covers both sides' errors (plus 1% for the rounding of `scale` itself).
 */
function withinSumBound(got: A, want: A, scale: A, terms: number): void {
  expect(got.shape).toEqual(want.shape);
  const [g, w, s] = [dataOf(got), dataOf(want), dataOf(scale)];
  for (let i = 0; i < w.length; i++) {
    const bound = 2.02 * terms * EPS * s[i]!;
    if (!(Math.abs(g[i]! - w[i]!) <= bound)) expect({ index: i, got: g[i], bound }).toEqual({ index: i, got: w[i], bound });
  }
}

describe("sums of products", () => {
  // Σᵢ aᵢᵀ·bᵢ with aᵢ [16, 40], bᵢ [16, 64]: m·k·n = 40·16·64, inside the pass's range.
  const as = [0, 1, 2].map((i) => data([16, 40], i));
  const bs = [0, 1, 2].map((i) => data([16, 64], 10 + i));
  const sum3 = (a0: A, a1: A, a2: A, b0: A, b1: A, b2: A) =>
    np.transpose(a0).matmul(b0).add(np.transpose(a1).matmul(b1)).add(np.transpose(a2).matmul(b2));
  const scale = as.reduce((s, a, i) => s.add(np.abs(np.transpose(a)).matmul(np.abs(bs[i]!))), np.zeros([40, 64]));

  it("become one product over operands concatenated along the contracted axis", () => {
    const before = staged(sum3 as never, ...as, ...bs);
    expect(count(before, "dotGeneral")).toBe(3);
    const after = batchSums(before);
    // As staged, each aᵢᵀ is a transpose [40, 16]: they are concatenated along their contracted axis 1.
    expect(String(after)).toMatch(/:f64\[40,48\] = concatenate\[axis=1\] g h i\n.*:f64\[48,64\] = concatenate\[axis=0\] d e f\n.*:f64\[40,64\] = dotGeneral\[lhs_contract=\[1\] rhs_contract=\[0\].* j k\n/);
    expect(count(after, "dotGeneral")).toBe(1);
    expect(count(after, "add")).toBe(0);
    const args = [...as, ...bs];
    withinSumBound(evalJaxpr(after, args)[0]!, evalJaxpr(before, args)[0]!, scale, 48);
    withinSumBound(compile(before).run(args)[0]!, evalJaxpr(before, args)[0]!, scale, 48);
  });

  it("keep their other terms, and products something else reads", () => {
    const c = data([40, 64], 7);
    const f = (a0: A, a1: A, a2: A, b0: A, b1: A, b2: A, c: A) => {
      const p1 = np.transpose(a1).matmul(b1);
      return [np.transpose(a0).matmul(b0).add(c).add(p1).add(np.transpose(a2).matmul(b2)), np.sin(p1)];
    };
    const before = staged(f as never, ...as, ...bs, c);
    const after = batchSums(before);
    // p1 is also an output's operand: the products of a0 and a2 are batched, p1 and c added.
    expect(count(after, "dotGeneral")).toBe(2);
    expect(count(after, "concatenate")).toBe(2);
    expect(count(after, "add")).toBe(2);
    const args = [...as, ...bs, c];
    const [got, want] = [evalJaxpr(after, args), evalJaxpr(before, args)];
    withinSumBound(got[0]!, want[0]!, scale.add(np.abs(c)), 48);
    expect(got[1]).toBeAllclose(want[1]!, { rtol: 0, atol: 0 });
  });

  it("are cut in runs whose contracted length stays within the kernel's single pass", () => {
    const n = 40;
    const a = Array.from({ length: n }, (_, i) => data([32, 36], i));
    const b = Array.from({ length: n }, (_, i) => data([32, 36], 100 + i));
    const f = (...xs: A[]) => xs.slice(0, n).reduce((s: A | null, x, i) => {
      const p = np.transpose(x).matmul(xs[n + i]!);
      return s === null ? p : s.add(p);
    }, null)!;
    const before = staged(f as never, ...a, ...b);
    const after = batchSums(before);
    // 40 products of depth 32: 1280 > 1024, so two runs of 20 (depth 640), added.
    expect(BATCH_MAX_DEPTH).toBe(1024);
    expect(count(after, "dotGeneral")).toBe(2);
    expect(after.jaxpr.eqns.filter((e) => e.prim.name === "concatenate").map((e) => e.outs[0]!.aval.shape.join())).toEqual(["36,640", "640,36", "36,640", "640,36"]);
    const scaleN = a.reduce((s, x, i) => s.add(np.abs(np.transpose(x)).matmul(np.abs(b[i]!))), np.zeros([36, 36]));
    withinSumBound(evalJaxpr(after, [...a, ...b])[0]!, evalJaxpr(before, [...a, ...b])[0]!, scaleN, n * 32);
  });

  it("are left alone with mixed shapes or dimension numbers", () => {
    // Contracted lengths 16 and 24: the same output shape, operands of different shapes.
    const mixed = staged(((x0: A, x2: A, y0: A, y2: A) => np.transpose(x0).matmul(y0).add(np.transpose(x2).matmul(y2))) as never, as[0]!, data([24, 40], 3), bs[0]!, data([24, 64], 4));
    expect(batchSums(mixed)).toBe(mixed);
    // xᵀ·y (contracting x's axis 0) and z·y (axis 1): operands of one shape, other dimension numbers.
    const dims = staged(((x: A, y: A, z: A) => lax.dotGeneral(x, y, [[[0], [0]], [[], []]]).add(z.matmul(y))) as never, data([40, 40], 1), data([40, 64], 2), data([40, 40], 3));
    expect(count(dims, "dotGeneral")).toBe(2);
    expect(batchSums(dims)).toBe(dims);
  });

  it("are left alone when too small or already large", () => {
    const small = staged(((a: A, b: A, c: A, d: A) => a.matmul(b).add(c.matmul(d))) as never, data([8, 8], 1), data([8, 8], 2), data([8, 8], 3), data([8, 8], 4));
    expect(batchSums(small)).toBe(small);
    const big = staged(((a: A, b: A, c: A, d: A) => a.matmul(b).add(c.matmul(d))) as never, data([128, 128], 1), data([128, 128], 2), data([128, 128], 3), data([128, 128], 4));
    expect(batchSums(big)).toBe(big);
  });
});

describe("products sharing an operand", () => {
  const xs = [0, 1, 2].map((i) => data([32, 32], i));
  const w = data([32, 48], 9);
  const scale = (x: A, m: A) => np.abs(x).matmul(np.abs(m));

  it("become one product over the others concatenated along a free axis, then slices", () => {
    const f = (x0: A, x1: A, x2: A, w: A) => [np.tanh(x0.matmul(w)), x1.matmul(w), x2.matmul(w).mul(2)];
    const before = staged(f as never, ...xs, w);
    const after = batchShared(before);
    expect(String(after)).toMatch(/f:f64\[96,32\] = concatenate\[axis=0\] b c d\n.*g:f64\[96,48\] = dotGeneral.* f e\n.*h:f64\[32,48\] = slice\[start=\[0,0\] step=\[1,1\] size=\[32,48\]\] g\n.*slice\[start=\[32,0\]/);
    expect(count(after, "dotGeneral")).toBe(1);
    const args = [...xs, w];
    const [got, want] = [evalJaxpr(after, args), evalJaxpr(before, args)];
    withinSumBound(got[1]!, want[1]!, scale(xs[1]!, w), 32);
    withinSumBound(got[2]!, want[2]!, scale(xs[2]!, w).mul(2), 32);
  });

  it("shared on the left: concatenated along the right operand's free axis, sliced along columns", () => {
    const m = data([40, 32], 5);
    const f = (m: A, y0: A, y1: A) => [m.matmul(y0), m.matmul(y1)];
    const ys = [data([32, 36], 1), data([32, 36], 2)];
    const before = staged(f as never, m, ...ys);
    const after = batchShared(before);
    expect(count(after, "dotGeneral")).toBe(1);
    expect(String(after)).toMatch(/concatenate\[axis=1\][^]*slice\[start=\[0,36\] step=\[1,1\] size=\[40,36\]\]/);
    const [got, want] = [evalJaxpr(after, [m, ...ys]), evalJaxpr(before, [m, ...ys])];
    got.forEach((g, i) => withinSumBound(g, want[i]!, scale(m, ys[i]!), 32));
  });

  it("with constant operands: the concatenation is made at compile time", () => {
    const f = (w: A) => xs.map((x) => x.matmul(w));
    const before = staged(f as never, w);
    const after = batchShared(before);
    expect(count(after, "concatenate")).toBe(0);
    expect(after.consts.map((c) => c.shape.join())).toContain("96,32");
    const [got, want] = [evalJaxpr(after, [w]), evalJaxpr(before, [w])];
    got.forEach((g, i) => withinSumBound(g, want[i]!, scale(xs[i]!, w), 32));
  });

  it("are left alone when one feeds another, directly or through other equations", () => {
    const sq = data([32, 32], 4);
    const direct = staged(((x: A, w: A) => {
      const y1 = x.matmul(w);
      return [y1, y1.matmul(w)];
    }) as never, xs[0]!, sq);
    expect(batchShared(direct)).toBe(direct);
    const through = staged(((x: A, w: A) => {
      const y1 = x.matmul(w);
      return [y1, np.tanh(y1).matmul(w), x.mul(2).matmul(w)];
    }) as never, xs[0]!, sq);
    // x·w and (2x)·w may be batched; tanh(x·w)·w may not join them.
    const after = batchShared(through);
    expect(count(after, "dotGeneral")).toBe(2);
    expect(after.jaxpr.eqns.find((e) => e.prim.name === "concatenate")!.outs[0]!.aval.shape).toEqual([64, 32]);
    const [got, want] = [evalJaxpr(after, [xs[0]!, sq]), evalJaxpr(through, [xs[0]!, sq])];
    withinSumBound(got[1]!, want[1]!, scale(np.tanh(want[0]!), sq), 32);
  });

  it("are left alone with mixed shapes", () => {
    const f = (x0: A, x1: A, w: A) => [x0.matmul(w), x1.matmul(w)];
    const before = staged(f as never, xs[0]!, data([24, 32], 1), w);
    expect(batchShared(before)).toBe(before);
  });

  it("a group reading another group's output is placed after it", () => {
    // P1 = x·W comes first, but its group (with P2 = sin(z)·W) can only be computed after sin(z);
    // Q1 = P1·V and Q2 = y·V form a second group that must come after the first one.
    const [x, z, y] = [data([32, 32], 1), data([32, 32], 2), data([32, 32], 3)];
    const [W, V] = [data([32, 32], 4), data([32, 32], 5)];
    const f = (x: A, z: A, y: A, W: A, V: A) => {
      const p1 = x.matmul(W);
      const p2 = np.sin(z).matmul(W);
      return [p1.matmul(V), y.matmul(V), p2];
    };
    const args = [x, z, y, W, V];
    const before = staged(f as never, ...args);
    const after = batchShared(before);
    expect(count(after, "dotGeneral")).toBe(2);
    const [got, want] = [evalJaxpr(after, args), evalJaxpr(before, args)];
    // Q1 reads P1, itself batched: its bound takes P1's error through V as well.
    const p1Scale = scale(x, W);
    withinSumBound(got[0]!, want[0]!, scale(np.abs(x.matmul(W)), V).add(p1Scale.matmul(np.abs(V))), 64);
    withinSumBound(got[1]!, want[1]!, scale(y, V), 32);
    withinSumBound(got[2]!, want[2]!, scale(np.sin(z), W), 32);
    withinSumBound(compile(before).run(args)[0]!, want[0]!, scale(np.abs(x.matmul(W)), V).add(p1Scale.matmul(np.abs(V))), 64);
  });
});

describe("the pass in the pipeline", () => {
  it("recurses into sub-jaxprs", () => {
    const [u, v, w] = [data([32, 32], 1), data([32, 32], 2), data([32, 48], 3)];
    const inner = jit((a: A, b: A, m: A) => [a.matmul(m), b.matmul(m)]);
    const before = staged(((a: A, b: A, m: A) => inner(np.sin(a), b, m)) as never, u, v, w);
    const sub = before.jaxpr.eqns.find((e) => e.prim.name === "pjit")!;
    expect(sub).toBeDefined();
    const after = batchProducts(before);
    const subAfter = after.jaxpr.eqns.find((e) => e.prim.name === "pjit")!;
    const body = Object.values(subAfter.params as Record<string, unknown>).find((p) => p !== null && typeof p === "object" && "jaxpr" in p) as ClosedJaxpr;
    expect(count(body, "dotGeneral")).toBe(1);
    expect(count(body, "concatenate")).toBe(1);
  });

  it("batches the RNN gradient's products: jit equals eager within the bound of its final sums", () => {
    // A tanh RNN as bench W7, smaller: batch 32, input 32, hidden 64, 20 steps, inputs closed over.
    const [B, I, H, T] = [32, 32, 64, 20];
    const xs = Array.from({ length: T }, (_, t) => data([B, I], 100 + t));
    const p = { wx: data([I, H], 1).mul(1 / Math.sqrt(I)), wh: data([H, H], 2).mul(1 / Math.sqrt(H)), b: data([H], 3).mul(0.1) };
    const loss = (q: typeof p) => {
      let h = np.zeros([B, H]);
      for (const x of xs) h = np.tanh(x.matmul(q.wx).add(h.matmul(q.wh)).add(q.b));
      return np.sum(h.mul(h));
    };
    const g = grad(loss);
    const jitted = jit(g);
    const { jaxpr } = jitted.lower(p);
    // The forward x_t·Wx as one product of a constant [T·B, I]; both weight gradients as sums of
    // products over concatenated steps (T·B = 640 ≤ 1024: one run each).
    expect(jaxpr.consts.some((c) => c.shape.join() === `${T * B},${I}`)).toBe(true);
    expect(jaxpr.jaxpr.eqns.filter((e) => e.prim.name === "concatenate").length).toBeGreaterThanOrEqual(2);
    // T products h·Wh, T − 1 products dz·Whᵀ (h₀ is a constant), the forward batch and one per sum.
    expect(count(jaxpr, "dotGeneral")).toBe(2 * T + 2);
    const [eager, compiled] = [g(p), jitted(p)];
    // The pass changes the order of the weight gradients' final sums Σ_t h_{t−1}ᵀ·dz_t and
    // Σ_t x_tᵀ·dz_t only: the recurrences run the same kernels on the same values (the forward
    // product of the concatenation computes each element as the step's product does). The bound is
    // then that of sums of N = T·B terms, scaled by Σ_t |h_{t−1}|ᵀ·|dz_t| (and the same with x_t),
    // with h_t and dz_t from a hand-written eager backward pass.
    const hs = [np.zeros([B, H])];
    for (const x of xs) hs.push(np.tanh(x.matmul(p.wx).add(hs[hs.length - 1]!.matmul(p.wh)).add(p.b)));
    let dh = hs[T]!.mul(2);
    let [sh, sx] = [np.zeros([H, H]), np.zeros([I, H])];
    for (let t = T; t >= 1; t--) {
      const dz = dh.mul(np.subtract(1, hs[t]!.mul(hs[t]!)));
      sh = sh.add(np.abs(np.transpose(hs[t - 1]!)).matmul(np.abs(dz)));
      sx = sx.add(np.abs(np.transpose(xs[t - 1]!)).matmul(np.abs(dz)));
      dh = dz.matmul(np.transpose(p.wh));
    }
    withinSumBound(compiled.wh, eager.wh, sh, T * B);
    withinSumBound(compiled.wx, eager.wx, sx, T * B);
    expect(compiled.b).toBeAllclose(eager.b, { rtol: 1e-13, atol: 0 });
  });
});

describe("the copies batching relies on", () => {
  it("concatenate and unit-step slices copy exactly, −0 and NaN included, along any axis", () => {
    const a = np.array([[-0, 1, NaN], [2, -0, Infinity]]);
    const b = np.array([[3, -0, 4], [-Infinity, 5, -0]]);
    const bits = (x: A) => Array.from(dataOf(x), (v) => (Object.is(v, -0) ? "-0" : String(v)));
    expect(bits(np.concatenate([a, b], { axis: 0 }))).toEqual([...bits(a), ...bits(b)]);
    expect(bits(np.concatenate([a, b], { axis: 1 }))).toEqual(["-0", "1", "NaN", "3", "-0", "4", "2", "-0", "Infinity", "-Infinity", "5", "-0"]);
    // Runs of 16 elements and more are block copies; shorter ones element by element.
    const big = data([4, 6, 20], 1).mul(-0);
    expect(bits(big.get("1:3", ":", ":"))).toEqual(bits(big).slice(120, 360));
    const x = data([4, 6, 20], 2);
    expect(dataOf(x.get("1:3", "2:5", "3:19"))).toEqual(Float64Array.from({ length: 2 * 3 * 16 }, (_, i) => dataOf(x)[(1 + Math.floor(i / 48)) * 120 + (2 + (Math.floor(i / 16) % 3)) * 20 + 3 + (i % 16)]!));
    expect(dataOf(x.get(":", 4, "::1"))).toEqual(Float64Array.from({ length: 80 }, (_, i) => dataOf(x)[Math.floor(i / 20) * 120 + 80 + (i % 20)]!));
  });
});
