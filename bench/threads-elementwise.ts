/**
 * @file `npx tsx bench/threads-elementwise.ts`: whether the SIMD elementwise kernels and reductions
 * should run on worker threads, measured in one process (the decision and its numbers are in
 * CONTRIBUTING.md): the hand-off latency of waking a worker (`Atomics.notify` → `Atomics.wait`
 * returns); what a fresh 8 MB array costs as an `ArrayBuffer`, as `Buffer.allocUnsafe` (the
 * library's `allocateUninitialized`) and as a `SharedArrayBuffer` (which workers need to read or
 * write it); exp, tanh, sum, max and dot on 10⁵ and 10⁶ float64 — today's single-thread kernels
 * (`simd.ts`) against the threaded engine of `bench/threads-map.ts` on 1 and 2 threads, called
 * alternately, medians after a 1 s warm-up — and with a fresh output per call, as eager does; the
 * variant that keeps plain arrays and stages them through a shared Wasm memory (whole, or chunk by
 * chunk through a ring while workers compute); and
 * whether `FinalizationRegistry` callbacks run inside a synchronous loop. The load average is
 * printed at the start and the end (the machine may be shared).
 */
import { loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { allocateUninitialized } from "../src/core/dtype.ts";
import { simdExtremum, simdMath, simdPairwiseDot, simdPairwiseSum, simdUnary } from "../src/kernels/simd.ts";
import { pipelinedUnary, prepareStaged, sharedFloat64, stagedSum, stagedUnary, startEngine, stopEngine, taskCounts, threadedExtremum, threadedPairwise, threadedUnary } from "./threads-map.ts";

const quick = process.env["BENCH_QUICK"] !== undefined;
const WARMUP_MS = quick ? 50 : 1000;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(", ");

/**
 * Medians (and 10th percentiles) in ms of each function, called in turn `samples` times after
 * a warm-up of every one: on a shared machine the alternation exposes all to the same load.
 */
function alternate(fns: Record<string, () => unknown>, samples: number): Record<string, [number, number]> {
  const names = Object.keys(fns);
  const t0 = performance.now();
  while (performance.now() - t0 < WARMUP_MS) for (const k of names) fns[k]!();
  const times: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < samples; r++) {
    for (const k of names) {
      const t = performance.now();
      fns[k]!();
      times[k]!.push(performance.now() - t);
    }
  }
  return Object.fromEntries(
    names.map((k) => {
      const xs = times[k]!.sort((a, b) => a - b);
      return [k, [xs[xs.length >> 1]!, xs[Math.floor(xs.length * 0.1)]!]];
    }),
  );
}

const us = (ms: number): string => (ms * 1e3).toFixed(0);
/** A table row of three alternated timings (µs medians) and the first's ratio to the third (median, 5th pct). */
function ratioRow(name: string, t: Record<string, [number, number]>): string {
  const [a, b, c] = Object.values(t) as [[number, number], [number, number], [number, number]];
  return `| ${name} | ${us(a[0])} | ${us(b[0])} | ${us(c[0])} | ${(a[0] / c[0]).toFixed(2)}× (${(a[1] / c[1]).toFixed(2)}×) |`;
}

