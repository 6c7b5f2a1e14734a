/**
 * @file The matrix-product kernels (plain JavaScript, WebAssembly SIMD, and the dispatch between
 * them) against the textbook triple loop, on random shapes biased to the sizes where blocking goes
 * wrong (0 and 1, tile and panel boundaries, batches), with NaN/±Inf planted in the inputs and with
 * garbage in the output buffer (the kernels overwrite C; they must not read it first). Also: the
 * committed Wasm binary is exactly what its source assembles to.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { matmulData, matmulJs, type MatmulKernel } from "../src/kernels/matmul.ts";
import { blocking, unsharedImport, wasmAvailable, wasmMatmul, wasmVariant } from "../src/kernels/matmul-wasm.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { assemble, kernels, modulePath, moduleSource, watPath } from "../scripts/assemble-wasm.ts";
import { gemmShape, watSources } from "../scripts/gemm-wat.ts";
import { gemmWasm } from "../src/kernels/wasm/gemm.wasm.ts";

type Kernel = MatmulKernel;
const wasmKernel: Kernel = (...args) => {
  if (!wasmMatmul(...args)) throw new Error("the Wasm kernel did not run");
};
/** The Wasm kernel with C shared between `threads` threads, whatever the product's size. */
const threadedKernel = (threads: number): Kernel => (a, b, c, batch, m, k, n, tA = false, tB = false) => {
  if (!wasmMatmul(a, b, c, batch, m, k, n, tA, tB, threads)) throw new Error("the Wasm kernel did not run");
};

/** The oracle: c[b,i,j] = Σ_p a[b,i,p]·b[b,p,j], in the textbook order. */
function naive(a: Float64Array, b: Float64Array, batch: number, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[bi * m * k + i * k + p]! * b[bi * k * n + p * n + j]!;
        c[bi * m * n + i * n + j] = s;
      }
    }
  }
  return c;
}

interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
}

const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 11, 16, 31, 64, 127, 128, 129, 255, 256, 257, 300];

/** Random shapes, each small enough for the naive oracle. */
function randomCases(count: number, rand: () => number): Case[] {
  const pick = () => sizes[Math.floor(rand() * sizes.length)]!;
  const cases: Case[] = [];
  for (let t = 0; t < count; t++) {
    const batch = [0, 1, 1, 1, 2, 3, 5][Math.floor(rand() * 7)]!;
    let [m, k, n] = [pick(), pick(), pick()];
    while (batch * m * k * n > 1e6) [m, k, n] = [Math.ceil(m / 2), Math.ceil(k / 2), Math.ceil(n / 2)];
    cases.push({ batch, m, k, n });
  }
  return cases;
}

const fixedCases: Case[] = [
  { batch: 1, m: 0, k: 0, n: 0 },
  { batch: 1, m: 1, k: 1, n: 1 },
  { batch: 0, m: 3, k: 3, n: 3 },
  { batch: 1, m: 5, k: 0, n: 7 },
  { batch: 1, m: 256, k: 784, n: 64 },
  { batch: 1, m: 64, k: 512, n: 10 },
  { batch: 1, m: 300, k: 257, n: 1 },
  { batch: 1, m: 1, k: 257, n: 300 },
  { batch: 64, m: 1, k: 128, n: 10 },
  { batch: 16, m: 100, k: 1, n: 30 },
  { batch: 1, m: 130, k: 3, n: 513 },
];

function randomArray(size: number, rand: () => number): Float64Array {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = 2 * rand() - 1;
  return x;
}

/**
 * Largest error of `got` relative to Σ_p |a||b| (the scale of a reordered sum's rounding error), or
 * Infinity where NaN/±Inf differ.
 */
