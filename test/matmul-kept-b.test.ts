/**
 * @file Packed B kept for reuse by the WebAssembly product (`wasmMatmul`'s `bKey`): the same bits
 * as a product that packs B afresh, on odd shapes, transposed or not, on one thread and two, for B
 * met again after other products evicted it, for another B under the same key's shape, and where
 * the kernel is missing; no more arrays kept alive than its slots hold; and W7's gradient, whose
 * products reuse Wh, equal to one that reuses nothing.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { matmulData } from "../src/kernels/matmul.ts";
import { wasmMatmul, wasmVariant } from "../src/kernels/matmul-wasm.ts";
import { setKeepPackedB } from "../src/kernels/kept-b.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";

function randomArray(size: number, rand: () => number): Float64Array {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = 2 * rand() - 1;
  return x;
}

const firstDifference = (x: Float64Array, y: Float64Array): number => x.findIndex((v, i) => !Object.is(v, y[i]));

/** C of one product [m, k]·[k, n] by the Wasm kernel, B kept under `key` when given. */
function product(a: Float64Array, b: Float64Array, m: number, k: number, n: number, tA: boolean, tB: boolean, threads: number, key?: object): Float64Array {
  const c = new Float64Array(m * n).fill(NaN);
  expect(wasmMatmul(a, b, c, 1, m, k, n, tA, tB, threads, key)).toBe(true);
  return c;
}

// Rows, depths and columns not multiples of four (padded rows, a last strip of B narrower than
// four), and a B of 256 × 256 (65 536 elements: packed by both threads of a two-thread product).
const shapes = [[5, 7, 9], [33, 64, 130], [32, 128, 128], [4, 3, 6], [9, 256, 256]] as const;