/** One-way and round-trip hand-off latency to a worker blocked in `Atomics.wait`. */
async function handOff(): Promise<string> {
  const ctl = new Int32Array(new SharedArrayBuffer(16));
  const stamp = new Float64Array(new SharedArrayBuffer(8));
  const code = `
    const { workerData } = process.getBuiltinModule("node:worker_threads");
    const ctl = new Int32Array(workerData.ctl);
    const stamp = new Float64Array(workerData.stamp);
    let seen = 0;
    for (;;) {
      Atomics.wait(ctl, 0, seen);
      stamp[0] = performance.timeOrigin + performance.now();
      seen = Atomics.load(ctl, 0);
      if (seen < 0) break;
      Atomics.store(ctl, 1, seen);
      Atomics.notify(ctl, 1);
    }`;
  const w = new Worker(code, { eval: true, workerData: { ctl: ctl.buffer, stamp: stamp.buffer } });
  await new Promise((r) => setTimeout(r, 200));
  const oneWay: number[] = [];
  const round: number[] = [];
  const reps = quick ? 500 : 5000;
  for (let i = 1; i <= reps; i++) {
    // Let the worker fall asleep first (a worker still spinning in user space would wake faster).
    Atomics.wait(ctl, 3, 0, 0.05);
    const t = performance.timeOrigin + performance.now();
    Atomics.store(ctl, 0, i);
    Atomics.notify(ctl, 0);
    while (Atomics.load(ctl, 1) !== i) Atomics.wait(ctl, 1, i - 1, 10);
    round.push(performance.timeOrigin + performance.now() - t);
    oneWay.push(stamp[0]! - t);
  }
  Atomics.store(ctl, 0, -1);
  Atomics.notify(ctl, 0);
  await w.terminate();
  const q = (xs: number[], f: number): string => (xs.sort((a, b) => a - b)[Math.floor(xs.length * f)]! * 1e3).toFixed(1);
  return (
    `Hand-off (${reps} times): notify → the worker's wait returns ${q(oneWay, 0.5)} µs median (10th pct ${q(oneWay, 0.1)}, 90th ${q(oneWay, 0.9)}); ` +
    `round trip (wake the worker, it wakes us) ${q(round, 0.5)} µs median (90th ${q(round, 0.9)}).`
  );
}

/** A fresh 8 MB float64 array written in full, as an eager output is, by each allocator. */
function allocation(): string[] {
  const n = 1_000_000;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const write = (out: Float64Array): Float64Array => {
    out.set(x);
    return out;
  };
  const t = alternate(
    {
      "new Float64Array (zeroed ArrayBuffer)": () => write(new Float64Array(n)),
      "allocateUninitialized (Buffer.allocUnsafe)": () => write(allocateUninitialized(n)),
      "SharedArrayBuffer (zeroed)": () => write(sharedFloat64(n)),
    },
    quick ? 5 : 41,
  );
  return [
    "| fresh 10⁶ float64, then written in full | µs median | 10th pct |",
    "| --- | ---: | ---: |",
    ...Object.entries(t).map(([k, [med, p10]]) => `| ${k} | ${us(med)} | ${us(p10)} |`),
  ];
}

/** Today's kernels (plain arrays) against the threaded engine (shared arrays) on 1 and 2 threads. */
function kernels(n: number): string[] {
  const m = simdMath()!;
  const f = (i: number): number => 10 * Math.sin(0.7 * i + 1);
  const g = (i: number): number => Math.cos(0.3 * i);
  const x = Float64Array.from({ length: n }, (_, i) => f(i));
  const y = Float64Array.from({ length: n }, (_, i) => g(i));
  const out = new Float64Array(n);
  const xs = sharedFloat64(n);
  xs.set(x);
  const ys = sharedFloat64(n);
  ys.set(y);
  const outs = sharedFloat64(n);
  const samples = quick ? 5 : n >= 1e6 ? 41 : 201;
  const rows: string[] = [];
  const row = (name: string, t: Record<string, [number, number]>): number => rows.push(ratioRow(name, t));
  for (const name of ["exp", "tanh"] as const) {
    row(
      name,
      alternate({ today: () => simdUnary(name, x, out), t1: () => threadedUnary(name, xs, outs, 1), t2: () => threadedUnary(name, xs, outs, 2) }, samples),
    );
    // As eager: a fresh output each call (the library's allocateUninitialized, or a SAB for workers to write).
    row(
      `${name}, fresh output each call`,
      alternate(
        {
          today: () => simdUnary(name, x, allocateUninitialized(n)),
          t1: () => threadedUnary(name, xs, sharedFloat64(n), 1),
          t2: () => threadedUnary(name, xs, sharedFloat64(n), 2),
        },
        samples,
      ),
    );
  }
  row("sum (pairwise)", alternate({ today: () => simdPairwiseSum(m, x, 0, n), t1: () => threadedPairwise(xs, null, 1), t2: () => threadedPairwise(xs, null, 2) }, samples));
  row("max", alternate({ today: () => simdExtremum(m, "max", x, 0, n), t1: () => threadedExtremum("max", xs, 1), t2: () => threadedExtremum("max", xs, 2) }, samples));
  row("dot (pairwise)", alternate({ today: () => simdPairwiseDot(m, x, 0, y, 0, n), t1: () => threadedPairwise(xs, ys, 1), t2: () => threadedPairwise(xs, ys, 2) }, samples));
  // The timings are of the right work: the engine's results are today's.
  simdUnary("tanh", x, out);
  threadedUnary("tanh", xs, outs, 2);
  if (out.some((v, i) => !Object.is(v, outs[i])) || threadedPairwise(xs, ys, 2) !== simdPairwiseDot(m, x, 0, y, 0, n)) {
    throw new Error("threads-elementwise: the threaded results differ from the single-thread kernels");
  }
  return [
    `| ${n.toExponential(0).replace("e+", "e")} float64 | today µs (simd.ts, plain arrays) | engine, 1 thread µs (shared arrays) | engine, 2 threads µs | today ÷ 2 threads, median (10th pct) |`,
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
  ];
}