function relativeError(cs: Case, a: Float64Array, b: Float64Array, got: Float64Array): number {
  const { batch, m, k, n } = cs;
  const ref = naive(a, b, batch, m, k, n);
  const scale = naive(a.map(Math.abs), b.map(Math.abs), batch, m, k, n);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const g = got[i]!;
    if (!Number.isFinite(r) || !Number.isFinite(g)) {
      if (!Object.is(r, g)) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(r - g) / (scale[i]! + Number.MIN_VALUE));
  }
  return worst;
}

/** The matrices of `x` ([batch, rows, cols]) stored transposed ([batch, cols, rows]). */
function transposed(x: Float64Array, batch: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[bi * rows * cols + j * rows + i] = x[bi * rows * cols + i * cols + j]!;
  }
  return out;
}

/**
 * Runs a kernel on one case; `special` plants NaN/±Inf in A and B, `dirty` fills C with garbage
 * first, `trans` hands the kernel A and/or B stored transposed (chosen at random).
 */
function check(kernel: Kernel, cs: Case, rand: () => number, special: boolean, dirty: boolean, trans = false): number {
  const { batch, m, k, n } = cs;
  const a = randomArray(batch * m * k, rand);
  const b = randomArray(batch * k * n, rand);
  if (special) {
    const planted = [NaN, Infinity, -Infinity];
    for (let t = 0; t < 3 && a.length > 0; t++) a[Math.floor(rand() * a.length)] = planted[t]!;
    for (let t = 0; t < 3 && b.length > 0; t++) b[Math.floor(rand() * b.length)] = planted[t]!;
  }
  const c = dirty ? randomArray(batch * m * n, rand).map((x) => 1e3 * x) : new Float64Array(batch * m * n);
  const [tA, tB] = trans ? [rand() < 0.5, rand() < 0.5] : [false, false];
  const aIn = tA ? transposed(a, batch, m, k) : a;
  const bIn = tB ? transposed(b, batch, k, n) : b;
  kernel(aIn, bIn, c, batch, m, k, n, tA, tB);
  return relativeError(cs, a, b, c);
}

describe.each([
  ["JavaScript", matmulJs],
  ["WebAssembly", wasmKernel],
  ["WebAssembly on 1 thread", threadedKernel(1)],
  ["WebAssembly on 3 threads", threadedKernel(3)],
  ["dispatching", matmulData],
] as const)("matmul kernel: %s", (_, kernel) => {
  const rand = mulberry32(20240611);
  const cases = [...fixedCases, ...randomCases(200, rand)];
  // A reordered sum of k terms differs from the textbook order by at most about k·ε relative to Σ|a||b|.
  const tolerance = 1e-13;
  for (const [label, special, dirty, trans] of [
    ["agrees with the triple loop", false, false, false],
    ["propagates NaN and ±Inf exactly like the triple loop", true, false, false],
    ["overwrites C without reading it", false, true, false],
    ["reads operands stored transposed", true, true, true],
  ] as const) {
    it(`${label} on ${cases.length} shapes`, () => {
      const bad = cases
        .map((cs) => ({ cs, err: check(kernel, cs, rand, special, dirty, trans) }))
        .filter(({ err }) => !(err <= tolerance))
        .map(({ cs, err }) => `${cs.batch}×[${cs.m},${cs.k}]×[${cs.k},${cs.n}]: ${err}`);
      expect(bad).toEqual([]);
    });
  }
});

describe("dotGeneral's output", () => {
  it("above 64 KB comes uninitialised from Node (no zero-fill pass) and is still fully written", async () => {
    const np = await import("autograd-ts/numpy");
    const rand = mulberry32(11);
    for (let rep = 0; rep < 5; rep++) {
      // garbage left in freed memory, then products that reuse it: every shape path (wasm, outer, stream)
      for (const [m, k, n] of [[120, 70, 90], [300, 1, 40], [2, 90, 4200]] as const) {
        const a = randomArray(m * k, rand);
        const b = randomArray(k * n, rand);
        const got = np.matmul(np.array(a).reshape(m, k), np.array(b).reshape(k, n)).toArray() as number[][];
        const want = naive(a, b, 1, m, k, n);
        const err = got.flat().reduce((w, g, i) => Math.max(w, Math.abs(g - want[i]!)), 0);
        expect(err, `${m}×${k}×${n}`).toBeLessThan(1e-12);
      }
    }
  });
});

