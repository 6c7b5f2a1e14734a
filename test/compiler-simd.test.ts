/**
 * @file Fused loops on the WebAssembly SIMD kernels: `jit(f)` gives `f`'s numbers bit for bit for
 * programs with exp, expm1, tanh, log, sin, cos, logistic and pow below and above the 256 elements
 * from which eager uses the kernels, across chunk boundaries, with broadcasts, transposes, fused
 * reductions, NaN and ±∞ (and sin's and cos's huge arguments), plainly and under `grad` and `vmap`; every elementwise primitive's loop equals its kernel at a
 * length where eager may use a SIMD kernel; the generated code shows the chunked calls.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grad, jit, lax, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as nn from "autograd-ts/nn";
import { ConcreteArray, type NDArray } from "../src/core/ndarray.ts";
import { ClosedJaxpr, evalJaxpr, Jaxpr, JaxprVar, type JaxprEqn } from "../src/core/jaxpr.ts";
import { compile } from "../src/compiler/index.ts";
import { elementwisePrimitives } from "../src/compiler/elementwise.ts";
import { convertP } from "../src/primitives/structural.ts";
import { expP, tanhP } from "../src/primitives/unary.ts";
import { addP } from "../src/primitives/binary.ts";
import { simdMath, CHUNK } from "../src/kernels/simd.ts";
import { property } from "../property-tests/harness.ts";
import { staged, sameBits, asList, values, vec } from "./compiler-helpers.ts";

type A = np.NDArray;

const mat = (r: number, c: number, seed: number, scale?: number): A => vec(r * c, seed, scale).reshape(r, c);

/** Programs with every SIMD function, each in a chain with `Math` functions and arithmetic. */
const programs: [string, (x: A, y: A) => A | A[]][] = [
  ["exp, tanh and sin chained", (x) => np.tanh(np.exp(np.sin(x).mul(1.5)).sub(1))],
  ["expm1 beside a tanh read twice", (x, y) => {
    const t = np.tanh(x);
    return [np.expm1(t.mul(y)).add(t), t];
  }],
  ["pow with negative, zero and special bases", (x, y) => np.power(x, np.floor(y.mul(2))).add(np.power(np.abs(x), y))],
  ["sigmoid written with exp", (x) => np.divide(1, np.exp(x.neg()).add(1))],
  ["log, cos of huge arguments and the logistic sigmoid", (x, y) => np.log(np.abs(x).add(0.5)).mul(np.cos(y.mul(3e6))).add(nn.sigmoid(x.mul(y)))],
];
const LENGTHS = [1, 7, 255, 256, 257, 2047, 2048, 2049, 4097];

