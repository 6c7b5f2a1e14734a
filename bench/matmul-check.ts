/**
 * @file Speed of the matmul kernel alone, in GFLOP/s, on square products and the shapes neural
 * nets use, on one thread and on all threads (`setThreads`; its correctness against the triple loop
 * is `test/matmul-kernel.test.ts`). Medians of rounds alternating one thread, all threads, and all with
 * workers that spin 50 µs for the next product before they sleep (`setSpinMicros`; off by
 * default), after a 1 s warm-up, in this one process.
 *
 * Then the eager gap: 512² on all threads three ways, each timed as `npm run bench` times row (f)
 * (back-to-back calls, medians of 50 ms samples), the three alternated over rounds: the kernel into
 * one reused C (as above), the kernel into a fresh C per call (`allocateUninitialized`, as eager
 * does), and `np.matmul`, with the minor page faults per call. A fresh 2 MB C is memory glibc has
 * just mapped (malloc serves it with mmap and munmaps it when the garbage collector frees the
 * array), so the copy of C out of the kernel's memory faults in its ~512 pages on the calling
 * thread after the threads are done; that, and the collections the external memory triggers, is
 * the difference between the first column and the others (`EAGER=0` skips this part).
 *
 * Run: `npx tsx bench/matmul-check.ts`.
 */
import * as np from "autograd-ts/numpy";
import { allocateUninitialized } from "../src/core/dtype.ts";
import { matmulData } from "../src/kernels/matmul.ts";
import { wasmVariant } from "../src/kernels/matmul-wasm.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { setSpinMicros, setThreads, threadCount, threadsWanted } from "../src/kernels/threads.ts";
import { alternate } from "./threads-mid.ts";
import { median, timeCall } from "./timing.ts";

/** The spin budget of the last column (µs). */
const SPIN = 50;

function randomArray(size: number, rand: () => number): Float64Array {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = 2 * rand() - 1;
  return x;
}

interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
}

/**
 * Median GFLOP/s of `matmulData` on one shape, timed alternately: on 1 thread, on `all` threads as
 * configured (workers sleeping between products unless `setSpinMicros` says otherwise), and with
 * workers that spin SPIN µs first.
 */
function gflops(cs: Case, all: number): [number, number, number] {
  const { batch, m, k, n } = cs;
  const rand = mulberry32(7);
  const a = randomArray(batch * m * k, rand);
  const b = randomArray(batch * k * n, rand);
  const c = new Float64Array(batch * m * n);
  const on = (threads: number, spin: number) => () => {
    setThreads(threads);
    setSpinMicros(spin);
    matmulData(a, b, c, batch, m, k, n);
  };
  const previous = setSpinMicros(0);
  const times = alternate([on(1, previous), on(all, previous), on(all, SPIN)]);
  setSpinMicros(previous);
  const [one, sleeping, spinning] = times.map((us) => (2 * batch * m * k * n) / (us * 1e3));
  return [one!, sleeping!, spinning!];
}

function speed(): void {
  const all = threadsWanted();
  const shapes: [string, Case][] = [
    ["square 128", { batch: 1, m: 128, k: 128, n: 128 }],
    ["square 256", { batch: 1, m: 256, k: 256, n: 256 }],
    ["square 512", { batch: 1, m: 512, k: 512, n: 512 }],
    ["square 1024", { batch: 1, m: 1024, k: 1024, n: 1024 }],
    ["MLP layer [256,784]·[784,512]", { batch: 1, m: 256, k: 784, n: 512 }],
    ["MLP head [256,512]·[512,10]", { batch: 1, m: 256, k: 512, n: 10 }],
    ["weight grad [784,256]·[256,512]", { batch: 1, m: 784, k: 256, n: 512 }],
    ["input grad [256,10]·[10,512]", { batch: 1, m: 256, k: 10, n: 512 }],
    ["matrix-vector [512,512]·[512,1]", { batch: 1, m: 512, k: 512, n: 1 }],
    ["vector-matrix [1,512]·[512,512]", { batch: 1, m: 1, k: 512, n: 512 }],
    ["64 × [1,128]·[128,10]", { batch: 64, m: 1, k: 128, n: 10 }],
    ["64 × outer [128,1]·[1,10]", { batch: 64, m: 128, k: 1, n: 10 }],
    ["RNN step [32,128]·[128,128]", { batch: 1, m: 32, k: 128, n: 128 }],
    ["1000 × [4,4]·[4,4]", { batch: 1000, m: 4, k: 4, n: 4 }],
  ];
  setThreads(all);
  console.log(`\nWasm kernel: ${JSON.stringify(wasmVariant())}, up to ${threadCount()} threads`);
  console.log(`\n| shape | GFLOP/s, 1 thread | ${all} threads | ${all} threads, workers spinning ${SPIN} µs |\n| --- | ---: | ---: | ---: |`);
  for (const [name, cs] of shapes) console.log(`| ${name} | ${gflops(cs, all).map((x) => x.toFixed(2)).join(" | ")} |`);
  setThreads(all);
}

/**
 * 512² on all threads: the kernel into one reused C, into a fresh C per call, and `np.matmul`,
 * timed in blocks of back-to-back calls (as `npm run bench`), the three alternated over `rounds`.
 */
function eagerGap(rounds = 5): void {
  const n = 512;
  const rand = mulberry32(11);
  const a = randomArray(n * n, rand);
  const b = randomArray(n * n, rand);
  const c = new Float64Array(n * n);
  const [x, y] = [np.array(a).reshape(n, n), np.array(b).reshape(n, n)];
  const ways: [string, () => unknown][] = [
    ["kernel into one reused C", () => matmulData(a, b, c, 1, n, n, n)],
    ["kernel into a fresh C per call", () => matmulData(a, b, allocateUninitialized(n * n), 1, n, n, n)],
    ["np.matmul (eager)", () => np.matmul(x, y)],
  ];
  const ms: number[][] = ways.map(() => []);
  const faults: number[][] = ways.map(() => []);
  for (let r = 0; r < rounds; r++) {
    ways.forEach(([, f], i) => {
      let calls = 0;
      const before = process.resourceUsage().minorPageFault;
      ms[i]!.push(timeCall(() => (calls++, f()), { samples: 9, minSampleMs: 50, warmupMs: r === 0 ? 1000 : 200 }));
      faults[i]!.push((process.resourceUsage().minorPageFault - before) / calls);
    });
  }
  console.log(`\n512² on ${threadCount()} threads, blocks of back-to-back calls alternated over ${rounds} rounds (medians)`);
  console.log(`\n| way | ms per call | GFLOP/s | minor page faults per call |\n| --- | ---: | ---: | ---: |`);
  ways.forEach(([name], i) => {
    const t = median(ms[i]!);
    console.log(`| ${name} | ${t.toFixed(3)} | ${((2 * n ** 3) / (t * 1e6)).toFixed(2)} | ${median(faults[i]!).toFixed(0)} |`);
  });
}

speed();
if (process.env["EAGER"] !== "0") eagerGap();
