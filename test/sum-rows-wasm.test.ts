/**
 * @file The Wasm SIMD sums over a middle axis (`kernels/sum-rows-wasm.ts`) equal `reduceData`'s sums
 * bit for bit: odd shapes, NaN, ±∞ and −0, operands in and out of the kernel's memory, without
 * shared kernel memory, and as compiled programs' bias-gradient sums on one and two threads.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { jit, setThreads, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { prepareSumRows, sumRowsInto } from "../src/kernels/sum-rows-wasm.ts";
import { reduceData } from "../src/kernels/reduce.ts";
import { kernelMemoryArray, wasmVariant } from "../src/kernels/matmul-wasm.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import type { NDArray } from "../src/core/ndarray.ts";
import { mockNoKernelMemory, sameBits } from "./compiler-helpers.ts";

afterEach(() => setThreads(1));

const shared = wasmVariant()?.shared === true;

/** Values of mixed signs and magnitudes (so that the order of additions shows in the bits), with NaN, ±∞ and −0 where `special`. */
function fill(x: Float64Array, seed: number, special: boolean): void {
  const rand = mulberry32(seed);
  for (let i = 0; i < x.length; i++) x[i] = (rand() - 0.5) * 10 ** Math.floor(rand() * 12);
  if (!special) return;
  const odd = [NaN, Infinity, -Infinity, -0];
  for (let i = 0; i < x.length; i += 7) x[i] = odd[(i / 7) % 4]!;
}

/** Every run [lo, hi) of axes of `shape` whose rows after it have two or more elements. */
function runs(shape: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let lo = 0; lo < shape.length; lo++) {
    for (let hi = lo + 1; hi <= shape.length; hi++) if (shape.slice(hi).reduce((a, d) => a * d, 1) >= 2) out.push([lo, hi]);
  }
  return out;
}

function expectSameAsReduce(x: Float64Array, shape: readonly number[], lo: number, hi: number): void {
  const outShape = shape.filter((_, a) => a < lo || a >= hi);
  const size = outShape.reduce((a, d) => a * d, 1);
  const got = new Float64Array(size).fill(12345);
  const want = new Float64Array(size);
  sumRowsInto(x, shape, lo, hi, got);
  const axes = Array.from({ length: hi - lo }, (_, i) => lo + i);
  reduceData("sum", x, shape, axes, want);
  for (let i = 0; i < size; i++) if (!Object.is(got[i], want[i])) expect({ shape, lo, hi, i, got: got[i] }).toEqual({ shape, lo, hi, i, got: want[i] });
}

const shapes: number[][] = [[256, 512], [257, 9], [33, 3], [32, 2], [31, 17], [1, 5], [65, 8], [3, 129, 7], [0, 4], [4, 0, 3], [2, 300, 11], [1000, 3]];

describe("sumRowsInto", () => {
  it.skipIf(!shared)("equals reduceData bit for bit on operands in the kernel's memory (odd shapes, NaN, ±∞, −0)", () => {
    shapes.forEach((shape, s) => {
      const size = shape.reduce((a, d) => a * d, 1);
      for (const special of [false, true]) {
        const x = kernelMemoryArray(size)!;
        fill(x, 100 + s, special);
        for (const [lo, hi] of runs(shape)) {
          const n = shape.slice(lo, hi).reduce((a, d) => a * d, 1);
          expect(prepareSumRows(n, shape.slice(hi).reduce((a, d) => a * d, 1))).toBe(true);
          expectSameAsReduce(x, shape, lo, hi);
        }
      }
    });
  });

  it("equals reduceData bit for bit on operands outside the kernel's memory", () => {
    shapes.forEach((shape, s) => {
      const x = new Float64Array(shape.reduce((a, d) => a * d, 1));
      fill(x, 200 + s, true);
      for (const [lo, hi] of runs(shape)) expectSameAsReduce(x, shape, lo, hi);
    });
  });

  it("equals reduceData without shared kernel memory (the JavaScript kernel)", async () => {
    vi.resetModules();
    mockNoKernelMemory();
    const own = await import("../src/kernels/sum-rows-wasm.ts");
    const x = new Float64Array(256 * 33);
    fill(x, 7, true);
    expect(own.prepareSumRows(256, 33)).toBe(false);
    const got = new Float64Array(33);
    const want = new Float64Array(33);
    own.sumRowsInto(x, [256, 33], 0, 1, got);
    reduceData("sum", x, [256, 33], [0], want);
    expect(Array.from(got).map(String)).toEqual(Array.from(want).map(String));
    vi.doUnmock("../src/kernels/matmul-wasm.ts");
  });
});

