/**
 * @file Two independent products as one threaded job (`wasmProductPair`, paired in compiled
 * programs by the code generator) and C copied out chunk by chunk while the threads compute: the
 * same bits as `matmulData` on odd shapes, transposed operands, operands in and out of the
 * kernel's memory, on 1 and 2 threads; compiled programs pair neighbouring products (W3's backward
 * pass) with eager's bits, and fall back to the products one after the other.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jit, setThreads, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { matmulData } from "../src/kernels/matmul.ts";
import { kernelMemoryArray, setThreadMinWork, wasmAvailable, wasmProductPair, wasmVariant, type ProductShape } from "../src/kernels/matmul-wasm.ts";
import { chunkCounts, runGemmJobs, threadsSupported, type GemmJob, type JobKernel, type SharedKernel } from "../src/kernels/threads.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import type { NDArray } from "../src/core/ndarray.ts";
import { sameBits } from "./compiler-helpers.ts";

const random = (size: number, rand: () => number): Float64Array => Float64Array.from({ length: size }, () => 2 * rand() - 1);
const firstDifference = (x: Float64Array, y: Float64Array): number => x.findIndex((v, i) => !Object.is(v, y[i]));

/** `x` copied into the kernel's memory. */
function inKernel(x: Float64Array): Float64Array {
  const y = kernelMemoryArray(x.length)!;
  y.set(x);
  return y;
}

const shape = (m: number, k: number, n: number, transA = false, transB = false): ProductShape => ({ m, k, n, transA, transB });

/** Pairs of shapes: padded rows and columns, n < 4, k = 0 and 1, transposed operands, a B of 256² (packed by the threads), W3's pairs scaled down. */
const PAIRS: [ProductShape, ProductShape][] = [
  [shape(37, 29, 41), shape(37, 29, 44, true, true)],
  [shape(64, 48, 32, true, false), shape(48, 10, 64, false, true)],
  [shape(130, 140, 132), shape(21, 17, 3, true, false)],
  [shape(9, 0, 8), shape(16, 1, 12)],
  [shape(2, 3, 1), shape(5, 7, 8, false, true)],
  [shape(64, 256, 256, true, false), shape(128, 256, 256, false, true)],
  [shape(128, 64, 10, true, false), shape(64, 10, 128, false, true)],
];

const skipWithoutThreads = !threadsSupported() || wasmVariant()?.shared !== true;

afterEach(() => setThreads(1));

