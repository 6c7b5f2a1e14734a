/**
 * @file Speed of the matmul kernel alone, in GFLOP/s, on square products and the shapes neural
 * nets use, on one thread and on all threads (`setThreads`; its correctness against the triple loop
 * is `test/matmul-kernel.test.ts`). Medians of rounds alternating one thread, all threads, and all with
 * workers that spin 50 µs for the next product before they sleep (`setSpinMicros`; off by
 * default), after a 1 s warm-up, in this one process.
 *
 * Run: `npx tsx bench/matmul-check.ts`.
 */
import { matmulData } from "../src/kernels/matmul.ts";
import { wasmVariant } from "../src/kernels/matmul-wasm.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { setSpinMicros, setThreads, threadCount, threadsWanted } from "../src/kernels/threads.ts";
import { alternate } from "./threads-mid.ts";

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

speed();