/**
 * The variant that keeps plain arrays: the caller copies the operand into a shared Wasm memory,
 * the threads compute on it there, the caller copies the results out.
 */
function stagedKernels(n: number): string[] {
  const m = simdMath()!;
  const x = Float64Array.from({ length: n }, (_, i) => 10 * Math.sin(0.7 * i + 1));
  const out = new Float64Array(n);
  const samples = quick ? 5 : n >= 1e6 ? 41 : 201;
  const rows: string[] = [];
  const row = (name: string, t: Record<string, [number, number]>): number => rows.push(ratioRow(name, t));
  for (const name of ["exp", "tanh"] as const) {
    row(name, alternate({ today: () => simdUnary(name, x, out), t1: () => stagedUnary(name, x, out, 1), t2: () => stagedUnary(name, x, out, 2) }, samples));
    row(`${name}, pipelined through a ring`, alternate({ today: () => simdUnary(name, x, out), t1: () => pipelinedUnary(name, x, out, 1), t2: () => pipelinedUnary(name, x, out, 2) }, samples));
  }
  row("sum (pairwise)", alternate({ today: () => simdPairwiseSum(m, x, 0, n), t1: () => stagedSum(x, 1), t2: () => stagedSum(x, 2) }, samples));
  return [
    `| ${n.toExponential(0).replace("e+", "e")} float64, staged | today µs | staged, 1 thread µs | staged, 2 threads µs | today ÷ 2 threads, median (10th pct) |`,
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
  ];
}

/** Whether FinalizationRegistry callbacks run while a synchronous loop allocates and drops arrays. */
async function finalization(): Promise<string> {
  let called = 0;
  const registry = new FinalizationRegistry<number>(() => called++);
  let during = 0;
  for (let i = 0; i < 400; i++) {
    registry.register(new Float64Array(125_000), i); // 1 MB each, dropped at once: 400 MB in all
    during = called;
  }
  await new Promise((r) => setTimeout(r, 100));
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  await new Promise((r) => setTimeout(r, 100));
  return `FinalizationRegistry: 400 arrays of 1 MB registered and dropped in a synchronous loop: ${during} callbacks ran during the loop, ${called} by 200 ms after it returned to the event loop.`;
}

async function main(): Promise<void> {
  const start = load();
  await prepareStaged();
  startEngine(2);
  await new Promise((r) => setTimeout(r, 300)); // the worker's start-up
  const lines = [`Load average at the start: ${start}.`, "", await handOff(), "", ...allocation(), ""];
  for (const n of [100_000, 1_000_000]) lines.push(...kernels(n), "");
  for (const n of [100_000, 1_000_000]) lines.push(...stagedKernels(n), "");
  lines.push(await finalization(), "", `Tasks run by each thread (caller, worker): ${taskCounts().join(", ")}.`, `Load average at the end: ${load()}.`);
  console.log(lines.join("\n"));
  await stopEngine();
}

await main();