describe("wasmProductPair", () => {
  it.skipIf(skipWithoutThreads)("gives matmulData's bits for both products, C into arrays or left in the kernel's memory, operands in or out of it", () => {
    const rand = mulberry32(21);
    const previous = setThreadMinWork(1);
    setThreads(2);
    try {
      for (const [s1, s2] of PAIRS) {
        const pair = wasmProductPair(s1, s2)!;
        for (const placed of [false, true]) {
          const [a1, b1, a2, b2] = [random(s1.m * s1.k, rand), random(s1.k * s1.n, rand), random(s2.m * s2.k, rand), random(s2.k * s2.n, rand)];
          const want1 = new Float64Array(s1.m * s1.n);
          const want2 = new Float64Array(s2.m * s2.n);
          matmulData(a1, b1, want1, 1, s1.m, s1.k, s1.n, s1.transA, s1.transB);
          matmulData(a2, b2, want2, 1, s2.m, s2.k, s2.n, s2.transA, s2.transB);
          const put = placed ? inKernel : (x: Float64Array) => x;
          const c1 = new Float64Array(s1.m * s1.n).fill(NaN);
          const c2 = new Float64Array(s2.m * s2.n).fill(NaN);
          const label = `${JSON.stringify([s1, s2])}${placed ? " in the kernel's memory" : ""}`;
          expect(pair(put(a1), put(b1), c1, put(a2), put(b2), c2), label).toBe(c2);
          expect(firstDifference(c1, want1), label).toBe(-1);
          expect(firstDifference(c2, want2), label).toBe(-1);
          if (s2.n % 4 === 0) {
            const c1b = placed ? kernelMemoryArray(s1.m * s1.n)!.fill(NaN) : new Float64Array(s1.m * s1.n).fill(NaN);
            const left = pair(put(a1), put(b1), c1b, put(a2), put(b2), undefined)!;
            expect(left.length).toBe(s2.m * s2.n);
            expect(firstDifference(c1b, want1), `${label}, C1 ${placed ? "in place" : "copied"}`).toBe(-1);
            expect(firstDifference(left, want2), `${label}, C2 left in memory`).toBe(-1);
          } else expect(pair(a1, b1, c1, a2, b2, undefined), "C2 with padded rows cannot be left in memory").toBeUndefined();
        }
      }
    } finally {
      setThreadMinWork(previous);
    }
  });

  it.skipIf(skipWithoutThreads)("shares both products' chunks between the threads", () => {
    const [s1, s2] = PAIRS[5]!;
    const pair = wasmProductPair(s1, s2)!;
    const rand = mulberry32(3);
    setThreads(2);
    const [a1, b1, a2, b2] = [random(s1.m * s1.k, rand), random(s1.k * s1.n, rand), random(s2.m * s2.k, rand), random(s2.k * s2.n, rand)];
    const before = chunkCounts().reduce((x, y) => x + y, 0);
    for (let i = 0; i < 5; i++) pair(a1, b1, new Float64Array(s1.m * s1.n), a2, b2, new Float64Array(s2.m * s2.n));
    const counts = chunkCounts();
    // 5 jobs of 8 + 8 chunks (chunking for 2 threads: 4 per thread and product).
    expect(counts.reduce((x, y) => x + y, 0) - before).toBe(5 * 16);
  });

  it("runs nothing (undefined) on one thread, for products too small together, or where a C overlaps the other product's operands", () => {
    if (!wasmAvailable()) return;
    const [s1, s2] = PAIRS[1]!;
    const pair = wasmProductPair(s1, s2)!;
    const rand = mulberry32(4);
    const [a1, b1, a2, b2] = [random(s1.m * s1.k, rand), random(s1.k * s1.n, rand), random(s2.m * s2.k, rand), random(s2.k * s2.n, rand)];
    const c1 = new Float64Array(s1.m * s1.n).fill(7);
    setThreads(1);
    expect(pair(a1, b1, c1, a2, b2, undefined)).toBeUndefined();
    setThreads(2);
    expect(pair(a1, b1, c1, a2, b2, undefined)).toBeUndefined(); // 64·48·32 + 48·10·64 multiply-adds: under 128³
    const previous = setThreadMinWork(1);
    try {
      const shared = kernelMemoryArray(s1.m * s1.n + s2.k * s2.n)!;
      const overlapping = shared.subarray(0, s1.m * s1.n);
      expect(pair(a1, b1, overlapping, a2, shared.subarray(s1.m * s1.n - 1, s1.m * s1.n - 1 + s2.k * s2.n), undefined)).toBeUndefined();
      expect(c1.every((x) => x === 7)).toBe(true);
    } finally {
      setThreadMinWork(previous);
    }
  });
});

describe("runGemmJobs", () => {
  it("refuses a job of no part, of more than two, or with more than 64 pieces of B, naming itself", () => {
    const job = { count: 1 } as GemmJob;
    const [kernel, fns] = [{} as SharedKernel, {} as JobKernel];
    expect(() => runGemmJobs(kernel, fns, [], 2)).toThrow(/runGemmJobs: a job has 1 to 2 parts, got 0/);
    expect(() => runGemmJobs(kernel, fns, [{ job }, { job }, { job }], 2)).toThrow(RangeError);
    const pack = { raw: 0, transposed: false, n: 4, strips: 40, stripsPer: 1, count: 40 };
    expect(() => runGemmJobs(kernel, fns, [{ job, pack }, { job, pack }], 2)).toThrow(/runGemmJobs: more than 64 pieces of B in one job/);
  });
});

describe("C copied out chunk by chunk while the threads compute", () => {
  it("gives matmulData's bits past the chunks tracked (a product of 318 chunks, 40 threads)", () => {
    if (skipWithoutThreads) return;
    const root = resolve(import.meta.dirname, "..");
    const script = `
      import { setThreads } from ${JSON.stringify(resolve(root, "src/index.ts"))};
      import { matmulData } from ${JSON.stringify(resolve(root, "src/kernels/matmul.ts"))};
      import { wasmMatmul } from ${JSON.stringify(resolve(root, "src/kernels/matmul-wasm.ts"))};
      import { MAX_TRACKED, chunkCounts } from ${JSON.stringify(resolve(root, "src/kernels/threads.ts"))};
      setThreads(40);
      const [m, k, n] = [635, 64, 61]; // 40 threads: 159 blocks of 4 rows × 2 blocks of 8 strips = 318 chunks
      const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i));
      const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i));
      const want = new Float64Array(m * n);
      matmulData(a, b, want, 1, m, k, n);
      let bad = 0;
      // Until the workers have started and taken chunks, then 50 more products.
      const workers = () => chunkCounts().slice(1).reduce((x, y) => x + y, 0);
      for (let t = 0, t0 = performance.now(); t < 50; t += workers() > 1000 || performance.now() - t0 > 5000 ? 1 : 0) {
        const c = new Float64Array(m * n).fill(NaN);
        if (!wasmMatmul(a, b, c, 1, m, k, n, false, false, 40)) throw new Error("no Wasm");
        for (let i = 0; i < c.length; i++) if (!Object.is(c[i], want[i])) bad++;
      }
      console.log(JSON.stringify({ bad, tracked: MAX_TRACKED, workersTookChunks: workers() > 1000 }));
      process.exit(0);`;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({ bad: 0, tracked: 256, workersTookChunks: true });
  }, 60_000);
});

