/**
 * @file Chunked loops working in place in the SIMD module's memory: their chunk buffers are regions
 * of the module's grown memory, passes of plain IEEE arithmetic run as generated Wasm functions on
 * them (`compiler/chunk-wasm.ts`), and the results stay eager's bit for bit — several kernels in one
 * loop, odd lengths and chunk tails, pow's two operands, stores in the middle of a loop, reductions,
 * cursors and operations the Wasm passes do not have (which stay JavaScript passes), donated
 * buffers, and loops needing more regions than the memory has (JavaScript buffers then).
 */
import { describe, expect, it } from "vitest";
import { grad, jit, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import { CHUNK, simdMath, simdUnary } from "../src/kernels/simd.ts";
import { passOpOf } from "../src/compiler/chunk-wasm.ts";
import { sameBits, asList, values, vec } from "./compiler-helpers.ts";

type A = np.NDArray;


/** Odd and even lengths, tails of one element, exact chunks, several chunks. */
const LENGTHS = [256, 257, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3, 3 * CHUNK - 1];
/** Whether some pass of the program is a JavaScript loop over the chunk (rather than a Wasm call). */
const jsPass = (text: string): boolean => text.includes("let q = 0, i = c;") || text.includes("let pc0 = P0");
const wasmPasses = (text: string): number => (text.match(/\bpass\d+\(len/g) ?? []).length;

describe("chunked loops in the SIMD module's memory", () => {
  it("grows the module's memory once, at instantiation, into regions after its own scratch", () => {
    const m = simdMath()!;
    expect(m).not.toBeNull();
    const buffer = m.exports.memory.buffer;
    expect(m.regions.length).toBeGreaterThanOrEqual(8);
    let end = m.b.byteOffset + CHUNK * 8;
    for (const r of m.regions) {
      expect(r.buffer).toBe(buffer); // views of the current (grown) buffer, none detached
      expect(r.length).toBe(CHUNK + 2);
      expect(r.byteOffset % 16).toBe(0);
      expect(r.byteOffset).toBeGreaterThanOrEqual(end);
      end = r.byteOffset + r.byteLength;
    }
    expect(end).toBeLessThanOrEqual(buffer.byteLength);
    expect(m.a.buffer).toBe(buffer);
    // eager's streaming still works on the same views after loops have used the regions
    const x = new Float64Array(values(3 * CHUNK + 1, 1));
    jit((a: A) => np.tanh(np.sin(a.mul(2))))(np.array(x));
    const out = new Float64Array(x.length);
    expect(simdUnary("tanh", x, out)).toBe(true);
    expect(m.exports.memory.buffer).toBe(buffer);
    const again = new Float64Array(x.length);
    simdUnary("tanh", x, again);
    expect(Array.from(again)).toEqual(Array.from(out));
  });

  it("knows exactly the expressions it runs in Wasm", () => {
    expect(passOpOf(([a, b]) => `${a} * ${b}`, 2)).toBe("mul");
    expect(passOpOf(([a]) => `-${a}`, 1)).toBe("neg");
    expect(passOpOf(([a]) => `Math.sqrt(${a})`, 1)).toBe("sqrt");
    expect(passOpOf(([a]) => a!, 1)).toBe("copy");
    // max's ±0 and float32's rounding differ from f64x2.max and plain arithmetic: not run in Wasm
    expect(passOpOf(([a, b]) => `((${a} > ${b} || ${a} !== ${a}) ? ${a} : ${b})`, 2)).toBeUndefined();
    expect(passOpOf(([a, b]) => `Math.fround(${a} * ${b})`, 2)).toBeUndefined();
    expect(passOpOf(([a]) => `Math.exp(${a})`, 1)).toBeUndefined();
  });

  it("computes each operation of the Wasm passes as JavaScript does, ±0, ±∞ and NaN included", () => {
    const ops: [string, (x: A, y: A) => A][] = [
      ["add", np.add],
      ["subtract", np.subtract],
      ["multiply", np.multiply],
      ["divide", np.divide],
      ["negative", (x) => np.negative(x)],
      ["abs", (x) => np.abs(x)],
      ["sqrt", (x) => np.sqrt(x)],
      ["floor", (x) => np.floor(x.mul(2.5))],
      ["ceil", (x) => np.ceil(x.mul(2.5))],
      ["trunc", (x) => np.trunc(x.mul(2.5))],
    ];
    const extra = [0.5, -0.5, 1.5, -2.5, 2 ** 52 + 0.5, -(2 ** 52) - 1, 4.5e15, 1e308, -1e308, 5e-324, -5e-324, 0, -0, NaN, Infinity, -Infinity];
    for (const [name, op] of ops) {
      // tanh keeps ±0, NaN and the sign of ±∞, so a wrong operation shows in its output
      const f = (x: A, y: A) => np.tanh(op(x, y));
      for (const n of [257, CHUNK + 1]) {
        const xs = values(n, 1, 3);
        const ys = values(n, 2, 3);
        extra.forEach((v, k) => {
          xs[k] = v;
          ys[(k * 7) % extra.length] = v;
          xs[extra.length + k] = v * 1e-300;
          ys[extra.length + ((k * 5) % extra.length)] = v;
        });
        const [x, y] = [np.array(xs), np.array(ys)];
        const text = jit(f).lower(x, y).text;
        expect({ name, js: jsPass(text), wasm: wasmPasses(text) }).toEqual({ name, js: false, wasm: 1 });
        sameBits([f(x, y)], [jit(f)(x, y)]);
      }
    }
  });

  it("runs several kernels with arithmetic between them in one loop, every pass in Wasm, bit for bit", () => {
    const f = (x: A, y: A) => np.exp(np.tanh(np.sin(x.mul(1.1)).mul(y).add(0.5)).neg()).div(np.sqrt(np.abs(y).add(1))).sub(x);
    const text = jit(f).lower(vec(1000, 1), vec(1000, 2)).text;
    expect(text).toContain("SIMD sin, tanh, exp in chunks of");
    expect(jsPass(text)).toBe(false);
    expect(wasmPasses(text)).toBe(4);
    for (const n of LENGTHS) {
      const [x, y] = [vec(n, 1), vec(n, 2, 1.5)];
      sameBits([f(x, y)], [jit(f)(x, y)]);
      const g = grad((a: A, b: A) => np.sum(f(a, b).mul(0.1)), { argnums: [0, 1] });
      sameBits(asList(g(x, y)), asList(jit(g)(x, y)));
    }
    const v = vmap(f);
    const [xs, ys] = [vec(3 * 1025, 3).reshape(3, 1025), vec(3 * 1025, 4).reshape(3, 1025)];
    sameBits([v(xs, ys)], [jit(v)(xs, ys)]);
  });

  it("writes pow's two operands from a Wasm pass, with the lanes left to Math.pow", () => {
    // negative, zero, infinite and NaN bases and exponents among the operands
    const f = (x: A, y: A) => np.power(x.mul(2), y.add(0.25)).add(np.power(np.abs(x), y)).mul(np.power(x, np.floor(y)));
    expect(wasmPasses(jit(f).lower(vec(600, 5), vec(600, 6)).text)).toBeGreaterThanOrEqual(2);
    for (const n of LENGTHS) {
      const [x, y] = [vec(n, 5), vec(n, 6, 3)];
      sameBits([f(x, y)], [jit(f)(x, y)]);
    }
  });

  it("shares the operands kept for Math's lanes between sin, cos and pow kernels of one loop", () => {
    // every kernel gets lanes it leaves to Math: |argument| > 1.6e6, non-finite, non-positive bases
    const f = (x: A, y: A) => {
      const a = np.sin(x.mul(1e6));
      const b = np.power(np.abs(a).add(0.5).mul(np.sign(x)), y);
      const c = np.cos(b.mul(5e6).add(x));
      return np.sin(c.add(x.mul(2e6))).add(a);
    };
    const text = jit(f).lower(vec(900, 14), vec(900, 15)).text;
    // the four kernels' Math lanes read their kept operands from one pair of buffers
    const keptReads = [...text.matchAll(/const u = (T\d+)\[q\]/g)].map((r) => r[1]);
    expect(keptReads.length).toBe(4);
    expect(new Set(keptReads).size).toBe(1);
    for (const n of LENGTHS) {
      const [x, y] = [vec(n, 14), vec(n, 15, 3)];
      sameBits([f(x, y)], [jit(f)(x, y)]);
    }
  });

  it("stores values from the middle of a loop, out of the regions the next kernel overwrites", () => {
    // t (the tanh kernel's output) and u are stored in the pass that writes exp's operand over t
    const f = (x: A) => {
      const t = np.tanh(x.mul(2));
      const u = t.mul(0.5);
      return [t, u, np.exp(u).sub(1)];
    };
    const text = jit(f).lower(vec(700, 7)).text;
    expect(jsPass(text)).toBe(false);
    expect(text).toMatch(/\.set\(S\d+\.subarray\(0, len\), c\)/);
    for (const n of LENGTHS) {
      const x = vec(n, 7);
      sameBits(f(x), asList(jit(f)(x)));
    }
  });

  it("keeps a fused reduction, cursors (but rows repeated) and max in JavaScript passes between Wasm ones", () => {
    const reduce = (x: A) => np.sum(np.tanh(x.mul(0.7)).mul(3), { axis: 1 }).add(np.max(np.exp(x.mul(0.1)), { axis: 1 }));
    const broadcast = (x: A, row: A) => np.tanh(np.exp(x.mul(0.5)).add(row)).mul(2);
    const maximum = (x: A) => np.tanh(np.maximum(np.exp(x.mul(0.5)), 1)).mul(3);
    for (const [r, c] of [[3, 1000], [5, 821], [2, 2049]] as const) {
      const x = vec(r * c, 8).reshape(r, c);
      const row = vec(c, 9);
      for (const [f, args] of [[reduce, [x]], [broadcast, [x, row]], [maximum, [x]]] as const) {
        const fn = f as (...a: A[]) => A;
        const text = jit(fn).lower(...args).text;
        expect(text).toContain("SIMD");
        // A row repeated along the rows is read from a tile in Wasm where a row fits in a chunk.
        expect(jsPass(text)).toBe(f !== broadcast || c > CHUNK);
        expect(wasmPasses(text)).toBeGreaterThanOrEqual(1);
        sameBits([fn(...args)], [jit(fn)(...args)]);
      }
    }
  });

  it("copies leaves in before stores copy results out when the output is the donated input's buffer", () => {
    const g = (x: A) => np.tanh(np.sin(x.mul(2)).add(x)).mul(3);
    const donating = jit(g, { donateArgnums: [0] });
    for (const n of [300, CHUNK + 1, 3 * CHUNK + 5]) {
      const expected = g(vec(n, 10));
      const given = vec(n, 10);
      const data = (given as unknown as ConcreteArray).data;
      const out = donating(given);
      expect((out as unknown as ConcreteArray).data).toBe(data);
      sameBits([expected], [out]);
    }
  });

  it("uses the grown memory's regions for many buffers, and JavaScript buffers beyond them", () => {
    const m = simdMath()!;
    /** `count` tanh in a row, all but the last result added at the end: `count` − 1 carried buffers. */
    const chain = (count: number) => (x: A) => {
      const ts: A[] = [];
      let y = x;
      for (let k = 0; k < count; k++) ts.push((y = np.tanh(y.mul(1.5))));
      return ts.slice(0, -1).reduce((s, t) => s.add(t), y);
    };
    const x0 = vec(CHUNK + 7, 11, 4);
    const fits = chain(m.regions.length - 1);
    const fitsText = jit(fits).lower(x0).text;
    expect(fitsText.match(/const T\d+ = K/g)!.length).toBe(m.regions.length - 2); // more than the two scratch regions
    expect(jsPass(fitsText)).toBe(false);
    const tooMany = chain(m.regions.length + 2);
    expect(jsPass(jit(tooMany).lower(x0).text)).toBe(true);
    for (const n of [257, CHUNK + 7, 2 * CHUNK + 1]) {
      const x = vec(n, 11, 4);
      sameBits([fits(x)], [jit(fits)(x)]);
      sameBits([tooMany(x)], [jit(tooMany)(x)]);
    }
  });
});
