/**
 * @file Whether mid-size matrix products (30 µs – 1 ms) gain from a second thread: the Wasm kernel
 * on one thread and on two, forced whatever the product's size, with the workers sleeping at once
 * (spin 0) or spinning first (`setSpinMicros`, budgets from `SPINS`, default 0,50,200 µs), all
 * measured alternately in this one process (medians of interleaved rounds after a 1 s warm-up).
 *
 * Run: `npx tsx bench/threads-mid.ts` (`BUSY=1` starts a busy-loop process beside it first).
 */
import { spawn } from "node:child_process";
import { wasmMatmul } from "../src/kernels/matmul-wasm.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { setSpinMicros } from "../src/kernels/threads.ts";
import { median, timeCall } from "./timing.ts";

function randomArray(size: number, rand: () => number): Float64Array {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = 2 * rand() - 1;
  return x;
}

/** Median µs per call of each of `fns`, timed in alternation over `rounds` rounds. */
export function alternate(fns: (() => unknown)[], rounds = 15): number[] {
  for (const f of fns) timeCall(f, { samples: 1, minSampleMs: 1, warmupMs: 1000 / fns.length });
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((f, i) => times[i]!.push(timeCall(f, { samples: 1, minSampleMs: 20, warmupMs: 0 }) * 1e3));
  }
  return times.map(median);
}

const shapes: [string, number, number, number, number, boolean, boolean][] = [
  ["[32,64]·[64,128]", 1, 32, 64, 128, false, false],
  ["[32,128]·[128,128]", 1, 32, 128, 128, false, false],
  ["[32,128]·[128,128]ᵀ", 1, 32, 128, 128, false, true],
  ["[128,32]·[32,128] (Aᵀ)", 1, 128, 32, 128, true, false],
  ["64³", 1, 64, 64, 64, false, false],
  ["[100,100]·[100,100]", 1, 100, 100, 100, false, false],
  ["[100,100]·[100,1]", 1, 100, 100, 1, false, false],
  ["96³", 1, 96, 96, 96, false, false],
  ["128³", 1, 128, 128, 128, false, false],
  ["[256,512]·[512,10]", 1, 256, 512, 10, false, false],
  ["256³", 1, 256, 256, 256, false, false],
];

function main(): void {
  const busy = process.env["BUSY"] ? spawn(process.execPath, ["-e", "for(;;);"], { stdio: "ignore" }) : undefined;
  const rand = mulberry32(5);
  const spins = (process.env["SPINS"] ?? "0,50,200").split(",").map(Number);
  const head = spins.map((s) => `2 threads, spin ${s} µs`);
  console.log(`| shape${busy ? " (busy process beside)" : ""} | µs, 1 thread | ${head.join(" | ")} |\n| --- | ---: |${" ---: |".repeat(spins.length)}`);
  for (const [name, batch, m, k, n, tA, tB] of shapes) {
    const a = randomArray(batch * m * k, rand);
    const b = randomArray(batch * k * n, rand);
    const c = new Float64Array(batch * m * n);
    const run = (threads: number, spin: number) => () => {
      setSpinMicros(spin);
      wasmMatmul(a, b, c, batch, m, k, n, tA, tB, threads);
    };
    const times = alternate([run(1, 0), ...spins.map((s) => run(2, s))]);
    console.log(`| ${name} | ${times.map((t) => t.toFixed(1)).join(" | ")} |`);
  }
  setSpinMicros(0);
  busy?.kill();
}

if (process.argv[1]?.endsWith("threads-mid.ts")) main();
