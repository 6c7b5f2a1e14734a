/**
 * @file The experimental threaded kernels of `bench/threads-map.ts` (measured by
 * `bench/threads-elementwise.ts`, not used by the library) compute what the single-thread SIMD
 * kernels compute: elementwise results and pairwise sums bit for bit on 1, 2 and 3 threads, odd
 * lengths and views at an offset, also staged through a shared Wasm memory (whole or pipelined); a failing worker surfaces as an error; the engine's memory does
 * not grow over many calls. Without these the benchmark's timings could be of wrong work.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failingJob, pipelinedUnary, prepareStaged, sharedFloat64, stagedSum, stagedUnary, startEngine, stopEngine, taskCounts, threadedExtremum, threadedPairwise, threadedUnary, type UnaryName } from "../bench/threads-map.ts";
import { simdExtremum, simdMath, simdPairwiseDot, simdPairwiseSum, simdUnary } from "../src/kernels/simd.ts";

const m = simdMath()!;

/** A shared view of `n` doubles at element offset `off` of its buffer, filled with `f(i)`. */
function sharedOf(n: number, off: number, f: (i: number) => number): Float64Array {
  const buf = new SharedArrayBuffer(8 * (n + off + 3));
  const v = new Float64Array(buf, 8 * off, n);
  for (let i = 0; i < n; i++) v[i] = f(i);
  return v;
}

const bitsEqual = (a: Float64Array, b: Float64Array): boolean => {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
};

beforeAll(prepareStaged);
afterAll(stopEngine);

describe("threaded SIMD kernels on shared arrays (bench/threads-map.ts)", () => {
  const lengths = [1, 7, 2047, 2049, 100_003, 262_145];
  for (const threads of [1, 2, 3]) {
    for (const n of lengths) {
      it(`exp, tanh, log1p on ${threads} thread(s), n = ${n}, at an offset: bit for bit the single-thread kernels`, () => {
        const x = sharedOf(n, 3, (i) => 12 * Math.sin(0.37 * i + 0.1));
        for (const name of ["exp", "tanh", "log1p"] as UnaryName[]) {
          const arg = name === "log1p" ? sharedOf(n, 1, (i) => Math.abs(x[i]!)) : x;
          const want = new Float64Array(n);
          simdUnary(name, arg, want);
          const got = sharedOf(n, 5, () => NaN);
          threadedUnary(name, arg, got, threads);
          expect(bitsEqual(got, want), `${name}`).toBe(true);
        }
      });

      it(`sum, dot, max, min on ${threads} thread(s), n = ${n}: the single-thread results, the sums bit for bit`, () => {
        const x = sharedOf(n, 1, (i) => Math.sin(0.71 * i) * 10 ** ((i % 7) - 3));
        const y = sharedOf(n, 2, (i) => Math.cos(0.3 * i));
        expect(Object.is(threadedPairwise(x, null, threads), simdPairwiseSum(m, x, 0, n))).toBe(true);
        expect(Object.is(threadedPairwise(x, y, threads), simdPairwiseDot(m, x, 0, y, 0, n))).toBe(true);
        if (n >= 8) {
          expect(threadedExtremum("max", x, threads)).toBe(simdExtremum(m, "max", x, 0, n));
          expect(threadedExtremum("min", x, threads)).toBe(simdExtremum(m, "min", x, 0, n));
        }
      });
    }
  }

  for (const threads of [1, 2, 3]) {
    it(`staged through a shared Wasm memory (plain arrays), whole or pipelined through a ring, on ${threads} thread(s): exp, tanh and the sum bit for bit`, () => {
      for (const n of [7, 2049, 100_003, 1_000_001]) {
        const x = Float64Array.from({ length: n }, (_, i) => 12 * Math.sin(0.37 * i + 0.1));
        for (const name of ["exp", "tanh"] as UnaryName[]) {
          const want = new Float64Array(n);
          simdUnary(name, x, want);
          const got = new Float64Array(n);
          stagedUnary(name, x, got, threads);
          expect(bitsEqual(got, want), `${name}, n = ${n}`).toBe(true);
          const piped = new Float64Array(n);
          pipelinedUnary(name, x, piped, threads);
          expect(bitsEqual(piped, want), `${name} pipelined, n = ${n}`).toBe(true);
        }
        expect(Object.is(stagedSum(x, threads), simdPairwiseSum(m, x, 0, n))).toBe(true);
      }
    });
  }

  it("10⁷ × 0.1 sums to 1e6 exactly on 1, 2, 3 threads, as NumPy's pairwise sum (np.sum(np.full(10**7, 0.1)) - 1e6 == 0.0, test/bad-inputs-edges.test.ts)", () => {
    const x = sharedOf(10_000_000, 0, () => 0.1);
    for (const threads of [1, 2, 3]) expect(threadedPairwise(x, null, threads)).toBe(1e6);
  });

  it("a NaN anywhere makes max and min NaN", () => {
    const x = sharedOf(300_001, 0, (i) => i);
    x[250_000] = NaN;
    expect(threadedExtremum("max", x, 2)).toBeNaN();
    expect(threadedExtremum("min", x, 3)).toBeNaN();
  });

  it("workers take part: with 2 threads and long jobs a worker runs some tasks", () => {
    const x = sharedOf(1_000_000, 0, (i) => i * 1e-6);
    const out = sharedFloat64(x.length);
    const before = taskCounts()[1] ?? 0;
    for (let r = 0; r < 50; r++) threadedUnary("tanh", x, out, 2);
    expect(taskCounts()[1]! - before).toBeGreaterThan(0);
  });

  it("a worker that fails surfaces as an error on the calling thread, and the engine keeps working", () => {
    expect(() => failingJob(2)).toThrow(/a worker thread failed/);
    const x = sharedOf(10_000, 0, (i) => i);
    expect(threadedPairwise(x, null, 2)).toBe(simdPairwiseSum(m, x, 0, x.length));
  });

  it("refuses operands that are not shared", () => {
    startEngine(2);
    expect(() => threadedUnary("exp", new Float64Array(100_000), sharedFloat64(100_000), 2)).toThrow(/SharedArrayBuffer/);
  });

  it("memory does not grow over many calls", () => {
    const x = sharedOf(200_000, 0, (i) => Math.sin(i));
    const out = sharedFloat64(x.length);
    const run = (): void => {
      for (let r = 0; r < 200; r++) {
        threadedUnary("exp", x, out, 2);
        threadedPairwise(x, null, 2);
      }
    };
    run();
    const before = process.memoryUsage().rss;
    run();
    run();
    expect(process.memoryUsage().rss - before).toBeLessThan(32 << 20);
  });
});
