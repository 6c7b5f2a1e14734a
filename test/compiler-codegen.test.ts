/**
 * @file Generated code: every elementwise expression equals its kernel bit for bit (±0, ±∞, NaN
 * included), fused loops and scalar code print as expected, results equal the interpreter's exactly,
 * and where `new Function` is forbidden the interpreter runs instead.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { grad, hessian, lax, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { ConcreteArray, type NDArray } from "../src/core/ndarray.ts";
import { ClosedJaxpr, evalJaxpr, Jaxpr, JaxprVar, type JaxprEqn } from "../src/core/jaxpr.ts";
import type { DType } from "../src/core/dtype.ts";
import { ShapeError } from "../src/core/errors.ts";
import { compile, planMemory } from "../src/compiler/index.ts";
import { elementwisePrimitives } from "../src/compiler/elementwise.ts";
import { convertP } from "../src/primitives/structural.ts";
import { staged, sameBits } from "./compiler-helpers.ts";

type A = np.NDArray;

const compiledEqualsInterpreter = (closed: ClosedJaxpr, args: NDArray[]) => sameBits(evalJaxpr(closed, args), compile(closed).run(args));

const specials = [0, -0, 1, -1, 0.5, -2.5, 3, 1e308, -1e-310, Infinity, -Infinity, NaN, 2.5, 7];

describe("element expressions", () => {
  /** One equation `prim` applied to `args`, as a program (0-d or not, per the args). */
  const single = (prim: JaxprEqn["prim"], args: ConcreteArray[], params: unknown): ClosedJaxpr => {
    const ins = args.map((a, i) => new JaxprVar({ shape: a.shape, dtype: a.dtype }, i));
    const [outAval] = prim.abstractEval(ins.map((v) => v.aval), params as never);
    const out = new JaxprVar(outAval!, ins.length);
    return new ClosedJaxpr(new Jaxpr([], ins, [{ prim, inputs: ins, params, outs: [out] }], [out], ins.length + 1), []);
  };
  const grid = (arity: number): number[][] => {
    const cols: number[][] = Array.from({ length: arity }, () => []);
    const rec = (k: number, acc: number[]) => {
      if (k === arity) return acc.forEach((v, i) => cols[i]!.push(v));
      for (const v of specials) rec(k + 1, [...acc, v]);
    };
    rec(0, []);
    return cols;
  };
  for (const prim of elementwisePrimitives()) {
    it(`${prim.name}: fused loop and scalar code equal the kernel bit for bit`, () => {
      const isSelect = prim.name === "select";
      const params = prim === (convertP as unknown) ? [{ dtype: "int32" }, { dtype: "bool" }, { dtype: "float32" }, { dtype: "float64" }] : [{}];
      const n = ["add", "sub", "mul", "div", "pow", "max", "min", "atan2", "mod", "fmod", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor"].includes(prim.name) ? 2 : isSelect ? 3 : 1;
      const cols = grid(n);
      const args = cols.map((c, i) => (isSelect && i === 0 ? new ConcreteArray(Uint8Array.from(c, (v) => (v ? 1 : 0)), [c.length], "bool") : new ConcreteArray(Float64Array.from(c), [c.length], "float64")));
      for (const p of params) {
        compiledEqualsInterpreter(single(prim, args, p), args);
        // the same on 0-d operands (JS numbers in the generated code), a few at a time
        for (let i = 0; i < cols[0]!.length; i += 37) {
          const scalars = args.map((a) => new ConcreteArray(a.data.slice(i, i + 1), [], a.dtype));
          compiledEqualsInterpreter(single(prim, scalars, p), scalars);
        }
      }
    });
  }
  it("rounds stored values as their typed arrays do (float32, int32, bool)", () => {
    const x = np.array([0.1, 1e10, -2.7, NaN, Infinity, 300]);
    const f = (v: A) => [v.astype("float32").mul(np.array(3, { dtype: "float32" })), v.astype("int32").mul(np.array(3, { dtype: "int32" })), v.astype("bool")];
    compiledEqualsInterpreter(staged(f, x), [x]);
    for (let i = 0; i < 6; i++) compiledEqualsInterpreter(staged(f, x.get(i)), [x.get(i) as NDArray]);
  });
});

