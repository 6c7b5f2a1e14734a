/** @file EXPERIMENT: W7's forward step with x·Wx handed to the worker before h·Wh, waited for after. */
import { asyncProduct, kernelMemoryArray, wasmProduct } from "../src/kernels/matmul-wasm.ts";
import { chunkCounts, setSpinMicros, setThreads } from "../src/kernels/threads.ts";
import { median } from "./timing.ts";

setThreads(2);
const inK = (n: number) => { const x = kernelMemoryArray(n)!; for (let i = 0; i < n; i++) x[i] = Math.sin(i) * 0.1; return x; };
const [a1, b1, c1, h, b2] = [inK(32 * 64), inK(64 * 128), inK(32 * 128), inK(32 * 128), inK(128 * 128)];
const p1 = wasmProduct(1, 32, 64, 128, false, false)!;
const p2 = wasmProduct(1, 32, 128, 128, false, false)!;
const ap = asyncProduct({ m: 32, k: 64, n: 128, transA: false, transB: false }, 1 << 20);
const loop = (xw: Float64Array, hw: Float64Array) => { for (let i = 0; i < h.length; i++) h[i] = Math.tanh(xw[i]! + hw[i]!); };
const steps = 100;
const seq = () => { const t0 = performance.now(); for (let t = 0; t < steps; t++) { p1.into(a1, b1, c1); const hw = p2.inMemory!(h, b2)!; loop(c1, hw); } return ((performance.now() - t0) / steps) * 1000; };
const asy = () => { const t0 = performance.now(); for (let t = 0; t < steps; t++) { const wait = ap(a1, b1, c1); const hw = p2.inMemory!(h, b2)!; wait(); loop(c1, hw); } return ((performance.now() - t0) / steps) * 1000; };
const vs: [string, () => number, number][] = [["one thread", seq, 0], ["x·Wx on the worker", asy, 0], ["x·Wx on the worker, spin 200", asy, 200]];
const times = vs.map(() => [] as number[]);
for (let s = 0; s < 40; s++) vs.forEach(([, f, sp], i) => { setSpinMicros(sp); times[i]!.push(f()); });
vs.forEach(([name], i) => console.log(`${name}: ${median(times[i]!).toFixed(1)} µs per step`));
const before = chunkCounts(); setSpinMicros(0); asy(); console.log("chunks per thread, 100 async steps:", chunkCounts().map((x, i) => x - before[i]!));
for (const [mode, sp] of [[0, 0], [1, 0], [0, 200], [1, 200]] as const) {
  setSpinMicros(sp);
  const acc = [0, 0, 0, 0, 0];
  for (let r = 0; r < 20; r++) for (let t = 0; t < steps; t++) {
    const t0 = performance.now();
    let wait: (() => void) | undefined;
    if (mode === 1) wait = ap(a1, b1, c1); else p1.into(a1, b1, c1);
    const t1 = performance.now();
    const hw = p2.inMemory!(h, b2)!;
    const t2 = performance.now();
    wait?.();
    const t3 = performance.now();
    loop(c1, hw);
    const t4 = performance.now();
    [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0].forEach((d, i) => (acc[i]! += (d * 1000) / (20 * steps)));
  }
  console.log(mode === 1 ? "async" : "one thread", "spin", sp, "x·Wx (or its start), h·Wh, wait, loop, total (µs, means):", acc.map((x) => x.toFixed(1)).join(", "));
}
process.exit(0);