describe("jit on the SIMD kernels", () => {
  it("has WebAssembly SIMD here (else the cases below compare the Math fallback only)", () => {
    expect(simdMath()).not.toBeNull();
  });
  for (const [name, f] of programs) {
    it(`${name}: jit(f) equals f bit for bit, plainly, under grad and under vmap`, () => {
      for (const n of LENGTHS) {
        const x = vec(n, 1);
        const y = vec(n, 2, 1.5);
        sameBits(asList(f(x, y)), asList(jit(f)(x, y)));
        const loss = (a: A, b: A) => asList(f(a, b)).reduce((s, v) => s.add(np.sum(v.mul(v.mul(0.1).add(1)))), np.array(0));
        const g = grad(loss, { argnums: [0, 1] });
        sameBits(asList(g(x, y)), asList(jit(g)(x, y)));
      }
      for (const [b, n] of [[2, 128], [3, 100], [2, 1025], [5, 1]] as const) {
        const x = mat(b, n, 3);
        const y = mat(b, n, 4, 1.5);
        const v = vmap(f);
        sameBits(asList(v(x, y)), asList(jit(v)(x, y)));
        sameBits(asList(v(x, y)), asList(vmap(jit(f))(x, y)));
        const vg = vmap(grad((a: A, c: A) => np.sum(asList(f(a, c))[0]!)));
        sameBits(asList(vg(x, y)), asList(jit(vg)(x, y)));
      }
    });
  }
  it("reads broadcasts and transposes through cursors inside a chunked loop, across chunk boundaries", () => {
    const shapes: [number, number][] = [[3, 85], [2, 128], [16, 16], [1, 257], [257, 1], [5, 819], [2, 2049], [4097, 1], [100, 41]];
    for (const [r, c] of shapes) {
      const x = mat(r, c, 5);
      const row = vec(c, 6);
      const col = vec(r, 7).reshape(r, 1);
      const xt = mat(c, r, 8);
      const f = (a: A, b: A, k: A, t: A) => [np.tanh(a.add(b)).mul(np.exp(k.mul(0.5))), np.exp(np.transpose(t).sub(a)).add(np.tanh(k)), np.power(np.abs(np.transpose(t)), b)];
      sameBits(f(x, row, col, xt), jit(f)(x, row, col, xt));
    }
    // three axes, a permutation that collapses to no fewer than three levels
    const t3 = np.array(values(6 * 7 * 11, 9)).reshape(6, 7, 11);
    const g = (a: A) => np.exp(np.transpose(a, [2, 0, 1])).add(np.tanh(np.transpose(a, [1, 2, 0]).reshape(11, 6, 7).mul(2)));
    sameBits([g(t3)], [jit(g)(t3)]);
  });
  it("fuses maxima and minima along axes into chunked loops", () => {
    for (const [r, c] of [[3, 100], [2, 2049], [300, 2], [64, 65]] as [number, number][]) {
      const x = mat(r, c, 10);
      const f = (a: A) => [np.max(np.tanh(a), { axis: 0 }), np.min(np.exp(a).mul(a), { axis: 1 }), np.max(np.expm1(np.transpose(a)))];
      const closed = staged(f, x);
      expect(compile(closed).text).toMatch(/fused loop: tanh, reduceMax over \[\d+,\d+\]; SIMD tanh in chunks of 2048/);
      sameBits(f(x), jit(f)(x));
    }
  });
  it("keeps in-place writes correct: stores wait for the last pass that reads an operand", () => {
    // pooled intermediates: w = y·s is stored before the kernel, y is read again after it
    const f = (x: A) => {
      const y = np.sin(x).mul(2);
      const w = y.mul(np.sum(y).mul(1e-3));
      const q = np.tanh(w).add(y);
      return np.sum(w).add(np.sum(q));
    };
    for (const n of [256, 2049, 5000]) {
      const x = np.array(Array.from({ length: n }, (_, i) => Math.sin(0.3 * i))); // finite: a NaN sum would hide the error
      sameBits([f(x)], [jit(f)(x)]);
      const c = compile(staged(f, x));
      sameBits(evalJaxpr(staged(f, x), [x]), c.run([x]));
    }
    // y, computed before the kernel, is written into the donated x, which the pass after the kernel
    // reads: storing y before that pass would make it read y (found by storing in the defining pass)
    const g = (x: A) => {
      const y = x.mul(2);
      return [y, np.exp(y.mul(0.5)).add(x)];
    };
    const donating = jit(g, { donateArgnums: [0] });
    for (const n of [300, 3000]) {
      const expected = g(vec(n, 12));
      const given = vec(n, 12);
      const data = (given as unknown as ConcreteArray).data;
      const out = donating(given);
      expect((out[0] as unknown as ConcreteArray).data).toBe(data); // the buffer was donated
      sameBits(expected, out);
    }
  });
  it("carries booleans and float32 values across passes, and runs chunked loops inside compiled control flow", () => {
    const elu = (x: A) => [np.where(x.gt(0), np.exp(x.neg()).mul(x), np.expm1(x)), np.tanh(x.astype("float32")).astype("float64").add(np.tanh(x))];
    for (const n of [256, 2049]) {
      const x = vec(n, 13);
      sameBits(elu(x), jit(elu)(x));
      sameBits(asList(grad((a: A) => np.sum(elu(a)[0]!))(x)), asList(jit(grad((a: A) => np.sum(elu(a)[0]!)))(x)));
    }
    const scanned = (h0: A, xs: A) => lax.scan((h: A, x: A) => {
      const h1 = np.tanh(h.mul(0.9).add(x));
      return [h1, np.exp(h1.neg())];
    }, h0, xs);
    const [h0, xs] = [vec(300, 14), mat(5, 300, 15)];
    sameBits(asList(scanned(h0, xs)), asList(jit(scanned)(h0, xs)));
    const g = grad((a: A, b: A) => np.sum(scanned(a, b)[1] as A));
    sameBits(asList(g(h0, xs)), asList(jit(g)(h0, xs)));
  });
  it("shows the chunked calls in lower(...).text, and keeps Math below 256 elements", () => {
    const f = (x: A) => np.tanh(np.sin(x).mul(1.1));
    const text = jit(f).lower(vec(1000, 1)).text;
    expect(text).toContain(`SIMD sin, tanh in chunks of ${CHUNK}`);
    expect(text).toMatch(/simd_tanh\(\d+, \(len \+ 1\) & ~1\)/);
    expect(text).not.toContain("Math.tanh");
    expect(text).toMatch(/simd_sin\(\d+, \(len \+ 1\) & ~1\)\) \{\n.*Math\.sin\(u\)/); // lanes left to Math
    const small = jit(f).lower(vec(255, 1)).text;
    expect(small).toContain("Math.tanh");
    expect(small).not.toContain("simd_");
    // float32 stays on Math (eager's kernels are float64 only)
    const f32 = jit(f).lower(vec(1000, 1).astype("float32")).text;
    expect(f32).not.toContain("simd_");
  });
  it("computes splat constants of 256+ elements as eager's kernel does (folding)", () => {
    // exp and tanh of an all-equal constant are folded at compile time: on 256 elements, as eager
    for (const prim of [expP, tanhP]) {
      for (const n of [255, 256, 300]) {
        for (let k = 0; k < 40; k++) {
          const c = new JaxprVar({ shape: [n], dtype: "float64" }, 0);
          const x = new JaxprVar({ shape: [n], dtype: "float64" }, 1);
          const e = new JaxprVar({ shape: [n], dtype: "float64" }, 2);
          const o = new JaxprVar({ shape: [n], dtype: "float64" }, 3);
          const eqns = [
            { prim, inputs: [c], params: {}, outs: [e] },
            { prim: addP, inputs: [e, x], params: {}, outs: [o] },
          ] as unknown as JaxprEqn[];
          const splat = new ConcreteArray(new Float64Array(n).fill(5 * Math.sin(k)), [n], "float64");
          const closed = new ClosedJaxpr(new Jaxpr([c], [x], eqns, [o], 4), [splat]);
          const args = [new ConcreteArray(new Float64Array(n), [n], "float64")];
          sameBits(evalJaxpr(closed, args), compile(closed).run(args));
        }
      }
    }
  });
});