describe("generated code", () => {
  it("interleaves four elements per turn in contiguous loops, with a tail, scalars and outputs kept exact", () => {
    // sizes 8…13 leave tails of 0…3 elements; a 0-d argument and a literal are shared by all four
    for (let n = 8; n <= 13; n++) {
      const f = (x: A, s: A) => {
        const y = np.tanh(np.sin(x.mul(s)).add(0.25));
        return [y, np.exp(y.neg()).mul(x)];
      };
      const x = np.array(Array.from({ length: n }, (_, i) => specials[i % specials.length]!));
      const closed = staged(f, x, np.array(1.5));
      const c = compile(closed);
      expect(c.text).toContain("i += 4");
      compiledEqualsInterpreter(closed, [x, np.array(1.5)]);
      sameBits(c.run([x, np.array(-0.75)]), f(x, np.array(-0.75)) as NDArray[]);
    }
    // below two turns: the plain loop
    expect(compile(staged((x: A) => np.sin(x).mul(2), np.ones([7]))).text).not.toContain("i += 4");
  });
  it("fuses an elementwise chain with a broadcast into one loop, scalars read once", () => {
    const f = (x: A, b: A) => np.tanh(x.mul(2).add(b)).mul(x);
    const c = compile(staged(f, np.ones([3, 4]), np.ones([4])));
    expect(c.text.match(/for \(/g)?.length).toBe(2); // one loop nest: rows × columns
    expect(c.text).toContain("fused loop: mul, add, tanh, mul over [3,4]");
    expect(c.text).not.toContain(".impl(");
    expect(c.text).toContain("= 2;"); // the constant 2 is a literal
    const x = np.array([[1, 2, 3, 4], [-1, NaN, Infinity, 0], [0.5, 0.25, -3, 7]]);
    const b = np.array([0.1, -0.2, 0.3, -Infinity]);
    sameBits(compile(staged(f, x, b)).run([x, b]), [f(x, b)]);
  });
  it("fuses float64 maxima and minima into the loop of their operand; sums stay kernel calls (the kernel adds pairwise)", () => {
    const f = (x: A) => [np.sum(np.tanh(x).mul(x), { axis: 1 }), np.max(x.mul(3), { axis: 0 }), np.min(np.exp(x)), np.sum(np.sin(x), { axis: 0, keepdims: true })];
    const x = np.array([[1e16, 1, -1e16, 3], [NaN, 2, 5, -1], [0.1, 0.2, 0.3, 0.4]]);
    const closed = staged(f, x);
    const c = compile(closed);
    expect(c.text).not.toMatch(/\/\/ reduce(Max|Min)/); // no kernel call for them
    expect(c.text).toContain("fused loop: mul, reduceMax over [3,4]");
    expect(c.text).toContain("fused loop: exp, reduceMin over [3,4]");
    expect(c.text).toContain("// reduceSum"); // the pairwise kernel, whose order a running loop does not follow
    compiledEqualsInterpreter(closed, [x]);
    sameBits(c.run([x]), f(x));
    // float32 sums round differently on the kernel's two paths: left to the kernel
    const c32 = compile(staged((v: A) => np.sum(np.sin(v), { axis: 1 }), np.ones([2, 2], { dtype: "float32" })));
    expect(c32.text).toContain("reduceSum");
  });
  it("computes 0-d programs as straight-line JS numbers", () => {
    let g: (x: number) => unknown = (x: number) => np.tanh(np.sin(x));
    for (let i = 0; i < 3; i++) g = grad(g as never) as (x: number) => unknown;
    const closed = staged(g as never, 0.7);
    const c = compile(closed);
    expect(c.text).not.toContain("for (");
    expect(c.text).not.toContain(".impl(");
    compiledEqualsInterpreter(closed, [np.array(0.7)]);
    sameBits(c.run([np.array(0.7)]), [np.asarray(g(0.7) as NDArray)]);
  });
  it("calls the kernels of other primitives, with reductions, matmul, gathers and control flow", () => {
    const f = (w: A, x: A) => {
      const h = np.tanh(x.matmul(w));
      return np.sum(h.get([0, 2]).mul(np.max(h, { axis: 0 })));
    };
    const [w, x] = [np.array([[0.1, -0.2], [0.3, 0.4]]), np.array([[1, 2], [3, -4], [0.5, 0.5]])];
    const closed = staged(grad(f as never), w, x);
    const c = compile(closed);
    expect(c.text).toContain("dotGeneral");
    compiledEqualsInterpreter(closed, [w, x]);
    const h = staged(hessian((v: A) => np.sum(np.tanh(w.matmul(v)))), np.array([0.3, -0.6]));
    compiledEqualsInterpreter(h, [np.array([0.3, -0.6])]);
    const cf = (v: A) => lax.scan((c: A, xi: A) => [lax.cond(xi.gt(0), (a: A) => a.mul(xi), (a: A) => np.sin(a).add(xi), c), c.mul(2)], v.get(0), v)[1];
    const cs = staged(cf, np.ones([4]));
    expect(compile(cs).text).toMatch(/scan/);
    compiledEqualsInterpreter(cs, [np.array([0.5, -1, 2, NaN])]);
    const vm = staged(vmap(grad((v: A) => np.sum(np.exp(v).mul(v)))), np.ones([3, 2]));
    compiledEqualsInterpreter(vm, [np.array([[1, 2], [3, 4], [NaN, -Infinity]])]);
  });
  it("propagates NaN and ±∞ as eager does (0·∞, ∞ − ∞, log of negatives, overflow)", () => {
    const f = (x: A, y: A) => [x.mul(y), np.exp(x).sub(np.exp(y)), np.log(x.sub(y)), x.mul(0), np.maximum(x, y), np.sqrt(x).div(y)];
    const x = np.array([0, Infinity, -Infinity, NaN, 1e308, -0, 710, 1]);
    const y = np.array([Infinity, 0, -Infinity, 1, 1e308, 0, 711, NaN]);
    const closed = staged(f, x, y);
    compiledEqualsInterpreter(closed, [x, y]);
    sameBits(compile(closed).run([x, y]), f(x, y));
  });
  it("runs on the interpreter where new Function is forbidden (a Content-Security-Policy)", () => {
    const closed = staged((x: A) => np.sin(x).mul(2), np.ones([2]));
    vi.stubGlobal(
      "Function",
      class {
        constructor() {
          throw new EvalError("Refused to evaluate a string as JavaScript (CSP)");
        }
      },
    );
    const c = compile(closed);
    vi.unstubAllGlobals();
    expect(c.text).toBe("");
    sameBits(c.run([np.array([1, 2])]), [np.sin(np.array([1, 2])).mul(2)]);
  });
  it("refuses arguments of other shapes, dtypes or counts, and tracers, naming the argument", () => {
    const c = compile(staged((x: A, y: A) => x.add(y), np.ones([2]), np.ones([2])));
    expect(() => c.run([np.ones([2])])).toThrow(/takes 2 arguments, got 1/);
    expect(() => c.run([np.ones([2]), np.ones([3])])).toThrow(ShapeError);
    expect(() => c.run([np.ones([2]), np.ones([3])])).toThrow(/argument 1 has dtype float64 and shape \(3,\), but the program was compiled for float64 \(2,\)/);
    expect(() => c.run([np.ones([2], { dtype: "int32" }), np.ones([2])])).toThrow(/argument 0 has dtype int32/);
    expect(() => grad((x: A) => np.sum(c.run([x, np.ones([2])])[0]!))(np.ones([2]))).toThrow(/argument 0 must be a concrete array/);
  });
  afterEach(() => vi.unstubAllGlobals());
});

describe("the memory plan", () => {
  it("reuses intermediates' buffers and keeps outputs fresh across calls", () => {
    const f = (x: A) => {
      let y = x;
      for (let i = 0; i < 6; i++) y = np.sum(np.exp(y.mul(0.5)).add(y), { axis: 0, keepdims: true }).add(x);
      return [y, np.sin(y)];
    };
    const x1 = np.array([[1, 2, 3], [4, 5, 6]]).mul(0.01);
    const x2 = x1.mul(-1);
    const closed = staged(f, x1);
    const c = compile(closed);
    expect(c.text).toMatch(/B\[\d+\]/);
    const first = c.run([x1]);
    const snapshot = first.map((a) => (a as ConcreteArray).data.slice());
    const second = c.run([x2]);
    first.forEach((a, i) => expect(Array.from((a as ConcreteArray).data)).toEqual(Array.from(snapshot[i]!)));
    sameBits(second, evalJaxpr(closed, [x2]));
    sameBits(first, evalJaxpr(closed, [x1]));
  });
});

describe("planMemory", () => {
  const v = (id: number, dtype: DType = "float64") => new JaxprVar({ shape: [10], dtype }, id);
  it("gives a freed buffer to the next intermediate of the same dtype and size, never within one step", () => {
    const [a, b, c, d, e] = [v(0), v(1), v(2), v(3), v(4, "int32")];
    const plan = planMemory(
      [
        { poolable: [a], reads: [], aliases: [] },
        { poolable: [b], reads: [a], aliases: [] },
        { poolable: [c, e], reads: [b], aliases: [] },
        { poolable: [d], reads: [c, e], aliases: [] },
      ],
      [d],
    );
    expect(plan.slotOf.get(a)).toBe(0);
    expect(plan.slotOf.get(b)).toBe(1); // a is read by this very step
    expect(plan.slotOf.get(c)).toBe(0); // a's buffer, free after step 1
    expect(plan.slotOf.get(e)).toBe(2); // another dtype: a buffer of its own
    expect(plan.slotOf.has(d)).toBe(false); // an output: fresh
    expect(plan.slots.length).toBe(3);
  });
  it("gives a loop's output the buffer of an array the loop reads last and only in place, the freshest first", () => {
    const [a, b, c, d, e, f, g] = [v(0), v(1), v(2), v(3), v(4), v(5), v(6)];
    const plan = planMemory(
      [
        { poolable: [a, b, c], reads: [], aliases: [] },
        { poolable: [d], reads: [a], aliases: [] }, // a read last, but not in place (a call, or strided)
        { poolable: [], reads: [d], aliases: [] }, // a's buffer freed after step 1
        { poolable: [e], reads: [b, c], aliases: [], inPlace: new Set([b]) }, // b in place, c strided
        { poolable: [f], reads: [e, d], aliases: [], inPlace: new Set([e, d]) }, // e and d last read here, in place
        { poolable: [g], reads: [f, c], aliases: [], inPlace: new Set([f, c]) },
        { poolable: [], reads: [g], aliases: [] },
      ],
      [],
    );
    const [sa, sb, sc] = [a, b, c].map((x) => plan.slotOf.get(x));
    expect(plan.slotOf.get(d)).not.toBe(sa);
    expect(plan.slotOf.get(e)).toBe(sb); // b's, read in place (before a's, freed earlier)
    expect([plan.slotOf.get(e), plan.slotOf.get(d)]).toContain(plan.slotOf.get(f));
    expect(plan.slotOf.get(f)).not.toBe(sc); // c is still read by step 5
    expect([plan.slotOf.get(f), sc]).toContain(plan.slotOf.get(g));
  });
  it("keeps a buffer alive while an array that may share it is read, and never pools what an output may share", () => {
    const [a, r, b, c, out] = [v(0), v(1), v(2), v(3), v(4)];
    const plan = planMemory(
      [
        { poolable: [a], reads: [], aliases: [] },
        { poolable: [], reads: [a], aliases: [[r, a]] }, // r = reshape(a) may be a's memory
        { poolable: [b], reads: [], aliases: [] },
        { poolable: [], reads: [r, b], aliases: [] },
        { poolable: [c], reads: [], aliases: [] },
        { poolable: [], reads: [c], aliases: [[out, c]] },
      ],
      [out],
    );
    expect(plan.slotOf.get(b)).not.toBe(plan.slotOf.get(a));
    expect(plan.slotOf.has(c)).toBe(false);
  });
});
