/**
 * @file Matrix products in compiled programs: `productOf` (the kernel and its placement in Wasm
 * memory chosen once per shape) gives `matmulData`'s bits, into a buffer or left in the kernel's
 * memory, on one thread or several; and `jit` reads a product's result where the kernel left it
 * only when nothing reads it after the next product, with the same bits as eager. Arrays in the
 * kernel's memory (`kernelMemoryArray`: compiled programs' buffers that products use) are read and
 * written in place with the same bits, never overwritten by products' scratch.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { jit, setThreads, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { matmulData, productOf } from "../src/kernels/matmul.ts";
import { kernelMemoryArray, setThreadMinWork, wasmAvailable, wasmMatmul, wasmVariant } from "../src/kernels/matmul-wasm.ts";
import { generate } from "../src/compiler/codegen-js.ts";
import { optimize } from "../src/compiler/pipeline.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { compile } from "../src/compiler/compile.ts";
import type { NDArray } from "../src/core/ndarray.ts";
import { sameBits, staged } from "./compiler-helpers.ts";

function randomArray(size: number, rand: () => number): Float64Array {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = 2 * rand() - 1;
  return x;
}

const firstDifference = (x: Float64Array, y: Float64Array): number => x.findIndex((v, i) => !Object.is(v, y[i]));

/** [batch, m, k, n, transA, transB]: Wasm and JavaScript paths, padded rows and columns, k past SPLIT_K. */
const SHAPES: [number, number, number, number, boolean, boolean][] = [
  [1, 100, 100, 100, false, true],
  [1, 100, 100, 1, false, false],
  [1, 64, 48, 32, false, false],
  [1, 37, 29, 41, false, false],
  [1, 37, 29, 41, true, false],
  [1, 37, 29, 41, false, true],
  [1, 37, 29, 44, true, true],
  [1, 12, 20, 8, true, false],
  [1, 64, 48, 32, true, true],
  [2, 16, 24, 12, true, false],
  [3, 21, 17, 12, false, false],
  [2, 9, 13, 8, true, true],
  [1, 3, 50, 20, false, false],
  [1, 20, 2, 20, false, false],
  [1, 12, 1100, 16, false, false],
  [1, 130, 140, 132, false, false],
  [1, 0, 5, 8, false, false],
  [1, 8, 0, 8, false, false],
];

const threadCounts = [1, 2];

afterEach(() => setThreads(1));

type Shape = (typeof SHAPES)[number];

/**
 * Calls `check` for every shape on 1 and 2 threads with random operands and matmulData's product of
 * them, every Wasm product sharing its chunks when 2 threads are asked for.
 */
function forEveryShape(seed: number, check: (a: Float64Array, b: Float64Array, want: Float64Array, shape: Shape, threads: number) => void): void {
  const rand = mulberry32(seed);
  const previous = setThreadMinWork(1);
  try {
    for (const threads of threadCounts) {
      setThreads(threads);
      for (const shape of SHAPES) {
        const [batch, m, k, n, tA, tB] = shape;
        const a = randomArray(batch * m * k, rand);
        const b = randomArray(batch * k * n, rand);
        const want = new Float64Array(batch * m * n);
        matmulData(a, b, want, batch, m, k, n, tA, tB);
        check(a, b, want, shape, threads);
      }
    }
  } finally {
    setThreadMinWork(previous);
  }
}

