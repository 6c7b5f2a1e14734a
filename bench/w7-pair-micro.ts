/**
 * @file The forward pair of W7 ([32,64]·[64,128] beside [32,128]·[128,128], operands in the kernel's memory)
 * through `wasmProductPair`: one after the other against one product per thread, alternated, medians.
 */
import { kernelMemoryArray, setPairWholeMin, wasmProduct, wasmProductPair } from "../src/kernels/matmul-wasm.ts";
import { chunkCounts, setSpinMicros } from "../src/kernels/threads.ts";
import { median } from "./timing.ts";

const inK = (n: number) => { const x = kernelMemoryArray(n)!; for (let i = 0; i < n; i++) x[i] = Math.sin(i); return x; };
const s1 = { m: 32, k: 64, n: 128, transA: false, transB: false };
const s2 = { m: 32, k: 128, n: 128, transA: false, transB: false };
const pair = wasmProductPair(s1, s2)!;
const [a1, b1, c1, a2, b2] = [inK(32 * 64), inK(64 * 128), inK(32 * 128), inK(32 * 128), inK(128 * 128)];
const reps = 200;
const p1 = wasmProduct(1, 32, 64, 128, false, false)!;
const p2 = wasmProduct(1, 32, 128, 128, false, false)!;
const time = (min: number, spin: number) => {
  setPairWholeMin(min); setSpinMicros(spin);
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) if (pair(a1, b1, c1, a2, b2, undefined) === undefined) { p1.into(a1, b1, c1); p2.inMemory!(a2, b2); }
  return ((performance.now() - t0) / reps) * 1000;
};
const alone = (f: () => void) => { const t0 = performance.now(); for (let r = 0; r < reps; r++) f(); return ((performance.now() - t0) / reps) * 1000; };
const solo: [string, () => void][] = [["[32,64]·[64,128] alone", () => p1.into(a1, b1, c1)], ["[32,128]·[128,128] alone", () => p2.inMemory!(a2, b2)]];
const soloTimes = solo.map(() => [] as number[]);
for (let s = 0; s < 20; s++) solo.forEach(([, f], i) => soloTimes[i]!.push(alone(f)));
solo.forEach(([name], i) => console.log(`${name}: ${median(soloTimes[i]!).toFixed(1)} µs`));
const vs: [string, number, number][] = [["one after the other", Infinity, 0], ["one per thread", 1, 0], ["one per thread, spin 50", 1, 50]];
const times = vs.map(() => [] as number[]);
for (let s = 0; s < 40; s++) vs.forEach(([, m, sp], i) => times[i]!.push(time(m, sp)));
const before = chunkCounts();
time(1, 0);
const after = chunkCounts();
vs.forEach(([name], i) => console.log(`${name}: ${median(times[i]!).toFixed(1)} µs`));
console.log("chunks per thread in", reps, "whole pairs:", after.map((x, i) => x - (before[i] ?? 0)));
process.exit(0);