describe("packed B kept for reuse", () => {
  it("runs where the memory is shared (else the key is ignored, see below)", () => {
    expect(wasmVariant()?.shared).toBe(true);
  });

  it.each([1, 2])("gives the bits of a fresh packing for every use of a kept B, on %i thread(s)", (threads) => {
    const rand = mulberry32(11 + threads);
    for (const [m, k, n] of shapes) {
      for (const tB of [false, true]) {
        for (const tA of [false, true]) {
          const b = randomArray(k * n, rand);
          const key = {};
          const label = `${m}×${k}×${n}, transA ${tA}, transB ${tB}, ${threads} threads`;
          // Three uses under one key (the first packs, the others reuse), each with a new A.
          for (let use = 0; use < 3; use++) {
            const a = randomArray(m * k, rand);
            const want = product(a, b, m, k, n, tA, tB, threads);
            expect(firstDifference(product(a, b, m, k, n, tA, tB, threads, key), want), `${label}, use ${use}`).toBe(-1);
          }
        }
      }
    }
  });

  it("tells apart B read transposed and not, other depths, other arrays and other keys", () => {
    const rand = mulberry32(21);
    const n = 12;
    const b = randomArray(n * n, rand);
    const a = randomArray(8 * n, rand);
    const key = {};
    const check = (bb: Float64Array, k: number, cols: number, tB: boolean, kk: object, label: string) => {
      const want = product(a, bb, 8, k, cols, false, tB, 1);
      expect(firstDifference(product(a, bb, 8, k, cols, false, tB, 1, kk), want), label).toBe(-1);
    };
    check(b, n, n, false, key, "B");
    check(b, n, n, true, key, "the same B read transposed");
    check(b, 6, 24, false, key, "the same data as a 6 × 24 B");
    check(b.map((x) => 2 * x), n, n, false, key, "other data in another array under the same key");
    const other = randomArray(n * n, rand);
    check(other, n, n, false, {}, "another B of the same shape, another key");
    check(b, n, n, false, {}, "B under a new key");
  });

  it("packs B again after other products evicted it, and keeps the bits", () => {
    const rand = mulberry32(31);
    const [m, k, n] = [6, 20, 18];
    const bs = Array.from({ length: 7 }, () => ({ b: randomArray(k * n, rand), key: {} }));
    for (let round = 0; round < 3; round++) {
      for (const [i, { b, key }] of bs.entries()) {
        const a = randomArray(m * k, rand);
        const want = product(a, b, m, k, n, false, i % 2 === 1, 1);
        expect(firstDifference(product(a, b, m, k, n, false, i % 2 === 1, 1, key), want), `B ${i}, round ${round}`).toBe(-1);
      }
    }
  });

  it("matmulData passes the key through and gives the same bits with it and without", () => {
    const rand = mulberry32(41);
    const [m, k, n] = [32, 128, 128];
    const b = randomArray(k * n, rand);
    const key = {};
    for (let use = 0; use < 3; use++) {
      const a = randomArray(m * k, rand);
      const want = new Float64Array(m * n);
      const got = new Float64Array(m * n);
      matmulData(a, b, want, 1, m, k, n, false, true);
      matmulData(a, b, got, 1, m, k, n, false, true, key);
      expect(firstDifference(got, want), `use ${use}`).toBe(-1);
    }
  });

  it("is ignored where the WebAssembly kernel is missing (the JavaScript kernel computes the product)", () => {
    // A process of its own, where the kernel cannot get its memory (tsx itself needs WebAssembly).
    const script = `
      WebAssembly.Memory = function () { throw new Error("no memory here"); };
      const { wasmAvailable } = await import(${JSON.stringify(resolve(import.meta.dirname, "../src/kernels/matmul-wasm.ts"))});
      if (wasmAvailable()) throw new Error("the kernel ran");
      const { matmulData, matmulJs } = await import(${JSON.stringify(resolve(import.meta.dirname, "../src/kernels/matmul.ts"))});
      const a = Float64Array.from({ length: 32 * 20 }, (_, i) => Math.sin(i));
      const b = Float64Array.from({ length: 20 * 30 }, (_, i) => Math.cos(i));
      const key = {};
      const same = [];
      for (let use = 0; use < 2; use++) {
        const want = new Float64Array(32 * 30), got = new Float64Array(32 * 30);
        matmulJs(a, b, want, 1, 32, 20, 30);
        matmulData(a, b, got, 1, 32, 20, 30, false, false, key);
        same.push(got.every((x, i) => Object.is(x, want[i])));
      }
      console.log(JSON.stringify(same));
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: resolve(import.meta.dirname, ".."),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(JSON.parse(out.trim())).toEqual([true, true]);
  });

  it("keeps no more than its slots' arrays alive, in a synchronous loop of products with fresh Bs", () => {
    // A process of its own, to collect garbage on demand: 2 000 products, each B a fresh 128 × 128
    // array (128 KB) that only the product sees; all of them alive would be 262 MB.
    const script = `
      const np = await import(${JSON.stringify(resolve(import.meta.dirname, "../src/numpy/index.ts"))});
      const a = np.ones([32, 128]);
      for (let i = 0; i < 2000; i++) a.matmul(np.array(new Float64Array(128 * 128).fill(i)).reshape(128, 128));
      globalThis.gc();
      console.log(JSON.stringify({ arrayBuffers: process.memoryUsage().arrayBuffers }));
    `;
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: resolve(import.meta.dirname, ".."),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(JSON.parse(out.trim()).arrayBuffers).toBeLessThan(64e6);
  });

  it("W7-like gradients (Wh the B of every step, forward and backward) equal those computed keeping nothing", () => {
    const rand = mulberry32(51);
    const [batch, hidden, input, steps] = [5, 9, 7, 6];
    const matrix = (r: number, c: number) => np.array(randomArray(r * c, rand)).reshape(r, c);
    const xs = Array.from({ length: steps }, () => matrix(batch, input));
    const loss = (p: { wx: np.NDArray; wh: np.NDArray }) => {
      let h = np.zeros([batch, hidden]);
      for (const x of xs) h = np.tanh(x.matmul(p.wx).add(h.matmul(p.wh)));
      return np.sum(h.mul(h));
    };
    const params = { wx: matrix(input, hidden), wh: matrix(hidden, hidden) };
    const g = grad(loss)(params);
    const previous = setKeepPackedB(false);
    let want: typeof g;
    try {
      want = grad(loss)(params);
    } finally {
      setKeepPackedB(previous);
    }
    for (const name of ["wx", "wh"] as const) {
      const got = Float64Array.from((g[name].toArray() as number[][]).flat());
      const exp = Float64Array.from((want[name].toArray() as number[][]).flat());
      expect(firstDifference(got, exp), name).toBe(-1);
    }
  });
});
