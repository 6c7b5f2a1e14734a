/**
 * @file W3's thin products (n = 10) on one thread in this checkout and another (`npx tsx
 * bench/compiler-thin.ts <other checkout>`): dW3 = h2ᵀ·dz and z = h2·W3 into an ordinary array
 * (C's rows padded to 12 in the kernel, copied out), operands in the kernel's memory; plus, in
 * this checkout, h2ᵀ·[256, 12] and h2ᵀ·[256, 24] (how the time grows with n) and dW3 computed
 * transposed (dzᵀ·h2, then a transpose). Alternated sample by sample, medians in µs.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as hereLib from "../src/kernels/matmul.ts";
import * as hereWasm from "../src/kernels/matmul-wasm.ts";
import { setThreads } from "../src/index.ts";
import { median } from "./timing.ts";
import { runFor } from "./compiler-pairs.ts";

type Matmul = typeof import("../src/kernels/matmul.ts");
type MatmulWasm = typeof import("../src/kernels/matmul-wasm.ts");
const [other] = process.argv.slice(2);
if (other === undefined) throw new Error("usage: npx tsx bench/compiler-thin.ts <other checkout>");
const there = (await import(pathToFileURL(path.resolve(other, "src/kernels/matmul.ts")).href)) as Matmul;
const thereWasm = (await import(pathToFileURL(path.resolve(other, "src/kernels/matmul-wasm.ts")).href)) as MatmulWasm;
setThreads(1);

/** [m, k]·[k, n] (A stored transposed with `transA`) into an ordinary array, operands in one checkout's kernel memory. */
const product = (lib: Matmul, wasm: MatmulWasm, m: number, k: number, n: number, transA: boolean, after?: (c: Float64Array) => void): (() => void) => {
  const filled = (len: number) => {
    const x = wasm.kernelMemoryArray(len)!;
    for (let i = 0; i < len; i++) x[i] = Math.sin(i * 0.37);
    return x;
  };
  const [a, b, c] = [filled(m * k), filled(k * n), new Float64Array(m * n)];
  const p = lib.productOf(1, m, k, n, transA, false);
  return () => {
    p.into(a, b, c);
    after?.(c);
  };
};
const out = new Float64Array(512 * 10);
const transposeOut = (c: Float64Array): void => {
  for (let i = 0; i < 10; i++) for (let j = 0; j < 512; j++) out[j * 10 + i] = c[i * 512 + j]!;
};
const variants: [string, () => void][] = [
  ["dW3 = h2ᵀ·dz [512,256]ᵀ·[256,10], other", product(there, thereWasm, 512, 256, 10, true)],
  ["dW3 = h2ᵀ·dz, this", product(hereLib, hereWasm, 512, 256, 10, true)],
  ["z = h2·W3 [256,512]·[512,10], other", product(there, thereWasm, 256, 512, 10, false)],
  ["z = h2·W3, this", product(hereLib, hereWasm, 256, 512, 10, false)],
  ["h2ᵀ·[256,12], this", product(hereLib, hereWasm, 512, 256, 12, true)],
  ["h2ᵀ·[256,24], this", product(hereLib, hereWasm, 512, 256, 24, true)],
  ["dW3 as (dzᵀ·h2)ᵀ, m = 10, this", product(hereLib, hereWasm, 10, 256, 512, true, transposeOut)],
];
for (const [, f] of variants) runFor(f, 500);
const times = variants.map(() => [] as number[]);
for (let s = 0; s < 41; s++) variants.forEach(([, f], i) => times[i]!.push(runFor(f, 30)));
variants.forEach(([name], i) => console.log(`${(median(times[i]!) * 1000).toFixed(1).padStart(7)} µs  ${name}`));
process.exit(0);
