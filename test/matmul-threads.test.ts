/**
 * @file The matrix product on worker threads: the same bits whatever the thread count (each
 * element is summed in one order by whichever thread computes it), workers that really take
 * chunks, spinning or woken from sleep, a failing worker reported as an error, `setThreads` and
 * `AUTOGRAD_THREADS` (their errors name them and the value), and a process that used threads
 * still exits by itself, at once even while a worker spins.
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { setThreads } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { wasmMatmul } from "../src/kernels/matmul-wasm.ts";
import { chunkCounts, packCounts, setSpinMicros, threadCount, threadErrors, threadsWanted } from "../src/kernels/threads.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";

const root = resolve(import.meta.dirname, "..");

function randomArray(size: number, rand: () => number): Float64Array {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = 2 * rand() - 1;
  return x;
}

/** C from the Wasm kernel on `threads` threads. */
function product(a: Float64Array, b: Float64Array, batch: number, m: number, k: number, n: number, tA: boolean, tB: boolean, threads: number): Float64Array {
  const c = new Float64Array(batch * m * n).fill(NaN);
  expect(wasmMatmul(a, b, c, batch, m, k, n, tA, tB, threads)).toBe(true);
  return c;
}

const firstDifference = (x: Float64Array, y: Float64Array): number => x.findIndex((v, i) => !Object.is(v, y[i]));

