/**
 * @file Donation reusing buffers: an output takes a donated argument's buffer only once nothing
 * reads the argument any more, never when the buffer is also another argument's or a constant's
 * memory; a training loop `params = step(params, batch)` stops allocating its parameters.
 */
import { describe, expect, it } from "vitest";
import { grad, jit } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray } from "../src/core/ndarray.ts";

type A = np.NDArray;
const dataOf = (a: A) => (a as ConcreteArray).data;
const values = (a: A) => Array.from(dataOf(a));
const seq = (n: number, s: number) => np.array(Array.from({ length: n }, (_, i) => Math.sin(0.9 * i + s)));

describe("jit: donated buffers become outputs", () => {
  it("a training step writes the new parameters into the donated ones' buffers, values as eager", () => {
    const loss = (p: { w: A; b: A }, x: A) => np.sum(np.tanh(x.matmul(p.w).add(p.b)));
    const update = (p: { w: A; b: A }, x: A) => {
      const g = grad(loss)(p, x) as { w: A; b: A };
      return { w: p.w.sub(g.w.mul(0.1)), b: p.b.sub(g.b.mul(0.1)) };
    };
    const step = jit(update, { donateArgnums: [0] });
    const x = seq(12, 1).reshape(3, 4);
    let p = { w: seq(20, 2).reshape(4, 5), b: seq(5, 3) };
    let expected = { w: np.array(values(p.w)).reshape(4, 5), b: np.array(values(p.b)) };
    for (let i = 0; i < 4; i++) {
      const [wBuf, bBuf] = [dataOf(p.w), dataOf(p.b)];
      const next = step(p, x) as { w: A; b: A };
      expected = update(expected, x);
      // Gradients are read before the update is written: both outputs reuse the donated buffers.
      expect(dataOf(next.w)).toBe(wBuf);
      expect(dataOf(next.b)).toBe(bBuf);
      expect(values(next.w)).toEqual(values(expected.w));
      expect(values(next.b)).toEqual(values(expected.b));
      expect(() => p.w.toArray()).toThrow(/donated/);
      p = next;
    }
  });

  it("never takes the buffer of an argument that is still read after the output is written", () => {
    // `a` is computed first, while x is still needed for `b`: a must not overwrite x.
    const f = (x: A, y: A) => {
      const a = np.exp(x);
      const s = np.sum(a.mul(y));
      return [a, np.sin(x).mul(s)];
    };
    const jf = jit(f, { donateArgnums: [0] });
    const x = seq(40, 4);
    const y = seq(40, 5);
    const want = f(np.array(values(x)), y).map(values);
    const got = jf(x, y) as A[];
    expect(got.map(values)).toEqual(want);
    expect(dataOf(got[0]!)).not.toBe(dataOf(y));
    // Read by the very next step (a sum, after the loop writing exp(x)).
    const g = (v: A) => [np.exp(v), np.sum(v)];
    const v = seq(40, 6);
    const wantG = g(np.array(values(v))).map(values);
    expect((jit(g, { donateArgnums: [0] })(v) as A[]).map(values)).toEqual(wantG);
  });

  it("never writes into memory another argument or a constant shares", () => {
    const W = seq(16, 6);
    const f = (x: A, y: A) => np.tanh(x.mul(2)).add(y).add(W);
    const jf = jit(f, { donateArgnums: [0] });
    // The same array given donated and not donated: it stays readable and unchanged.
    const x = seq(16, 7);
    const before = values(x);
    const r1 = jf(x, x) as A;
    expect(values(x)).toEqual(before);
    expect(values(r1)).toEqual(values(f(np.array(before), np.array(before))));
    // A reshape of a closed-over constant shares its memory: the constant stays intact.
    const view = W.reshape(4, 4).reshape(16);
    const wBefore = values(W);
    const r2 = jf(view, seq(16, 8)) as A;
    expect(values(W)).toEqual(wBefore);
    expect(values(r2)).toEqual(values(f(np.array(wBefore), seq(16, 8))));
    const r3 = jf(seq(16, 9), seq(16, 8)) as A;
    expect(values(r3)).toEqual(values(f(seq(16, 9), seq(16, 8))));
    // An ordinary donated argument does give its buffer.
    const z = seq(16, 10);
    const zBuf = dataOf(z);
    expect(dataOf(jf(z, seq(16, 8)) as A)).toBe(zBuf);
  });

  it("a loop writes in place only what it reads at the written index: not through a transpose or broadcast, not under a fused maximum", () => {
    const cases: [string, (x: A) => A][] = [
      ["transpose", (x) => np.transpose(x).add(1)],
      ["broadcast", (x) => x.get(0).reshape(1, 4).add(x.mul(0))],
      ["maximum", (x) => np.max(x.mul(2), { axis: 1, keepdims: true }).reshape(4, 1).add(np.zeros([4, 4]))],
      // A maximum over an axis of size 1: its output has the argument's size, and is filled before the loop.
      ["column maximum", (x) => np.max(np.sin(x), { axis: 1 })],
    ];
    for (const [name, g] of cases) {
      const shape = name === "column maximum" ? [16, 1] : [4, 4];
      const x = seq(16, 12).reshape(...shape);
      const want = values(g(np.array(values(x)).reshape(...shape)));
      const got = jit(g, { donateArgnums: [0] })(x) as A;
      expect([name, values(got)]).toEqual([name, want]);
    }
  });

  it("an output of another dtype or size, or an argument the output shares, keeps fresh memory", () => {
    const jf = jit((x: A) => [np.sum(x), np.greater(x, 0), x.reshape(2, 3)], { donateArgnums: [0] });
    const x = seq(6, 11);
    const buf = dataOf(x);
    const [s, g, r] = jf(x) as A[];
    for (const o of [s!, g!]) expect(dataOf(o)).not.toBe(buf);
    // The reshape is the argument's memory, returned as an output: kept, and readable.
    expect(values(r!)).toEqual(Array.from(buf));
  });
});