describe("every elementwise primitive at a SIMD length", () => {
  /** One equation `prim` applied to `args`, as a program. */
  const single = (prim: JaxprEqn["prim"], args: ConcreteArray[], params: unknown): ClosedJaxpr => {
    const ins = args.map((a, i) => new JaxprVar({ shape: a.shape, dtype: a.dtype }, i));
    const [outAval] = prim.abstractEval(ins.map((v) => v.aval), params as never);
    const out = new JaxprVar(outAval!, ins.length);
    return new ClosedJaxpr(new Jaxpr([], ins, [{ prim, inputs: ins, params, outs: [out] }], [out], ins.length + 1), []);
  };
  // A primitive that eager computes on a SIMD kernel but the compiler does not (or the reverse) fails here.
  for (const prim of elementwisePrimitives()) {
    it(`${prim.name}: a fused loop of 2100 elements equals the kernel bit for bit`, () => {
      const n = 2100;
      const arity = ["pow", "add", "sub", "mul", "div", "max", "min", "atan2", "mod", "fmod", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor"].includes(prim.name) ? 2 : prim.name === "select" ? 3 : 1;
      const args = Array.from({ length: arity }, (_, k) =>
        prim.name === "select" && k === 0
          ? new ConcreteArray(Uint8Array.from(values(n, 0), (v) => (v > 0 ? 1 : 0)), [n], "bool")
          : new ConcreteArray(Float64Array.from(values(n, k + 1, 4)), [n], "float64"),
      );
      const params = prim === (convertP as unknown) ? [{ dtype: "int32" }, { dtype: "float64" }] : [{}];
      for (const p of params) {
        const closed = single(prim, args, p);
        sameBits(evalJaxpr(closed, args), compile(closed).run(args));
      }
    });
  }
});

describe("random programs at chunk-boundary sizes", () => {
  const UNARY = [np.exp, np.tanh, np.expm1, np.sin, (x: A) => x.mul(1.3), (x: A) => np.power(np.abs(x), 0.7), np.negative];
  const BINARY = [np.add, np.multiply, np.subtract, (x: A, y: A) => np.power(x, np.floor(y))];
  const op = fc.oneof(
    fc.record({ k: fc.constant("u" as const), f: fc.nat(UNARY.length - 1), a: fc.nat() }),
    fc.record({ k: fc.constant("b" as const), f: fc.nat(BINARY.length - 1), a: fc.nat(), b: fc.nat() }),
    fc.record({ k: fc.constant("t" as const), a: fc.nat() }),
    fc.record({ k: fc.constant("r" as const), a: fc.nat(), axis: fc.nat(1), max: fc.boolean() }),
  );
  const sizes: [number, number][] = [[15, 17], [16, 16], [1, 257], [3, 683], [2, 1024], [41, 50], [1, 4097]];
  it("jit equals eager bit for bit, plainly and under grad (elementwise ops, broadcasts, transposes, fused max/min)", () => {
    property(fc.tuple(fc.array(op, { minLength: 1, maxLength: 8 }), fc.nat(sizes.length - 1), fc.nat(100)), 25, ([ops, s, seed]) => {
      const [r, c] = sizes[s]!;
      const prog = (x: A, y: A, b: A): A => {
        const pool: A[] = [x, y.reshape(c, r).transpose(), b];
        const pick = (i: number) => pool[i % pool.length]!;
        for (const o of ops) {
          if (o.k === "u") pool.push(UNARY[o.f]!(pick(o.a)));
          else if (o.k === "b") pool.push(BINARY[o.f]!(pick(o.a), pick(o.b)));
          else if (o.k === "t") pool.push(np.tanh(pick(o.a).add(b)));
          else {
            // a maximum or minimum fused into the loop of its operand, broadcast back by the next loop
            const a = np.exp(pick(o.a));
            pool.push(a.sub((o.max ? np.max : np.min)(a, { axis: o.axis % a.ndim, keepdims: true })));
          }
        }
        return pool[pool.length - 1]!;
      };
      const [x, y, b] = [mat(r, c, seed, 2), mat(r, c, seed + 1, 2), vec(c, seed + 2, 2)];
      sameBits([prog(x, y, b)], [jit(prog)(x, y, b)]);
      const g = grad((p: A, q: A, w: A) => np.sum(np.tanh(prog(p, q, w))), { argnums: [0, 1, 2] });
      sameBits(asList(g(x, y, b)), asList(jit(g)(x, y, b)));
    });
  });
});