describe("threads", () => {
  it("workers start and take chunks of large products", () => {
    const rand = mulberry32(3);
    const n = 200;
    const a = randomArray(n * n, rand);
    const b = randomArray(n * n, rand);
    const want = product(a, b, 1, n, n, n, false, false, 1);
    // Workers start asynchronously (a few ms, more on a busy machine): products run meanwhile on this thread.
    const deadline = Date.now() + 20_000;
    while (chunkCounts().slice(1).every((x) => x === 0) && Date.now() < deadline) {
      expect(firstDifference(product(a, b, 1, n, n, n, false, false, 3), want)).toBe(-1);
    }
    const counts = chunkCounts();
    expect(counts.length).toBe(3);
    expect(counts.slice(1).some((x) => x > 0), `chunks per thread: ${counts}`).toBe(true);
    expect(threadErrors()).toEqual([]);
  });

  it("give the same bits as one thread on many shapes (odd sizes, 1×n, k = 1, transposed, batched), workers sleeping or spinning", () => {
    const rand = mulberry32(17);
    const shapes: [number, number, number, number][] = [
      [1, 1, 1, 1], [1, 1, 300, 257], [1, 257, 1, 300], [1, 300, 257, 1], [1, 129, 513, 67], [3, 65, 31, 130],
      [1, 250, 1, 250], [2, 64, 256, 64], [1, 4, 1000, 4], [1, 517, 3, 9], [5, 33, 17, 71],
    ];
    for (let t = 0; t < 10; t++) shapes.push([1 + Math.floor(rand() * 3), 1 + Math.floor(rand() * 300), 1 + Math.floor(rand() * 300), 1 + Math.floor(rand() * 300)]);
    for (const [batch, m, k, n] of shapes) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = randomArray(batch * m * k, rand);
        const b = randomArray(batch * k * n, rand);
        a[Math.floor(rand() * a.length)] = NaN;
        const one = product(a, b, batch, m, k, n, tA, tB, 1);
        for (const [threads, spin] of [[2, 0], [3, 0], [2, 50]] as const) {
          const previous = setSpinMicros(spin);
          const got = product(a, b, batch, m, k, n, tA, tB, threads);
          setSpinMicros(previous);
          expect(firstDifference(got, one), `${batch}×[${m},${k}]·[${k},${n}] tA=${tA} tB=${tB} on ${threads} threads, spin ${spin} µs`).toBe(-1);
        }
      }
    }
  });

  it("pack a large B (k·n from 256²) in pieces shared with the workers, same bits as one thread", () => {
    const rand = mulberry32(31);
    // n a multiple of four and not (the last, narrower strip is packed by the caller alone); k past the depth block.
    for (const [m, k, n] of [[64, 512, 512], [37, 300, 258], [130, 257, 301]] as const) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = randomArray(m * k, rand);
        for (const threads of [2, 3]) {
          // Until a worker has packed a piece of this product's B (workers start, and wake, late).
          const before = packCounts().slice(1).reduce((x, y) => x + y, 0);
          const deadline = Date.now() + 20_000;
          let workerPacked = false;
          while (!workerPacked && Date.now() < deadline) {
            // A new B each time, multiplied on threads first: a strip left unpacked would hold the last product's B.
            const b = randomArray(k * n, rand);
            const got = product(a, b, 1, m, k, n, tA, tB, threads);
            expect(firstDifference(got, product(a, b, 1, m, k, n, tA, tB, 1)), `[${m},${k}]·[${k},${n}] tA=${tA} tB=${tB} on ${threads} threads`).toBe(-1);
            workerPacked = packCounts().slice(1).reduce((x, y) => x + y, 0) > before;
          }
          expect(workerPacked, `no worker packed a piece of [${k},${n}]`).toBe(true);
        }
      }
    }
    expect(threadErrors()).toEqual([]);
  });

  it.each([0, 50])("complete jobs whose worker is asleep (spin budget %i µs, 2 ms between products), same bits", (spin) => {
    const rand = mulberry32(29);
    const [m, k, n] = [150, 97, 131];
    const a = randomArray(m * k, rand);
    const b = randomArray(k * n, rand);
    const want = product(a, b, 1, m, k, n, false, true, 1);
    const previous = setSpinMicros(spin);
    try {
      const before = chunkCounts()[1] ?? 0;
      // The worker may have slept through several products before it is seen taking chunks.
      const deadline = Date.now() + 20_000;
      let products = 0;
      while (((chunkCounts()[1] ?? 0) === before || products < 20) && Date.now() < deadline) {
        for (const until = performance.now() + 2; performance.now() < until; );
        expect(firstDifference(product(a, b, 1, m, k, n, false, true, 2), want)).toBe(-1);
        products++;
      }
      expect(chunkCounts()[1]! > before, `the worker took no chunk in ${products} products`).toBe(true);
    } finally {
      setSpinMicros(previous);
    }
  });

  it.each([-1, 1.5, 2 ** 31, NaN])("setSpinMicros(%s) is a RangeError naming it and the value", (us) => {
    expect(() => setSpinMicros(us)).toThrow(RangeError);
    expect(() => setSpinMicros(us)).toThrow(`setSpinMicros: the budget must be an integer number of microseconds from 0 to 2³¹ − 1, got ${us}`);
  });

  it("setThreads sets the count, np.matmul agrees on 1 and 2 threads", () => {
    const rand = mulberry32(23);
    const a = np.array(Array.from(randomArray(150 * 170, rand))).reshape(150, 170);
    const b = np.array(Array.from(randomArray(170 * 160, rand))).reshape(170, 160);
    const before = threadsWanted();
    try {
      setThreads(1);
      expect(threadCount()).toBe(1);
      const one = np.matmul(a, b).toArray();
      setThreads(2);
      expect(threadCount()).toBe(2);
      expect(np.matmul(a, b).toArray()).toEqual(one);
    } finally {
      setThreads(before);
    }
  });

  it.each([0, -1, 1.5, 65, NaN, Infinity])("setThreads(%s) is a RangeError naming setThreads and the value", (n) => {
    expect(() => setThreads(n)).toThrow(RangeError);
    expect(() => setThreads(n)).toThrow(`setThreads: the thread count must be an integer from 1 to 64, got ${n}`);
  });

  it("setThreads of a non-number is a TypeError naming it", () => {
    expect(() => setThreads("2" as unknown as number)).toThrow(TypeError);
    expect(() => setThreads("2" as unknown as number)).toThrow("setThreads: the thread count must be a number, got string 2");
  });
});