describe("productOf", () => {
  it("writes matmulData's bits into a buffer and, where offered, leaves them in the kernel's memory, on 1 and 2 threads", () => {
    forEveryShape(5, (a, b, want, [batch, m, k, n, tA, tB], threads) => {
      const product = productOf(batch, m, k, n, tA, tB);
      const c = new Float64Array(batch * m * n).fill(NaN);
      product.into(a, b, c);
      expect(firstDifference(c, want), `${[batch, m, k, n, tA, tB]} on ${threads}`).toBe(-1);
      if (product.inMemory) {
        const left = product.inMemory(a, b);
        expect(left.length).toBe(m * n);
        expect(firstDifference(left, want), `in memory: ${[batch, m, k, n, tA, tB]} on ${threads}`).toBe(-1);
      }
    });
  });

  it("leaves C in memory only for one product (batch 1) on the Wasm kernel with rows of C a multiple of four wide", () => {
    const offered = (batch: number, m: number, k: number, n: number) => productOf(batch, m, k, n, false, false).inMemory !== undefined;
    expect(offered(1, 64, 48, 32)).toBe(wasmAvailable());
    expect(offered(1, 37, 29, 41)).toBe(false); // n = 41: the kernel's rows of C are padded to 44
    expect(offered(3, 21, 17, 12)).toBe(false); // a batch: each matrix's C is copied out in turn
    expect(offered(1, 100, 100, 1)).toBe(false); // A·x: the JavaScript kernel
    expect(offered(1, 12, 1100, 16)).toBe(false); // k past SPLIT_K: blocks summed pairwise in JavaScript
  });

  it("gives the kernel's memory, which the next product overwrites", () => {
    if (!wasmAvailable()) return;
    const rand = mulberry32(8);
    const a = randomArray(32 * 16, rand);
    const b = randomArray(16 * 32, rand);
    const first = productOf(1, 32, 16, 32, false, false).inMemory!(a, b);
    const kept = first.slice();
    productOf(1, 32, 16, 32, false, false).inMemory!(b, a);
    expect(firstDifference(first, kept)).not.toBe(-1);
  });
});

/** A layer's pre-activation `x·w + b` goes through tanh, then into a second product: the first product's result only a loop reads. */
const mlp = (x: NDArray, w1: NDArray, b1: NDArray, w2: NDArray): NDArray => np.tanh(np.matmul(x, w1).add(b1)).matmul(w2);

describe("jit with products left in the kernel's memory", () => {
  const rand = mulberry32(11);
  const x = np.array(randomArray(24 * 40, rand)).reshape(24, 40);
  const w1 = np.array(randomArray(40 * 32, rand)).reshape(40, 32);
  const b1 = np.array(randomArray(32, rand));
  const w2 = np.array(randomArray(32 * 16, rand)).reshape(32, 16);

  it("reads the first layer's product where the kernel left it, with eager's bits, on 1 and 2 threads", () => {
    const program = compile(staged(mlp as never, x, w1, b1, w2));
    if (wasmAvailable()) expect(program.text).toContain("read where the kernel left it");
    const previous = setThreadMinWork(1);
    try {
      for (const threads of threadCounts) {
        setThreads(threads);
        sameBits([mlp(x, w1, b1, w2)], program.run([x, w1, b1, w2]));
        sameBits([mlp(x, w1, b1, w2)], [jit(mlp)(x, w1, b1, w2)]);
      }
    } finally {
      setThreadMinWork(previous);
    }
  });

  it("copies a product's result out when a later product reads it, or it is an output", () => {
    // h = x·w1 is read by tanh and, after the second product, by the third: it must be kept.
    const f = (x: NDArray, w1: NDArray, w2: NDArray): NDArray[] => {
      const h = np.matmul(x, w1);
      const y = np.tanh(h).matmul(w2);
      return [y, np.matmul(h, w2)];
    };
    const program = compile(staged(f as never, x, w1, w2));
    expect(program.text).not.toContain("read where the kernel left it");
    sameBits(f(x, w1, w2), program.run([x, w1, w2]));
    // The product is the program's output: it gets a buffer of its own.
    const g = (x: NDArray, w1: NDArray): NDArray => np.matmul(x, w1);
    const single = compile(staged(g as never, x, w1));
    expect(single.text).not.toContain("read where the kernel left it");
    const out = single.run([x, w1]);
    sameBits([g(x, w1)], out);
    // Another product afterwards leaves the returned array as it was.
    const kept = (out[0] as unknown as { data: Float64Array }).data.slice();
    single.run([np.ones([24, 40]), w1]);
    expect(firstDifference((out[0] as unknown as { data: Float64Array }).data, kept)).toBe(-1);
  });

  it("reads it in a reduction too (a sum over the batch, as a bias gradient), before the next product", () => {
    const f = (x: NDArray, w1: NDArray, w2: NDArray): NDArray[] => {
      const h = np.matmul(x, w1);
      return [np.sum(h, { axis: 0 }), np.tanh(h).matmul(w2)];
    };
    const program = compile(staged(f as never, x, w1, w2));
    if (wasmAvailable()) expect(program.text).toContain("read where the kernel left it");
    sameBits(f(x, w1, w2), program.run([x, w1, w2]));
  });
});