/** The part of the WebAssembly API used here (the project compiles without the DOM's types). */
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

describe("the WebAssembly kernel", () => {
  it("runs on Node (WebAssembly SIMD available), on shared memory", () => {
    expect(wasmAvailable()).toBe(true);
    expect(wasmVariant()?.shared).toBe(true);
  });
  it.each(kernels)("%s: the committed binary is what its .wat source assembles to", async (name) => {
    expect(readFileSync(modulePath(name), "utf8")).toBe(moduleSource(name, await assemble(name)));
  });
  it.each(Object.keys(watSources) as (keyof typeof watSources)[])("%s.wat is what scripts/gemm-wat.ts writes", (name) => {
    expect(readFileSync(watPath(name), "utf8")).toBe(watSources[name]());
  });
  it("matmul-wasm.ts lays out memory for the blocking the .wat was generated with", () => {
    expect(blocking).toEqual({ MR: gemmShape.mr, NR: 2 * gemmShape.nv, MC: gemmShape.mc, KC: gemmShape.kc });
  });
  it("sums each element in the textbook order: equal bit for bit to the triple loop (the build without fused multiply-adds)", () => {
    if (wasmVariant()?.relaxed) return; // relaxed_madd may fuse: differs from the triple loop in rounding
    const rand = mulberry32(5);
    // depths across the 256-deep blocks (a tile resumes from C's partial sum), rows across 64-row blocks
    for (const [m, k, n] of [[5, 300, 7], [130, 513, 9], [64, 256, 64], [3, 1, 5], [67, 1000, 33]] as const) {
      for (const threads of [1, 2]) {
        const a = randomArray(m * k, rand);
        const b = randomArray(k * n, rand);
        const c = new Float64Array(m * n);
        expect(wasmMatmul(a, b, c, 1, m, k, n, false, false, threads)).toBe(true);
        const want = naive(a, b, 1, m, k, n);
        expect(c.findIndex((x, i) => !Object.is(x, want[i])), `${m}×${k}×${n}, ${threads} threads`).toBe(-1);
      }
    }
  });
  it("its binary with the memory import made unshared runs on an ordinary memory (platforms without shared memory)", () => {
    const bytes = unsharedImport(Uint8Array.from(atob(gemmWasm), (ch) => ch.charCodeAt(0)));
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const memory = new wasm.Memory({ initial: 4, maximum: 65536 });
    expect(memory.buffer instanceof SharedArrayBuffer).toBe(false);
    const gemm = new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports.gemm as (...args: number[]) => void;
    // A = [[1, 2]] padded to 4 rows, B = [[3], [4]] packed as one strip of 4 columns: C[0, 0] = 11
    const f = new Float64Array(memory.buffer);
    f.set([1, 2, 0, 0, 0, 0, 0, 0], 0);
    f.set([3, 0, 0, 0, 4, 0, 0, 0], 8);
    gemm(0, 2, 0, 64, 128, 2, 4, 0, 4, 0, 1, 4096); // a, lda, aT, bp, c, k, ldc, i0, i1, s0, s1, pack
    expect(f[16]).toBe(11);
    expect(() => unsharedImport(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))).toThrow(/no shared env.memory import/);
  });
  it("grows its memory for a large product and still agrees after a smaller one", () => {
    const rand = mulberry32(7);
    for (const cs of [{ batch: 1, m: 600, k: 300, n: 500 }, { batch: 2, m: 5, k: 9, n: 6 }]) {
      expect(check(wasmKernel, cs, rand, false, true)).toBeLessThan(1e-13);
    }
  });
});