describe("AUTOGRAD_THREADS", () => {
  /** A fresh copy of threads.ts (no `setThreads` call yet) with the variable set to `value`. */
  async function wantedWith(value: string | undefined): Promise<() => number> {
    vi.resetModules();
    vi.stubEnv("AUTOGRAD_THREADS", value);
    const fresh = await import("../src/kernels/threads.ts");
    return fresh.threadsWanted;
  }

  it("sets the default count; unset, the count is the number of cores", async () => {
    try {
      expect((await wantedWith("3"))()).toBe(3);
      expect((await wantedWith(" 1 "))()).toBe(1);
      expect((await wantedWith(undefined))()).toBe(Math.min(64, availableParallelism()));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each(["two", "0", "2.5", "100"])("%j is an error naming the variable and the value", async (value) => {
    try {
      const wanted = await wantedWith(value);
      expect(wanted).toThrow(RangeError);
      expect(wanted).toThrow(`AUTOGRAD_THREADS: the thread count must be an integer from 1 to 64, got "${value}"`);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("a process that used worker threads", () => {
  it("exits by itself (the workers are unref'd), with the right product", () => {
    const script = `
      import * as np from ${JSON.stringify(resolve(root, "src/numpy/index.ts"))};
      const { chunkCounts } = await import(${JSON.stringify(resolve(root, "src/kernels/threads.ts"))});
      const a = np.ones([300, 300]);
      const deadline = Date.now() + 20000;
      let c = np.matmul(a, a);
      while (!(chunkCounts()[1] > 0) && Date.now() < deadline) c = np.matmul(a, a);
      const { threadErrors } = await import(${JSON.stringify(resolve(root, "src/kernels/threads.ts"))});
      console.log(JSON.stringify({ c: c.toArray()[299][0], threads: chunkCounts().length, workerTookChunks: chunkCounts()[1] > 0, errors: threadErrors() }));
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, AUTOGRAD_THREADS: "2" },
    });
    expect(JSON.parse(out)).toEqual({ c: 300, threads: 2, workerTookChunks: true, errors: [] });
  });

  it("exits at once while its worker spins (budget 30 s)", () => {
    const script = `
      import * as np from ${JSON.stringify(resolve(root, "src/numpy/index.ts"))};
      const { chunkCounts, setSpinMicros } = await import(${JSON.stringify(resolve(root, "src/kernels/threads.ts"))});
      setSpinMicros(30_000_000);
      const a = np.ones([300, 300]);
      const deadline = Date.now() + 20000;
      while (!(chunkCounts()[1] > 0) && Date.now() < deadline) np.matmul(a, a);
      console.log(JSON.stringify({ workerTookChunks: chunkCounts()[1] > 0, end: Date.now() }));
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, AUTOGRAD_THREADS: "2" },
    });
    const exited = Date.now();
    const { workerTookChunks, end } = JSON.parse(out) as { workerTookChunks: boolean; end: number };
    expect(workerTookChunks).toBe(true);
    expect(exited - end, "ms from the script's end to the process's exit").toBeLessThan(3000);
  });
});

describe("a worker that fails", () => {
  it("makes its product throw, is recorded, and later products complete without it", () => {
    // A job whose worker scratch lies past the end of memory: the worker traps on its first chunk,
    // the caller's own chunks are fine. Run in a child process so the dead worker stays there.
    const script = `
      import { gemmWasm } from ${JSON.stringify(resolve(root, "src/kernels/wasm/gemm.wasm.ts"))};
      import { runGemmJob, threadErrors, threadsSupported } from ${JSON.stringify(resolve(root, "src/kernels/threads.ts"))};
      if (!threadsSupported()) throw new Error("no threads here");
      const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
      const module = new WebAssembly.Module(Uint8Array.from(atob(gemmWasm), (ch) => ch.charCodeAt(0)));
      const fns = new WebAssembly.Instance(module, { env: { memory } }).exports;
      const [m, k] = [256, 4];
      const f = new Float64Array(memory.buffer);
      f.fill(1, 0, m * k + k * 4); // A (256×4) at 0, packed B (one strip of 4 columns) after it
      const job = (scratchBytes) => ({ a: 0, lda: k, aT: 0, bp: m * k * 8, c: 16384, k, ldc: 4, mPad: m, rowsPer: 4, strips: 1, stripsPer: 1, colChunks: 1, count: m / 4, scratch: 32768, scratchBytes });
      let threw = null;
      const deadline = Date.now() + 20000;
      while (threw === null && Date.now() < deadline) {
        try { runGemmJob({ module, memory }, fns, job(2 ** 30), 2); } catch (e) { threw = String(e); }
      }
      await new Promise((r) => setTimeout(r, 200)); // the worker's error event
      const c = new Float64Array(memory.buffer, 16384, m * 4);
      c.fill(0);
      runGemmJob({ module, memory }, fns, job(2 ** 30), 2);
      console.log(JSON.stringify({ threw, errors: threadErrors(), after: c.every((x) => x === k) }));
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const { threw, errors, after } = JSON.parse(out) as { threw: string | null; errors: string[]; after: boolean };
    expect(threw).toBe("Error: matmul: a worker thread failed while computing a product");
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(/RuntimeError/);
    expect(after).toBe(true);
  });
});