describe("jit with arguments several products read", () => {
  const rand = mulberry32(17);
  const x = np.array(randomArray(24 * 40, rand)).reshape(24, 40);
  const w1 = np.array(randomArray(40 * 32, rand)).reshape(40, 32);
  const w2 = np.array(randomArray(32 * 16, rand)).reshape(32, 16);
  const loss = ([w1, w2]: NDArray[], x: NDArray): NDArray => np.sum(np.tanh(np.tanh(np.matmul(x, w1)).matmul(w2)));
  // Its gradient reads x as A of x·w1 and, transposed, of xᵀ·dz1, and w2 as B of h·w2 and, transposed, of dz2·w2ᵀ.
  const step = valueAndGrad(loss);
  const flat = (r: unknown): NDArray[] => {
    const [value, [g1, g2]] = r as [NDArray, NDArray[]];
    return [value, g1!, g2!];
  };

  it("copies each into the kernel's memory once per call, with eager's bits, on 1 and 2 threads", () => {
    const program = compile(staged(((w1: NDArray, w2: NDArray, x: NDArray) => flat(step([w1, w2], x))) as never, w1, w2, x));
    const copies = program.text.match(/copied in once/g) ?? [];
    expect(copies.length).toBe(wasmVariant()?.shared === true ? 2 : 0);
    const jitted = jit(step);
    const previous = setThreadMinWork(1);
    try {
      for (const threads of threadCounts) {
        setThreads(threads);
        sameBits(flat(step([w1, w2], x)), program.run([w1, w2, x]));
        // Other arguments in the same program: the copies are refilled at every call.
        const [x2, w22] = [np.array(randomArray(24 * 40, rand)).reshape(24, 40), np.array(randomArray(32 * 16, rand)).reshape(32, 16)];
        sameBits(flat(step([w1, w22], x2)), program.run([w1, w22, x2]));
        sameBits(flat(step([w1, w2], x)), flat(jitted([w1, w2], x)));
      }
    } finally {
      setThreadMinWork(previous);
    }
  });

  it("leaves an argument one product reads to that product's own copy", () => {
    const g = (x: NDArray, w: NDArray, v: NDArray): NDArray => np.matmul(np.tanh(np.matmul(x, w)), v);
    const program = compile(staged(g as never, x, w1, w2));
    expect(program.text).not.toContain("copied in once");
    sameBits([g(x, w1, w2)], program.run([x, w1, w2]));
  });
});

/** `x` copied into the kernel's memory (or `x` itself where that memory is unavailable). */
function inKernel(x: Float64Array): Float64Array {
  const y = kernelMemoryArray(x.length);
  if (y === undefined) return x;
  y.set(x);
  return y;
}