describe("bias gradients in compiled programs", () => {
  it.skipIf(!shared)("run through the SIMD sums in the kernel's memory and equal eager on 1 and 2 threads", async () => {
    // A module graph of its own in which sumRowsInto records whether each operand lay in the kernel's memory.
    vi.resetModules();
    const seen: boolean[] = [];
    vi.doMock("../src/kernels/sum-rows-wasm.ts", async (importOriginal) => {
      const real = await importOriginal<typeof import("../src/kernels/sum-rows-wasm.ts")>();
      const { inKernelMemory } = await import("../src/kernels/matmul-wasm.ts");
      return {
        ...real,
        sumRowsInto: (src: Float64Array, ...rest: [readonly number[], number, number, Float64Array]) => {
          seen.push(inKernelMemory(src));
          real.sumRowsInto(src, ...rest);
        },
      };
    });
    const lib = await import("../src/index.ts");
    const npm = await import("../src/numpy/index.ts");
    type A = InstanceType<typeof npm.NDArray>;
    const [batch, i, h, o] = [67, 33, 71, 65];
    const rand = mulberry32(3);
    const arr = (r: number, c: number) => npm.array(Array.from({ length: r * c }, () => rand() - 0.5)).reshape([r, c]);
    const loss = (w1: A, b1: A, w2: A, b2: A, x: A) => npm.sum(npm.tanh(npm.tanh(x.matmul(w1).add(b1)).matmul(w2).add(b2)));
    const args = [arr(i, h), arr(1, h).reshape([h]), arr(h, o), arr(1, o).reshape([o]), arr(batch, i)] as const;
    const step = lib.valueAndGrad(loss as (...a: A[]) => A, { argnums: [0, 1, 2, 3] });
    for (const threads of [1, 2]) {
      lib.setThreads(threads);
      seen.length = 0;
      const [v, g] = step(...args) as [A, A[]];
      const [jv, jg] = lib.jit(step)(...args) as [A, A[]];
      sameBits([v, ...g] as unknown as NDArray[], [jv, ...jg] as unknown as NDArray[]);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.every((x) => x)).toBe(true);
    }
    lib.setThreads(1);
    vi.doUnmock("../src/kernels/sum-rows-wasm.ts");
  });

  it("equal eager in the main module graph (whichever kernel runs)", () => {
    const rand = mulberry32(5);
    const arr = (r: number, c: number) => np.array(Array.from({ length: r * c }, () => rand() - 0.5)).reshape([r, c]);
    const loss = (w: np.NDArray, b: np.NDArray, x: np.NDArray) => np.sum(np.tanh(x.matmul(w).add(b)));
    const args = [arr(17, 65), np.array(Array.from({ length: 65 }, () => rand())), arr(129, 17)] as const;
    const step = valueAndGrad(loss, { argnums: [0, 1] });
    for (const threads of [1, 2]) {
      setThreads(threads);
      const [v, g] = step(...args) as [np.NDArray, np.NDArray[]];
      const [jv, jg] = jit(step)(...args) as [np.NDArray, np.NDArray[]];
      sameBits([v, ...g] as unknown as NDArray[], [jv, ...jg] as unknown as NDArray[]);
    }
  });
});
