/**
 * @file Rows repeated along a chunked loop (a bias added before tanh) read by its Wasm passes from a
 * tile at each chunk's phase (`compiler/chunked.ts`, shifted loads of `compiler/chunk-wasm.ts`), and
 * float64 arithmetic that fusion moves from the loop storing it into the one later loop reading it
 * (`compiler/fusion.ts`: 1 − h² of a tanh layer's gradient): bit for bit eager's, on odd lengths,
 * rows that do not divide a chunk, broadcasts along each axis, NaN, ±∞ and −0, operands in either
 * memory (arguments, and a product's result in the kernel's memory).
 */
import { describe, expect, it } from "vitest";
import { jit, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { CHUNK, simdMath } from "../src/kernels/simd.ts";
import { compilePasses } from "../src/compiler/chunk-wasm.ts";
import { asList, sameBits, vec } from "./compiler-helpers.ts";

type A = np.NDArray;

/** Whether the loop fills a tile (a repeated row read in Wasm) and whether a pass still runs in JavaScript. */
const tiles = (text: string): number => (text.match(/W\d+\.set\(x/g) ?? []).length;
const jsPass = (text: string): boolean => text.includes("let q = 0, i = c;") || text.includes("let pc0 = P0");

describe("rows repeated along a chunked loop", () => {
  it("a shifted load reads the tile at the given byte shift (every phase, odd counts)", () => {
    const m = simdMath()!;
    const [tile, out] = [m.regions[0]!, m.regions[2]!];
    // tile: two adjacent regions, as chunked loops take them
    expect(m.regions[1]!.byteOffset).toBe(tile.byteOffset + tile.byteLength);
    const wide = new Float64Array(tile.buffer, tile.byteOffset, 2 * tile.length);
    for (let k = 0; k < wide.length; k++) wide[k] = k * 0.5 - 7;
    const [pass] = compilePasses(m.exports.memory, [
      { scalars: 1, loads: [{ slot: 0, offset: tile.byteOffset, shifted: true }], splats: [{ slot: 1, param: 0 }], ops: [{ slot: 2, op: "add", args: [0, 1] }], stores: [{ slot: 2, offset: out.byteOffset }], slots: 3 },
    ])!;
    for (const [len, phase] of [[CHUNK, 0], [CHUNK, 1], [CHUNK - 1, 7], [5, 3], [1, CHUNK - 1], [2048, 2049]] as const) {
      out.fill(NaN);
      pass!(len, 0.25, phase * 8);
      for (let q = 0; q < len; q++) expect(out[q]).toBe(wide[phase + q]! + 0.25);
    }
  });

  it("equal eager bit for bit with a bias along rows, per row, in three dimensions, at every phase", () => {
    // [rows, cols] with a bias over cols: the row repeats (a tile) while it fits a chunk
    const byRow = (x: A, b: A) => np.tanh(x.add(b));
    const twoRows = (x: A, b: A, c: A) => np.tanh(x.mul(b).add(c)).mul(x);
    for (const [r, c] of [[300, 7], [5, 821], [3, 1000], [129, 3], [2, CHUNK], [3, CHUNK + 1], [1, 2 * CHUNK + 3], [517, 2]] as const) {
      const x = vec(r * c, 1).reshape(r, c);
      const [b, b2] = [vec(c, 2), vec(c, 3)];
      const text = jit(byRow).lower(x, b).text;
      expect(text).toContain("SIMD tanh");
      expect(tiles(text)).toBe(c <= CHUNK && r > 1 ? 1 : 0);
      expect(jsPass(text)).toBe(c > CHUNK && r > 1);
      sameBits([byRow(x, b)], [jit(byRow)(x, b)]);
      expect(tiles(jit(twoRows).lower(x, b, b2).text)).toBe(c <= CHUNK && r > 1 ? 2 : 0);
      sameBits([twoRows(x, b, b2)], [jit(twoRows)(x, b, b2)]);
      // a value per row (broadcast along the other axis) stays a JavaScript pass
      const col = vec(r, 4).reshape(r, 1);
      if (r > 1 && c > 1) expect(jsPass(jit(byRow).lower(x, col).text)).toBe(true);
      sameBits([byRow(x, col)], [jit(byRow)(x, col)]);
    }
    // three axes: [b, c] repeats along the first (one period of b·c after the nest collapses);
    // [a, 1, c] and [a, b, 1] do not repeat along the loop and stay JavaScript
    const x3 = vec(4 * 3 * 257, 5).reshape(4, 3, 257);
    const biases: [number[], boolean][] = [[[3, 257], true], [[1, 1, 257], true], [[4, 1, 257], false], [[4, 3, 1], false]];
    for (const [shape, tiled] of biases) {
      const b = vec(shape.reduce((p, d) => p * d, 1), 6).reshape(...shape);
      const text = jit(byRow).lower(x3, b).text;
      expect(tiles(text)).toBe(tiled ? 1 : 0);
      sameBits([byRow(x3, b)], [jit(byRow)(x3, b)]);
    }
  });

  it("keep NaN, ±∞ and −0 of both operands", () => {
    const specials = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -1e308, 1e308, 0.5, -0.5, 30, -30];
    const c = specials.length;
    const rows = 41;
    const x = np.array(Array.from({ length: rows * c }, (_, i) => specials[(i * 7) % c]!)).reshape(rows, c);
    const b = np.array(specials);
    const f = (u: A, w: A) => np.tanh(u.add(w).mul(w)).sub(w);
    expect(tiles(jit(f).lower(x, b).text)).toBe(1);
    sameBits([f(x, b)], [jit(f)(x, b)]);
  });

  it("read a product's result in the kernel's memory and an argument alike, and store several values", () => {
    const layer = (x: A, w: A, b: A) => {
      const h = np.tanh(x.matmul(w).add(b));
      return [h, h.mul(h), np.exp(h.mul(b)).sub(h)];
    };
    for (const [n, k, m] of [[31, 17, 67], [64, 9, 512], [3, 5, 2049]] as const) {
      const [x, w, b] = [vec(n * k, 7, 0.7).reshape(n, k), vec(k * m, 8, 0.5).reshape(k, m), vec(m, 9)];
      sameBits(layer(x, w, b), asList(jit(layer)(x, w, b)));
      const direct = (z: A, c: A) => np.tanh(z.add(c));
      const z = x.matmul(w);
      sameBits([direct(z, b)], [jit(direct)(z, b)]);
    }
  });
});

describe("arithmetic moved into the loop that reads it", () => {
  /** Mean cross-entropy of a tanh MLP (the W3 loss, at test sizes). */
  const mlp = (ps: A[], x: A, y: A) => {
    let h = x;
    for (let l = 0; l < ps.length; l += 2) {
      h = h.matmul(ps[l]!).add(ps[l + 1]!);
      if (l + 2 < ps.length) h = np.tanh(h);
    }
    const z = h.sub(np.max(h, { axis: -1, keepdims: true }));
    return np.mean(np.sum(z.sub(np.log(np.sum(np.exp(z), { axis: -1, keepdims: true }))).mul(y), { axis: -1 })).neg();
  };
  const params = (sizes: number[]) => sizes.slice(1).flatMap((d, l) => [vec(sizes[l]! * d, 10 + l, 0.3).reshape(sizes[l]!, d), vec(d, 20 + l, 0.1)]);
  const oneHot = (n: number, k: number) => np.array(Array.from({ length: n * k }, (_, i) => (i % k === (Math.floor(i / k) * 3) % k ? 1 : 0))).reshape(n, k);

  it("1 − h² of each tanh layer leaves the forward loop for the backward product's loop, bit for bit", () => {
    for (const [sizes, batch] of [[[37, 61, 29, 5], 19], [[33, 300, 301, 10], 9]] as const) {
      const ps = params([...sizes]);
      const x = vec(batch * sizes[0], 30, 1).reshape(batch, sizes[0]);
      const y = oneHot(batch, sizes[3]);
      const step = valueAndGrad(mlp);
      const text = jit(step).lower(ps, x, y).text;
      // forward: add and tanh only; backward: 1 − h·h computed where the gradient is multiplied by it
      expect(text.match(/fused loop: add, tanh over/g)?.length).toBe(2);
      expect(text.match(/fused loop: mul, sub, mul over/g)?.length).toBe(2);
      const [v, g] = step(ps, x, y) as [A, A[]];
      const [jv, jg] = jit(step)(ps, x, y) as [A, A[]];
      sameBits([v, ...g], [jv, ...jg]);
    }
  });

  it("stays where its value is an output, is read by a kernel, needs two stored values, or is not arithmetic", () => {
    const x = vec(9 * 300, 40).reshape(9, 300);
    const w = vec(300 * 300, 41, 0.1).reshape(300, 300);
    const later = (h: A) => h.matmul(w).mul(2);
    const cases: [string, (u: A) => A[], RegExp][] = [
      ["an output", (u) => { const h = np.tanh(u); const d = np.subtract(1, h.mul(h)); return [d, later(h).mul(d)]; }, /fused loop: tanh, mul, sub over/],
      ["read by a product", (u) => { const h = np.tanh(u); const d = np.subtract(1, h.mul(h)); return [later(h).mul(d), d.matmul(w)]; }, /fused loop: tanh, mul, sub over/],
      ["two stored sources", (u) => { const h = np.tanh(u); const e = np.exp(u); const d = h.mul(e); return [later(h).add(later(e)).mul(d)]; }, /fused loop: tanh, exp, mul over/],
      ["not arithmetic", (u) => { const h = np.tanh(u); const d = np.exp(h.mul(h)); return [later(h).mul(d)]; }, /fused loop: tanh, mul, exp over/],
    ];
    for (const [, f, forward] of cases) {
      expect(jit(f).lower(x).text).toMatch(forward);
      sameBits(f(x), asList(jit(f)(x)));
    }
    // and moves where only the later loop reads it
    const moves = (u: A) => { const h = np.tanh(u); const d = np.subtract(1, h.mul(h)); return [later(h).mul(d)]; };
    const text = jit(moves).lower(x).text;
    expect(text).toMatch(/fused loop: tanh over/);
    expect(text).toMatch(/fused loop: mul, sub, mul, mul over/);
    sameBits(moves(x), asList(jit(moves)(x)));
  });
});