describe("arrays in the kernel's memory", () => {
  const shared = wasmVariant()?.shared === true;

  it("are zeroed, apart from each other, and only where the memory is shared", () => {
    const x = kernelMemoryArray(37);
    const y = kernelMemoryArray(5);
    if (!shared) {
      expect(x).toBeUndefined();
      return;
    }
    expect(Array.from(x!)).toEqual(new Array(37).fill(0));
    expect(Array.from(y!)).toEqual(new Array(5).fill(0));
    x!.fill(1);
    y!.fill(2);
    expect(x!.every((v) => v === 1) && y!.every((v) => v === 2)).toBe(true);
    expect(x!.byteOffset % 16).toBe(0);
    expect(y!.byteOffset % 16).toBe(0);
  });

  it("give matmulData's bits as operands and as C (in place), on 1 and 2 threads; products leave other arrays there alone", () => {
    const bystander = kernelMemoryArray(1000);
    bystander?.fill(7);
    forEveryShape(21, (a, b, want, [batch, m, k, n, tA, tB], threads) => {
      const c = inKernel(new Float64Array(batch * m * n).fill(NaN));
      // Operands in the kernel's memory, in JS memory, or one of each.
      for (const [x, y] of [[inKernel(a), inKernel(b)], [a, inKernel(b)], [inKernel(a), b]] as const) {
        c.fill(NaN);
        matmulData(x, y, c, batch, m, k, n, tA, tB);
        expect(firstDifference(c, want), `${[batch, m, k, n, tA, tB]} on ${threads}`).toBe(-1);
        const product = productOf(batch, m, k, n, tA, tB);
        c.fill(NaN);
        product.into(x, y, c);
        expect(firstDifference(c, want), `productOf: ${[batch, m, k, n, tA, tB]} on ${threads}`).toBe(-1);
        if (product.inMemory) expect(firstDifference(product.inMemory(x, y), want)).toBe(-1);
      }
    });
    if (bystander) expect(bystander.every((v) => v === 7)).toBe(true);
  });

  it("compute C from the operands as they were when C is one of them", () => {
    const rand = mulberry32(4);
    // Past the kernel's depth block (256), so that C is written before all of A is read; and A transposed.
    for (const [n, tA] of [[300, false], [64, true]] as const) {
      const a = inKernel(randomArray(n * n, rand));
      const b = inKernel(randomArray(n * n, rand));
      const want = new Float64Array(n * n);
      matmulData(a, b, want, 1, n, n, n, tA, false);
      expect(wasmMatmul(a, b, a, 1, n, n, n, tA, false, 1)).toBe(true);
      expect(firstDifference(a, want), `${n}, transposed: ${tA}`).toBe(-1);
    }
  });

  it("give their place back once collected, and products start above the places taken", () => {
    if (!shared) return;
    // A process of its own, to collect garbage on demand (--expose-gc).
    const script = `
      const { kernelMemoryArray, wasmMatmul } = await import(${JSON.stringify(resolve(import.meta.dirname, "../src/kernels/matmul-wasm.ts"))});
      const keep = kernelMemoryArray(1000);
      keep.fill(3);
      let dropped = kernelMemoryArray(5000);
      const droppedAt = dropped.byteOffset;
      dropped = undefined;
      await new Promise((r) => setTimeout(r, 0));
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 50));
      const again = kernelMemoryArray(4000);
      const a = new Float64Array(64 * 64).fill(1), c = new Float64Array(64 * 64);
      wasmMatmul(a, a, c, 1, 64, 64, 64);
      console.log(JSON.stringify({ reused: again.byteOffset === droppedAt, kept: keep.every((x) => x === 3), c: c[0] }));
    `;
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: resolve(import.meta.dirname, ".."),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual({ reused: true, kept: true, c: 64 });
  });

  it("hold a compiled program's buffers that products read (a loop's result multiplied next)", () => {
    const rand = mulberry32(12);
    const x = np.array(randomArray(16 * 8, rand)).reshape(16, 8);
    const w = np.array(randomArray(8 * 12, rand)).reshape(8, 12);
    const f = (x: NDArray, w: NDArray): NDArray => np.matmul(np.tanh(x), w).add(1);
    const closed = staged(f as never, x, w);
    const { memory } = generate(optimize(closed));
    expect(memory.slots.some((s) => s.inKernelMemory)).toBe(true);
    sameBits([f(x, w)], compile(closed).run([x, w]));
  });
});