/** W3's loss on a smaller MLP: its backward pass has the two pairs of independent products. */
const mlpLossWith = (np: typeof import("autograd-ts/numpy")) => ([w1, b1, w2, b2, w3, b3]: NDArray[], x: NDArray, y: NDArray): NDArray => {
  const h1 = np.tanh(np.matmul(x, w1!).add(b1!));
  const h2 = np.tanh(np.matmul(h1, w2!).add(b2!));
  const z = np.matmul(h2, w3!).add(b3!);
  const shifted = z.sub(np.max(z, { axis: 1, keepdims: true }));
  const logp = shifted.sub(np.log(np.sum(np.exp(shifted), { axis: 1, keepdims: true })));
  return np.mean(np.sum(logp.mul(y), { axis: 1 })).neg();
};

describe("jit pairs neighbouring independent products", () => {
  const rand = mulberry32(9);
  const sizes = [61, 36, 28, 10];
  const params = [0, 1, 2].flatMap((l) => [np.array(random(sizes[l]! * sizes[l + 1]!, rand)).reshape(sizes[l]!, sizes[l + 1]!).mul(0.3), np.array(random(sizes[l + 1]!, rand))]);
  const x = np.array(random(33 * 61, rand)).reshape(33, 61);
  const y = np.array(Float64Array.from({ length: 33 * 10 }, (_, i) => (i % 10 === (i / 10) % 7 ? 1 : 0))).reshape(33, 10);
  const step = valueAndGrad(mlpLossWith(np));
  const flat = (r: unknown): NDArray[] => {
    const [value, grads] = r as [NDArray, NDArray[]];
    return [value, ...grads];
  };

  it("W3's backward products (dW2 with dh1, dW3 with dh2) as one job each, with eager's bits on 1 and 2 threads", () => {
    const jitted = jit(step);
    if (wasmAvailable()) expect(jitted.lower(params, x, y).text.match(/as one job/g)?.length).toBe(2);
    const previous = setThreadMinWork(1);
    try {
      for (const threads of [1, 2]) {
        setThreads(threads);
        sameBits(flat(step(params, x, y)), flat(jitted(params, x, y)));
      }
    } finally {
      setThreadMinWork(previous);
    }
  });

  it("runs the products one after the other where the pair does not run, or is not offered, with the same bits", async () => {
    for (const pairing of [() => () => undefined, () => undefined]) {
      vi.resetModules();
      vi.doMock("../src/kernels/matmul-wasm.ts", async (importOriginal) => ({
        ...(await importOriginal<typeof import("../src/kernels/matmul-wasm.ts")>()),
        wasmProductPair: pairing,
      }));
      const lib = await import("../src/index.ts");
      const npm = await import("../src/numpy/index.ts");
      const wasm = await import("../src/kernels/matmul-wasm.ts");
      const again = (a: NDArray) => npm.array(Array.from((a as unknown as { data: Float64Array }).data)).reshape(a.shape as number[]);
      const [params2, x2, y2] = [params.map(again), again(x), again(y)];
      const previous = wasm.setThreadMinWork(1);
      try {
        lib.setThreads(2);
        const jitted = lib.jit(lib.valueAndGrad(mlpLossWith(npm as unknown as typeof np)));
        expect(jitted.lower(params2, x2, y2).text.includes("as one job")).toBe(wasmAvailable() && pairing() !== undefined);
        sameBits(flat(step(params, x, y)), flat(jitted(params2, x2, y2)));
      } finally {
        wasm.setThreadMinWork(previous);
        lib.setThreads(1);
        vi.doUnmock("../src/kernels/matmul-wasm.ts");
      }
    }
  });
});
